/**
 * `promtool test rules` files generated from an AlertSpec, so each alert is proven to
 * fire exactly when it should without restating what the spec already says.
 *
 * The alert expression is recognised as one of a few shapes (support/alert-shapes.ts), and one small builder per
 * shape turns "put the value clearly above / just below the threshold" into input series:
 * - counter ratio   `k * sum by (...) (rate(a{...}[w])) / sum by (...) (rate(b{...}[w]))`:
 *                   counters whose rates give the wanted percentage;
 * - histogram quantile `histogram_quantile(q, sum by (..., le) (rate(x_bucket{...}[w])))`:
 *                   bucket counters (the catalog's boundaries) with enough slow requests in
 *                   the bucket above the threshold to lift the quantile over it, or too few;
 * - counter rate    `k * sum by (...) (rate(c{...}[w]))` (e.g. a drop-in "no predictions" rule):
 *                   a counter growing at the wanted rate;
 * - gauge           `max|min|sum|avg by (...) (g{...})`: gauge values.
 * Series are spread over two pods (the aggregation must add them up), and a second group
 * (e.g. another drift feature) sits clearly on the quiet side when the expression keeps a
 * label the selector does not fix: it must never alert.
 *
 * Two scenarios per alert: FIRING (value clearly on the alerting side) expects no alert
 * before `for` has elapsed and the alert, with its labels and rendered annotations, once
 * `for` plus the rate window have; QUIET (just on the other side) expects nothing at every
 * evaluation. promtool does not report pending alerts, hence "no alert before `for`".
 */
import { PrometheusRule } from "../../../alerts/prometheus-rules";
import { AlertSpec, Comparator } from "../../../alerts/types";
import { TARGET_LABEL } from "../../../catalog/metrics";
import { formatDuration } from "../../../lib/grafana-interpolate";
import { AlertShape, alertShape, CANDIDATES, groupingSelector, groupLabels, Labels, matches, seconds, selectedLabels, selects } from "./alert-shapes";
import { formatG, renderTemplate } from "./go-template";

export type { AlertShape } from "./alert-shapes";
export { alertShape } from "./alert-shapes";

// ---- the builders -------------------------------------------------------------------------

/** Where a builder puts the alert's value relative to the threshold. */
export type Placement = "clearly above" | "just above" | "just below" | "clearly below";

/** One input series: counters grow by `perStep` each input interval, gauges hold `perStep`. */
export interface InputSeries {
  readonly metric: string;
  readonly labels: Labels;
  readonly kind: "counter" | "gauge";
  readonly perStep: number;
}

export interface GroupInput {
  readonly series: readonly InputSeries[];
  /** The value the alert expression takes for this group. */
  readonly value: number;
  /** How the value was reached, for test names. */
  readonly how: string;
}

/** Events per input interval behind every counter: round numbers make exact rates. */
const EVENTS = 1000;
const PODS = ["churn-api-0", "churn-api-1"];

/**
 * Series on two pods whose per-step values are `perPod`; when the labels already name a
 * pod, one series carrying `whole` (what the pods add up to under the aggregation).
 */
function onPods(metric: string, labels: Labels, kind: InputSeries["kind"], perPod: readonly number[], whole: number): InputSeries[] {
  if (TARGET_LABEL.pod in labels) return [{ metric, labels, kind, perStep: whole }];
  return perPod.map((perStep, i) => ({ metric, labels: { ...labels, [TARGET_LABEL.pod]: PODS[i] }, kind, perStep }));
}

/** Rounds away binary noise (0.30000000000000004) so generated files read as intended. */
const tidy = (n: number): number => Number(n.toPrecision(12));
const halves = (n: number): number[] => [tidy(n / 2), tidy(n / 2)];
/** A counter's per-step increments, split evenly over the pods. */
const counterOnPods = (metric: string, labels: Labels, perStep: number): InputSeries[] => onPods(metric, labels, "counter", halves(perStep), tidy(perStep));

/** A value placed relative to the threshold; `max` caps it (a percentage cannot pass 100). */
function placeValue(threshold: number, placement: Placement, max = Infinity): number {
  const unit = Math.abs(threshold) || 1;
  const offset = { "clearly above": 0.5, "just above": 0.1, "just below": -0.1, "clearly below": -0.5 }[placement] * unit;
  const value = tidy(threshold + offset);
  return value < max ? value : tidy((threshold + max) / 2);
}

