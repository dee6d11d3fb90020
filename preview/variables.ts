/**
 * Dashboard variables resolved the way Grafana resolves them on a real Prometheus, so
 * panel queries can be sent with the values a user would see on load:
 *
 * - query variables run their query (`label_values(metric{...}, label)`, `label_values(label)`,
 *   `query_result(expr)`) after interpolating the variables they depend on, in dependency
 *   order; the variable's regex and sort apply; the current value stays selected when the
 *   query still offers it, otherwise the first option is taken ("All" when includeAll),
 *   as Grafana does (a dashboard saved with environment "dev" shows "test" here);
 * - custom, interval, constant, textbox and datasource variables take their current value
 *   (validation/'s representativeValue), or their first option when the current one is
 *   not offered. Datasource variables never reach a PromQL expression.
 *
 * validation/variables.ts gives representative values without a server (placeholders
 * for query variables); this module needs the server and gives real ones.
 */
import { DashboardModel, VariableModel } from "../dashboards/types";
import { ALL_VALUE, InterpolationContext, interpolate, referencedVariables, VariableValue } from "../lib/grafana-interpolate";
import { representativeValue } from "../validation";
import { asVector, Labels, PrometheusHandle } from "../lib/prometheus/server";

export interface ResolvedVariable {
  readonly name: string;
  readonly type: string;
  /** Query variables: the query as written, and as sent after interpolation. */
  readonly query?: string;
  readonly sentQuery?: string;
  /** The values offered (query results after regex and sort; custom options), "All" excluded. */
  readonly options: readonly string[];
  /** The selection Grafana makes on load. */
  readonly value: VariableValue;
  /** The selection as Grafana displays it ("All", "test", "a + b"). */
  readonly selected: string;
}

export interface ResolvedVariables {
  /** In resolution (dependency) order. */
  readonly list: readonly ResolvedVariable[];
  /** For interpolate(): every resolved variable plus Grafana's $__from/$__to/$__dashboard. */
  readonly values: Readonly<Record<string, VariableValue>>;
}

/** Variable types whose values never appear in a query expression. */
const NOT_SUBSTITUTED = new Set(["adhoc", "groupby"]);

function strings(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === "string");
  return [];
}

/** The query text of a query variable (a string, or the query editor's `{query: ...}` object). */
export function variableQueryText(v: VariableModel): string {
  if (typeof v.query === "string") return v.query;
  if (v.query && typeof v.query === "object" && typeof (v.query as { query?: unknown }).query === "string") {
    return (v.query as { query: string }).query;
  }
  return typeof v.definition === "string" ? v.definition : "";
}

/** Grafana's Prometheus variable query functions that this resolver supports. */
async function runVariableQuery(query: string, prometheus: PrometheusHandle): Promise<string[]> {
  const q = query.trim();
  const labelOnly = /^label_values\(\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*\)$/.exec(q);
  const withMetric = /^label_values\(([\s\S]+),\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*\)$/.exec(q);
  const queryResult = /^query_result\(([\s\S]+)\)$/.exec(q);
  if (labelOnly || withMetric) {
    const label = labelOnly ? labelOnly[1] : withMetric![2];
    const match = labelOnly ? `{${label}!=""}` : withMetric![1].trim();
    // Grafana asks the series (or label values) API with the selector as match[].
    const series = await prometheus.series(match);
    return [...new Set(series.map((s: Labels) => s[label]).filter((v): v is string => typeof v === "string" && v !== ""))];
  }
  if (queryResult) {
    // Each result as Grafana lists it: `name{labels} value timestamp_ms`.
    const result = asVector(await prometheus.query(queryResult[1]));
    return result.map(({ metric, value }) => {
      const { __name__: name = "", ...rest } = metric;
      const labels = Object.entries(rest).map(([k, v]) => `${k}="${v}"`).join(",");
      return `${name}{${labels}} ${value[1]} ${Math.round(value[0] * 1000)}`;
    });
  }
  throw new Error(`unsupported variable query ${JSON.stringify(query)} (supported: label_values(...), query_result(...))`);
}

/** Grafana's variable regex ("/pattern/flags"): keeps matching values, or the first capture group. */
function applyRegex(values: readonly string[], regex: unknown): string[] {
  if (typeof regex !== "string" || regex === "") return [...values];
  const m = /^\/(.*)\/([gimsuy]*)$/s.exec(regex);
  const re = m ? new RegExp(m[1], m[2].replace("g", "")) : new RegExp(regex);
  const out: string[] = [];
  for (const value of values) {
    const match = re.exec(value);
    if (!match) continue;
    const picked = match.groups?.value ?? match.groups?.text ?? (match.length > 1 ? match[1] : value);
    if (picked !== undefined && !out.includes(picked)) out.push(picked);
  }
  return out;
}

const natural = new Intl.Collator(undefined, { numeric: true });
const firstNumber = (s: string): number => Number(/-?\d+(?:\.\d+)?/.exec(s)?.[0] ?? NaN);

