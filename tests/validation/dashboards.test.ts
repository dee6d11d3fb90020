import * as assert from "node:assert/strict";
import { DashboardBuilder, DatasourceVariableBuilder, QueryVariableBuilder, RowBuilder } from "@grafana/grafana-foundation-sdk/dashboard";
import { DataqueryBuilder } from "@grafana/grafana-foundation-sdk/prometheus";
import { PanelBuilder as TimeseriesBuilder } from "@grafana/grafana-foundation-sdk/timeseries";
import { PanelBuilder as StatBuilder } from "@grafana/grafana-foundation-sdk/stat";
import { DashboardModel, DashboardSpec } from "../../dashboards/types";
import { validateDashboards } from "../../validation/dashboards";
import { Expected, assertProblems, importedDashboard, panel, setRaw, target, validDashboard } from "./helpers";

const W = 'dashboards/overview.ts: dashboard "churn-api-overview" (Churn API overview)';
const P2 = `${W}, panel 2 "Requests per second"`;
const P3 = `${W}, panel 3 "Latency p\${quantile}"`;

interface Case {
  readonly name: string;
  /** Breaks a fresh copy of the valid dashboard (or returns the dashboards to check). */
  readonly input: (d: DashboardSpec) => void | DashboardSpec[];
  readonly expect: readonly Expected[];
}

