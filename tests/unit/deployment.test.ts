import * as assert from "node:assert/strict";
import { PROMETHEUS_DATASOURCE } from "../../catalog/datasource";
import { ProgramRun } from "../../render/mock-engine";
import { named, ofType, revealSecret, shippedStacks, single, TYPES } from "../support/stack";

type Values = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- Helm values are free-form JSON

function releaseOf(run: ProgramRun) {
  const release = single(run, TYPES.release);
  return { release, values: release.inputs.values as Values };
}

describe("GrafanaDeployment", () => {
  const runs: Record<string, ProgramRun> = {};
  before(async () => {
    Object.assign(runs, await shippedStacks());
  });

  for (const stack of ["dev", "prod"]) {
    describe(`${stack} stack`, () => {
      it("installs the pinned grafana chart from grafana-community", () => {
        const { release } = releaseOf(runs[stack]);
        assert.equal(release.inputs.chart, "grafana");
        assert.equal(release.inputs.version, "12.11.1");
        assert.deepEqual(release.inputs.repositoryOpts, { repo: "https://grafana-community.github.io/helm-charts" });
        assert.equal(release.inputs.name, "grafana");
        assert.equal(release.inputs.namespace, stack === "dev" ? "grafana-dev" : "grafana");
      });

      it("keeps Grafana's data on a persistent volume with the Recreate strategy", () => {
        const { values } = releaseOf(runs[stack]);
        assert.equal(values.persistence.enabled, true);
        assert.equal(values.persistence.size, stack === "dev" ? "2Gi" : "20Gi");
        assert.equal(values.persistence.storageClassName, stack === "dev" ? undefined : "gp3");
        assert.deepEqual(values.deploymentStrategy, { type: "Recreate" });
      });

      it("provisions the Prometheus datasource with the shared uid", () => {
        const { values } = releaseOf(runs[stack]);
        const [ds] = values.datasources["datasources.yaml"].datasources;
        assert.equal(ds.uid, PROMETHEUS_DATASOURCE.uid);
        assert.equal(ds.name, "Prometheus");
        assert.equal(ds.url, "http://prometheus-server.monitoring.svc.cluster.local");
        assert.equal(ds.access, "proxy");
        assert.equal(ds.isDefault, true);
        assert.deepEqual(ds.jsonData, { httpMethod: "POST", timeInterval: "30s" });
      });

      it("configures grafana.ini safely", () => {
        const ini = releaseOf(runs[stack]).values["grafana.ini"];
        assert.equal(ini.database.wal, true);
        assert.equal(ini["auth.anonymous"].enabled, false);
        assert.equal(ini.users.allow_sign_up, false);
        assert.equal(ini.analytics.reporting_enabled, false);
        assert.equal(ini.analytics.check_for_updates, false);
        assert.equal(ini.server.root_url, stack === "dev" ? "http://localhost:3000/" : "https://grafana.example.com/");
        assert.equal(releaseOf(runs[stack]).values.testFramework.enabled, false);
        assert.equal(releaseOf(runs[stack]).values.fullnameOverride, "grafana");
      });

      it("wires the generated admin password through a Secret the chart reads", () => {
        const run = runs[stack];
        const { values } = releaseOf(run);
        const secret = named(run, TYPES.secret, "grafana-admin-credentials");
        const meta = secret.inputs.metadata as Values;
        assert.equal(values.admin.existingSecret, meta.name);
        assert.equal(values.admin.userKey, "admin-user");
        assert.equal(values.admin.passwordKey, "admin-password");
        assert.equal(values.adminPassword, undefined, "no password in the values");
        const data = revealSecret(secret.inputs.stringData) as Values;
        assert.equal(data["admin-user"], "admin");
        assert.equal(data["admin-password"], "mock-password-for-grafana-admin-password");
        assert.equal(named(run, TYPES.password, "grafana-admin-password").inputs.length, 32);
        assert.ok(single(run, TYPES.release).dependencies.includes(secret.urn), "the release waits for the Secret");
      });

      it("exports the admin password only as a secret", () => {
        const run = runs[stack];
        assert.deepEqual(run.secretOutputs, ["adminPassword"]);
        assert.equal(run.outputs.adminUser, "admin");
        assert.equal(run.outputs.namespace, stack === "dev" ? "grafana-dev" : "grafana");
        assert.match(String(run.outputs.inClusterUrl), /^http:\/\/grafana\.grafana(-dev)?\.svc\.cluster\.local$/);
      });

      it("parents every child to the component", () => {
        const run = runs[stack];
        const component = single(run, TYPES.deployment);
        for (const type of [TYPES.namespace, TYPES.secret, TYPES.release, TYPES.password]) {
          for (const r of ofType(run, type)) assert.equal(r.parent, component.urn, `${r.name} is not parented to the component`);
        }
      });
    });
  }

  it("dev: ClusterIP-free NodePort exposure, no ingress, nothing protected", () => {
    const { values, release } = releaseOf(runs.dev);
    assert.deepEqual(values.service, { type: "NodePort", port: 80, nodePort: 30300 });
    assert.deepEqual(values.ingress, { enabled: false });
    assert.equal(release.protect, false);
    assert.equal(single(runs.dev, TYPES.namespace).protect, false);
    assert.equal(values.persistence.annotations, undefined);
  });

  it("prod: HTTPS ingress and secure cookies", () => {
    const { values } = releaseOf(runs.prod);
    assert.equal(values.ingress.enabled, true);
    assert.deepEqual(values.ingress.hosts, ["grafana.example.com"]);
    assert.deepEqual(values.ingress.tls, [{ secretName: "grafana-tls", hosts: ["grafana.example.com"] }]);
    assert.equal(values.ingress.ingressClassName, "nginx");
    assert.equal(values["grafana.ini"].security.cookie_secure, true);
    assert.equal(runs.prod.outputs.externalUrl, "https://grafana.example.com");
  });

  it("prod: the release, namespace and volume survive pulumi destroy", () => {
    const { values, release } = releaseOf(runs.prod);
    assert.equal(release.protect, true);
    assert.equal(release.retainOnDelete, true);
    const namespace = single(runs.prod, TYPES.namespace);
    assert.equal(namespace.protect, true);
    assert.equal(namespace.retainOnDelete, true);
    assert.deepEqual(values.persistence.annotations, { "helm.sh/resource-policy": "keep" });
    assert.equal(named(runs.prod, TYPES.password, "grafana-admin-password").protect, true, "a new password would lock the provider out");
    assert.equal(named(runs.prod, TYPES.password, "grafana-secret-key").protect, true, "a new key would make stored secrets unreadable");
  });

  it("prod gets more resources than dev", () => {
    const dev = releaseOf(runs.dev).values.resources;
    const prod = releaseOf(runs.prod).values.resources;
    assert.deepEqual(dev, { requests: { cpu: "50m", memory: "128Mi" }, limits: { cpu: "500m", memory: "384Mi" } });
    assert.deepEqual(prod, { requests: { cpu: "250m", memory: "512Mi" }, limits: { cpu: "1", memory: "1Gi" } });
  });
});
