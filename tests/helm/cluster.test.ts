/**
 * dev, prod, a second stack of another team and another team's own Grafana release, all
 * in one cluster: nothing one applies is what another owns (Helm's ownership check,
 * cluster-wide node ports, ingress hosts).
 */
import * as assert from "node:assert/strict";
import { formatProblem } from "../../lib/errors";
import { RenderedStack } from "../../render/helm/stack-objects";
import { helmTemplate } from "../../render/helm/template";
import { HelmTools } from "../../render/helm/tools";
import { clusterProblems, KubeObject, StackObjects } from "../../validation/kubernetes";
import { shippedStacks } from "../support/stack";
import { requireRenderedStack, runVariant, VARIANTS } from "./support";

/** Another team's release of the same chart with the chart's defaults, as `helm install grafana <chart> -n <namespace>` makes it. */
async function defaultRelease(tools: HelmTools, kubeVersion: string | undefined, namespace: string): Promise<StackObjects> {
  const objects = await helmTemplate(tools, { name: "grafana", namespace, values: {} }, kubeVersion);
  return {
    stack: `helm install grafana -n ${namespace}`,
    namespace,
    releaseName: "grafana",
    appVersion: tools.chart.metadata.appVersion,
    manifests: objects.map((o) => ({ origin: "chart", object: o.object })),
  };
}

const ofKind = (s: StackObjects, kind: string): KubeObject[] => s.manifests.map((m) => m.object).filter((o) => o.kind === kind);

describe("several Grafana releases in one cluster", function () {
  this.timeout(120_000);
  let dev: RenderedStack;
  let prod: RenderedStack;
  let teamB: RenderedStack;
  let otherTeam: StackObjects;

  before(async function () {
    const shipped = await shippedStacks();
    dev = await requireRenderedStack(this, "dev", shipped.dev);
    prod = await requireRenderedStack(this, "prod", shipped.prod);
    teamB = await requireRenderedStack(this, "team-b", await runVariant(VARIANTS.find((v) => v.name === "team-b")!));
    otherTeam = await defaultRelease(dev.tools!, dev.kubeVersion, "team-c");
  });

  it("dev, prod, a second stack in another namespace and another team's release share the cluster without a collision", () => {
    const problems = clusterProblems([dev.objects, prod.objects, teamB.objects, otherTeam]);
    assert.deepEqual(problems.map(formatProblem), []);
  });

  it("the stacks use the same release name, yet every object is namespaced and named within its namespace", () => {
    for (const s of [dev.objects, prod.objects, teamB.objects]) {
      assert.equal(s.releaseName, "grafana");
      for (const m of s.manifests) {
        if (m.object.kind === "Namespace") assert.equal(m.object.metadata.name, s.namespace);
        else assert.equal(m.object.metadata.namespace, s.namespace, `${s.stack}: ${m.object.kind} ${m.object.metadata.name}`);
      }
    }
  });

  it("the check is live: two releases with the chart's defaults collide on the ClusterRole, as Helm's ownership check would", async () => {
    const again = await defaultRelease(dev.tools!, dev.kubeVersion, "team-d");
    assert.equal(ofKind(otherTeam, "ClusterRole").length, 1, "the chart's default still creates a ClusterRole");
    const messages = clusterProblems([otherTeam, again]).map(formatProblem).join("\n");
    assert.match(messages, /ClusterRole grafana-clusterrole: is also created by helm install grafana -n team-c: Helm fails with "exists and cannot be imported/);
    assert.match(messages, /ClusterRoleBinding grafana-clusterrolebinding: is also created by/);
  });

  it("the check is live: a second stack on dev's node port is refused", () => {
    const clash: StackObjects = {
      ...teamB.objects,
      manifests: teamB.objects.manifests.map((m) =>
        m.object.kind === "Service"
          ? { ...m, object: { ...m.object, spec: { ...(m.object.spec as object), ports: [{ port: 80, targetPort: "grafana", nodePort: 30300 }] } } }
          : m,
      ),
    };
    const messages = clusterProblems([dev.objects, clash]).map(formatProblem).join("\n");
    assert.match(messages, /node port 30300 is already allocated to dev/);
  });
});
