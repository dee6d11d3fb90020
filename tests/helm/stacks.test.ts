/**
 * Every committed stack and every variant the issue names, rendered by real Helm from
 * the Helm release the program registers, and every object checked: OpenAPI schemas,
 * references across objects, policy.
 */
import * as assert from "node:assert/strict";
import { formatProblem } from "../../lib/errors";
import { ProgramRun, runProgram } from "../../render/mock-engine";
import { withSecretPlaceholders } from "../../render/placeholders";
import { RELEASE_TYPE, RenderedStack, reveal } from "../../render/helm/stack-objects";
import { helmTemplate } from "../../render/helm/template";
import { committedStacks, loadStackConfig } from "../../render/stack-config";
import { Container, KubeObject, podTemplates, stackObjectProblems, StackObjects } from "../../validation/kubernetes";
import { shippedStacks } from "../support/stack";
import { HA_ON_POSTGRES, requireRenderedStack, runVariant, SECRET_PROMETHEUS_URL, VARIANTS } from "./support";

async function committedRun(stack: string): Promise<ProgramRun> {
  const shipped = await shippedStacks();
  if (stack === "dev" || stack === "prod") return shipped[stack];
  // Another committed stack: its secrets filled with placeholders, as the render does.
  const run = await runProgram(stack, withSecretPlaceholders(stack, loadStackConfig(stack)).config);
  if (run.error) throw run.error;
  return run;
}

const objectsOf = (r: RenderedStack, kind: string): KubeObject[] => r.objects.manifests.map((m) => m.object).filter((o) => o.kind === kind);
const grafanaContainer = (r: RenderedStack): Container => {
  const pod = podTemplates(r.objects.manifests.map((m) => m.object))[0];
  const container = pod?.spec.containers.find((c) => c.name === "grafana");
  assert.ok(container, "no grafana container rendered");
  return container;
};

