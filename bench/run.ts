/**
 * npm run bench [-- options]: start-up and evaluation cost of the program under the
 * Pulumi SDK's mock engine, against the floor (the same registrations replayed with no
 * project logic). Every figure is the median of --runs fresh node processes after
 * --warmup runs. Options (defaults in brackets):
 *   --runs N [5]  --warmup N [1]  --stacks dev,prod [dev,prod]  --sizes 10,100,1000 [same]
 *   --per-folder N [10]       synthetic dashboards per Grafana folder (one rule group each)
 *   --runner dev,1000 [same]  cases also run as Pulumi's runner does: ts-node vs JS
 *   --unbounded 1000 [same]   cases also run with node's default stack limit kept, and with
 *                             Infinity set first (as mocha does)
 *   --unrecorded dev,1000 [same]  cases also run without the build's record of validated
 *                             content (content added after the last build: all checked at run time)
 * Each case's content is compiled in its workspace first, as `npm run build` does after
 * content changes (bin/scripts/compile-content.js); that step is timed once per case.
 *   --out FILE [docs/performance.md]  --no-write  --keep (keep the temporary copies)
 * Use "none" for an empty list, e.g. quick: npm run bench -- --runs 1 --sizes 10 --runner none
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import { assertFreshBuild, BUILD_STAMP, BuildStamp } from "../lib/build-stamp";
import { fromRoot, projectRoot } from "../lib/paths";
import { withSecretPlaceholders } from "../render/placeholders";
import { loadStackConfig } from "../render/stack-config";
import { machineDescription } from "./machine";
import { median, runChild, Sample } from "./measure";
import { Recording, recordingDifferences } from "./record";
import { CaseResult, renderReport, writeReport } from "./report";
import { writeSynthetic } from "./synthetic";
import { copyProject, createSession, floorWorkspace, removeSession, tsNodeWorkspace, unrecordedWorkspace } from "./workspace";

interface Options {
  readonly runs: number;
  readonly warmup: number;
  readonly stacks: string[];
  readonly sizes: number[];
  readonly perFolder: number;
  readonly runner: string[];
  readonly unbounded: string[];
  readonly unrecorded: string[];
  readonly out?: string;
  readonly keep: boolean;
}

function parseOptions(argv: readonly string[]): Options {
  const get = (name: string, fallback: string) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] ?? fallback : fallback);
  const list = (name: string, fallback: string) => get(name, fallback).split(",").filter((v) => v !== "" && v !== "none");
  const int = (name: string, fallback: number) => {
    const n = Number(get(name, String(fallback)));
    if (!Number.isInteger(n) || n < 0) throw new Error(`${name} expects a whole number`);
    return n;
  };
  return {
    runs: Math.max(1, int("--runs", 5)),
    warmup: int("--warmup", 1),
    stacks: list("--stacks", "dev,prod"),
    sizes: list("--sizes", "10,100,1000").map(Number),
    perFolder: Math.max(1, int("--per-folder", 10)),
    runner: list("--runner", "dev,1000"),
    unbounded: list("--unbounded", "1000"),
    unrecorded: list("--unrecorded", "dev,1000"),
    out: argv.includes("--no-write") ? undefined : path.resolve(get("--out", fromRoot("docs", "performance.md"))),
    keep: argv.includes("--keep"),
  };
}

interface Variant {
  readonly args: string[];
  readonly nodeArgs?: string[];
}

interface Case {
  readonly key: string;
  readonly label: string;
  readonly stack: string;
  readonly dashboards?: number;
}

const log = (message: string) => process.stderr.write(`${message}\n`);
const readRecording = (file: string) => JSON.parse(fs.readFileSync(file, "utf8")) as Recording;

/**
 * Workspaces of one case: the program (with its synthetic content), the floor replaying
 * the program's registrations (checked to be the same), and the variants to time.
 */