function counterRatioGroup(shape: Extract<AlertShape, { kind: "counter ratio" }>, threshold: number, placement: Placement, group: Labels): GroupInput {
  const value = placeValue(threshold, placement, shape.scale);
  const share = value / shape.scale;
  const numerator = { ...selectedLabels(shape.numerator), ...group };
  const series = counterOnPods(shape.numerator.metric, numerator, EVENTS * share);
  if (shape.numerator.metric === shape.denominator.metric && selects(shape.denominator, numerator)) {
    // The numerator's events are part of the denominator's: the rest go to a series only the denominator selects.
    const rest = shape.numerator.matchers
      .filter((m) => !shape.denominator.matchers.some((d) => d.label === m.label))
      .map((m) => ({ ...numerator, [m.label]: CANDIDATES.find((c) => !matches(m, c)) ?? "" }))
      .find((labels) => selects(shape.denominator, labels) && !selects(shape.numerator, labels));
    if (!rest) throw new Error(`cannot find a series the denominator selects and the numerator does not`);
    series.push(...counterOnPods(shape.denominator.metric, rest, EVENTS * (1 - share)));
  } else {
    series.push(...counterOnPods(shape.denominator.metric, { ...selectedLabels(shape.denominator), ...group }, EVENTS));
  }
  return { series, value, how: `${formatG(EVENTS * share, 6)} of ${EVENTS} events per step` };
}

/** Prometheus' bucketQuantile on cumulative counts (bounds ascending, last +Inf). */
export function bucketQuantile(q: number, bounds: readonly number[], cumulative: readonly number[]): number {
  const total = cumulative[cumulative.length - 1];
  let rank = q * total;
  const b = cumulative.findIndex((c, i) => i === cumulative.length - 1 || c >= rank);
  if (b === cumulative.length - 1) return bounds[bounds.length - 2];
  let start = 0;
  let count = cumulative[b];
  if (b > 0) {
    start = bounds[b - 1];
    count -= cumulative[b - 1];
    rank -= cumulative[b - 1];
  }
  return start + (bounds[b] - start) * (rank / count);
}

function histogramQuantileGroup(shape: Extract<AlertShape, { kind: "histogram quantile" }>, threshold: number, placement: Placement, group: Labels): GroupInput {
  const { bounds, quantile: q } = shape;
  // Requests land in two buckets: the highest ending at or below the threshold, the first starting at or above it.
  const fast = bounds.reduce((found, b, i) => (b <= threshold ? i : found), -1);
  const slow = bounds.findIndex((_, i) => (i === 0 ? 0 : bounds[i - 1]) >= threshold);
  if (fast < 0 || slow < 0) throw new Error(`threshold ${threshold} is outside the buckets ${bounds.join(", ")}`);
  // The quantile passes the threshold exactly when more than (1 - q) of the requests are slow.
  const tail = 1 - q;
  const slowShare = Math.min(1, { "clearly above": 2, "just above": 1.25, "just below": 0.5, "clearly below": 0 }[placement] * tail);
  const les = [...bounds, Infinity];
  const cumulative = les.map((le) => tidy((bounds[fast] <= le ? EVENTS * (1 - slowShare) : 0) + (bounds[slow] <= le ? EVENTS * slowShare : 0)));
  const labels = { ...selectedLabels(shape.buckets), ...group };
  const series = les.flatMap((le, i) => counterOnPods(shape.buckets.metric, { ...labels, le: le === Infinity ? "+Inf" : String(le) }, cumulative[i]));
  const lower = (i: number) => (i === 0 ? 0 : bounds[i - 1]);
  return {
    series,
    value: bucketQuantile(q, les, cumulative),
    how: `${formatG(slowShare * 100, 4)}% in (${lower(slow)}, ${bounds[slow]}], the rest in (${lower(fast)}, ${bounds[fast]}]`,
  };
}

