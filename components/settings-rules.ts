/**
 * Rules that span several config keys: combinations that would deploy something
 * broken or unsafe. Each names the keys involved and the fix.
 */
import { ConfigKey, ParsedConfig, PROJECT } from "./config-keys";
import { Problem } from "../lib/errors";
import { RECEIVER_RULES } from "./settings-receivers";
import { compareQuantities, exactQuantity } from "../lib/quantity";

interface Rule {
  /** Keys the rule reads: it is skipped when one of them failed on its own. */
  readonly keys: readonly ConfigKey[];
  readonly check: (c: ParsedConfig) => Omit<Problem, "where"> | undefined;
}

/** A secret that a feature needs: `when` the feature is on, `secret` must be set. */
function secretNeeded(
  keys: readonly ConfigKey[],
  secret: ConfigKey,
  when: (c: ParsedConfig) => boolean,
  reason: string,
  example: string,
): Rule {
  return {
    keys: [...keys, secret],
    check: (c) =>
      when(c) && !c[secret]
        ? { message: `${reason} but the secret ${secret} is not set`, fix: `pulumi config set --secret ${secret} ${example}`, missingSecret: secret }
        : undefined,
  };
}

/** Namespaces a Grafana stack must never own: deleting the stack would delete them. */
const SHARED_NAMESPACES = ["default", "kube-system", "kube-public", "kube-node-lease"];

/**
 * A request above its limit: the API server refuses the pod ("must be less than or equal
 * to <resource> limit", k8s.io/kubernetes pkg/apis/core/validation ValidateResourceRequirements),
 * compared as quantities ("0.5" equals "500m").
 */
function requestWithinLimit(resource: "cpu" | "memory", request: "cpuRequest" | "memoryRequest", limit: "cpuLimit" | "memoryLimit"): Rule {
  return {
    keys: [request, limit],
    check: (c) => {
      const [r, l] = [exactQuantity(c[request]), exactQuantity(c[limit])];
      return r && l && compareQuantities(r, l) > 0
        ? {
            message: `the ${resource} request ${c[request]} is above the ${resource} limit ${c[limit]}: Kubernetes refuses such a pod`,
            fix: `lower ${request} or raise ${limit}`,
          }
        : undefined;
    },
  };
}

