import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { PROMETHEUS_DATASOURCE } from "../../catalog/datasource";
import { ALL_METRICS, CHURN_API, KUBERNETES, histogramSeries, MetricSpec } from "../../catalog/metrics";
import {
  allPanels,
  builtDashboards,
  collectDashboards,
  DASHBOARD_UID,
  FOLDER_UID,
  FOLDERS,
  INFRASTRUCTURE_PANELS,
  MODEL_PANELS,
  PERFORMANCE_PANELS,
  readImportedDashboards,
} from "../../dashboards";
import { titleCase } from "../../dashboards/imported";
import { selector } from "../../dashboards/queries";
import { DashboardModel, PanelModel, TargetModel } from "../../dashboards/types";
import { interpolate, referencedVariables, VariableValue } from "../../lib/grafana-interpolate";
import { fromRoot } from "../../lib/paths";
import { validateDashboards } from "../../validation";
import { EXAMPLE_DROP_IN_UID } from "../support/design";
import { requireSharedData, SHARED_DIR } from "../support/shared-data";

// lezer-promql is an ES module package; its CommonJS build is what require() loads.
const lezer: { parser: { parse(s: string): { iterate(v: { enter(n: { type: { isError: boolean } }): void }): void } } } =
  require("@prometheus-io/lezer-promql");

const ctx = { environment: "dev", churnApiNamespace: "churn-api" };
const fixtures = (name: string): string => fromRoot("tests", "fixtures", "dashboards", name);

const built = builtDashboards(ctx);
const byUid = (uid: string): DashboardModel => {
  const spec = built.find((d) => d.uid === uid);
  assert.ok(spec, `dashboard ${uid} is built`);
  return spec.model;
};
const performance = byUid(DASHBOARD_UID.performance);
const model = byUid(DASHBOARD_UID.model);
const infrastructure = byUid(DASHBOARD_UID.infrastructure);

const panel = (dashboard: DashboardModel, id: number): PanelModel => {
  const found = allPanels(dashboard).find((p) => p.id === id);
  assert.ok(found, `panel ${id} exists in ${dashboard.uid}`);
  return found;
};
const exprs = (p: PanelModel): string[] => (p.targets ?? []).map((t) => String(t.expr));
const targets = (d: DashboardModel): TargetModel[] => allPanels(d).flatMap((p) => p.targets ?? []);
const fieldDefaults = (p: PanelModel): Record<string, unknown> =>
  (p.fieldConfig as { defaults: Record<string, unknown> }).defaults;
const thresholdSteps = (p: PanelModel): [number | null, string][] =>
  (fieldDefaults(p).thresholds as { steps: { value: number | null; color: string }[] }).steps.map((s) => [s.value, s.color]);
const variable = (d: DashboardModel, name: string): Record<string, unknown> => {
  const v = (d.templating?.list ?? []).find((x) => x.name === name);
  assert.ok(v, `variable ${name} in ${d.uid}`);
  return v;
};
const variableNames = (d: DashboardModel): string[] => (d.templating?.list ?? []).map((v) => String(v.name));

/** Every series name a catalog metric exposes. */
const catalogSeries = new Set(
  ALL_METRICS.flatMap((m: MetricSpec) =>
    m.kind === "histogram" ? Object.values(histogramSeries(m as MetricSpec & { kind: "histogram" })) : [m.name],
  ),
);
/** Metric names in an expression: identifiers directly followed by a label selector. */
const metricNames = (expr: string): string[] => [...expr.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)\{/g)].map((m) => m[1]);

/** The values Grafana would use on first load: each variable's `current`. */
function currentValues(d: DashboardModel): Record<string, VariableValue> {
  const out: Record<string, VariableValue> = {};
  for (const v of d.templating?.list ?? []) {
    const current = v.current as { value: string | string[] } | undefined;
    out[String(v.name)] = {
      value: current?.value ?? "",
      multi: v.multi === true,
      includeAll: v.includeAll === true,
      allValue: typeof v.allValue === "string" ? v.allValue : undefined,
    };
  }
  return out;
}

function promqlErrors(expr: string): number {
  let errors = 0;
  lezer.parser.parse(expr).iterate({
    enter(n) {
      if (n.type.isError) errors++;
    },
  });
  return errors;
}

