/**
 * The same alerts as a Prometheus rule file: identical expressions, thresholds, `for`,
 * labels and annotations. Rendered for review (out/<stack>/prometheus/) and checked by
 * promtool in the tests, which prove each alert fires exactly when it should.
 */
import { RULE_GROUP_INTERVAL_SECONDS, ruleGroupName, ruleLabels, runbookUrl, specsByFolder } from "./rule-chain";
import { AlertSpec, Comparator } from "./types";

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

export function prometheusRule(spec: AlertSpec, runbookBaseUrl: string): PrometheusRule {
  return {
    alert: spec.name,
    // Grafana's threshold step, as a PromQL comparison filter.
    expr: `(${spec.expr}) ${OPERATOR[spec.comparator]} ${spec.threshold}`,
    for: spec.for,
    labels: ruleLabels(spec),
    annotations: {
      summary: spec.summary,
      description: spec.description,
      runbook_url: runbookUrl(runbookBaseUrl, spec.name),
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
