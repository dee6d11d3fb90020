/**
 * Load driver for the churn API: named scenarios of realistic traffic, run against one
 * or more base URLs, as a library (runScenario, driveScenarios, startBackgroundLoad)
 * or from the command line:
 *
 *   node bin/workload/load.js --url http://127.0.0.1:8080 --scenario all
 *   node bin/workload/load.js --url http://127.0.0.1:8080 --scenario errors --duration 2m --rps 5
 *
 * Scenarios that need the server's help (errors, slow, low-confidence) set its faults
 * through POST /admin/faults for their duration and restore the previous faults after.
 * Do not run two such scenarios against the same server at the same time.
 */
import { setMaxListeners } from "node:events";
import { setTimeout as sleep } from "node:timers/promises";
import { parseArgs } from "node:util";
import { CustomerInput, DRIFTED_POPULATION, FEATURE_NAMES, Population, sampleCustomer, toInput } from "./features";
import { Faults } from "./faults";
import { createRng, pickWeighted, randomInt, Rng } from "./random";

/** One kind of request the driver can send. */
export type RequestKind =
  | "predict"
  | "batch"
  | "health"
  | "notFound"
  | "badRequest"
  | "wrongMethod"
  | "missingFeatures"
  | "driftedBatch";

interface ScenarioDef {
  readonly description: string;
  readonly mix: Partial<Record<RequestKind, number>>;
  readonly faults?: Partial<Faults>;
  /** Requests per target when neither a count nor a duration is given. */
  readonly requests: number;
  readonly concurrency: number;
}

const SCENARIO_DEFS = {
  normal: {
    description: "healthy traffic: single and batch predictions, health checks, a few client errors (404, 400, 405)",
    mix: { predict: 70, batch: 12, health: 8, notFound: 3, badRequest: 2, wrongMethod: 1, missingFeatures: 2 },
    requests: 60,
    concurrency: 8,
  },
  "missing-features": {
    description: "clients that omit (or send null for) one to three features",
    mix: { missingFeatures: 1 },
    requests: 30,
    concurrency: 8,
  },
  errors: {
    description: "half of the prediction requests fail with an injected 500; some malformed requests (400)",
    mix: { predict: 80, batch: 10, badRequest: 10 },
    faults: { errorRate: 0.5 },
    requests: 40,
    concurrency: 8,
  },
  slow: {
    description: "a slow model: every prediction takes 1.2 s longer",
    mix: { predict: 90, batch: 10 },
    faults: { extraLatencyMs: 1200, slowShare: 1 },
    requests: 16,
    concurrency: 16,
  },
  "low-confidence": {
    description: "a degraded model: every prediction's confidence collapses towards 0.5",
    mix: { predict: 80, batch: 20 },
    faults: { lowConfidence: 1 },
    requests: 40,
    concurrency: 8,
  },
  drift: {
    description: "a new customer population (short tenure, high charges, month-to-month): batches that fill the drift window",
    mix: { driftedBatch: 1 },
    requests: 12,
    concurrency: 4,
  },
} as const satisfies Record<string, ScenarioDef>;

export type Scenario = keyof typeof SCENARIO_DEFS;

/** A request kind drawn from a scenario's traffic mix. */
export function pickRequestKind(scenario: Scenario, rng: Rng): RequestKind {
  const mix: Partial<Record<RequestKind, number>> = SCENARIO_DEFS[scenario].mix;
  const kinds = Object.keys(mix) as RequestKind[];
  return kinds[pickWeighted(rng, kinds.map((k) => mix[k] ?? 0))];
}
/** Every scenario, drift last so the drift window ends full of drifted inputs. */
export const SCENARIOS = Object.keys(SCENARIO_DEFS) as Scenario[];

/**
 * Faults of a service that is unwell in every way at once: a few 5xx, a slow tail
 * (p95 above 0.5 s), many low-confidence predictions and corrupted inputs (drift).
 */
export const DEGRADED_FAULTS: Faults = { errorRate: 0.05, extraLatencyMs: 800, slowShare: 0.1, lowConfidence: 0.3, drift: 0.6 };

export interface LoadOptions {
  /** Requests per target (default: the scenario's own count). */
  readonly requests?: number;
  /** Run for this long instead of a count (Infinity: until `signal` aborts). */
  readonly durationMs?: number;
  /** Requests per second per target (default: as fast as `concurrency` allows). */
  readonly rps?: number;
  /** Requests in flight per target (default: the scenario's own). */
  readonly concurrency?: number;
  /** Seed of the customer generator (default: time-based). */
  readonly seed?: number;
  /** Faults to set instead of the scenario's own. */
  readonly faults?: Partial<Faults>;
  /** Leave the faults in place afterwards (default: restore the previous ones). */
  readonly keepFaults?: boolean;
  readonly signal?: AbortSignal;
}

