/**
 * The one typed, validated view of a stack's configuration. Components receive a
 * `Settings`; only components/config.ts reads Pulumi config.
 */
// The SDK's output module alone: the build and the tools load it without the whole SDK.
import { Output, secret as secretOutput } from "@pulumi/pulumi/output";
import { AlertThresholds } from "../alerts/types";
import { CONFIG_KEYS, CONFIG_VALUE_MAX_LENGTH, ConfigKey, KeySpec, ParsedConfig, PROJECT } from "./config-keys";
import { InputError, Problem } from "../lib/errors";
import { redactProblem, showName, showValue } from "../lib/shown-value";
import { problemForStack } from "./stack-commands";
import { interpretedTextProblem } from "./interpreted-text";
import { closest } from "../lib/suggest";
import { crossFieldProblems } from "./settings-rules";

export { AlertThresholds };

export type Environment = ParsedConfig["environment"];
export type ServiceType = ParsedConfig["serviceType"];
export type Weekday = ParsedConfig["maintenanceWindowWeekdays"][number];

export interface ChartSettings {
  readonly name: "grafana";
  readonly repo: string;
  readonly version: string;
}

export interface DeploymentSettings {
  readonly namespace: string;
  /** The Prometheus the provisioned datasource (uid `prometheus`) reads. */
  readonly prometheusUrl: string;
  /** prometheusUrl was set with --secret (it may carry a token): the datasource file goes into a Kubernetes Secret. */
  readonly prometheusUrlIsSecret: boolean;
  readonly releaseName: string;
  readonly chart: ChartSettings;
  readonly adminUser: string;
  readonly replicas: number;
  readonly persistence: { readonly enabled: boolean; readonly size: string; readonly storageClass?: string };
  /** protect + retainOnDelete on the namespace, claim and release. */
  readonly protectData: boolean;
  readonly resources: {
    readonly requests: { readonly cpu: string; readonly memory: string };
    readonly limits: { readonly cpu: string; readonly memory: string };
  };
  readonly service: { readonly type: ServiceType; readonly nodePort?: number };
  readonly ingress?: { readonly host: string; readonly className?: string; readonly tlsSecretName?: string; readonly clusterIssuer?: string };
  /** https://<ingress host> (http without TLS), when Grafana is exposed through the ingress. */
  readonly externalUrl?: string;
  /** Grafana's `server.root_url`: the address users open. */
  readonly rootUrl: string;
  /** An external database (required for replicas > 1); absent: SQLite on the volume. */
  readonly database?: {
    readonly type: "postgres" | "mysql";
    readonly host: string;
    readonly name: string;
    readonly user: string;
    readonly password: Output<string>;
    readonly sslMode: string;
  };
  /** Several replicas sharing the database, de-duplicating notifications over gossip. */
  readonly highAvailability: boolean;
  /** Admit only these namespaces (and HA peers) to Grafana's pods. */
  readonly networkPolicy?: { readonly ingressControllerNamespace: string; readonly prometheusNamespace: string };
  readonly smtp?: {
    readonly host: string;
    readonly fromAddress: string;
    readonly user?: string;
    readonly password?: Output<string>;
  };
}

/**
 * Slack, in one of its two modes: an incoming webhook posts to the channel it was created
 * for (Slack ignores any other); a bot token posts with chat.postMessage to `channel`.
 */
export type SlackSettings =
  | { readonly mode: "webhook"; readonly webhookUrl: Output<string> }
  | { readonly mode: "bot"; readonly token: Output<string>; readonly channel: string };

export interface ReceiverSettings {
  readonly email?: { readonly addresses: readonly string[] };
  readonly slack?: SlackSettings;
  readonly webhook?: { readonly url: Output<string> };
  /** The demo's notification receiver (workload/alert-receiver.ts): takes no credentials, so not a secret. */
  readonly demoReceiver?: { readonly url: string };
  readonly pagerduty?: { readonly integrationKey: Output<string> };
}

