/**
 * The floor: a program that registers the same resources with the same inputs and
 * options as the real one (replayed from floor-registrations.json next to this file,
 * written by bench/record.ts), with none of the project's logic. The benchmark's floor
 * workspace starts it from bin/index.js, so the mock engine runs it exactly like the
 * real program. Only @pulumi/pulumi is loaded.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import type { Recording, Registration } from "./record";

/** Turns the engine's secret wrappers back into pulumi.secret values. */
function rewrap(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(rewrap);
  if (!value || typeof value !== "object") return value;
  const object = value as Record<string, unknown>;
  if (object[pulumi.runtime.specialSigKey] === pulumi.runtime.specialSecretSig) return pulumi.secret(rewrap(object.value));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(object)) out[k] = rewrap(v);
  return out;
}

// Plain SDK classes (abstract in the typings, hence the empty subclasses).
class Provider extends pulumi.ProviderResource {}
class Custom extends pulumi.CustomResource {}
class Component extends pulumi.ComponentResource {
  publish(outputs: pulumi.Inputs): void {
    this.registerOutputs(outputs);
  }
}

const recording = JSON.parse(fs.readFileSync(path.join(__dirname, "floor-registrations.json"), "utf8")) as Recording;
const byUrn = new Map<string, pulumi.Resource>();
const components: [Component, Registration][] = [];

for (const r of recording.resources) {
  const inputs = rewrap(r.inputs) as pulumi.Inputs;
  const opts: pulumi.CustomResourceOptions = {
    parent: byUrn.get(r.parent),
    dependsOn: r.dependencies.map((urn) => byUrn.get(urn)).filter((d): d is pulumi.Resource => d !== undefined),
    protect: r.protect || undefined,
    retainOnDelete: r.retainOnDelete || undefined,
    ignoreChanges: r.ignoreChanges.length > 0 ? [...r.ignoreChanges] : undefined,
    aliases: r.aliasTypes.length > 0 ? r.aliasTypes.map((type) => ({ type })) : undefined,
    version: r.version || undefined,
    pluginDownloadURL: r.pluginDownloadURL || undefined,
    additionalSecretOutputs: r.additionalSecretOutputs.length > 0 ? [...r.additionalSecretOutputs] : undefined,
  };
  const provider = r.provider ? byUrn.get(r.provider.slice(0, r.provider.lastIndexOf("::"))) : undefined;
  let resource: pulumi.Resource;
  if (r.type.startsWith("pulumi:providers:")) {
    resource = new Provider(r.type.slice("pulumi:providers:".length), r.name, inputs, opts);
  } else if (r.custom) {
    resource = new Custom(r.type, r.name, inputs, { ...opts, provider: provider as pulumi.ProviderResource | undefined });
  } else {
    const component = new Component(r.type, r.name, inputs, opts);
    components.push([component, r]);
    resource = component;
  }
  byUrn.set(r.urn, resource);
}
for (const [component, r] of components) if (r.outputs) component.publish(rewrap(r.outputs) as pulumi.Inputs);

const exported: Record<string, unknown> = {};
for (const [key, value] of Object.entries(recording.stackOutputs)) {
  exported[key] = recording.secretStackOutputs.includes(key) ? pulumi.secret(value) : value;
}
export = exported;