export interface LoadReport {
  readonly url: string;
  readonly scenario: Scenario;
  readonly requests: number;
  /** Customers scored or attempted (batch requests carry several). */
  readonly instances: number;
  /** Responses by status code. */
  readonly byStatus: Record<string, number>;
  /** Requests that got no response (connection refused, timeout). */
  readonly networkErrors: number;
  readonly durationMs: number;
}

/** A request as the driver sends it. */
export interface Req {
  readonly method: string;
  readonly path: string;
  readonly body?: string;
  readonly instances: number;
}

function withMissing(rng: Rng, input: CustomerInput): CustomerInput {
  const out: Record<string, unknown> = { ...input };
  const n = randomInt(rng, 1, 4);
  for (let k = 0; k < n; k++) {
    const name = FEATURE_NAMES[randomInt(rng, 0, FEATURE_NAMES.length)];
    if (rng() < 0.3) out[name] = null;
    else delete out[name];
  }
  return out as CustomerInput;
}

/**
 * One request of a kind; `population` shifts the customers of plain and batch predictions
 * (drifted batches always use DRIFTED_POPULATION).
 */
export function buildRequest(kind: RequestKind, rng: Rng, population: Population = {}): Req {
  const customer = () => toInput(sampleCustomer(rng, population));
  const json = (path: string, body: unknown, instances: number): Req => ({
    method: "POST",
    path,
    body: JSON.stringify(body),
    instances,
  });
  switch (kind) {
    case "predict":
      return json("/predict", customer(), 1);
    case "batch": {
      const n = randomInt(rng, 5, 21);
      return json("/predict/batch", { instances: Array.from({ length: n }, customer) }, n);
    }
    case "missingFeatures":
      return json("/predict", withMissing(rng, customer()), 1);
    case "driftedBatch": {
      const n = 50;
      const instances = Array.from({ length: n }, () => toInput(sampleCustomer(rng, DRIFTED_POPULATION)));
      return json("/predict/batch", { instances }, n);
    }
    case "health":
      return { method: "GET", path: "/health", instances: 0 };
    case "notFound":
      // A client still on the old URL scheme.
      return { method: "POST", path: "/v1/predict", body: JSON.stringify(customer()), instances: 0 };
    case "badRequest":
      return { method: "POST", path: "/predict", body: '{"tenure": 12, "contract": ', instances: 0 };
    case "wrongMethod":
      return { method: "GET", path: "/predict", instances: 0 };
  }
}

/** Sends one request (never aborted early: stopping waits for requests in flight). */
async function send(url: string, req: Req): Promise<number | undefined> {
  try {
    const res = await fetch(url + req.path, {
      method: req.method,
      body: req.body,
      headers: req.body ? { "content-type": "application/json" } : undefined,
      signal: AbortSignal.timeout(30_000),
    });
    await res.arrayBuffer();
    return res.status;
  } catch {
    return undefined;
  }
}

/** Reads or changes a server's faults (POST merges; `null` resets). */
export async function serverFaults(url: string, patch?: Partial<Faults> | null): Promise<Faults> {
  const init: RequestInit =
    patch === undefined
      ? { method: "GET" }
      : patch === null
        ? { method: "DELETE" }
        : { method: "POST", body: JSON.stringify(patch), headers: { "content-type": "application/json" } };
  const res = await fetch(`${url}/admin/faults`, init);
  const body = (await res.json()) as Faults & { error?: string };
  if (!res.ok) throw new Error(`${url}/admin/faults: ${res.status} ${body.error ?? ""}`);
  return body;
}

/** Runs one scenario against one base URL and reports what came back. */
export async function runScenario(url: string, scenario: Scenario, options: LoadOptions = {}): Promise<LoadReport> {
  const def: ScenarioDef = SCENARIO_DEFS[scenario];
  if (!def) throw new Error(`unknown scenario ${scenario}; known: ${SCENARIOS.join(", ")}`);
  const base = url.replace(/\/+$/, "");
  const rng = createRng(options.seed);
  const kinds = Object.keys(def.mix) as RequestKind[];
  const weights = kinds.map((k) => def.mix[k] ?? 0);
  const faults = options.faults ?? def.faults;
  const previous = faults ? await serverFaults(base) : undefined;
  if (faults) await serverFaults(base, faults);

  const count = options.durationMs === undefined ? (options.requests ?? def.requests) : options.requests;
  const deadline = options.durationMs === undefined ? Infinity : Date.now() + options.durationMs;
  const byStatus: Record<string, number> = {};
  let requests = 0;
  let instances = 0;
  let networkErrors = 0;
  let next = 0;
  const start = Date.now();
  const signal = options.signal;

  const worker = async (): Promise<void> => {
    for (;;) {
      const i = next++;
      if (signal?.aborted || (count !== undefined && i >= count)) return;
      if (options.rps) {
        const wait = start + (i * 1000) / options.rps - Date.now();
        if (wait > 0) await sleep(wait, undefined, { signal }).catch(() => undefined);
      }
      if (signal?.aborted || Date.now() >= deadline) return;
      // Every kind of the mix once first, so even a short run covers them all.
      const kind = i < kinds.length ? kinds[i] : kinds[pickWeighted(rng, weights)];
      const req = buildRequest(kind, rng);
      const status = await send(base, req);
      requests++;
      instances += req.instances;
      if (status === undefined) networkErrors++;
      else byStatus[status] = (byStatus[status] ?? 0) + 1;
    }
  };
  try {
    await Promise.all(Array.from({ length: options.concurrency ?? def.concurrency }, worker));
  } finally {
    if (previous && !options.keepFaults) await serverFaults(base, previous).catch(() => undefined);
  }
  return { url: base, scenario, requests, instances, byStatus, networkErrors, durationMs: Date.now() - start };
}

