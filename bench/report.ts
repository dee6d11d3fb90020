/** Markdown tables of the benchmark's medians, and their place in docs/performance.md. */
import * as fs from "node:fs";
import type { EditLoopResult } from "./edit-loop";
import type { Sample } from "./measure";
import type { LayerTime } from "./test-layers";

export interface CaseResult {
  readonly label: string;
  /** Synthetic dashboards added, for the growth table. */
  readonly dashboards?: number;
  readonly program: Sample;
  readonly floor: Sample;
  /** Program with source-map-support registered, as Pulumi's runner starts it. */
  readonly runnerJs?: Sample;
  /** Program through ts-node (typescript: true), source-map-support registered. */
  readonly runnerTsNode?: Sample;
  /** Floor under the same runner conditions as runnerJs. */
  readonly runnerFloor?: Sample;
  /** runnerJs / runnerFloor with node's default limit (10) kept: what the entry point's bound saves. */
  readonly defaultLimitProgram?: Sample;
  readonly defaultLimitFloor?: Sample;
  /** Program with Error.stackTraceLimit = Infinity set first, as mocha does. */
  readonly mochaProgram?: Sample;
  /** The build's content step (compile-content) in the case's workspace, wall ms of one run. */
  readonly contentBuildMs: number;
  /** Program without the build's record of validated content: everything checked at run time. */
  readonly unrecorded?: Sample;
}

const s = (ms: number) => (ms / 1000).toFixed(2);
const mb = (v: number) => v.toFixed(0);
const x = (a: number, b: number) => `${(a / b).toFixed(2)}x`;

function mainTable(results: readonly CaseResult[]): string {
  const rows = results.map((r) =>
    [
      r.label,
      r.program.resources,
      `${s(r.program.wallMs)} / ${s(r.floor.wallMs)}`,
      `**${x(r.program.wallMs, r.floor.wallMs)}**`,
      `${s(r.program.cpuMs)} / ${s(r.floor.cpuMs)}`,
      x(r.program.cpuMs, r.floor.cpuMs),
      `${mb(r.program.maxRssMb)} / ${mb(r.floor.maxRssMb)}`,
      `**${x(r.program.maxRssMb, r.floor.maxRssMb)}**`,
    ].join(" | "),
  );
  return [
    "| Case | Resources | Wall s (program / floor) | Wall ratio | CPU s (program / floor) | CPU ratio | Max RSS MB (program / floor) | RSS ratio |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ...rows.map((r) => `| ${r} |`),
  ].join("\n");
}

function growthTable(results: readonly CaseResult[]): string {
  const big = results.find((r) => r.dashboards === 1000);
  const small = results.find((r) => r.dashboards === 100);
  if (!big || !small) return "";
  const row = (name: string, a: Sample, b: Sample) => `| ${name} | ${x(a.wallMs, b.wallMs)} | ${x(a.cpuMs, b.cpuMs)} | ${x(a.maxRssMb, b.maxRssMb)} |`;
  return [
    "| 1,000 / 100 dashboards | Wall | CPU | Max RSS |",
    "| --- | ---: | ---: | ---: |",
    row("program", big.program, small.program),
    row("floor", big.floor, small.floor),
  ].join("\n");
}

function runnerTable(results: readonly CaseResult[]): string {
  const rows = results.filter((r) => r.runnerJs && r.runnerTsNode && r.runnerFloor);
  if (rows.length === 0) return "";
  return [
    "| Case | ts-node wall s | JS wall s | floor wall s | ts-node / JS | JS / floor | ts-node CPU s | JS CPU s | ts-node / JS RSS MB |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ...rows.map((r) => {
      const t = r.runnerTsNode!;
      const j = r.runnerJs!;
      const f = r.runnerFloor!;
      return `| ${r.label} | ${s(t.wallMs)} | ${s(j.wallMs)} | ${s(f.wallMs)} | **${x(t.wallMs, j.wallMs)}** | ${x(j.wallMs, f.wallMs)} | ${s(t.cpuMs)} | ${s(j.cpuMs)} | ${mb(t.maxRssMb)} / ${mb(j.maxRssMb)} |`;
    }),
  ].join("\n");
}