function counterRateGroup(shape: Extract<AlertShape, { kind: "counter rate" }>, threshold: number, placement: Placement, group: Labels, stepSeconds: number): GroupInput {
  const wanted = placeValue(threshold, placement);
  if (wanted < 0) throw new Error(`a rate cannot be ${wanted}`);
  // Increments in 1/1024ths keep every sample and increase exact, so the value computed
  // here as Prometheus does once the window is full (increase / window per series, summed,
  // scaled) is bit-identical to promtool's: templates printing the raw {{ $value }} match.
  const perPod = halves((wanted / shape.scale) * stepSeconds).map((p) => Math.round(p * 1024) / 1024);
  const series = onPods(shape.counter.metric, { ...selectedLabels(shape.counter), ...group }, "counter", perPod, perPod[0] + perPod[1]);
  const steps = shape.windowSeconds / stepSeconds;
  const value = shape.scale * series.map((x) => (x.perStep * steps) / shape.windowSeconds).reduce((a, b) => a + b);
  return { series, value, how: `${formatG(perPod[0] + perPod[1], 6)} per ${stepSeconds}s step` };
}

function gaugeGroup(shape: Extract<AlertShape, { kind: "gauge" }>, threshold: number, placement: Placement, group: Labels): GroupInput {
  const value = placeValue(threshold, placement);
  const d = Math.abs(value) / 2 || 1;
  // Two pods whose aggregate is `value`.
  const perPod = { sum: halves(value), max: [value, value - d], min: [value, value + d], avg: [value - d, value + d] }[shape.aggregation].map(tidy);
  return { series: onPods(shape.gauge.metric, { ...selectedLabels(shape.gauge), ...group }, "gauge", perPod, value), value, how: `${shape.aggregation} over ${perPod.length} pods` };
}

export function buildGroup(shape: AlertShape, threshold: number, placement: Placement, group: Labels, stepSeconds: number): GroupInput {
  switch (shape.kind) {
    case "counter ratio":
      return counterRatioGroup(shape, threshold, placement, group);
    case "histogram quantile":
      return histogramQuantileGroup(shape, threshold, placement, group);
    case "counter rate":
      return counterRateGroup(shape, threshold, placement, group, stepSeconds);
    case "gauge":
      return gaugeGroup(shape, threshold, placement, group);
  }
}

// ---- scenarios and the promtool file -----------------------------------------------------------

const fires = (value: number, comparator: Comparator, threshold: number): boolean => (comparator === "gt" ? value > threshold : value < threshold);

export interface ExpectedAlert {
  readonly labels: Labels;
  readonly annotations: Labels;
}

export interface Scenario {
  readonly name: "firing" | "quiet";
  /** One entry per group; the first is the one judged, the others must stay quiet. */
  readonly groups: readonly (GroupInput & { readonly labels: Labels; readonly fires: boolean })[];
  /** Alerts expected once `for` (and the window) have elapsed. */
  readonly expected: readonly ExpectedAlert[];
}

export interface Timeline {
  readonly evaluationSeconds: number;
  /** Last evaluation at which the alert cannot have fired yet: `for` minus one evaluation. */
  readonly quietUntilSeconds: number;
  /** First evaluation at which it must be firing: `for` plus the rate window's warm-up. */
  readonly firingFromSeconds: number;
  readonly endSeconds: number;
}

export interface AlertUnitTest {
  readonly alert: string;
  readonly shape: AlertShape;
  readonly timeline: Timeline;
  readonly scenarios: readonly Scenario[];
  /** The promtool test file (write it next to the rule file). */
  readonly file: Record<string, unknown>;
}

export interface AlertUnitTestOptions {
  /** File name of the rule file, relative to the test file. */
  readonly ruleFile: string;
  /** The rule group's evaluation interval. */
  readonly evaluationSeconds: number;
  /** Deliberately wrong: expect the QUIET scenario to fire (proves the tests can fail). */
  readonly wrongExpectation?: boolean;
}

export function seriesText(s: InputSeries): string {
  const labels = Object.entries(s.labels).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(",");
  return `${s.metric}{${labels}}`;
}

export const duration = (s: number): string => (s === 0 ? "0s" : formatDuration(s * 1000));
export const range = (from: number, to: number, step: number): number[] => (to < from ? [] : Array.from({ length: Math.floor((to - from) / step) + 1 }, (_, i) => from + i * step));

