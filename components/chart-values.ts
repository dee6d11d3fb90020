/**
 * Pure: DeploymentSettings -> values for the grafana chart. Overrides of the chart's
 * defaults, each for a reason; a value that restates a default is kept where other code
 * or tests rely on it being explicit (security contexts, service port 80 that
 * inClusterUrl assumes, persistence type and access mode, the admin Secret's keys).
 * Every key path here is checked against the pinned chart's key list
 * (validation/chart-keys.ts), because Helm silently ignores a misspelt key.
 */
import { PROMETHEUS_DATASOURCE, PROMETHEUS_SCRAPE_INTERVAL_SECONDS } from "../catalog/datasource";
import { ENV, grafanaIni } from "./grafana-ini";
import { DeploymentSettings } from "./settings";

/** Names of the Kubernetes objects the deployment creates next to the chart. */
export function objectNames(d: Pick<DeploymentSettings, "releaseName">) {
  return {
    adminSecret: `${d.releaseName}-admin-credentials`,
    smtpSecret: `${d.releaseName}-smtp`,
    secretKeySecret: `${d.releaseName}-secret-key`,
    databaseSecret: `${d.releaseName}-database`,
  } as const;
}

/** Keys of the admin Secret, as the chart's `admin.userKey` / `admin.passwordKey` expect. */
export const ADMIN_SECRET_KEYS = { user: "admin-user", password: "admin-password" } as const;
export const SMTP_SECRET_KEYS = { user: "user", password: "password" } as const;
export const SECRET_KEY_KEY = "secret-key";
export const DATABASE_PASSWORD_KEY = "password";

/** Labels the chart puts on Grafana's pods (selectors for spreading and NetworkPolicy). */
export function podLabels(d: Pick<DeploymentSettings, "releaseName">): Record<string, string> {
  return { "app.kubernetes.io/name": "grafana", "app.kubernetes.io/instance": d.releaseName };
}

/** Go's temp dir, an emptyDir under the read-only root filesystem. */
export const WRITABLE_TMP = "/tmp";

const fromSecret = (name: string, key: string): ChartValues => ({ secretKeyRef: { name, key } });

/** Pod placement and disruption settings of the HA mode. */
function highAvailabilityValues(d: DeploymentSettings): ChartValues {
  const selector = { matchLabels: podLabels(d) };
  return {
    // The gossip peers resolve each other through it.
    headlessService: true,
    podDisruptionBudget: { minAvailable: 1 },
    topologySpreadConstraints: [
      { maxSkew: 1, topologyKey: "kubernetes.io/hostname", whenUnsatisfiable: "ScheduleAnyway", labelSelector: selector },
      { maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "ScheduleAnyway", labelSelector: selector },
    ],
    affinity: {
      podAntiAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [
          { weight: 100, podAffinityTerm: { topologyKey: "kubernetes.io/hostname", labelSelector: selector } },
        ],
      },
    },
  };
}

/** Chart values are plain JSON-like data. */
export type ChartValues = { [key: string]: ChartValue };
export type ChartValue = string | number | boolean | null | ChartValue[] | ChartValues;

export interface ChartValuesInput {
  readonly deployment: DeploymentSettings;
  /** The stack deploys Grafana-managed recording rules (imported rule files): Grafana must run them. */
  readonly recordingRules?: boolean;
}

/** Grafana's datasource provisioning file: the Prometheus datasource dashboards and rules read (uid prometheus). */
function datasourcesFile(d: DeploymentSettings): ChartValues {
  return {
    apiVersion: 1,
    datasources: [
      {
        name: PROMETHEUS_DATASOURCE.name,
        uid: PROMETHEUS_DATASOURCE.uid,
        type: PROMETHEUS_DATASOURCE.type,
        url: d.prometheusUrl,
        access: "proxy",
        isDefault: true,
        editable: false,
        jsonData: { httpMethod: "POST", timeInterval: `${PROMETHEUS_SCRAPE_INTERVAL_SECONDS}s` },
      },
    ],
  };
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
    // A ReadWriteOnce volume cannot attach to the new pod while the old one runs; HA
    // replaces pods one at a time without dropping below the replica count.
    deploymentStrategy: d.persistence.enabled
      ? { type: "Recreate" }
      : { type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
    // Non-root, no privilege escalation, all capabilities dropped, RuntimeDefault seccomp.
    securityContext: { runAsNonRoot: true, runAsUser: 472, runAsGroup: 472, fsGroup: 472, seccompProfile: { type: "RuntimeDefault" } },
    // The root filesystem is read-only; Grafana writes only to its data volume, the
    // chart's search-index emptyDir and /tmp (plugin downloads: grafana-community/
    // helm-charts#729). Logs go to the console ([log] mode = console, the chart's default).
    containerSecurityContext: {
      allowPrivilegeEscalation: false,
      privileged: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ["ALL"] },
      seccompProfile: { type: "RuntimeDefault" },
    },
    extraEmptyDirMounts: [{ name: "tmp", mountPath: WRITABLE_TMP }],
    // Nothing in the pod calls the Kubernetes API: no service-account token, and no RBAC
    // objects. The pod-level value wins over the service account's (templates/_pod.tpl),
    // and rbac.create would add a ClusterRole and ClusterRoleBinding named after the
    // release (templates/clusterrole.yaml) that collide with any other release of the same
    // name in the cluster.
    automountServiceAccountToken: false,
    rbac: { create: false },
    // POD_IP (for HA gossip) is not here: templates/_pod.tpl always sets it, and a
    // second definition breaks later updates (kubernetes/kubernetes#86163).
    envValueFrom: {
      [ENV.secretKey]: fromSecret(names.secretKeySecret, SECRET_KEY_KEY),
      ...(d.database ? { [ENV.databasePassword]: fromSecret(names.databaseSecret, DATABASE_PASSWORD_KEY) } : {}),
    },
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
          // No cert-manager annotation: the program creates the Certificate itself and
          // waits for it (components/certificate.ts); two owners would fight over it.
          hosts: [d.ingress.host],
          path: "/",
          pathType: "Prefix",
          tls: d.ingress.tlsSecretName ? [{ secretName: d.ingress.tlsSecretName, hosts: [d.ingress.host] }] : [],
        }
      : { enabled: false },
    // A URL set with --secret (it may carry a token) goes into the chart's config Secret, not
    // its ConfigMap: the chart's `secret:` form (templates/configSecret.yaml, _pod.tpl mounts it
    // at the same provisioning path; plain entries are rendered by _config.tpl into the ConfigMap).
    datasources: { "datasources.yaml": d.prometheusUrlIsSecret ? { secret: datasourcesFile(d) } : datasourcesFile(d) },
    "grafana.ini": grafanaIni(d, { recordingRules: input.recordingRules === true }),
    // The chart's test pod pulls an extra image and is not needed to run Grafana.
    testFramework: { enabled: false },
    // The chart's chown init container runs as root with CHOWN/DAC_OVERRIDE and no
    // limits; fsGroup 472 already gives Grafana its volume.
    initChownData: { enabled: false },
  };
  if (d.highAvailability) Object.assign(values, highAvailabilityValues(d));
  if (d.smtp?.user) {
    values.smtp = { existingSecret: names.smtpSecret, userKey: SMTP_SECRET_KEYS.user, passwordKey: SMTP_SECRET_KEYS.password };
  }
  return values;
}
