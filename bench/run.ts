/**
 * npm run bench [-- options] (options: build/commands.js, or npm run bench -- --help).
 *   startup: start-up and evaluation cost of the program under the Pulumi SDK's mock engine,
 *     against the floor (the same registrations replayed with no project logic); every
 *     figure the median of --runs fresh node processes after --warmup runs. Each case's
 *     content is recorded in its workspace first, as `npm run build` does
 *     (bin/scripts/compile-content.js); that step is timed once per case.
 *   edit-loop: npm run validate after no change, a drop-in JSON edit and a module edit
 *     (bench/edit-loop.ts), against node -e "require('@pulumi/pulumi')".
 *   tests: each test layer's time, and npm test's (bench/test-layers.ts), into docs/testing.md.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import { changedInputs, readStamp, Stamp } from "../build/stamp";
import { assertFreshBuild, PROGRAM_TARGET } from "../lib/build-stamp";
import { flagOption, listOption, ParsedArgs, runAsCli, stringOption } from "../lib/cli";
import { fromRoot, projectRoot } from "../lib/paths";
import { withSecretPlaceholders } from "../render/placeholders";
import { loadStackConfig } from "../render/stack-config";
import { machineDescription } from "./machine";
import { measurePreviews, renderPreviewsReport } from "./previews";
import { median, runChild, Sample } from "./measure";
import { Recording, recordingDifferences } from "./record";
import { measureEditLoop } from "./edit-loop";
import { timeTestLayers } from "./test-layers";
import { CaseResult, GuardCost, guardLine, renderEditLoop, renderReport, renderTestLayers, writeReport } from "./report";
import { writeSynthetic } from "./synthetic";
import { copyProject, createSession, floorWorkspace, removeSession, tsNodeWorkspace, unrecordedWorkspace } from "./workspace";

interface Options {
  readonly runs: number;
  readonly warmup: number;
  /** startup (program vs floor), edit-loop (npm run validate after edits), tests (docs/testing.md's times). */
  readonly parts: string[];
  /** The project the edit loop copies (another checkout gives before figures). */
  readonly project: string;
  readonly stacks: string[];
  readonly sizes: number[];
  readonly perFolder: number;
  readonly runner: string[];
  readonly unbounded: string[];
  readonly unrecorded: string[];
  readonly out?: string;
  readonly keep: boolean;
}

