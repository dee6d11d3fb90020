/**
 * `npm run pull` against a local server that answers as Grafana 13 does, holding what the
 * dev stack deploys plus what people made in the UI: a nested folder with a new
 * dashboard, a dashboard in Grafana's General folder and a rule group of their own.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse } from "yaml";
import { normaliseDashboard } from "../../dashboards/imported";
import { DASHBOARD_UID, FOLDER_UID, PERFORMANCE_PANELS } from "../../dashboards";
import { GrafanaApi, pull, PullError, PullItem } from "../../pull";
import { canonicalJson } from "../../pull/files";
import type { PullOptions } from "../../pull";
import { shippedStacks } from "../support/stack";
import { deployedContent, scratchCheckout, snapshot } from "./support/checkout";
import { cliEnv, runPullCli } from "./support/cli";
import { GrafanaContent, RunningGrafana, startGrafanaApi, StoredDashboard } from "./support/grafana-api-server";

const AUTH = "admin:pull-test-password";
const TEAM_FOLDER = { uid: "team-x", title: "Team X Dashboards", parentUid: FOLDER_UID.root };
const NEW_UID = "checkout-latency";
const GENERAL_UID = "scratch-pad";

/** A dashboard as someone saves it from the UI: numeric id, a version, the datasource variable and the provisioned uid. */
function uiDashboard(uid: string, title: string): Record<string, unknown> {
  return {
    id: 41,
    uid,
    title,
    version: 3,
    schemaVersion: 41,
    editable: true,
    tags: ["checkout"],
    time: { from: "now-6h", to: "now" },
    templating: {
      list: [{ name: "datasource", type: "datasource", query: "prometheus", current: { text: "Prometheus", value: "prometheus" } }],
    },
    panels: [
      {
        id: 1,
        type: "timeseries",
        title: "P95 latency",
        gridPos: { h: 8, w: 12, x: 0, y: 0 },
        datasource: { type: "prometheus", uid: "${datasource}" },
        targets: [{ refId: "A", datasource: { type: "prometheus", uid: "${datasource}" }, expr: "histogram_quantile(0.95, sum by (le) (rate(checkout_seconds_bucket[5m])))" }],
      },
      {
        id: 2,
        type: "stat",
        title: "Orders & refunds <today>",
        gridPos: { h: 8, w: 12, x: 12, y: 0 },
        datasource: { type: "prometheus", uid: "prometheus" },
        targets: [{ refId: "A", expr: "sum(increase(orders_total[1d]))" }],
      },
    ],
  };
}

function baseline(deployed: GrafanaContent): GrafanaContent {
  const content = structuredClone(deployed);
  content.folders.push(TEAM_FOLDER);
  content.dashboards.push({ json: uiDashboard(NEW_UID, "Checkout latency"), folderUid: TEAM_FOLDER.uid, version: 3 });
  content.dashboards.push({ json: uiDashboard(GENERAL_UID, "Scratch pad"), folderUid: "", version: 1 });
  content.ruleGroups.push({
    name: "checkout-alerts",
    folderUid: FOLDER_UID.service,
    intervalSeconds: 120,
    rules: [
      {
        name: "CheckoutSlow",
        condition: "C",
        datas: [
          { refId: "A", datasourceUid: "prometheus", relativeTimeRange: { from: 600, to: 0 }, model: JSON.stringify({ refId: "A", expr: "up", instant: true }) },
          { refId: "C", datasourceUid: "__expr__", relativeTimeRange: { from: 0, to: 0 }, model: JSON.stringify({ refId: "C", type: "threshold", expression: "A", conditions: [{ evaluator: { type: "lt", params: [1] } }] }) },
        ],
        for: "5m",
        noDataState: "NoData",
        execErrState: "Error",
        labels: { severity: "warning", team: "checkout" },
        annotations: { summary: "Checkout is slow" },
      },
    ],
  });
  return content;
}

const dashboardIn = (content: GrafanaContent, uid: string): StoredDashboard => {
  const found = content.dashboards.find((d) => d.json.uid === uid);
  assert.ok(found, `no dashboard ${uid} in the test Grafana`);
  return found;
};

