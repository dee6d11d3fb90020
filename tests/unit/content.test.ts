import * as assert from "node:assert/strict";
import { PROMETHEUS_DATASOURCE } from "../../catalog/datasource";
import { CHURN_API } from "../../catalog/metrics";
import { FOLDER_UID, FOLDERS, IMPORTED_FOLDER } from "../../dashboards/folders";
import { DASHBOARD_UID, PERFORMANCE_PANELS } from "../../dashboards/uids";
import { DashboardModel } from "../../dashboards/types";
import { ProgramRun, RegisteredResource } from "../../render/mock-engine";
import { EXAMPLE_DROP_IN_UID } from "../support/design";
import { DropIns } from "../support/drop-in";
import { deployStack, ofType, rejectStack, revealSecret, shippedStacks, single, TYPES } from "../support/stack";

const providerRef = (run: ProgramRun) => {
  const provider = single(run, TYPES.provider);
  return `${provider.urn}::${provider.name}-id`;
};
const model = (r: RegisteredResource) => JSON.parse(String(r.inputs.configJson)) as DashboardModel;
const dashboard = (run: ProgramRun, uid: string) => {
  const found = ofType(run, TYPES.dashboard).find((r) => model(r).uid === uid);
  assert.ok(found, `dashboard ${uid} not registered`);
  return found;
};