function limitTable(results: readonly CaseResult[]): string {
  const rows = results.filter((r) => r.defaultLimitProgram && r.defaultLimitFloor && r.runnerJs && r.runnerFloor && r.mochaProgram);
  if (rows.length === 0) return "";
  return [
    "| Case | Program wall s (limit 0 / 10) | Program CPU s (0 / 10) | Floor wall s (0 / 10) | Floor CPU s (0 / 10) | Program wall s, Infinity set first (mocha), no source maps |",
    "| --- | ---: | ---: | ---: | ---: | ---: |",
    ...rows.map((r) => {
      const p0 = r.runnerJs!;
      const p10 = r.defaultLimitProgram!;
      const f0 = r.runnerFloor!;
      const f10 = r.defaultLimitFloor!;
      return `| ${r.label} | ${s(p0.wallMs)} / ${s(p10.wallMs)} | ${s(p0.cpuMs)} / ${s(p10.cpuMs)} | ${s(f0.wallMs)} / ${s(f10.wallMs)} | ${s(f0.cpuMs)} / ${s(f10.cpuMs)} | ${s(r.mochaProgram!.wallMs)} (limit 0: ${s(r.program.wallMs)}) |`;
    }),
  ].join("\n");
}

function recordTable(results: readonly CaseResult[]): string {
  const rows = results.filter((r) => r.unrecorded);
  if (rows.length === 0) return "";
  return [
    "| Case | Content build step s (one run) | Program wall s (record / no record) | Floor wall s | No record / floor | Max RSS MB (record / no record) |",
    "| --- | ---: | ---: | ---: | ---: | ---: |",
    ...rows.map((r) => {
      const u = r.unrecorded!;
      return `| ${r.label} | ${s(r.contentBuildMs)} | ${s(r.program.wallMs)} / ${s(u.wallMs)} | ${s(r.floor.wallMs)} | ${x(u.wallMs, r.floor.wallMs)} | ${mb(r.program.maxRssMb)} / ${mb(u.maxRssMb)} |`;
    }),
  ].join("\n");
}

export interface ReportContext {
  readonly command: string;
  readonly machine: string;
  readonly runs: number;
  readonly warmup: number;
  readonly date: string;
}

/** The stale-build guard's cost per start: sizes and mtimes as recorded, and every input hashed (a fresh checkout). */
export interface GuardCost {
  readonly statMs: number;
  readonly hashedMs: number;
  readonly sources: number;
}

export function guardLine(guard: GuardCost): string {
  return `Stale-build guard (lib/build-stamp.ts) at start-up: ${guard.statMs.toFixed(2)} ms when sizes and mtimes are as built, ${guard.hashedMs.toFixed(2)} ms when every input must be hashed (a fresh checkout or a CI artefact: mtimes differ) (${guard.sources} inputs, median of 201 calls).`;
}

export function renderReport(results: readonly CaseResult[], ctx: ReportContext): string {
  const sections = [
    `Measured ${ctx.date} with \`${ctx.command}\` (median of ${ctx.runs} runs after ${ctx.warmup} warm-up, each a fresh \`node\` process).`,
    `Machine: ${ctx.machine}.`,
    "",
    "Program vs floor (mock engine, bin/index.js; the floor replays the same registrations with plain `pulumi.CustomResource`):",
    "",
    mainTable(results),
  ];
  const growth = growthTable(results);
  if (growth) sections.push("", "Growth:", "", growth);
  const runner = runnerTable(results);
  if (runner) sections.push("", "As Pulumi's nodejs runner starts it (source-map-support registered): `typescript: true` through ts-node (transpile-only) vs precompiled JavaScript:", "", runner);
  const limits = limitTable(results);
  if (limits) {
    sections.push(
      "",
      "Error.stackTraceLimit, source-map-support registered: 0 (the entry point's bound) vs node's default 10 (kept by `node --stack-trace-limit=10`); last column: mocha's Infinity, which the entry point lowers again:",
      "",
      limits,
    );
  }
  const record = recordTable(results);
  if (record) {
    sections.push(
      "",
      "The build's record of validated content (bin/lib/content-record.json, written by the content build step) vs none, as on the first run after content was added without `npm run build`: every dashboard and rule then checked at run time:",
      "",
      record,
    );
  }
  return sections.join("\n");
}

