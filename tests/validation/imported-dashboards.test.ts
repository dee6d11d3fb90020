/**
 * Imported dashboards are accepted exactly as Grafana would accept them: what Grafana's
 * import fills in or reflows passes; what it would show broken (invalid PromQL, an
 * unresolvable datasource, a library panel it does not have) is refused, naming the
 * panel, once per defect. Each case states the Grafana behaviour it follows.
 */
import * as assert from "node:assert/strict";
import { parseDatasourceMapping } from "../../catalog/datasource-mapping";
import { normaliseDashboard, uidFromPath } from "../../dashboards/normalise";
import { DashboardModel, DashboardSpec } from "../../dashboards/types";
import { Problem } from "../../lib/errors";
import { validateDashboards } from "../../validation/dashboards";
import { migratedForValidation } from "../../validation/dashboard-migration";

const SOURCE = "dashboards/imported/test.json";
const PROM = { type: "prometheus", uid: "prometheus" };

const target = (expr: string, refId = "A") => ({ refId, expr, datasource: PROM });
const timeseries = (id: number, expr: string, extra: Record<string, unknown> = {}) => ({
  id,
  type: "timeseries",
  title: `Panel ${id}`,
  gridPos: { x: 0, y: id * 8, w: 12, h: 8 },
  datasource: PROM,
  targets: [target(expr)],
  ...extra,
});

/** Normalises `raw` as the importer does and validates the result; returns the problems of both. */
function importAndValidate(raw: Record<string, unknown>, mappingYaml = ""): { spec?: DashboardSpec; problems: Problem[] } {
  const { mapping } = parseDatasourceMapping(mappingYaml, "catalog/datasource-mapping.yaml");
  const { model, libraryPanels, problems } = normaliseDashboard(structuredClone(raw), { source: SOURCE, path: "test.json", mapping });
  if (!model || problems.length > 0) return { problems };
  const spec: DashboardSpec = { uid: String(model.uid), title: String(model.title), folderUid: "imported", source: SOURCE, model, libraryPanels };
  return { spec, problems: validateDashboards([spec]) };
}

const accepted = (raw: Record<string, unknown>, mappingYaml?: string): DashboardSpec => {
  const { spec, problems } = importAndValidate(raw, mappingYaml);
  assert.deepEqual(problems, [], "refused");
  assert.ok(spec);
  return spec;
};

const dashboard = (panels: unknown[], extra: Record<string, unknown> = {}) => ({ uid: "imp", title: "Imported", schemaVersion: 39, panels, ...extra });

