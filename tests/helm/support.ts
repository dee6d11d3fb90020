/**
 * The one skip policy of the tests that render the chart with real Helm: without Helm or
 * the chart they skip with how to provide them, unless REQUIRE_HELM=1 (.ci/run and the
 * pull-request workflow set it) or CI is set, where they fail with the same message.
 */
import { ProgramRun } from "../../render/mock-engine";
import { RenderedStack, renderStackObjects } from "../../render/helm/stack-objects";
import { ChartRequest, helmTools, HELM_ENV, HelmTools, howToProvide } from "../../render/helm/tools";
import { skipOrFail } from "../support/skip-policy";
import { deployStack, RunOptions } from "../support/stack";

/** Skips the calling test (or hook) when Helm or the chart is missing; fails instead under REQUIRE_HELM=1 or CI. */
export function skipOrFailWithoutHelm(ctx: Mocha.Context, problem: string): never {
  return skipOrFail(ctx, { message: howToProvide(problem), variable: HELM_ENV.require, failUnderCi: true });
}

export async function requireHelmTools(ctx: Mocha.Context, request: ChartRequest): Promise<HelmTools> {
  const tools = await helmTools(request);
  return tools.found ?? skipOrFailWithoutHelm(ctx, tools.problem);
}

/** A stack's objects with the chart rendered by real Helm, or a skip (failure in CI). */
export async function requireRenderedStack(ctx: Mocha.Context, stack: string, run: ProgramRun): Promise<RenderedStack> {
  const rendered = await renderStackObjects(stack, run.resources);
  return rendered.found ?? skipOrFailWithoutHelm(ctx, rendered.problem);
}

/** A way a user can configure a stack: a committed stack file plus config changes. */
export interface Variant {
  readonly name: string;
  readonly stack: string;
  readonly options?: RunOptions;
  readonly why: string;
}

/** prod turned into the HA mode: 3 replicas sharing PostgreSQL, no volume (its NetworkPolicy stays on). */
export const HA_ON_POSTGRES: Variant = {
  name: "prod-ha-postgres",
  stack: "prod",
  options: {
    overrides: { replicas: 3, persistenceEnabled: false, databaseType: "postgres", databaseHost: "grafana-db.internal:5432" },
    secrets: { databasePassword: "db-password-under-test" },
  },
  why: "HA on PostgreSQL with the NetworkPolicy admitting gossip between replicas",
};

/** dev with a Prometheus URL that carries a token, set with --secret. */
export const SECRET_PROMETHEUS_URL: Variant = {
  name: "dev-secret-prometheus-url",
  stack: "dev",
  options: { secrets: { prometheusUrl: "http://prometheus.monitoring.svc:9090/?token=helm-sealed-token-0001" } },
  why: "a Prometheus URL set with --secret: the datasource file in the chart's Secret, not its ConfigMap",
};

/** The variants the issue names, beyond the committed stacks. */
export const VARIANTS: readonly Variant[] = [
  HA_ON_POSTGRES,
  {
    name: "dev-ingress-tls",
    stack: "dev",
    options: {
      overrides: { ingressEnabled: true, ingressHost: "grafana.dev.example.com", ingressClassName: "nginx", ingressTlsSecretName: "grafana-dev-tls", serviceType: "ClusterIP", serviceNodePort: 0, grafanaUrl: "" },
    },
    why: "an ingress with TLS from a Secret the user provides (no cert-manager)",
  },
  {
    name: "dev-network-policy",
    stack: "dev",
    // A NetworkPolicy admitting only the ingress controller and Prometheus rules out a NodePort.
    options: { overrides: { networkPolicyEnabled: true, serviceType: "ClusterIP", serviceNodePort: 0 } },
    why: "the NetworkPolicy on a single replica",
  },
  { name: "dev-no-persistence", stack: "dev", options: { overrides: { persistenceEnabled: false } }, why: "persistence off in dev (an emptyDir)" },
  SECRET_PROMETHEUS_URL,
  {
    name: "team-b",
    stack: "dev",
    options: { overrides: { namespace: "team-b-grafana", serviceNodePort: 30301, grafanaUrl: "http://localhost:3001" } },
    why: "a second stack in another namespace of the same cluster, same release name",
  },
];

export async function runVariant(v: Variant): Promise<ProgramRun> {
  return deployStack(v.stack, v.options);
}