const RULES: readonly Rule[] = [
  ...RECEIVER_RULES,
  {
    keys: ["namespace", "prometheusNamespace", "ingressControllerNamespace", "churnApiNamespace"],
    check: (c) => {
      const owner = SHARED_NAMESPACES.includes(c.namespace)
        ? "Kubernetes' own"
        : c.namespace === c.churnApiNamespace
          ? "the churn API's (churnApiNamespace)"
          : c.namespace === c.prometheusNamespace
            ? "Prometheus' (prometheusNamespace)"
            : c.namespace === c.ingressControllerNamespace
              ? "the ingress controller's (ingressControllerNamespace)"
              : undefined;
      return owner
        ? {
            message: `namespace "${c.namespace}" is shared with other workloads (${owner}), but the stack creates and owns it (a destroy would delete it)`,
            fix: "pulumi config set namespace grafana (a namespace of Grafana's own)",
          }
        : undefined;
    },
  },
  secretNeeded(["deployGrafana"], "grafanaAuth", (c) => !c.deployGrafana, "deployGrafana is false, so credentials for your existing Grafana are needed", "'user:password' (or a service-account token)"),
  secretNeeded(["alertWebhookEnabled"], "alertWebhookUrl", (c) => c.alertWebhookEnabled, "alertWebhookEnabled is true", "https://..."),
  secretNeeded(["alertPagerdutyEnabled"], "alertPagerdutyIntegrationKey", (c) => c.alertPagerdutyEnabled, "alertPagerdutyEnabled is true", "<integration key>"),
  secretNeeded(["databaseType"], "databasePassword", (c) => c.databaseType !== "sqlite", "databaseType is an external database", "<password>"),
  secretNeeded(["smtpUser"], "smtpPassword", (c) => Boolean(c.smtpUser), "smtpUser is set", "<password>"),
  {
    keys: ["environment", "deployGrafana", "persistenceEnabled", "databaseType"],
    check: (c) =>
      c.environment === "prod" && c.deployGrafana && !c.persistenceEnabled && c.databaseType === "sqlite"
        ? {
            message: "persistence is off in prod and no external database is set: Grafana's data (users, annotations, alert state) would be lost on every restart",
            fix: "pulumi config set persistenceEnabled true (or run HA with databaseType postgres)",
          }
        : undefined,
  },
  {
    keys: ["environment", "deployGrafana", "protectData"],
    check: (c) =>
      c.environment === "prod" && c.deployGrafana && !c.protectData
        ? { message: "prod must protect its data against pulumi destroy", fix: "pulumi config set protectData true" }
        : undefined,
  },
  {
    keys: ["replicas", "databaseType"],
    check: (c) =>
      c.replicas > 1 && c.databaseType === "sqlite"
        ? {
            message: `replicas is ${c.replicas}: several Grafana pods cannot share SQLite`,
            fix: "pulumi config set replicas 1, or set databaseType postgres with databaseHost and the secret databasePassword",
          }
        : undefined,
  },
  {
    keys: ["replicas", "persistenceEnabled"],
    check: (c) =>
      c.replicas > 1 && c.persistenceEnabled
        ? {
            message: `replicas is ${c.replicas} with persistence on: pods sharing a ReadWriteOnce volume deadlock on scheduling`,
            fix: "pulumi config set persistenceEnabled false (the external database holds the data in HA mode)",
          }
        : undefined,
  },
  {
    keys: ["databaseType", "databaseHost"],
    check: (c) =>
      c.databaseType !== "sqlite" && !c.databaseHost
        ? { message: `databaseType is ${c.databaseType} but databaseHost is empty`, fix: "pulumi config set databaseHost <host>[:<port>]" }
        : undefined,
  },
  {
    keys: ["networkPolicyEnabled", "serviceType"],
    check: (c) =>
      c.networkPolicyEnabled && c.serviceType !== "ClusterIP"
        ? {
            message: `networkPolicyEnabled admits only the ingress controller and Prometheus, so ${c.serviceType} traffic would be dropped`,
            fix: "pulumi config set serviceType ClusterIP and expose Grafana through the ingress",
          }
        : undefined,
  },
  {
    keys: ["ingressEnabled", "ingressHost"],
    check: (c) =>
      c.ingressEnabled && !c.ingressHost
        ? { message: "ingressEnabled is true but ingressHost is empty", fix: "pulumi config set ingressHost grafana.example.com" }
        : undefined,
  },
  requestWithinLimit("cpu", "cpuRequest", "cpuLimit"),
  requestWithinLimit("memory", "memoryRequest", "memoryLimit"),
  {
    keys: ["environment", "deployGrafana", "ingressEnabled", "ingressTlsSecretName"],
    check: (c) =>
      c.environment === "prod" && c.deployGrafana && c.ingressEnabled && !c.ingressTlsSecretName
        ? {
            message: "the prod ingress has no ingressTlsSecretName: Grafana and its login page would be served over plain HTTP",
            fix: "pulumi config set ingressTlsSecretName grafana-tls (with ingressClusterIssuer, or a kubernetes.io/tls Secret of your own)",
          }
        : undefined,
  },
  {
    keys: ["ingressEnabled", "ingressTlsSecretName"],
    check: (c) =>
      !c.ingressEnabled && c.ingressTlsSecretName
        ? { message: "ingressTlsSecretName is set but ingressEnabled is false", fix: "pulumi config set ingressEnabled true (or remove ingressTlsSecretName)" }
        : undefined,
  },
  {
    // The program's cert-manager Certificate writes the certificate into that Secret.
    keys: ["ingressEnabled", "ingressClusterIssuer", "ingressTlsSecretName"],
    check: (c) =>
      c.ingressEnabled && c.ingressClusterIssuer && !c.ingressTlsSecretName
        ? { message: "ingressClusterIssuer is set but ingressTlsSecretName is empty: cert-manager needs a Secret to write the certificate to", fix: "pulumi config set ingressTlsSecretName grafana-tls" }
        : undefined,
  },
  {
    keys: ["serviceType", "serviceNodePort"],
    check: (c) =>
      c.serviceNodePort !== 0 && c.serviceType !== "NodePort"
        ? { message: `serviceNodePort ${c.serviceNodePort} needs serviceType NodePort (is ${c.serviceType})`, fix: "pulumi config set serviceType NodePort (or serviceNodePort 0)" }
        : undefined,
  },
  {
    // The chart provisions the datasource dashboards and rules read (uid prometheus) from this
    // URL; a bring-your-own Grafana provisions nothing, so a URL there would be silently ignored.
    keys: ["deployGrafana", "prometheusUrl"],
    check: (c) =>
      c.deployGrafana && !c.prometheusUrl
        ? { message: "deployGrafana is true, so the URL of the Prometheus that Grafana's provisioned datasource reads is needed", fix: "pulumi config set prometheusUrl http://prometheus-server.monitoring.svc:80" }
        : !c.deployGrafana && c.prometheusUrl
          ? {
              message: "prometheusUrl is set but deployGrafana is false: nothing provisions a datasource in your Grafana (dashboards and rules read its own datasource of uid prometheus), so the URL would be ignored",
              fix: "pulumi config rm prometheusUrl (and give your Grafana's Prometheus datasource the uid prometheus)",
            }
          : undefined,
  },
  {
    keys: ["deployGrafana", "grafanaUrl"],
    check: (c) =>
      !c.deployGrafana && !c.grafanaUrl
        ? { message: "deployGrafana is false, so the URL of your existing Grafana is needed", fix: "pulumi config set grafanaUrl https://grafana.example.com" }
        : undefined,
  },
  {
    keys: ["alertEmailEnabled", "alertEmailAddresses"],
    check: (c) =>
      c.alertEmailEnabled && c.alertEmailAddresses.length === 0
        ? { message: "alertEmailEnabled is true but alertEmailAddresses is empty", fix: "list recipients under alertEmailAddresses in the stack file" }
        : undefined,
  },
  {
    keys: ["alertEmailEnabled", "deployGrafana", "smtpHost", "smtpFromAddress"],
    check: (c) =>
      c.alertEmailEnabled && c.deployGrafana && (!c.smtpHost || !c.smtpFromAddress)
        ? { message: "email notifications need an SMTP server, but smtpHost or smtpFromAddress is empty", fix: "pulumi config set smtpHost smtp.example.com:587 and smtpFromAddress grafana@example.com" }
        : undefined,
  },
  {
    keys: ["smtpUser", "smtpPassword"],
    check: (c) =>
      c.smtpPassword && !c.smtpUser
        ? { message: "smtpPassword is set but smtpUser is empty", fix: "pulumi config set smtpUser <login>" }
        : undefined,
  },
  {
    keys: ["maintenanceWindowWeekdays", "maintenanceWindowStart", "maintenanceWindowEnd"],
    check: (c) =>
      c.maintenanceWindowWeekdays.length > 0 && c.maintenanceWindowStart >= c.maintenanceWindowEnd
        ? { message: `maintenance window ${c.maintenanceWindowStart}-${c.maintenanceWindowEnd} ends before it starts`, fix: "set maintenanceWindowEnd later than maintenanceWindowStart (same day)" }
        : undefined,
  },
];

export function crossFieldProblems(c: ParsedConfig, failed: ReadonlySet<string> = new Set()): Problem[] {
  const problems: Problem[] = [];
  for (const rule of RULES) {
    if (rule.keys.some((k) => failed.has(k))) continue;
    const found = rule.check(c);
    if (found) problems.push({ where: rule.keys.map((k) => `${PROJECT}:${k}`).join(" + "), ...found });
  }
  return problems;
}
