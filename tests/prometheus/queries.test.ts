/**
 * "Deploys but shows No data" cannot happen: every query the dev stack deploys (every
 * panel target of every dashboard, built and imported, rows' nested panels included;
 * every variable query; every alert rule query) runs against a real Prometheus scraping
 * the instrumented churn API (two pods, two model versions) and the synthetic Kubernetes
 * exporter, interpolated as Grafana would send it, and returns data. A few values then
 * prove the queries measure what their panels claim under the running fault injection.
 *
 * Grafana's view: a 5-minute time range, the datasource's 1 s scrape interval, the
 * panel's (or target's) own minimum interval when set; variables resolved on this
 * Prometheus in dependency order (preview/variables.ts). Instant targets get an instant
 * query, range targets a range query stepped by $__interval.
 *
 * Needs prometheus + promtool (skipped with install instructions otherwise; fails
 * instead when REQUIRE_PROMETHEUS=1). One Prometheus for the whole file.
 */
import * as assert from "node:assert/strict";
import { RuleData } from "../../alerts/types";
import { prometheusRule } from "../../alerts/prometheus-rules";
import { prometheusRulesOf, StackPlan } from "../../components/plan";
import { allPanels, DASHBOARD_UID, MODEL_PANELS, PERFORMANCE_PANELS } from "../../dashboards";
import { EXPRESSION_DATASOURCE_UID } from "../../catalog/datasource";
import { LABEL, TARGET_LABEL } from "../../catalog/metrics";
import { InterpolationContext } from "../../lib/grafana-interpolate";
import {
  dashboardTargets,
  effectiveIntervalMs,
  fallbackOperands,
  formatTable,
  PanelTarget,
  QueryOutcome,
  runQuery,
  shortenQuery,
} from "./support/panel-queries";
import { testStackPlan } from "./support/plan";
import { withLoadedPrometheus } from "./support/stack";
import { waitForSeries, waitUntil } from "../../lib/prometheus";
import { ResolvedVariables, resolveVariables, variableQueryText } from "../../preview/variables";

const STACK = "dev";
/** The dashboard time range the queries are sent for. */
const RANGE_MS = 5 * 60_000;
/**
 * Scrapes of history every target has before the first query: a range query ends on a
 * whole step (Grafana aligns it), up to 1 s before the newest sample, and its 4 s rate
 * window must still hold 2 samples.
 */
const MIN_HISTORY_SAMPLES = 3;

/**
 * Panel targets whose data cannot exist in this setup, by key (`<dashboard uid>/<panel
 * id>/<refId>`), with the reason. A listed target must still be accepted by Prometheus
 * and must return nothing (once it returns data, the entry has to go). The synthetic
 * Kubernetes exporter gives the infrastructure panels their cAdvisor and
 * kube-state-metrics series, so nothing is excused: keep it that way.
 */
const CANNOT_HAVE_DATA: ReadonlyMap<string, string> = new Map<string, string>([]);

function planOrError(): { plan?: StackPlan; error?: unknown } {
  try {
    return { plan: testStackPlan(STACK) };
  } catch (error) {
    return { error };
  }
}

const rangeValues = (outcome: QueryOutcome): number[] =>
  (outcome.range ?? []).flatMap((s) => s.values.map(([, v]) => Number(v))).filter((v) => Number.isFinite(v));

