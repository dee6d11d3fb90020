/**
 * The one place that turns alert definitions into Grafana-managed rules:
 *   - an AlertSpec (built-in, or a drop-in in the project's format): a PromQL query (A) ->
 *     reduce to one value per series (B) -> threshold (C, the condition). With the `last`
 *     reducer the query is instant (its current value); with `max`/`min`/`mean` it is a
 *     range query over the spec's window, whose points the reducer reduces;
 *   - a Prometheus alerting rule (a Prometheus rule file, a PrometheusRule manifest): its
 *     boolean expression as an instant query (A) -> math `is_number($A) || is_nan($A) ||
 *     is_inf($A)` (B) -> threshold B > 0 (C). Every series the expression returns fires,
 *     whatever its value (0 from `up == 0`, NaN, Inf), and none fires when it returns
 *     nothing: exactly when Prometheus fires. This is Grafana's own conversion of
 *     Prometheus rules (pkg/services/ngalert/prom/convert.go and query.go);
 *   - a Prometheus recording rule: the query (A) written as its metric (the provider's
 *     `record` block) to the provisioned Prometheus;
 *   - a rule of a Grafana export: its own data chain.
 */
import { EXPRESSION_DATASOURCE_UID, PROMETHEUS_DATASOURCE } from "../catalog/datasource";
import { CHURN_API_JOB } from "../catalog/metrics";
import type { FolderSpec } from "../dashboards/types";
import { formatRuleDuration, parsePrometheusDuration } from "../lib/durations";
import {
  AlertSpec,
  GrafanaRule,
  GrafanaRuleGroup,
  ImportedRule,
  ImportedRuleGroup,
  PrometheusAlertingRule,
  PrometheusRecordingRule,
  RuleData,
} from "./types";

const QUERY = "A";
const REDUCE = "B";
const THRESHOLD = "C";

/** The section of docs/runbooks.md for rules that bring no runbook of their own (drop-ins, imported rules). */
export const RUNBOOK_FALLBACK_ANCHOR = "rules-without-a-runbook";
export const fallbackRunbookUrl = (base: string): string => `${base}#${RUNBOOK_FALLBACK_ANCHOR}`;

/**
 * A rule's runbook: its own URL, else the derived anchor into the runbook page. A drop-in
 * rule whose section the page lacks (`anchors`: the page's, when known) links to the page's
 * section for rules without a runbook instead: a link that resolves.
 */
