/**
 * What the entry point does before it reads config: bound the SDK's per-resource stack
 * capture, and refuse to deploy a stale build. Called on every run (the mock engine
 * re-runs index.js in one process). When running from the TypeScript sources (ts-node)
 * nothing compiled can be stale, so the stamp is not checked.
 */
import { assertFreshBuild } from "./build-stamp";
import { RUNNING_FROM_BUILD } from "./running-from-build";
import { boundStackTraces } from "./stack-traces";

export function startProgram(): void {
  boundStackTraces();
  if (RUNNING_FROM_BUILD) assertFreshBuild();
}
