/** Alert rules as declared once, and the Grafana rule they become. */

export type Severity = "critical" | "warning";
export type NoDataState = "OK" | "NoData" | "KeepLast" | "Alerting";
export type ExecErrState = "OK" | "Error" | "KeepLast" | "Alerting";
export type Reducer = "last" | "mean" | "max" | "min";
export type Comparator = "gt" | "lt";

/** One alert, in the words of the monitoring design. */
export interface AlertSpec {
  /** Alert name, e.g. ChurnApiHighLatencyP95 (unique within its group). */
  readonly name: string;
  /** Folder whose rule group holds it. */
  readonly folderUid: string;
  /** A PromQL expression (may use $__rate_interval etc. like dashboards) giving the value compared. */
  readonly expr: string;
  /** How the query's series are reduced to one value per series. */
  readonly reducer: Reducer;
  readonly comparator: Comparator;
  readonly threshold: number;
  /** Pending period: a Grafana duration such as 5m. */
  readonly for: string;
  readonly severity: Severity;
  readonly summary: string;
  /** May use Grafana template syntax: {{ $labels.namespace }}, {{ $values.B }}. */
  readonly description: string;
  /** The dashboard panel that shows this signal. */
  readonly dashboardUid: string;
  readonly panelId: number;
  readonly noDataState: NoDataState;
  readonly execErrState: ExecErrState;
  /** Seconds of data the query looks back over. */
  readonly lookbackSeconds: number;
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
}

/** A rule group as passed to grafana.alerting.RuleGroup. */
export interface GrafanaRuleGroup {
  readonly name: string;
  readonly folderUid: string;
  readonly intervalSeconds: number;
  readonly rules: readonly GrafanaRule[];
}
