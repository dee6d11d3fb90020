/**
 * A real Prometheus for tests: config and TSDB in a fresh temp dir, a free port, scrape
 * jobs for the churn API (with the target labels the dashboards filter on), the
 * synthetic Kubernetes exporter and Prometheus itself. stop() kills it and removes the
 * dir; an exit handler does the same if a test run dies first.
 */
import { execFile, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { stringify } from "yaml";
import { CHURN_API_JOB, TARGET_LABEL } from "../../catalog/metrics";
import { findPrometheusBinaries, PrometheusBinaries } from "./binaries";
import { onExit } from "./cleanup";
import { freePort } from "./ports";

export type Labels = Record<string, string>;

export interface ChurnApiTarget {
  /** host:port of a workload instance. */
  readonly address: string;
  /** Value of the `pod` label (default `churn-api-<index>`). */
  readonly pod?: string;
}

export interface PrometheusTargets {
  /** Churn API instances, one pod each: job="churn-api" plus namespace/environment/pod labels. */
  readonly churnApi: readonly ChurnApiTarget[];
  /**
   * Synthetic Kubernetes exporters (host:port), scraped as job="kubelet" (/metrics/cadvisor)
   * and job="kube-state-metrics" (/metrics/kube-state-metrics) with honor_labels: true.
   */
  readonly kube?: readonly string[];
}

export interface StartPrometheusOptions {
  /** What to scrape; without targets Prometheus scrapes nothing (serving `data` only). */
  readonly targets?: PrometheusTargets;
  /** `namespace` label of the churn API targets (default "churn-api"). */
  readonly namespace?: string;
  /** `environment` label of every target (default "test"). */
  readonly environment?: string;
  /** Scrape and evaluation interval (default 1 s). */
  readonly scrapeIntervalSeconds?: number;
  /** Default: found on PATH / PROMETHEUS_BIN / PROMTOOL_BIN. */
  readonly binaries?: PrometheusBinaries;
  /** How long to wait for /-/ready (default 20 s). */
  readonly readyTimeoutMs?: number;
  /**
   * Fills the empty TSDB folder before Prometheus starts (e.g. with blocks from
   * `promtool tsdb create-blocks-from openmetrics`). Time retention counts back from the
   * newest block, not from today (tsdb BeyondTimeRetention), so old history stays queryable.
   */
  readonly data?: (tsdbDir: string, binaries: PrometheusBinaries) => Promise<void>;
  /**
   * Rule groups (a Prometheus rule file's `groups`) evaluated at the evaluation interval:
   * stand-ins for rules whose results a deployment writes into Prometheus, such as
   * Grafana-managed recording rules (Grafana remote-writes what they record).
   */
  readonly ruleGroups?: readonly object[];
}

export type Sample = [number, string];
export type QueryData =
  | { readonly resultType: "vector"; readonly result: { metric: Labels; value: Sample }[] }
  | { readonly resultType: "matrix"; readonly result: { metric: Labels; values: Sample[] }[] }
  | { readonly resultType: "scalar"; readonly result: Sample }
  | { readonly resultType: "string"; readonly result: Sample };

export interface RangeSeries {
  readonly metric: Labels;
  readonly values: Sample[];
}

export interface ActiveTarget {
  readonly labels: Labels;
  readonly scrapeUrl: string;
  readonly health: "up" | "down" | "unknown";
  readonly lastError: string;
}

export type Time = Date | number;

export interface PrometheusHandle {
  /** Base URL, e.g. http://127.0.0.1:40123 */
  readonly url: string;
  readonly port: number;
  readonly scrapeIntervalSeconds: number;
  /** The generated prometheus.yml (inside the temp dir). */
  readonly configFile: string;
  readonly binaries: PrometheusBinaries;
  /** Instant query (POST /api/v1/query); `time` is a Date or Unix seconds (default now). Throws PrometheusQueryError. */
  query(expr: string, time?: Time): Promise<QueryData>;
  /** Range query (POST /api/v1/query_range). */
  queryRange(expr: string, range: { start: Time; end: Time; stepSeconds: number }): Promise<RangeSeries[]>;
  /** Label sets of the series matching any selector (GET /api/v1/series). */
  series(match: string | readonly string[]): Promise<Labels[]>;
  /** Active scrape targets and their health. */
  targets(): Promise<ActiveTarget[]>;
  /** Prometheus' own log so far (for failure messages). */
  log(): string;
  /** Kills Prometheus and removes the temp dir. Idempotent. */
  stop(): Promise<void>;
}

export class PrometheusQueryError extends Error {
  constructor(
    readonly expr: string,
    readonly errorType: string,
    readonly detail: string,
  ) {
    super(`Prometheus rejected ${JSON.stringify(expr)}: ${errorType}: ${detail}`);
    this.name = "PrometheusQueryError";
  }
}

/** Number of series (vector/matrix) or 1 for a scalar/string result. */
export function seriesCount(data: QueryData): number {
  return data.resultType === "vector" || data.resultType === "matrix" ? data.result.length : 1;
}

/** The vector of an instant query, or an error for any other result type. */
export function asVector(data: QueryData): { metric: Labels; value: Sample }[] {
  if (data.resultType !== "vector") throw new Error(`expected a vector result, got ${data.resultType}`);
  return data.result;
}

const seconds = (t: Time): string => String(t instanceof Date ? t.getTime() / 1000 : t);

/** The prometheus.yml for the given targets (an object; written as YAML). */
export function prometheusConfig(
  options: StartPrometheusOptions & { readonly selfAddress: string; readonly ruleFile?: string },
): Record<string, unknown> {
  const interval = `${options.scrapeIntervalSeconds ?? 1}s`;
  const environment = options.environment ?? "test";
  const namespace = options.namespace ?? "churn-api";
  const kube = options.targets?.kube ?? [];
  const kubeJob = (job: string, metricsPath: string) => ({
    job_name: job,
    honor_labels: true,
    metrics_path: metricsPath,
    static_configs: [{ targets: [...kube], labels: { [TARGET_LABEL.environment]: environment } }],
  });
  return {
    global: { scrape_interval: interval, scrape_timeout: interval, evaluation_interval: interval },
    ...(options.ruleFile ? { rule_files: [options.ruleFile] } : {}),
    scrape_configs: !options.targets ? [] : [
      {
        job_name: CHURN_API_JOB,
        static_configs: options.targets.churnApi.map((t, i) => ({
          targets: [t.address],
          labels: {
            [TARGET_LABEL.namespace]: namespace,
            [TARGET_LABEL.environment]: environment,
            [TARGET_LABEL.pod]: t.pod ?? `churn-api-${i}`,
          },
        })),
      },
      ...(kube.length ? [kubeJob("kubelet", "/metrics/cadvisor"), kubeJob("kube-state-metrics", "/metrics/kube-state-metrics")] : []),
      { job_name: "prometheus", static_configs: [{ targets: [options.selfAddress] }] },
    ],
  };
}

/** Calls the HTTP API (POST form, so long queries fit; `get` for GET-only endpoints). */
async function api<T>(
  url: string,
  endpoint: string,
  params: Record<string, string | readonly string[]>,
  get = false,
): Promise<T> {
  const form = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) for (const x of typeof v === "string" ? [v] : v) form.append(k, x);
  const res = await fetch(get ? `${url}${endpoint}?${form}` : `${url}${endpoint}`, {
    method: get ? "GET" : "POST",
    body: get ? undefined : form,
    signal: AbortSignal.timeout(15_000),
  });
  const text = await res.text();
  let json: { status: string; data?: T; errorType?: string; error?: string };
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`${endpoint}: HTTP ${res.status}: ${text.slice(0, 500)}`);
  }
  if (json.status !== "success") {
    throw new PrometheusQueryError(String(params.query ?? params["match[]"] ?? endpoint), json.errorType ?? String(res.status), json.error ?? "");
  }
  return json.data as T;
}

