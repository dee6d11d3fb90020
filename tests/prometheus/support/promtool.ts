/** Running promtool on generated files: `check rules` and `test rules`, output kept for failure messages. */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { stringify } from "yaml";
import { onExit } from "../../../lib/prometheus";

export interface PromtoolResult {
  readonly ok: boolean;
  /** Exit code (null when killed). */
  readonly code: number | null;
  /** stdout and stderr together. */
  readonly output: string;
}

export function runPromtool(promtool: string, args: readonly string[], cwd?: string): Promise<PromtoolResult> {
  return new Promise((resolve) => {
    execFile(promtool, [...args], { cwd, timeout: 60_000, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === "number" ? err.code : null) : 0;
      resolve({ ok: !err, code, output: `${stdout}${stderr}`.trim() });
    });
  });
}

export const checkRules = (promtool: string, ruleFile: string): Promise<PromtoolResult> => runPromtool(promtool, ["check", "rules", ruleFile]);

/** `promtool test rules` (run in the test file's directory, where its rule_files are resolved). */
export const testRules = (promtool: string, testFile: string): Promise<PromtoolResult> =>
  runPromtool(promtool, ["test", "rules", path.basename(testFile)], path.dirname(testFile));

/** A temp dir for generated files, removed by `remove()` or, failing that, when the process exits. */
export function tempDir(prefix: string): { readonly dir: string; write(name: string, content: unknown): string; remove(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const remove = () => fs.rmSync(dir, { recursive: true, force: true });
  const unregister = onExit(remove);
  return {
    dir,
    /** Writes `content` as YAML (strings as they are); returns the path. */
    write(name, content) {
      const file = path.join(dir, name);
      fs.writeFileSync(file, typeof content === "string" ? content : stringify(content, { lineWidth: 0, aliasDuplicateObjects: false }));
      return file;
    },
    remove() {
      remove();
      unregister();
    },
  };
}