async function prepareCase(c: Case, dir: string, o: Options): Promise<{ variants: Record<string, Variant>; contentBuildMs: number }> {
  const program = copyProject(path.join(dir, "program"));
  if (c.dashboards) writeSynthetic(program, { dashboards: c.dashboards, perFolder: o.perFolder });
  const contentBuildMs = compileContent(program);
  const configFile = path.join(dir, "config.json");
  fs.writeFileSync(configFile, JSON.stringify(withSecretPlaceholders(c.stack, loadStackConfig(c.stack)).config));
  const recording = path.join(dir, "registrations.json");
  await runChild([program, c.stack, configFile, "--record", recording]);
  const floor = floorWorkspace(path.join(dir, "floor"), recording);
  const floorRecording = path.join(dir, "floor-registrations.json");
  await runChild([floor, c.stack, configFile, "--record", floorRecording]);
  const differences = recordingDifferences(readRecording(recording), readRecording(floorRecording));
  if (differences.length > 0) throw new Error(`${c.label}: the floor registers something else: ${differences.slice(0, 5).join("; ")}`);

  const base = { program: [program, c.stack, configFile], floor: [floor, c.stack, configFile] };
  const variants: Record<string, Variant> = { program: { args: base.program }, floor: { args: base.floor } };
  if (o.runner.includes(c.key) || o.unbounded.includes(c.key)) {
    variants.runnerJs = { args: [...base.program, "--source-maps"] };
    variants.runnerFloor = { args: [...base.floor, "--source-maps"] };
  }
  if (o.runner.includes(c.key)) {
    const tsNode = tsNodeWorkspace(program, path.join(dir, "ts-node"));
    variants.runnerTsNode = { args: [tsNode, c.stack, configFile, "--source-maps", "--ts-node"] };
  }
  if (o.unbounded.includes(c.key)) {
    // An explicit --stack-trace-limit is kept by the entry point: node's default, unbounded.
    const nodeDefault = ["--stack-trace-limit=10"];
    variants.defaultLimitProgram = { args: variants.runnerJs.args, nodeArgs: nodeDefault };
    variants.defaultLimitFloor = { args: variants.runnerFloor.args, nodeArgs: nodeDefault };
    variants.mochaProgram = { args: [...base.program, "--stack-limit", "Infinity"] };
  }
  if (o.unrecorded.includes(c.key)) {
    const unrecorded = unrecordedWorkspace(program, path.join(dir, "unrecorded"));
    variants.unrecorded = { args: [unrecorded, c.stack, configFile] };
  }
  return { variants, contentBuildMs };
}

/** The build's content step in a workspace (what `npm run build` runs after tsc); its wall time. */
function compileContent(root: string): number {
  const start = performance.now();
  const run = spawnSync(process.execPath, [path.join(root, "bin", "scripts", "compile-content.js")], { cwd: root, encoding: "utf8" });
  if (run.status !== 0) throw new Error(`compile-content in ${root} failed:\n${run.stderr}`);
  return performance.now() - start;
}

/** Median sample of each variant; rounds interleave the variants, so drift in the machine hits all alike. */
async function sampleVariants(label: string, variants: Record<string, Variant>, o: Options): Promise<Record<string, Sample>> {
  const samples: Record<string, Sample[]> = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
  for (let round = -o.warmup; round < o.runs; round++) {
    for (const [name, v] of Object.entries(variants)) {
      const sample = await runChild(v.args, v.nodeArgs);
      if (round >= 0) samples[name].push(sample);
    }
    log(`  ${label}: ${round < 0 ? "warm-up" : `run ${round + 1}/${o.runs}`} done`);
  }
  for (const [name, list] of Object.entries(samples)) {
    if (list[0].resources !== samples.program[0].resources) throw new Error(`${label}: ${name} registered ${list[0].resources} resources, the program ${samples.program[0].resources}`);
  }
  return Object.fromEntries(Object.entries(samples).map(([name, list]) => [name, median(list)]));
}

async function measureCase(c: Case, dir: string, o: Options): Promise<CaseResult> {
  const { variants, contentBuildMs } = await prepareCase(c, dir, o);
  const m = await sampleVariants(c.label, variants, o);
  return {
    label: c.label,
    contentBuildMs,
    unrecorded: m.unrecorded,
    dashboards: c.dashboards,
    program: m.program,
    floor: m.floor,
    runnerJs: m.runnerJs,
    runnerTsNode: m.runnerTsNode,
    runnerFloor: m.runnerFloor,
    defaultLimitProgram: m.defaultLimitProgram,
    defaultLimitFloor: m.defaultLimitFloor,
    mochaProgram: m.mochaProgram,
  };
}

/** Cost of the stale-build guard at start-up: median of repeated in-process calls. */
function guardCost(): { ms: number; sources: number } {
  const times: number[] = [];
  for (let i = 0; i < 201; i++) {
    const start = performance.now();
    assertFreshBuild(projectRoot());
    times.push(performance.now() - start);
  }
  const stamp = JSON.parse(fs.readFileSync(fromRoot(BUILD_STAMP), "utf8")) as BuildStamp;
  return { ms: times.sort((a, b) => a - b)[100], sources: stamp.sources.length };
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const o = parseOptions(argv);
  const cases: Case[] = [
    ...o.stacks.map((stack) => ({ key: stack, label: `${stack} stack`, stack })),
    ...o.sizes.map((n) => ({ key: String(n), label: `dev + ${n.toLocaleString("en-US")} dashboards`, stack: "dev", dashboards: n })),
  ];
  const session = createSession();
  log(`bench: workspaces in ${session}`);
  const results: CaseResult[] = [];
  try {
    for (const c of cases) results.push(await measureCase(c, path.join(session, c.key), o));
  } finally {
    if (!o.keep) removeSession(session);
  }
  const report = renderReport(results, {
    command: ["npm run bench", ...(argv.length ? ["--", ...argv] : [])].join(" "),
    machine: machineDescription(),
    runs: o.runs,
    warmup: o.warmup,
    date: new Date().toISOString().slice(0, 10),
    guard: guardCost(),
  });
  process.stdout.write(`${report}\n`);
  if (o.out) {
    writeReport(o.out, report);
    log(`bench: written to ${path.relative(process.cwd(), o.out)}`);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
