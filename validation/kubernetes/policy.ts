/**
 * Policy for what a stack applies: a namespaced install that can share a cluster, and a
 * least-privilege Grafana pod (the Kubernetes "restricted" Pod Security Standard where it
 * applies, https://kubernetes.io/docs/concepts/security/pod-security-standards/).
 */
import { Problem } from "../../lib/errors";
import { effectiveSetting, grafanaIniOf } from "./grafana-pod";
import { Container, containersOf, describe, KubeObject, podTemplates, PodTemplate, StackManifest, StackObjects } from "./objects";

/** Kinds the API server keeps outside namespaces (`kubectl api-resources --namespaced=false`). */
export const CLUSTER_SCOPED_KINDS: ReadonlySet<string> = new Set([
  "Namespace", "Node", "PersistentVolume", "ClusterRole", "ClusterRoleBinding", "StorageClass", "CSIDriver", "CSINode",
  "VolumeAttachment", "CustomResourceDefinition", "APIService", "PriorityClass", "RuntimeClass", "IngressClass",
  "MutatingWebhookConfiguration", "ValidatingWebhookConfiguration", "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding",
  "CertificateSigningRequest", "FlowSchema", "PriorityLevelConfiguration", "PodSecurityPolicy", "ClusterIssuer",
]);

const at = (stack: StackObjects, o: KubeObject, detail = "") => `${stack.stack}: ${describe(o)}${detail}`;

/**
 * Only objects in the stack's namespace, except the namespace itself, which the program
 * owns: a cluster-scoped object of the chart would collide with any other release of the
 * same name in another namespace (Helm: "exists and cannot be imported into the current release").
 */
function namespacedOnly(stack: StackObjects): Problem[] {
  return stack.manifests.flatMap(({ origin, object }: StackManifest) => {
    const ownNamespace = origin === "program" && object.kind === "Namespace" && object.metadata.name === stack.namespace;
    if (ownNamespace) return [];
    if (CLUSTER_SCOPED_KINDS.has(object.kind) || !object.metadata.namespace) {
      return [{ where: at(stack, object), message: `is cluster-scoped (created by the ${origin}): a namespaced install must create objects only in namespace ${stack.namespace}`, fix: origin === "chart" ? "turn the chart feature off in components/chart-values.ts (rbac.create: false needs no cluster role)" : undefined }];
    }
    return object.metadata.namespace === stack.namespace ? [] : [{ where: at(stack, object), message: `is outside the stack's namespace ${stack.namespace}` }];
  });
}

/** The pod mounts no service-account token: nothing in it calls the Kubernetes API. */
function noServiceAccountToken(stack: StackObjects, objects: readonly KubeObject[], pods: readonly PodTemplate[]): Problem[] {
  return pods.flatMap((pod) => {
    const name = pod.spec.serviceAccountName ?? "default";
    const account = objects.find((o) => o.kind === "ServiceAccount" && o.metadata.name === name && o.metadata.namespace === pod.namespace);
    // The pod's field wins over the service account's (core/v1 PodSpec.automountServiceAccountToken).
    const mounts = pod.spec.automountServiceAccountToken ?? (account?.automountServiceAccountToken as boolean | undefined) ?? true;
    return mounts
      ? [{ where: at(stack, pod.owner), message: `mounts the token of service account ${name} (automountServiceAccountToken is not false on the pod${account ? "" : " and the account is not in the stack"})`, fix: "automountServiceAccountToken: false (chart-values.ts)" }]
      : [];
  });
}

/** Grafana's writable paths when grafana.ini and the env do not set them (the grafana/grafana image's GF_PATHS_*). */
const IMAGE_DEFAULTS = { data: "/var/lib/grafana", plugins: "/var/lib/grafana/plugins", logs: "/var/log/grafana" } as const;
/** Go's os.TempDir: plugin downloads and other scratch files. */
const TEMP_DIR = "/tmp";

/** The paths Grafana writes to, as its settings resolve. */
function grafanaWritablePaths(pod: PodTemplate, objects: readonly KubeObject[]): { container: Container; paths: string[] } | undefined {
  const ini = grafanaIniOf(pod, objects);
  if (!ini) return undefined;
  const data = effectiveSetting(ini, "paths", "data") ?? IMAGE_DEFAULTS.data;
  const paths = [
    data,
    effectiveSetting(ini, "paths", "plugins") ?? IMAGE_DEFAULTS.plugins,
    effectiveSetting(ini, "unified_storage", "index_path") ?? data,
    TEMP_DIR,
  ];
  // Console logging writes nothing to disk.
  const modes = (effectiveSetting(ini, "log", "mode") ?? "console file").split(/[\s,]+/);
  if (modes.includes("file")) paths.push(effectiveSetting(ini, "paths", "logs") ?? IMAGE_DEFAULTS.logs);
  return { container: ini.container, paths: paths.map((p) => p.replace(/\/+$/, "") || "/") };
}