export function specRunbookUrl(spec: AlertSpec, base: string, anchors?: ReadonlySet<string>): string {
  if (spec.runbookUrl) return spec.runbookUrl;
  const derived = runbookUrl(base, spec.name);
  return spec.source && anchors && !anchors.has(derived.slice(base.length + 1)) ? fallbackRunbookUrl(base) : derived;
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

export function grafanaRule(spec: AlertSpec, runbookBaseUrl: string, anchors?: ReadonlySet<string>): GrafanaRule {
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
      runbook_url: specRunbookUrl(spec, runbookBaseUrl, anchors),
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

/** One rule group per folder, named after the folder. `anchors`: the runbook page's, when it is the project's. */
export function ruleGroups(specs: readonly AlertSpec[], runbookBaseUrl: string, anchors?: ReadonlySet<string>): GrafanaRuleGroup[] {
  return [...specsByFolder(specs)].map(([folderUid, folderSpecs]) => ({
    name: ruleGroupName(folderUid),
    folderUid,
    intervalSeconds: RULE_GROUP_INTERVAL_SECONDS,
    rules: folderSpecs.map((s) => grafanaRule(s, runbookBaseUrl, anchors)),
  }));
}

/** An instant PromQL query of the provisioned Prometheus over the last `lookbackSeconds`, `offsetSeconds` ago. */
function instantQuery(expr: string, lookbackSeconds: number, offsetSeconds = 0): RuleData {
  return {
    refId: QUERY,
    datasourceUid: PROMETHEUS_DATASOURCE.uid,
    relativeTimeRange: { from: lookbackSeconds + offsetSeconds, to: offsetSeconds },
    model: JSON.stringify({
      refId: QUERY,
      datasource: { type: PROMETHEUS_DATASOURCE.type, uid: PROMETHEUS_DATASOURCE.uid },
      expr,
      instant: true,
      range: false,
      editorMode: "code",
      intervalMs: QUERY_STEP_SECONDS * 1000,
      maxDataPoints: 43200,
    }),
  };
}

// ---- rules of other systems -------------------------------------------------------------

/** Grafana's converter looks back 10 minutes for an instant query (prom/convert.go defaultTimeRange). */
const IMPORTED_LOOKBACK_SECONDS = 600;

/**
 * Prometheus' `$value` (and `.Value`) in a template is the expression's value; in a
 * Grafana-managed rule that is the value of query A (Grafana's converter rewrites them
 * alike: pkg/services/ngalert/prom/template.go). `$labels` means the same in both.
 */
export function grafanaTemplate(text: string): string {
  if (!text.includes("{{")) return text;
  return text.replace(/\{\{[\s\S]*?\}\}/g, (action) =>
    action.replace(/\$value\b(?!s)/g, `$values.${QUERY}.Value`).replace(/(^|[\s({|])\.Value\b/g, `$1$values.${QUERY}.Value`),
  );
}

const mapValues = (m: Readonly<Record<string, string>>, f: (v: string) => string): Record<string, string> =>
  Object.fromEntries(Object.entries(m).map(([k, v]) => [k, f(v)]));

export interface ImportedRuleOptions {
  readonly runbookBaseUrl: string;
  /** Folders by uid: a folder's `ruleLabels` are added to the labels of the imported alerting rules in it. */
  readonly folders: ReadonlyMap<string, FolderSpec>;
}

/**
 * Labels of an imported alerting rule: its own (the group's included), plus what its
 * folder's config stamps on foreign rules (FolderSpec.ruleLabels); nothing else.
 */
export function importedAlertLabels(labels: Readonly<Record<string, string>>, folderUid: string, opts: ImportedRuleOptions): Record<string, string> {
  return { ...(opts.folders.get(folderUid)?.ruleLabels ?? {}), ...labels };
}

/** Annotations of an imported alerting rule: its own, with the general runbook link when it has none. */
export function importedAnnotations(annotations: Readonly<Record<string, string>>, opts: ImportedRuleOptions): Record<string, string> {
  return annotations.runbook_url ? { ...annotations } : { ...annotations, runbook_url: fallbackRunbookUrl(opts.runbookBaseUrl) };
}

/** A Prometheus duration ("1d", "90s") as the provider reads it. */
const ruleDuration = (text: string | undefined): string => formatRuleDuration(parsePrometheusDuration(text ?? "0s") ?? 0);

export function prometheusAlertingRule(rule: PrometheusAlertingRule, group: ImportedRuleGroup, opts: ImportedRuleOptions): GrafanaRule {
  return {
    name: rule.name,
    condition: THRESHOLD,
    datas: [
      instantQuery(rule.expr, IMPORTED_LOOKBACK_SECONDS, group.queryOffsetSeconds),
      expression(REDUCE, { type: "math", expression: `is_number($${QUERY}) || is_nan($${QUERY}) || is_inf($${QUERY})` }),
      expression(THRESHOLD, { type: "threshold", expression: REDUCE, conditions: [{ evaluator: { type: "gt", params: [0] } }] }),
    ],
    for: ruleDuration(rule.for),
    ...(rule.keepFiringFor ? { keepFiringFor: ruleDuration(rule.keepFiringFor) } : {}),
    // No series is no alert, and an alert resolves on the first evaluation without its
    // series, as in Prometheus; a failing query keeps Grafana's error state.
    noDataState: "OK",
    execErrState: "Error",
    missingSeriesEvalsToResolve: 1,
    labels: mapValues(importedAlertLabels(rule.labels, group.folderUid, opts), grafanaTemplate),
    annotations: mapValues(importedAnnotations(rule.annotations, opts), grafanaTemplate),
    isPaused: false,
  };
}

export function prometheusRecordingRule(rule: PrometheusRecordingRule, group: ImportedRuleGroup): GrafanaRule {
  return {
    name: rule.record,
    condition: QUERY,
    datas: [instantQuery(rule.expr, IMPORTED_LOOKBACK_SECONDS, group.queryOffsetSeconds)],
    for: "0s",
    noDataState: "OK",
    execErrState: "Error",
    labels: { ...rule.labels },
    annotations: {},
    isPaused: false,
    record: { metric: rule.record, from: QUERY, targetDatasourceUid: PROMETHEUS_DATASOURCE.uid },
  };
}

function importedRule(rule: ImportedRule, group: ImportedRuleGroup, opts: ImportedRuleOptions): GrafanaRule {
  switch (rule.kind) {
    case "alerting":
      return prometheusAlertingRule(rule, group, opts);
    case "recording":
      return prometheusRecordingRule(rule, group);
    case "grafana": {
      const r = rule.rule;
      if (r.record) return { ...r };
      return { ...r, labels: importedAlertLabels(r.labels, group.folderUid, opts), annotations: importedAnnotations(r.annotations, opts) };
    }
  }
}

/** The groups of foreign rule files, each kept as a rule group of its folder. */
export function importedRuleGroups(groups: readonly ImportedRuleGroup[], opts: ImportedRuleOptions): GrafanaRuleGroup[] {
  return groups.map((g) => ({
    name: g.name,
    folderUid: g.folderUid,
    intervalSeconds: g.intervalSeconds,
    rules: g.rules.map((r) => importedRule(r, g, opts)),
    imported: { source: g.source, format: g.format },
  }));
}
