/** Alert rules as declared once, and the Grafana rule they become. */

/** Severities of the rules built here (validation/ also accepts "info" from elsewhere). */
export const SEVERITIES = ["critical", "warning"] as const;
export const NO_DATA_STATES = ["OK", "NoData", "KeepLast", "Alerting"] as const;
export const EXEC_ERR_STATES = ["OK", "Error", "KeepLast", "Alerting"] as const;
/**
 * Reducers the rule chain uses (Grafana knows more; validation/ accepts those too). `last`
 * reads the query's current value (an instant query); the others reduce the points of a
 * range query over the rule's window (Grafana reduces an instant query's single number as
 * itself: pkg/expr/commands.go, ReduceCommand).
 */
export const REDUCERS = ["last", "mean", "max", "min"] as const;
export const COMPARATORS = ["gt", "lt"] as const;

export type Severity = (typeof SEVERITIES)[number];
export type NoDataState = (typeof NO_DATA_STATES)[number];
export type ExecErrState = (typeof EXEC_ERR_STATES)[number];
export type Reducer = (typeof REDUCERS)[number];
export type Comparator = (typeof COMPARATORS)[number];

/** Alert thresholds a stack chooses (config keys alert*; components/settings.ts). */
export interface AlertThresholds {
  readonly latencyP95Seconds: number;
  readonly errorRatePercent: number;
  readonly driftScore: number;
  readonly lowConfidencePercent: number;
  readonly activeRequests: number;
}

/** One alert, in the words of the monitoring design. */
export interface AlertSpec {
  /** Alert name, e.g. ChurnApiHighLatencyP95 (unique within its group). */
  readonly name: string;
  /** Folder whose rule group holds it. */
  readonly folderUid: string;
  /** A PromQL expression (may use $__rate_interval etc. like dashboards) giving the value compared. */
  readonly expr: string;
  /**
   * How the query's series are reduced to one value per series: `last` compares the current
   * value; `max`, `min`, `mean` compare that over the last `lookbackSeconds` (the window).
   */
  readonly reducer: Reducer;
  readonly comparator: Comparator;
  readonly threshold: number;
  /** Pending period: a Grafana duration such as 5m. */
  readonly for: string;
  readonly severity: Severity;
  readonly summary: string;
  /** May use Grafana template syntax: {{ $labels.namespace }}, {{ $values.B }}. */
  readonly description: string;
  /**
   * The rule's own runbook; absent: <runbookBaseUrl>#<alert-name-in-kebab-case> (docs/runbooks.md),
   * or for a drop-in rule whose section the page lacks, the page's section for rules without one.
   */
  readonly runbookUrl?: string;
  /** The dashboard panel that shows this signal. */
  readonly dashboardUid: string;
  readonly panelId: number;
  readonly noDataState: NoDataState;
  readonly execErrState: ExecErrState;
  /** The window a `max`/`min`/`mean` reducer reduces, in seconds (at most a day); the query's time range with `last`. */
  readonly lookbackSeconds: number;
  /** The drop-in file it was read from (undefined for the rules declared in alerts/specs.ts). */
  readonly source?: string;
}

/** One entry of a Grafana rule's data chain (the provider's `rules[].datas[]`), inputs resolved. */
export interface RuleData {
  readonly refId: string;
  readonly datasourceUid: string;
  readonly relativeTimeRange: { readonly from: number; readonly to: number };
  /** JSON string: a Prometheus query model, or a server-side expression (reduce, threshold). */
  readonly model: string;
}

/** A Grafana-managed rule as passed to grafana.alerting.RuleGroup (`rules[]`). */
export interface GrafanaRule {
  readonly name: string;
  readonly condition: string;
  readonly datas: readonly RuleData[];
  readonly for: string;
  readonly noDataState: NoDataState;
  readonly execErrState: ExecErrState;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly isPaused: boolean;
  /** Keep firing this long after the condition clears (Prometheus' keep_firing_for). */
  readonly keepFiringFor?: string;
  /** Evaluations without a series before its alert resolves (1: at once, as Prometheus does). */
  readonly missingSeriesEvalsToResolve?: number;
  /** A recording rule: writes the `from` query's result as `metric` (the provider's `record` block). */
  readonly record?: { readonly metric: string; readonly from: string; readonly targetDatasourceUid?: string };
  /** Kept from a Grafana export, so the rule keeps its identity. */
  readonly uid?: string;
}

/** The formats a drop-in rule file may have (detected by content: alerts/rule-files.ts). */
export type RuleFileFormat = "project" | "prometheus" | "prometheus-rule" | "grafana";

/** A rule group as passed to grafana.alerting.RuleGroup. */
export interface GrafanaRuleGroup {
  readonly name: string;
  readonly folderUid: string;
  readonly intervalSeconds: number;
  readonly rules: readonly GrafanaRule[];
  /** The drop-in file and its format; absent for the project's own rules (alerts/specs.ts and drop-ins in its format). */
  readonly imported?: { readonly source: string; readonly format: Exclude<RuleFileFormat, "project"> };
}

/** A Prometheus alerting rule as its file states it (Prometheus rule file or PrometheusRule manifest). */
export interface PrometheusAlertingRule {
  readonly kind: "alerting";
  readonly name: string;
  readonly expr: string;
  /** Prometheus durations as written ("15m", "1h"). */
  readonly for?: string;
  readonly keepFiringFor?: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
}

/** A Prometheus recording rule as its file states it. */
export interface PrometheusRecordingRule {
  readonly kind: "recording";
  readonly record: string;
  readonly expr: string;
  readonly labels: Readonly<Record<string, string>>;
}

/** A rule of a Grafana alert-rule export / provisioning file: its data chain kept (datasource uids mapped). */
export interface GrafanaExportedRule {
  readonly kind: "grafana";
  readonly rule: GrafanaRule;
}

export type ImportedRule = PrometheusAlertingRule | PrometheusRecordingRule | GrafanaExportedRule;

/** A rule group of a foreign rule file, deployed in the folder of its sub-directory. */
export interface ImportedRuleGroup {
  readonly name: string;
  readonly folderUid: string;
  readonly intervalSeconds: number;
  /** Prometheus' query_offset: the queries look this far back. */
  readonly queryOffsetSeconds: number;
  readonly source: string;
  readonly format: Exclude<RuleFileFormat, "project">;
  readonly rules: readonly ImportedRule[];
}
