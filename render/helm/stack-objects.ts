/**
 * Every Kubernetes object a stack applies, from a run of the real program: the objects
 * it registers itself (namespace, Secrets, NetworkPolicy, Certificate) with the inputs
 * the engine received, and the Helm release rendered by real Helm from the release's
 * registered inputs (chart, version, name, namespace, values): what `pulumi up` installs.
 */
import { isSecretValue, RegisteredResource } from "../mock-engine";
import { KubeObject, StackManifest, StackObjects } from "../../validation/kubernetes/objects";
import { ChartRequest, helmTools, HelmTools, Located } from "./tools";
import { helmTemplate, minimumKubeVersion } from "./template";

export const RELEASE_TYPE = "kubernetes:helm.sh/v3:Release";

/** Inputs with every secret unwrapped: Helm and the checks see the values the cluster would get. */
export function reveal(value: unknown): unknown {
  if (isSecretValue(value)) return reveal(value.value);
  if (Array.isArray(value)) return value.map(reveal);
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, reveal(v)]));
  return value;
}

/** `kubernetes:networking.k8s.io/v1:NetworkPolicy` -> networking.k8s.io/v1, NetworkPolicy. */
function typeMeta(type: string): { apiVersion: string; kind: string } | undefined {
  const match = /^kubernetes:([^/:]+)\/([^:]+):(.+)$/.exec(type);
  if (!match || match[1] === "helm.sh") return undefined;
  return { apiVersion: match[1] === "core" ? match[2] : `${match[1]}/${match[2]}`, kind: match[3] };
}

/** The program's own Kubernetes objects, as registered. */
export function programObjects(resources: readonly RegisteredResource[]): StackManifest[] {
  return resources.flatMap((r) => {
    const meta = r.custom ? typeMeta(r.type) : undefined;
    if (!meta) return [];
    const inputs = reveal(r.inputs) as Record<string, unknown>;
    const object = { ...inputs, apiVersion: String(inputs.apiVersion ?? meta.apiVersion), kind: String(inputs.kind ?? meta.kind) } as KubeObject;
    return [{ origin: "program" as const, object, source: `Pulumi resource ${r.name}` }];
  });
}

export interface RenderedStack {
  readonly objects: StackObjects;
  readonly tools?: HelmTools;
  /** The Kubernetes version the chart was rendered for. */
  readonly kubeVersion?: string;
}

/** The release's chart request, name, namespace and values, as registered. */
function releaseOf(resources: readonly RegisteredResource[]) {
  const release = resources.find((r) => r.type === RELEASE_TYPE);
  if (!release) return undefined;
  const inputs = reveal(release.inputs) as {
    name: string;
    namespace: string;
    chart: string;
    version: string;
    repositoryOpts?: { repo?: string };
    values?: Record<string, unknown>;
  };
  const request: ChartRequest = { name: inputs.chart, version: inputs.version, repo: inputs.repositoryOpts?.repo ?? "" };
  return { name: inputs.name, namespace: inputs.namespace, values: inputs.values ?? {}, request };
}

/**
 * The stack's objects with the chart rendered; `problem` says why it could not be
 * (Helm or the chart unavailable). A stack without a Helm release has only its own objects.
 */
export async function renderStackObjects(stack: string, resources: readonly RegisteredResource[]): Promise<Located<RenderedStack>> {
  const own = programObjects(resources);
  const release = releaseOf(resources);
  if (!release) {
    return { found: { objects: { stack, namespace: "", releaseName: "", appVersion: "", manifests: own } } };
  }
  const tools = await helmTools(release.request);
  if (!tools.found) return { problem: tools.problem };
  const kubeVersion = minimumKubeVersion(tools.found.chart.metadata.kubeVersion);
  const rendered = await helmTemplate(tools.found, release, kubeVersion);
  return {
    found: {
      tools: tools.found,
      kubeVersion,
      objects: {
        stack,
        namespace: release.namespace,
        releaseName: release.name,
        appVersion: tools.found.chart.metadata.appVersion,
        manifests: [...own, ...rendered.map((r) => ({ origin: "chart" as const, object: r.object, source: r.source }))],
      },
    },
  };
}