/** Interpolates as Grafana does on first load and parses the result. */
function assertValidPromQL(d: DashboardModel, expr: string): void {
  const { expr: sent, unknownVariables } = interpolate(expr, {
    variables: currentValues(d),
    intervalMs: 15_000,
    rangeMs: 6 * 3_600_000,
    scrapeIntervalSeconds: 15,
  });
  assert.deepEqual(unknownVariables, [], `${d.uid}: ${expr} uses undefined variables`);
  assert.equal(promqlErrors(sent), 0, `${d.uid}: not valid PromQL after interpolation: ${sent}`);
}

/** `label_values(<selector>, label)`: the selector is PromQL, the wrapper is Grafana's. */
function labelValuesSelector(query: unknown): string {
  const text = typeof query === "string" ? query : String((query as { query: string }).query);
  const m = /^label_values\((.*),\s*(\w+)\)$/.exec(text);
  assert.ok(m, `label_values query: ${text}`);
  return m[1];
}

/** The drop-in dashboards of a fixture directory; the fixture is expected to convert cleanly. */
/** A folder the fixtures use, declared for them as a team would declare it in dashboards/folders.ts. */
const PLATFORM_TEAM = { uid: "platform-team", title: "Platform Team" };

function importedOk(root?: string): ReturnType<typeof readImportedDashboards> {
  const result = readImportedDashboards(root, [...FOLDERS, PLATFORM_TEAM]);
  assert.deepEqual(result.problems, [], "no import problems");
  return result;
}

describe("dashboards: registry", () => {
  it("builds the three dashboards with stable uids, titles, sources and folders", () => {
    const byUid = new Map(built.map((d) => [d.uid, [d.title, d.source, d.folderUid]]));
    assert.deepEqual(byUid.get("churn-api-performance"), ["Churn API – Performance", "dashboards/performance.ts", FOLDER_UID.service]);
    assert.deepEqual(byUid.get("churn-api-model"), ["ML Model Monitoring", "dashboards/model-monitoring.ts", FOLDER_UID.ml]);
    assert.deepEqual(byUid.get("churn-api-infrastructure"), ["Churn API – Infrastructure", "dashboards/infrastructure.ts", FOLDER_UID.infrastructure]);
  });

  it("applies the shared defaults to every built dashboard", () => {
    for (const { model: d } of built) {
      assert.ok((d.tags as string[]).includes("churn-api"), `${d.uid} tags`);
      assert.ok((d.tags as string[]).includes("managed-by-pulumi"), `${d.uid} tags`);
      assert.equal(d.timezone, "utc");
      assert.equal(d.refresh, "30s");
      assert.equal(d.editable, false);
      assert.equal(d.graphTooltip, 1, "shared crosshair");
      assert.ok(!("id" in d) && !("version" in d), `${d.uid} has no id/version`);
      assert.ok(["now-6h", "now-1h"].includes((d.time as { from: string }).from));
    }
  });

  it("links the dashboards to each other by tag, keeping time and variables", () => {
    for (const { model: d } of built) {
      const links = d.links as Record<string, unknown>[];
      assert.deepEqual(
        links.map((l) => [l.type, l.tags, l.asDropdown, l.includeVars, l.keepTime]),
        [["dashboards", ["churn-api"], true, true, true]],
      );
    }
  });

  it("gives every panel the explicit id of its exported constant, unique per dashboard", () => {
    const expected: [DashboardModel, Record<string, number>][] = [
      [performance, PERFORMANCE_PANELS],
      [model, MODEL_PANELS],
      [infrastructure, INFRASTRUCTURE_PANELS],
    ];
    for (const [d, constants] of expected) {
      const ids = allPanels(d).map((p) => p.id);
      assert.deepEqual([...ids].sort(), Object.values(constants).sort(), `${d.uid}: panels match the constants`);
      assert.equal(new Set(ids).size, ids.length, `${d.uid}: ids unique`);
    }
    // The ids alert rules link to.
    assert.equal(panel(performance, PERFORMANCE_PANELS.p95Latency).title, "Request latency (P95, P99)");
    assert.equal(panel(performance, PERFORMANCE_PANELS.errorRate).title, "5xx error rate");
    assert.equal(panel(performance, PERFORMANCE_PANELS.activeRequests).title, "Active requests");
    assert.equal(panel(model, MODEL_PANELS.driftScore).title, "Data drift score by feature");
    assert.equal(panel(model, MODEL_PANELS.lowConfidence).title, "Low-confidence predictions");
  });

  // The checks themselves (grid, overlaps, uids, explicit panel ids) are tested in tests/validation/.
  it("collects dashboards that pass validation: grid, overlaps, uids, explicit panel ids, queries", () => {
    const { dashboards, problems } = collectDashboards(ctx);
    assert.deepEqual(problems, []);
    assert.deepEqual(validateDashboards(dashboards), []);
  });

  it("returns declared folders (parents first) plus imported ones, built dashboards first", () => {
    const { folders, dashboards } = collectDashboards(ctx);
    assert.deepEqual(folders.slice(0, FOLDERS.length), [...FOLDERS]);
    const parents = new Map(FOLDERS.map((f) => [f.uid, f.parentUid]));
    for (const [uid, parent] of [
      ["churn-api", undefined],
      ["churn-api-service", "churn-api"],
      ["churn-api-ml", "churn-api"],
      ["churn-api-infra", "churn-api"],
    ]) {
      assert.ok(parents.has(uid as string), `folder ${uid} is declared`);
      assert.equal(parents.get(uid as string), parent, `parent of ${uid}`);
    }
    for (const [i, f] of FOLDERS.entries()) {
      if (f.parentUid) assert.ok(FOLDERS.slice(0, i).some((p) => p.uid === f.parentUid), `${f.uid} comes after its parent`);
    }
    assert.equal(new Set(folders.map((f) => f.uid)).size, folders.length, "folders deduplicated");
    assert.deepEqual(dashboards.slice(0, built.length).map((d) => d.source), built.map((d) => d.source));
    assert.ok(dashboards.some((d) => d.uid === EXAMPLE_DROP_IN_UID), "the example export is deployed");
    const known = new Set(folders.map((f) => f.uid));
    for (const d of dashboards) assert.ok(known.has(d.folderUid), `${d.source} folder ${d.folderUid} is declared`);
  });

  it("is deterministic", () => {
    assert.deepEqual(JSON.stringify(collectDashboards(ctx)), JSON.stringify(collectDashboards(ctx)));
  });
});

