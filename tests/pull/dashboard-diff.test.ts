/** The panel-by-panel diff of a built dashboard, on small models: paths, sides, rows. */
import * as assert from "node:assert/strict";
import { dashboardDiff, summariseDiff, valueChanges } from "../../pull/dashboard-diff";
import { authorizationHeader } from "../../pull/grafana-api";
import { slug } from "../../pull/files";
import type { PanelModel } from "../../dashboards/types";

describe("pull: dashboard diff", () => {
  it("names the smallest changed paths, with each side's value, absent sides left out", () => {
    const code = { options: { legend: { calcs: ["mean"], show: true } }, targets: [{ refId: "A", expr: "a" }], "odd.key": 1, unit: "s" };
    const grafana = { options: { legend: { calcs: ["mean", "max"], show: true } }, targets: [{ refId: "A", expr: "b" }, { refId: "B", expr: "c" }], "odd.key": 2 };
    assert.deepEqual(valueChanges(code, grafana), [
      { path: '["odd.key"]', code: 1, grafana: 2 },
      // A list of scalars is one value: both lists are shown whole.
      { path: "options.legend.calcs", code: ["mean"], grafana: ["mean", "max"] },
      { path: "targets[0].expr", code: "a", grafana: "b" },
      { path: "targets[1]", grafana: { refId: "B", expr: "c" } },
      { path: "unit", code: "s" },
    ]);
    assert.deepEqual(valueChanges(code, structuredClone(code)), []);
  });

  it("matches panels by id, compares a collapsed row's panels one by one, and keeps dashboard settings apart", () => {
    const row = (children: PanelModel[]): PanelModel => ({ id: 100, type: "row", title: "Traffic", collapsed: true, panels: children });
    const code = { title: "T", refresh: "30s", panels: [{ id: 1, title: "A", type: "stat" }, row([{ id: 2, title: "B", type: "timeseries" }])] };
    const grafana = { title: "T", refresh: "30s", panels: [row([{ id: 2, title: "B (edited)", type: "timeseries" }, { id: 3, title: "New", type: "text" }])] };
    const diff = dashboardDiff(code, grafana);
    assert.deepEqual(diff.dashboard, []);
    assert.deepEqual(diff.panels, [
      { id: 1, title: "A", status: "removed in Grafana" },
      { id: 2, title: "B", status: "changed", changes: [{ path: "title", code: "B", grafana: "B (edited)" }] },
      { id: 3, title: "New", status: "added in Grafana", panel: { id: 3, title: "New", type: "text" } },
    ]);
    assert.equal(summariseDiff(diff), "1 panel removed in Grafana, 1 changed, 1 added in Grafana");
  });

  it("file names and credentials: slugs are plain ASCII, user:password is basic auth and anything else a token", () => {
    assert.equal(slug("Churn API – Performance (p95)"), "churn-api-performance-p95");
    assert.equal(slug("Überblick Café"), "uberblick-cafe");
    assert.equal(slug("日本語"), "");
    assert.equal(authorizationHeader("admin:p:w"), `Basic ${Buffer.from("admin:p:w").toString("base64")}`);
    assert.equal(authorizationHeader("glsa_token"), "Bearer glsa_token");
    assert.equal(authorizationHeader("anonymous"), undefined);
  });
});
