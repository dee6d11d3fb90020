/**
 * The Prometheus datasource that the chart provisions. Dashboards and alert rules
 * refer to it by this uid, so it must never change once a stack is deployed.
 */
export const PROMETHEUS_DATASOURCE = {
  uid: "prometheus",
  name: "Prometheus",
  type: "prometheus",
} as const;

/** Grafana's pseudo-datasource for server-side expressions (reduce, threshold, math). */
export const EXPRESSION_DATASOURCE_UID = "__expr__";
