/**
 * The one skip policy for tests that read ../shared (upstream reference data, the corpus of
 * real content): where the folder is absent they are skipped with a message, except under
 * CI (the `CI` variable set, as .ci/run and GitHub Actions do), where they fail: a skipped
 * check must never pass as a green CI run.
 */
import * as fs from "node:fs";
import { fromRoot } from "../../lib/paths";
import { skipOrFail } from "./skip-policy";

/** ../shared next to the project. */
export const SHARED_DIR = fromRoot("..", "shared");

/** Call first in a test or `before` hook (mocha's `this`) that reads `dir`. */
export function requireSharedData(ctx: Mocha.Context, dir: string): void {
  if (fs.existsSync(dir)) return;
  skipOrFail(ctx, { message: `${dir} not found: this test reads the read-only data in ../shared next to the project.`, failUnderCi: true });
}
