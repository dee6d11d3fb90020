/**
 * Pure: DeploymentSettings -> the chart's `grafana.ini`. Secrets never appear here:
 * they reach Grafana as environment variables from Kubernetes Secrets and are
 * referenced as $__env{...}, which keeps the chart's assertNoLeakedSecrets satisfied.
 */
import { PROMETHEUS_DATASOURCE } from "../catalog/datasource";
import { PASSWORD_POLICY } from "./admin-password";
import { ChartValues } from "./chart-values";
import { DeploymentSettings } from "./settings";

/** Environment variables the pod gets from Secrets (or the downward API). */
export const ENV = {
  secretKey: "GF_SECURITY_SECRET_KEY",
  databasePassword: "GF_DATABASE_PASSWORD",
  /** Set by the chart itself (templates/_pod.tpl) from status.podIP. */
  podIp: "POD_IP",
} as const;

/** Grafana's alertmanager gossip port between HA peers. */
export const GOSSIP_PORT = 9094;

const env = (name: string) => `$__env{${name}}`;

function headlessServiceHost(d: Pick<DeploymentSettings, "releaseName" | "namespace">): string {
  return `${d.releaseName}-headless.${d.namespace}.svc.cluster.local`;
}

function databaseSection(d: DeploymentSettings): ChartValues {
  if (!d.database) {
    // The provider writes dashboards, rules and folders concurrently; SQLite without
    // WAL answers "database is locked".
    return { wal: true };
  }
  return {
    type: d.database.type,
    host: d.database.host,
    name: d.database.name,
    user: d.database.user,
    password: env(ENV.databasePassword),
    ...(d.database.type === "postgres" ? { ssl_mode: d.database.sslMode } : {}),
  };
}

export function grafanaIni(d: DeploymentSettings, content: { readonly recordingRules?: boolean } = {}): ChartValues {
  const tls = Boolean(d.ingress?.tlsSecretName);
  const ini: ChartValues = {
    server: { root_url: d.rootUrl },
    analytics: { reporting_enabled: false, check_for_updates: false, check_for_plugin_updates: false },
    // Hardening as Grafana's security guide recommends: no self sign-up, no anonymous
    // access, no new organisations, strong passwords for the built-in login.
    users: { allow_sign_up: false, allow_org_create: false, default_role: "Viewer" },
    "auth.anonymous": { enabled: false },
    // The generated admin password satisfies it (components/admin-password.ts).
    "auth.basic": { enabled: true, password_policy: PASSWORD_POLICY.enabled },
    database: databaseSection(d),
    security: {
      // Encrypts datasource and contact-point secrets stored in the database.
      secret_key: env(ENV.secretKey),
      disable_gravatar: true,
      cookie_secure: tls,
      // lax (Grafana's default): links in notifications must arrive logged in.
      cookie_samesite: "lax",
      strict_transport_security: tls,
      content_security_policy: true,
      x_content_type_options: true,
      x_xss_protection: true,
    },
  };
  if (d.highAvailability) {
    // Peers find each other through the headless service and de-duplicate notifications.
    ini.unified_alerting = {
      enabled: true,
      ha_peers: `${headlessServiceHost(d)}:${GOSSIP_PORT}`,
      ha_listen_address: `${env(ENV.podIp)}:${GOSSIP_PORT}`,
      ha_advertise_address: `${env(ENV.podIp)}:${GOSSIP_PORT}`,
    };
  }
  if (content.recordingRules) {
    // Grafana-managed recording rules run only where enabled, and write their series to a
    // Prometheus-compatible datasource (which must accept remote write:
    // --web.enable-remote-write-receiver). Rules name it; this is the fallback.
    ini.recording_rules = { enabled: true, default_datasource_uid: PROMETHEUS_DATASOURCE.uid };
  }
  if (d.smtp) {
    ini.smtp = { enabled: true, host: d.smtp.host, from_address: d.smtp.fromAddress, from_name: "Grafana" };
  }
  return ini;
}
