/**
 * Everything a "does this query return data?" test needs, in one call: workload
 * instances (two pods, two model versions), the synthetic Kubernetes exporter and a real
 * Prometheus scraping them every second; every load scenario driven; and a wait until
 * every catalog series and every scenario's evidence is queryable.
 *
 *   describe("dashboards return data", function () {
 *     const stack = withLoadedPrometheus();
 *     it("...", async () => { const data = await stack().prometheus.query(expr); ... });
 *   });
 */
import {
  ALL_METRICS,
  CHURN_API,
  CHURN_API_JOB,
  histogramSeries,
  LABEL,
  MetricSpec,
  TARGET_LABEL,
} from "../../../catalog/metrics";
import { InterpolationContext, VariableValue } from "../../../lib/grafana-interpolate";
import { KubeExporter, startKubeExporter } from "../../../workload/kube-metrics";
import {
  BackgroundLoad,
  DEGRADED_FAULTS,
  driveScenarios,
  LoadReport,
  Scenario,
  SCENARIOS,
  startBackgroundLoad,
} from "../../../workload/load";
import { startWorkload, Workload } from "../../../workload/server";
import { requirePrometheus } from "./binaries";
import { PrometheusHandle, startPrometheus } from "../../../lib/prometheus";
import { waitForSeries } from "../../../lib/prometheus";

export interface LoadedStackOptions {
  /** Workload instances, i.e. pods churn-api-0..n-1 (default 2). */
  readonly instances?: number;
  /** `namespace` target label (default "churn-api"). */
  readonly namespace?: string;
  /** `environment` target label (default "test"). */
  readonly environment?: string;
  /** Stable model version (default "v1"). */
  readonly modelVersion?: string;
  /** Canary model version (default "v2"). */
  readonly canaryVersion?: string;
  /** Share of requests the canary serves (default 0.3). */
  readonly canaryShare?: number;
  /** Scenarios driven before the wait (default: all of them, drift last). */
  readonly scenarios?: readonly Scenario[];
  /**
   * Traffic kept running until stop():
   * - "degraded" (default): normal traffic with DEGRADED_FAULTS on the servers, so error,
   *   latency, low-confidence and drift signals stay above the alert thresholds;
   * - "normal": healthy traffic; "none": nothing (rates fall to 0).
   */
  readonly background?: "degraded" | "normal" | "none";
  /** Requests per second per instance of the background traffic (default 20). */
  readonly backgroundRps?: number;
  /** Budget for the wait for series (default 30 s). */
  readonly timeoutMs?: number;
  /** Seed of the load generator (default 1: reproducible runs). */
  readonly seed?: number;
  /** Rule groups Prometheus evaluates every scrape interval (lib/prometheus: ruleGroups). */
  readonly ruleGroups?: readonly object[];
}

export interface LoadedStack {
  readonly prometheus: PrometheusHandle;
  readonly workloads: readonly Workload[];
  readonly kube: KubeExporter;
  /** Target label values the series carry. */
  readonly labels: {
    readonly job: string;
    readonly namespace: string;
    readonly environment: string;
    readonly pods: readonly string[];
    readonly modelVersions: readonly string[];
  };
  /** What the scenarios sent and got back. */
  readonly reports: readonly LoadReport[];
  /** When the stack was started (for range queries). */
  readonly startedAt: Date;
  /**
   * Context for lib/grafana-interpolate's interpolate(): scrape interval 1 s,
   * $__interval = scrape interval, $__range = 5 m unless overridden.
   */
  interpolationContext(
    variables?: Readonly<Record<string, VariableValue>>,
    overrides?: Partial<Omit<InterpolationContext, "variables">>,
  ): InterpolationContext;
  /** Stops traffic, Prometheus, exporters and workloads. Idempotent. */
  stop(): Promise<void>;
}

/** Series names a catalog metric exposes (histograms: _bucket, _sum, _count). */
export function exposedNames(spec: MetricSpec): string[] {
  if (spec.kind !== "histogram") return [spec.name];
  const h = histogramSeries(spec as MetricSpec & { kind: "histogram" });
  return [h.bucket, h.sum, h.count];
}

/**
 * One PromQL expression per scenario that returns a series only once the scenario's
 * effect has been scraped. `selector` narrows to the stack's series, e.g.
 * `namespace="churn-api"` (no braces).
 */
export function scenarioEvidence(selector: string): Record<Scenario | "canary" | "notFound", string> {
  const s = (extra = "") => `{${[selector, extra].filter(Boolean).join(", ")}}`;
  const requests = CHURN_API.httpRequests.name;
  const latency = histogramSeries(CHURN_API.httpRequestDuration);
  return {
    normal: `${requests}${s(`${LABEL.status}="200"`)} > 0`,
    notFound: `${requests}${s(`${LABEL.status}="404"`)} > 0`,
    "missing-features": `${CHURN_API.missingFeatures.name}${s()} > 0`,
    errors: `${requests}${s(`${LABEL.status}=~"5.."`)} > 0`,
    // Requests slower than 1 s: the count minus the le="1" bucket.
    slow: `(${latency.count}${s()} - ignoring(le) ${latency.bucket}${s('le="1"')}) > 0`,
    "low-confidence": `${CHURN_API.lowConfidencePredictions.name}${s()} > 0`,
    drift: `${CHURN_API.dataDriftScore.name}${s()} > 0.3`,
    canary: `count(sum by (${LABEL.modelVersion}) (${CHURN_API.predictions.name}${s()}) > 0) >= 2`,
  };
}

