/**
 * Every stack config key the program reads, with how its raw string is parsed and what
 * to do when it is wrong. Defaults live in Pulumi.yaml only (the CLI applies them); a
 * test keeps this table and Pulumi.yaml's `config:` block in step.
 */
import { z } from "zod";
import {
  bool,
  CLOCK,
  decimal,
  DNS_1035_LABEL,
  DNS_LABEL,
  duration,
  END_CLOCK,
  HELM_RELEASE_NAME_MAX,
  databaseHost,
  hostPort,
  HOSTNAME,
  httpUrl,
  integer,
  optional,
  quantity,
  SEMVER,
  stringList,
  text,
  timeZone,
} from "./config-values";
import { Interpreter } from "./interpreted-text";

export { HELM_RELEASE_NAME_MAX };

/** Pulumi project name: the namespace of every key below (`grafana-k8s:<key>`). */
export const PROJECT = "grafana-k8s";

export const ENVIRONMENTS = ["dev", "staging", "prod"] as const;
export const SERVICE_TYPES = ["ClusterIP", "NodePort", "LoadBalancer"] as const;
export const DATABASE_TYPES = ["sqlite", "postgres", "mysql"] as const;
export const SSL_MODES = ["disable", "require", "verify-ca", "verify-full"] as const;
export const WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"] as const;

/** No config value needs more (the longest are URLs and tokens); longer ones are refused before parsing. */
export const CONFIG_VALUE_MAX_LENGTH = 2048;

export interface KeySpec {
  readonly schema: z.ZodType<unknown, string>;
  /** What the user should do when the value is rejected. */
  readonly fix: string;
  /** Must be set with `pulumi config set --secret`; stays a Pulumi secret. */
  readonly secret?: true;
  /** Programs that interpret the value (components/interpreted-text.ts). */
  readonly reaches?: readonly Interpreter[];
  /**
   * A flag, number, enum, duration or clock time: it cannot hold a credential, and the
   * program derives other values from it (a percentage becomes a ratio), which would
   * carry it out of a secret. Setting it with --secret is refused.
   */
  readonly typed?: true;
}

interface KeyOptions {
  readonly secret?: true;
  readonly reaches?: readonly Interpreter[];
  readonly typed?: true;
}

function key<S extends z.ZodType<unknown, string>>(schema: S, fix: string, options: KeyOptions = {}): { schema: S; fix: string } & KeyOptions {
  return { schema, fix, ...options };
}

const SECRET = { secret: true } as const;
const TYPED = { typed: true } as const;
const flag = (fix = "set it to true or false") => key(bool, fix, TYPED);
const namespaceName = (what: string) => text.regex(DNS_LABEL, { error: `not a Kubernetes namespace name (${what}: lowercase letters, digits, '-', at most 63 characters)` });
/** A threshold: a positive decimal below `below` (or at most `atMost`). */
const threshold = (bound: { readonly below: number } | { readonly atMost: number; readonly unit: string }) => {
  const positive = z.number().gt(0, { error: "must be greater than 0" });
  return decimal.pipe(
    "below" in bound
      ? positive.lt(bound.below, { error: `must be below ${bound.below}` })
      : positive.max(bound.atMost, { error: `must be at most ${bound.atMost} ${bound.unit}` }),
  );
};

