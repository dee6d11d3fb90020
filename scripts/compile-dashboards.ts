/**
 * Build step of the program (build/targets.js, after tsc): writes the dashboards the
 * modules build to bin/dashboards/built.json (dashboards/prebuilt.ts), so the deploy path
 * does not load the grafana-foundation-sdk. Code, not content: it changes with the program.
 */
import { writePrebuiltDashboards } from "../dashboards/prebuilt";
import { runAsCli } from "../lib/cli";

export function main(): number {
  writePrebuiltDashboards();
  return 0;
}

if (require.main === module) runAsCli("compile-dashboards", main);