export async function startLoadedStack(options: LoadedStackOptions = {}): Promise<LoadedStack> {
  const startedAt = new Date();
  const n = options.instances ?? 2;
  const namespace = options.namespace ?? "churn-api";
  const environment = options.environment ?? "test";
  const pods = Array.from({ length: n }, (_, i) => `churn-api-${i}`);
  const modelVersion = options.modelVersion ?? "v1";
  const canaryVersion = options.canaryVersion ?? "v2";

  const workloads: Workload[] = [];
  let kube: KubeExporter | undefined;
  let prometheus: PrometheusHandle | undefined;
  let background: BackgroundLoad | undefined;
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      await background?.stop();
      await Promise.all([prometheus?.stop(), kube?.close(), ...workloads.map((w) => w.close())]);
    })());

  try {
    await Promise.all(
      pods.map(async () =>
        workloads.push(await startWorkload({ modelVersion, canaryVersion, canaryShare: options.canaryShare ?? 0.3 })),
      ),
    );
    kube = await startKubeExporter({ namespace, pods });
    prometheus = await startPrometheus({
      targets: { churnApi: workloads.map((w, i) => ({ address: w.address, pod: pods[i] })), kube: [kube.address] },
      namespace,
      environment,
      ruleGroups: options.ruleGroups,
    });
    const urls = workloads.map((w) => w.url);
    const scenarios = options.scenarios ?? SCENARIOS;
    const reports = await driveScenarios(urls, scenarios, { seed: options.seed ?? 1 });
    const mode = options.background ?? "degraded";
    if (mode !== "none") {
      background = startBackgroundLoad(urls, {
        scenario: "normal",
        rps: options.backgroundRps ?? 20,
        concurrency: 8,
        faults: mode === "degraded" ? DEGRADED_FAULTS : undefined,
        seed: (options.seed ?? 1) + 1000,
      });
    }

    const everyPod = (expr: string) => `count(count by (${TARGET_LABEL.pod}) (${expr})) >= ${n}`;
    const sel = `${TARGET_LABEL.namespace}="${namespace}", ${TARGET_LABEL.environment}="${environment}"`;
    const evidence = scenarioEvidence(sel);
    // The shortest window Grafana's $__rate_interval gives: 4 scrape intervals.
    const rateWindow = `${4 * prometheus.scrapeIntervalSeconds}s`;
    const wanted = [
      `count(up{${TARGET_LABEL.job}="${CHURN_API_JOB}", ${sel}} == 1) == ${n}`,
      `count(up{${TARGET_LABEL.job}=~"kubelet|kube-state-metrics"} == 1) == 2`,
      // Every series name for every pod ...
      ...ALL_METRICS.flatMap(exposedNames).map((name) => everyPod(`${name}{${sel}}`)),
      // ... with two samples in the shortest rate window, so rate()/increase() answer too.
      ...ALL_METRICS.filter((m) => m.kind !== "gauge").map((m) => everyPod(`rate(${exposedNames(m)[0]}{${sel}}[${rateWindow}])`)),
      ...scenarios.map((s) => evidence[s]),
      ...(scenarios.includes("errors") ? [evidence.notFound] : []),
      evidence.canary,
    ];
    await waitForSeries(prometheus, wanted, { timeoutMs: options.timeoutMs ?? 30_000 });

    const prom = prometheus;
    const kubeExporter = kube;
    return {
      prometheus: prom,
      workloads,
      kube: kubeExporter,
      labels: { job: CHURN_API_JOB, namespace, environment, pods, modelVersions: [modelVersion, canaryVersion] },
      reports,
      startedAt,
      interpolationContext: (variables = {}, overrides = {}) => ({
        variables,
        intervalMs: prom.scrapeIntervalSeconds * 1000,
        rangeMs: 5 * 60_000,
        scrapeIntervalSeconds: prom.scrapeIntervalSeconds,
        ...overrides,
      }),
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/**
 * Mocha helper: call inside a `describe`. Registers a `before` hook that skips (or, with
 * REQUIRE_PROMETHEUS=1, fails) without Prometheus and otherwise starts a loaded stack,
 * and an `after` hook that stops it whatever happened. Returns a getter for the stack.
 */
export function withLoadedPrometheus(options: LoadedStackOptions = {}): () => LoadedStack {
  let stack: LoadedStack | undefined;
  let starting: Promise<LoadedStack> | undefined;
  before(async function () {
    this.timeout((options.timeoutMs ?? 30_000) + 30_000);
    requirePrometheus(this);
    starting = startLoadedStack(options);
    stack = await starting;
  });
  after(async function () {
    this.timeout(15_000);
    // Also covers a `before` that timed out while the stack was still starting.
    await starting?.then(
      (s) => s.stop(),
      () => undefined,
    );
  });
  return () => {
    if (!stack) throw new Error("withLoadedPrometheus(): the stack is not running (use it inside tests, after `before`)");
    return stack;
  };
}