const CASES: readonly Case[] = [
  {
    name: "PromQL syntax error",
    input: (d) => void (target(d, 2).expr = "sum(rate(http_requests_total[5m])"),
    expect: [{ where: `${P2}, target A`, words: ["PromQL syntax error", 'unclosed "("', "column 4", "sum(rate(http_requests_total[5m])"], fix: ['")"'] }],
  },
  {
    name: "unknown function",
    input: (d) => void (target(d, 2).expr = 'rat(http_requests_total{namespace="$namespace"}[5m])'),
    expect: [{ where: `${P2}, target A`, words: ['unknown function "rat"', 'namespace="churn"'], fix: ["did you mean rate()"] }],
  },
  {
    name: "wrong arity",
    input: (d) => void (target(d, 3).expr = "histogram_quantile(sum by (le) (rate(x_bucket[5m])))"),
    expect: [{ where: `${P3}, target A`, words: ["PromQL type error", "expected 2 argument(s)", "histogram_quantile"] }],
  },
  {
    name: "rate over an instant vector",
    input: (d) => void (target(d, 2).expr = 'sum(rate(http_requests_total{namespace="$namespace"}))'),
    expect: [{ where: `${P2}, target A`, words: ["expected type matrix", '"rate"', "got vector"], fix: ["[$__rate_interval]"] }],
  },
  {
    name: "type mismatch: histogram_quantile with a string",
    input: (d) => void (target(d, 3).expr = 'histogram_quantile("$quantile", rate(x_bucket[5m]))'),
    expect: [{ where: `${P3}, target A`, words: ["expected type scalar", "got string", '"0.95"'] }],
  },
  {
    name: "undefined variable in a target",
    input: (d) => void (target(d, 2).expr = 'up{namespace="$nmespace"}'),
    expect: [{ where: `${P2}, target A`, words: ['$nmespace is not defined in dashboard "churn-api-overview"'], fix: ["did you mean $namespace?"] }],
  },
  {
    name: "undefined variable in a panel title",
    input: (d) => void (panel(d, 2).title = "Requests in $cluster"),
    expect: [{ where: `${W}, panel 2 "Requests in $cluster"`, words: ['title: $cluster is not defined in dashboard "churn-api-overview"'] }],
  },
  {
    name: "undefined variable in another variable's query",
    input: (d) => void ((d.model.templating?.list ?? [])[2].query = { query: "label_values(up{cluster=\"$cluster\"}, route)" }),
    expect: [{ where: `${W}, variable "route"`, words: ["query: $cluster is not defined"] }],
  },
  {
    name: "unknown datasource uid",
    input: (d) => void (panel(d, 2).datasource = { type: "prometheus", uid: "prometheus-old" }),
    expect: [{ where: P2, words: ['unknown datasource "prometheus-old"'], fix: ['did you mean "prometheus"?'] }],
  },
  {
    name: "leftover ${DS_X} placeholder",
    input: (d) => void (panel(d, 5).datasource = { type: "prometheus", uid: "${DS_PROMETHEUS}" }),
    expect: [{ where: `${W}, row "Details", panel 5 "Error ratio"`, words: ["leftover export placeholder", "${DS_PROMETHEUS}"] }],
  },
  {
    name: "datasource variable that is not defined",
    input: (d) => void (target(d, 2).datasource = { type: "prometheus", uid: "${ds}" }),
    expect: [{ where: `${P2}, target A`, words: ["$ds is not defined"] }],
  },
  {
    name: "panel outside the grid (x + w > 24)",
    input: (d) => void (panel(d, 3).gridPos = { x: 14, y: 1, w: 12, h: 8 }),
    expect: [{ where: P3, words: ["outside the grid", "x + w = 26", "24-column"], fix: ["x: 12"] }],
  },
  {
    name: "overlapping panels",
    input: (d) => void (panel(d, 3).gridPos = { x: 6, y: 1, w: 12, h: 8 }),
    expect: [{ where: P3, words: ['overlaps panel 2 "Requests per second"', "{x:6, y:1, w:12, h:8}"] }],
  },
  {
    name: "overlapping panels inside a collapsed row",
    input: (d) => void (panel(d, 6).gridPos = { x: 4, y: 12, w: 8, h: 4 }),
    expect: [{ where: `${W}, row "Details", panel 6 "Targets up"`, words: ['overlaps row "Details", panel 5 "Error ratio"'] }],
  },
  {
    name: "panel overlapping a row",
    input: (d) => void (panel(d, 2).gridPos = { x: 0, y: 0, w: 12, h: 8 }),
    expect: [{ where: P2, words: ['overlaps row "Traffic in $namespace"'] }],
  },
  {
    name: "duplicate uid (both sources named)",
    input: (d) => {
      const copy = validDashboard("dashboards/platform/copy.json");
      copy.model.title = "Copy";
      return [d, { ...copy, title: "Copy" }];
    },
    expect: [
      {
        where: 'dashboards/platform/copy.json: dashboard "churn-api-overview" (Copy)',
        words: ['duplicate uid "churn-api-overview"', W],
        fix: ["dashboards/overview.ts", "dashboards/platform/copy.json"],
      },
    ],
  },
  {
    name: "missing uid in an imported export (named by its file)",
    input: () => {
      const imported = importedDashboard();
      delete imported.model.uid;
      return [{ ...imported, uid: "" }];
    },
    expect: [
      {
        where: "dashboards/platform/node-exporter.json: dashboard without uid (Node exporter (imported))",
        words: ["has no uid", "new one on every deploy"],
        fix: ["stable uid", "at most 40"],
      },
    ],
  },
  {
    name: "uid longer than 40 characters",
    input: (d) => {
      const uid = "churn-api-overview-with-a-much-too-long-uid";
      d.model.uid = uid;
      return [{ ...d, uid }];
    },
    expect: [{ where: 'dashboards/overview.ts: dashboard "churn-api-overview-with-a-much-too-long-uid" (Churn API overview)', words: ["43 characters", "at most 40"] }],
  },
  {
    name: "built dashboard: panel without an explicit id",
    input: (d) => void delete panel(d, 6).id,
    expect: [{ where: `${W}, row "Details", panel #2 "Targets up"`, words: ["no explicit panel id"], fix: [".id()", "*_PANELS"] }],
  },
  {
    name: "built dashboard: panel id used twice",
    input: (d) => void (panel(d, 3).id = 2),
    expect: [{ where: `${W}, panel 2 "Latency p\${quantile}"`, words: ['reuses panel id 2 of panel 2 "Requests per second"'], fix: ["unused id"] }],
  },
  {
    name: "schema: gridPos.h as a string",
    input: (d) => void setRaw(panel(d, 2).gridPos ?? {}, "h", "8"),
    expect: [{ where: P2, words: ["schema:", "gridPos.h must be an integer", '"8"'] }],
  },
  {
    name: "schema: unknown top-level key in a built dashboard",
    input: (d) => void (d.model.refreshh = "1m"),
    expect: [{ where: W, words: ['unknown key "refreshh"'], fix: ['did you mean "refresh"?'] }],
  },
  {
    name: "schema: unknown target key in a built dashboard",
    input: (d) => void (target(d, 2).legend = "{{route}}"),
    expect: [{ where: `${P2}, target A`, words: ['unknown key "legend"'] }],
  },
  {
    name: "three problems in one dashboard, all reported",
    input: (d) => {
      target(d, 2).expr = "rate(up)";
      panel(d, 3).gridPos = { x: 20, y: 1, w: 12, h: 8 };
      d.model.uid = "bad uid!";
      return [{ ...d, uid: "bad uid!" }];
    },
    expect: [
      { where: 'dashboards/overview.ts: dashboard "bad uid!" (Churn API overview), panel 2 "Requests per second", target A', words: ["expected type matrix"] },
      { where: 'dashboards/overview.ts: dashboard "bad uid!" (Churn API overview), panel 3 "Latency p${quantile}"', words: ["x + w = 32"] },
      { where: 'dashboards/overview.ts: dashboard "bad uid!" (Churn API overview)', words: ['uid "bad uid!" may hold only letters'] },
    ],
  },
];

