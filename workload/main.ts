/**
 * Runnable entry of the reference workload:
 *
 *   node bin/workload/main.js --port 8080 --model-version v1 --canary-version v2 --canary-share 0.2 \
 *     [--kube-port 9101 --pods churn-api-0] [--load normal --load-rps 5] [--error-rate 0.1 ...]
 *
 * Every flag also reads an environment variable (shown in --help), so a container can be
 * configured with env alone. See docs/workload.md.
 */
import { parseArgs } from "node:util";
import { Faults } from "./faults";
import { startKubeExporter } from "./kube-metrics";
import { BackgroundLoad, SCENARIOS, Scenario, startBackgroundLoad } from "./load";
import { startWorkload } from "./server";

interface Flag {
  readonly env: string;
  readonly help: string;
  readonly default?: string;
}

const FLAGS = {
  port: { env: "PORT", default: "8080", help: "port of the churn API" },
  host: { env: "HOST", default: "127.0.0.1", help: "address to bind (0.0.0.0 in a container)" },
  "model-version": { env: "MODEL_VERSION", default: "v1", help: "version name of the stable model" },
  "canary-version": { env: "CANARY_MODEL_VERSION", help: "version name of a canary model (default: none)" },
  "canary-share": { env: "CANARY_SHARE", default: "0.2", help: "share of requests the canary serves (0-1)" },
  "low-confidence-threshold": { env: "LOW_CONFIDENCE_THRESHOLD", default: "0.6", help: "confidence cut-off" },
  "error-rate": { env: "FAULT_ERROR_RATE", help: "share of prediction requests failing with 500 (0-1)" },
  "extra-latency-ms": { env: "FAULT_EXTRA_LATENCY_MS", help: "extra inference latency (ms)" },
  "slow-share": { env: "FAULT_SLOW_SHARE", help: "share of requests getting the extra latency (0-1)" },
  "low-confidence": { env: "FAULT_LOW_CONFIDENCE", help: "share of predictions with collapsed confidence (0-1)" },
  drift: { env: "FAULT_DRIFT", help: "share of inputs corrupted upstream (0-1)" },
  "kube-port": { env: "KUBE_METRICS_PORT", help: "also serve synthetic cAdvisor/kube-state-metrics series here" },
  namespace: { env: "POD_NAMESPACE", default: "churn-api", help: "namespace of the synthetic pod series" },
  pods: { env: "POD_NAMES", default: "churn-api-0", help: "comma-separated pod names of the synthetic series" },
  load: { env: "LOAD_SCENARIO", help: `send background traffic to itself: ${SCENARIOS.join("|")}` },
  "load-rps": { env: "LOAD_RPS", default: "5", help: "requests per second of the background traffic" },
} as const satisfies Record<string, Flag>;

type FlagName = keyof typeof FLAGS;

function usage(): string {
  const lines = Object.entries(FLAGS).map(([name, f]: [string, Flag]) => {
    const def = f.default === undefined ? "" : ` (default ${f.default})`;
    return `  --${name.padEnd(26)} $${f.env.padEnd(26)} ${f.help}${def}`;
  });
  return `usage: node bin/workload/main.js [flags]\n${lines.join("\n")}`;
}

function readFlags(argv: readonly string[]): Partial<Record<FlagName, string>> & { help: boolean } {
  const options = Object.fromEntries(Object.keys(FLAGS).map((k) => [k, { type: "string" as const }]));
  const { values } = parseArgs({ args: [...argv], options: { ...options, help: { type: "boolean" } } });
  const out: Partial<Record<FlagName, string>> = {};
  for (const [name, f] of Object.entries(FLAGS) as [FlagName, Flag][]) {
    const v = (values as Record<string, string | undefined>)[name] ?? process.env[f.env] ?? f.default;
    if (v !== undefined && v !== "") out[name] = v;
  }
  return { ...out, help: Boolean(values.help) };
}

function num(name: FlagName, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n)) throw new Error(`--${name} must be a number, got ${value}`);
  return n;
}

export async function main(argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  const f = readFlags(argv);
  if (f.help) {
    console.log(usage());
    return;
  }
  const faults: { -readonly [K in keyof Faults]?: number } = {};
  const faultFlags: [keyof Faults, FlagName][] = [
    ["errorRate", "error-rate"],
    ["extraLatencyMs", "extra-latency-ms"],
    ["slowShare", "slow-share"],
    ["lowConfidence", "low-confidence"],
    ["drift", "drift"],
  ];
  for (const [key, flag] of faultFlags) {
    const v = num(flag, f[flag]);
    if (v !== undefined) faults[key] = v;
  }
  const workload = await startWorkload({
    port: num("port", f.port),
    host: f.host,
    modelVersion: f["model-version"],
    canaryVersion: f["canary-version"],
    canaryShare: num("canary-share", f["canary-share"]),
    lowConfidenceThreshold: num("low-confidence-threshold", f["low-confidence-threshold"]),
    faults,
  });
  const versions = workload.service.models.map((m) => m.version).join(", ");
  console.log(`churn-api listening on ${workload.url} (models: ${versions}); metrics at ${workload.url}/metrics`);

  const kube = f["kube-port"]
    ? await startKubeExporter({
        port: num("kube-port", f["kube-port"]),
        host: f.host,
        namespace: f.namespace,
        pods: (f.pods ?? "").split(",").filter(Boolean),
      })
    : undefined;
  if (kube) console.log(`synthetic kube metrics on ${kube.url}/metrics/cadvisor and ${kube.url}/metrics/kube-state-metrics`);

  let load: BackgroundLoad | undefined;
  if (f.load) {
    if (!SCENARIOS.includes(f.load as Scenario)) throw new Error(`--load must be one of ${SCENARIOS.join(", ")}`);
    load = startBackgroundLoad([workload.url], { scenario: f.load as Scenario, rps: num("load-rps", f["load-rps"]) });
    console.log(`background load: ${f.load} at ${f["load-rps"]} rps`);
  }

  const shutdown = async (signal: string) => {
    console.log(`${signal}: shutting down`);
    await load?.stop();
    await Promise.all([workload.close(), kube?.close()]);
    // Idle keep-alive sockets of the background load's HTTP client would delay the exit.
    process.exit(0);
  };
  process.once("SIGINT", () => void shutdown("SIGINT"));
  process.once("SIGTERM", () => void shutdown("SIGTERM"));
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  });
}
