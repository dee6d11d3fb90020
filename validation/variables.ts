/**
 * Dashboard variables for validation: which names a dashboard defines, and a
 * representative value for each so that queries can be interpolated (with
 * lib/grafana-interpolate.ts, as Grafana would) and then parsed as PromQL.
 */
import { ALL_VALUE, InterpolationContext, VariableValue, interpolate } from "../lib/grafana-interpolate";
import { DashboardModel, VariableModel } from "../dashboards/types";
import { PROMETHEUS_DATASOURCE, PROMETHEUS_SCRAPE_INTERVAL_SECONDS } from "../catalog/datasource";

/** Grafana's time macros, supplied by InterpolationContext. */
const TIME_MACROS = ["__interval", "__interval_ms", "__rate_interval", "__rate_interval_ms", "__range", "__range_s", "__range_ms"];

/** Grafana's other global variables, with a value of the right shape. */
const GLOBAL_VALUES: Readonly<Record<string, string>> = {
  __from: "1700000000000",
  __to: "1700021600000",
  __dashboard: "dashboard",
  __user: "admin",
  __org: "1",
  __name: "name",
  __timezone: "utc",
  __all: ".*",
  __auto: "1m",
};

/** Names (without `$`) of Grafana's built-in variables: fine to reference anywhere. */
export const BUILT_IN_VARIABLES: ReadonlySet<string> = new Set([...TIME_MACROS, ...Object.keys(GLOBAL_VALUES)]);

/** Representative timing: a 6 h range, 1 m interval, and the provisioned datasource's 30 s scrape interval. */
export const VALIDATION_TIMING = { intervalMs: 60_000, rangeMs: 6 * 3_600_000, scrapeIntervalSeconds: PROMETHEUS_SCRAPE_INTERVAL_SECONDS } as const;

export interface DashboardVariables {
  /** Declared name -> variable type ("query", "datasource", "custom", ...). */
  readonly types: ReadonlyMap<string, string>;
  /** Representative value per declared name (plus Grafana's globals). */
  readonly values: Readonly<Record<string, VariableValue>>;
}

function strings(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === "string");
  return [];
}

function optionValues(v: VariableModel): string[] {
  const options = Array.isArray(v.options) ? v.options : [];
  const values = options.flatMap((o) => (o && typeof o === "object" ? strings((o as { value?: unknown }).value) : []));
  if (values.length > 0) return values.filter((s) => s !== ALL_VALUE);
  if (v.type === "custom" && typeof v.query === "string") {
    // "a,b,c" or "text : value, ...", commas escaped as "\,".
    return (v.query.match(/(?:\\,|[^,])+/g) ?? []).map((item) => {
      const pair = /^\s*(.+?)\s+:\s+(.+?)\s*$/.exec(item);
      return (pair ? pair[2] : item.trim()).replace(/\\,/g, ",");
    });
  }
  return [];
}

function currentValues(v: VariableModel): string[] {
  const current = v.current;
  return current && typeof current === "object" ? strings((current as { value?: unknown }).value) : [];
}

/**
 * The value a variable has when the dashboard loads: its current value, else its first
 * option, else a placeholder of the right shape; "All" stays "All" (with ".*" standing
 * in for the options a query variable would load).
 */
export function representativeValue(v: VariableModel): VariableValue {
  const options = optionValues(v);
  const current = currentValues(v);
  const flags = { multi: v.multi === true, includeAll: v.includeAll === true };
  if (current.includes(ALL_VALUE) || (current.length === 0 && flags.includeAll && options.length === 0)) {
    const allValue = typeof v.allValue === "string" && v.allValue !== "" ? v.allValue : options.length > 0 ? undefined : ".*";
    return { value: ALL_VALUE, ...flags, includeAll: true, allValue, options };
  }
  let value = current.length > 0 ? current : options.slice(0, 1);
  if (value.length === 0) {
    if (v.type === "datasource") value = [PROMETHEUS_DATASOURCE.uid];
    else if ((v.type === "constant" || v.type === "textbox") && typeof v.query === "string") value = [v.query];
    else if (v.type === "interval") value = ["1m"];
    else value = ["value"];
  }
  if (v.type === "interval") value = value.map((s) => (s === "auto" || s.startsWith("$__auto") ? "1m" : s));
  if (v.type === "datasource") value = value.map((s) => (s === "default" || s === "" ? PROMETHEUS_DATASOURCE.uid : s));
  return { value: flags.multi ? value : value[0], ...flags, options };
}

/** The variables a dashboard declares (templating.list), with representative values. */
export function dashboardVariables(model: DashboardModel): DashboardVariables {
  const types = new Map<string, string>();
  const values: Record<string, VariableValue> = {};
  for (const [name, value] of Object.entries(GLOBAL_VALUES)) values[name] = { value };
  const list = model.templating?.list;
  for (const v of Array.isArray(list) ? list : []) {
    if (!v || typeof v !== "object" || typeof v.name !== "string" || v.name === "") continue;
    types.set(v.name, typeof v.type === "string" ? v.type : "query");
    values[v.name] = representativeValue(v);
    if (v.type === "interval") values[`__auto_interval_${v.name}`] = { value: "1m" };
  }
  return { types, values };
}

/** Alert rules have no dashboard variables: only Grafana's globals. */
export const NO_VARIABLES: DashboardVariables = dashboardVariables({});

export interface ValidationInterpolation {
  /** The text Grafana would send. */
  readonly expr: string;
  /** `$name` references to variables that are not defined (not built-ins). */
  readonly undefinedVariables: readonly string[];
  /** `$__name` references that are not Grafana built-ins. */
  readonly unknownBuiltIns: readonly string[];
}

/** Interpolates a query with representative values; reports names it could not resolve. */
export function interpolateForValidation(
  text: string,
  variables: DashboardVariables,
  timing: Omit<InterpolationContext, "variables"> = VALIDATION_TIMING,
): ValidationInterpolation {
  const result = interpolate(text, { ...timing, variables: variables.values });
  // "$1" in label_replace() replacements is a regex group, not a variable.
  const unknown = result.unknownVariables.filter((n) => !/^\d+$/.test(n));
  return {
    expr: result.expr,
    undefinedVariables: unknown.filter((n) => !n.startsWith("__")),
    unknownBuiltIns: unknown.filter((n) => n.startsWith("__")),
  };
}
