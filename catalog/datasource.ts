/**
 * The Prometheus datasource that the chart provisions. Dashboards and alert rules
 * refer to it by this uid, so it must never change once a stack is deployed.
 */
export const PROMETHEUS_DATASOURCE = {
  uid: "prometheus",
  name: "Prometheus",
  type: "prometheus",
} as const;

/**
 * The datasource's scrape interval (jsonData.timeInterval): Grafana's lower bound for
 * $__interval and the base of $__rate_interval; the previews' history is sampled at it.
 */
export const PROMETHEUS_SCRAPE_INTERVAL_SECONDS = 30;

/** A datasource this Grafana has: what dashboards and rules may refer to. */
export interface KnownDatasource {
  readonly uid: string;
  readonly name: string;
  readonly type: string;
}

/** The datasources every stack provisions (the chart's Prometheus). */
export const DEFAULT_DATASOURCES: readonly KnownDatasource[] = [PROMETHEUS_DATASOURCE];

/** Grafana's pseudo-datasource for server-side expressions (reduce, threshold, math). */
export const EXPRESSION_DATASOURCE_UID = "__expr__";
