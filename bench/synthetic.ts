/**
 * Synthetic drop-in content for the benchmark: N dashboards exported "for sharing
 * externally" (dashboards/<folder>/*.json) and their alert rules
 * (alerts/rules/<folder>/*.yaml), written into a workspace copy, never into the project.
 * Every dashboard has its own queries (its own job), so no cache makes the size free.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { CHURN_API, KUBERNETES, LABEL, TARGET_LABEL } from "../catalog/metrics";

export interface SyntheticOptions {
  readonly dashboards: number;
  /** Dashboards per Grafana folder (one rule group per folder). */
  readonly perFolder: number;
}

const DS = { type: "prometheus", uid: "${DS_PROMETHEUS}" };
const pad = (n: number) => String(n).padStart(4, "0");
export const folderUid = (i: number, perFolder: number) => `bench-team-${pad(Math.floor(i / perFolder))}`;
const dashboardUid = (i: number) => `bench-svc-${pad(i)}`;
const alertPrefix = (i: number) => `BenchSvc${pad(i)}`;

/** PromQL of one service: its own job, the dashboard's namespace variable. */
function queries(i: number) {
  const sel = `${TARGET_LABEL.job}="bench-svc-${i}", ${TARGET_LABEL.namespace}=~"$namespace"`;
  const requests = CHURN_API.httpRequests.name;
  return {
    rate: `sum(rate(${requests}{${sel}}[$__rate_interval]))`,
    errorRatio: `sum(rate(${requests}{${sel}, ${LABEL.status}=~"5.."}[$__rate_interval])) / sum(rate(${requests}{${sel}}[$__rate_interval]))`,
    inFlight: `sum(${CHURN_API.httpRequestsInFlight.name}{${sel}})`,
    models: `count by (${LABEL.modelVersion}) (${CHURN_API.modelInfo.name}{${sel}})`,
    latency: `histogram_quantile($quantile, sum by (le) (rate(${CHURN_API.httpRequestDuration.name}_bucket{${sel}}[$__rate_interval])))`,
    predictions: `sum by (${LABEL.modelVersion}) (rate(${CHURN_API.predictions.name}{${sel}}[$__rate_interval]))`,
    lowConfidence: `sum(rate(${CHURN_API.lowConfidencePredictions.name}{${sel}}[$__rate_interval])) / sum(rate(${CHURN_API.predictions.name}{${sel}}[$__rate_interval]))`,
    drift: `max by (${LABEL.feature}) (${CHURN_API.dataDriftScore.name}{${sel}})`,
    cpu: `sum by (pod) (rate(${KUBERNETES.containerCpu.name}{namespace=~"$namespace", pod=~"bench-svc-${i}-.*"}[$__rate_interval]))`,
    memory: `sum by (pod) (${KUBERNETES.containerMemory.name}{namespace=~"$namespace", pod=~"bench-svc-${i}-.*"})`,
  };
}

const target = (refId: string, expr: string, legendFormat = "__auto") => ({ datasource: DS, editorMode: "code", expr, legendFormat, range: true, refId });

function stat(id: number, title: string, x: number, expr: string, unit: string) {
  return {
    datasource: DS,
    fieldConfig: { defaults: { color: { mode: "thresholds" }, mappings: [], thresholds: { mode: "absolute", steps: [{ color: "green", value: null }] }, unit }, overrides: [] },
    gridPos: { h: 5, w: 6, x, y: 0 },
    id,
    options: { colorMode: "value", graphMode: "area", justifyMode: "auto", orientation: "auto", reduceOptions: { calcs: ["lastNotNull"], fields: "", values: false }, textMode: "auto" },
    pluginVersion: "11.2.0",
    targets: [{ ...target("A", expr), instant: true, range: false }],
    title,
    type: "stat",
  };
}

function timeseries(id: number, title: string, x: number, y: number, unit: string, targets: ReturnType<typeof target>[]) {
  return {
    datasource: DS,
    fieldConfig: {
      defaults: {
        color: { mode: "palette-classic" },
        custom: { drawStyle: "line", fillOpacity: 10, lineWidth: 1, showPoints: "never", spanNulls: false, stacking: { group: "A", mode: "none" } },
        mappings: [],
        thresholds: { mode: "absolute", steps: [{ color: "green", value: null }] },
        unit,
      },
      overrides: [],
    },
    gridPos: { h: 8, w: 12, x, y },
    id,
    options: { legend: { calcs: [], displayMode: "list", placement: "bottom", showLegend: true }, tooltip: { mode: "multi", sort: "desc" } },
    pluginVersion: "11.2.0",
    targets,
    title,
    type: "timeseries",
  };
}

/** Panel ids the alert rules link to. */
const ERROR_PANEL = 2;
const LATENCY_PANEL = 5;

