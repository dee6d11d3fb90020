/**
 * Imported alerting rules fire exactly as their upstream rules do: every alerting rule of
 * the corpus' PrometheusRule manifests (../shared/corpus/prometheus-rules), read by the
 * project's importer and exported as it deploys them (prometheusRuleFile: expression,
 * `for`, labels, annotations), is run by `promtool test rules` on input series found for
 * it (support/firing-inputs.ts): no alert before its `for` has passed, and then exactly
 * the alerts Prometheus raises for the upstream rule: the expression's series, with the
 * upstream labels and annotations rendered (support/go-template.ts), plus the runbook link
 * the project gives a rule without one. In Grafana the same expression is the rule's query,
 * and its chain fires on every series it returns (alerts/rule-chain.ts).
 *
 * Needs promtool (REQUIRE_PROMETHEUS=1 makes its absence a failure) and ../shared (CI
 * makes its absence a failure).
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { readAlertRuleFiles } from "../../alerts/imported";
import { PrometheusRule, prometheusRuleFile } from "../../alerts/prometheus-rules";
import { fallbackRunbookUrl } from "../../alerts/rule-chain";
import { FOLDERS } from "../../dashboards/folders";
import { parsePrometheusDuration } from "../../validation";
import { CORPUS_RULES, corpusRuleFiles, upstreamGroups, UpstreamRule } from "../support/corpus";
import { requireSharedData } from "../support/shared-data";
import { alertInputs, attribute, gotByMarker, recordingDependencies, RecordingRuleText, Sample } from "./support/firing-inputs";
import { formatTable } from "./support/panel-queries";
import { requirePrometheus } from "./support/binaries";
import { QueryNeeded, renderTemplate } from "./support/go-template";
import { runPromtool, tempDir } from "./support/promtool";

const RUNBOOKS = "https://example.org/runbooks.md";
/** Rule evaluation every minute (the groups' default interval); input samples every 15 s, as a Prometheus scrapes. */
const INTERVAL_SECONDS = 60;
const SCRAPE_SECONDS = 15;
/** When the search looks for series: past the usual windows (5m, 10m); longer ones work on what they have. */
const SEARCH_AT_SECONDS = 10 * 60;
/** Candidates tried one test each when the batched search cannot tell them apart (the result keeps no tagged label). */
const SEPARATE_CANDIDATES = 40;

interface ImportedAlert {
  readonly file: string;
  readonly group: string;
  readonly exported: PrometheusRule;
  readonly upstream: UpstreamRule;
  readonly dependencies: readonly RecordingRuleText[];
}

/** The corpus' alerting rules as the project exports them, each with its upstream rule and the recording rules it reads. */
function importedAlerts(dir: string): ImportedAlert[] {
  const root = path.join(dir, "drop-in");
  fs.mkdirSync(path.join(root, "imported"), { recursive: true });
  const upstream = new Map<string, UpstreamRule[]>();
  for (const f of corpusRuleFiles()) {
    fs.writeFileSync(path.join(root, "imported", f.name), f.text);
    for (const g of upstreamGroups(f)) upstream.set(`${f.name}\u0000${g.name}`, g.rules.filter((r) => r.alert));
  }
  const { groups, problems } = readAlertRuleFiles(root);
  assert.deepEqual(problems, [], "the corpus imports without problems");
  const exported = prometheusRuleFile([], RUNBOOKS, { groups, options: { runbookBaseUrl: RUNBOOKS, folders: new Map(FOLDERS.map((f) => [f.uid, f])) } });
  const byRecord = new Map<string, RecordingRuleText[]>();
  for (const r of exported.groups.flatMap((g) => g.rules)) if (r.record) byRecord.set(r.record, [...(byRecord.get(r.record) ?? []), { record: r.record, expr: r.expr, labels: r.labels }]);
  return exported.groups.flatMap((g, gi) => {
    const file = path.basename(groups[gi].source);
    const originals = upstream.get(`${file}\u0000${g.name}`) ?? [];
    return g.rules.filter((r) => r.alert).map((r, ri) => ({ file, group: g.name, exported: r, upstream: originals[ri], dependencies: recordingDependencies(r.expr, byRecord) }));
  });
}