/** Read-only root filesystem on every container; Grafana's writable paths on writable volumes. */
function readOnlyRoot(stack: StackObjects, objects: readonly KubeObject[], pods: readonly PodTemplate[]): Problem[] {
  const problems: Problem[] = [];
  for (const pod of pods) {
    for (const c of containersOf(pod.spec)) {
      if (c.securityContext?.readOnlyRootFilesystem !== true) {
        problems.push({ where: at(stack, pod.owner, ` container ${c.name}`), message: "root filesystem is writable (readOnlyRootFilesystem is not true)", fix: "containerSecurityContext.readOnlyRootFilesystem: true, with emptyDirs for the paths it writes" });
      }
    }
    const grafana = grafanaWritablePaths(pod, objects);
    if (!grafana) continue;
    for (const p of grafana.paths) {
      const mount = (grafana.container.volumeMounts ?? [])
        .filter((m) => !m.subPath && (p === m.mountPath.replace(/\/+$/, "") || p.startsWith(`${m.mountPath.replace(/\/+$/, "")}/`)))
        .sort((a, b) => b.mountPath.length - a.mountPath.length)[0];
      const volume = mount && pod.spec.volumes?.find((v) => v.name === mount.name);
      const writable = volume && !mount.readOnly && (volume.emptyDir !== undefined || (volume.persistentVolumeClaim && !volume.persistentVolumeClaim.readOnly));
      if (!writable) {
        problems.push({ where: at(stack, pod.owner, ` container ${grafana.container.name}`), message: `Grafana writes to ${p}, which is not on a writable volume (emptyDir or claim)`, fix: "mount an emptyDir there (chart-values.ts extraEmptyDirMounts)" });
      }
    }
  }
  return problems;
}

/** No privilege escalation, no privileged container, non-root. */
function leastPrivilege(stack: StackObjects, pods: readonly PodTemplate[]): Problem[] {
  return pods.flatMap((pod) =>
    containersOf(pod.spec).flatMap((c) => {
      const where = at(stack, pod.owner, ` container ${c.name}`);
      const problems: Problem[] = [];
      if (c.securityContext?.allowPrivilegeEscalation !== false) problems.push({ where, message: "allowPrivilegeEscalation is not false" });
      if (c.securityContext?.privileged === true) problems.push({ where, message: "runs privileged" });
      if ((c.securityContext?.runAsNonRoot ?? pod.spec.securityContext?.runAsNonRoot) !== true) problems.push({ where, message: "may run as root (runAsNonRoot is not true)" });
      return problems;
    }),
  );
}

/** repository, tag and digest of an image reference. */
export function imageParts(image: string): { repository: string; tag?: string; digest?: string } {
  const [name, digest] = image.split("@");
  const slash = name.lastIndexOf("/");
  const colon = name.lastIndexOf(":");
  return colon > slash ? { repository: name.slice(0, colon), tag: name.slice(colon + 1), digest } : { repository: name, digest };
}

/** Images are pinned: a digest, or a tag that is not "latest"; Grafana's is the chart's appVersion. */
function pinnedImages(stack: StackObjects, objects: readonly KubeObject[], pods: readonly PodTemplate[]): Problem[] {
  return pods.flatMap((pod) => {
    const grafana = grafanaIniOf(pod, objects)?.container;
    return containersOf(pod.spec).flatMap((c) => {
      const { tag, digest } = imageParts(c.image);
      const where = at(stack, pod.owner, ` container ${c.name}`);
      if (digest?.startsWith("sha256:")) return [];
      if (!tag || tag === "latest") return [{ where, message: `image ${c.image} is not pinned (no tag or digest, or "latest")` }];
      if (c === grafana && tag !== stack.appVersion) {
        return [{ where, message: `image ${c.image} is not the chart's appVersion ${stack.appVersion}`, fix: "leave image.tag to the chart, or pin a digest" }];
      }
      return [];
    });
  });
}

export function policyProblems(stack: StackObjects): Problem[] {
  const objects = stack.manifests.map((m) => m.object);
  const pods = podTemplates(objects);
  return [
    ...namespacedOnly(stack),
    ...noServiceAccountToken(stack, objects, pods),
    ...readOnlyRoot(stack, objects, pods),
    ...leastPrivilege(stack, pods),
    ...pinnedImages(stack, objects, pods),
  ];
}