export interface AlertingSettings {
  readonly receivers: ReceiverSettings;
  readonly thresholds: AlertThresholds;
  readonly forWarning: string;
  readonly forCritical: string;
  readonly runbookBaseUrl: string;
  readonly maintenanceWindow?: {
    readonly weekdays: readonly Weekday[];
    readonly start: string;
    readonly end: string;
    readonly timezone: string;
  };
}

export interface Settings {
  readonly stack: string;
  readonly environment: Environment;
  /** Present when this stack deploys Grafana; absent in bring-your-own-Grafana mode. */
  readonly deployment?: DeploymentSettings;
  /** How Pulumi's Grafana provider reaches the API. */
  readonly grafanaApi: {
    /** Known at preview time when set in config or derived from the ingress host. */
    readonly url: string;
    /** Bring-your-own credentials; absent when the generated admin credentials are used. */
    readonly auth?: Output<string>;
  };
  readonly content: { readonly churnApiNamespace: string; readonly restrictFolderEditing: boolean };
  readonly alerting: AlertingSettings;
  /** Values of the keys set with `--secret`: messages print them as [secret]. */
  readonly secretValues: readonly string[];
  /**
   * Values of the keys set with `--secret` that are not declared secret (a Prometheus URL
   * carrying a token): they travel as plain text, so every registered input and output
   * holding one is sealed (components/secret-values.ts). Declared secrets are secret
   * Outputs from the start.
   */
  readonly sealedValues: readonly string[];
}

/** Raw stack config as Pulumi hands it to the program: un-namespaced key -> string. */
export interface RawConfig {
  readonly stack: string;
  readonly values: Readonly<Record<string, string>>;
  /** Keys whose value was set with `--secret`. */
  readonly secretKeys: ReadonlySet<string>;
}

/** Why one raw value is refused before its schema runs, or undefined. */
function rawValueProblem(name: ConfigKey, value: string, isSecret: boolean, raw: RawConfig): Omit<Problem, "where"> | undefined {
  const spec: KeySpec = CONFIG_KEYS[name];
  const shown = showValue(value, { secret: isSecret });
  if (spec.secret && value !== "" && !raw.secretKeys.has(name)) {
    return { message: "is a secret but is stored in plain text", fix: spec.fix };
  }
  if (spec.typed && raw.secretKeys.has(name)) {
    return {
      message: "was set with --secret, but it is a setting, not a credential: the program derives other values from it, which could not stay secret",
      fix: `pulumi config set ${name} <value> (without --secret)`,
    };
  }
  if (value.length > CONFIG_VALUE_MAX_LENGTH) {
    return { message: `${shown} is too long (${value.length} characters; at most ${CONFIG_VALUE_MAX_LENGTH})`, fix: spec.fix };
  }
  const interpreted = interpretedTextProblem(value, spec.reaches);
  return interpreted ? { message: `${shown} ${interpreted.message}`, fix: interpreted.fix } : undefined;
}

/** Parses each key on its own; returns the values and every problem found. */
function parseKeys(raw: RawConfig): { parsed: Partial<ParsedConfig>; problems: Problem[]; failed: Set<string> } {
  const problems: Problem[] = [];
  const failed = new Set<string>();
  const parsed: Record<string, unknown> = {};
  for (const name of Object.keys(raw.values)) {
    if (!(name in CONFIG_KEYS)) {
      const guess = closest(name, Object.keys(CONFIG_KEYS));
      problems.push({
        where: `${PROJECT}:${showName(name)}`,
        message: "unknown config key (a typo is otherwise silently ignored)",
        fix: guess ? `did you mean ${guess}?` : `remove it: pulumi config rm ${showName(name)}`,
      });
    }
  }
  for (const [name, spec] of Object.entries(CONFIG_KEYS) as [ConfigKey, KeySpec][]) {
    const value = raw.values[name];
    const where = `${PROJECT}:${name}`;
    if (value === undefined) {
      problems.push({ where, message: "missing", fix: `pulumi config set ${name} <value> (${spec.fix})` });
      failed.add(name);
      continue;
    }
    // Never echo a secret, nor credentials someone put inside a URL.
    const isSecret = spec.secret === true || raw.secretKeys.has(name);
    const refused = rawValueProblem(name, value, isSecret, raw);
    if (refused) {
      problems.push({ where, ...refused });
      failed.add(name);
      continue;
    }
    const result = spec.schema.safeParse(value);
    if (result.success) {
      parsed[name] = result.data;
    } else {
      const reason = result.error.issues.map((i) => i.message).join("; ");
      // What the value should be (its normal form, its correct case) or probably meant (a
      // near name), when a check knows: derived from the value, so withheld for a secret.
      const params = result.error.issues.map((i) => (i as { params?: { suggestion?: string; guess?: string } }).params ?? {});
      const suggestion = params.map((p) => p.suggestion).find(Boolean);
      const guess = params.map((p) => p.guess).find(Boolean);
      const fix = isSecret ? spec.fix : suggestion ? `write it as ${showValue(suggestion)}` : guess ? `did you mean ${showValue(guess)}? (${spec.fix})` : spec.fix;
      problems.push({ where, message: `${showValue(value, { secret: isSecret })} is invalid: ${reason}`, fix });
      failed.add(name);
    }
  }
  return { parsed: parsed as Partial<ParsedConfig>, problems, failed };
}

