/**
 * Checks across the objects of one stack, each a fact of the Kubernetes API that the
 * schemas cannot see: a missing Secret or key leaves the pod in CreateContainerConfigError,
 * a selector that selects nothing gives a Service no endpoints and a NetworkPolicy or PDB
 * no effect, a NetworkPolicy port that no container listens on admits nothing, a
 * duplicated env name breaks later updates (kubernetes/kubernetes#86163), and a request
 * above its limit is refused by the API server (core/v1 validation of ResourceRequirements).
 */
import { Problem } from "../../lib/errors";
import { parseQuantity } from "../../lib/quantity";
import { grafanaIniOf } from "./grafana-pod";
import {
  Container,
  containersOf,
  describe,
  KubeObject,
  LabelSelector,
  podTemplates,
  PodTemplate,
  secretKeys,
  selects,
  StackObjects,
} from "./objects";

type Check = (stack: StackObjects, objects: readonly KubeObject[], pods: readonly PodTemplate[]) => Problem[];

const find = (objects: readonly KubeObject[], kind: string, namespace: string, name: string) =>
  objects.find((o) => o.kind === kind && o.metadata.name === name && (o.metadata.namespace ?? "") === namespace);

const at = (stack: StackObjects, o: KubeObject, detail = "") => `${stack.stack}: ${describe(o)}${detail}`;

/** Every Secret, ConfigMap and claim a pod reads exists in the stack, with the keys it reads. */
const references: Check = (stack, objects, pods) => {
  const problems: Problem[] = [];
  for (const pod of pods) {
    const missing = (what: string, kind: string, name: string, key?: string) => {
      const target = find(objects, kind, pod.namespace, name);
      if (!target) return `${what} names ${kind} ${name}, which the stack does not create`;
      if (key === undefined) return undefined;
      const keys = kind === "Secret" ? secretKeys(target) : new Set(Object.keys({ ...(target.data as object), ...(target.binaryData as object) }));
      return keys.has(key) ? undefined : `${what} reads key ${key} of ${kind} ${name}, which has only ${[...keys].join(", ") || "no keys"}`;
    };
    const report = (detail: string, message: string | undefined) =>
      message && problems.push({ where: at(stack, pod.owner, detail), message, fix: "create it in the stack (components/grafana-deployment.ts) or correct the name in components/chart-values.ts" });
    for (const c of containersOf(pod.spec)) {
      for (const env of c.env ?? []) {
        const secret = env.valueFrom?.secretKeyRef;
        const config = env.valueFrom?.configMapKeyRef;
        if (secret && !secret.optional) report(` container ${c.name}`, missing(`env ${env.name}`, "Secret", secret.name, secret.key));
        if (config && !config.optional) report(` container ${c.name}`, missing(`env ${env.name}`, "ConfigMap", config.name, config.key));
      }
      for (const from of c.envFrom ?? []) {
        if (from.secretRef && !from.secretRef.optional) report(` container ${c.name}`, missing("envFrom", "Secret", from.secretRef.name));
        if (from.configMapRef && !from.configMapRef.optional) report(` container ${c.name}`, missing("envFrom", "ConfigMap", from.configMapRef.name));
      }
    }
    for (const v of pod.spec.volumes ?? []) {
      if (v.secret && !v.secret.optional) for (const k of v.secret.items?.map((i) => i.key) ?? [undefined]) report(` volume ${v.name}`, missing("volume", "Secret", v.secret.secretName, k));
      if (v.configMap && !v.configMap.optional) for (const k of v.configMap.items?.map((i) => i.key) ?? [undefined]) report(` volume ${v.name}`, missing("volume", "ConfigMap", v.configMap.name, k));
      if (v.persistentVolumeClaim) report(` volume ${v.name}`, missing("volume", "PersistentVolumeClaim", v.persistentVolumeClaim.claimName));
    }
  }
  return problems;
};

