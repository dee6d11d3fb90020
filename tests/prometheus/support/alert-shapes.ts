/**
 * Recognising an alert expression's shape (those alert-tests.ts has builders for) and
 * inventing label values its selectors accept.
 */
import { ALL_METRICS, histogramSeries, MetricSpec } from "../../../catalog/metrics";
import { parsePrometheusDuration } from "../../../validation";

export type Labels = Record<string, string>;

export interface Matcher {
  readonly label: string;
  readonly op: "=" | "!=" | "=~" | "!~";
  readonly value: string;
}

export interface Selector {
  readonly metric: string;
  readonly matchers: readonly Matcher[];
}

export type AlertShape =
  | {
      readonly kind: "counter ratio";
      readonly scale: number;
      readonly by: readonly string[];
      readonly numerator: Selector;
      readonly denominator: Selector;
      readonly windowSeconds: number;
    }
  | {
      readonly kind: "histogram quantile";
      readonly quantile: number;
      /** Grouping labels, `le` excluded. */
      readonly by: readonly string[];
      readonly buckets: Selector;
      /** The catalog's bucket upper bounds (+Inf excluded). */
      readonly bounds: readonly number[];
      readonly windowSeconds: number;
    }
  | {
      readonly kind: "counter rate";
      readonly scale: number;
      readonly by: readonly string[];
      readonly counter: Selector;
      readonly windowSeconds: number;
    }
  | {
      readonly kind: "gauge";
      readonly aggregation: "max" | "min" | "sum" | "avg";
      readonly by: readonly string[];
      readonly gauge: Selector;
    };

// ---- recognising the expression ---------------------------------------------------------

const SELECTOR = String.raw`([a-zA-Z_:][a-zA-Z0-9_:]*)\{([^}]*)\}`;
const BY = String.raw`by\s*\(([^)]*)\)`;
const RATE = String.raw`rate\(\s*${SELECTOR}\[(\w+)\]\s*\)`;
const NUMBER = String.raw`(\d+(?:\.\d+)?)`;
const RATIO = new RegExp(String.raw`^(?:${NUMBER}\s*\*\s*)?sum\s*${BY}\s*\(\s*${RATE}\s*\)\s*/\s*sum\s*${BY}\s*\(\s*${RATE}\s*\)$`);
const QUANTILE = new RegExp(String.raw`^histogram_quantile\(\s*${NUMBER}\s*,\s*sum\s*${BY}\s*\(\s*${RATE}\s*\)\s*\)$`);
const RATE_SUM = new RegExp(String.raw`^(?:${NUMBER}\s*\*\s*)?sum\s*(?:${BY})?\s*\(\s*${RATE}\s*\)$`);
const GAUGE = new RegExp(String.raw`^(max|min|sum|avg)\s*${BY}\s*\(\s*${SELECTOR}\s*\)$`);

function parseMatchers(text: string): Matcher[] {
  const matchers: Matcher[] = [];
  const re = /\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"\s*(?:,|$)/y;
  while (re.lastIndex < text.length) {
    const start = re.lastIndex;
    const m = re.exec(text);
    if (!m) throw new Error(`cannot read label matchers at ${JSON.stringify(text.slice(start))}`);
    matchers.push({ label: m[1], op: m[2] as Matcher["op"], value: JSON.parse(`"${m[3]}"`) as string });
  }
  return matchers;
}

const selector = (metric: string, matchers: string): Selector => ({ metric, matchers: parseMatchers(matchers) });
const labelList = (text: string): string[] => text.split(",").map((s) => s.trim()).filter(Boolean);

export function seconds(duration: string): number {
  const ms = parsePrometheusDuration(duration);
  if (ms === undefined) throw new Error(`not a duration: ${duration}`);
  return ms / 1000;
}

function catalogMetric(name: string): MetricSpec | undefined {
  return ALL_METRICS.find((m) => m.name === name || (m.kind === "histogram" && histogramSeries(m as MetricSpec & { kind: "histogram" }).bucket === name));
}

