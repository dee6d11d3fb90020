/**
 * Type tokens and resource identity. The pack matches on type tokens (strings) so it
 * loads only @pulumi/policy, not the provider SDKs.
 */
import { rawGet } from "./props";

export const TYPES = {
  helmRelease: "kubernetes:helm.sh/v3:Release",
  deployment: "kubernetes:apps/v1:Deployment",
  statefulSet: "kubernetes:apps/v1:StatefulSet",
  daemonSet: "kubernetes:apps/v1:DaemonSet",
  replicaSet: "kubernetes:apps/v1:ReplicaSet",
  pod: "kubernetes:core/v1:Pod",
  job: "kubernetes:batch/v1:Job",
  cronJob: "kubernetes:batch/v1:CronJob",
  dashboard: "grafana:oss/dashboard:Dashboard",
  ruleGroup: "grafana:alerting/ruleGroup:RuleGroup",
} as const;

/** The Helm chart that deploys Grafana: `grafana`, or a repo-qualified/OCI reference ending in `/grafana`. */
export function isGrafanaChart(chart: unknown): boolean {
  return typeof chart === "string" && (chart === "grafana" || chart.endsWith("/grafana"));
}

/** A `kubernetes:helm.sh/v3:Release` of the grafana chart. */
export function isGrafanaRelease(type: string, props: unknown): boolean {
  return type === TYPES.helmRelease && isGrafanaChart(rawGet(props, "chart"));
}

/**
 * The stack a resource belongs to, from its URN
 * (`urn:pulumi:<stack>::<project>::<type>::<name>`). @pulumi/policy 1.21 passes no stack
 * name to policies (it reads only the stack tags from ConfigureStack), so the URN is the
 * reliable source.
 */
export function stackOfUrn(urn: string): string {
  const match = /^urn:pulumi:([^:]+)::/.exec(urn);
  if (!match) {
    throw new Error(`Cannot read the stack name from URN "${urn}"`);
  }
  return match[1];
}
