/**
 * Alert semantics, proven offline with promtool: the dev and prod stacks' alerts in
 * Prometheus rule format (alerts/prometheus-rules.ts: the same expressions, thresholds,
 * `for` and labels as the Grafana-managed rules) pass `promtool check rules`, and for
 * every alert a generated `promtool test rules` file (support/alert-tests.ts) shows it
 * fires, with its labels and rendered annotations, once the value has been clearly past
 * the stack's threshold for `for`, not before, and never while the value sits just on the
 * other side. Thresholds and pending periods come from each stack's settings.
 *
 * Needs promtool (skipped with install instructions otherwise; fails instead when
 * REQUIRE_PROMETHEUS=1). No Prometheus server.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { stringify } from "yaml";
import { readAlertRuleFiles } from "../../alerts/imported";
import { prometheusRuleFile, PrometheusRuleFile } from "../../alerts/prometheus-rules";
import { prometheusRulesOf, StackPlan } from "../../components/plan";
import { TARGET_LABEL } from "../../catalog/metrics";
import { parsePrometheusDuration, parseRuleDuration } from "../../validation";
import { alertUnitTest, AlertUnitTest } from "./support/alert-tests";
import { requirePrometheus } from "./support/binaries";
import { formatG, humanize, humanizeDuration, humanizePercentage } from "./support/go-template";
import { formatTable } from "./support/panel-queries";
import { testStackPlan } from "./support/plan";
import { checkRules, PromtoolResult, tempDir, testRules } from "./support/promtool";
import { noWindowTest, windowTest } from "./support/window-tests";

const STACKS = ["dev", "prod"] as const;

function planOrError(stack: string): { plan?: StackPlan; error?: unknown } {
  try {
    return { plan: testStackPlan(stack) };
  } catch (error) {
    return { error };
  }
}

/** A rule's pending period in milliseconds (the stacks' values are valid: the plan checked them). */
function ruleMs(text: string): number {
  const parsed = parseRuleDuration(text);
  assert.ok(parsed.ok, `${text} is not a pending period`);
  return parsed.ms;
}

const rulesOf = (plan: StackPlan): PrometheusRuleFile => prometheusRulesOf(plan);

function ruleAndInterval(file: PrometheusRuleFile, alert: string) {
  for (const group of file.groups) {
    const rule = group.rules.find((r) => r.alert === alert);
    if (rule) return { rule, evaluationSeconds: parsePrometheusDuration(group.interval)! / 1000 };
  }
  throw new Error(`no rule named ${alert}`);
}

const failure = (what: string, result: PromtoolResult, file?: unknown) =>
  `${what} failed (exit ${result.code}):\n${result.output}${file === undefined ? "" : `\n--- generated test file ---\n${stringify(file, { lineWidth: 0, aliasDuplicateObjects: false })}`}`;