const outcomeOf = (items: readonly PullItem[], subjectStart: string): PullItem => {
  const found = items.find((i) => i.subject.startsWith(subjectStart));
  assert.ok(found, `no item for ${subjectStart}: ${items.map((i) => i.subject).join("; ")}`);
  return found;
};

describe("npm run pull", function () {
  this.timeout(60_000);
  let deployed: GrafanaContent;
  let grafana: RunningGrafana;
  let checkout: ReturnType<typeof scratchCheckout>;
  let api: GrafanaApi;

  const run = (selection: Partial<PullOptions>, dryRun = false): Promise<PullItem[]> =>
    pull(api, { dashboards: [], folders: [], alerts: [], stack: "dev", dryRun, root: checkout.root, ...selection });

  before(async () => {
    deployed = deployedContent((await shippedStacks()).dev);
    grafana = await startGrafanaApi(baseline(deployed), { auth: AUTH });
    api = new GrafanaApi({ url: grafana.url, auth: AUTH, authSource: "GRAFANA_AUTH", timeoutMs: 10_000 });
  });
  after(async () => grafana?.close());
  beforeEach(() => {
    Object.assign(grafana.content, baseline(deployed));
    checkout = scratchCheckout();
  });
  afterEach(() => checkout.remove());

  it("--folder churn-api --dry-run lists the right files and writes nothing", async () => {
    const before = snapshot(checkout.root);
    const cli = await runPullCli(["--folder", FOLDER_UID.root, "--dry-run", "--url", grafana.url, "--root", checkout.root], cliEnv({ GRAFANA_AUTH: AUTH }));
    assert.equal(cli.status, 0, cli.stderr);
    assert.deepEqual(snapshot(checkout.root), before);
    const lines = cli.stdout.split("\n");
    const line = (text: string) => lines.find((l) => l.includes(text)) ?? "";
    assert.match(line("dashboards/team-x/checkout-latency.json"), /^would create /);
    assert.match(line("dashboards/churn-api/churn-api-slo.json"), /^unchanged /);
    for (const uid of Object.values(DASHBOARD_UID)) assert.match(line(`dashboard "${uid}", built by`), /^unchanged /);
    assert.ok(
      cli.stdout.includes('note: folder "team-x" ("Team X Dashboards", nested in "churn-api") is not declared: add { uid: "team-x", title: "Team X Dashboards", parentUid: "churn-api" } to FOLDERS'),
      cli.stdout,
    );
    // Outside the folder: not pulled.
    assert.ok(!cli.stdout.includes(GENERAL_UID));
    assert.match(cli.stdout, /dry run: nothing written/);
  });

  it("writes new dashboards normalised like an import, and a second pull changes nothing", async () => {
    const first = await run({ folders: [FOLDER_UID.root], dashboards: [GENERAL_UID] });
    const file = path.join(checkout.root, "dashboards", "team-x", "checkout-latency.json");
    assert.equal(outcomeOf(first, `dashboard "${NEW_UID}"`).outcome, "create");
    const text = fs.readFileSync(file, "utf8");
    const written = JSON.parse(text) as Record<string, unknown>;
    assert.equal(written.uid, NEW_UID);
    assert.ok(!("id" in written) && !("version" in written), "id/version must be stripped");
    // Exactly the importer's normalisation of what Grafana holds, keys sorted.
    const expected = normaliseDashboard(uiDashboard(NEW_UID, "Checkout latency"), "test").model;
    assert.equal(text, canonicalJson(expected));
    assert.deepEqual(Object.keys(written), Object.keys(written).sort());
    // The datasource variable and the provisioned uid are kept as they are.
    assert.match(text, /"uid": "\$\{datasource\}"/);
    // General folder: top level, which the program deploys to "Imported".
    const general = outcomeOf(first, `dashboard "${GENERAL_UID}"`);
    assert.equal(general.file, "dashboards/scratch-pad.json");
    assert.match(general.notes.join(), /General folder/);

    const afterFirst = snapshot(checkout.root);
    const second = await run({ folders: [FOLDER_UID.root], dashboards: [GENERAL_UID] });
    assert.deepEqual(snapshot(checkout.root), afterFirst);
    assert.deepEqual(second.filter((i) => i.writes.length > 0 || i.removes.length > 0), []);
    assert.equal(outcomeOf(second, `dashboard "${NEW_UID}"`).outcome, "unchanged");
  });

  it("updates a drop-in edited in the UI, in place, and only that file", async () => {
    const slo = dashboardIn(grafana.content, "churn-api-slo");
    const panels = slo.json.panels as { title: string }[];
    panels[0].title = "Availability (edited in the UI)";
    Object.assign(slo, { version: 7 });
    const before = snapshot(checkout.root);
    const items = await run({ dashboards: ["churn-api-slo"] });
    const item = outcomeOf(items, 'dashboard "churn-api-slo"');
    assert.equal(item.outcome, "update");
    assert.equal(item.file, "dashboards/churn-api/churn-api-slo.json");
    const after = snapshot(checkout.root);
    const changed = [...after].filter(([f, digest]) => before.get(f) !== digest).map(([f]) => f);
    assert.deepEqual(changed, [path.join("dashboards", "churn-api", "churn-api-slo.json")]);
    const written = JSON.parse(fs.readFileSync(path.join(checkout.root, item.file), "utf8")) as { panels: { title: string }[] };
    assert.equal(written.panels[0].title, "Availability (edited in the UI)");
    // The importer reads the pulled file back to what Grafana holds.
    assert.equal((await run({ dashboards: ["churn-api-slo"] }))[0].outcome, "unchanged");
  });

  it("moves a drop-in whose dashboard was moved to another folder in the UI", async () => {
    Object.assign(dashboardIn(grafana.content, "churn-api-slo"), { folderUid: TEAM_FOLDER.uid });
    const item = outcomeOf(await run({ dashboards: ["churn-api-slo"] }), 'dashboard "churn-api-slo"');
    assert.equal(item.outcome, "move");
    assert.equal(item.from, "dashboards/churn-api/churn-api-slo.json");
    assert.ok(item.file?.startsWith("dashboards/team-x/"));
    assert.ok(!fs.existsSync(path.join(checkout.root, "dashboards/churn-api/churn-api-slo.json")));
    assert.ok(fs.existsSync(path.join(checkout.root, item.file ?? "")));
  });

  it("never overwrites a built dashboard: a UI edit becomes a panel-by-panel diff beside the checkout", async () => {
    const uid = DASHBOARD_UID.performance;
    const stored = dashboardIn(grafana.content, uid);
    const panels = stored.json.panels as Record<string, unknown>[];
    const p95 = panels.find((p) => p.id === PERFORMANCE_PANELS.p95Latency) as { targets: { expr: string }[]; title: string };
    const originalExpr = p95.targets[0].expr;
    const originalTitle = p95.title;
    p95.targets[0].expr = `${originalExpr} * 1000`;
    p95.title = "P95 latency (ms)";
    stored.json.panels = [
      ...panels.filter((p) => p.id !== PERFORMANCE_PANELS.activeRequests),
      { id: 50, type: "text", title: "Runbook", gridPos: { h: 4, w: 24, x: 0, y: 60 }, options: { content: "See docs/runbooks.md" } },
    ];
    stored.json.refresh = "1m";
    const before = snapshot(path.join(checkout.root, "dashboards"));

    const items = await run({ dashboards: [uid] });
    const item = outcomeOf(items, `dashboard "${uid}"`);
    assert.equal(item.outcome, "built-changed");
    assert.equal(item.file, `out/pull/dashboards/${uid}.diff.json`);
    assert.deepEqual(snapshot(path.join(checkout.root, "dashboards")), before, "the module and the drop-ins must stay untouched");

    const diff = JSON.parse(fs.readFileSync(path.join(checkout.root, item.file), "utf8")) as {
      module: string;
      dashboard: { path: string; code?: unknown; grafana?: unknown }[];
      panels: { id: number; status: string; changes?: { path: string; code?: unknown; grafana?: unknown }[]; panel?: unknown }[];
    };
    assert.equal(diff.module, "dashboards/performance.ts");
    assert.deepEqual(diff.dashboard, [{ path: "refresh", code: "30s", grafana: "1m" }]);
    const changed = diff.panels.find((p) => p.id === PERFORMANCE_PANELS.p95Latency);
    assert.equal(changed?.status, "changed");
    assert.deepEqual(changed?.changes, [
      { path: "targets[0].expr", code: originalExpr, grafana: `${originalExpr} * 1000` },
      { path: "title", code: originalTitle, grafana: "P95 latency (ms)" },
    ].sort((a, b) => (a.path < b.path ? -1 : 1)));
    assert.equal(diff.panels.find((p) => p.id === PERFORMANCE_PANELS.activeRequests)?.status, "removed in Grafana");
    const added = diff.panels.find((p) => p.id === 50);
    assert.equal(added?.status, "added in Grafana");
    assert.deepEqual((added?.panel as { title: string }).title, "Runbook");
    assert.equal(diff.panels.length, 3, "only the panels that changed");

    // Once the UI edit is reverted (or ported and deployed), the stale diff goes.
    Object.assign(grafana.content, baseline(deployed));
    const again = outcomeOf(await run({ dashboards: [uid] }), `dashboard "${uid}"`);
    assert.equal(again.outcome, "built-unchanged");
    assert.ok(!fs.existsSync(path.join(checkout.root, item.file)));
  });

  it("--alerts writes the folder's own rule groups in Grafana's export format, never the program's group", async () => {
    const items = await run({ alerts: [FOLDER_UID.service] });
    const ui = outcomeOf(items, 'rule group "checkout-alerts"');
    assert.equal(ui.outcome, "create");
    assert.equal(ui.file, `alerts/rules/${FOLDER_UID.service}/checkout-alerts.yaml`);
    const doc = parse(fs.readFileSync(path.join(checkout.root, ui.file), "utf8")) as { apiVersion: number; groups: { name: string; interval: string; rules: { title: string; labels: Record<string, string> }[] }[] };
    assert.equal(doc.apiVersion, 1);
    assert.deepEqual(doc.groups.map((g) => g.name), ["checkout-alerts"]);
    assert.equal(doc.groups[0].interval, "2m");
    assert.deepEqual(doc.groups[0].rules.map((r) => r.title), ["CheckoutSlow"]);
    assert.deepEqual(doc.groups[0].rules[0].labels, { severity: "warning", team: "checkout" });
    assert.equal(outcomeOf(items, `rule group "${FOLDER_UID.service}-alerts"`).outcome, "program-rules");

    const afterFirst = snapshot(checkout.root);
    const second = await run({ alerts: [FOLDER_UID.service] });
    assert.equal(outcomeOf(second, 'rule group "checkout-alerts"').outcome, "unchanged");
    assert.deepEqual(snapshot(checkout.root), afterFirst);

    // A folder without rules is not an error.
    const none = await run({ alerts: [TEAM_FOLDER.uid] });
    assert.deepEqual(none.map((i) => i.outcome), ["no-rules"]);
  });

  it("writes nothing through a linked directory that leads out of the checkout", async () => {
    const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), "pull-elsewhere-"));
    try {
      fs.symlinkSync(elsewhere, path.join(checkout.root, "dashboards", TEAM_FOLDER.uid));
      const before = snapshot(checkout.root);
      for (const dryRun of [true, false]) {
        await assert.rejects(run({ folders: [FOLDER_UID.root] }, dryRun), (err: unknown) => {
          assert.ok(err instanceof PullError);
          assert.match(err.message, new RegExp(`^dashboards/${TEAM_FOLDER.uid}/checkout-latency\\.json would be written in .*pull-elsewhere-.*, outside the checkout`));
          return true;
        });
      }
      assert.deepEqual(fs.readdirSync(elsewhere), [], "a file was written outside the checkout");
      assert.deepEqual(snapshot(checkout.root), before);
    } finally {
      fs.rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  it("writes nothing when any request fails, even after others succeeded", async () => {
    const before = snapshot(checkout.root);
    // The folder's new dashboard would be written; the unknown alert folder is asked for last.
    Object.assign(dashboardIn(grafana.content, "churn-api-slo").json, { title: "Churn API – SLO (edited)" });
    await assert.rejects(run({ folders: [FOLDER_UID.root], alerts: ["no-such-folder"] }), (err: unknown) => {
      assert.ok(err instanceof PullError);
      assert.match(err.message, /folder "no-such-folder" not found/);
      return true;
    });
    assert.ok(grafana.requests.some((r) => r.startsWith(`/api/dashboards/uid/${NEW_UID}`)), "the dashboards were fetched first");
    assert.deepEqual(snapshot(checkout.root), before);
  });
});
