/**
 * The same alerts as a Prometheus rule file: identical expressions, thresholds, `for`,
 * labels and annotations. Rendered for review (out/<stack>/prometheus/) and checked by
 * promtool in the tests, which prove each alert fires exactly when it should. A windowed
 * rule (reducer max/min/mean over a range query in Grafana) becomes the matching
 * <fn>_over_time of a subquery sampled at the Grafana query's step. Rules imported from
 * Prometheus rule files and PrometheusRule manifests are exported as they are deployed
 * (their labels and runbook link as in Grafana), recording rules included; rules of
 * Grafana exports have Grafana's own data chain and no Prometheus form.
 */
import { formatRuleDuration, parseRuleDuration } from "../lib/durations";
import { formatDuration } from "../lib/grafana-interpolate";
import {
  importedAlertLabels,
  importedAnnotations,
  ImportedRuleOptions,
  QUERY_STEP_SECONDS,
  RULE_GROUP_INTERVAL_SECONDS,
  ruleGroupName,
  ruleLabels,
  specRunbookUrl,
  specsByFolder,
} from "./rule-chain";
import { AlertSpec, Comparator, ImportedRule, ImportedRuleGroup, Reducer } from "./types";

export interface PrometheusRule {
  readonly alert?: string;
  readonly record?: string;
  readonly expr: string;
  readonly for?: string;
  readonly keep_firing_for?: string;
  readonly labels?: Record<string, string>;
  readonly annotations?: Record<string, string>;
}

export interface PrometheusRuleGroup {
  readonly name: string;
  readonly interval: string;
  readonly query_offset?: string;
  readonly rules: PrometheusRule[];
}

export interface PrometheusRuleFile {
  readonly groups: PrometheusRuleGroup[];
}

const OPERATOR: Record<Comparator, string> = { gt: ">", lt: "<" };
/** Grafana's reducers over a range query's points, as PromQL functions over a subquery's. */
const OVER_TIME: Record<Exclude<Reducer, "last">, string> = { max: "max_over_time", min: "min_over_time", mean: "avg_over_time" };

/** The value Grafana compares: the expression itself, or its windowed reduction. */
export function comparedExpr(spec: AlertSpec): string {
  if (spec.reducer === "last") return spec.expr;
  const window = formatDuration(spec.lookbackSeconds * 1000);
  return `${OVER_TIME[spec.reducer]}((${spec.expr})[${window}:${QUERY_STEP_SECONDS}s])`;
}

/** A valid pending period (the plan checked it) in the Prometheus spelling: "1d" becomes "24h". */
function prometheusFor(text: string): string {
  const parsed = parseRuleDuration(text);
  return parsed.ok ? formatRuleDuration(parsed.ms) : text;
}

export function prometheusRule(spec: AlertSpec, runbookBaseUrl: string, anchors?: ReadonlySet<string>): PrometheusRule {
  return {
    alert: spec.name,
    // Grafana's threshold step, as a PromQL comparison filter.
    expr: `(${comparedExpr(spec)}) ${OPERATOR[spec.comparator]} ${spec.threshold}`,
    for: prometheusFor(spec.for),
    labels: ruleLabels(spec),
    annotations: {
      summary: spec.summary,
      description: spec.description,
      runbook_url: specRunbookUrl(spec, runbookBaseUrl, anchors),
    },
  };
}

/** An imported Prometheus rule as deployed: its expression, `for` and templates as written, labels and runbook as in Grafana. */
function importedPrometheusRule(rule: ImportedRule, group: ImportedRuleGroup, opts: ImportedRuleOptions): PrometheusRule[] {
  switch (rule.kind) {
    case "recording":
      return [{ record: rule.record, expr: rule.expr, ...(Object.keys(rule.labels).length ? { labels: { ...rule.labels } } : {}) }];
    case "alerting":
      return [
        {
          alert: rule.name,
          expr: rule.expr,
          ...(rule.for ? { for: rule.for } : {}),
          ...(rule.keepFiringFor ? { keep_firing_for: rule.keepFiringFor } : {}),
          labels: importedAlertLabels(rule.labels, group.folderUid, opts),
          annotations: importedAnnotations(rule.annotations, opts),
        },
      ];
    case "grafana":
      return [];
  }
}

/** One group per folder for the project's alerts, evaluated as often as in Grafana; then the imported groups as they came. */
export function prometheusRuleFile(
  specs: readonly AlertSpec[],
  runbookBaseUrl: string,
  imported?: { readonly groups: readonly ImportedRuleGroup[]; readonly options: ImportedRuleOptions },
  anchors?: ReadonlySet<string>,
): PrometheusRuleFile {
  const own = [...specsByFolder(specs)].map(([folderUid, folderSpecs]) => ({
    name: ruleGroupName(folderUid),
    interval: `${RULE_GROUP_INTERVAL_SECONDS}s`,
    rules: folderSpecs.map((s) => prometheusRule(s, runbookBaseUrl, anchors)),
  }));
  const foreign = (imported?.groups ?? [])
    .filter((g) => g.format !== "grafana")
    .map((g) => ({
      name: g.name,
      interval: `${g.intervalSeconds}s`,
      ...(g.queryOffsetSeconds ? { query_offset: `${g.queryOffsetSeconds}s` } : {}),
      rules: g.rules.flatMap((r) => importedPrometheusRule(r, g, imported!.options)),
    }));
  return { groups: [...own, ...foreign] };
}