/** Grafana's VariableSort: 1/2 alphabetical, 3/4 numerical, 5/6 case-insensitive, 7/8 natural (odd: ascending). */
function applySort(values: readonly string[], sort: unknown): string[] {
  const code = typeof sort === "number" ? sort : 0;
  if (code <= 0) return [...values];
  const compare: Record<number, (a: string, b: string) => number> = {
    1: (a, b) => (a < b ? -1 : a > b ? 1 : 0),
    3: (a, b) => firstNumber(a) - firstNumber(b),
    5: (a, b) => a.toLowerCase().localeCompare(b.toLowerCase()),
    7: (a, b) => natural.compare(a, b),
  };
  const ascending = compare[code % 2 === 1 ? code : code - 1];
  if (!ascending) return [...values];
  const sorted = [...values].sort(ascending);
  return code % 2 === 0 ? sorted.reverse() : sorted;
}

function currentValues(v: VariableModel): string[] {
  const current = v.current;
  return current && typeof current === "object" ? strings((current as { value?: unknown }).value) : [];
}

/** Grafana's selection on load: the current value(s) still offered, else the first option ("All" first when includeAll). */
function select(v: VariableModel, options: readonly string[]): VariableValue {
  const multi = v.multi === true;
  const includeAll = v.includeAll === true;
  const allValue = typeof v.allValue === "string" && v.allValue !== "" ? v.allValue : undefined;
  const offered = [...(includeAll ? [ALL_VALUE] : []), ...options];
  const kept = currentValues(v).filter((c) => offered.includes(c));
  const chosen = kept.length > 0 ? (multi ? kept : kept.slice(0, 1)) : offered.slice(0, 1);
  // Nothing offered: Grafana selects an empty value (and the panels show "No data").
  const value = chosen.length === 0 ? "" : multi ? chosen : chosen[0];
  return { value, multi, includeAll, allValue, options };
}

function display(value: VariableValue): string {
  const values = typeof value.value === "string" ? [value.value] : [...value.value];
  return values.map((s) => (s === ALL_VALUE ? "All" : s)).join(" + ");
}

/** Other variables a variable depends on: referenced in its query, regex or datasource. */
function dependencies(v: VariableModel, declared: ReadonlySet<string>): string[] {
  const text = [variableQueryText(v), typeof v.regex === "string" ? v.regex : "", JSON.stringify(v.datasource ?? "")].join("\n");
  return referencedVariables(text).filter((n) => declared.has(n) && n !== v.name);
}

/** Resolves every variable of a dashboard against `prometheus`, dependencies first. */
export async function resolveVariables(
  model: DashboardModel,
  prometheus: PrometheusHandle,
  timing: Omit<InterpolationContext, "variables">,
  now: Date = new Date(),
): Promise<ResolvedVariables> {
  const raw = model.templating?.list;
  const declared = (Array.isArray(raw) ? raw : []).filter(
    (v): v is VariableModel & { name: string } => !!v && typeof v === "object" && typeof v.name === "string" && v.name !== "",
  );
  const names = new Set(declared.map((v) => v.name));
  const values: Record<string, VariableValue> = {
    __from: { value: String(now.getTime() - timing.rangeMs) },
    __to: { value: String(now.getTime()) },
    __dashboard: { value: typeof model.title === "string" ? model.title : "" },
  };
  const list: ResolvedVariable[] = [];
  const pending = [...declared];
  while (pending.length > 0) {
    const index = pending.findIndex((v) => dependencies(v, names).every((d) => d in values));
    if (index < 0) {
      throw new Error(`variables depend on each other in a cycle: ${pending.map((v) => `$${v.name} -> ${dependencies(v, names).map((d) => `$${d}`).join(", ")}`).join("; ")}`);
    }
    const [v] = pending.splice(index, 1);
    const type = typeof v.type === "string" ? v.type : "query";
    if (NOT_SUBSTITUTED.has(type)) continue;
    let resolved: ResolvedVariable;
    if (type === "query") {
      const query = variableQueryText(v);
      const sent = interpolate(query, { ...timing, variables: values }).expr;
      const options = applySort(applyRegex(await runVariableQuery(sent, prometheus), v.regex), v.sort);
      const value = select(v, options);
      resolved = { name: v.name, type, query, sentQuery: sent, options, value, selected: display(value) };
    } else {
      const representative = representativeValue(v);
      const options = [...(representative.options ?? [])];
      const chosen = typeof representative.value === "string" ? [representative.value] : [...representative.value];
      const offered = options.length === 0 || chosen.every((c) => c === ALL_VALUE || options.includes(c));
      const value = offered ? representative : { ...representative, value: representative.multi ? options.slice(0, 1) : options[0] };
      resolved = { name: v.name, type, options, value, selected: display(value) };
    }
    list.push(resolved);
    values[v.name] = resolved.value;
    if (type === "interval") values[`__auto_interval_${v.name}`] = resolved.value;
  }
  return { list, values };
}