const secret = (value: string | undefined): Output<string> | undefined =>
  value === undefined ? undefined : secretOutput(value);

function buildSettings(stack: string, c: ParsedConfig, raw: RawConfig): Settings {
  const ingress = c.ingressEnabled && c.ingressHost
    ? { host: c.ingressHost, className: c.ingressClassName, tlsSecretName: c.ingressTlsSecretName, clusterIssuer: c.ingressClusterIssuer }
    : undefined;
  const externalUrl = ingress ? `${ingress.tlsSecretName ? "https" : "http"}://${ingress.host}` : undefined;
  const inClusterUrl = `http://${c.releaseName}.${c.namespace}.svc.cluster.local`;
  const apiUrl = c.grafanaUrl ?? externalUrl ?? inClusterUrl;
  const deployment: DeploymentSettings | undefined = c.deployGrafana
    ? {
        namespace: c.namespace,
        // Set whenever deployGrafana is (settings-rules.ts refuses the stack otherwise).
        prometheusUrl: c.prometheusUrl ?? "",
        prometheusUrlIsSecret: raw.secretKeys.has("prometheusUrl"),
        releaseName: c.releaseName,
        chart: { name: "grafana", repo: c.chartRepo, version: c.chartVersion },
        adminUser: c.adminUser,
        replicas: c.replicas,
        persistence: { enabled: c.persistenceEnabled, size: c.persistenceSize, storageClass: c.storageClass },
        protectData: c.protectData,
        resources: {
          requests: { cpu: c.cpuRequest, memory: c.memoryRequest },
          limits: { cpu: c.cpuLimit, memory: c.memoryLimit },
        },
        service: { type: c.serviceType, nodePort: c.serviceNodePort === 0 ? undefined : c.serviceNodePort },
        ingress,
        rootUrl: `${externalUrl ?? c.grafanaUrl ?? inClusterUrl}/`,
        externalUrl,
        database:
          c.databaseType !== "sqlite" && c.databaseHost && c.databasePassword
            ? {
                type: c.databaseType,
                host: c.databaseHost,
                name: c.databaseName,
                user: c.databaseUser,
                password: secretOutput(c.databasePassword),
                sslMode: c.databaseSslMode,
              }
            : undefined,
        highAvailability: c.replicas > 1,
        networkPolicy: c.networkPolicyEnabled
          ? { ingressControllerNamespace: c.ingressControllerNamespace, prometheusNamespace: c.prometheusNamespace }
          : undefined,
        smtp: c.smtpHost
          ? { host: c.smtpHost, fromAddress: c.smtpFromAddress ?? "", user: c.smtpUser, password: secret(c.smtpPassword) }
          : undefined,
      }
    : undefined;
  return {
    stack,
    environment: c.environment,
    deployment,
    grafanaApi: { url: apiUrl.replace(/\/+$/, ""), auth: secret(c.grafanaAuth) },
    content: { churnApiNamespace: c.churnApiNamespace, restrictFolderEditing: c.restrictFolderEditing },
    alerting: {
      receivers: {
        email: c.alertEmailEnabled ? { addresses: c.alertEmailAddresses } : undefined,
        slack: !c.alertSlackEnabled
          ? undefined
          : c.alertSlackToken && c.alertSlackChannel
            ? { mode: "bot", token: secretOutput(c.alertSlackToken), channel: c.alertSlackChannel }
            : c.alertSlackWebhookUrl
              ? { mode: "webhook", webhookUrl: secretOutput(c.alertSlackWebhookUrl) }
              : undefined,
        webhook: c.alertWebhookEnabled && c.alertWebhookUrl ? { url: secretOutput(c.alertWebhookUrl) } : undefined,
        demoReceiver: c.alertDemoReceiverUrl ? { url: c.alertDemoReceiverUrl } : undefined,
        pagerduty:
          c.alertPagerdutyEnabled && c.alertPagerdutyIntegrationKey
            ? { integrationKey: secretOutput(c.alertPagerdutyIntegrationKey) }
            : undefined,
      },
      thresholds: {
        latencyP95Seconds: c.alertLatencyP95Seconds,
        errorRatePercent: c.alertErrorRatePercent,
        driftScore: c.alertDriftScore,
        lowConfidencePercent: c.alertLowConfidencePercent,
        activeRequests: c.alertActiveRequests,
      },
      forWarning: c.alertForWarning,
      forCritical: c.alertForCritical,
      runbookBaseUrl: c.runbookBaseUrl,
      maintenanceWindow:
        c.maintenanceWindowWeekdays.length > 0
          ? {
              weekdays: c.maintenanceWindowWeekdays,
              start: c.maintenanceWindowStart,
              end: c.maintenanceWindowEnd,
              timezone: c.maintenanceWindowTimezone,
            }
          : undefined,
    },
    secretValues: secretValuesOf(raw),
    sealedValues: secretValuesOf(raw, (key) => !(key in CONFIG_KEYS && "secret" in CONFIG_KEYS[key as ConfigKey])),
  };
}