/** The promtool unit test of one alert: a FIRING and a QUIET scenario on one timeline. */
export function alertUnitTest(spec: AlertSpec, rule: PrometheusRule, options: AlertUnitTestOptions): AlertUnitTest {
  const shape = alertShape(spec.expr);
  const evalSeconds = options.evaluationSeconds;
  const forSeconds = seconds(rule.for ?? "0s");
  const warmUp = "windowSeconds" in shape ? shape.windowSeconds : 0;
  const timeline: Timeline = {
    evaluationSeconds: evalSeconds,
    quietUntilSeconds: forSeconds - evalSeconds,
    firingFromSeconds: forSeconds + warmUp,
    endSeconds: forSeconds + warmUp + 2 * evalSeconds,
  };

  const sel = groupingSelector(shape);
  const free = shape.by.some((l) => !(l in selectedLabels(sel)));
  const quietSide: Placement = spec.comparator === "gt" ? "clearly below" : "clearly above";
  const scenario = (name: Scenario["name"], judged: Placement): Scenario => {
    const placements = [judged, ...(free ? [quietSide] : [])];
    const groups = placements.map((p, i) => {
      const labels = groupLabels(shape.by, sel, i);
      const input = buildGroup(shape, spec.threshold, p, labels, evalSeconds);
      return { ...input, labels, fires: fires(input.value, spec.comparator, spec.threshold) };
    });
    const expected = groups
      .filter((g) => g.fires)
      .map((g) => ({
        labels: { ...rule.labels, ...g.labels },
        annotations: Object.fromEntries(Object.entries(rule.annotations ?? {}).map(([k, t]) => [k, renderTemplate(t, { labels: g.labels, value: g.value })])),
      }));
    return { name, groups, expected };
  };
  const firing = scenario("firing", spec.comparator === "gt" ? "clearly above" : "clearly below");
  const quiet = scenario("quiet", spec.comparator === "gt" ? "just below" : "just above");
  // The builders' own promise: the judged group alerts in FIRING, nothing alerts in QUIET.
  if (!firing.groups[0].fires || firing.groups.slice(1).some((g) => g.fires) || quiet.groups.some((g) => g.fires)) {
    throw new Error(`${spec.name}: the ${shape.kind} builder missed its placement: ${JSON.stringify([firing, quiet].map((s) => s.groups.map((g) => g.value)))}`);
  }

  const steps = Math.ceil(timeline.endSeconds / evalSeconds);
  const inputSeries = (s: Scenario) =>
    s.groups.flatMap((g) => g.series).map((x) => ({ series: seriesText(x), values: x.kind === "counter" ? `0+${x.perStep}x${steps}` : `${x.perStep}x${steps}` }));
  const entry = (t: number, alerts: readonly ExpectedAlert[]) => ({
    eval_time: duration(t),
    alertname: spec.name,
    exp_alerts: alerts.map((a) => ({ exp_labels: a.labels, exp_annotations: a.annotations })),
  });
  const summary = (s: Scenario) => s.groups.map((g) => `${Object.values(g.labels).join("/")} at ${formatG(g.value, 4)} (${g.how})`).join("; ");
  const op = spec.comparator === "gt" ? ">" : "<";
  const test = (s: Scenario, entries: ReturnType<typeof entry>[]) => ({
    name: `${spec.name} ${s.name}: ${summary(s)} (alerts when ${op} ${spec.threshold} for ${spec.for})`,
    interval: duration(evalSeconds),
    input_series: inputSeries(s),
    alert_rule_test: entries,
  });
  const quietExpectation = options.wrongExpectation ? firing.expected : [];
  const file = {
    rule_files: [options.ruleFile],
    evaluation_interval: duration(evalSeconds),
    tests: [
      test(firing, [
        ...range(0, timeline.quietUntilSeconds, evalSeconds).map((t) => entry(t, [])),
        ...[timeline.firingFromSeconds, timeline.firingFromSeconds + evalSeconds, timeline.endSeconds].map((t) => entry(t, firing.expected)),
      ]),
      test(quiet, range(0, timeline.endSeconds, evalSeconds).map((t) => entry(t, t === timeline.firingFromSeconds ? quietExpectation : []))),
    ],
  };
  return { alert: spec.name, shape, timeline, scenarios: [firing, quiet], file };
}