describe("validateDashboards", () => {
  for (const c of CASES) {
    it(`reports: ${c.name}`, () => {
      const d = validDashboard();
      const dashboards = c.input(d) ?? [d];
      assertProblems(validateDashboards(dashboards), c.expect);
    });
  }

  it("accepts the valid fixture (variables, rows, collapsed row, macros)", () => {
    assertProblems(validateDashboards([validDashboard()]), []);
  });

  it("is lenient with imported exports: extra keys, nulls and Grafana's own panel ids pass", () => {
    const imported = importedDashboard();
    imported.model.refreshh = "1m";
    delete (imported.model.panels ?? [])[0].id;
    assertProblems(validateDashboards([imported]), []);
  });

  it("applies the strict schema to an export when asked to", () => {
    const problems = validateDashboards([importedDashboard()], { strictSchema: true });
    assert.ok(problems.some((p) => p.message.includes('unknown key "style"')), JSON.stringify(problems));
  });

  it("accepts a dashboard built with grafana-foundation-sdk (strict schema, explicit panel ids)", () => {
    const model = new DashboardBuilder("SDK built")
      .uid("sdk-built")
      .tags(["test"])
      .time({ from: "now-6h", to: "now" })
      .withVariable(new DatasourceVariableBuilder("datasource").type("prometheus"))
      .withVariable(
        new QueryVariableBuilder("namespace")
          .query("label_values(up, namespace)")
          .datasource({ type: "prometheus", uid: "${datasource}" })
          .includeAll(true)
          .allValue(".*"),
      )
      .withRow(new RowBuilder("Traffic").id(1))
      .withPanel(
        new TimeseriesBuilder()
          .id(2)
          .title("Requests")
          .datasource({ type: "prometheus", uid: "${datasource}" })
          .withTarget(new DataqueryBuilder().expr('sum(rate(http_requests_total{namespace=~"$namespace"}[$__rate_interval]))'))
          .height(8)
          .span(12),
      )
      .withPanel(new StatBuilder().id(3).title("Up").withTarget(new DataqueryBuilder().expr("sum(up)").instant()).height(8).span(12))
      .build();
    const spec: DashboardSpec = { uid: "sdk-built", title: "SDK built", folderUid: "f", source: "dashboards/sdk.ts", model: model as unknown as DashboardModel };
    assertProblems(validateDashboards([spec]), []);
  });

  it("stays fast and linear: 1,000 dashboards", function () {
    this.timeout(60_000);
    const many = Array.from({ length: 1000 }, (_, i) => {
      const d = validDashboard(`dashboards/gen/d${i}.ts`);
      d.model.uid = `gen-${i}`;
      d.model.title = `Generated ${i}`;
      target(d, 2).expr = `sum(rate(http_requests_total{namespace="$namespace", shard="${i}"}[$__rate_interval]))`;
      return { ...d, uid: `gen-${i}`, title: `Generated ${i}` };
    });
    const started = Date.now();
    assertProblems(validateDashboards(many), []);
    assert.ok(Date.now() - started < 20_000, `took ${Date.now() - started} ms`);
  });
});
