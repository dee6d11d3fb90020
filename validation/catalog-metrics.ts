/**
 * Queries that name the churn API's metrics must name ones it exports: a metric with the
 * catalog's prefix (churn_api_) that catalog/metrics.ts does not define, or a label that
 * metric does not carry, returns nothing, and the panel or alert stays silently empty.
 * Checked on every query (a drop-in's as a built one's), after its syntax passed.
 */
import { ALL_METRICS, CHURN_API, histogramSeries, MetricSpec, TARGET_LABEL } from "../catalog/metrics";
import { closest } from "../lib/suggest";

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

/** What is wrong with the catalog metrics `selectors` name; empty for metrics without the prefix. */
export function catalogIssues(selectors: readonly { readonly metric?: string; readonly labels: readonly string[] }[]): CatalogIssue[] {
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
    for (const label of s.labels) {
      if (labels.includes(label)) continue;
      const guess = closest(label, labels);
      issues.push({
        message: `metric "${s.metric}" has no label "${label}", so the matcher selects nothing`,
        fix: guess ? `did you mean "${guess}"?` : `its labels: ${labels.filter((l) => l !== "__name__").join(", ")}`,
      });
    }
  }
  return issues;
}
