/**
 * How long each test layer takes (docs/testing.md): one `mocha` process per layer, as
 * docs/testing.md runs them, in this project (built first), wall time from spawn to exit
 * and CPU of the process tree; then `npm test` as a whole (its build a no-op here). One run
 * each: these are orders of magnitude for planning, not a benchmark of the program.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { fromRoot } from "../lib/paths";
import { Sample, timedCommand } from "./measure";

export interface TestLayer {
  readonly name: string;
  readonly spec: string;
}

/** The layers of docs/testing.md, by their compiled spec. */
export const TEST_LAYERS: readonly TestLayer[] = [
  { name: "Unit (mock engine)", spec: "bin/tests/unit/**/*.test.js" },
  { name: "Validation", spec: "bin/tests/validation/**/*.test.js" },
  { name: "Render", spec: "bin/tests/render/**/*.test.js" },
  { name: "Pull", spec: "bin/tests/pull/**/*.test.js" },
  { name: "Policy", spec: "bin/tests/policy/**/*.test.js" },
  { name: "The chart, rendered", spec: "bin/tests/helm/**/*.test.js" },
  { name: "Workflows", spec: "bin/tests/workflows/**/*.test.js" },
  { name: "End-to-end", spec: "bin/tests/e2e/**/*.test.js" },
  { name: "Workload", spec: "bin/tests/prometheus/workload.test.js" },
  { name: "Prometheus scrape", spec: "bin/tests/prometheus/scrape.test.js" },
  { name: "Dashboard and alert queries", spec: "bin/tests/prometheus/queries.test.js" },
  { name: "Alert semantics", spec: "bin/tests/prometheus/alerts.test.js" },
  { name: "Calibration (../shared corpus)", spec: "bin/tests/calibration/**/*.test.js" },
  { name: "Imported alert semantics", spec: "bin/tests/prometheus/imported-alerts.test.js" },
];

/** Whether a compiled test file is in a layer's spec: a folder's `**` + `/*.test.js`, or one file. */
const inLayer = (file: string, spec: string): boolean =>
  spec.endsWith("/**/*.test.js") ? file.startsWith(spec.slice(0, -"**/*.test.js".length)) : file === spec;

/** Compiled test files no layer runs: the table would leave them out of every row but npm test's. */
export function testsInNoLayer(root: string = fromRoot()): string[] {
  const dir = path.join(root, "bin", "tests");
  return fs
    .readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".test.js"))
    .map((f) => `bin/tests/${f.split(path.sep).join("/")}`)
    .filter((file) => !TEST_LAYERS.some((layer) => inLayer(file, layer.spec)))
    .sort();
}

export interface LayerTime extends Sample {
  readonly name: string;
  readonly spec: string;
  readonly passing: number;
  readonly pending: number;
}

const count = (stdout: string, word: string) => Number(new RegExp(`(\\d+) ${word}`).exec(stdout)?.[1] ?? 0);

export async function timeTestLayers(log: (line: string) => void): Promise<{ layers: LayerTime[]; npmTest: LayerTime }> {
  const mocha = [process.execPath, path.join(fromRoot("node_modules"), "mocha", "bin", "mocha.js"), "--no-config", "--timeout", "120000", "--reporter", "dot"];
  const uncovered = testsInNoLayer();
  if (uncovered.length > 0) throw new Error(`no layer of bench/test-layers.ts runs ${uncovered.join(", ")}: add it to TEST_LAYERS (and to docs/testing.md's layer table)`);
  const layers: LayerTime[] = [];
  for (const layer of TEST_LAYERS) {
    const run = await timedCommand(fromRoot(), [...mocha, layer.spec]);
    layers.push({ ...layer, ...run, passing: count(run.stdout, "passing"), pending: count(run.stdout, "pending") });
    log(`  tests: ${layer.name} done`);
  }
  const all = await timedCommand(fromRoot(), ["npm", "test", "--", "--reporter", "dot"]);
  log("  tests: npm test done");
  return { layers, npmTest: { name: "npm test", spec: "everything", ...all, passing: count(all.stdout, "passing"), pending: count(all.stdout, "pending") } };
}