/** The edit loop's targets (issue 11), as ratios to the floor's wall time. */
export const EDIT_LOOP_TARGETS = { noChange: 3, jsonEdited: 3, moduleEdited: 8 } as const;

export function renderEditLoop(result: EditLoopResult, ctx: ReportContext & { guard?: GuardCost }): string {
  const f = result.floor;
  const row = (label: string, sample: Sample, target: number) => {
    const ratio = sample.wallMs / f.wallMs;
    return `| ${label} | ${s(sample.wallMs)} | **${x(sample.wallMs, f.wallMs)}** | ${s(sample.cpuMs)} | ${x(sample.cpuMs, f.cpuMs)} | ≤ ${target}x: ${ratio <= target ? "met" : "**not met**"} |`;
  };
  return [
    `Measured ${ctx.date} with \`${ctx.command}\` (median of ${ctx.runs} rounds after ${ctx.warmup} warm-up), in a copy of ${ctx.guard ? "this project" : result.project}.`,
    `Machine: ${ctx.machine}.`,
    "",
    `| \`npm run validate\` (both stacks) | Wall s | Wall / floor | CPU s | CPU / floor | Target |`,
    "| --- | ---: | ---: | ---: | ---: | --- |",
    row("nothing changed", result.noChange, EDIT_LOOP_TARGETS.noChange),
    row("after editing a drop-in dashboard's JSON", result.jsonEdited, EDIT_LOOP_TARGETS.jsonEdited),
    row("after editing a dashboard module (one panel's description)", result.moduleEdited, EDIT_LOOP_TARGETS.moduleEdited),
    `| floor: \`node -e "require('@pulumi/pulumi')"\` | ${s(f.wallMs)} | 1.00x | ${s(f.cpuMs)} | 1.00x | |`,
    ...(ctx.guard ? ["", guardLine(ctx.guard)] : []),
  ].join("\n");
}

export function renderTestLayers(times: { layers: LayerTime[]; npmTest: LayerTime }, ctx: ReportContext & { prometheus: string }): string {
  const row = (t: LayerTime) => `| ${t.name} | \`${t.spec}\` | ${t.passing}${t.pending ? ` (${t.pending} pending)` : ""} | ${s(t.wallMs)} | ${s(t.cpuMs)} |`;
  return [
    `Measured ${ctx.date} with \`${ctx.command}\`: one \`npx mocha --no-config <spec>\` per layer, mocha's start-up included, then \`npm test\` (its build a no-op); one run each. ${ctx.prometheus}.`,
    `Machine: ${ctx.machine}.`,
    "",
    "| Layer | Spec | Tests | Wall s | CPU s |",
    "| --- | --- | ---: | ---: | ---: |",
    ...times.layers.map(row),
    row(times.npmTest),
  ].join("\n");
}

const markers = (block: string) => [`<!-- ${block}:start (written by npm run bench) -->`, `<!-- ${block}:end -->`] as const;

/** Replaces the generated section `block` of `file` (appends one when there is none). */
export function writeReport(file: string, report: string, block = "bench"): void {
  const [START, END] = markers(block);
  const current = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "# Performance\n";
  const section = `${START}\n${report}\n${END}`;
  const start = current.indexOf(START);
  const end = current.indexOf(END);
  const next = start >= 0 && end > start ? current.slice(0, start) + section + current.slice(end + END.length) : `${current.trimEnd()}\n\n${section}\n`;
  fs.writeFileSync(file, next);
}
