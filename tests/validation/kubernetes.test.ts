/**
 * The Kubernetes object checks on a small stack written here: it passes, and each
 * mutation that a cluster would refuse or that breaks the policy is reported. No Helm
 * needed (tests/helm/ runs the same checks on the real chart).
 */
import * as assert from "node:assert/strict";
import { formatProblem } from "../../lib/errors";
import { parseQuantity } from "../../lib/quantity";
import { clusterProblems, imageParts, KubeObject, stackObjectProblems, StackObjects } from "../../validation/kubernetes";

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- fixtures are edited freely

const LABELS = { "app.kubernetes.io/name": "grafana", "app.kubernetes.io/instance": "grafana" };
const NS = "grafana";

function fixture(): Json[] {
  return [
    { apiVersion: "v1", kind: "Namespace", metadata: { name: NS } },
    { apiVersion: "v1", kind: "Secret", metadata: { name: "creds", namespace: NS }, stringData: { "admin-password": "x" } },
    { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "grafana", namespace: NS }, automountServiceAccountToken: false },
    { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "grafana", namespace: NS }, data: { "grafana.ini": "[paths]\ndata = /var/lib/grafana\n[log]\nmode = console\n" } },
    {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "grafana", namespace: NS },
      spec: {
        replicas: 1,
        selector: { matchLabels: LABELS },
        template: {
          metadata: { labels: LABELS },
          spec: {
            serviceAccountName: "grafana",
            automountServiceAccountToken: false,
            securityContext: { runAsNonRoot: true },
            containers: [
              {
                name: "grafana",
                image: "docker.io/grafana/grafana:13.2.0",
                ports: [{ name: "grafana", containerPort: 3000, protocol: "TCP" }, { name: "gossip-tcp", containerPort: 9094, protocol: "TCP" }],
                env: [{ name: "GF_SECURITY_ADMIN_PASSWORD", valueFrom: { secretKeyRef: { name: "creds", key: "admin-password" } } }],
                resources: { requests: { cpu: "250m", memory: "512Mi" }, limits: { cpu: "1", memory: "1Gi" } },
                securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true },
                volumeMounts: [
                  { name: "config", mountPath: "/etc/grafana/grafana.ini", subPath: "grafana.ini" },
                  { name: "storage", mountPath: "/var/lib/grafana" },
                  { name: "tmp", mountPath: "/tmp" },
                ],
              },
            ],
            volumes: [{ name: "config", configMap: { name: "grafana" } }, { name: "storage", emptyDir: {} }, { name: "tmp", emptyDir: {} }],
          },
        },
      },
    },
    { apiVersion: "v1", kind: "Service", metadata: { name: "grafana", namespace: NS }, spec: { selector: LABELS, ports: [{ port: 80, targetPort: "grafana" }] } },
    {
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: { name: "grafana", namespace: NS },
      spec: { podSelector: { matchLabels: LABELS }, ingress: [{ ports: [{ port: 3000, protocol: "TCP" }] }] },
    },
  ];
}

const stackOf = (objects: Json[], name = "test"): StackObjects => ({
  stack: name,
  namespace: NS,
  releaseName: "grafana",
  appVersion: "13.2.0",
  manifests: objects.map((o) => ({ origin: o.kind === "Namespace" || o.kind === "Secret" ? "program" : "chart", object: o as KubeObject })),
});

const find = (objects: Json[], kind: string, name?: string): Json => objects.find((o) => o.kind === kind && (name === undefined || o.metadata.name === name))!;
const pod = (objects: Json[]): Json => find(objects, "Deployment").spec.template.spec;
const container = (objects: Json[]): Json => pod(objects).containers[0];

/** The problems of the fixture after `change`. */
async function problemsAfter(change: (objects: Json[]) => void): Promise<string> {
  const objects = fixture();
  change(objects);
  return (await stackObjectProblems(stackOf(objects))).map(formatProblem).join("\n");
}

