/**
 * Queries that name the churn API's metrics must name ones it exports: a metric with the
 * catalog's prefix (churn_api_) that catalog/metrics.ts does not define, or a label that
 * metric does not carry (with a matcher that cannot match the empty string), returns nothing,
 * and the panel or alert stays silently empty.
 * Checked on every query (a drop-in's as a built one's), after its syntax passed.
 */
import { ALL_METRICS, CHURN_API, histogramSeries, MetricSpec, TARGET_LABEL } from "../catalog/metrics";
import { closest } from "../lib/suggest";
import type { LabelMatcherInfo } from "./promql";

/** The prefix every churn API metric shares (catalog/metrics.ts). */
export const CATALOG_PREFIX = "churn_api_";

/** Labels Prometheus itself adds to every scraped series. */
const SCRAPE_LABELS = ["job", "instance", "__name__"];

/** Series name -> the label names its series carry. */
const SERIES_LABELS: ReadonlyMap<string, readonly string[]> = new Map(
  ALL_METRICS.flatMap((m: MetricSpec): [string, readonly string[]][] => {
    const labels: readonly string[] = [...m.labels, ...Object.values(TARGET_LABEL), ...SCRAPE_LABELS];
    if (m.kind !== "histogram") return [[m.name, labels]];
    const h = histogramSeries(m as MetricSpec & { kind: "histogram" });
    return [[h.bucket, [...labels, "le"]], [h.sum, labels], [h.count, labels]];
  }),
);

export interface CatalogIssue {
  readonly message: string;
  readonly fix: string;
}

/** A vector selector as validation/promql.ts reads it. */
interface Selector {
  readonly metric?: string;
  readonly matchers: readonly LabelMatcherInfo[];
}

/**
 * Whether a matcher selects series that lack its label: Prometheus compares an absent label
 * as "" (prometheus/prometheus model/labels/matcher.go), so `{x!="a"}`, `{x=""}` and
 * `{x=~".*"}` select every series of a metric without x. Regexes are fully anchored
 * (`^(?:re)$`); one JavaScript cannot compile (RE2-only syntax) counts as matching.
 */
function matchesAbsentLabel(m: LabelMatcherInfo): boolean {
  const regexMatchesEmpty = (): boolean => {
    try {
      return new RegExp(`^(?:${m.value})$`).test("");
    } catch {
      return true;
    }
  };
  switch (m.op) {
    case "=":
      return m.value === "";
    case "!=":
      return m.value !== "";
    case "=~":
      return regexMatchesEmpty();
    case "!~":
      return !regexMatchesEmpty();
  }
}

/** `metric label` keys of matchers whose value names a dashboard variable in the written query: its value is Grafana's to choose. */
export function variableMatchers(written: readonly Selector[]): Set<string> {
  return new Set(written.flatMap((s) => s.matchers.filter((m) => /\$|\[\[/.test(m.value)).map((m) => `${s.metric ?? ""} ${m.label}`)));
}

/** What is wrong with the catalog metrics `selectors` name; empty for metrics without the prefix. */
export function catalogIssues(selectors: readonly Selector[], fromVariables: ReadonlySet<string> = new Set()): CatalogIssue[] {
  const issues: CatalogIssue[] = [];
  for (const s of selectors) {
    if (!s.metric?.startsWith(CATALOG_PREFIX)) continue;
    const labels = SERIES_LABELS.get(s.metric);
    if (!labels) {
      const guess = closest(s.metric, SERIES_LABELS.keys());
      issues.push({
        message: `metric "${s.metric}" is not one the churn API exports (catalog/metrics.ts), so the query returns nothing`,
        fix: guess ? `did you mean "${guess}"?` : `use one of: ${Object.values(CHURN_API).map((m) => m.name).join(", ")}`,
      });
      continue;
    }
    for (const matcher of s.matchers) {
      const label = matcher.label;
      // A label the metric lacks is compared as "": only a matcher that cannot match "" selects nothing.
      if (labels.includes(label) || matchesAbsentLabel(matcher) || fromVariables.has(`${s.metric} ${label}`)) continue;
      const guess = closest(label, labels);
      issues.push({
        message: `metric "${s.metric}" has no label "${label}", so the matcher selects nothing`,
        fix: guess ? `did you mean "${guess}"?` : `its labels: ${labels.filter((l) => l !== "__name__").join(", ")}`,
      });
    }
  }
  return issues;
}