describe("dashboards: queries", () => {
  it("reference only catalog metrics, through the datasource variable", () => {
    for (const { model: d } of built) {
      for (const t of targets(d)) {
        const names = metricNames(String(t.expr));
        assert.ok(names.length > 0, `${d.uid}: ${t.expr} names a metric`);
        for (const name of names) assert.ok(catalogSeries.has(name), `${d.uid}: ${name} is not in catalog/metrics.ts`);
        assert.deepEqual(t.datasource, { type: "prometheus", uid: "${datasource}" });
        assert.ok(t.refId, "refId set");
      }
      for (const p of allPanels(d).filter((x) => x.type !== "row")) {
        assert.deepEqual(p.datasource, { type: "prometheus", uid: "${datasource}" }, `${d.uid}/${p.title}`);
      }
    }
  });

  it("filter churn API series on job, namespace and environment, and Kubernetes series on namespace and pod", () => {
    const churnApiSeries = new Set([...catalogSeries].filter((s) => s.startsWith("churn_api_")));
    for (const { model: d } of built) {
      for (const t of targets(d)) {
        const expr = String(t.expr);
        const churn = metricNames(expr).some((n) => churnApiSeries.has(n));
        if (churn) {
          assert.ok(expr.includes('job="churn-api", namespace=~"$namespace", environment=~"$environment"'), expr);
        } else {
          assert.ok(expr.includes('namespace=~"$namespace", pod=~"$pod"'), expr);
        }
      }
    }
  });

  it("are valid PromQL once Grafana has interpolated them with the default variable values", () => {
    for (const { model: d } of built) {
      for (const t of targets(d)) assertValidPromQL(d, String(t.expr));
      for (const v of d.templating?.list ?? []) {
        if (v.type === "query") assertValidPromQL(d, labelValuesSelector(v.query));
      }
    }
  });

  it("builds selectors in one place", () => {
    assert.equal(selector("service"), '{job="churn-api", namespace=~"$namespace", environment=~"$environment"}');
    assert.equal(
      selector("container"),
      '{namespace=~"$namespace", pod=~"$pod", container="churn-api"}',
    );
    assert.equal(selector("pod", { label: "interface", op: "!=", value: "lo" }), '{namespace=~"$namespace", pod=~"$pod", interface!="lo"}');
  });
});

