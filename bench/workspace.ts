/**
 * Temporary copies of the project root for the benchmark, so that lib/paths.ts's
 * projectRoot() (which walks up to Pulumi.yaml) resolves to the copy and the program
 * reads the copy's content: no test hooks in the program. node_modules is a symlink.
 * Timestamps are preserved, so the stale-build guard sees the same mtimes as here.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { projectRoot } from "../lib/paths";

/** Top-level entries not copied (besides dot-folders): dependencies (linked), outputs, tests, docs. */
const SKIP_TOP = new Set(["node_modules", "out", "tests", "docs"]);

export function createSession(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "grafana-k8s-bench-"));
}

/** A copy of the project (built bin/ included, bin/tests left out) at `dir`. */
export function copyProject(dir: string): string {
  const root = projectRoot();
  fs.mkdirSync(dir, { recursive: true });
  for (const entry of fs.readdirSync(root, { withFileTypes: true })) {
    if (SKIP_TOP.has(entry.name) || (entry.name.startsWith(".") && entry.isDirectory())) continue;
    fs.cpSync(path.join(root, entry.name), path.join(dir, entry.name), {
      recursive: true,
      preserveTimestamps: true,
      filter: (src) => !src.startsWith(path.join(root, "bin", "tests")),
    });
  }
  fs.symlinkSync(path.join(root, "node_modules"), path.join(dir, "node_modules"), "dir");
  return dir;
}

/**
 * The floor's workspace: a project copy whose bin/index.js replays `recordingFile`,
 * after the same Error.stackTraceLimit bound as the program's entry point (a runtime
 * setting, not project logic: the ratio then measures the project's own work).
 */
export function floorWorkspace(dir: string, recordingFile: string): string {
  copyProject(dir);
  fs.writeFileSync(
    path.join(dir, "bin", "index.js"),
    'require("./lib/stack-traces").boundStackTraces();\nmodule.exports = require("./bench/floor-program.js");\n',
  );
  fs.copyFileSync(recordingFile, path.join(dir, "bin", "bench", "floor-registrations.json"));
  return dir;
}

/**
 * For the ts-node rows: bin/index.js only hands over to the TypeScript entry point, which
 * ts-node compiles on the fly (the mock engine always starts bin/index.js).
 */
export function tsNodeWorkspace(programDir: string, dir: string): string {
  fs.cpSync(programDir, dir, { recursive: true, preserveTimestamps: true, verbatimSymlinks: true });
  fs.writeFileSync(path.join(dir, "bin", "index.js"), 'module.exports = require("../index.ts");\n');
  return dir;
}

/** A copy of the program workspace without the build's record of validated content. */
export function unrecordedWorkspace(programDir: string, dir: string): string {
  fs.cpSync(programDir, dir, { recursive: true, preserveTimestamps: true, verbatimSymlinks: true });
  fs.rmSync(path.join(dir, "bin", "lib", "content-record.json"));
  return dir;
}

export function removeSession(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}
