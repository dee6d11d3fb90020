/**
 * Pulumi runs the compiled bin/index.js (Pulumi.yaml: typescript: false), so a source
 * edited after the last build would silently not be deployed. The build stamps the
 * program's inputs by content (build/stamp.js: bin/stamps/program.json, written by
 * build/run.js after tsc and the program's build steps); the program refuses to start when
 * one of them changed or is gone. A stat per input, a hash only where size or mtime differ
 * (a fresh checkout, a CI artefact): well under a millisecond when nothing changed.
 */
import { RunError } from "@pulumi/pulumi/errors";
import { changedInputs, readStamp } from "../build/stamp";
import { projectRoot } from "./paths";

/** The build target the program is (build/targets.js). */
export const PROGRAM_TARGET = "program";

/** The id of the program's current build, or undefined when bin/ has no stamp. */
export function programBuildId(root: string = projectRoot()): string | undefined {
  return readStamp(root, PROGRAM_TARGET)?.id;
}

/** Throws a RunError (printed without a stack, nothing deployed) when bin/ is not a build of these sources. */
export function assertFreshBuild(root: string = projectRoot()): void {
  const stamp = readStamp(root, PROGRAM_TARGET);
  if (!stamp) throw new RunError("bin/ has no build stamp (bin/stamps/program.json): run npm run build");
  const stale = changedInputs(root, stamp);
  if (stale.length > 0) {
    const shown = stale.slice(0, 5).join(", ") + (stale.length > 5 ? `, and ${stale.length - 5} more` : "");
    throw new RunError(`bin/ is not a build of these sources: run npm run build (changed since the build: ${shown})`);
  }
}