/** Services, PDBs, NetworkPolicies and a workload's own selectors select the workload's pods. */
const selectors: Check = (stack, objects, pods) => {
  const problems: Problem[] = [];
  const selectsSome = (namespace: string, selector: LabelSelector) => pods.some((p) => p.namespace === namespace && selects(selector, p.labels));
  const require = (o: KubeObject, field: string, selector: LabelSelector | undefined) => {
    if (selector && selectsSome(o.metadata.namespace ?? "", selector)) return;
    problems.push({ where: at(stack, o), message: `${field} ${JSON.stringify(selector ?? null)} selects none of the stack's pods`, fix: "select the chart's pod labels (chart-values.ts podLabels)" });
  };
  for (const o of objects) {
    const spec = (o.spec ?? {}) as { selector?: LabelSelector & Record<string, string>; podSelector?: LabelSelector; type?: string };
    if (o.kind === "Service" && spec.type !== "ExternalName") require(o, "spec.selector", spec.selector ? { matchLabels: spec.selector } : undefined);
    if (o.kind === "PodDisruptionBudget") require(o, "spec.selector", spec.selector);
    if (o.kind === "NetworkPolicy") require(o, "spec.podSelector", spec.podSelector);
  }
  for (const pod of pods) {
    const own = (pod.owner.spec as { selector?: LabelSelector } | undefined)?.selector;
    if (own && pod.owner.kind !== "Pod" && !selects(own, pod.labels)) {
      problems.push({ where: at(stack, pod.owner), message: "spec.selector does not select its own pod template" });
    }
    const spreads = [
      ...(pod.spec.topologySpreadConstraints ?? []).map((t) => t.labelSelector),
      ...(pod.spec.affinity?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((t) => t.podAffinityTerm.labelSelector),
      ...(pod.spec.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).map((t) => t.labelSelector),
    ];
    for (const s of spreads) {
      if (s && !selects(s, pod.labels)) problems.push({ where: at(stack, pod.owner), message: `a spreading or anti-affinity rule selects ${JSON.stringify(s)}, not this workload's pods: it spreads nothing` });
    }
  }
  return problems;
};

/** Does some container of the selected pods listen on this port (number or name) and protocol? */
function listens(pods: readonly PodTemplate[], port: number | string, protocol = "TCP"): boolean {
  return pods.some((p) =>
    p.spec.containers.some((c) => (c.ports ?? []).some((cp) => (cp.protocol ?? "TCP") === protocol && (typeof port === "number" ? cp.containerPort === port : cp.name === port))),
  );
}

/** NetworkPolicy ports and Service target ports are ports the selected containers declare. */
const ports: Check = (stack, objects, pods) => {
  const problems: Problem[] = [];
  const selected = (o: KubeObject, selector: LabelSelector) => pods.filter((p) => p.namespace === (o.metadata.namespace ?? "") && selects(selector, p.labels));
  for (const o of objects) {
    if (o.kind === "NetworkPolicy") {
      const spec = o.spec as { podSelector: LabelSelector; ingress?: { ports?: { port?: number | string; protocol?: string }[] }[] };
      const targets = selected(o, spec.podSelector);
      for (const [i, rule] of (spec.ingress ?? []).entries()) {
        for (const p of rule.ports ?? []) {
          if (p.port !== undefined && !listens(targets, p.port, p.protocol)) {
            problems.push({ where: at(stack, o, ` ingress[${i}]`), message: `admits ${p.protocol ?? "TCP"} port ${p.port}, which no selected container declares` });
          }
        }
      }
    }
    if (o.kind === "Service") {
      const spec = o.spec as { selector?: Record<string, string>; ports?: { port: number; targetPort?: number | string; protocol?: string }[] };
      if (!spec.selector) continue;
      const targets = selected(o, { matchLabels: spec.selector });
      for (const p of spec.ports ?? []) {
        const target = p.targetPort ?? p.port;
        if (!listens(targets, target, p.protocol)) {
          problems.push({ where: at(stack, o), message: `port ${p.port} targets ${target}, which no selected container declares` });
        }
      }
    }
  }
  return problems;
};

/** Ingress backends name a Service of the stack and one of its ports. */
const ingressBackends: Check = (stack, objects) => {
  const problems: Problem[] = [];
  type Backend = { service?: { name: string; port?: { number?: number; name?: string } } };
  for (const o of objects.filter((x) => x.kind === "Ingress")) {
    const spec = o.spec as { defaultBackend?: Backend; rules?: { http?: { paths?: { backend: Backend }[] } }[] };
    const backends = [spec.defaultBackend, ...(spec.rules ?? []).flatMap((r) => (r.http?.paths ?? []).map((p) => p.backend))];
    for (const b of backends) {
      if (!b?.service) continue;
      const service = find(objects, "Service", o.metadata.namespace ?? "", b.service.name);
      const servicePorts = ((service?.spec as { ports?: { port: number; name?: string }[] } | undefined)?.ports ?? []);
      const ok = servicePorts.some((p) => p.port === b.service?.port?.number || (b.service?.port?.name !== undefined && p.name === b.service.port.name));
      if (!service || !ok) problems.push({ where: at(stack, o), message: `backend ${b.service.name}:${b.service.port?.number ?? b.service.port?.name} is not a port of a Service in the stack` });
    }
  }
  return problems;
};

/**
 * An Ingress TLS Secret that a cert-manager Certificate of the stack issues holds a
 * certificate for the Ingress's hosts: otherwise browsers and the provider get a name mismatch.
 */
const ingressCertificates: Check = (stack, objects) => {
  const problems: Problem[] = [];
  for (const o of objects.filter((x) => x.kind === "Ingress")) {
    for (const tls of (o.spec as { tls?: { secretName?: string; hosts?: string[] }[] }).tls ?? []) {
      const certificate = objects.find(
        (c) => c.kind === "Certificate" && (c.spec as { secretName?: string }).secretName === tls.secretName && c.metadata.namespace === o.metadata.namespace,
      );
      if (!certificate) continue;
      const names = (certificate.spec as { dnsNames?: string[] }).dnsNames ?? [];
      const uncovered = (tls.hosts ?? []).filter((h) => !names.includes(h));
      if (uncovered.length > 0) {
        problems.push({ where: at(stack, o), message: `TLS Secret ${tls.secretName} comes from ${describe(certificate)}, whose dnsNames do not cover ${uncovered.join(", ")}` });
      }
    }
  }
  return problems;
};

const PEER = /^([a-z0-9-]+)\.([a-z0-9-]+)\.svc(?:\.cluster\.local)?:(\d+)$/;

/**
 * HA: Grafana's alertmanager peers (unified_alerting.ha_peers) are the headless
 * service of the release, on a port it serves and the pods declare; several replicas
 * without peers would each send every notification.
 */
const haPeers: Check = (stack, objects, pods) => {
  const problems: Problem[] = [];
  for (const pod of pods) {
    const ini = grafanaIniOf(pod, objects);
    if (!ini) continue;
    const peers = String(ini.sections.unified_alerting?.ha_peers ?? "").split(",").map((p) => p.trim()).filter(Boolean);
    if (pod.replicas > 1 && peers.length === 0) {
      problems.push({ where: at(stack, pod.owner), message: `${pod.replicas} replicas but no unified_alerting.ha_peers: every replica would send every notification` });
    }
    for (const peer of peers) {
      const m = PEER.exec(peer);
      const service = m ? find(objects, "Service", m[2], m[1]) : undefined;
      const spec = service?.spec as { clusterIP?: string; selector?: Record<string, string>; ports?: { port: number; targetPort?: number | string }[] } | undefined;
      const served = spec?.ports?.find((p) => p.port === Number(m?.[3]));
      const problem = !m
        ? "is not <service>.<namespace>.svc[.cluster.local]:<port>"
        : !service
          ? `names Service ${m[2]}/${m[1]}, which the stack does not create`
          : spec?.clusterIP !== "None"
            ? "is not a headless service (clusterIP: None): the name resolves to one virtual IP, not to every peer"
            : !spec.selector || !selects({ matchLabels: spec.selector }, pod.labels)
              ? "is a service that does not select the Grafana pods"
              : !served || !listens([pod], served.targetPort ?? served.port)
                ? `port ${m[3]} is not a service port that targets a container port`
                : undefined;
      if (problem) problems.push({ where: at(stack, pod.owner, " grafana.ini unified_alerting.ha_peers"), message: `${peer} ${problem}` });
    }
  }
  return problems;
};

/** No env name twice in a container: the API keeps both, and a later strategic merge patch fails on them. */
const duplicateEnv: Check = (stack, _objects, pods) =>
  pods.flatMap((pod) =>
    containersOf(pod.spec).flatMap((c: Container) => {
      const names = (c.env ?? []).map((e) => e.name);
      const twice = [...new Set(names.filter((n, i) => names.indexOf(n) !== i))];
      return twice.map((n) => ({
        where: at(stack, pod.owner, ` container ${c.name}`),
        message: `env ${n} is defined twice (kubernetes/kubernetes#86163: a later update that changes the env list fails)`,
        fix: "remove the program's copy where the chart already sets it",
      }));
    }),
  );

/** Requests at or below limits, per resource: the API server refuses the pod otherwise. */
const requestsWithinLimits: Check = (stack, _objects, pods) =>
  pods.flatMap((pod) =>
    containersOf(pod.spec).flatMap((c) =>
      Object.entries(c.resources?.requests ?? {}).flatMap(([resource, request]) => {
        const limit = c.resources?.limits?.[resource];
        const r = parseQuantity(request);
        const l = limit === undefined ? undefined : parseQuantity(limit);
        if (r === undefined || (limit !== undefined && l === undefined)) {
          return [{ where: at(stack, pod.owner, ` container ${c.name}`), message: `${resource} request ${request} or limit ${limit} is not a Kubernetes quantity` }];
        }
        return l !== undefined && r > l
          ? [{ where: at(stack, pod.owner, ` container ${c.name}`), message: `${resource} request ${request} exceeds its limit ${limit}`, fix: "lower the request or raise the limit" }]
          : [];
      }),
    ),
  );

const CHECKS: readonly Check[] = [references, selectors, ports, ingressBackends, ingressCertificates, haPeers, duplicateEnv, requestsWithinLimits];

export function crossObjectProblems(stack: StackObjects): Problem[] {
  const objects = stack.manifests.map((m) => m.object);
  const pods = podTemplates(objects);
  return CHECKS.flatMap((check) => check(stack, objects, pods));
}
