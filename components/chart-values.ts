/**
 * Pure: DeploymentSettings -> values for the grafana chart. Only overrides of the
 * chart's defaults, each for a reason. Every key path here is checked against the
 * pinned chart's key list (validation/chart-keys.ts), because Helm silently ignores
 * a misspelt key.
 */
import { PROMETHEUS_DATASOURCE } from "../catalog/datasource";
import { DeploymentSettings } from "./settings";

/** Names of the Kubernetes objects the deployment creates next to the chart. */
export function objectNames(d: Pick<DeploymentSettings, "releaseName">) {
  return {
    adminSecret: `${d.releaseName}-admin-credentials`,
    smtpSecret: `${d.releaseName}-smtp`,
  } as const;
}

/** Keys of the admin Secret, as the chart's `admin.userKey` / `admin.passwordKey` expect. */
export const ADMIN_SECRET_KEYS = { user: "admin-user", password: "admin-password" } as const;
export const SMTP_SECRET_KEYS = { user: "user", password: "password" } as const;

/** Chart values are plain JSON-like data. */
export type ChartValues = { [key: string]: ChartValue };
export type ChartValue = string | number | boolean | null | ChartValue[] | ChartValues;

export interface ChartValuesInput {
  readonly deployment: DeploymentSettings;
  readonly prometheusUrl: string;
}

export function grafanaIni({ deployment: d }: ChartValuesInput): ChartValues {
  const tls = Boolean(d.ingress?.tlsSecretName);
  const ini: ChartValues = {
    server: { root_url: d.rootUrl },
    analytics: { reporting_enabled: false, check_for_updates: false, check_for_plugin_updates: false },
    users: { allow_sign_up: false },
    "auth.anonymous": { enabled: false },
    // The provider writes dashboards, rules and folders concurrently; SQLite without
    // WAL answers "database is locked".
    database: { wal: true },
    security: { cookie_secure: tls, disable_gravatar: true },
  };
  if (d.smtp) {
    ini.smtp = { enabled: true, host: d.smtp.host, from_address: d.smtp.fromAddress, from_name: "Grafana" };
  }
  return ini;
}

export function chartValues(input: ChartValuesInput): ChartValues {
  const d = input.deployment;
  const names = objectNames(d);
  const values: ChartValues = {
    // Predictable service name: <releaseName>.<namespace>.svc.
    fullnameOverride: d.releaseName,
    replicas: d.replicas,
    admin: { existingSecret: names.adminSecret, userKey: ADMIN_SECRET_KEYS.user, passwordKey: ADMIN_SECRET_KEYS.password },
    persistence: d.persistence.enabled
      ? {
          enabled: true,
          type: "pvc",
          size: d.persistence.size,
          accessModes: ["ReadWriteOnce"],
          ...(d.persistence.storageClass ? { storageClassName: d.persistence.storageClass } : {}),
          // Helm keeps the claim when the release is uninstalled or replaced.
          ...(d.protectData ? { annotations: { "helm.sh/resource-policy": "keep" } } : {}),
        }
      : { enabled: false },
    // A ReadWriteOnce volume cannot attach to the new pod while the old one runs.
    deploymentStrategy: { type: d.persistence.enabled ? "Recreate" : "RollingUpdate" },
    resources: {
      requests: { cpu: d.resources.requests.cpu, memory: d.resources.requests.memory },
      limits: { cpu: d.resources.limits.cpu, memory: d.resources.limits.memory },
    },
    service: {
      type: d.service.type,
      port: 80,
      ...(d.service.nodePort !== undefined ? { nodePort: d.service.nodePort } : {}),
    },
    ingress: d.ingress
      ? {
          enabled: true,
          ...(d.ingress.className ? { ingressClassName: d.ingress.className } : {}),
          hosts: [d.ingress.host],
          path: "/",
          pathType: "Prefix",
          tls: d.ingress.tlsSecretName ? [{ secretName: d.ingress.tlsSecretName, hosts: [d.ingress.host] }] : [],
        }
      : { enabled: false },
    datasources: {
      "datasources.yaml": {
        apiVersion: 1,
        datasources: [
          {
            name: PROMETHEUS_DATASOURCE.name,
            uid: PROMETHEUS_DATASOURCE.uid,
            type: PROMETHEUS_DATASOURCE.type,
            url: input.prometheusUrl,
            access: "proxy",
            isDefault: true,
            editable: false,
            jsonData: { httpMethod: "POST", timeInterval: "30s" },
          },
        ],
      },
    },
    "grafana.ini": grafanaIni(input),
    // The chart's test pod pulls an extra image and is not needed to run Grafana.
    testFramework: { enabled: false },
  };
  if (d.smtp?.user) {
    values.smtp = { existingSecret: names.smtpSecret, userKey: SMTP_SECRET_KEYS.user, passwordKey: SMTP_SECRET_KEYS.password };
  }
  return values;
}