describe("alerts: promtool proves each alert fires exactly when it should", function () {
  this.timeout(60_000);
  let promtool = "";
  let tmp: ReturnType<typeof tempDir> | undefined;
  const dir = () => {
    assert.ok(tmp, "temp dir not created");
    return tmp;
  };
  before(function () {
    promtool = requirePrometheus(this).promtool;
    tmp = tempDir("churn-alert-tests-");
  });
  after(() => tmp?.remove());

  const summary: string[][] = [["stack", "alert", "shape", "for", "firing scenario (judged group)", "quiet scenario", "fires at", "window"]];
  after(function () {
    if (summary.length > 1) console.log(`\n${formatTable(summary).replace(/^/gm, "    ")}\n`);
  });

  for (const stack of STACKS) {
    describe(`${stack} stack`, function () {
      const { plan, error } = planOrError(stack);
      if (!plan) {
        it(`plans the ${stack} stack`, () => {
          throw error;
        });
        return;
      }
      const rules = rulesOf(plan);
      const ruleFileName = `${stack}-rules.yml`;

      it(`promtool check rules accepts ${ruleFileName} (${plan.alerts.length} alerts)`, async () => {
        const result = await checkRules(promtool, dir().write(ruleFileName, rules));
        assert.ok(result.ok, failure("promtool check rules", result));
      });

      for (const spec of plan.alerts) {
        const op = spec.comparator === "gt" ? ">" : "<";
        const windowed = spec.reducer === "last" ? "" : `; a ${spec.reducer} over ${spec.lookbackSeconds}s: a short spike inside every window fires it, its instant twin never`;
        it(`${spec.name}: fires once ${op} ${spec.threshold} for ${spec.for}, not before, and never just below${windowed}`, async () => {
          const { rule, evaluationSeconds } = ruleAndInterval(rules, spec.name);
          const test: AlertUnitTest = alertUnitTest(spec, rule, { ruleFile: ruleFileName, evaluationSeconds });
          const twinRuleFile = `${stack}-${spec.name}-instant.yml`;
          const notShown = noWindowTest(spec, test, evaluationSeconds);
          const window = notShown ? undefined : windowTest(spec, rule, test, { ruleFile: ruleFileName, twinRuleFile, evaluationSeconds });
          if (window) {
            dir().write(twinRuleFile, window.twinRules);
            test.file.rule_files = [ruleFileName, twinRuleFile];
            test.file.tests = [...(test.file.tests as unknown[]), ...window.tests];
          }
          const [firing, quiet] = test.scenarios;
          // Routing and grouping depend on these labels: severity and service from the rule,
          // namespace (and e.g. feature) from the expression's grouping.
          for (const alert of firing.expected) {
            for (const label of ["severity", "service", TARGET_LABEL.namespace, ...test.shape.by]) {
              assert.ok(alert.labels[label], `expected alert without ${label}: ${JSON.stringify(alert.labels)}`);
            }
          }
          assert.equal(firing.expected.length, 1, "one group alerts in the firing scenario");
          dir().write(ruleFileName, rules);
          const file = dir().write(`${stack}-${spec.name}.test.yml`, test.file);
          const result = await testRules(promtool, file);
          summary.push([
            stack,
            spec.name,
            test.shape.kind,
            spec.for,
            `${formatG(firing.groups[0].value, 4)}: ${firing.groups[0].how}`,
            `${formatG(quiet.groups[0].value, 4)}`,
            `${test.timeline.firingFromSeconds / 60}m`,
            window ? `spike every ${window.spikeEverySeconds}s` : notShown ?? "",
          ]);
          assert.ok(result.ok, failure(`promtool test rules ${file}`, result, test.file));
        });
      }
    });
  }

  describe("the tests themselves", function () {
    it("show the window of the built-in windowed alert: ChurnApiTooManyActiveRequests (max over 5 minutes) gets spike scenarios", () => {
      const { plan } = planOrError("prod");
      assert.ok(plan);
      const spec = plan.alerts.find((a) => a.name === "ChurnApiTooManyActiveRequests");
      assert.ok(spec && spec.reducer === "max" && spec.lookbackSeconds === 300);
      const rules = rulesOf(plan);
      const { rule, evaluationSeconds } = ruleAndInterval(rules, spec.name);
      assert.match(rule.expr, /^\(max_over_time\(\(sum by \(namespace\) \(churn_api_http_requests_in_flight\{.*\}\)\)\[5m:15s\]\)\) > 100$/);
      const unit = alertUnitTest(spec, rule, { ruleFile: "x.yml", evaluationSeconds });
      assert.equal(noWindowTest(spec, unit, evaluationSeconds), undefined);
      assert.equal(windowTest(spec, rule, unit, { ruleFile: "x.yml", twinRuleFile: "y.yml", evaluationSeconds }).tests.length, 2);
    });

    it("fail when the window is missing: the instant expression does not fire on the spikes", async () => {
      const { plan } = planOrError("prod");
      assert.ok(plan);
      const rules = rulesOf(plan);
      const spec = plan.alerts.find((a) => a.name === "ChurnApiTooManyActiveRequests");
      assert.ok(spec);
      const { rule, evaluationSeconds } = ruleAndInterval(rules, spec.name);
      // Today's Grafana rule compared only the current value: export it that way and expect the spikes to fire it.
      const instant = { ...rule, expr: `(${spec.expr}) > ${spec.threshold}` };
      dir().write("instant-rules.yml", { groups: [{ name: "g", interval: `${evaluationSeconds}s`, rules: [instant] }] });
      const unit = alertUnitTest(spec, instant, { ruleFile: "instant-rules.yml", evaluationSeconds });
      const window = windowTest(spec, instant, unit, { ruleFile: "instant-rules.yml", twinRuleFile: "instant-twin.yml", evaluationSeconds });
      dir().write("instant-twin.yml", window.twinRules);
      const file = dir().write("instant-window.test.yml", { rule_files: ["instant-rules.yml", "instant-twin.yml"], evaluation_interval: `${evaluationSeconds}s`, tests: [window.tests[0]] });
      const result = await testRules(promtool, file);
      assert.equal(result.ok, false, `the spikes fired an instant rule:\n${result.output}`);
      assert.match(result.output, new RegExp(`alertname: ${spec.name}`));
    });

    it("fail when the expectation is wrong: promtool reports an alert expected just below the threshold", async () => {
      const { plan } = planOrError("dev");
      assert.ok(plan);
      const rules = rulesOf(plan);
      const spec = plan.alerts[0];
      const { rule, evaluationSeconds } = ruleAndInterval(rules, spec.name);
      dir().write("wrong-rules.yml", rules);
      const wrong = alertUnitTest(spec, rule, { ruleFile: "wrong-rules.yml", evaluationSeconds, wrongExpectation: true });
      const result = await testRules(promtool, dir().write("wrong.test.yml", wrong.file));
      assert.equal(result.ok, false, `promtool accepted a wrong expectation:\n${result.output}`);
      assert.match(result.output, /FAILED/);
      assert.match(result.output, new RegExp(`alertname: ${spec.name}`));
      // Only the quiet scenario is wrong: the firing one still passes.
      assert.doesNotMatch(result.output, new RegExp(`name: ${spec.name} firing`));
    });

    it("cover drop-in rules too: alerts/imported.ts' example (a counter rate, lt) fires below 0.01/s, not just above", async () => {
      // The example from alerts/imported.ts, read by the real drop-in reader from a temp folder.
      const example = [
        "- name: ChurnApiNoPredictions",
        '  expr: sum by (namespace) (rate(churn_api_predictions_total{namespace="churn-api"}[10m]))',
        "  comparator: lt",
        "  threshold: 0.01",
        "  for: 15m",
        "  severity: warning",
        "  summary: The churn API serves no predictions",
        '  description: "Only {{ $value }} predictions/s in {{ $labels.namespace }}."',
        "  dashboardUid: churn-api-model",
        "  panelId: 1",
        "  noDataState: Alerting",
        "  execErrState: Error",
      ].join("\n");
      fs.mkdirSync(path.join(dir().dir, "drop-in", "churn-api-ml"), { recursive: true });
      dir().write("drop-in/churn-api-ml/no-predictions.yaml", `${example}\n`);
      const { specs, problems } = readAlertRuleFiles(path.join(dir().dir, "drop-in"));
      assert.deepEqual(problems, []);
      const rules = prometheusRuleFile(specs, "https://example.org/runbooks.md");
      dir().write("drop-in-rules.yml", rules);
      const { rule, evaluationSeconds } = ruleAndInterval(rules, specs[0].name);
      const test = alertUnitTest(specs[0], rule, { ruleFile: "drop-in-rules.yml", evaluationSeconds });
      assert.equal(test.shape.kind, "counter rate");
      const result = await testRules(promtool, dir().write("drop-in.test.yml", test.file));
      assert.ok(result.ok, failure("promtool test rules (drop-in example)", result, test.file));
    });

    it("render annotations as promtool does (Go number formatting, humanize*)", async () => {
      const values = [0, 0.45, 0.9871794871794872, 1.75, 7.499999999999999, 150, 3661, 123456, 1e6, 0.000012];
      const template = "{{ $value }}|{{ humanize $value }}|{{ humanizeDuration $value }}|{{ $value | humanizePercentage }}";
      const render = (v: number) => [formatG(v, -1), humanize(v), humanizeDuration(v), humanizePercentage(v)].join("|");
      dir().write("format-rules.yml", { groups: [{ name: "format", rules: [{ alert: "Format", expr: "x", annotations: { d: template } }] }] });
      const file = dir().write("format.test.yml", {
        rule_files: ["format-rules.yml"],
        tests: values.map((v) => ({
          interval: "1m",
          input_series: [{ series: "x", values: String(v) }],
          alert_rule_test: [{ eval_time: "0m", alertname: "Format", exp_alerts: [{ exp_labels: {}, exp_annotations: { d: render(v) } }] }],
        })),
      });
      const result = await testRules(promtool, file);
      assert.ok(result.ok, failure("promtool test rules (formatting)", result));
    });
  });
});

describe("alerts: stack thresholds", function () {
  it("dev's thresholds and pending periods are never stricter than prod's, and looser somewhere", () => {
    const [dev, prod] = STACKS.map((s) => planOrError(s).plan);
    assert.ok(dev && prod);
    let looser = 0;
    for (const d of dev.alerts) {
      const p = prod.alerts.find((a) => a.name === d.name);
      assert.ok(p, `${d.name} is not in prod`);
      const thresholdSlack = d.comparator === "gt" ? d.threshold - p.threshold : p.threshold - d.threshold;
      const forSlack = ruleMs(d.for) - ruleMs(p.for);
      assert.ok(thresholdSlack >= 0 && forSlack >= 0, `${d.name}: dev ${d.threshold}/${d.for} is stricter than prod ${p.threshold}/${p.for}`);
      if (thresholdSlack > 0 || forSlack > 0) looser++;
    }
    assert.ok(looser > 0, "dev and prod alert identically");
  });
});