export async function startPrometheus(options: StartPrometheusOptions): Promise<PrometheusHandle> {
  const binaries = options.binaries ?? findPrometheusBinaries().binaries;
  if (!binaries) throw new Error(findPrometheusBinaries().problem);
  const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), "churn-prometheus-"));
  let child: ReturnType<typeof spawn> | undefined;
  const logFile = path.join(dir, "prometheus.log");
  let lastLog = "";
  const readLog = () => {
    try {
      lastLog = fs.readFileSync(logFile, "utf8");
    } catch {
      // Dir already removed: keep the last copy.
    }
    return lastLog;
  };
  const removeDir = () => fs.rmSync(dir, { recursive: true, force: true });
  const unregister = onExit(() => {
    child?.kill("SIGKILL");
    removeDir();
  });

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      const c = child;
      if (c && c.exitCode === null && c.signalCode === null) {
        const exited = new Promise<void>((resolve) => c.once("exit", () => resolve()));
        c.kill("SIGTERM");
        const timer = setTimeout(() => c.kill("SIGKILL"), 5_000);
        await exited;
        clearTimeout(timer);
      }
      readLog();
      removeDir();
      unregister();
    })());

  try {
    const port = await freePort();
    const selfAddress = `127.0.0.1:${port}`;
    const configFile = path.join(dir, "prometheus.yml");
    const ruleFile = options.ruleGroups?.length ? path.join(dir, "rules.yml") : undefined;
    if (ruleFile) await fs.promises.writeFile(ruleFile, stringify({ groups: options.ruleGroups }));
    // promtool check config checks the rule file too.
    await fs.promises.writeFile(configFile, stringify(prometheusConfig({ ...options, selfAddress, ruleFile })));
    await promisify(execFile)(binaries.promtool, ["check", "config", configFile]).catch((err: { stderr?: string; stdout?: string }) => {
      throw new Error(`promtool check config failed:\n${err.stdout ?? ""}${err.stderr ?? ""}`);
    });
    const tsdbDir = path.join(dir, "data");
    await options.data?.(tsdbDir, binaries);
    const logFd = fs.openSync(logFile, "a");
    child = spawn(
      binaries.prometheus,
      [
        `--config.file=${configFile}`,
        `--storage.tsdb.path=${tsdbDir}`,
        `--web.listen-address=${selfAddress}`,
        "--web.enable-lifecycle",
      ],
      { stdio: ["ignore", logFd, logFd] },
    );
    fs.closeSync(logFd);
    // Do not keep the test process alive for Prometheus' sake: the exit handler kills it.
    child.unref();
    const url = `http://${selfAddress}`;
    await waitReady(url, child, options.readyTimeoutMs ?? 20_000, readLog);
    return {
      url,
      port,
      scrapeIntervalSeconds: options.scrapeIntervalSeconds ?? 1,
      configFile,
      binaries,
      query: (expr, time) => api<QueryData>(url, "/api/v1/query", time === undefined ? { query: expr } : { query: expr, time: seconds(time) }),
      queryRange: async (expr, r) => {
        const data = await api<QueryData>(url, "/api/v1/query_range", {
          query: expr,
          start: seconds(r.start),
          end: seconds(r.end),
          step: String(r.stepSeconds),
        });
        // The API answers { resultType: "matrix", result: [...] }.
        if (data.resultType !== "matrix") throw new Error(`range query returned a ${data.resultType}: ${expr}`);
        return data.result;
      },
      series: (match) => api<Labels[]>(url, "/api/v1/series", { "match[]": typeof match === "string" ? [match] : match }),
      targets: async () => (await api<{ activeTargets: ActiveTarget[] }>(url, "/api/v1/targets", { state: "active" }, true)).activeTargets,
      log: readLog,
      stop,
    };
  } catch (err) {
    const log = readLog();
    await stop();
    if (err instanceof Error && log) err.message += `\n--- prometheus log ---\n${log.slice(-4000)}`;
    throw err;
  }
}

async function waitReady(url: string, child: ReturnType<typeof spawn>, timeoutMs: number, log: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`prometheus exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${log().slice(-4000)}`);
    }
    try {
      const res = await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(1_000) });
      if (res.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`prometheus not ready at ${url} after ${timeoutMs} ms`);
}
