/**
 * Kubernetes objects as a stack would apply them (the program's own and the Helm
 * release's), and the few shapes the checks read. Types only describe what is read;
 * the OpenAPI schemas (schemas.ts) are what validates them.
 */

export interface ObjectMeta {
  readonly name: string;
  readonly namespace?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
}

export interface KubeObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: ObjectMeta;
  readonly [field: string]: unknown;
}

/** Who creates an object: the program (a Pulumi Kubernetes resource) or the Helm release. */
export type Origin = "program" | "chart";

export interface StackManifest {
  readonly origin: Origin;
  readonly object: KubeObject;
  /** Where it came from: the chart template (grafana/templates/deployment.yaml) or the Pulumi resource. */
  readonly source?: string;
}

/** Everything one stack applies to a cluster. */
export interface StackObjects {
  readonly stack: string;
  readonly namespace: string;
  readonly releaseName: string;
  /** The chart's appVersion: the Grafana image tag the chart pins. */
  readonly appVersion: string;
  readonly manifests: readonly StackManifest[];
}

export interface LabelSelector {
  readonly matchLabels?: Readonly<Record<string, string>>;
  readonly matchExpressions?: readonly { key: string; operator: string; values?: readonly string[] }[];
}

export interface EnvVar {
  readonly name: string;
  readonly value?: string;
  readonly valueFrom?: {
    readonly secretKeyRef?: { name: string; key: string; optional?: boolean };
    readonly configMapKeyRef?: { name: string; key: string; optional?: boolean };
    readonly fieldRef?: { fieldPath: string };
  };
}

export interface ContainerPort {
  readonly name?: string;
  readonly containerPort: number;
  readonly protocol?: string;
}

export interface VolumeMount {
  readonly name: string;
  readonly mountPath: string;
  readonly subPath?: string;
  readonly readOnly?: boolean;
}

export interface SecurityContext {
  readonly readOnlyRootFilesystem?: boolean;
  readonly allowPrivilegeEscalation?: boolean;
  readonly privileged?: boolean;
  readonly runAsNonRoot?: boolean;
}

export interface Container {
  readonly name: string;
  readonly image: string;
  readonly env?: readonly EnvVar[];
  readonly envFrom?: readonly {
    readonly secretRef?: { name: string; optional?: boolean };
    readonly configMapRef?: { name: string; optional?: boolean };
  }[];
  readonly ports?: readonly ContainerPort[];
  readonly volumeMounts?: readonly VolumeMount[];
  readonly resources?: {
    readonly requests?: Readonly<Record<string, string | number>>;
    readonly limits?: Readonly<Record<string, string | number>>;
  };
  readonly securityContext?: SecurityContext;
}

export interface Volume {
  readonly name: string;
  readonly emptyDir?: unknown;
  readonly persistentVolumeClaim?: { claimName: string; readOnly?: boolean };
  readonly configMap?: { name: string; items?: readonly { key: string }[]; optional?: boolean };
  readonly secret?: { secretName: string; items?: readonly { key: string }[]; optional?: boolean };
}

export interface PodSpec {
  readonly serviceAccountName?: string;
  readonly automountServiceAccountToken?: boolean;
  readonly securityContext?: SecurityContext;
  readonly containers: readonly Container[];
  readonly initContainers?: readonly Container[];
  readonly volumes?: readonly Volume[];
  readonly topologySpreadConstraints?: readonly { labelSelector?: LabelSelector }[];
  readonly affinity?: {
    readonly podAntiAffinity?: {
      readonly preferredDuringSchedulingIgnoredDuringExecution?: readonly { podAffinityTerm: { labelSelector?: LabelSelector } }[];
      readonly requiredDuringSchedulingIgnoredDuringExecution?: readonly { labelSelector?: LabelSelector }[];
    };
  };
}

/** A workload's pod template, with the object that owns it. */
export interface PodTemplate {
  readonly owner: KubeObject;
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly spec: PodSpec;
  readonly replicas: number;
}

interface Template {
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: PodSpec;
}

const WORKLOADS = new Set(["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job"]);

/** The pod templates of every workload (and bare pod) among the objects. */
export function podTemplates(objects: readonly KubeObject[]): PodTemplate[] {
  const templates: PodTemplate[] = [];
  for (const o of objects) {
    const spec = o.spec as { template?: Template; jobTemplate?: { spec?: { template?: Template } }; replicas?: number } | undefined;
    let template: Template | undefined;
    if (WORKLOADS.has(o.kind)) template = spec?.template;
    else if (o.kind === "CronJob") template = spec?.jobTemplate?.spec?.template;
    else if (o.kind === "Pod") template = { metadata: o.metadata as Template["metadata"], spec: o.spec as PodSpec };
    if (!template?.spec) continue;
    templates.push({
      owner: o,
      namespace: o.metadata.namespace ?? "",
      labels: template.metadata?.labels ?? {},
      annotations: template.metadata?.annotations ?? {},
      spec: template.spec,
      replicas: typeof spec?.replicas === "number" ? spec.replicas : 1,
    });
  }
  return templates;
}

export const containersOf = (spec: PodSpec): readonly Container[] => [...(spec.initContainers ?? []), ...spec.containers];

/** Label-selector semantics of metav1.LabelSelector (an empty selector selects everything). */
export function selects(s: LabelSelector, labels: Readonly<Record<string, string>>): boolean {
  for (const [key, value] of Object.entries(s.matchLabels ?? {})) if (labels[key] !== value) return false;
  for (const e of s.matchExpressions ?? []) {
    const has = key(labels, e.key);
    const inValues = has && (e.values ?? []).includes(labels[e.key]);
    const ok = e.operator === "In" ? inValues : e.operator === "NotIn" ? !inValues : e.operator === "Exists" ? has : e.operator === "DoesNotExist" ? !has : false;
    if (!ok) return false;
  }
  return true;
}

const key = (labels: Readonly<Record<string, string>>, k: string) => Object.prototype.hasOwnProperty.call(labels, k);

/** "Deployment grafana-dev/grafana": how problems name an object. */
export function describe(o: KubeObject): string {
  return `${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ""}${o.metadata.name}`;
}

/** The API group of an apiVersion ("apps/v1" -> "apps", "v1" -> ""). */
export const apiGroup = (apiVersion: string): string => (apiVersion.includes("/") ? apiVersion.split("/")[0] : "");

/** What the API server keys an object by: group, kind, namespace, name (the version does not matter). */
export function identity(o: KubeObject): string {
  return `${apiGroup(o.apiVersion) || "core"}/${o.kind} ${o.metadata.namespace ?? "(cluster)"}/${o.metadata.name}`;
}

/** Secret keys, from data and stringData. */
export function secretKeys(o: KubeObject): Set<string> {
  return new Set([...Object.keys((o.data as object | undefined) ?? {}), ...Object.keys((o.stringData as object | undefined) ?? {})]);
}
