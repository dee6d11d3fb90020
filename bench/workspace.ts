/**
 * Temporary copies of the project root for the benchmark (lib/project-copy.ts), so that
 * lib/paths.ts's projectRoot() (which walks up to Pulumi.yaml) resolves to the copy and
 * the program reads the copy's content: no test hooks in the program.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { copyProject as copyRoot } from "../lib/project-copy";

export function createSession(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "grafana-k8s-bench-"));
}

/** A copy of the project (built bin/ included, bin/tests left out) at `dir`; docs/ stays: the program checks rules' links into docs/runbooks.md. */
export function copyProject(dir: string): string {
  return copyRoot(dir, { skip: ["tests"] });
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
