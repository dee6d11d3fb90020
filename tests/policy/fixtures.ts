/** Hand-made resource inputs shaped like what the grafana-k8s program registers. */
import { ResourceInput } from "./args";

export const RELEASE = "kubernetes:helm.sh/v3:Release";
export const DEPLOYMENT = "kubernetes:apps/v1:Deployment";
export const DASHBOARD = "grafana:oss/dashboard:Dashboard";
export const RULE_GROUP = "grafana:alerting/ruleGroup:RuleGroup";

/** The engine's sentinel for an unknown string during preview. */
export const UNKNOWN_STRING = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
export const UNKNOWN_OBJECT = "dd056dcd-154b-4c76-9bd3-c8f88648b5ff";

type Values = Record<string, unknown>;

/** Chart values like components/chart-values.ts builds for prod: persistence on, one replica. */
export function persistentValues(): Values {
  return {
    fullnameOverride: "grafana",
    replicas: 1,
    admin: { existingSecret: "grafana-admin-credentials", userKey: "admin-user", passwordKey: "admin-password" },
    persistence: {
      enabled: true,
      type: "pvc",
      size: "20Gi",
      accessModes: ["ReadWriteOnce"],
      storageClassName: "gp3",
      annotations: { "helm.sh/resource-policy": "keep" },
    },
    deploymentStrategy: { type: "Recreate" },
    resources: { requests: { cpu: "250m", memory: "512Mi" }, limits: { cpu: "1", memory: "1Gi" } },
    ingress: {
      enabled: true,
      ingressClassName: "nginx",
      hosts: ["grafana.example.com"],
      tls: [{ secretName: "grafana-tls", hosts: ["grafana.example.com"] }],
    },
    "grafana.ini": {
      server: { root_url: "https://grafana.example.com/" },
      database: { wal: true },
      security: { cookie_secure: true, disable_gravatar: true },
      "auth.generic_oauth": { token_url: "https://sso.example.com/token", client_secret: "$__file{/etc/secrets/oauth/client_secret}" },
    },
    smtp: { existingSecret: "grafana-smtp", userKey: "user", passwordKey: "password" },
    testFramework: { enabled: false },
  };
}

/** The planned HA mode: several replicas, no volume, an external postgres database. */
export function haValues(): Values {
  const values = persistentValues();
  values.replicas = 3;
  values.persistence = { enabled: false };
  values.deploymentStrategy = { type: "RollingUpdate" };
  values["grafana.ini"] = {
    ...(values["grafana.ini"] as Values),
    database: { type: "postgres", host: "grafana-db.grafana.svc:5432", name: "grafana", user: "grafana", password: "$__env{GF_DATABASE_PASSWORD}" },
  };
  values.envValueFrom = { GF_DATABASE_PASSWORD: { secretKeyRef: { name: "grafana-db", key: "password" } } };
  return values;
}

export function grafanaRelease(values: unknown, extra: Partial<ResourceInput> = {}): ResourceInput {
  return {
    type: RELEASE,
    name: "grafana-release",
    props: {
      name: "grafana",
      namespace: "grafana",
      chart: "grafana",
      version: "12.11.1",
      repositoryOpts: { repo: "https://grafana-community.github.io/helm-charts" },
      values,
    },
    ...extra,
  };
}

export function dashboard(model: unknown, folder: unknown = "churn-api"): ResourceInput {
  return {
    type: DASHBOARD,
    name: "content-dashboard-overview",
    props: { configJson: typeof model === "string" ? model : JSON.stringify(model), folder },
  };
}

export function rule(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: "ChurnApiHighLatency",
    condition: "C",
    for: "10m",
    noDataState: "NoData",
    execErrState: "Error",
    datas: [{ refId: "A", datasourceUid: "prometheus", relativeTimeRange: { from: 600, to: 0 }, model: "{}" }],
    labels: { severity: "warning", service: "churn-api" },
    annotations: {
      summary: "Churn API P95 latency is high",
      description: "P95 latency is {{ $values.B }}s",
      runbook_url: "https://github.com/example/grafana-k8s/blob/main/docs/runbooks.md#churnapihighlatency",
    },
    ...overrides,
  };
}

export function ruleGroup(rules: unknown[]): ResourceInput {
  return {
    type: RULE_GROUP,
    name: "alerting-churn-api",
    props: { name: "churn-api", folderUid: "churn-api-alerts", intervalSeconds: 60, rules },
  };
}