describe("imported dashboards: accepted as Grafana accepts them", () => {
  it("fills in what Grafana fills in: no annotations/templating, fieldConfig without overrides, partial links, a row without panels", () => {
    accepted(
      dashboard([
        { id: 10, type: "row", title: "Overview", collapsed: false, gridPos: { x: 0, y: 0, w: 24, h: 1 } },
        timeseries(1, "up", { fieldConfig: { defaults: { unit: "s" } } }),
      ], { links: [{ title: "Docs", type: "link", url: "https://example.org" }] }),
    );
  });

  it("takes the types Grafana tolerates: numeric gnetId, refresh false, revision \"1.0\", string datasources", () => {
    accepted(
      dashboard([timeseries(1, "up", { datasource: "$datasource", targets: [{ refId: "A", expr: "up", datasource: "Prometheus" }] })], {
        gnetId: 9614,
        refresh: false,
        revision: "1.0",
        templating: { list: [{ name: "datasource", type: "datasource", query: "prometheus" }, { name: "job", type: "query", datasource: "$datasource", query: "label_values(up, job)" }] },
      }),
    );
  });

  it("places a panel without gridPos and reflows overlapping panels, as Grafana's grid does", () => {
    accepted(dashboard([timeseries(1, "up", { gridPos: undefined }), timeseries(2, "up", { gridPos: { x: 0, y: 0, w: 24, h: 8 } }), timeseries(3, "up", { gridPos: { y: 2, w: 12, h: 8 } })]));
  });

  it("derives a stable uid from the path when the dashboard has none", () => {
    const raw = dashboard([timeseries(1, "up")]);
    delete (raw as { uid?: string }).uid;
    assert.equal(accepted(raw).uid, "test");
    assert.equal(uidFromPath("dashboards/team-a/Node Exporter (full).json"), "team-a-Node-Exporter-full");
    const long = uidFromPath("platform/a-very-long-dashboard-file-name-from-grafana-com.json");
    assert.ok(long.length <= 40 && long.startsWith("platform-a-very-long"), long);
    assert.equal(uidFromPath("platform/a-very-long-dashboard-file-name-from-grafana-com.json"), long, "same path, same uid");
    assert.notEqual(uidFromPath("platform/a-very-long-dashboard-file-name-from-grafana-org.json"), long);
  });

  it("maps a concrete datasource uid of the exporting Grafana through catalog/datasource-mapping.yaml", () => {
    const raw = dashboard([timeseries(1, "up", { datasource: { type: "prometheus", uid: "P1809F7CD0C75ACF3" }, targets: [{ refId: "A", expr: "up", datasource: "Prometheus (prod)" }] })]);
    const refused = importAndValidate(raw).problems;
    assert.equal(refused.length, 2, JSON.stringify(refused));
    assert.equal(refused[0].where, `${SOURCE}: dashboard "imp" (Imported), panel 1 "Panel 1"`);
    assert.equal(refused[1].where, `${SOURCE}: dashboard "imp" (Imported), panel 1 "Panel 1", target A`);
    assert.match(refused[1].message, /unknown datasource "Prometheus \(prod\)"/);
    assert.match(refused[0].message, /unknown datasource "P1809F7CD0C75ACF3"/);
    assert.match(refused[0].fix ?? "", /catalog\/datasource-mapping\.yaml \(P1809F7CD0C75ACF3: prometheus\)/);
    const spec = accepted(raw, 'P1809F7CD0C75ACF3: prometheus\n"Prometheus (prod)": prometheus\n');
    const panel = spec.model.panels?.[0];
    assert.deepEqual(panel?.datasource, PROM);
    assert.deepEqual(panel?.targets?.[0].datasource, PROM, "a legacy name is mapped too");
  });

  it("refuses a mapping to a datasource this Grafana does not provision", () => {
    const { problems } = parseDatasourceMapping("P1809F7CD0C75ACF3: prometheuz\n", "catalog/datasource-mapping.yaml");
    assert.equal(problems.length, 1);
    assert.equal(problems[0].where, "catalog/datasource-mapping.yaml: P1809F7CD0C75ACF3");
    assert.match(problems[0].fix ?? "", /did you mean "prometheus"/);
  });
});

