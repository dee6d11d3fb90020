/**
 * Every object against the Kubernetes OpenAPI schemas, offline, with kubernetes-models
 * (generated from the Kubernetes API's OpenAPI document; cert-manager's CRDs from
 * @kubernetes-models/cert-manager). An apiVersion/kind they do not know is not served by
 * Kubernetes (or was removed): the API server would refuse it.
 *
 * Its schemas are a recent Kubernetes's: a field newer than the chart's minimum (1.25), such as
 * Container.resizePolicy (1.27), passes, though a 1.25 API server would drop it.
 * What the library does not do: refuse unknown fields (its schemas allow additional
 * properties, as the API server drops them), or refuse API versions Kubernetes removed
 * (it keeps them, e.g. extensions/v1beta1). So built-in groups are held to their GA
 * versions: every removed version was an alpha or beta (Kubernetes deprecation guide,
 * kubernetes.io/docs/reference/using-api/deprecation-guide/), and new betas are off by
 * default since 1.24 (KEP-3136); every kind the chart emits is GA in 1.25, its minimum.
 * The chart is rendered for that minimum version (render/helm/template.ts).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { Problem } from "../../lib/errors";
import { projectRoot } from "../../lib/paths";
import { describe, KubeObject, StackObjects } from "./objects";

interface Model {
  validate(): void;
}
type ModelClass = new (data: unknown) => Model;

/** Packages of models, by API group ("" is the core group). */
const PACKAGES: Readonly<Record<string, string>> = { "cert-manager.io": "@kubernetes-models/cert-manager" };
const CORE = "kubernetes-models";

function modulePath(apiVersion: string, kind: string): string | undefined {
  if (!/^[A-Z][A-Za-z0-9]*$/.test(kind) || !/^([a-z0-9.-]+\/)?v[0-9a-z]+$/.test(apiVersion)) return undefined;
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
  if (group === "") return `${CORE}/${version}/${kind}`;
  return `${PACKAGES[group] ?? CORE}/${group}/${version}/${kind}`;
}

const models = new Map<string, Promise<ModelClass | undefined>>();

async function modelFor(apiVersion: string, kind: string): Promise<ModelClass | undefined> {
  const specifier = modulePath(apiVersion, kind);
  if (!specifier) return undefined;
  let model = models.get(specifier);
  if (!model) {
    // ESM-only packages: a dynamic import, one module per kind (the package index loads them all).
    model = import(specifier).then(
      (m: Record<string, unknown>) => m[kind] as ModelClass | undefined,
      () => undefined,
    );
    models.set(specifier, model);
  }
  return model;
}

/** "kubernetes-models 5.1.0", for messages that name their source. */
export function schemaSource(): string {
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(projectRoot(), "node_modules", CORE, "package.json"), "utf8")) as { version: string };
    return `${CORE} ${pkg.version}`;
  } catch {
    return CORE;
  }
}

/** Groups of Kubernetes itself: the core group, the unqualified ones and *.k8s.io. */
const isBuiltInGroup = (group: string) => group === "" || !group.includes(".") || group.endsWith(".k8s.io");

export async function schemaProblems(where: string, object: KubeObject): Promise<Problem[]> {
  const at = `${where}: ${describe(object)}`;
  const [group, version] = object.apiVersion.includes("/") ? object.apiVersion.split("/") : ["", object.apiVersion];
  if (isBuiltInGroup(group) && /^v\d+(alpha|beta)\d+$/.test(version ?? "")) {
    return [{ where: at, message: `${object.apiVersion} ${object.kind} is not a GA API: removed or off by default on the clusters the chart supports`, fix: "use the GA apiVersion of the kind" }];
  }
  const model = await modelFor(object.apiVersion, object.kind);
  if (!model) {
    return [{ where: at, message: `${object.apiVersion} ${object.kind} is not a Kubernetes API type (${schemaSource()})`, fix: "use an apiVersion the cluster serves" }];
  }
  try {
    new model(object).validate();
    return [];
  } catch (err) {
    return [{ where: at, message: `fails the OpenAPI schema of ${object.apiVersion} ${object.kind} (${schemaSource()}): ${(err as Error).message}` }];
  }
}

export async function stackSchemaProblems(stack: StackObjects): Promise<Problem[]> {
  const all = await Promise.all(stack.manifests.map((m) => schemaProblems(stack.stack, m.object)));
  return all.flat();
}
