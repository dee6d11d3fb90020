/**
 * Input series under which an arbitrary Prometheus alerting rule fires, found by search
 * with promtool itself as the oracle (no PromQL evaluator of our own): the expression's
 * selectors (through the recording rules it reads) are turned into input series whose
 * labels satisfy every matcher and share one value per label name (so joins on
 * namespace, pod, cluster... match), and whose values follow a few shapes (constant,
 * growing counter, falling gauge, flapping, absent, two replicas). Candidates are tried in
 * one promtool run per alert (`promql_expr_test`s expecting nothing: promtool prints what
 * it got); the first under which the expression returns series is kept, with those series.
 */
import { createRng } from "../../../workload/random";
import { matches, Matcher } from "./alert-shapes";
import { groupingLabelNames, LabelMatcherInfo, vectorSelectors } from "../../../validation/promql";

export interface RecordingRuleText {
  readonly record: string;
  readonly expr: string;
  readonly labels?: Record<string, string>;
}

/** The recording rules an expression reads, transitively, in an order that evaluates each after what it reads. */
export function recordingDependencies(expr: string, byRecord: ReadonlyMap<string, readonly RecordingRuleText[]>): RecordingRuleText[] {
  const ordered: RecordingRuleText[] = [];
  const seen = new Set<string>();
  const visit = (text: string): void => {
    for (const s of vectorSelectors(text)) {
      const metric = s.metric;
      if (!metric || seen.has(metric) || !byRecord.has(metric)) continue;
      seen.add(metric);
      for (const rule of byRecord.get(metric)!) visit(rule.expr);
      ordered.push(...byRecord.get(metric)!);
    }
  };
  visit(expr);
  return ordered;
}

type Pattern =
  | { readonly kind: "const"; readonly value: number }
  | { readonly kind: "inc"; readonly step: number }
  | { readonly kind: "dec"; readonly from: number; readonly step: number }
  | { readonly kind: "flap" }
  | { readonly kind: "absent" };

/** One selector's series in a candidate: a pattern, and a second replica with another pattern. */
interface Choice {
  readonly pattern: Pattern;
  readonly replica?: Pattern;
  /** Labels the replica differs in (default: instance and pod, another pod of the same workload). */
  readonly replicaVaries?: ReadonlySet<string>;
  /** Histogram buckets: the lowest finite bucket stays empty (a high quantile), else all buckets fill alike. */
  readonly highQuantile?: boolean;
}

export interface InputSeries {
  readonly series: string;
  readonly values: string;
}

const CONSTANTS = [0, 1, 2, 3, 10, 19, 20, 100, 1e9, -1e9];
const PATTERNS: readonly Pattern[] = [
  { kind: "inc", step: 1 },
  { kind: "const", value: 1 },
  { kind: "const", value: 0 },
  { kind: "inc", step: 1000 },
  { kind: "dec", from: 1e9, step: 1e6 },
  { kind: "dec", from: 100, step: 0.1 },
  { kind: "flap" },
  ...CONSTANTS.filter((v) => v !== 0 && v !== 1).map((value) => ({ kind: "const", value }) as const),
  { kind: "inc", step: 0.1 },
];

/** The patterns combined exhaustively (with a few of the expression's thresholds) when an alert reads few series. */
const SMALL_POOL: readonly Pattern[] = [
  { kind: "inc", step: 1 },
  { kind: "const", value: 0 },
  { kind: "const", value: 1 },
  { kind: "const", value: 1e9 },
  { kind: "dec", from: 100, step: 0.1 },
  { kind: "flap" },
  { kind: "absent" },
];

function values(p: Pattern, steps: number): string | undefined {
  switch (p.kind) {
    case "const":
      return `${p.value}x${steps}`;
    case "inc":
      return `0+${p.step}x${steps}`;
    case "dec":
      return `${p.from}-${p.step}x${steps}`;
    case "flap":
      return Array.from({ length: steps + 1 }, (_, i) => String(i % 2)).join(" ");
    case "absent":
      return undefined;
  }
}

/** Labels of the scraped Kubernetes series the mixins' rules read (target labels of the Prometheus Operator's scrapes). */
const COMMON_LABELS = ["cluster", "namespace", "pod", "container", "instance", "job", "node", "service"];

const GENERIC = ["x", "0", "1", "cpu", "memory", "true", "false", "Running", "default", "/"];

/** A value for `m` (other than `avoid` when possible), or undefined when no value satisfies it. */
function satisfy(m: LabelMatcherInfo, preferred: string): string | undefined {
  if (m.op === "=") return m.value;
  const asMatcher: Matcher = { label: m.label, op: m.op, value: m.value };
  const candidates = [preferred, ...m.value.split("|").map((v) => v.replace(/[()^$]/g, "").replace(/\.\*/g, "").replace(/\.\+/g, "x").replace(/\\(.)/g, "$1")), ...GENERIC, ""];
  return candidates.find((c) => matches(asMatcher, c));
}

const quoteLabel = (v: string) => JSON.stringify(v);