export function syntheticDashboard(i: number): Record<string, unknown> {
  const q = queries(i);
  return {
    __inputs: [{ name: "DS_PROMETHEUS", label: "Prometheus", description: "", type: "datasource", pluginId: "prometheus", pluginName: "Prometheus" }],
    __elements: {},
    __requires: [
      { type: "grafana", id: "grafana", name: "Grafana", version: "11.2.0" },
      { type: "datasource", id: "prometheus", name: "Prometheus", version: "1.0.0" },
      { type: "panel", id: "stat", name: "Stat", version: "" },
      { type: "panel", id: "timeseries", name: "Time series", version: "" },
    ],
    annotations: { list: [{ builtIn: 1, datasource: { type: "grafana", uid: "-- Grafana --" }, enable: true, hide: true, iconColor: "rgba(0, 211, 255, 1)", name: "Annotations & Alerts", type: "dashboard" }] },
    description: `Service ${i}: traffic, errors, latency, model and resources.`,
    editable: true,
    fiscalYearStartMonth: 0,
    graphTooltip: 1,
    id: null,
    links: [],
    panels: [
      stat(1, "Request rate", 0, q.rate, "reqps"),
      stat(ERROR_PANEL, "Error ratio", 6, q.errorRatio, "percentunit"),
      stat(3, "In flight", 12, q.inFlight, "short"),
      stat(4, "Model versions", 18, q.models, "short"),
      timeseries(LATENCY_PANEL, "Latency", 0, 5, "s", [target("A", q.latency, "P$quantile")]),
      timeseries(6, "Predictions by model version", 12, 5, "short", [target("A", q.predictions, "{{model_version}}"), target("B", q.lowConfidence, "low confidence")]),
      timeseries(7, "Data drift (PSI)", 0, 13, "short", [target("A", q.drift, "{{feature}}")]),
      timeseries(8, "CPU and memory", 12, 13, "short", [target("A", q.cpu, "cpu {{pod}}"), target("B", q.memory, "memory {{pod}}")]),
    ],
    refresh: "30s",
    schemaVersion: 39,
    tags: ["bench"],
    templating: {
      list: [
        {
          current: { selected: true, text: ["All"], value: ["$__all"] },
          datasource: DS,
          definition: `label_values(${CHURN_API.httpRequests.name}{job="bench-svc-${i}"}, namespace)`,
          hide: 0,
          includeAll: true,
          allValue: ".*",
          label: "Namespace",
          multi: true,
          name: "namespace",
          options: [],
          query: { qryType: 1, query: `label_values(${CHURN_API.httpRequests.name}{job="bench-svc-${i}"}, namespace)`, refId: "PrometheusVariableQueryEditor-VariableQuery" },
          refresh: 2,
          regex: "",
          sort: 1,
          type: "query",
        },
        {
          current: { selected: true, text: "0.99", value: "0.99" },
          hide: 0,
          includeAll: false,
          label: "Quantile",
          multi: false,
          name: "quantile",
          options: ["0.5", "0.9", "0.99"].map((v) => ({ selected: v === "0.99", text: v, value: v })),
          query: "0.5,0.9,0.99",
          type: "custom",
        },
      ],
    },
    time: { from: "now-6h", to: "now" },
    timepicker: {},
    timezone: "utc",
    title: `Bench service ${i}`,
    uid: dashboardUid(i),
    version: 1,
    weekStart: "",
  };
}

/** Two rules per dashboard (YAML, in the format of alerts/imported.ts), linked to its panels. */
export function syntheticRules(i: number): string {
  const sel = `job="bench-svc-${i}"`;
  const requests = CHURN_API.httpRequests.name;
  const rule = (lines: string[]) => lines.map((l, n) => `${n === 0 ? "- " : "  "}${l}`).join("\n");
  return [
    rule([
      `name: ${alertPrefix(i)}HighErrorRate`,
      `expr: 'sum(rate(${requests}{${sel}, status=~"5.."}[5m])) / sum(rate(${requests}{${sel}}[5m]))'`,
      "comparator: gt",
      "threshold: 0.05",
      "for: 10m",
      "severity: critical",
      `summary: Service ${i} answers too many requests with 5xx`,
      'description: "{{ $value }} of the requests failed."',
      `dashboardUid: ${dashboardUid(i)}`,
      `panelId: ${ERROR_PANEL}`,
      "noDataState: OK",
      "execErrState: Error",
      // Drop-in rules bring their own runbook (docs/runbooks.md has sections for the built-in ones only).
      `runbookUrl: https://runbooks.example.com/bench-svc-${i}#errors`,
    ]),
    rule([
      `name: ${alertPrefix(i)}SlowRequests`,
      `expr: 'histogram_quantile(0.95, sum by (le) (rate(${CHURN_API.httpRequestDuration.name}_bucket{${sel}}[5m])))'`,
      "comparator: gt",
      "threshold: 0.5",
      "for: 15m",
      "severity: warning",
      `summary: Service ${i} is slow`,
      'description: "P95 latency is {{ $value }} s."',
      `dashboardUid: ${dashboardUid(i)}`,
      `panelId: ${LATENCY_PANEL}`,
      "noDataState: NoData",
      "execErrState: Error",
      "reducer: mean",
      "lookbackSeconds: 900",
      `runbookUrl: https://runbooks.example.com/bench-svc-${i}#latency`,
    ]),
  ].join("\n") + "\n";
}

/** Writes the content under `root` (a workspace copy): dashboards/<folder>/ and alerts/rules/<folder>/. */
export function writeSynthetic(root: string, opts: SyntheticOptions): void {
  for (let i = 0; i < opts.dashboards; i++) {
    const folder = folderUid(i, opts.perFolder);
    const dashboardDir = path.join(root, "dashboards", folder);
    const rulesDir = path.join(root, "alerts", "rules", folder);
    fs.mkdirSync(dashboardDir, { recursive: true });
    fs.mkdirSync(rulesDir, { recursive: true });
    fs.writeFileSync(path.join(dashboardDir, `${dashboardUid(i)}.json`), `${JSON.stringify(syntheticDashboard(i), null, 2)}\n`);
    fs.writeFileSync(path.join(rulesDir, `${dashboardUid(i)}.yaml`), syntheticRules(i));
  }
}