describe("GrafanaContent", () => {
  const runs: Record<string, ProgramRun> = {};
  before(async () => {
    Object.assign(runs, await shippedStacks());
  });

  describe("provider", () => {
    it("reaches Grafana at a URL known at preview time", () => {
      assert.equal(single(runs.dev, TYPES.provider).inputs.url, "http://localhost:3000");
      assert.equal(single(runs.prod, TYPES.provider).inputs.url, "https://grafana.example.com");
    });

    it("authenticates with the generated admin credentials, kept secret", () => {
      const auth = revealSecret(single(runs.dev, TYPES.provider).inputs.auth);
      assert.equal(auth, "admin:mock-password-for-grafana-admin-password");
    });

    it("retries while a fresh Grafana starts, and waits for the Helm release", () => {
      const provider = single(runs.dev, TYPES.provider);
      assert.equal(provider.inputs.retries, "10");
      assert.equal(provider.inputs.retryWait, "3");
      assert.ok(provider.dependencies.includes(single(runs.dev, TYPES.release).urn));
    });

    it("is the provider of every Grafana resource", () => {
      for (const stack of ["dev", "prod"]) {
        const grafanaResources = runs[stack].resources.filter((r) => r.type.startsWith("grafana:"));
        assert.ok(grafanaResources.length > 10);
        for (const r of grafanaResources) assert.equal(r.provider, providerRef(runs[stack]), `${r.type} ${r.name}`);
      }
    });
  });

  describe("folders", () => {
    it("declares the nested folders with stable uids, and the Imported folder only when content lands in it", () => {
      const folders = ofType(runs.dev, TYPES.folder).map((r) => [r.inputs.uid, r.inputs.title, r.inputs.parentFolderUid ?? null]).sort();
      const landsInImported =
        ofType(runs.dev, TYPES.dashboard).some((d) => d.inputs.folder === IMPORTED_FOLDER.uid) ||
        ofType(runs.dev, TYPES.ruleGroup).some((g) => g.inputs.folderUid === IMPORTED_FOLDER.uid);
      const expected = [...FOLDERS, ...(landsInImported ? [IMPORTED_FOLDER] : [])];
      assert.deepEqual(folders, expected.map((f) => [f.uid, f.title, f.parentUid ?? null]).sort());
      assert.ok(folders.some(([, , parent]) => parent === FOLDER_UID.root), "no nested folder");
    });

    it("prod: viewers and editors cannot edit managed folders", () => {
      const permissions = ofType(runs.prod, TYPES.folderPermission);
      const managed = ofType(runs.prod, TYPES.folder).map((f) => f.inputs.uid);
      for (const f of FOLDERS) assert.ok(managed.includes(f.uid), f.uid);
      assert.deepEqual(permissions.map((p) => p.inputs.folderUid).sort(), managed.sort());
      for (const p of permissions) {
        assert.deepEqual(p.inputs.permissions, [
          { role: "Viewer", permission: "View" },
          { role: "Editor", permission: "View" },
        ]);
      }
      assert.deepEqual(ofType(runs.dev, TYPES.folderPermission), [], "dev keeps Grafana's defaults");
    });

    it("prod folders refuse deletion while they hold foreign content", () => {
      for (const f of ofType(runs.prod, TYPES.folder)) assert.equal(f.inputs.preventDestroyIfNotEmpty, true);
      for (const f of ofType(runs.dev, TYPES.folder)) assert.equal(f.inputs.preventDestroyIfNotEmpty, false);
    });
  });

  describe("dashboards", () => {
    it("registers the three built dashboards and the imported example in their folders", () => {
      const placed = new Map(ofType(runs.dev, TYPES.dashboard).map((r) => [model(r).uid, r.inputs.folder]));
      for (const [uid, folder] of [
        [DASHBOARD_UID.infrastructure, FOLDER_UID.infrastructure],
        [DASHBOARD_UID.model, FOLDER_UID.ml],
        [DASHBOARD_UID.performance, FOLDER_UID.service],
        [EXAMPLE_DROP_IN_UID, FOLDER_UID.root],
      ]) {
        assert.equal(placed.get(uid), folder, `dashboard ${uid}`);
      }
      for (const r of ofType(runs.dev, TYPES.dashboard)) assert.equal(r.inputs.overwrite, true);
    });

    it("sends final JSON without id or version", () => {
      for (const r of ofType(runs.dev, TYPES.dashboard)) {
        const m = model(r);
        assert.equal("id" in m, false, `${m.uid} has an id`);
        assert.equal("version" in m, false, `${m.uid} has a version`);
      }
    });

    it("builds the performance dashboard from the catalog", () => {
      const m = model(dashboard(runs.dev, DASHBOARD_UID.performance));
      const p95 = m.panels?.find((p) => p.id === PERFORMANCE_PANELS.p95Latency);
      assert.ok(p95?.targets?.some((t) => String(t.expr).includes(`${CHURN_API.httpRequestDuration.name}_bucket`)));
      assert.ok(p95?.targets?.some((t) => String(t.expr).startsWith("histogram_quantile(0.95")));
      const variables = (m.templating?.list ?? []).map((v) => v.name);
      for (const name of ["datasource", "environment", "namespace", "endpoint"]) assert.ok(variables.includes(name), `missing $${name}`);
    });

    it("maps the imported export's datasource input to the provisioned Prometheus", () => {
      const text = String(dashboard(runs.dev, EXAMPLE_DROP_IN_UID).inputs.configJson);
      assert.doesNotMatch(text, /\$\{DS_/);
      assert.doesNotMatch(text, /__inputs|__requires/);
      assert.match(text, new RegExp(`"uid":"${PROMETHEUS_DATASOURCE.uid}"`));
    });

    it("uses the stack's namespace as the default of the namespace variable", async () => {
      const run = await deployStack("dev", { overrides: { churnApiNamespace: "ml-serving" } });
      const ns = model(dashboard(run, DASHBOARD_UID.performance)).templating?.list?.find((v) => v.name === "namespace");
      assert.equal((ns?.current as { value?: string } | undefined)?.value, "ml-serving");
    });
  });

  describe("bring your own Grafana", () => {
    let run: ProgramRun;
    before(async () => {
      run = await deployStack("dev", {
        overrides: { deployGrafana: false, grafanaUrl: "https://grafana.corp.example", prometheusUrl: "" },
        secrets: { grafanaAuth: "glsa_servicetoken_under_test" },
      });
    });

    it("deploys nothing to Kubernetes", () => {
      assert.deepEqual(run.resources.filter((r) => r.type.startsWith("kubernetes:") || r.type.startsWith("random:")), []);
      assert.equal(run.outputs.adminPassword, undefined);
    });

    it("points the provider at the existing Grafana with the secret credentials", () => {
      const provider = single(run, TYPES.provider);
      assert.equal(provider.inputs.url, "https://grafana.corp.example");
      assert.equal(revealSecret(provider.inputs.auth), "glsa_servicetoken_under_test");
      assert.deepEqual(provider.dependencies, []);
    });

    it("still declares all content: the same dashboards and rule groups as when it deploys Grafana", () => {
      const names = (r: ProgramRun, type: string) => ofType(r, type).map((x) => x.name).sort();
      for (const type of [TYPES.folder, TYPES.dashboard, TYPES.ruleGroup, TYPES.contactPoint, TYPES.notificationPolicy]) {
        assert.deepEqual(names(run, type), names(runs.dev, type), type);
      }
      assert.ok(names(run, TYPES.dashboard).length > 0 && names(run, TYPES.ruleGroup).length > 0);
    });

    it("refuses a prometheusUrl it would ignore (the Grafana's own datasource of uid prometheus is read)", async () => {
      const err = await rejectStack("dev", { overrides: { deployGrafana: false, grafanaUrl: "https://grafana.corp.example" }, secrets: { grafanaAuth: "glsa_servicetoken_under_test" } });
      assert.match(err.message, /prometheusUrl is set but deployGrafana is false: nothing provisions a datasource in your Grafana/);
      assert.match(err.message, /fix: npm run pulumi -- config rm --stack dev prometheusUrl/);
    });

    it("refuses to run without credentials", async () => {
      const err = await rejectStack("dev", { overrides: { deployGrafana: false, grafanaUrl: "https://grafana.corp.example", prometheusUrl: "" } });
      assert.match(err.message, /deployGrafana is false, so credentials for your existing Grafana are needed/);
    });
  });

  describe("bad dashboards stop the program before anything is registered", () => {
    // Into the Imported folder; only what the test drops in is removed.
    const drops = new DropIns();
    afterEach(() => drops.removeAll());
    const dropIn = (file: string, content: string | object) => drops.write(`dashboards/imported/${file}`, content);

    it("a duplicate uid", async () => {
      dropIn("zz-test-copy.json", { uid: DASHBOARD_UID.performance, title: "Copy", panels: [], schemaVersion: 39 });
      const err = await rejectStack("dev");
      assert.match(err.message, /imported\/zz-test-copy\.json/);
      assert.match(err.message, /churn-api-performance/);
    });

    it("an exported dashboard with an unknown datasource input", async () => {
      dropIn("logs.json", {
        __inputs: [{ name: "DS_LOKI", type: "datasource", pluginId: "loki", label: "Loki" }],
        uid: "churn-api-logs",
        title: "Logs",
        panels: [{ id: 1, type: "logs", title: "Logs", datasource: { type: "loki", uid: "${DS_LOKI}" }, gridPos: { x: 0, y: 0, w: 24, h: 8 } }],
      });
      const err = await rejectStack("dev");
      assert.match(err.message, /logs\.json/);
      assert.match(err.message, /DS_LOKI/);
    });

    it("malformed JSON", async () => {
      dropIn("broken.json", '{ "uid": "broken", "title": ');
      const err = await rejectStack("dev");
      assert.match(err.message, /broken\.json/);
    });
  });
});
