/**
 * The one helper that turns an AlertSpec into a Grafana-managed rule: a PromQL query
 * (A) -> reduce to one value per series (B) -> threshold (C, the condition). With the
 * `last` reducer the query is instant (its current value); with `max`/`min`/`mean` it is a
 * range query over the spec's window, whose points the reducer reduces.
 */
import { EXPRESSION_DATASOURCE_UID, PROMETHEUS_DATASOURCE } from "../catalog/datasource";
import { CHURN_API_JOB } from "../catalog/metrics";
import { AlertSpec, GrafanaRule, GrafanaRuleGroup, RuleData } from "./types";

const QUERY = "A";
const REDUCE = "B";
const THRESHOLD = "C";

/** A rule's runbook: its own URL, else the derived anchor into the runbook page. */
export function specRunbookUrl(spec: AlertSpec, base: string): string {
  return spec.runbookUrl ?? runbookUrl(base, spec.name);
}

/** Runbook anchors are derived, never hand-written: <base>#<alert-name-in-kebab-case>. */
export function runbookUrl(base: string, alertName: string): string {
  const anchor = alertName
    .replace(/([a-z0-9])([A-Z])/g, "$1-$2")
    .replace(/([A-Z])([A-Z][a-z])/g, "$1-$2")
    .toLowerCase();
  return `${base}#${anchor}`;
}

/** The labels every rule carries, in Grafana and in the Prometheus rule file (the policy routes on severity). */
export function ruleLabels(spec: AlertSpec): Record<string, string> {
  return { severity: spec.severity, service: CHURN_API_JOB };
}

const expressionDatasource = { type: "__expr__", uid: EXPRESSION_DATASOURCE_UID } as const;

/**
 * The step of a rule's range query. Grafana's Prometheus datasource takes the model's
 * intervalMs as the minimum step when the model sets no interval (grafana-plugin-sdk-go
 * gtime.GetIntervalFrom), and a window of up to a day keeps it there (range / 43200 max data
 * points and range / 11000 stay below it: pkg/promlib/models/query.go). The exported
 * Prometheus rule samples its subquery at the same step.
 */
export const QUERY_STEP_SECONDS = 15;
/** The longest window a `max`/`min`/`mean` reducer may reduce at that step. */
export const MAX_WINDOW_SECONDS = 86_400;

/** Whether the spec's query is a range query (a reducer other than `last` reduces its points). */
export const isWindowed = (spec: AlertSpec): boolean => spec.reducer !== "last";

function expression(refId: string, model: Record<string, unknown>): RuleData {
  return {
    refId,
    datasourceUid: EXPRESSION_DATASOURCE_UID,
    relativeTimeRange: { from: 0, to: 0 },
    model: JSON.stringify({ refId, datasource: expressionDatasource, ...model }),
  };
}

export function grafanaRule(spec: AlertSpec, runbookBaseUrl: string): GrafanaRule {
  const query: RuleData = {
    refId: QUERY,
    datasourceUid: PROMETHEUS_DATASOURCE.uid,
    relativeTimeRange: { from: spec.lookbackSeconds, to: 0 },
    model: JSON.stringify({
      refId: QUERY,
      datasource: { type: PROMETHEUS_DATASOURCE.type, uid: PROMETHEUS_DATASOURCE.uid },
      expr: spec.expr,
      instant: !isWindowed(spec),
      range: isWindowed(spec),
      editorMode: "code",
      intervalMs: QUERY_STEP_SECONDS * 1000,
      maxDataPoints: 43200,
    }),
  };
  return {
    name: spec.name,
    condition: THRESHOLD,
    datas: [
      query,
      // dropNN: a series with no samples must not become NaN and fire.
      expression(REDUCE, { type: "reduce", expression: QUERY, reducer: spec.reducer, settings: { mode: "dropNN" } }),
      expression(THRESHOLD, {
        type: "threshold",
        expression: REDUCE,
        conditions: [{ evaluator: { type: spec.comparator, params: [spec.threshold] } }],
      }),
    ],
    for: spec.for,
    noDataState: spec.noDataState,
    execErrState: spec.execErrState,
    labels: ruleLabels(spec),
    annotations: {
      summary: spec.summary,
      description: spec.description.replace(/\$value\b/g, `$values.${REDUCE}.Value`),
      runbook_url: specRunbookUrl(spec, runbookBaseUrl),
      // Grafana links the alert to this panel (and shows its state on the panel).
      __dashboardUid__: spec.dashboardUid,
      __panelId__: String(spec.panelId),
    },
    isPaused: false,
  };
}

/** Grafana evaluates each rule group on one interval; 60 s suits 5-15 minute windows. */
export const RULE_GROUP_INTERVAL_SECONDS = 60;

/** Alerts by folder (one rule group each), in declaration order. */
export function specsByFolder(specs: readonly AlertSpec[]): Map<string, AlertSpec[]> {
  const byFolder = new Map<string, AlertSpec[]>();
  for (const spec of specs) {
    const list = byFolder.get(spec.folderUid) ?? [];
    list.push(spec);
    byFolder.set(spec.folderUid, list);
  }
  return byFolder;
}

export const ruleGroupName = (folderUid: string): string => `${folderUid}-alerts`;

/** One rule group per folder, named after the folder. */
export function ruleGroups(specs: readonly AlertSpec[], runbookBaseUrl: string): GrafanaRuleGroup[] {
  return [...specsByFolder(specs)].map(([folderUid, folderSpecs]) => ({
    name: ruleGroupName(folderUid),
    folderUid,
    intervalSeconds: RULE_GROUP_INTERVAL_SECONDS,
    rules: folderSpecs.map((s) => grafanaRule(s, runbookBaseUrl)),
  }));
}