/** Labels a replica of a series changes when it stays in the same place (another pod of the same workload). */
const REPLICA_LABELS = new Set(["instance", "pod"]);

/**
 * Label set of a selector's series (undefined when a matcher cannot be satisfied): the
 * universe's value of every label all series carry, suffixed per candidate when several
 * candidates share one test (batched search) and per replica, then the selector's matchers.
 */
function seriesLabels(metric: string, matchers: readonly LabelMatcherInfo[], universe: ReadonlyMap<string, string>, replica: number, tag = "", varies: ReadonlySet<string> = REPLICA_LABELS): Record<string, string> | undefined {
  const labels: Record<string, string> = {};
  for (const [name, value] of universe) labels[name] = `${value}${tag}${replica > 0 && varies.has(name) ? `-r${replica + 1}` : ""}`;
  for (const m of matchers) {
    const v = satisfy(m, labels[m.label] ?? `${m.label}-1${tag}`);
    if (v === undefined) return undefined;
    if (v === "") delete labels[m.label];
    else labels[m.label] = v;
  }
  labels.__name__ = metric;
  return labels;
}

function seriesText(labels: Record<string, string>): string {
  const { __name__: name, ...rest } = labels;
  return `${name}{${Object.entries(rest)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, v]) => `${k}=${quoteLabel(v)}`)
    .join(", ")}}`;
}

/** A selector of the raw (not recorded) series an alert reads. */
interface RawSelector {
  readonly metric: string;
  readonly matchers: readonly LabelMatcherInfo[];
}

export interface AlertInputs {
  /** The raw selectors, and whether each can match any series at all. */
  readonly selectors: readonly (RawSelector & { readonly satisfiable: boolean })[];
  /** Input series of candidate `i` for `steps` evaluation steps. */
  candidate(i: number, steps: number): InputSeries[];
  /**
   * The series of candidates [from, to) at once, each candidate's label values tagged "-c<i>":
   * one promtool test tries them all, and `attribute` tells which candidate a result
   * series came from (when the expression keeps a tagged label).
   */
  batch(from: number, to: number, steps: number): InputSeries[];
  readonly count: number;
}

/** The candidate a result series of a batched test came from, by the tag of its label values. */
export function attribute(sample: Sample): number | undefined {
  for (const v of Object.values(sample.labels)) {
    const m = /-c(\d+)(?:-r\d+)?$/.exec(v);
    if (m) return Number(m[1]);
  }
  return undefined;
}

/** Numbers an expression compares with (thresholds), and values around them: inputs near a threshold. */
function thresholdValues(texts: readonly string[]): number[] {
  const found = new Set<number>();
  for (const t of texts) {
    for (const m of t.replace(/\[[^\]]*\]/g, "").matchAll(/(?<![\w.])(\d+(?:\.\d+)?(?:e[+-]?\d+)?)(?![\w.])/gi)) {
      const n = Number(m[1]);
      if (Number.isFinite(n) && n !== 0) for (const v of [n, n * 2, n / 2, n + 1, n - 1, -n]) found.add(Number(v.toPrecision(6)));
    }
  }
  return [...found];
}