describe("prometheus: every dashboard, variable and alert query returns data", function () {
  this.timeout(30_000);
  const { plan, error } = planOrError();
  if (!plan) {
    it(`plans the ${STACK} stack`, () => {
      throw error;
    });
    return;
  }
  const { targets, skipped } = dashboardTargets(plan.dashboards);
  // The stack's recording rules (drop-ins): in a deployment Grafana evaluates them and writes
  // what they record into Prometheus, where dashboards read it. Here Prometheus evaluates them
  // itself, every scrape interval like everything else in this compressed setup.
  const recording = prometheusRulesOf(plan)
    .groups.map((g) => ({ name: g.name, rules: g.rules.filter((r) => r.record !== undefined) }))
    .filter((g) => g.rules.length > 0);
  const recordedRead = recording.flatMap((g) => g.rules.map((r) => r.record!)).filter((name) => targets.some((t) => t.expr.includes(name)));
  const stack = withLoadedPrometheus({ ruleGroups: recording });
  before(async function () {
    await waitForSeries(
      stack().prometheus,
      [`min(count_over_time(up[1m])) >= ${MIN_HISTORY_SAMPLES}`, ...recordedRead.map((name) => `count_over_time(${name}[1m]) >= ${MIN_HISTORY_SAMPLES}`)],
      { timeoutMs: 15_000 },
    );
  });

  const table: string[][] = [["dashboard", "panel", "refId", "query (shortened)", "series"]];
  after(function () {
    if (table.length === 1) return;
    const notes = [
      `${table.length - 1} queries (${targets.length} panel targets) on ${STACK}, range ${RANGE_MS / 60_000}m, scrape interval 1s`,
      `skipped targets: ${skipped.length === 0 ? "none (no hidden or non-Prometheus targets)" : skipped.map((s) => `${s.key}: ${s.reason}`).join("; ")}`,
      `cannot have data: ${CANNOT_HAVE_DATA.size === 0 ? "none" : [...CANNOT_HAVE_DATA].map(([k, r]) => `${k}: ${r}`).join("; ")}`,
    ];
    console.log(`\n${formatTable(table).replace(/^/gm, "    ")}\n${notes.map((n) => `    ${n}`).join("\n")}\n`);
  });

  const dashboardsByUid = new Map(plan.dashboards.map((d) => [d.uid, d]));
  const variables = new Map<string, Promise<ResolvedVariables>>();
  /** The variables of a dashboard as Grafana resolves them on load (memoised; needs the stack). */
  function variablesOf(uid: string): Promise<ResolvedVariables> {
    let resolved = variables.get(uid);
    if (!resolved) {
      // The timing of the dashboard's queries ($__range etc. in variable queries).
      resolved = resolveVariables(dashboardsByUid.get(uid)!.model, stack().prometheus, stack().interpolationContext({}, { rangeMs: RANGE_MS }));
      variables.set(uid, resolved);
    }
    return resolved;
  }

  async function contextFor(target: PanelTarget): Promise<InterpolationContext> {
    const vars = await variablesOf(target.dashboardUid);
    const base = stack().interpolationContext(vars.values, { rangeMs: RANGE_MS });
    return { ...base, intervalMs: effectiveIntervalMs(target.minIntervals, base) };
  }

  const outcomes = new Map<string, Promise<QueryOutcome>>();
  /** The target's queries, sent once (the value checks below reuse them). */
  function outcomeOf(target: PanelTarget): Promise<QueryOutcome> {
    let outcome = outcomes.get(target.key);
    if (!outcome) {
      outcome = contextFor(target).then((ctx) => runQuery(stack().prometheus, target.expr, ctx, target));
      outcomes.set(target.key, outcome);
    }
    return outcome;
  }

  function findTarget(dashboardUid: string, panelId: number, refId = "A"): PanelTarget {
    const found = targets.find((t) => t.dashboardUid === dashboardUid && t.panelId === panelId && t.refId === refId);
    assert.ok(found, `no target ${dashboardUid}/${panelId}/${refId}`);
    return found;
  }

  /** The value where a panel's thresholds turn `color`, as deployed. */
  function panelThreshold(dashboardUid: string, panelId: number, color: string): number {
    const panel = allPanels(dashboardsByUid.get(dashboardUid)!.model).find((p) => p.id === panelId);
    const defaults = (panel?.fieldConfig as { defaults?: { thresholds?: { steps?: { value: number | null; color: string }[] } } } | undefined)?.defaults;
    const step = defaults?.thresholds?.steps?.find((s) => s.color === color);
    assert.ok(step && typeof step.value === "number", `${dashboardUid}/${panelId} has no ${color} threshold`);
    return step.value;
  }

  describe("dashboard variables", function () {
    for (const d of plan.dashboards) {
      const declared = d.model.templating?.list;
      const list = Array.isArray(declared) ? declared : [];
      for (const v of list.filter((x) => x.type === "query")) {
        it(`${d.title}: $${v.name} lists values (${shortenQuery(variableQueryText(v), 60)})`, async () => {
          const resolved = (await variablesOf(d.uid)).list.find((r) => r.name === v.name);
          assert.ok(resolved, `$${v.name} was not resolved`);
          table.push([d.title, `$${v.name}`, "var", shortenQuery(resolved.sentQuery ?? ""), String(resolved.options.length)]);
          assert.ok(resolved.options.length >= 1, `$${v.name}: ${resolved.sentQuery} returned no values: every panel using it shows No data`);
        });
      }
    }

    it("selects what Grafana would on load: this Prometheus' environment and namespace, All for the rest", async () => {
      for (const d of plan.dashboards) {
        for (const r of (await variablesOf(d.uid)).list.filter((x) => x.type === "query")) {
          const where = `${d.title}: $${r.name}`;
          if (r.name === TARGET_LABEL.environment) assert.equal(r.selected, stack().labels.environment, where);
          else if (r.name === TARGET_LABEL.namespace) assert.ok([stack().labels.namespace, "All"].includes(r.selected), `${where} = ${r.selected}`);
          else assert.equal(r.selected, "All", where);
        }
      }
    });
  });

  for (const d of plan.dashboards) {
    describe(`dashboard "${d.title}" (${d.uid}, ${d.source})`, function () {
      for (const target of targets.filter((t) => t.dashboardUid === d.uid)) {
        const kind = [target.instant && "instant", target.range && "range"].filter(Boolean).join(" + ");
        it(`panel "${target.panelTitle}" ${target.refId} (${kind}) returns data`, async () => {
          assert.ok(target.expr.trim() !== "", `${target.key} has no expr`);
          const outcome = await outcomeOf(target);
          table.push([d.title, target.panelTitle, target.refId, shortenQuery(outcome.sent), String(outcome.series)]);
          const excuse = CANNOT_HAVE_DATA.get(target.key);
          if (excuse !== undefined) {
            assert.equal(outcome.series, 0, `${target.key} is listed in CANNOT_HAVE_DATA (${excuse}) but returned data: remove the entry`);
            return;
          }
          const vars = (await variablesOf(d.uid)).list.map((r) => `$${r.name}=${r.selected}`).join(", ");
          assert.ok(outcome.series >= 1, `No data: ${target.key} returned no series.\n  sent: ${outcome.sent}\n  variables: ${vars}`);
          // `X or vector(0)` always returns a series: X itself must have data too.
          for (const operand of fallbackOperands(outcome.sent)) {
            const alone = await runQuery(stack().prometheus, operand, await contextFor(target), target);
            assert.ok(alone.series >= 1, `${target.key}: the "or vector(...)" fallback hides that ${operand} returns no series (variables: ${vars})`);
          }
        });
      }
    });
  }

  describe(`alert rule queries (${plan.alerts.length} rules)`, function () {
    const rules = plan.ruleGroups.flatMap((g) => g.rules);
    for (const spec of plan.alerts) {
      it(`${spec.name}: Grafana's query returns data and the Prometheus rule is accepted`, async () => {
        const rule = rules.find((r) => r.name === spec.name);
        assert.ok(rule, `no Grafana rule named ${spec.name}`);
        const query: RuleData | undefined = rule.datas.find((x) => x.datasourceUid !== EXPRESSION_DATASOURCE_UID);
        assert.ok(query, `${spec.name} has no Prometheus query`);
        const model = JSON.parse(query.model) as { expr: string; intervalMs?: number; instant?: boolean; range?: boolean };
        const ctx = stack().interpolationContext({}, {
          rangeMs: query.relativeTimeRange.from * 1000,
          intervalMs: model.intervalMs ?? stack().prometheus.scrapeIntervalSeconds * 1000,
        });
        // A range query's points sit on its step grid (Grafana aligns them); the stack holds
        // only seconds of data, so evaluate at the next grid point, as Grafana's next evaluation would.
        const step = ctx.intervalMs / 1000;
        const at = model.range === true ? Math.ceil(Date.now() / 1000 / step) * step : undefined;
        const outcome = await runQuery(stack().prometheus, model.expr, ctx, { instant: model.instant !== false, range: model.range === true }, at);
        table.push(["alert rules", spec.name, query.refId, shortenQuery(outcome.sent), String(outcome.series)]);
        assert.ok(outcome.series >= 1, `${spec.name}: ${outcome.sent} returned no series: the rule would sit in ${spec.noDataState}`);
        // The threshold-filtered form (alerts/prometheus-rules.ts) parses and evaluates too.
        await stack().prometheus.query(prometheusRule(spec, plan.settings.alerting.runbookBaseUrl).expr);
      });
    }
  });

  describe("values prove the queries measure the injected faults", function () {
    /**
     * Sends the target's queries afresh until `problem` finds none (the injected faults
     * show within seconds, but a 4 s rate window can miss them now and then); fails with
     * the last problem after `timeoutMs`.
     */
    async function eventually(target: PanelTarget, problem: (o: QueryOutcome) => string | undefined, timeoutMs = 20_000): Promise<void> {
      let last = "not queried";
      await waitUntil(
        async () => {
          const found = problem(await runQuery(stack().prometheus, target.expr, await contextFor(target), target));
          last = found ?? "";
          return found === undefined;
        },
        () => `${target.key}: ${last}`,
        { timeoutMs, intervalMs: 1000 },
      );
    }

    it("5xx error rate panel is above 0 (background traffic fails 5% of requests)", async () => {
      await eventually(findTarget(DASHBOARD_UID.performance, PERFORMANCE_PANELS.errorRate), (o) => {
        const max = Math.max(...rangeValues(o));
        return max > 0 ? undefined : `max 5xx % = ${max}`;
      });
    });

    it("data drift panel peaks above its red threshold, 0.3 (drifted inputs)", async () => {
      const red = panelThreshold(DASHBOARD_UID.model, MODEL_PANELS.driftScore, "red");
      assert.equal(red, 0.3);
      await eventually(findTarget(DASHBOARD_UID.model, MODEL_PANELS.driftScore), (o) => {
        const max = Math.max(...rangeValues(o));
        return max > red ? undefined : `max drift score = ${max}`;
      });
    });

    it("average confidence panel stays between 0 and 1", async () => {
      await eventually(findTarget(DASHBOARD_UID.model, MODEL_PANELS.averageConfidence), (o) => {
        const values = rangeValues(o);
        const outside = values.filter((v) => !(v > 0 && v < 1));
        return values.length > 0 && outside.length === 0 ? undefined : `${values.length} values, outside (0, 1): ${outside.slice(0, 5).join(", ")}`;
      });
    });

    it("latency panel: P95 above P50 (the same query at 0.5) and P99 at least P95 (slow requests injected)", async () => {
      const p95 = findTarget(DASHBOARD_UID.performance, PERFORMANCE_PANELS.p95Latency, "A");
      const p99 = findTarget(DASHBOARD_UID.performance, PERFORMANCE_PANELS.p95Latency, "B");
      assert.match(p95.expr, /histogram_quantile\(0\.95,/);
      assert.match(p99.expr, /histogram_quantile\(0\.99,/);
      // The dashboard has no P50 target: derive it from the P95 one.
      const p50 = { ...p95, key: `${p95.key} at 0.5`, expr: p95.expr.replace(/histogram_quantile\(0\.95,/, "histogram_quantile(0.5,") };
      const ctx = await contextFor(p95);
      let last = "";
      await waitUntil(
        async () => {
          const at = Date.now() / 1000;
          const [v50, v95, v99] = await Promise.all(
            [p50, p95, p99].map(async (t) => {
              const { instant = [] } = await runQuery(stack().prometheus, t.expr, ctx, { instant: true, range: false }, at);
              return instant.length === 1 ? Number(instant[0].value[1]) : NaN;
            }),
          );
          last = `P50 ${v50}, P95 ${v95}, P99 ${v99}`;
          return v95 > v50 && v99 >= v95;
        },
        () => `expected P50 < P95 <= P99: ${last}`,
        { timeoutMs: 20_000, intervalMs: 1000 },
      );
    });

    it("predictions by model version show both versions", async () => {
      const versions = [...stack().labels.modelVersions].sort().join(", ");
      await eventually(findTarget(DASHBOARD_UID.model, MODEL_PANELS.predictionsByVersion), (o) => {
        const seen = (o.range ?? []).map((s) => s.metric[LABEL.modelVersion]).sort().join(", ");
        return seen === versions ? undefined : `timeseries shows [${seen}], expected [${versions}]`;
      });
      await eventually(findTarget(DASHBOARD_UID.model, MODEL_PANELS.predictionsByVersionBars), (o) => {
        const seen = (o.instant ?? []).map((s) => s.metric[LABEL.modelVersion]).sort().join(", ");
        return seen === versions ? undefined : `bar chart shows [${seen}], expected [${versions}]`;
      });
    });
  });
});

describe("prometheus: panel targets excused from returning data", function () {
  const { plan } = planOrError();
  const keys = new Set(plan ? dashboardTargets(plan.dashboards).targets.map((t) => t.key) : []);

  it("names only targets that exist", function () {
    if (!plan) this.skip();
    for (const key of CANNOT_HAVE_DATA.keys()) assert.ok(keys.has(key), `CANNOT_HAVE_DATA names ${key}, which is not a panel target`);
  });

  it("is empty: every panel target has data in the test setup", () => {
    assert.deepEqual([...CANNOT_HAVE_DATA], []);
  });
});