const seconds = (d: string | undefined) => (d ? parsePrometheusDuration(d)! / 1000 : 0);
const minutes = (s: number) => `${Math.round(s / 60)}m`;
const ruleFileOf = (a: ImportedAlert) => ({ groups: [{ name: "imported", interval: `${INTERVAL_SECONDS}s`, rules: [...a.dependencies, a.exported] }] });
const probeExpr = (expr: string, marker: string) => `${expr.trimEnd()}\n# ${marker}\n`;

describe("imported alerts: promtool proves each corpus alert fires as upstream", function () {
  this.timeout(600_000);
  let promtool = "";
  let tmp: ReturnType<typeof tempDir> | undefined;
  const alerts: ImportedAlert[] = [];
  const summary: string[][] = [["alert", "file", "for", "inputs (candidate)", "alerts", "not before for"]];
  /** A passing test whose expression is already true before `for` ends: the tests' own test uses it. */
  let proven: { alert: ImportedAlert; name: string; test: string } | undefined;

  before(function () {
    promtool = requirePrometheus(this).promtool;
    requireSharedData(this, CORPUS_RULES);
    tmp = tempDir("imported-alerts-");
    // IMPORTED_ALERTS=<regex> narrows the run to matching alert names (while developing the input search).
    const only = process.env.IMPORTED_ALERTS ? new RegExp(process.env.IMPORTED_ALERTS) : undefined;
    alerts.push(...importedAlerts(tmp.dir).filter((a) => !only || only.test(a.exported.alert ?? "")));
  });
  after(() => {
    tmp?.remove();
    if (summary.length > 1) console.log(`\n${formatTable(summary).replace(/^/gm, "    ")}\n`);
  });

  it("imports every alerting rule of the corpus (names and expressions as upstream)", function () {
    if (process.env.IMPORTED_ALERTS) this.skip();
    const upstreamAlerts = corpusRuleFiles().flatMap((f) => upstreamGroups(f).flatMap((g) => g.rules.filter((r) => r.alert)));
    assert.equal(alerts.length, upstreamAlerts.length);
    for (const a of alerts) {
      assert.ok(a.upstream, `${a.exported.alert}: no upstream rule`);
      assert.deepEqual([a.exported.alert, a.exported.expr, a.exported.for], [a.upstream.alert, a.upstream.expr, a.upstream.for]);
    }
  });

  it("fires every alert after its `for`, with the upstream labels and annotations, not before", async function () {
    const failures: string[] = [];
    const dir = tmp!;
    const one = async (a: ImportedAlert, i: number): Promise<void> => {
      const name = `${i}-${a.exported.alert}`;
      const forSeconds = seconds(a.exported.for);
      const fireAt = SEARCH_AT_SECONDS + forSeconds;
      const steps = fireAt / SCRAPE_SECONDS + 20;
      dir.write(`${name}.rules.yml`, ruleFileOf(a));
      const inputs = alertInputs(a.exported.expr, a.dependencies);
      const searchSteps = SEARCH_AT_SECONDS / SCRAPE_SECONDS + 20;
      let lastOutput = "";
      const run = async (file: string, tests: unknown[]) => {
        lastOutput = (await runPromtool(promtool, ["test", "rules", path.basename(dir.write(file, { rule_files: [`${name}.rules.yml`], evaluation_interval: `${INTERVAL_SECONDS}s`, tests }))], dir.dir)).output;
        return gotByMarker(lastOutput);
      };
      const probeTest = (series: unknown[], probes: [string, number][]) => ({
        interval: `${SCRAPE_SECONDS}s`,
        input_series: series,
        promql_expr_test: probes.map(([marker, at]) => ({ expr: probeExpr(a.exported.expr, marker), eval_time: minutes(at), exp_samples: [] })),
      });
      // 1. Search: candidates in one test, told apart by the tags of their label values (a
      //    few first, then all); else (a result without tagged labels: absent(), sum()) one
      //    test per candidate for the first ones, which hold the uniform and absent inputs.
      let order: number[] = [];
      for (const [from, to] of [[0, 200], [200, inputs.count]]) {
        if (order.length > 0 || from >= inputs.count) break;
        const batched = (await run(`${name}.search.yml`, [probeTest(inputs.batch(from, to, searchSteps), [["cand-all", SEARCH_AT_SECONDS]])])).get("cand-all") ?? [];
        order = [...new Set(batched.map(attribute).filter((k): k is number => k !== undefined))].sort((x, y) => x - y);
      }
      if (order.length === 0) {
        const tests = Array.from({ length: SEPARATE_CANDIDATES }, (_, k) => probeTest(inputs.candidate(k, searchSteps), [[`cand-${k}`, SEARCH_AT_SECONDS]]));
        const found = await run(`${name}.search-each.yml`, tests);
        order = Array.from({ length: SEPARATE_CANDIDATES }, (_, k) => k).filter((k) => (found.get(`cand-${k}`) ?? []).length > 0);
      }
      // 2. What the expression returns, for a candidate alone, from the search's time until
      //    the alert must fire (continuously: every 5 minutes), and just before `for` has passed.
      const before = forSeconds >= 2 * INTERVAL_SECONDS ? forSeconds - INTERVAL_SECONDS : undefined;
      const checkpoints: [string, number][] = [];
      for (let t = SEARCH_AT_SECONDS; t < fireAt; t += 300) checkpoints.push([`cand-at-${t}`, t]);
      let chosen: { k: number; series: ReturnType<typeof inputs.candidate>; firing: Sample[]; sharpBefore: boolean } | undefined;
      for (const k of order.slice(0, 4)) {
        const series = inputs.candidate(k, steps);
        const probes: [string, number][] = [["cand-fire", fireAt], ...checkpoints, ...(before === undefined ? [] : [["cand-before", before] as [string, number]])];
        const probed = await run(`${name}.probe.yml`, [probeTest(series, probes)]);
        const firing = probed.get("cand-fire") ?? [];
        if (firing.length > 0 && checkpoints.every(([m]) => (probed.get(m) ?? []).length > 0)) {
          chosen = { k, series, firing, sharpBefore: (probed.get("cand-before") ?? []).length > 0 };
          break;
        }
      }
      if (!chosen) {
        const unsatisfiable = inputs.selectors.filter((s) => !s.satisfiable);
        if (order.length === 0 && unsatisfiable.length > 0) {
          // No series can match a selector (e.g. integration!~".*"): Prometheus never fires
          // the rule, and neither may the deployed one.
          const series = inputs.candidate(0, steps);
          const never = dir.write(`${name}.never.yml`, {
            rule_files: [`${name}.rules.yml`],
            evaluation_interval: `${INTERVAL_SECONDS}s`,
            tests: [{ interval: `${SCRAPE_SECONDS}s`, input_series: series, alert_rule_test: [{ eval_time: minutes(fireAt), alertname: a.exported.alert, exp_alerts: [] }] }],
          });
          const result = await runPromtool(promtool, ["test", "rules", path.basename(never)], dir.dir);
          summary.push([a.exported.alert!, a.file.replace(/^kp-|-prometheusRule\.yaml$/g, ""), a.exported.for ?? "0s", `never: no series matches ${unsatisfiable.map((u) => u.metric).join(", ")}`, "0", "-"]);
          if (!result.ok) failures.push(`${a.exported.alert} (${a.file}): fires although no series can match it:\n${result.output}`);
          return;
        }
        failures.push(`${a.exported.alert} (${a.file}): no input found under which it fires steadily (candidates found by the search: ${order.join(", ") || "none"}); promtool said: ${lastOutput.slice(0, 600)}`);
        return;
      }
      const { k, series, firing, sharpBefore } = chosen;
      // 3. The exported rule fires as upstream would: expected alerts from the upstream rule.
      const queries = new Map<string, Sample[]>();
      const render = () =>
        firing.map((s: Sample) => {
          const labels = Object.fromEntries(Object.entries(s.labels).filter(([k]) => k !== "__name__"));
          const annotations = Object.fromEntries(Object.entries(a.upstream.annotations ?? {}).map(([k, t]) => [k, renderTemplate(t, { labels: s.labels, value: s.value, queries })]));
          return { exp_labels: { ...labels, ...(a.upstream.labels ?? {}) }, exp_annotations: { ...annotations, ...(a.upstream.annotations?.runbook_url ? {} : { runbook_url: fallbackRunbookUrl(RUNBOOKS) }) } };
        });
      let expected: ReturnType<typeof render> | undefined;
      // A template's `query` runs at the alert's evaluation: run it the same way, then render.
      for (let attempt = 0; !expected && attempt < 5; attempt++) {
        try {
          expected = render();
        } catch (err) {
          if (!(err instanceof QueryNeeded)) throw err;
          const probe = { interval: `${SCRAPE_SECONDS}s`, input_series: series, promql_expr_test: [{ expr: probeExpr(err.query, "cand-query"), eval_time: minutes(fireAt), exp_samples: [] }] };
          const got = gotByMarker((await runPromtool(promtool, ["test", "rules", path.basename(dir.write(`${name}.query.yml`, { rule_files: [`${name}.rules.yml`], evaluation_interval: `${INTERVAL_SECONDS}s`, tests: [probe] }))], dir.dir)).output);
          queries.set(err.query, got.get("cand-query") ?? []);
        }
      }
      assert.ok(expected, `${a.exported.alert}: its annotations query too much`);
      const test = dir.write(`${name}.test.yml`, {
        rule_files: [`${name}.rules.yml`],
        evaluation_interval: `${INTERVAL_SECONDS}s`,
        tests: [
          {
            interval: `${SCRAPE_SECONDS}s`,
            input_series: series,
            alert_rule_test: [
              ...(before === undefined ? [] : [{ eval_time: minutes(before), alertname: a.exported.alert, exp_alerts: [] }]),
              { eval_time: minutes(fireAt), alertname: a.exported.alert, exp_alerts: expected },
            ],
          },
        ],
      });
      const result = await runPromtool(promtool, ["test", "rules", path.basename(test)], dir.dir);
      if (result.ok && sharpBefore && !proven) proven = { alert: a, name, test };
      summary.push([a.exported.alert!, a.file.replace(/^kp-|-prometheusRule\.yaml$/g, ""), a.exported.for ?? "0s", `${series.length} series (${k})`, String(expected.length), before === undefined ? "-" : sharpBefore ? "checked" : "checked (expr not yet true)"]);
      if (!result.ok) failures.push(`${a.exported.alert} (${a.file}): promtool test rules failed:\n${result.output}`);
    };
    // A few promtool processes at a time: the machine's cores are shared.
    const queue = alerts.map((a, i) => () => one(a, i));
    await Promise.all(Array.from({ length: 3 }, async () => {
      for (let job = queue.shift(); job; job = queue.shift()) await job();
    }));
    assert.deepEqual(failures, [], `${failures.length} of ${alerts.length} alerts`);
  });

  it("fail when the deployed rule differs from upstream: without its `for`, or without a label, promtool reports the alert", async function () {
    if (!proven) return this.skip();
    const { alert, name, test } = proven;
    const dir = tmp!;
    const { severity: _dropped, ...otherLabels } = alert.exported.labels ?? {};
    for (const broken of [{ ...alert.exported, for: undefined }, { ...alert.exported, labels: otherLabels }]) {
      dir.write(`${name}.rules.yml`, ruleFileOf({ ...alert, exported: broken }));
      const result = await runPromtool(promtool, ["test", "rules", path.basename(test)], dir.dir);
      assert.equal(result.ok, false, `promtool accepted ${alert.exported.alert} changed to ${JSON.stringify(broken)}`);
      assert.match(result.output, new RegExp(`alertname: ${alert.exported.alert}`));
    }
    dir.write(`${name}.rules.yml`, ruleFileOf(alert));
    assert.ok((await runPromtool(promtool, ["test", "rules", path.basename(test)], dir.dir)).ok, "the unchanged rule passes again");
  });
});
