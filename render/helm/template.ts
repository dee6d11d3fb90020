/**
 * `helm template` of one release: the exact objects Helm would apply, parsed. Needs no
 * cluster; `--kube-version` sets the cluster version the chart's capability checks see.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { parseAllDocuments } from "yaml";
import { KubeObject } from "../../validation/kubernetes/objects";
import { HelmTools } from "./tools";

const run = promisify(execFile);

export interface ReleaseInput {
  readonly name: string;
  readonly namespace: string;
  readonly values: Record<string, unknown>;
}

/**
 * The lowest Kubernetes version the chart supports (Chart.yaml kubeVersion, e.g.
 * "^1.25.0-0" -> "1.25.0"): rendering for it shows what the oldest supported cluster gets.
 */
export function minimumKubeVersion(constraint: string | undefined): string | undefined {
  const match = /(\d+)\.(\d+)(?:\.(\d+))?/.exec(constraint ?? "");
  return match ? `${match[1]}.${match[2]}.${match[3] ?? "0"}` : undefined;
}

export interface RenderedObject {
  readonly object: KubeObject;
  /** The chart template it came from (Helm's "# Source:" line), e.g. grafana/templates/deployment.yaml. */
  readonly source?: string;
}

export async function helmTemplate(tools: HelmTools, release: ReleaseInput, kubeVersion?: string): Promise<RenderedObject[]> {
  // The values may hold secret values (a render fills placeholders): a private temp file, removed after.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "grafana-k8s-values-"));
  const valuesFile = path.join(dir, "values.json");
  fs.writeFileSync(valuesFile, JSON.stringify(release.values), { mode: 0o600 });
  const args = ["template", release.name, tools.chart.path, "--namespace", release.namespace, "--values", valuesFile];
  if (kubeVersion) args.push("--kube-version", kubeVersion);
  let stdout: string;
  try {
    ({ stdout } = await run(tools.helm.path, args, { maxBuffer: 64 * 1024 * 1024, timeout: 120_000 }));
  } catch (err) {
    const stderr = String((err as { stderr?: string }).stderr ?? "").trim();
    throw new Error(`helm template ${release.name} (${tools.chart.metadata.name} ${tools.chart.metadata.version}) failed: ${stderr || (err as Error).message}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const objects: RenderedObject[] = [];
  for (const doc of parseAllDocuments(stdout)) {
    if (doc.errors.length > 0) throw new Error(`helm template ${release.name} printed invalid YAML: ${doc.errors[0].message}`);
    const object = doc.toJS() as unknown;
    const comment = `${doc.commentBefore ?? ""}\n${(doc.contents as { commentBefore?: string } | null)?.commentBefore ?? ""}`;
    const source = /Source: (\S+)/.exec(comment)?.[1];
    if (typeof object === "object" && object !== null && "kind" in object) objects.push({ object: object as KubeObject, source });
  }
  return objects;
}
