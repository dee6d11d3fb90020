/**
 * Every stack config key the program reads, with how its raw string is parsed and what
 * to do when it is wrong. Defaults live in Pulumi.yaml only (the CLI applies them); a
 * test keeps this table and Pulumi.yaml's `config:` block in step.
 */
import { z } from "zod";
import { ruleDurationIssue } from "../lib/durations";

/** Pulumi project name: the namespace of every key below (`grafana-k8s:<key>`). */
export const PROJECT = "grafana-k8s";

export const ENVIRONMENTS = ["dev", "staging", "prod"] as const;
export const SERVICE_TYPES = ["ClusterIP", "NodePort", "LoadBalancer"] as const;
export const DATABASE_TYPES = ["sqlite", "postgres", "mysql"] as const;
export const SSL_MODES = ["disable", "require", "verify-ca", "verify-full"] as const;
export const WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"] as const;

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const HOSTNAME = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?(\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)*$/;
const STORAGE_QUANTITY = /^[1-9][0-9]*(\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$/;
const CPU_QUANTITY = /^([0-9]+(\.[0-9]+)?|[1-9][0-9]*m)$/;
const SEMVER = /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/;
const CLOCK = /^([01][0-9]|2[0-3]):[0-5][0-9]$/;

const text = z.string();
/** A rule's pending period, as the Grafana provider and Grafana accept it (lib/durations.ts). */
const duration = text.refine((v) => ruleDurationIssue(v) === undefined, { error: (issue) => `not a pending period: ${ruleDurationIssue(String(issue.input), "it")}` });
const bool = z.enum(["true", "false"], { error: "expected true or false" }).transform((v) => v === "true");
const integer = z
  .string()
  .regex(/^-?[0-9]+$/, { error: "expected a whole number" })
  .transform(Number);
const decimal = z
  .string()
  .regex(/^-?[0-9]+(\.[0-9]+)?$/, { error: "expected a number such as 0.5" })
  .transform(Number);
const stringList = z
  .string()
  .transform((raw, ctx) => {
    try {
      return JSON.parse(raw) as unknown;
    } catch {
      ctx.addIssue({ code: "custom", message: "expected a YAML list of strings" });
      return z.NEVER;
    }
  })
  .pipe(z.array(z.string({ error: "every item must be a string" }), { error: "expected a YAML list of strings" }));
const url = z.string().refine(
  (v) => {
    try {
      const u = new URL(v);
      // Credentials in a URL would be printed in plain text (outputs, previews).
      return (u.protocol === "http:" || u.protocol === "https:") && u.username === "" && u.password === "";
    } catch {
      return false;
    }
  },
  { error: "expected an http(s) URL without credentials" },
);
/** An optional value: the empty string (Pulumi.yaml's default) means "not set". */
const optional = <T extends z.ZodType<unknown, string>>(schema: T) =>
  z.union([z.literal("").transform(() => undefined), schema]);

export interface KeySpec {
  readonly schema: z.ZodType<unknown, string>;
  /** What the user should do when the value is rejected. */
  readonly fix: string;
  /** Must be set with `pulumi config set --secret`; stays a Pulumi secret. */
  readonly secret?: true;
}

function key<S extends z.ZodType<unknown, string>>(schema: S, fix: string, secret?: true): { schema: S; fix: string; secret?: true } {
  return secret ? { schema, fix, secret } : { schema, fix };
}

export const CONFIG_KEYS = {
  environment: key(z.enum(ENVIRONMENTS, { error: `expected one of ${ENVIRONMENTS.join(", ")}` }), "set it to dev, staging or prod"),
  deployGrafana: key(bool, "set it to true (deploy Grafana) or false (bring your own Grafana)"),
  grafanaUrl: key(optional(url), "set the URL at which Pulumi reaches Grafana, e.g. https://grafana.example.com"),
  grafanaAuth: key(optional(text.min(1)), "pulumi config set --secret grafanaAuth 'user:password' (or a service-account token)", true),

  namespace: key(text.regex(DNS_LABEL, { error: "not a Kubernetes namespace name (lowercase letters, digits, '-')" }), "use a DNS label such as monitoring"),
  releaseName: key(text.regex(DNS_LABEL, { error: "not a valid Helm release name" }), "use a DNS label such as grafana"),
  chartRepo: key(url, "use https://grafana-community.github.io/helm-charts"),
  chartVersion: key(text.regex(SEMVER, { error: "not a chart version" }), "use an exact version such as 12.11.1"),
  adminUser: key(text.regex(/^[A-Za-z0-9._@-]{1,64}$/, { error: "not a valid login" }), "use a login such as admin"),
  replicas: key(integer.pipe(z.number().min(1, { error: "must be at least 1" }).max(10, { error: "must be at most 10" })), "use 1 (or 2+ with the HA database settings)"),

  persistenceEnabled: key(bool, "set it to true or false"),
  persistenceSize: key(text.regex(STORAGE_QUANTITY, { error: "not a positive Kubernetes quantity" }), "use a size such as 10Gi"),
  storageClass: key(optional(text.regex(HOSTNAME, { error: "not a StorageClass name" })), "use the name of a StorageClass (kubectl get storageclass), or \"\" for the default"),
  protectData: key(bool, "set it to true or false"),

  databaseType: key(z.enum(DATABASE_TYPES, { error: `expected one of ${DATABASE_TYPES.join(", ")}` }), "use sqlite, or postgres/mysql for an external database"),
  databaseHost: key(optional(text.regex(/^[A-Za-z0-9.-]+:[0-9]{1,5}$/, { error: "expected host:port" })), "use host:port such as grafana-db.example.internal:5432"),
  databaseName: key(text.regex(/^[A-Za-z0-9_-]{1,63}$/, { error: "not a database name" }), "use a name such as grafana"),
  databaseUser: key(text.regex(/^[A-Za-z0-9_.@-]{1,63}$/, { error: "not a database user" }), "use a user such as grafana"),
  databasePassword: key(optional(text.min(1)), "pulumi config set --secret databasePassword <password>", true),
  databaseSslMode: key(z.enum(SSL_MODES, { error: `expected one of ${SSL_MODES.join(", ")}` }), "use require or verify-full"),
  networkPolicyEnabled: key(bool, "set it to true or false"),
  ingressControllerNamespace: key(text.regex(DNS_LABEL, { error: "not a Kubernetes namespace name" }), "use the namespace of your ingress controller, e.g. ingress-nginx"),
  prometheusNamespace: key(text.regex(DNS_LABEL, { error: "not a Kubernetes namespace name" }), "use the namespace of your Prometheus, e.g. monitoring"),

  cpuRequest: key(text.regex(CPU_QUANTITY, { error: "not a CPU quantity" }), "use millicores such as 100m or cores such as 0.5"),
  memoryRequest: key(text.regex(STORAGE_QUANTITY, { error: "not a memory quantity" }), "use a size such as 256Mi"),
  cpuLimit: key(text.regex(CPU_QUANTITY, { error: "not a CPU quantity" }), "use millicores such as 500m or cores such as 1"),
  memoryLimit: key(text.regex(STORAGE_QUANTITY, { error: "not a memory quantity" }), "use a size such as 512Mi"),

  serviceType: key(z.enum(SERVICE_TYPES, { error: `expected one of ${SERVICE_TYPES.join(", ")}` }), "use ClusterIP, NodePort or LoadBalancer"),
  serviceNodePort: key(integer.pipe(z.number().refine((n) => n === 0 || (n >= 30000 && n <= 32767), { error: "must be 0 or within 30000-32767" })), "use 0 or a port in 30000-32767"),
  ingressEnabled: key(bool, "set it to true or false"),
  ingressHost: key(optional(text.regex(HOSTNAME, { error: "not a host name" })), "use a host name such as grafana.example.com"),
  ingressClassName: key(optional(text.regex(HOSTNAME, { error: "not an IngressClass name" })), "use the name of an IngressClass (kubectl get ingressclass)"),
  ingressClusterIssuer: key(optional(text.regex(HOSTNAME, { error: "not a ClusterIssuer name" })), "use the name of a cert-manager ClusterIssuer, e.g. letsencrypt-prod"),
  ingressTlsSecretName: key(optional(text.regex(HOSTNAME, { error: "not a Secret name" })), "use the name of a kubernetes.io/tls Secret"),

  prometheusUrl: key(url, "set the URL of your Prometheus, e.g. http://prometheus-server.monitoring.svc:80"),

  smtpHost: key(optional(text.regex(/^[A-Za-z0-9.-]+:[0-9]{1,5}$/, { error: "expected host:port" })), "use host:port such as smtp.example.com:587"),
  smtpFromAddress: key(optional(z.email({ error: "not an email address" })), "use an address such as grafana@example.com"),
  smtpUser: key(optional(text), "set the SMTP login"),
  smtpPassword: key(optional(text.min(1)), "pulumi config set --secret smtpPassword <password>", true),

  churnApiNamespace: key(text.regex(DNS_LABEL, { error: "not a Kubernetes namespace name" }), "use the namespace of the churn API, e.g. churn-api"),
  restrictFolderEditing: key(bool, "set it to true or false"),

  alertEmailEnabled: key(bool, "set it to true or false"),
  alertEmailAddresses: key(stringList.pipe(z.array(z.email({ error: "not an email address" }))), "list addresses, e.g. [oncall@example.com]"),
  alertSlackEnabled: key(bool, "set it to true or false"),
  alertSlackWebhookUrl: key(optional(url), "pulumi config set --secret alertSlackWebhookUrl https://hooks.slack.com/services/...", true),
  // Slack tokens: bot (xoxb-) or user (xoxp-), as chat.postMessage takes them (Grafana's Slack notifier, receivers/slack).
  alertSlackToken: key(optional(text.regex(/^xox[bp]-[A-Za-z0-9-]+$/, { error: "not a Slack bot token (xoxb-...)" })), "pulumi config set --secret alertSlackToken xoxb-...", true),
  // chat.postMessage's channel: a name, or a channel / group / DM / user ID.
  alertSlackChannel: key(optional(text.regex(/^(#?[a-z0-9][a-z0-9._-]{0,79}|[CGDUW][A-Z0-9]{8,})$/, { error: "not a Slack channel name or ID" })), "use a channel such as #churn-api-alerts or its ID C0123456789"),
  alertWebhookEnabled: key(bool, "set it to true or false"),
  alertWebhookUrl: key(optional(url), "pulumi config set --secret alertWebhookUrl https://...", true),
  alertDemoReceiverUrl: key(optional(url), "use the URL at which Grafana reaches the demo's receiver, e.g. http://172.18.0.1:9095/ (docs/workload.md)"),
  alertPagerdutyEnabled: key(bool, "set it to true or false"),
  alertPagerdutyIntegrationKey: key(optional(text.regex(/^[A-Za-z0-9]{20,64}$/, { error: "not a PagerDuty integration key" })), "pulumi config set --secret alertPagerdutyIntegrationKey <32-character key>", true),

  alertLatencyP95Seconds: key(decimal.pipe(z.number().gt(0, { error: "must be greater than 0" }).max(60, { error: "must be at most 60 seconds" })), "use seconds, e.g. 0.5"),
  alertErrorRatePercent: key(decimal.pipe(z.number().gt(0, { error: "must be greater than 0" }).lt(100, { error: "must be below 100" })), "use a percentage, e.g. 1"),
  alertDriftScore: key(decimal.pipe(z.number().gt(0, { error: "must be greater than 0" }).lt(1, { error: "must be below 1" })), "use a score between 0 and 1, e.g. 0.3"),
  alertLowConfidencePercent: key(decimal.pipe(z.number().gt(0, { error: "must be greater than 0" }).lt(100, { error: "must be below 100" })), "use a percentage, e.g. 10"),
  alertActiveRequests: key(integer.pipe(z.number().min(1, { error: "must be at least 1" })), "use a request count, e.g. 100"),
  alertForWarning: key(duration, "use a duration such as 10m"),
  alertForCritical: key(duration, "use a duration such as 5m"),
  runbookBaseUrl: key(url, "use the URL of your runbook page"),
  maintenanceWindowWeekdays: key(stringList.pipe(z.array(z.enum(WEEKDAYS, { error: `expected weekdays (${WEEKDAYS.join(", ")})` }))), "list lowercase weekdays, e.g. [saturday]"),
  maintenanceWindowStart: key(text.regex(CLOCK, { error: "expected HH:MM" }), "use a time such as 02:00"),
  maintenanceWindowEnd: key(text.regex(CLOCK, { error: "expected HH:MM" }), "use a time such as 04:00"),
  maintenanceWindowTimezone: key(
    text.refine(
      (tz) => {
        // UTC needs no check; other zones load ICU's time zone data (several ms) once.
        if (tz === "UTC") return true;
        try {
          new Intl.DateTimeFormat("en", { timeZone: tz });
          return true;
        } catch {
          return false;
        }
      },
      { error: "not an IANA time zone" },
    ),
    "use a zone such as UTC or Europe/Berlin",
  ),
} as const satisfies Record<string, KeySpec>;

export type ConfigKey = keyof typeof CONFIG_KEYS;
/** The parsed value type of each key. */
export type ParsedConfig = { [K in ConfigKey]: z.output<(typeof CONFIG_KEYS)[K]["schema"]> };
