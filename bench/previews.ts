/**
 * The cost of previews: `npm run render` of both stacks as it runs without --with-data,
 * and with it (simulated history, promtool backfill, Prometheus, every dashboard drawn
 * to SVG and PNG), each a fresh process on the built project; median wall time. Issue 17's
 * target: both stacks with data in at most 3 minutes on the project's 2-core machine.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import { findPrometheusBinaries } from "../lib/prometheus/binaries";
import { fromRoot } from "../lib/paths";

export const PREVIEW_TARGET_SECONDS = 180;
const STACKS = ["dev", "prod"];

/** Wall time of one render of both stacks, in ms. */
function renderOnce(withData: boolean): number {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "bench-render-"));
  try {
    const args = [fromRoot("bin", "render", "cli.js"), ...STACKS.flatMap((s) => ["--stack", s]), "--out", out, ...(withData ? ["--with-data"] : [])];
    const start = performance.now();
    const child = spawnSync(process.execPath, args, { encoding: "utf8" });
    const wallMs = performance.now() - start;
    if (child.status !== 0) throw new Error(`render ${withData ? "--with-data " : ""}failed:\n${child.stderr}`);
    return wallMs;
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
}

const medianOf = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

export function measurePreviews(runs: number, warmup: number): { plain: number; withData: number } | undefined {
  if (!findPrometheusBinaries().binaries) return undefined;
  const sample = (withData: boolean) => {
    for (let i = 0; i < warmup; i++) renderOnce(withData);
    return medianOf(Array.from({ length: runs }, () => renderOnce(withData)));
  };
  return { plain: sample(false), withData: sample(true) };
}

export function renderPreviewsReport(m: { plain: number; withData: number } | undefined, ctx: { command: string; machine: string; runs: number; date: string }): string {
  if (!m) return "Previews: not measured (prometheus and promtool not installed).";
  const s = (ms: number) => (ms / 1000).toFixed(1);
  const met = m.withData / 1000 <= PREVIEW_TARGET_SECONDS;
  return [
    `Measured ${ctx.date} with \`${ctx.command}\` (median of ${ctx.runs} runs, each a fresh \`node bin/render/cli.js --stack dev --stack prod\`). Machine: ${ctx.machine}.`,
    "",
    "| Render of dev + prod | Wall s |",
    "| --- | ---: |",
    `| without --with-data | ${s(m.plain)} |`,
    `| with --with-data (history, backfill, Prometheus, every dashboard to SVG + PNG) | ${s(m.withData)} |`,
    "",
    `Target: with data ≤ ${PREVIEW_TARGET_SECONDS} s for both stacks: ${met ? "met" : "NOT met"} (${s(m.withData)} s). The plain render loads none of the preview code (render/render.ts imports preview/ only with --with-data).`,
  ].join("\n");
}