/** The shape of an alert expression; throws for an expression no builder covers. */
export function alertShape(expr: string): AlertShape {
  const text = expr.trim();
  const ratio = RATIO.exec(text);
  if (ratio) {
    const [, scale, by, numMetric, numMatchers, numWindow, denBy, denMetric, denMatchers, denWindow] = ratio;
    if (labelList(by).join() !== labelList(denBy).join()) throw new Error(`ratio with different grouping: ${expr}`);
    if (numWindow !== denWindow) throw new Error(`ratio with different windows: ${expr}`);
    return {
      kind: "counter ratio",
      scale: scale === undefined ? 1 : Number(scale),
      by: labelList(by),
      numerator: selector(numMetric, numMatchers),
      denominator: selector(denMetric, denMatchers),
      windowSeconds: seconds(numWindow),
    };
  }
  const quantile = QUANTILE.exec(text);
  if (quantile) {
    const [, q, by, metric, matchers, window] = quantile;
    const spec = catalogMetric(metric);
    if (!spec || spec.kind !== "histogram" || !spec.buckets) throw new Error(`${metric} is not a catalog histogram's bucket series`);
    if (!labelList(by).includes("le")) throw new Error(`histogram_quantile without le in the grouping: ${expr}`);
    return {
      kind: "histogram quantile",
      quantile: Number(q),
      by: labelList(by).filter((l) => l !== "le"),
      buckets: selector(metric, matchers),
      bounds: [...spec.buckets],
      windowSeconds: seconds(window),
    };
  }
  const rate = RATE_SUM.exec(text);
  if (rate) {
    const [, scale, by = "", metric, matchers, window] = rate;
    const spec = catalogMetric(metric);
    if (spec && spec.kind !== "counter") throw new Error(`${metric} is a ${spec.kind}, not a counter: ${expr}`);
    return { kind: "counter rate", scale: scale === undefined ? 1 : Number(scale), by: labelList(by), counter: selector(metric, matchers), windowSeconds: seconds(window) };
  }
  const gauge = GAUGE.exec(text);
  if (gauge) {
    const [, aggregation, by, metric, matchers] = gauge;
    const spec = catalogMetric(metric);
    if (spec && spec.kind !== "gauge") throw new Error(`${metric} is a ${spec.kind}, not a gauge: ${expr}`);
    return { kind: "gauge", aggregation: aggregation as "max", by: labelList(by), gauge: selector(metric, matchers) };
  }
  throw new Error(
    `no unit-test builder for this alert expression shape (counter ratio, histogram quantile, counter rate, gauge): ${expr}; ` +
      "add a shape in tests/prometheus/support/alert-shapes.ts and its builder in alert-tests.ts",
  );
}

/** The selector whose series carry the grouping labels (the numerator's, for a ratio). */
export function groupingSelector(shape: AlertShape): Selector {
  switch (shape.kind) {
    case "counter ratio":
      return shape.numerator;
    case "histogram quantile":
      return shape.buckets;
    case "counter rate":
      return shape.counter;
    case "gauge":
      return shape.gauge;
  }
}

// ---- label values -----------------------------------------------------------------------

export function matches(m: Matcher, value: string): boolean {
  switch (m.op) {
    case "=":
      return value === m.value;
    case "!=":
      return value !== m.value;
    case "=~":
      return new RegExp(`^(?:${m.value})$`).test(value);
    case "!~":
      return !new RegExp(`^(?:${m.value})$`).test(value);
  }
}

export const selects = (sel: Selector, labels: Labels): boolean => sel.matchers.every((m) => matches(m, labels[m.label] ?? ""));

export const CANDIDATES = ["500", "200", "ok", "other", "x", "0", "1"];

/** A concrete value for a regex matcher (`5..` -> "500"). */
function regexExample(m: Matcher): string {
  const simplified = m.value
    .split("|")[0]
    .replace(/\.\*/g, "")
    .replace(/\.\+/g, "x")
    .replace(/\\d/g, "0")
    .replace(/\[(\\?.)[^\]]*\]/g, "$1")
    .replace(/\./g, "0")
    .replace(/[()^$?*+]/g, "")
    .replace(/\\(.)/g, "$1");
  const found = [simplified, ...CANDIDATES].find((c) => matches(m, c));
  if (found === undefined) throw new Error(`cannot invent a value for ${m.label}${m.op}"${m.value}"`);
  return found;
}

/** Labels a series needs to be selected by `sel`. */
export function selectedLabels(sel: Selector): Labels {
  const labels: Labels = {};
  for (const m of sel.matchers) {
    if (m.op === "=") labels[m.label] = m.value;
    else if (m.op === "=~") labels[m.label] = regexExample(m);
    else if (matches(m, "")) continue; // an absent label satisfies it
    else throw new Error(`cannot satisfy ${m.label}${m.op}"${m.value}" with an absent label`);
  }
  return labels;
}

/** Grouping labels of group `index`: the selector's fixed value, else an invented one per group. */
export function groupLabels(by: readonly string[], sel: Selector, index: number): Labels {
  const fixed = selectedLabels(sel);
  return Object.fromEntries(by.map((l) => [l, fixed[l] ?? `${l}-${String.fromCharCode(97 + index)}`]));
}
