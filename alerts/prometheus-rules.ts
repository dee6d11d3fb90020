/**
 * The same alerts as a Prometheus rule file: identical expressions, thresholds, `for`,
 * labels and annotations. Rendered for review (out/<stack>/prometheus/) and checked by
 * promtool in the tests, which prove each alert fires exactly when it should. A windowed
 * rule (reducer max/min/mean over a range query in Grafana) becomes the matching
 * <fn>_over_time of a subquery sampled at the Grafana query's step.
 */
import { formatRuleDuration, parseRuleDuration } from "../lib/durations";
import { formatDuration } from "../lib/grafana-interpolate";
import { QUERY_STEP_SECONDS, RULE_GROUP_INTERVAL_SECONDS, ruleGroupName, ruleLabels, specRunbookUrl, specsByFolder } from "./rule-chain";
import { AlertSpec, Comparator, Reducer } from "./types";

export interface PrometheusRule {
  readonly alert: string;
  readonly expr: string;
  readonly for: string;
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
}

export interface PrometheusRuleFile {
  readonly groups: { readonly name: string; readonly interval: string; readonly rules: PrometheusRule[] }[];
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

export function prometheusRule(spec: AlertSpec, runbookBaseUrl: string): PrometheusRule {
  return {
    alert: spec.name,
    // Grafana's threshold step, as a PromQL comparison filter.
    expr: `(${comparedExpr(spec)}) ${OPERATOR[spec.comparator]} ${spec.threshold}`,
    for: prometheusFor(spec.for),
    labels: ruleLabels(spec),
    annotations: {
      summary: spec.summary,
      description: spec.description,
      runbook_url: specRunbookUrl(spec, runbookBaseUrl),
    },
  };
}

/** One group per folder, evaluated as often as in Grafana. */
export function prometheusRuleFile(specs: readonly AlertSpec[], runbookBaseUrl: string): PrometheusRuleFile {
  return {
    groups: [...specsByFolder(specs)].map(([folderUid, folderSpecs]) => ({
      name: ruleGroupName(folderUid),
      interval: `${RULE_GROUP_INTERVAL_SECONDS}s`,
      rules: folderSpecs.map((s) => prometheusRule(s, runbookBaseUrl)),
    })),
  };
}