describe("the chart rendered with real Helm, every object checked", function () {
  this.timeout(120_000);
  const rendered = new Map<string, RenderedStack>();
  const names = [...committedStacks(), ...VARIANTS.map((v) => v.name)];

  before(async function () {
    for (const stack of committedStacks()) rendered.set(stack, await requireRenderedStack(this, stack, await committedRun(stack)));
    for (const v of VARIANTS) rendered.set(v.name, await requireRenderedStack(this, v.name, await runVariant(v)));
  });

  for (const name of names) {
    it(`${name}: passes the schema, cross-object and policy checks`, async () => {
      const problems = await stackObjectProblems(rendered.get(name)!.objects);
      assert.deepEqual(problems.map(formatProblem), []);
    });
  }

  it("a Prometheus URL set with --secret: the datasource file is in the chart's config Secret, mounted where Grafana provisions it; no ConfigMap holds it", () => {
    const r = rendered.get(SECRET_PROMETHEUS_URL.name)!;
    const token = "helm-sealed-token-0001";
    for (const cm of objectsOf(r, "ConfigMap")) assert.ok(!JSON.stringify(cm).includes(token), `ConfigMap ${cm.metadata?.name} holds the URL`);
    const holders = objectsOf(r, "Secret").filter((s) => JSON.stringify(s).includes(token));
    assert.deepEqual(holders.map((s) => s.metadata?.name), ["grafana-config-secret"]);
    const mount = grafanaContainer(r).volumeMounts?.find((m) => m.mountPath === "/etc/grafana/provisioning/datasources/datasources.yaml");
    assert.equal(mount?.name, "config-secret");
    // The committed stacks keep the plain datasource in the ConfigMap, as before.
    assert.equal(grafanaContainer(rendered.get("dev")!).volumeMounts?.find((m) => m.mountPath === mount?.mountPath)?.name, "config");
  });

  it("renders for the chart's minimum Kubernetes version", () => {
    for (const r of rendered.values()) assert.equal(r.kubeVersion, "1.25.0");
  });

  it("creates no cluster-scoped object and no RBAC: nothing in the pod calls the Kubernetes API", () => {
    for (const [name, r] of rendered) {
      const kinds = r.objects.manifests.filter((m) => m.origin === "chart").map((m) => m.object.kind);
      for (const kind of ["ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding"]) assert.ok(!kinds.includes(kind), `${name} renders a ${kind}`);
      const deployment = objectsOf(r, "Deployment")[0].spec as { template: { spec: { automountServiceAccountToken?: boolean } } };
      assert.equal(deployment.template.spec.automountServiceAccountToken, false, name);
    }
  });

  it("runs Grafana on a read-only root filesystem with /tmp as an emptyDir", () => {
    for (const [name, r] of rendered) {
      const c = grafanaContainer(r);
      assert.equal(c.securityContext?.readOnlyRootFilesystem, true, name);
      assert.ok(c.volumeMounts?.some((m) => m.mountPath === "/tmp"), `${name}: no /tmp mount`);
    }
  });

  it("HA on PostgreSQL: POD_IP once (the chart's), peers on the headless service, a PDB, the database password from its Secret", () => {
    const ha = rendered.get(HA_ON_POSTGRES.name)!;
    const env = grafanaContainer(ha).env ?? [];
    assert.equal(env.filter((e) => e.name === "POD_IP").length, 1);
    assert.deepEqual(env.find((e) => e.name === "GF_DATABASE_PASSWORD")?.valueFrom?.secretKeyRef, { name: "grafana-database", key: "password" });
    const headless = objectsOf(ha, "Service").find((s) => s.metadata.name === "grafana-headless");
    assert.equal((headless?.spec as { clusterIP?: string }).clusterIP, "None");
    assert.equal(objectsOf(ha, "PodDisruptionBudget").length, 1);
    assert.equal((objectsOf(ha, "Deployment")[0].spec as { replicas: number }).replicas, 3);
    assert.deepEqual(objectsOf(ha, "PersistentVolumeClaim"), []);
  });

  it("ingress with TLS: the Ingress serves the host with the named Secret; prod's Secret comes from the awaited Certificate", () => {
    const tlsOf = (r: RenderedStack) => (objectsOf(r, "Ingress")[0].spec as { tls: unknown }).tls;
    assert.deepEqual(tlsOf(rendered.get("dev-ingress-tls")!), [{ secretName: "grafana-dev-tls", hosts: ["grafana.dev.example.com"] }]);
    assert.deepEqual(objectsOf(rendered.get("dev-ingress-tls")!, "Certificate"), [], "a user-provided Secret needs no Certificate");
    assert.deepEqual(tlsOf(rendered.get("prod")!), [{ secretName: "grafana-tls", hosts: ["grafana.example.com"] }]);
    assert.equal(objectsOf(rendered.get("prod")!, "Certificate").length, 1);
  });

  it("NetworkPolicy on: admits Grafana's HTTP port, and gossip between replicas in HA", () => {
    const ports = (r: RenderedStack) =>
      (objectsOf(r, "NetworkPolicy")[0].spec as { ingress: { ports: { port: number; protocol: string }[] }[] }).ingress.flatMap((rule) => rule.ports.map((p) => `${p.protocol}/${p.port}`));
    assert.deepEqual([...new Set(ports(rendered.get("dev-network-policy")!))], ["TCP/3000"]);
    assert.deepEqual([...new Set(ports(rendered.get(HA_ON_POSTGRES.name)!))], ["TCP/3000", "TCP/9094", "UDP/9094"]);
  });

  it("persistence off in dev: Grafana's data on an emptyDir, no claim", () => {
    const r = rendered.get("dev-no-persistence")!;
    assert.deepEqual(objectsOf(r, "PersistentVolumeClaim"), []);
    const spec = (objectsOf(r, "Deployment")[0].spec as { template: { spec: { volumes: { name: string; emptyDir?: object }[] } } }).template.spec;
    assert.ok(spec.volumes.find((v) => v.name === "storage")?.emptyDir, "storage is not an emptyDir");
  });

  it("the checks find the issue's four problems in the chart's defaults (the values before this fix)", async () => {
    const dev = rendered.get("dev")!;
    const release = (await committedRun("dev")).resources.find((r) => r.type === RELEASE_TYPE)!;
    const values = reveal(release.inputs.values) as Record<string, Record<string, unknown>>;
    delete values.rbac;
    delete values.automountServiceAccountToken;
    delete values.extraEmptyDirMounts;
    values.containerSecurityContext = { ...values.containerSecurityContext, readOnlyRootFilesystem: false };
    values.envValueFrom = { ...values.envValueFrom, POD_IP: { fieldRef: { fieldPath: "status.podIP" } } };
    const chart = await helmTemplate(dev.tools!, { name: "grafana", namespace: "grafana-dev", values }, dev.kubeVersion);
    const before: StackObjects = {
      ...dev.objects,
      manifests: [...dev.objects.manifests.filter((m) => m.origin === "program"), ...chart.map((c) => ({ origin: "chart" as const, object: c.object }))],
    };
    const messages = (await stackObjectProblems(before)).map(formatProblem).join("\n");
    assert.match(messages, /ClusterRole grafana-clusterrole: is cluster-scoped/);
    assert.match(messages, /ClusterRoleBinding grafana-clusterrolebinding: is cluster-scoped/);
    assert.match(messages, /env POD_IP is defined twice/);
    assert.match(messages, /mounts the token of service account grafana/);
    assert.match(messages, /root filesystem is writable/);
    assert.match(messages, /Grafana writes to \/tmp, which is not on a writable volume/);
  });
});
