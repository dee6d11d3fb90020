/**
 * Real content dropped in as a user would (dashboards/, dashboards/<folder-uid>/), run
 * through the whole program under the mock engine: what it registers, and what it refuses
 * before registering anything.
 */
import * as assert from "node:assert/strict";
import { FOLDERS } from "../../dashboards/folders";
import { DropIns } from "../support/drop-in";
import { deployStack, ofType, rejectStack } from "../support/stack";

const TYPES = {
  dashboard: "grafana:oss/dashboard:Dashboard",
  libraryPanel: "grafana:oss/libraryPanel:LibraryPanel",
  folder: "grafana:oss/folder:Folder",
} as const;

const PROM_INPUT = { name: "DS_PROMETHEUS", type: "datasource", pluginId: "prometheus" };

/** An "Export for sharing externally" file with one library panel. */
const withLibraryPanel = {
  __inputs: [PROM_INPUT],
  __elements: {
    "lib-zz-cpu": {
      name: "ZZ CPU",
      uid: "lib-zz-cpu",
      kind: 1,
      model: {
        type: "timeseries",
        title: "CPU",
        datasource: { type: "prometheus", uid: "${DS_PROMETHEUS}" },
        targets: [{ refId: "A", expr: 'sum(rate(container_cpu_usage_seconds_total{namespace="churn-api"}[5m]))' }],
      },
    },
  },
  uid: "zz-library-user",
  title: "ZZ library user",
  schemaVersion: 39,
  panels: [{ id: 1, gridPos: { x: 0, y: 0, w: 12, h: 8 }, title: "CPU", libraryPanel: { uid: "lib-zz-cpu", name: "ZZ CPU" } }],
};

describe("imported content through the program", () => {
  // Only what the test drops in is removed: a contributor's dashboards in the same folders stay.
  const drops = new DropIns();
  const dropIn = (relative: string, content: object) => drops.write(`dashboards/${relative}`, content);
  afterEach(() => drops.removeAll());

  it("deploys a library panel before the dashboard that uses it, in the dashboard's folder", async () => {
    dropIn("imported/zz-library.json", withLibraryPanel);
    const run = await deployStack("dev");
    const [lib] = ofType(run, TYPES.libraryPanel);
    assert.ok(lib, "no library panel registered");
    assert.equal(lib.inputs.uid, "lib-zz-cpu");
    assert.equal(lib.inputs.name, "ZZ CPU");
    assert.equal(lib.inputs.folderUid, "imported");
    const model = JSON.parse(String(lib.inputs.modelJson)) as { datasource: unknown };
    assert.deepEqual(model.datasource, { type: "prometheus", uid: "prometheus" }, "its datasource input is mapped like the dashboard's");
    const dashboard = ofType(run, TYPES.dashboard).find((d) => JSON.parse(String(d.inputs.configJson)).uid === "zz-library-user");
    assert.ok(dashboard);
    assert.ok(dashboard.dependencies.includes(lib.urn), "the dashboard waits for its library panel");
    assert.ok(!String(dashboard.inputs.configJson).includes("__elements"));
  });

  it("refuses a dashboard in a folder nobody declared, listing the declared folders", async () => {
    dropIn("zz-nobody/x.json", { uid: "zz-nobody-x", title: "X", schemaVersion: 39, panels: [] });
    const err = await rejectStack("dev");
    assert.match(err.message, /dashboards\/zz-nobody\/: "zz-nobody" is not a declared folder/);
    for (const f of FOLDERS) assert.ok(err.message.includes(`dashboards/${f.uid}/`), `${f.uid} not listed`);
    assert.match(err.message, /FOLDERS in dashboards\/folders\.ts/);
  });

  it("deploys a dashboard dropped into a declared folder there, without creating a folder", async () => {
    dropIn(`${FOLDERS[3].uid}/zz-declared.json`, { uid: "zz-declared", title: "ZZ declared", schemaVersion: 39, panels: [] });
    const run = await deployStack("dev");
    const dashboard = ofType(run, TYPES.dashboard).find((d) => JSON.parse(String(d.inputs.configJson)).uid === "zz-declared");
    assert.equal(dashboard?.inputs.folder, FOLDERS[3].uid);
    const declared = new Set([...FOLDERS.map((f) => f.uid), "imported"]);
    assert.deepEqual(ofType(run, TYPES.folder).map((f) => String(f.inputs.uid)).filter((uid) => !declared.has(uid)), [], "no folder created");
  });
});