/** Runs scenarios one after the other, each against every URL at once. */
export async function driveScenarios(
  urls: readonly string[],
  scenarios: readonly Scenario[] = SCENARIOS,
  options: LoadOptions = {},
): Promise<LoadReport[]> {
  const reports: LoadReport[] = [];
  for (const scenario of scenarios) {
    reports.push(...(await Promise.all(urls.map((u, i) => runScenario(u, scenario, { ...options, seed: seedFor(options, i) })))));
  }
  return reports;
}

function seedFor(options: LoadOptions, i: number): number | undefined {
  return options.seed === undefined ? undefined : options.seed + i;
}

export interface BackgroundLoad {
  /** Stops sending, waits for requests in flight, restores faults and reports. */
  stop(): Promise<LoadReport[]>;
}

/** Keeps a scenario running against every URL until stop() (default: normal traffic, 10 rps each). */
export function startBackgroundLoad(
  urls: readonly string[],
  options: LoadOptions & { readonly scenario?: Scenario } = {},
): BackgroundLoad {
  const controller = new AbortController();
  // Every sleeping worker listens on the one signal.
  setMaxListeners(Infinity, controller.signal);
  const runs = urls.map((u, i) =>
    runScenario(u, options.scenario ?? "normal", {
      rps: 10,
      concurrency: 4,
      ...options,
      seed: seedFor(options, i),
      durationMs: options.durationMs ?? Infinity,
      signal: controller.signal,
    }),
  );
  return {
    stop: async () => {
      controller.abort();
      return Promise.all(runs);
    },
  };
}

/** "90" (seconds), "1500ms", "30s", "5m", "1h" -> milliseconds. */
export function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!m) throw new Error(`not a duration: ${text} (examples: 30s, 5m, 1500ms)`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] ?? "s"] ?? 1000;
  return Number(m[1]) * unit;
}

const USAGE = `usage: node bin/workload/load.js --url URL [--url URL ...] [--scenario NAME[,NAME...]|all]
       [--requests N | --duration 30s] [--rps N] [--concurrency N] [--keep-faults] [--loop] [--seed N]
scenarios:
${SCENARIOS.map((s) => `  ${s.padEnd(18)} ${SCENARIO_DEFS[s].description}`).join("\n")}`;

export async function main(argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      url: { type: "string", multiple: true },
      scenario: { type: "string", default: "normal" },
      requests: { type: "string" },
      duration: { type: "string" },
      rps: { type: "string" },
      concurrency: { type: "string" },
      seed: { type: "string" },
      "keep-faults": { type: "boolean", default: false },
      loop: { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
  });
  const urls = values.url ?? (process.env.CHURN_API_URL ? [process.env.CHURN_API_URL] : []);
  if (values.help || urls.length === 0) {
    console.log(USAGE);
    if (!values.help) process.exitCode = 2;
    return;
  }
  const names = values.scenario === "all" ? SCENARIOS : (values.scenario.split(",") as Scenario[]);
  const unknown = names.filter((n) => !SCENARIOS.includes(n));
  if (unknown.length) throw new Error(`unknown scenario(s) ${unknown.join(", ")}\n${USAGE}`);
  const controller = new AbortController();
  setMaxListeners(Infinity, controller.signal);
  process.once("SIGINT", () => controller.abort());
  process.once("SIGTERM", () => controller.abort());
  const num = (v?: string) => (v === undefined ? undefined : Number(v));
  const options: LoadOptions = {
    requests: num(values.requests),
    durationMs: values.duration === undefined ? undefined : parseDuration(values.duration),
    rps: num(values.rps),
    concurrency: num(values.concurrency),
    seed: num(values.seed),
    keepFaults: values["keep-faults"],
    signal: controller.signal,
  };
  do {
    for (const report of await driveScenarios(urls, names, options)) console.log(JSON.stringify(report));
  } while (values.loop && !controller.signal.aborted);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  });
}
