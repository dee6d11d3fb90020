/**
 * Several stacks (or other teams' releases) in one cluster: what one applies must not be
 * what another already owns. The API server keys objects by group, kind, namespace and
 * name; Helm refuses to adopt an object another release owns ("exists and cannot be
 * imported into the current release"), Pulumi refuses to create one that exists. Node
 * ports are allocated cluster-wide (a second Service asking for the same one is refused),
 * and an ingress controller serves a host and path from one Ingress only.
 */
import { Problem } from "../../lib/errors";
import { describe, identity, KubeObject, StackObjects } from "./objects";

export function clusterProblems(stacks: readonly StackObjects[]): Problem[] {
  const problems: Problem[] = [];
  const claims = new Map<string, { stack: string; object: KubeObject }>();
  const claim = (key: string, stack: string, object: KubeObject, message: (other: string) => string) => {
    const first = claims.get(key);
    if (first && first.stack !== stack) problems.push({ where: `${stack}: ${describe(object)}`, message: message(first.stack) });
    else if (!first) claims.set(key, { stack, object });
  };
  for (const s of stacks) {
    for (const { origin, object } of s.manifests) {
      claim(`object ${identity(object)}`, s.stack, object, (other) =>
        origin === "chart"
          ? `is also created by ${other}: Helm fails with "exists and cannot be imported into the current release"`
          : `is also created by ${other}: the second create fails with "already exists"`,
      );
      if (object.kind === "Service") {
        for (const p of (object.spec as { ports?: { nodePort?: number }[] } | undefined)?.ports ?? []) {
          if (p.nodePort) claim(`nodePort ${p.nodePort}`, s.stack, object, (other) => `node port ${p.nodePort} is already allocated to ${other} (node ports are cluster-wide)`);
        }
      }
      if (object.kind === "Ingress") {
        for (const rule of (object.spec as { rules?: { host?: string; http?: { paths?: { path?: string }[] } }[] } | undefined)?.rules ?? []) {
          for (const p of rule.http?.paths ?? []) {
            claim(`ingress ${rule.host ?? "*"}${p.path ?? "/"}`, s.stack, object, (other) => `host ${rule.host}${p.path ?? "/"} is already served by ${other}`);
          }
        }
      }
    }
  }
  return problems;
}
