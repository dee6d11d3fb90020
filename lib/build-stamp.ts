/**
 * Pulumi runs the compiled bin/index.js (Pulumi.yaml: typescript: false), so a source
 * edited after the last build would silently not be deployed. `npm run build` writes
 * bin/build-stamp.json after tsc succeeds (scripts/build-stamp.ts); the program refuses
 * to start when a compiled source is newer than that stamp. One stat per source file
 * (about 0.5 ms for the whole project), no directory walk.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { projectRoot } from "./paths";

export const BUILD_STAMP = path.join("bin", "build-stamp.json");

export interface BuildStamp {
  /** When the build finished (ms since the epoch). */
  readonly builtAt: number;
  /** Build inputs (project-relative): *.ts outside node_modules, bin and tests, validation/schema/*.json and package-lock.json. */
  readonly sources: readonly string[];
}

/** Sources modified after the build; a source deleted since the build is no reason to refuse. */
export function staleSources(root: string, stamp: BuildStamp): string[] {
  return stamp.sources.filter((source) => {
    const stat = fs.statSync(path.join(root, source), { throwIfNoEntry: false });
    return stat !== undefined && stat.mtimeMs > stamp.builtAt;
  });
}

/** Throws a RunError (printed without a stack, nothing deployed) when bin/ is stale or unstamped. */
export function assertFreshBuild(root: string = projectRoot()): void {
  let stamp: BuildStamp;
  try {
    stamp = JSON.parse(fs.readFileSync(path.join(root, BUILD_STAMP), "utf8")) as BuildStamp;
  } catch {
    throw new pulumi.RunError(`bin/ has no build stamp (${BUILD_STAMP}): run npm run build`);
  }
  const stale = staleSources(root, stamp);
  if (stale.length > 0) {
    const shown = stale.slice(0, 5).join(", ") + (stale.length > 5 ? `, and ${stale.length - 5} more` : "");
    throw new pulumi.RunError(`bin/ is older than the sources: run npm run build (changed since the build: ${shown})`);
  }
}