export const CONFIG_KEYS = {
  environment: key(z.enum(ENVIRONMENTS, { error: `expected one of ${ENVIRONMENTS.join(", ")}` }), "set it to dev, staging or prod", TYPED),
  deployGrafana: flag("set it to true (deploy Grafana) or false (bring your own Grafana)"),
  grafanaUrl: key(
    optional(httpUrl({ query: false, fragment: false, why: "the provider appends /api/... to it and Grafana uses it as its root_url" })),
    "set the URL at which Pulumi reaches Grafana, e.g. https://grafana.example.com",
    { reaches: ["grafana.ini"] },
  ),
  grafanaAuth: key(optional(text.min(1)), "pulumi config set --secret grafanaAuth 'user:password' (or a service-account token)", { ...SECRET, reaches: ["http-header"] }),

  namespace: key(namespaceName("the stack creates it"), "use a DNS label such as grafana", { reaches: ["grafana.ini"] }),
  releaseName: key(
    text
      .max(HELM_RELEASE_NAME_MAX, { error: `is longer than ${HELM_RELEASE_NAME_MAX} characters, the longest release name Helm accepts` })
      .regex(DNS_1035_LABEL, { error: "not a valid release name: it also names Grafana's Service, which must start with a lowercase letter (then lowercase letters, digits, '-')" }),
    "use a short name such as grafana",
    { reaches: ["grafana.ini", "helm-tpl"] },
  ),
  chartRepo: key(httpUrl(), "use https://grafana-community.github.io/helm-charts"),
  chartVersion: key(text.regex(SEMVER, { error: "not a chart version" }), "use an exact version such as 12.11.1"),
  adminUser: key(text.regex(/^[A-Za-z0-9._@-]{1,64}$/, { error: "not a valid login" }), "use a login such as admin", { reaches: ["grafana-env"] }),
  replicas: key(integer.pipe(z.number().min(1, { error: "must be at least 1" }).max(10, { error: "must be at most 10" })), "use 1 (or 2+ with the HA database settings)", TYPED),

  persistenceEnabled: flag(),
  persistenceSize: key(quantity("storage"), "use a size such as 10Gi", TYPED),
  storageClass: key(optional(text.regex(HOSTNAME, { error: "not a StorageClass name" })), "use the name of a StorageClass (kubectl get storageclass), or \"\" for the default"),
  protectData: flag(),

  databaseType: key(z.enum(DATABASE_TYPES, { error: `expected one of ${DATABASE_TYPES.join(", ")}` }), "use sqlite, or postgres/mysql for an external database", TYPED),
  databaseHost: key(optional(databaseHost), "use host or host:port such as grafana-db.example.internal:5432", { reaches: ["grafana.ini"] }),
  databaseName: key(text.regex(/^[A-Za-z0-9_-]{1,63}$/, { error: "not a database name" }), "use a name such as grafana", { reaches: ["grafana.ini"] }),
  databaseUser: key(text.regex(/^[A-Za-z0-9_.@-]{1,63}$/, { error: "not a database user" }), "use a user such as grafana", { reaches: ["grafana.ini"] }),
  databasePassword: key(optional(text.min(1)), "pulumi config set --secret databasePassword <password>", { ...SECRET, reaches: ["grafana-env"] }),
  databaseSslMode: key(z.enum(SSL_MODES, { error: `expected one of ${SSL_MODES.join(", ")}` }), "use require or verify-full", TYPED),
  networkPolicyEnabled: flag(),
  ingressControllerNamespace: key(namespaceName("the NetworkPolicy admits it"), "use the namespace of your ingress controller, e.g. ingress-nginx"),
  prometheusNamespace: key(namespaceName("the NetworkPolicy admits it"), "use the namespace of your Prometheus, e.g. monitoring"),

  cpuRequest: key(quantity("cpu"), "use millicores such as 100m or cores such as 0.5", TYPED),
  memoryRequest: key(quantity("memory"), "use a size such as 256Mi", TYPED),
  cpuLimit: key(quantity("cpu"), "use millicores such as 500m or cores such as 1", TYPED),
  memoryLimit: key(quantity("memory"), "use a size such as 512Mi", TYPED),

  serviceType: key(z.enum(SERVICE_TYPES, { error: `expected one of ${SERVICE_TYPES.join(", ")}` }), "use ClusterIP, NodePort or LoadBalancer", TYPED),
  // 30000-32767 is Kubernetes' default --service-node-port-range.
  serviceNodePort: key(integer.pipe(z.number().refine((n) => n === 0 || (n >= 30000 && n <= 32767), { error: "must be 0 or within 30000-32767" })), "use 0 or a port in 30000-32767", TYPED),
  ingressEnabled: flag(),
  ingressHost: key(optional(text.regex(HOSTNAME, { error: "not a host name" })), "use a host name such as grafana.example.com", { reaches: ["helm-tpl", "grafana.ini"] }),
  ingressClassName: key(optional(text.regex(HOSTNAME, { error: "not an IngressClass name" })), "use the name of an IngressClass (kubectl get ingressclass)"),
  ingressClusterIssuer: key(optional(text.regex(HOSTNAME, { error: "not a ClusterIssuer name" })), "use the name of a cert-manager ClusterIssuer, e.g. letsencrypt-prod", { reaches: ["helm-tpl"] }),
  ingressTlsSecretName: key(optional(text.regex(HOSTNAME, { error: "not a Secret name" })), "use the name of a kubernetes.io/tls Secret", { reaches: ["helm-tpl"] }),

  prometheusUrl: key(optional(httpUrl()), "set the URL of your Prometheus, e.g. http://prometheus-server.monitoring.svc:80", { reaches: ["provisioning"] }),

  smtpHost: key(optional(hostPort), "use host:port such as smtp.example.com:587", { reaches: ["grafana.ini"] }),
  smtpFromAddress: key(optional(z.email({ error: "not an email address" })), "use an address such as grafana@example.com", { reaches: ["grafana.ini"] }),
  smtpUser: key(optional(text), "set the SMTP login", { reaches: ["grafana-env"] }),
  smtpPassword: key(optional(text.min(1)), "pulumi config set --secret smtpPassword <password>", { ...SECRET, reaches: ["grafana-env"] }),

  churnApiNamespace: key(namespaceName("the churn API runs there"), "use the namespace of the churn API, e.g. churn-api"),
  restrictFolderEditing: flag(),

  alertEmailEnabled: flag(),
  alertEmailAddresses: key(stringList.pipe(z.array(z.email({ error: "not an email address" }))), "list addresses, e.g. [oncall@example.com]"),
  alertSlackEnabled: flag(),
  alertSlackWebhookUrl: key(optional(httpUrl()), "pulumi config set --secret alertSlackWebhookUrl https://hooks.slack.com/services/...", SECRET),
  // Slack tokens: bot (xoxb-) or user (xoxp-), as chat.postMessage takes them (Grafana's Slack notifier, receivers/slack);
  // Grafana sends it as the Authorization header.
  alertSlackToken: key(optional(text.regex(/^xox[bp]-[A-Za-z0-9-]+$/, { error: "not a Slack bot token (xoxb-...)" })), "pulumi config set --secret alertSlackToken xoxb-...", { ...SECRET, reaches: ["http-header"] }),
  // chat.postMessage's channel: a name, or a channel / group / DM / user ID.
  alertSlackChannel: key(optional(text.regex(/^(#?[a-z0-9][a-z0-9._-]{0,79}|[CGDUW][A-Z0-9]{8,})$/, { error: "not a Slack channel name or ID" })), "use a channel such as #churn-api-alerts or its ID C0123456789", { reaches: ["notification-template"] }),
  alertWebhookEnabled: flag(),
  alertWebhookUrl: key(optional(httpUrl()), "pulumi config set --secret alertWebhookUrl https://...", { ...SECRET, reaches: ["notification-template"] }),
  // The URL of a Grafana webhook contact point, as alertWebhookUrl (no credentials: not a secret).
  alertDemoReceiverUrl: key(optional(httpUrl()), "use the URL at which Grafana reaches the demo's receiver, e.g. http://172.18.0.1:9095/ (docs/workload.md)", {
    reaches: ["notification-template"],
  }),
  alertPagerdutyEnabled: flag(),
  alertPagerdutyIntegrationKey: key(optional(text.regex(/^[A-Za-z0-9]{20,64}$/, { error: "not a PagerDuty integration key" })), "pulumi config set --secret alertPagerdutyIntegrationKey <32-character key>", SECRET),

  alertLatencyP95Seconds: key(threshold({ atMost: 60, unit: "seconds" }), "use seconds, e.g. 0.5", TYPED),
  alertErrorRatePercent: key(threshold({ below: 100 }), "use a percentage, e.g. 1", TYPED),
  alertDriftScore: key(threshold({ below: 1 }), "use a score between 0 and 1, e.g. 0.3", TYPED),
  alertLowConfidencePercent: key(threshold({ below: 100 }), "use a percentage, e.g. 10", TYPED),
  alertActiveRequests: key(integer.pipe(z.number().min(1, { error: "must be at least 1" })), "use a request count, e.g. 100", TYPED),
  alertForWarning: key(duration, "use a duration such as 10m", TYPED),
  alertForCritical: key(duration, "use a duration such as 5m", TYPED),
  runbookBaseUrl: key(httpUrl({ fragment: false, why: "each alert appends #<alert-name>" }), "use the URL of your runbook page", { reaches: ["alert-template"] }),
  maintenanceWindowWeekdays: key(stringList.pipe(z.array(z.enum(WEEKDAYS, { error: `expected weekdays (${WEEKDAYS.join(", ")})` }))), "list lowercase weekdays, e.g. [saturday]", TYPED),
  maintenanceWindowStart: key(text.regex(CLOCK, { error: "expected HH:MM (00:00-23:59)" }), "use a time such as 02:00", TYPED),
  maintenanceWindowEnd: key(text.regex(END_CLOCK, { error: "expected HH:MM (00:00-24:00)" }), "use a time such as 04:00", TYPED),
  maintenanceWindowTimezone: key(timeZone, "use a zone such as UTC or Europe/Berlin (exact case)", TYPED),
} as const satisfies Record<string, KeySpec>;

export type ConfigKey = keyof typeof CONFIG_KEYS;
/** The parsed value type of each key. */
export type ParsedConfig = { [K in ConfigKey]: z.output<(typeof CONFIG_KEYS)[K]["schema"]> };