function parseOptions(args: ParsedArgs): Options {
  const list = (name: string, fallback: string) => {
    const given = listOption(args, name);
    return (given.length > 0 ? given : fallback.split(",")).filter((v) => v !== "" && v !== "none");
  };
  const count = (name: string, fallback: number) => Number(stringOption(args, name) ?? fallback);
  return {
    runs: Math.max(1, count("runs", 5)),
    warmup: count("warmup", 1),
    parts: list("parts", "startup,edit-loop,previews"),
    stacks: list("stacks", "dev,prod"),
    sizes: list("sizes", "10,100,1000").map(Number),
    perFolder: Math.max(1, count("per-folder", 10)),
    runner: list("runner", "dev,1000"),
    unbounded: list("unbounded", "1000"),
    unrecorded: list("unrecorded", "dev,1000"),
    project: path.resolve(stringOption(args, "project") ?? projectRoot()),
    out: flagOption(args, "no-write") ? undefined : path.resolve(stringOption(args, "out") ?? fromRoot("docs", "performance.md")),
    keep: flagOption(args, "keep"),
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

/** Cost of the stale-build guard at start-up: as built, and with every input to hash (mtimes all differ). */
function guardCost(): GuardCost {
  const stamp = readStamp(projectRoot(), PROGRAM_TARGET);
  if (!stamp) throw new Error("bench: this project has no program build stamp");
  const medianOf = (call: () => void) => {
    const times: number[] = [];
    for (let i = 0; i < 201; i++) {
      const start = performance.now();
      call();
      times.push(performance.now() - start);
    }
    return times.sort((a, b) => a - b)[100];
  };
  const moved: Stamp = { ...stamp, files: Object.fromEntries(Object.entries(stamp.files).map(([rel, f]) => [rel, { ...f, mtimeMs: f.mtimeMs - 1 }])) };
  if (changedInputs(projectRoot(), moved).length > 0) throw new Error("bench: the sources changed since the build (npm run bench builds first)");
  return { statMs: medianOf(() => assertFreshBuild(projectRoot())), hashedMs: medianOf(() => changedInputs(projectRoot(), moved)), sources: Object.keys(stamp.files).length };
}

async function startup(o: Options, argvText: string, session: string, guard: GuardCost): Promise<void> {
  const cases: Case[] = [
    ...o.stacks.map((stack) => ({ key: stack, label: `${stack} stack`, stack })),
    ...o.sizes.map((n) => ({ key: String(n), label: `dev + ${n.toLocaleString("en-US")} dashboards`, stack: "dev", dashboards: n })),
  ];
  const results: CaseResult[] = [];
  for (const c of cases) results.push(await measureCase(c, path.join(session, c.key), o));
  const report = renderReport(results, { command: argvText, machine: machineDescription(), runs: o.runs, warmup: o.warmup, date: today() });
  process.stdout.write(`${report}\n${guardLine(guard)}\n`);
  if (o.out) {
    writeReport(o.out, `${report}\n\n${guardLine(guard)}`);
    log(`bench: written to ${path.relative(process.cwd(), o.out)}`);
  }
}

async function editLoop(o: Options, argvText: string, session: string, guard: GuardCost): Promise<void> {
  const result = await measureEditLoop(o.project, path.join(session, "edit-loop"), fromRoot("node_modules"), o.runs, o.warmup);
  const own = o.project === projectRoot();
  const report = renderEditLoop(result, { command: argvText, machine: machineDescription(), runs: o.runs, warmup: o.warmup, date: today(), guard: own ? guard : undefined });
  process.stdout.write(`${report}\n`);
  // Figures of another project (before figures) are printed, never written over this one's.
  if (o.out && own) {
    writeReport(o.out, report, "edit-loop");
    log(`bench: written to ${path.relative(process.cwd(), o.out)}`);
  }
}

function previews(o: Options, argvText: string): void {
  const report = renderPreviewsReport(measurePreviews(o.runs, o.warmup), { command: argvText, machine: machineDescription(), runs: o.runs, date: today() });
  process.stdout.write(`${report}\n`);
  if (o.out) writeReport(o.out, report, "previews");
}

async function testLayers(o: Options, argvText: string): Promise<void> {
  const times = await timeTestLayers(log);
  const prometheus = spawnSync("prometheus", ["--version"], { encoding: "utf8" });
  const report = renderTestLayers(times, {
    command: argvText,
    machine: machineDescription(),
    runs: 1,
    warmup: 0,
    date: today(),
    prometheus: prometheus.status === 0 ? `With ${prometheus.stdout.split("\n")[0]}` : "Without Prometheus (its layers skip)",
  });
  process.stdout.write(`${report}\n`);
  if (o.out) {
    writeReport(fromRoot("docs", "testing.md"), report, "test-times");
    log("bench: written to docs/testing.md");
  }
}

const today = () => new Date().toISOString().slice(0, 10);

export async function main(args: ParsedArgs): Promise<number> {
  const o = parseOptions(args);
  const argv = process.argv.slice(process.argv.indexOf("bench") + 1);
  const argvText = ["npm run bench", ...(argv.length ? ["--", ...argv] : [])].join(" ");
  const guard = guardCost();
  const session = createSession();
  log(`bench: workspaces in ${session}`);
  try {
    if (o.parts.includes("startup")) await startup(o, argvText, session, guard);
    if (o.parts.includes("edit-loop")) await editLoop(o, argvText, session, guard);
    if (o.parts.includes("previews")) previews(o, argvText);
    if (o.parts.includes("tests")) await testLayers(o, argvText);
  } finally {
    if (!o.keep) removeSession(session);
  }
  return 0;
}

if (require.main === module) runAsCli("bench", main);