describe("dashboards: Churn API – Performance", () => {
  it("has the expected panels", () => {
    const P = PERFORMANCE_PANELS;
    assert.deepEqual(
      [P.requestsByPath, P.p95Latency, P.errorRate, P.activeRequests, P.predictionsPerMinute, P.endpointStatistics, P.latencyHeatmap].map(
        (id) => panel(performance, id).type,
      ),
      ["timeseries", "timeseries", "timeseries", "gauge", "stat", "table", "heatmap"],
    );
    assert.equal(fieldDefaults(panel(performance, P.requestsByPath)).unit, "reqps");
    assert.match(exprs(panel(performance, P.requestsByPath))[0], /^sum by \(path\) \(rate\(churn_api_http_requests_total\{.*path=~"\$endpoint"\}\[\$__rate_interval\]\)\)$/);
  });

  it("computes P95 and P99 with histogram_quantile over sum by (le) of the bucket rate", () => {
    const bucket = histogramSeries(CHURN_API.httpRequestDuration).bucket;
    const [p95, p99] = exprs(panel(performance, PERFORMANCE_PANELS.p95Latency));
    for (const [expr, q] of [[p95, "0.95"], [p99, "0.99"]]) {
      assert.ok(expr.startsWith(`histogram_quantile(${q}, sum by (le) (rate(${bucket}{`), expr);
      assert.ok(expr.endsWith("[$__rate_interval])))"), expr);
    }
    assert.equal(fieldDefaults(panel(performance, PERFORMANCE_PANELS.p95Latency)).unit, "s");
  });

  it("shows the 5xx error rate in percent with 1 % and 5 % thresholds", () => {
    const p = panel(performance, PERFORMANCE_PANELS.errorRate);
    const [expr] = exprs(p);
    assert.match(expr, /^100 \* \(sum\(rate\(churn_api_http_requests_total\{[^}]*status=~"5\.\."\}/);
    assert.match(expr, / \/ sum\(rate\(churn_api_http_requests_total\{[^}]*\}\[\$__rate_interval\]\)\)$/);
    assert.equal(fieldDefaults(p).unit, "percent");
    assert.deepEqual(thresholdSteps(p), [[null, "green"], [1, "yellow"], [5, "red"]]);
  });

  it("shows active requests on a gauge with 50 / 100 thresholds", () => {
    const p = panel(performance, PERFORMANCE_PANELS.activeRequests);
    assert.deepEqual(thresholdSteps(p), [[null, "green"], [50, "yellow"], [100, "red"]]);
    assert.ok(exprs(p)[0].includes(CHURN_API.httpRequestsInFlight.name));
    assert.ok(exprs(panel(performance, PERFORMANCE_PANELS.predictionsPerMinute))[0].startsWith("60 * sum(rate(churn_api_predictions_total{"));
  });

  it("merges two instant table queries into the endpoint statistics table", () => {
    const p = panel(performance, PERFORMANCE_PANELS.endpointStatistics);
    assert.deepEqual(
      (p.targets ?? []).map((t) => [t.refId, t.instant, t.range, t.format]),
      [["A", true, false, "table"], ["B", true, false, "table"]],
    );
    assert.ok(String(p.targets?.[0].expr).startsWith("sum by (path) (rate(churn_api_http_requests_total"));
    assert.ok(String(p.targets?.[1].expr).startsWith("histogram_quantile(0.95, sum by (path, le)"));
    assert.deepEqual((p.transformations as { id: string }[]).map((t) => t.id), ["merge", "organize"]);
  });

  it("draws the latency heatmap from the histogram buckets", () => {
    const [t] = panel(performance, PERFORMANCE_PANELS.latencyHeatmap).targets ?? [];
    assert.equal(t.format, "heatmap");
    assert.equal(t.legendFormat, "{{le}}");
    assert.ok(String(t.expr).startsWith(`sum by (le) (rate(${histogramSeries(CHURN_API.httpRequestDuration).bucket}{`));
    assert.equal((panel(performance, PERFORMANCE_PANELS.latencyHeatmap).options as { calculate: boolean }).calculate, false);
  });

  it("defines datasource, environment, namespace and a chained multi-value endpoint variable", () => {
    assert.deepEqual(variableNames(performance), ["datasource", "environment", "namespace", "endpoint"]);
    const ds = variable(performance, "datasource");
    assert.equal(ds.type, "datasource");
    assert.equal(ds.query, "prometheus");
    assert.deepEqual(ds.current, { text: PROMETHEUS_DATASOURCE.name, value: PROMETHEUS_DATASOURCE.uid });
    assert.equal(variable(performance, "environment").query, 'label_values(churn_api_http_requests_in_flight{job="churn-api"}, environment)');
    const ns = variable(performance, "namespace");
    assert.ok(String(ns.query).includes('environment=~"$environment"}, namespace)'));
    assert.ok(ns.regex, "namespace has a regex filter");
    assert.deepEqual(ns.current, { text: "churn-api", value: "churn-api" });
    const ep = variable(performance, "endpoint");
    assert.ok(String(ep.query).startsWith("label_values(churn_api_http_requests_total{"));
    assert.ok(String(ep.query).includes('namespace=~"$namespace"') && String(ep.query).endsWith(", path)"));
    assert.deepEqual([ep.multi, ep.includeAll, ep.allValue], [true, true, ".*"]);
    for (const v of [variable(performance, "environment"), ns, ep]) {
      assert.deepEqual(v.datasource, { type: "prometheus", uid: "${datasource}" });
    }
  });

  it("uses the namespace default of its stack", () => {
    const other = builtDashboards({ environment: "prod", churnApiNamespace: "ml-prod" });
    const ns = variable(other[0].model, "namespace");
    assert.deepEqual(ns.current, { text: "ml-prod", value: "ml-prod" });
    assert.deepEqual(variable(other[0].model, "environment").current, { text: "prod", value: "prod" });
  });
});

describe("dashboards: ML Model Monitoring", () => {
  const P = MODEL_PANELS;

  it("has the expected panels", () => {
    assert.deepEqual(
      [P.predictionsPerSecond, P.predictionLatencyP95, P.averageConfidence, P.lowConfidence, P.driftScore, P.missingFeatures, P.predictionsByVersion, P.predictionsByVersionBars].map(
        (id) => panel(model, id).type,
      ),
      ["timeseries", "timeseries", "gauge", "stat", "timeseries", "table", "timeseries", "barchart"],
    );
    assert.ok(exprs(panel(model, P.predictionLatencyP95))[0].startsWith("histogram_quantile(0.95, sum by (model_version, le)"));
  });

  it("shows average confidence from _sum / _count on a 0–1 gauge", () => {
    const p = panel(model, P.averageConfidence);
    const { sum, count } = histogramSeries(CHURN_API.predictionConfidence);
    assert.match(exprs(p)[0], new RegExp(`^sum\\(rate\\(${sum}\\{.*\\}\\[\\$window\\]\\)\\) / sum\\(rate\\(${count}\\{`));
    assert.deepEqual([fieldDefaults(p).min, fieldDefaults(p).max], [0, 1]);
  });

  it("shows low-confidence predictions as a percentage of all predictions", () => {
    const [expr] = exprs(panel(model, P.lowConfidence));
    assert.ok(expr.startsWith(`100 * (sum(rate(${CHURN_API.lowConfidencePredictions.name}{`), expr);
    assert.ok(expr.includes(` / sum(rate(${CHURN_API.predictions.name}{`), expr);
    assert.equal(fieldDefaults(panel(model, P.lowConfidence)).unit, "percent");
  });

  it("plots drift by feature with a threshold at 0.3", () => {
    const p = panel(model, P.driftScore);
    assert.ok(exprs(p)[0].startsWith(`max by (feature) (${CHURN_API.dataDriftScore.name}{`));
    assert.deepEqual(thresholdSteps(p), [[null, "green"], [0.3, "red"]]);
  });

  it("tables missing features over the dashboard range", () => {
    const [t] = panel(model, P.missingFeatures).targets ?? [];
    assert.ok(String(t.expr).startsWith(`sum by (feature) (increase(${CHURN_API.missingFeatures.name}{`));
    assert.ok(String(t.expr).endsWith("[$__range]))"));
    assert.deepEqual([t.instant, t.format], [true, "table"]);
  });

  it("stacks predictions by model version and charts them as bars", () => {
    const stacked = panel(model, P.predictionsByVersion);
    assert.equal((fieldDefaults(stacked).custom as { stacking: { mode: string } }).stacking.mode, "normal");
    assert.ok(exprs(stacked)[0].startsWith("sum by (model_version) (rate(churn_api_predictions_total{"));
    const bars = panel(model, P.predictionsByVersionBars);
    assert.equal((bars.options as { xField: string }).xField, "model_version");
  });

  it("defines model_version (multi, All) and the quality window variables", () => {
    assert.deepEqual(variableNames(model), ["datasource", "environment", "namespace", "model_version", "window"]);
    const mv = variable(model, "model_version");
    assert.ok(String(mv.query).startsWith("label_values(churn_api_predictions_total{") && String(mv.query).endsWith(", model_version)"));
    assert.deepEqual([mv.multi, mv.includeAll, mv.allValue], [true, true, ".*"]);
    const w = variable(model, "window");
    assert.equal(w.type, "interval");
    assert.deepEqual(w.current, { text: "15m", value: "15m" });
  });
});

describe("dashboards: Infrastructure", () => {
  const P = INFRASTRUCTURE_PANELS;

  it("shows CPU cores, memory bytes, network Bps and restarts from the Kubernetes metrics", () => {
    const expectations: [number, string, string | undefined, string[]][] = [
      [P.cpu, "timeseries", "short", [KUBERNETES.containerCpu.name]],
      [P.memory, "timeseries", "bytes", [KUBERNETES.containerMemory.name]],
      [P.network, "timeseries", "Bps", [KUBERNETES.networkReceive.name, KUBERNETES.networkTransmit.name]],
      [P.restarts, "table", undefined, [KUBERNETES.containerRestarts.name, KUBERNETES.containerRestarts.name]],
    ];
    for (const [id, type, unit, metrics] of expectations) {
      const p = panel(infrastructure, id);
      assert.equal(p.type, type);
      if (unit) assert.equal(fieldDefaults(p).unit, unit, String(p.title));
      assert.deepEqual(exprs(p).map((e) => metricNames(e)[0]), metrics);
    }
  });

  it("selects the churn API container in the namespace variable's namespace", () => {
    for (const id of [P.cpu, P.memory, P.restarts]) {
      for (const expr of exprs(panel(infrastructure, id))) assert.ok(expr.includes(selector("container")), expr);
    }
    assert.deepEqual(variableNames(infrastructure), ["datasource", "environment", "namespace", "pod"]);
    assert.deepEqual(variable(infrastructure, "pod").allValue, ".*");
  });
});

describe("dashboards: imported JSON", () => {
  it("deploys the example export with its datasource mapped and export-only keys removed", () => {
    const { folders, dashboards } = importedOk();
    const slo = dashboards.find((d) => d.uid === "churn-api-slo");
    assert.ok(slo);
    assert.equal(slo.source, "dashboards/churn-api/churn-api-slo.json");
    assert.equal(slo.folderUid, FOLDER_UID.root);
    assert.equal(slo.title, "Churn API – SLO");
    assert.ok(!folders.some((f) => f.uid === slo.folderUid), "reuses the declared churn-api folder, creates none for it");
    for (const key of ["__inputs", "__requires", "__elements", "id", "version"]) assert.ok(!(key in slo.model), key);
    const text = JSON.stringify(slo.model);
    assert.ok(!text.includes("DS_PROMETHEUS"), "no ${DS_PROMETHEUS} left");
    for (const t of targets(slo.model)) assert.deepEqual(t.datasource, { type: "prometheus", uid: "prometheus" });
    for (const p of allPanels(slo.model)) assert.deepEqual(p.datasource, { type: "prometheus", uid: "prometheus" });
  });

  it("the example export queries only churn API metrics and its own variables", () => {
    const slo = importedOk().dashboards.find((d) => d.uid === "churn-api-slo")!.model;
    const own = new Set(variableNames(slo));
    for (const t of targets(slo)) {
      const expr = String(t.expr);
      for (const name of metricNames(expr)) {
        assert.ok(catalogSeries.has(name) && name.startsWith("churn_api_"), name);
      }
      for (const v of referencedVariables(expr)) assert.ok(own.has(v), `${v} is defined by the dashboard`);
      assertValidPromQL(slo, expr);
    }
  });

  it("maps string and object datasource inputs, substitutes constants and creates folders", () => {
    const { folders, dashboards } = importedOk(fixtures("valid"));
    assert.deepEqual(
      dashboards.map((d) => [d.source, d.uid, d.folderUid]),
      [
        ["tests/fixtures/dashboards/valid/churn-api/ops.json", "fixture-churn-ops", "churn-api"],
        ["tests/fixtures/dashboards/valid/platform-team/latency.json", "fixture-platform-latency", "platform-team"],
        ["tests/fixtures/dashboards/valid/top-level.json", "fixture-top-level", "imported"],
      ],
      "sorted by path",
    );
    assert.deepEqual(folders, [{ uid: "imported", title: "Imported" }], "declared folders are not repeated; Imported is created when used");
    const top = dashboards[2].model;
    assert.equal(top.title, "Top level (payments)");
    const [legacy] = top.panels ?? [];
    assert.deepEqual(legacy.datasource, { type: "prometheus", uid: "prometheus" });
    assert.deepEqual(legacy.targets?.[0].datasource, { type: "prometheus", uid: "prometheus" });
    assert.equal(legacy.targets?.[0].expr, 'up{team="payments"}');
    assert.equal(legacy.id, 1, "panel ids are kept");
    const nested = dashboards[1].model;
    assert.deepEqual(allPanels(nested)[1].datasource, { type: "prometheus", uid: "prometheus" }, "collapsed row panels mapped");
    assert.deepEqual(nested.templating?.list?.[0].datasource, { type: "prometheus", uid: "prometheus" });
    for (const { model: m } of dashboards) {
      for (const key of ["__inputs", "__requires", "__elements", "id", "version"]) assert.ok(!(key in m), key);
    }
  });

  it("rejects non-Prometheus and undeclared datasource inputs, collecting every problem", () => {
    const { dashboards, problems } = readImportedDashboards(fixtures("unknown-datasource"));
    assert.deepEqual(problems.map((p) => p.where), [
      'tests/fixtures/dashboards/unknown-datasource/logs.json: __inputs "DS_LOKI"',
      "tests/fixtures/dashboards/unknown-datasource/undeclared.json: ${DS_OTHER}",
    ]);
    assert.ok(problems[0].message.includes('"loki"'));
    assert.ok(problems.every((p) => p.fix), "each problem says how to fix it");
    assert.deepEqual(dashboards, [], "neither file is deployed");
  });

  it("rejects malformed JSON with the file and the parse position", () => {
    const { problems } = readImportedDashboards(fixtures("malformed"));
    assert.equal(problems.length, 1);
    assert.equal(problems[0].where, "tests/fixtures/dashboards/malformed/broken.json");
    assert.match(problems[0].message, /not valid JSON: .*position 51.*\(line 4, column 3\)/);
  });

  it("gives an export without a uid one derived from its path (the same every run), and leaves a long uid to validation", () => {
    const read = () => importedOk(fixtures("bad-uid")).dashboards.map((d) => [d.source, d.uid, d.title, d.model.uid]);
    const first = read();
    assert.deepEqual(first, [
      ["tests/fixtures/dashboards/bad-uid/long-uid.json", "this-uid-is-much-longer-than-forty-characters", "Long uid", "this-uid-is-much-longer-than-forty-characters"],
      ["tests/fixtures/dashboards/bad-uid/no-uid.json", "no-uid", "No uid", "no-uid"],
    ]);
    assert.deepEqual(read(), first, "same file, same uid");
  });

  it("rejects folder names that are not valid uids and dashboards nested too deep", () => {
    const { problems } = readImportedDashboards(fixtures("bad-folder"));
    const wheres = problems.map((p) => p.where).sort();
    assert.deepEqual(wheres, ["tests/fixtures/dashboards/bad-folder/team.ops", "tests/fixtures/dashboards/bad-folder/team/deeper"]);
  });

  it("titles new folders after their directory", () => {
    assert.equal(titleCase("platform-team"), "Platform Team");
    assert.equal(titleCase("data_science"), "Data Science");
  });
});

describe("dashboards: JSON schema", () => {
  const schemaFile = path.join(SHARED_DIR, "reference", "grafana-foundation-jsonschema", "dashboard.jsonschema.json");

  it("built dashboards satisfy Grafana's dashboard JSON schema", function () {
    requireSharedData(this, schemaFile);
    const Ajv = require("ajv").default as new (o: object) => { compile(s: object): ((d: unknown) => boolean) & { errors?: unknown[] } };
    const schema = JSON.parse(fs.readFileSync(schemaFile, "utf8"));
    // Upstream types these two as objects, but Grafana (and the SDK's own overrideByName)
    // stores any JSON value there: `matcher: {id: "byName", options: "Requests/s"}`, `value: "reqps"`.
    schema.definitions.MatcherConfig.properties.options = {};
    schema.definitions.DynamicConfigValue.properties.value = {};
    const validate = new Ajv({ strict: false, allErrors: true, validateFormats: false }).compile(schema);
    for (const { model: d } of built) {
      const ok = validate(d);
      const errors = ((validate.errors ?? []) as { instancePath: string; message: string; schemaPath: string }[])
        // panels are oneOf [Panel, RowPanel]: the branch that does not apply always complains.
        .filter((e) => !e.schemaPath.includes("RowPanel") || !e.instancePath.startsWith("/panels"))
        .map((e) => `${e.instancePath} ${e.message}`);
      assert.ok(ok, `${d.uid}:\n${errors.join("\n")}`);
    }
  });
});

describe("dashboards: what Grafana 13 expects of each panel type", () => {
  const panels = built.flatMap((d) => allPanels(d.model).map((p) => ({ dashboard: d.uid, panel: p })));

  it("no table panel carries options.footer (moved to the field config in Grafana 12.2, grafana/grafana#102948)", () => {
    const tables = panels.filter(({ panel: p }) => p.type === "table");
    assert.ok(tables.length > 0, "the built dashboards have tables");
    for (const { dashboard, panel: p } of tables) {
      assert.ok(!("footer" in (p.options as Record<string, unknown>)), `${dashboard} panel ${p.id} (${p.title}) has options.footer`);
    }
  });

  it("every built panel's options and field config satisfy its type's published schema", function () {
    const dir = path.join(SHARED_DIR, "reference", "grafana-foundation-jsonschema");
    requireSharedData(this, dir);
    const Ajv = require("ajv").default as new (o: object) => { compile(s: object): ((d: unknown) => boolean) & { errors?: { instancePath: string; message?: string }[] } };
    const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
    const checked = new Set<string>();
    const schemas = new Map<string, { definitions: Record<string, unknown> }>();
    const validators = new Map<string, ReturnType<typeof ajv.compile>>();
    for (const { dashboard, panel: p } of panels.filter(({ panel: x }) => x.type !== "row")) {
      const file = path.join(dir, `${p.type}.jsonschema.json`);
      assert.ok(fs.existsSync(file), `${dashboard} panel ${p.id}: no published schema for panel type ${p.type}`);
      const schema = schemas.get(file) ?? (JSON.parse(fs.readFileSync(file, "utf8")) as { definitions: Record<string, unknown> });
      schemas.set(file, schema);
      const parts: [string, string, unknown][] = [
        ["options", "Options", p.options],
        ["fieldConfig.defaults.custom", "FieldConfig", (p.fieldConfig as { defaults?: { custom?: unknown } } | undefined)?.defaults?.custom],
      ];
      for (const [where, definition, value] of parts) {
        // Not every panel type has custom field options (stat, gauge): then there is nothing to check.
        if (value === undefined || !(definition in schema.definitions)) continue;
        const key = `${p.type}#${definition}`;
        const validate = validators.get(key) ?? ajv.compile({ ...schema, $ref: `#/definitions/${definition}` });
        validators.set(key, validate);
        assert.ok(validate(value), `${dashboard} panel ${p.id} (${p.type}) ${where}:\n${(validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`).join("\n")}`);
        checked.add(p.type ?? "");
      }
    }
    assert.ok(checked.has("table") && checked.has("timeseries"), `checked panel types: ${[...checked].join(", ")}`);
  });
});
