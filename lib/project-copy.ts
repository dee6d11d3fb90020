/**
 * A copy of the project root in a temporary folder, for what must not touch the real one:
 * the benchmark's workspaces and tests that add content or edit sources. The copy has
 * bin/ (stamps and all: timestamps are kept, so the build stays fresh) and links
 * node_modules; lib/paths.ts's projectRoot() resolves to the copy for code run from it.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { projectRoot } from "./paths";

export interface ProjectCopyOptions {
  /** Top-level entries left out besides node_modules (linked), out/, .git and other dot-entries. */
  readonly skip?: readonly string[];
  /** Keep bin/tests/ (left out by default: only the tests themselves need it). */
  readonly withCompiledTests?: boolean;
}

const COPY_PREFIX = "grafana-k8s-copy-";

/**
 * Copies the project to `dir` and returns it. By default `dir` is <tmp>/grafana-k8s-copy-X/project
 * with ../shared linked beside it when the project has one (tests read it from there).
 */
export function copyProject(dir?: string, options: ProjectCopyOptions = {}): string {
  const root = projectRoot();
  if (dir === undefined) {
    const base = fs.mkdtempSync(path.join(os.tmpdir(), COPY_PREFIX));
    const shared = path.join(root, "..", "shared");
    if (fs.existsSync(shared)) fs.symlinkSync(fs.realpathSync(shared), path.join(base, "shared"), "dir");
    return copyProject(path.join(base, "project"), options);
  }
  const skip = new Set(["node_modules", "out", ...(options.skip ?? [])]);
  const compiledTests = path.join(root, "bin", "tests");
  fs.mkdirSync(dir, { recursive: true });
  for (const entry of fs.readdirSync(root)) {
    if (skip.has(entry) || entry.startsWith(".")) continue;
    fs.cpSync(path.join(root, entry), path.join(dir, entry), {
      recursive: true,
      preserveTimestamps: true,
      verbatimSymlinks: true,
      filter: (src) => options.withCompiledTests === true || !(src === compiledTests || src.startsWith(`${compiledTests}${path.sep}`)),
    });
  }
  fs.symlinkSync(path.join(root, "node_modules"), path.join(dir, "node_modules"), "dir");
  return dir;
}

/** Removes a copy made by copyProject, with the temporary folder around it when it made one. */
export function removeProjectCopy(dir: string): void {
  const base = path.dirname(dir);
  fs.rmSync(path.basename(base).startsWith(COPY_PREFIX) ? base : dir, { recursive: true, force: true });
}
