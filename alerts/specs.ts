/**
 * The alerts of the monitoring design, declared once. Thresholds and pending periods
 * come from the stack's settings; names, selectors and panels from the catalog and
 * the dashboards they link to.
 */
import { CHURN_API, CHURN_API_JOB, histogramSeries, LABEL, TARGET_LABEL } from "../catalog/metrics";
import { FOLDER_UID } from "../dashboards/folders";
import { DASHBOARD_UID, MODEL_PANELS, PERFORMANCE_PANELS } from "../dashboards/uids";
import { AlertSpec, AlertThresholds } from "./types";

export interface AlertInputs {
  readonly thresholds: AlertThresholds;
  readonly forWarning: string;
  readonly forCritical: string;
  /** The namespace the churn API runs in. */
  readonly namespace: string;
}

/** Alert rules aggregate per namespace, so `namespace` survives as a label for grouping and routing. */
const BY = `by (${TARGET_LABEL.namespace})`;
const WINDOW = "5m";
const SLOW_WINDOW = "15m";

export function churnApiAlerts(input: AlertInputs): AlertSpec[] {
  // The same series the dashboards show: the churn API's own scrape job in its namespace.
  const sel = (extra = "") => `{${TARGET_LABEL.job}="${CHURN_API_JOB}", ${TARGET_LABEL.namespace}="${input.namespace}"${extra}}`;
  const t = input.thresholds;
  const requests = CHURN_API.httpRequests.name;
  const latency = histogramSeries(CHURN_API.httpRequestDuration).bucket;
  return [
    {
      name: "ChurnApiHighLatencyP95",
      folderUid: FOLDER_UID.service,
      expr: `histogram_quantile(0.95, sum by (${TARGET_LABEL.namespace}, le) (rate(${latency}${sel()}[${WINDOW}])))`,
      reducer: "last",
      comparator: "gt",
      threshold: t.latencyP95Seconds,
      for: input.forWarning,
      severity: "warning",
      summary: "Churn API P95 latency is high",
      description: `P95 request latency in {{ $labels.namespace }} is {{ humanizeDuration $value }}, above ${t.latencyP95Seconds}s.`,
      dashboardUid: DASHBOARD_UID.performance,
      panelId: PERFORMANCE_PANELS.p95Latency,
      // No requests means no latency to judge, not a problem in itself.
      noDataState: "OK",
      execErrState: "Error",
      lookbackSeconds: 600,
    },
    {
      name: "ChurnApiHighErrorRate",
      folderUid: FOLDER_UID.service,
      expr:
        `100 * sum ${BY} (rate(${requests}${sel(`, ${LABEL.status}=~"5.."`)}[${WINDOW}]))` +
        ` / sum ${BY} (rate(${requests}${sel()}[${WINDOW}]))`,
      reducer: "last",
      comparator: "gt",
      threshold: t.errorRatePercent,
      for: input.forCritical,
      severity: "critical",
      summary: "Churn API is failing requests",
      description: `{{ humanize $value }}% of requests in {{ $labels.namespace }} end in a 5xx error (threshold ${t.errorRatePercent}%).`,
      dashboardUid: DASHBOARD_UID.performance,
      panelId: PERFORMANCE_PANELS.errorRate,
      // No 5xx series at all means no errors.
      noDataState: "OK",
      execErrState: "Error",
      lookbackSeconds: 600,
    },
    {
      name: "ChurnApiTooManyActiveRequests",
      folderUid: FOLDER_UID.service,
      expr: `sum ${BY} (${CHURN_API.httpRequestsInFlight.name}${sel()})`,
      reducer: "max",
      comparator: "gt",
      threshold: t.activeRequests,
      for: input.forWarning,
      severity: "warning",
      summary: "Churn API has too many requests in flight",
      description: `{{ $value }} requests are in flight in {{ $labels.namespace }} (threshold ${t.activeRequests}): the service is saturated.`,
      dashboardUid: DASHBOARD_UID.performance,
      panelId: PERFORMANCE_PANELS.activeRequests,
      // The gauge exists whenever the service is scraped: its absence is worth a look.
      noDataState: "NoData",
      execErrState: "Error",
      lookbackSeconds: 300,
    },
    {
      name: "ChurnApiDataDrift",
      folderUid: FOLDER_UID.ml,
      expr: `max by (${TARGET_LABEL.namespace}, ${LABEL.feature}) (${CHURN_API.dataDriftScore.name}${sel()})`,
      reducer: "last",
      comparator: "gt",
      threshold: t.driftScore,
      for: input.forWarning,
      severity: "warning",
      summary: "Input data is drifting from the training data",
      description: `Feature {{ $labels.feature }} in {{ $labels.namespace }} has a drift score of {{ printf "%.2f" $value }} (threshold ${t.driftScore}): retraining may be due.`,
      dashboardUid: DASHBOARD_UID.model,
      panelId: MODEL_PANELS.driftScore,
      // Without drift scores the model runs unwatched: surface it.
      noDataState: "NoData",
      execErrState: "Error",
      lookbackSeconds: 600,
    },
    {
      name: "ChurnApiLowConfidencePredictions",
      folderUid: FOLDER_UID.ml,
      expr:
        `100 * sum ${BY} (rate(${CHURN_API.lowConfidencePredictions.name}${sel()}[${SLOW_WINDOW}]))` +
        ` / sum ${BY} (rate(${CHURN_API.predictions.name}${sel()}[${SLOW_WINDOW}]))`,
      reducer: "last",
      comparator: "gt",
      threshold: t.lowConfidencePercent,
      for: input.forWarning,
      severity: "warning",
      summary: "Many predictions have low confidence",
      description: `{{ humanize $value }}% of predictions in {{ $labels.namespace }} are low-confidence (threshold ${t.lowConfidencePercent}%).`,
      dashboardUid: DASHBOARD_UID.model,
      panelId: MODEL_PANELS.lowConfidence,
      // No predictions, nothing to judge.
      noDataState: "OK",
      execErrState: "Error",
      lookbackSeconds: 1800,
    },
  ];
}