describe("imported dashboards: legacy rows are validated after Grafana's schema 16 migration", () => {
  const legacy = (expr: string) => ({
    uid: "legacy",
    title: "Legacy",
    schemaVersion: 14,
    rows: [
      { title: "CPU", showTitle: true, height: "250px", panels: [{ id: 1, type: "graph", span: 6, datasource: "Prometheus", targets: [{ refId: "A", expr }] }] },
      { title: "Memory", collapse: true, panels: [{ id: 2, type: "singlestat", span: 12, datasource: null, targets: [{ refId: "A", expr: "up" }] }] },
    ],
  });

  it("accepts a legacy dashboard Grafana upgrades, and deploys it as committed", () => {
    const spec = accepted(legacy('sum(rate(node_cpu_seconds_total{mode!="idle"}[5m]))'));
    assert.ok(Array.isArray(spec.model.rows), "deployed as committed: Grafana migrates it itself");
  });

  it("reports broken PromQL inside a legacy row (it used to pass unchecked)", () => {
    const { problems } = importAndValidate(legacy("sum(rate(node_cpu_seconds_total[5m])"));
    assert.equal(problems.length, 1, JSON.stringify(problems));
    assert.equal(problems[0].where, 'dashboards/imported/test.json: dashboard "legacy" (Legacy), panel 1 (untitled), target A');
    assert.match(problems[0].message, /PromQL syntax error: unclosed "\("/);
  });

  it("lays out rows and spans as Grafana's migration does", () => {
    const migrated = migratedForValidation(legacy("up") as unknown as DashboardModel);
    const rows = (migrated.panels ?? []).filter((p) => p.type === "row");
    assert.deepEqual(rows.map((r) => [r.title, r.gridPos, r.collapsed]), [
      ["CPU", { x: 0, y: 0, w: 24, h: 7 }, undefined],
      ["Memory", { x: 0, y: 8, w: 24, h: 7 }, true],
    ]);
    const cpu = (migrated.panels ?? []).find((p) => p.id === 1);
    assert.deepEqual(cpu?.gridPos, { x: 0, y: 1, w: 12, h: 7 }, "span 6 of 12 -> 12 of 24 columns; 250px -> 7 rows");
    assert.deepEqual(rows[1].panels?.map((p) => p.id), [2], "a collapsed row keeps its panels");
    assert.equal(migrated.rows, undefined);
  });
});

describe("imported dashboards: library panels", () => {
  const withLibrary = (expr: string, elements = true) => ({
    __inputs: [{ name: "DS_PROM", type: "datasource", pluginId: "prometheus" }],
    ...(elements
      ? { __elements: { "lib-cpu": { name: "CPU", uid: "lib-cpu", kind: 1, model: { type: "timeseries", title: "CPU", datasource: { type: "prometheus", uid: "${DS_PROM}" }, targets: [{ refId: "A", expr }] } } } }
      : {}),
    ...dashboard([{ id: 1, gridPos: { x: 0, y: 0, w: 12, h: 8 }, title: "CPU", libraryPanel: { uid: "lib-cpu", name: "CPU" } }]),
  });

  it("keeps the library panel (model from __elements, datasource input mapped) for deployment", () => {
    const spec = accepted(withLibrary("sum(rate(node_cpu_seconds_total[5m]))"));
    assert.deepEqual(spec.libraryPanels?.map((l) => [l.uid, l.name, l.model.datasource]), [["lib-cpu", "CPU", PROM]]);
  });

  it("validates the library panel's queries in the dashboard's place", () => {
    const { problems } = importAndValidate(withLibrary("sum(rate(node_cpu_seconds_total[5m])"));
    assert.equal(problems.length, 1, JSON.stringify(problems));
    assert.equal(problems[0].where, `${SOURCE}: dashboard "imp" (Imported), panel 1 "CPU", target A`);
  });

  it("refuses a library panel the file does not carry, instead of dropping it", () => {
    const { problems } = importAndValidate(withLibrary("up", false));
    assert.equal(problems.length, 1);
    assert.equal(problems[0].where, `${SOURCE}: library panel "CPU" (uid "lib-cpu")`);
    assert.match(problems[0].message, /not in the file/);
    assert.match(problems[0].fix ?? "", /Export for sharing externally/);
  });

  it("refuses two files carrying different library panels under one uid", () => {
    const a = accepted(withLibrary("up"));
    const b = accepted({ ...withLibrary("up"), uid: "imp-b", title: "B" });
    const changed = { ...b, source: "dashboards/imported/b.json", libraryPanels: [{ ...b.libraryPanels![0], model: { ...b.libraryPanels![0].model, title: "CPU (edited)" } }] };
    const problems = validateDashboards([a, changed]);
    assert.equal(problems.length, 1, JSON.stringify(problems));
    assert.match(problems[0].message, /differs from the library panel of the same uid in dashboards\/imported\/test\.json/);
  });
});

