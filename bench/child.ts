/**
 * One measured run, in a fresh process: runs <root>/bin/index.js under the mock engine
 * exactly as render/mock-engine.ts does (its own copy in <root>), then reports
 * process.resourceUsage() on fd 3 at exit. Options reproduce how the program is started:
 *   --source-maps     register source-map-support as Pulumi's nodejs runner always does;
 *   --ts-node         register ts-node (transpile-only) as the runner does with typescript: true;
 *   --stack-limit N   set Error.stackTraceLimit first (mocha sets Infinity);
 *   --record FILE     write every registration (request inputs and options) to FILE.
 * Usage: node bin/bench/child.js <root> <stack> <config.json> [options]
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { StackConfig } from "../render/stack-config";
import { writeRecording } from "./record";

export interface ChildReport {
  readonly userMs: number;
  readonly systemMs: number;
  readonly maxRssMb: number;
  readonly resources: number;
}

const [root, stack, configFile, ...flags] = process.argv.slice(2);
const flag = (name: string) => flags.includes(name);
const value = (name: string) => (flags.includes(name) ? flags[flags.indexOf(name) + 1] : undefined);

/** Modules resolved the way the runner resolves them: from the SDK's own location. */
const sdkDir = path.dirname(require.resolve("@pulumi/pulumi/package.json", { paths: [root] }));

function registerTsNode(): void {
  // As @pulumi/pulumi/cmd/run/run.js does for a CommonJS project on TypeScript >= 4.7.
  const ts = require(require.resolve("typescript", { paths: [sdkDir] })) as typeof import("typescript");
  const tsconfig = path.join(root, "tsconfig.json");
  const compilerOptions = ts.parseConfigFileTextToJson(tsconfig, fs.readFileSync(tsconfig, "utf8")).config.compilerOptions ?? {};
  const tsNode = require(require.resolve("ts-node", { paths: [sdkDir] })) as typeof import("ts-node");
  tsNode.register({
    compiler: "typescript",
    transpileOnly: true,
    project: tsconfig,
    skipProject: false,
    compilerOptions: { target: "ES2020", module: "nodenext", moduleResolution: "nodenext", sourceMap: "true", ...compilerOptions },
  });
}

async function main(): Promise<void> {
  process.chdir(root);
  const limit = value("--stack-limit");
  if (limit !== undefined) Error.stackTraceLimit = Number(limit);
  if (flag("--source-maps")) require(require.resolve("source-map-support/register", { paths: [sdkDir] }));
  if (flag("--ts-node")) registerTsNode();
  const record = value("--record");

  const { runProgram } = require(path.join(root, "bin", "render", "mock-engine.js")) as typeof import("../render/mock-engine");
  const config = JSON.parse(fs.readFileSync(configFile, "utf8")) as StackConfig;
  const run = await runProgram(stack, config);
  if (run.error) {
    process.stderr.write(`program failed: ${run.error instanceof Error ? run.error.message : String(run.error)}\n`);
    process.exit(2);
  }
  if (record) writeRecording(record, run);
  process.on("exit", () => {
    const usage = process.resourceUsage();
    const report: ChildReport = {
      userMs: usage.userCPUTime / 1000,
      systemMs: usage.systemCPUTime / 1000,
      maxRssMb: usage.maxRSS / 1024,
      resources: run.resources.length,
    };
    fs.writeSync(3, JSON.stringify(report));
  });
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
