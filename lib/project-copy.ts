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

/** Copies the project to `dir` (a new temporary folder by default) and returns it. */
export function copyProject(dir: string = fs.mkdtempSync(path.join(os.tmpdir(), "grafana-k8s-copy-")), options: ProjectCopyOptions = {}): string {
  const root = projectRoot();
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
