/**
 * promtool tests that show a windowed rule's window (reducer max/min over a range query in
 * Grafana; max_over_time/min_over_time of a subquery in the exported rule):
 * - SPIKES: a short spike (one sample) inside every window, the value clearly quiet in
 *   between, keeps the rule true: it fires once `for` has elapsed, although the current
 *   value sits on the quiet side at most evaluations;
 * - INSTANT TWIN: the same expression compared without the window (what an instant query
 *   with a max reducer really compared) never fires on those spikes;
 * - APART: spikes further apart than the window leave gaps, so a `for` longer than the
 *   window never elapses and nothing fires.
 * Built for gauge expressions, whose spikes are one sample each.
 */
import { PrometheusRule } from "../../../alerts/prometheus-rules";
import { AlertSpec } from "../../../alerts/types";
import { groupingSelector, groupLabels } from "./alert-shapes";
import { AlertUnitTest, buildGroup, duration, Placement, range, seriesText } from "./alert-tests";
import { renderTemplate } from "./go-template";

export interface WindowTest {
  /** The instant twin's rule file (write it next to the test file under `twinRuleFile`). */
  readonly twinRules: { readonly groups: readonly { readonly name: string; readonly rules: readonly PrometheusRule[] }[] };
  /** promtool `tests` entries to add to the alert's unit test file. */
  readonly tests: readonly Record<string, unknown>[];
  readonly spikeEverySeconds: number;
}

/** Why a spec gets no window test, or undefined when it gets one. */
export function noWindowTest(spec: AlertSpec, unit: AlertUnitTest, evaluationSeconds: number): string | undefined {
  if (spec.reducer === "last") return "instant (reducer last)";
  if (!((spec.reducer === "max" && spec.comparator === "gt") || (spec.reducer === "min" && spec.comparator === "lt"))) return `no spike builder for ${spec.reducer} with ${spec.comparator}`;
  if (unit.shape.kind !== "gauge") return `no spike builder for a ${unit.shape.kind}`;
  if (spec.lookbackSeconds / evaluationSeconds < 3) return "window shorter than three evaluations";
  return undefined;
}

export function windowTest(spec: AlertSpec, rule: PrometheusRule, unit: AlertUnitTest, options: { readonly ruleFile: string; readonly twinRuleFile: string; readonly evaluationSeconds: number }): WindowTest {
  const reason = noWindowTest(spec, unit, options.evaluationSeconds);
  if (reason) throw new Error(`${spec.name}: ${reason}`);
  const e = options.evaluationSeconds;
  const window = spec.lookbackSeconds;
  const forSeconds = unit.timeline.firingFromSeconds;
  const [loud, calm]: Placement[] = spec.comparator === "gt" ? ["clearly above", "clearly below"] : ["clearly below", "clearly above"];
  const labels = groupLabels(unit.shape.by, groupingSelector(unit.shape), 0);
  const spike = buildGroup(unit.shape, spec.threshold, loud, labels, e);
  const quiet = buildGroup(unit.shape, spec.threshold, calm, labels, e);
  const twin = `${spec.name}Instant`;
  const op = spec.comparator === "gt" ? ">" : "<";
  const twinRules = { groups: [{ name: `${spec.name}-instant-twin`, rules: [{ ...rule, alert: twin, expr: `(${spec.expr}) ${op} ${spec.threshold}`, annotations: {} }] }] };

  /** Input series with a one-sample spike every `every` evaluations (from 0) and the quiet value in between. */
  const spikes = (every: number, end: number) =>
    spike.series.map((s, i) => ({
      series: seriesText(s),
      values: range(0, end, e).map((t) => (Math.round(t / e) % every === 0 ? s.perStep : quiet.series[i].perStep)).join(" "),
    }));
  const expected = [{ exp_labels: { ...rule.labels, ...labels }, exp_annotations: Object.fromEntries(Object.entries(rule.annotations ?? {}).map(([k, t]) => [k, renderTemplate(t, { labels, value: spike.value })])) }];
  const entries = (alert: string, times: readonly number[], firingFrom: number) =>
    times.map((t) => ({ eval_time: duration(t), alertname: alert, exp_alerts: t >= firingFrom ? expected : [] }));

  // Every window holds a spike: the newest one is at most window - 2 evaluations old.
  const within = Math.floor(window / e) - 1;
  const end = forSeconds + 2 * e;
  const times = [...range(0, forSeconds - e, e), forSeconds, end];
  const tests: Record<string, unknown>[] = [
    {
      name: `${spec.name} window: a spike (${spike.value}) every ${within * e}s, ${quiet.value} in between: inside every ${window}s window, so it fires after ${spec.for}; the instant twin never does`,
      interval: duration(e),
      input_series: spikes(within, end),
      alert_rule_test: [...entries(spec.name, times, forSeconds), ...entries(twin, range(0, end, e), Infinity)],
    },
  ];
  if (forSeconds > window) {
    // A spike is visible for `window` plus one sample interval; spikes further apart leave a gap longer than `for` cannot bridge.
    const apart = Math.floor(window / e) + 2;
    const apartEnd = forSeconds + 2 * apart * e;
    tests.push({
      name: `${spec.name} window: spikes every ${apart * e}s leave gaps outside the ${window}s window, so ${spec.for} never elapses`,
      interval: duration(e),
      input_series: spikes(apart, apartEnd),
      alert_rule_test: entries(spec.name, range(0, apartEnd, e), Infinity),
    });
  }
  return { twinRules, tests, spikeEverySeconds: within * e };
}
