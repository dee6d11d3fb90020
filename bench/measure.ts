/**
 * Spawns bench/child.js in a fresh node process and measures it: wall time from spawn to
 * exit (here), CPU and peak RSS (the child's process.resourceUsage() at exit, on fd 3).
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
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

/**
 * Runs a command in `cwd` through bash, so `times` gives the CPU (user + system) of its
 * whole process tree; wall time from spawn to exit. Its stdout is returned, stderr shown
 * only when it fails.
 */
export function timedCommand(cwd: string, command: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<Sample & { stdout: string }> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const errFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "bench-stderr-")), "stderr");
    const script = '"$@" 2>"$ERRFILE"; status=$?; times >&3; exit $status';
    const child = spawn("bash", ["-c", script, "bash", ...command], { cwd, stdio: ["ignore", "pipe", "ignore", "pipe"], env: { ...env, ERRFILE: errFile } });
    let times = "";
    let stdout = "";
    child.stdout!.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stdio[3]!.on("data", (chunk: Buffer) => (times += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      const wallMs = performance.now() - start;
      const stderr = fs.readFileSync(errFile, "utf8");
      fs.rmSync(path.dirname(errFile), { recursive: true, force: true });
      if (code !== 0) return reject(new Error(`${command.join(" ")} in ${cwd} exited with ${code}:\n${stdout.slice(-2000)}\n${stderr}`));
      // Second line of \`times\`: the children's user and system time, e.g. "0m1.234s 0m0.210s".
      const [user, system] = (times.trim().split("\n")[1] ?? "").split(" ").map((t) => {
        const m = /^(\d+)m([\d.]+)s$/.exec(t);
        return m ? Number(m[1]) * 60 + Number(m[2]) : NaN;
      });
      resolve({ wallMs, cpuMs: (user + system) * 1000, maxRssMb: 0, resources: 0, stdout });
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