describe("Kubernetes object checks", () => {
  it("pass a stack that is right", async () => {
    assert.equal(await problemsAfter(() => undefined), "");
  });

  describe("OpenAPI schemas (kubernetes-models)", () => {
    it("refuse a field of the wrong type, naming the path", async () => {
      assert.match(await problemsAfter((o) => (find(o, "Deployment").spec.replicas = "3")), /Deployment grafana\/grafana: fails the OpenAPI schema of apps\/v1 Deployment.*spec\/replicas must be integer/);
    });
    it("refuse an apiVersion Kubernetes no longer serves, and a kind it does not know", async () => {
      assert.match(await problemsAfter((o) => (find(o, "Deployment").apiVersion = "extensions/v1beta1")), /extensions\/v1beta1 Deployment is not a GA API/);
      assert.match(await problemsAfter((o) => (find(o, "NetworkPolicy").apiVersion = "networking.k8s.io/v2")), /networking.k8s.io\/v2 NetworkPolicy is not a Kubernetes API type/);
    });
  });

  describe("across objects", () => {
    it("a secretKeyRef needs the Secret and its key", async () => {
      assert.match(await problemsAfter((o) => (container(o).env[0].valueFrom.secretKeyRef.key = "password")), /reads key password of Secret creds, which has only admin-password/);
      assert.match(await problemsAfter((o) => (container(o).env[0].valueFrom.secretKeyRef.name = "gone")), /names Secret gone, which the stack does not create/);
    });
    it("an envFrom Secret and a volume's ConfigMap must exist", async () => {
      assert.match(await problemsAfter((o) => (container(o).envFrom = [{ secretRef: { name: "env" } }])), /envFrom names Secret env/);
      assert.match(await problemsAfter((o) => (pod(o).volumes[0].configMap.name = "other")), /volume names ConfigMap other/);
    });
    it("Service, NetworkPolicy and workload selectors select the pods", async () => {
      assert.match(await problemsAfter((o) => (find(o, "Service").spec.selector = { app: "other" })), /Service grafana\/grafana: spec.selector .* selects none of the stack's pods/);
      assert.match(await problemsAfter((o) => (find(o, "NetworkPolicy").spec.podSelector = { matchLabels: { app: "other" } })), /NetworkPolicy grafana\/grafana: spec.podSelector/);
      assert.match(await problemsAfter((o) => (pod(o).topologySpreadConstraints = [{ maxSkew: 1, topologyKey: "zone", whenUnsatisfiable: "ScheduleAnyway", labelSelector: { matchLabels: { app: "x" } } }])), /spreads nothing/);
    });
    it("NetworkPolicy and Service ports are ports a container declares", async () => {
      assert.match(await problemsAfter((o) => (find(o, "NetworkPolicy").spec.ingress[0].ports[0].port = 8080)), /admits TCP port 8080, which no selected container declares/);
      assert.match(await problemsAfter((o) => (find(o, "NetworkPolicy").spec.ingress[0].ports[0].protocol = "UDP")), /admits UDP port 3000/);
      assert.match(await problemsAfter((o) => (find(o, "Service").spec.ports[0].targetPort = "http")), /port 80 targets http, which no selected container declares/);
    });
    it("several replicas need HA peers on a headless service that selects them", async () => {
      assert.match(await problemsAfter((o) => (find(o, "Deployment").spec.replicas = 2)), /2 replicas but no unified_alerting.ha_peers/);
      const peersOn = (service: Json) => (o: Json[]) => {
        find(o, "ConfigMap").data["grafana.ini"] += "[unified_alerting]\nha_peers = grafana-headless.grafana.svc.cluster.local:9094\n";
        o.push({ apiVersion: "v1", kind: "Service", metadata: { name: "grafana-headless", namespace: NS }, spec: service });
      };
      const headless = { clusterIP: "None", selector: LABELS, ports: [{ port: 9094, targetPort: "gossip-tcp" }] };
      assert.equal(await problemsAfter(peersOn(headless)), "");
      assert.match(await problemsAfter(peersOn({ ...headless, clusterIP: undefined })), /is not a headless service/);
      assert.match(await problemsAfter(peersOn({ ...headless, ports: [{ port: 9094, targetPort: 7946 }] })), /port 9094 is not a service port that targets a container port/);
    });
    it("no env name twice in a container", async () => {
      assert.match(await problemsAfter((o) => container(o).env.push({ name: "GF_SECURITY_ADMIN_PASSWORD", value: "x" })), /env GF_SECURITY_ADMIN_PASSWORD is defined twice/);
    });
    it("requests do not exceed limits", async () => {
      assert.match(await problemsAfter((o) => (container(o).resources.requests.memory = "2Gi")), /memory request 2Gi exceeds its limit 1Gi/);
      assert.match(await problemsAfter((o) => (container(o).resources.requests.cpu = "1500m")), /cpu request 1500m exceeds its limit 1/);
    });
    it("an Ingress backend is a port of a Service in the stack", async () => {
      const ingress = (port: number) => (o: Json[]) =>
        o.push({ apiVersion: "networking.k8s.io/v1", kind: "Ingress", metadata: { name: "grafana", namespace: NS }, spec: { rules: [{ host: "g.example.com", http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: "grafana", port: { number: port } } } }] } }] } });
      assert.equal(await problemsAfter(ingress(80)), "");
      assert.match(await problemsAfter(ingress(3000)), /backend grafana:3000 is not a port of a Service/);
    });
  });

  describe("policy", () => {
    it("no cluster-scoped object from the chart", async () => {
      assert.match(await problemsAfter((o) => o.push({ apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole", metadata: { name: "grafana-clusterrole" }, rules: [] })), /ClusterRole grafana-clusterrole: is cluster-scoped \(created by the chart\)/);
    });
    it("no service-account token: the pod's own field wins over the account's", async () => {
      assert.match(await problemsAfter((o) => (pod(o).automountServiceAccountToken = true)), /mounts the token of service account grafana/);
      assert.match(await problemsAfter((o) => delete find(o, "ServiceAccount").automountServiceAccountToken && delete pod(o).automountServiceAccountToken), /mounts the token/);
    });
    it("read-only root filesystem, with Grafana's writable paths on volumes", async () => {
      assert.match(await problemsAfter((o) => (container(o).securityContext.readOnlyRootFilesystem = false)), /root filesystem is writable/);
      assert.match(await problemsAfter((o) => (container(o).volumeMounts = container(o).volumeMounts.filter((m: Json) => m.mountPath !== "/tmp"))), /Grafana writes to \/tmp, which is not on a writable volume/);
      assert.match(await problemsAfter((o) => (find(o, "ConfigMap").data["grafana.ini"] = "[log]\nmode = console file\n")), /Grafana writes to \/var\/log\/grafana/);
      assert.match(await problemsAfter((o) => container(o).env.push({ name: "GF_PATHS_DATA", value: "/data" })), /Grafana writes to \/data/);
    });
    it("no privilege escalation, not privileged, not root", async () => {
      assert.match(await problemsAfter((o) => delete container(o).securityContext.allowPrivilegeEscalation), /allowPrivilegeEscalation is not false/);
      assert.match(await problemsAfter((o) => (container(o).securityContext.privileged = true)), /runs privileged/);
      assert.match(await problemsAfter((o) => delete pod(o).securityContext.runAsNonRoot), /may run as root/);
    });
    it("images pinned: Grafana's to the chart's appVersion or a digest", async () => {
      assert.match(await problemsAfter((o) => (container(o).image = "grafana/grafana:latest")), /is not pinned/);
      assert.match(await problemsAfter((o) => (container(o).image = "grafana/grafana:12.0.0")), /is not the chart's appVersion 13.2.0/);
      assert.equal(await problemsAfter((o) => (container(o).image = `grafana/grafana@sha256:${"a".repeat(64)}`)), "");
      assert.deepEqual(imageParts("registry:5000/grafana/grafana:13.2.0"), { repository: "registry:5000/grafana/grafana", tag: "13.2.0", digest: undefined });
    });
  });

  describe("several stacks in one cluster", () => {
    it("report an object two stacks create, and a node port two Services ask for", () => {
      const a = fixture();
      const b = fixture();
      find(a, "Service").spec = { ...find(a, "Service").spec, type: "NodePort", ports: [{ port: 80, targetPort: "grafana", nodePort: 30300 }] };
      find(b, "Service").spec = { ...find(b, "Service").spec, type: "NodePort", ports: [{ port: 80, targetPort: "grafana", nodePort: 30300 }] };
      const messages = clusterProblems([stackOf(a, "a"), stackOf(b, "b")]).map(formatProblem).join("\n");
      assert.match(messages, /b: Deployment grafana\/grafana: is also created by a: Helm fails with "exists and cannot be imported/);
      assert.match(messages, /b: Namespace grafana: is also created by a: the second create fails with "already exists"/);
      assert.match(messages, /node port 30300 is already allocated to a/);
    });
  });

  it("parses Kubernetes quantities", () => {
    assert.equal(parseQuantity("250m"), 0.25);
    assert.equal(parseQuantity("1Gi"), 2 ** 30);
    assert.equal(parseQuantity("1.5G"), 1.5e9);
    assert.equal(parseQuantity("1e3"), 1000);
    assert.equal(parseQuantity("12x"), undefined);
  });
});