describe("imported dashboards: one problem per real issue", () => {
  it("reports the same undefined variable in many queries once, with the count and the places", () => {
    const panels = [1, 2, 3, 4, 5].map((id) => timeseries(id, `rate(http_requests_total{cluster="$clustr", id="${id}"}[5m])`));
    const { problems } = importAndValidate(dashboard(panels, { templating: { list: [{ name: "cluster", type: "custom", query: "a,b" }] } }));
    assert.equal(problems.length, 1, JSON.stringify(problems, null, 1));
    const [p] = problems;
    assert.equal(p.where, `${SOURCE}: dashboard "imp" (Imported)`);
    assert.match(p.message, /\$clustr is not defined/);
    assert.match(p.message, /\(5 places: panel 1 "Panel 1", target A; panel 2 "Panel 2", target A; panel 3 "Panel 3", target A and 2 more\)/);
    assert.equal(p.fix, "did you mean $cluster?");
  });

  it("keeps different defects apart", () => {
    const { problems } = importAndValidate(dashboard([timeseries(1, "rate(x[5m]"), timeseries(2, 'up{a="$nope"}')]));
    assert.equal(problems.length, 2, JSON.stringify(problems));
  });
});

describe("drop-in queries name the churn API's metrics as the catalog defines them", () => {
  it("refuses a churn_api_ metric the catalog does not define, with \"did you mean\"", () => {
    const { problems } = importAndValidate(dashboard([timeseries(1, 'sum(rate(churn_api_http_request_total{namespace="churn-api"}[5m]))')]));
    assert.equal(problems.length, 1, JSON.stringify(problems));
    assert.equal(problems[0].where, `${SOURCE}: dashboard "imp" (Imported), panel 1 "Panel 1", target A`);
    assert.match(problems[0].message, /metric "churn_api_http_request_total" is not one the churn API exports/);
    assert.equal(problems[0].fix, 'did you mean "churn_api_http_requests_total"?');
  });

  it("accepts a matcher on a label the metric lacks when it matches the empty string (Prometheus reads an absent label as \"\"), or takes a variable's value", () => {
    for (const selector of ['model_version!="canary"', 'cluster=""', 'cluster=~".*"', 'cluster!~"prod-.+"', 'cluster=~"$cluster"']) {
      const { problems } = importAndValidate(
        dashboard([timeseries(1, `sum(rate(churn_api_http_requests_total{${selector}}[5m]))`)], { templating: { list: [{ name: "cluster", type: "custom", query: "eu,us", current: { text: "eu", value: "eu" } }] } }),
      );
      assert.deepEqual(problems, [], selector);
    }
    // Still refused: a matcher that needs a value the metric never has.
    for (const selector of ['cluster="eu"', 'cluster=~"eu|us"', 'cluster!~""']) {
      const { problems } = importAndValidate(dashboard([timeseries(1, `sum(rate(churn_api_http_requests_total{${selector}}[5m]))`)]));
      assert.match(problems[0]?.message ?? "", /has no label "cluster", so the matcher selects nothing/, selector);
    }
  });

  it("refuses a label the metric lacks, with \"did you mean\"", () => {
    const { problems } = importAndValidate(dashboard([timeseries(1, 'sum(rate(churn_api_http_requests_total{namspace="churn-api", status=~"5.."}[5m]))')]));
    assert.equal(problems.length, 1, JSON.stringify(problems));
    assert.match(problems[0].message, /metric "churn_api_http_requests_total" has no label "namspace"/);
    assert.equal(problems[0].fix, 'did you mean "namespace"?');
  });

  it("accepts the catalog's series (histogram buckets with le, scrape labels) and leaves other metrics alone", () => {
    accepted(
      dashboard([
        timeseries(1, 'histogram_quantile(0.95, sum by (le) (rate(churn_api_http_request_duration_seconds_bucket{job="churn-api", instance=~".+", pod!=""}[5m])))'),
        timeseries(2, 'sum(rate(node_cpu_seconds_total{whatever="x"}[5m]))'),
      ]),
    );
  });
});
