/**
 * out/<stack>/manifests/: every Kubernetes object the stack applies, one file per object,
 * as Helm renders the chart and as the program registers its own objects. Secrets'
 * values are redacted; file names and content are deterministic.
 */
import { stringify } from "yaml";
import { KubeObject, StackManifest } from "../validation/kubernetes/objects";
import { RenderedStack } from "./helm/stack-objects";

/** Every value of a Secret is hidden, known or not. */
function redactSecretData(object: KubeObject, redacted: string): KubeObject {
  if (object.kind !== "Secret") return object;
  const hide = (field: unknown) =>
    field && typeof field === "object" ? Object.fromEntries(Object.keys(field).map((k) => [k, redacted])) : field;
  return { ...object, ...(object.data ? { data: hide(object.data) } : {}), ...(object.stringData ? { stringData: hide(object.stringData) } : {}) };
}

const fileName = (o: KubeObject) => `${o.kind.toLowerCase()}-${o.metadata.name}`;

function header(m: StackManifest, rendered: RenderedStack): string {
  if (m.origin === "program") return `# Source: the program (${m.source ?? "Pulumi resource"})\n`;
  const chart = rendered.tools?.chart.metadata;
  return `# Source: ${m.source ?? "chart"} (chart ${chart?.name} ${chart?.version}, Helm ${rendered.tools?.helm.version}, Kubernetes ${rendered.kubeVersion})\n`;
}

/**
 * Relative path -> content of each manifest. `hide` redacts known secret values anywhere
 * (render.ts redact); Secret data is redacted whole.
 */
export function manifestFiles(rendered: RenderedStack, hide: (value: unknown) => unknown, redacted: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const m of rendered.objects.manifests) {
    let name = fileName(m.object);
    // Same kind and name from two API groups: the group tells them apart.
    if (files.has(`manifests/${name}.yaml`)) name = `${name}.${m.object.apiVersion.replace(/\//g, "-")}`;
    const object = hide(redactSecretData(m.object, redacted));
    files.set(`manifests/${name}.yaml`, header(m, rendered) + stringify(object, { lineWidth: 0 }));
  }
  return files;
}