/** Candidate inputs for an alert expression that reads `dependencies` (recording rules). */
export function alertInputs(expr: string, dependencies: readonly RecordingRuleText[], count = 2400): AlertInputs {
  const recorded = new Set(dependencies.map((d) => d.record));
  const texts = [expr, ...dependencies.map((d) => d.expr)];
  const seen = new Set<string>();
  const raw: RawSelector[] = [];
  for (const text of texts) {
    for (const s of vectorSelectors(text)) {
      if (!s.metric || recorded.has(s.metric)) continue;
      const key = `${s.metric}${JSON.stringify(s.matchers)}`;
      if (seen.has(key)) continue;
      seen.add(key);
      raw.push({ metric: s.metric, matchers: s.matchers });
    }
  }
  // Every series carries the labels scraped Kubernetes series have and those the expression
  // groups or matches on (results keep them: tagged, in a batch). A label a selector's
  // matcher names is that selector's only: other series must not carry, say, `mode`.
  const names = new Set([...COMMON_LABELS, ...texts.flatMap((t) => groupingLabelNames(t))].filter((n) => n !== "le" && n !== "__name__"));
  // Values selectors ask for (job="node-exporter", status_code=~"5.." on a recorded series)
  // are the universe's, so series the expression joins agree, and raw series lead to them.
  const wanted = new Map<string, LabelMatcherInfo>();
  for (const t of texts) for (const sel of vectorSelectors(t)) for (const m of sel.matchers) if ((m.op === "=" || m.op === "=~") && !wanted.has(m.label)) wanted.set(m.label, m);
  const universe = new Map([...names].sort().map((n) => [n, (wanted.has(n) ? satisfy(wanted.get(n)!, `${n}-1`) : undefined) ?? `${n}-1`]));
  const selectors = raw.map((s) => ({ ...s, satisfiable: seriesLabels(s.metric, s.matchers, universe, 0) !== undefined }));

  const patterns: Pattern[] = [...PATTERNS, ...thresholdValues(texts).map((value) => ({ kind: "const", value }) as const)];
  // Deterministic (a seed from the rule): the candidates are the same every run.
  const next = createRng(raw.length * 7919 + expr.length);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)];
  const withReplica = (shape: Choice): Choice => {
    // Another pod of the workload, or a replica differing in some other labels too (another version, another cluster).
    const varies = next() < 0.5 ? REPLICA_LABELS : new Set([...universe.keys()].filter(() => next() < 0.5));
    return { ...shape, replica: pick(patterns), replicaVaries: varies };
  };
  // First every selector alike (each pattern, then none at all: absent()), ...
  const choices: Choice[][] = [...PATTERNS, { kind: "absent" } as const].map((p) => raw.map(() => ({ pattern: p })));
  // ... then every combination of a small pool when there are few selectors (a condition on
  // each of them: free space falling, size large, read-only flag 0), else random ones; a
  // quarter of them with a replica, half the histograms with an empty low bucket.
  const pool: Pattern[] = [...SMALL_POOL, ...thresholdValues(texts).slice(0, 6).map((value) => ({ kind: "const", value }) as const)];
  const combinations = pool.length ** raw.length;
  const exhaustive = raw.length > 0 && combinations <= count;
  if (exhaustive) {
    for (let c = 0; c < combinations; c++) choices.push(raw.map((_, k) => ({ pattern: pool[Math.floor(c / pool.length ** k) % pool.length], highQuantile: (c & 1) === 0 })));
  }
  const total = choices.length + (exhaustive ? count / 2 : count);
  while (choices.length < total) {
    choices.push(
      raw.map(() => {
        const shape: Choice = { pattern: next() < 0.12 ? { kind: "absent" } : pick(patterns), highQuantile: next() < 0.5 };
        return next() < 0.25 ? withReplica(shape) : shape;
      }),
    );
  }
  const seriesOf = (i: number, steps: number, tag: string): InputSeries[] => {
    const out: InputSeries[] = [];
    raw.forEach((s, k) => {
      const choice = choices[i][k];
      [choice.pattern, ...(choice.replica ? [choice.replica] : [])].forEach((p, replica) => {
        const v = values(p, steps);
        const labels = seriesLabels(s.metric, s.matchers, universe, replica, tag, choice.replicaVaries);
        if (v === undefined || labels === undefined) return;
        if (!s.metric.endsWith("_bucket") || s.matchers.some((m) => m.label === "le")) {
          out.push({ series: seriesText(labels), values: v });
          return;
        }
        // Histogram buckets 1, 100 and +Inf: all alike (quantiles near 1), or the first empty (near 100).
        for (const le of ["1", "100", "+Inf"]) out.push({ series: seriesText({ ...labels, le }), values: le === "1" && choice.highQuantile ? values({ kind: "const", value: 0 }, steps)! : v });
      });
    });
    return out;
  };

  return {
    selectors,
    count: choices.length,
    candidate: (i, steps) => seriesOf(i, steps, ""),
    batch: (from, to, steps) => choices.slice(from, to).flatMap((_, j) => seriesOf(from + j, steps, `-c${from + j}`)),
  };
}

// ---- promtool output ------------------------------------------------------------------------

export interface Sample {
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** `{a="x", b="y"} 1E+00, {c="z"} NaN` (promtool's "got:") as samples. */
export function parseSamples(text: string): Sample[] {
  const out: Sample[] = [];
  let i = 0;
  const s = text.trim();
  while (i < s.length) {
    if (s[i] !== "{") throw new Error(`cannot read samples at ${JSON.stringify(s.slice(i))}`);
    i++;
    const labels: Record<string, string> = {};
    while (s[i] !== "}") {
      const eq = s.indexOf("=", i);
      const name = s.slice(i, eq).trim();
      let j = eq + 2;
      let value = "";
      for (; s[j] !== '"'; j++) {
        if (s[j] === "\\") j++;
        value += s[j];
      }
      labels[name] = value;
      i = j + 1;
      if (s[i] === ",") i += 2;
    }
    i += 2;
    const end = s.indexOf(", {", i);
    const token = s.slice(i, end < 0 ? s.length : end).trim();
    out.push({ labels, value: /^[+-]?Inf$/.test(token) ? (token.startsWith("-") ? -Infinity : Infinity) : Number(token) });
    i = end < 0 ? s.length : end + 2;
  }
  return out;
}

/** What a `promql_expr_test` expecting nothing got, by the marker comment at the end of its expression. */
export function gotByMarker(output: string): Map<string, Sample[]> {
  const found = new Map<string, Sample[]>();
  const re = /expr: "((?:[^"\\]|\\.)*)", time: [^,\n]+,\n\s+exp: nil\n\s+got: ([^\n]*)/g;
  for (const m of output.matchAll(re)) {
    const marker = /# (cand-[\w-]+)\\n$/.exec(m[1]);
    if (marker) found.set(marker[1], parseSamples(m[2]));
  }
  return found;
}
