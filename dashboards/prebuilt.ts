/**
 * The built dashboards as the program deploys them: `npm run build` writes them to
 * bin/dashboards/built.json (scripts/compile-content.ts), which the stale-build guard
 * keeps in step with the dashboard modules. Run from the TypeScript sources (ts-node),
 * there is no build to trust, so they are built in process.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { deepFreeze } from "../lib/deep-freeze";
import { InputError } from "../lib/errors";
import { RUNNING_FROM_BUILD } from "../lib/running-from-build";
import type { DashboardSpec } from "./types";

/** Next to this module's compiled JavaScript: bin/dashboards/built.json. */
export const PREBUILT_DASHBOARDS_FILE = path.join(__dirname, "built.json");

const fromBuild = () => (require("./built") as typeof import("./built")).buildDashboards();

let prebuilt: readonly DashboardSpec[] | undefined;

/**
 * The stack-independent built dashboards; read once per process and frozen, since every
 * stack's dashboards share their panels (an edit in place would change the next run's).
 */
export function prebuiltDashboards(): readonly DashboardSpec[] {
  if (!prebuilt) {
    if (!RUNNING_FROM_BUILD) prebuilt = deepFreeze(fromBuild());
    else {
      try {
        prebuilt = deepFreeze(JSON.parse(fs.readFileSync(PREBUILT_DASHBOARDS_FILE, "utf8")) as DashboardSpec[]);
      } catch {
        const where = path.relative(process.cwd(), PREBUILT_DASHBOARDS_FILE);
        throw new InputError("The build is incomplete", [{ where, message: "missing or unreadable", fix: "run npm run build" }]);
      }
    }
  }
  return prebuilt;
}

/** Writes the built dashboards where prebuiltDashboards() reads them (a build step). */
export function writePrebuiltDashboards(): void {
  fs.writeFileSync(PREBUILT_DASHBOARDS_FILE, `${JSON.stringify(fromBuild())}\n`);
}
