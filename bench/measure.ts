/**
 * Spawns bench/child.js in a fresh node process and measures it: wall time from spawn to
 * exit (here), CPU and peak RSS (the child's process.resourceUsage() at exit, on fd 3).
 */
import { spawn } from "node:child_process";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import type { ChildReport } from "./child";

export interface Sample {
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly maxRssMb: number;
  readonly resources: number;
}

const CHILD = path.join(__dirname, "child.js");

/** One fresh process: `node [nodeArgs] bench/child.js [args]`. */
export function runChild(args: readonly string[], nodeArgs: readonly string[] = []): Promise<Sample> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(process.execPath, [...nodeArgs, CHILD, ...args], { stdio: ["ignore", "ignore", "pipe", "pipe"] });
    let report = "";
    let stderr = "";
    child.stdio[3]!.on("data", (chunk: Buffer) => (report += chunk.toString()));
    child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      const wallMs = performance.now() - start;
      if (code !== 0 || !report) return reject(new Error(`child ${args.join(" ")} exited with ${code}:\n${stderr}`));
      const r = JSON.parse(report) as ChildReport;
      resolve({ wallMs, cpuMs: r.userMs + r.systemMs, maxRssMb: r.maxRssMb, resources: r.resources });
    });
  });
}

/** Median of each figure over the samples. */
export function median(samples: readonly Sample[]): Sample {
  const mid = (values: number[]) => {
    const s = [...values].sort((a, b) => a - b);
    const m = Math.floor(s.length / 2);
    return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
  };
  return {
    wallMs: mid(samples.map((s) => s.wallMs)),
    cpuMs: mid(samples.map((s) => s.cpuMs)),
    maxRssMb: mid(samples.map((s) => s.maxRssMb)),
    resources: samples[0]?.resources ?? 0,
  };
}