/** The non-empty values of the keys set with --secret (those `which` selects). */
function secretValuesOf(raw: RawConfig, which: (key: string) => boolean = () => true): string[] {
  return [...raw.secretKeys]
    .filter(which)
    .map((k) => raw.values[k])
    .filter((v): v is string => typeof v === "string" && v !== "");
}

/**
 * Validates a whole stack config and returns its Settings, or throws one InputError
 * that lists every problem (key, bad value, fix), with `fileProblems` found in the stack
 * file itself. Pure: registers nothing.
 */
export function parseSettings(raw: RawConfig, fileProblems: readonly Problem[] = []): Settings {
  const { parsed, problems, failed } = parseKeys(raw);
  problems.unshift(...fileProblems);
  // Rules whose keys all parsed still run, so one pass reports everything.
  problems.push(...crossFieldProblems(parsed as ParsedConfig, failed));
  const secretValues = secretValuesOf(raw);
  if (problems.length > 0) {
    throw new InputError(`Invalid stack configuration for stack "${raw.stack}"`, problems.map((p) => redactProblem(problemForStack(p, raw.stack), secretValues)));
  }
  return buildSettings(raw.stack, parsed as ParsedConfig, raw);
}

/** This project's keys out of a full config map (`grafana-k8s:<key>` -> value). */
export function rawConfigFrom(
  stack: string,
  allConfig: Readonly<Record<string, string>>,
  isSecret: (fullKey: string) => boolean,
): RawConfig {
  const prefix = `${PROJECT}:`;
  const values: Record<string, string> = {};
  const secretKeys = new Set<string>();
  for (const [fullKey, value] of Object.entries(allConfig)) {
    if (!fullKey.startsWith(prefix)) continue;
    const name = fullKey.slice(prefix.length);
    values[name] = value;
    if (isSecret(fullKey)) secretKeys.add(name);
  }
  return { stack, values, secretKeys };
}
