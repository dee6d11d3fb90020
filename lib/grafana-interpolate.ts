/**
 * Grafana's template interpolation for Prometheus queries, reproduced so PromQL can be
 * parsed (validation/) and executed (tests against a real Prometheus) exactly as
 * Grafana would send it: built-in macros ($__rate_interval, $__interval, $__range ...)
 * and dashboard variables ($var, ${var}, ${var:format}, [[var]]).
 */

/** A variable's value at query time, with the flags that decide how Grafana formats it. */
export interface VariableValue {
  /** Selected value(s); "$__all" means "All". */
  readonly value: string | readonly string[];
  readonly multi?: boolean;
  readonly includeAll?: boolean;
  /** Value Grafana sends for "All" (e.g. ".*"); without it, every option is joined. */
  readonly allValue?: string;
  /** Every option of the variable (used for "All" without allValue). */
  readonly options?: readonly string[];
}

export interface InterpolationContext {
  readonly variables: Readonly<Record<string, VariableValue>>;
  /** $__interval in milliseconds (Grafana derives it from the time range and panel width). */
  readonly intervalMs: number;
  /** Width of the dashboard's time range in milliseconds ($__range). */
  readonly rangeMs: number;
  /** The datasource's scrape interval ("timeInterval") in seconds, for $__rate_interval. */
  readonly scrapeIntervalSeconds: number;
}

export interface Interpolated {
  readonly expr: string;
  /** Variables referenced but not defined: Grafana would send them literally. */
  readonly unknownVariables: string[];
}

export const ALL_VALUE = "$__all";

/** Grafana's secondsToHms-style duration: 90 -> "1m30s" is never produced; it picks one unit. */
export function formatDuration(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${Math.round(ms)}ms`;
}

function rateIntervalMs(ctx: InterpolationContext): number {
  const scrapeMs = ctx.scrapeIntervalSeconds * 1000;
  return Math.max(ctx.intervalMs + scrapeMs, 4 * scrapeMs);
}

const builtInsByTiming = new Map<string, Readonly<Record<string, string>>>();

/** The macros' values for a timing; the same few timings recur for every query, so they are kept. */
function builtIns(ctx: InterpolationContext): Readonly<Record<string, string>> {
  const key = `${ctx.intervalMs}|${ctx.rangeMs}|${ctx.scrapeIntervalSeconds}`;
  let macros = builtInsByTiming.get(key);
  if (!macros) {
    macros = computeBuiltIns(ctx);
    if (builtInsByTiming.size > 100) builtInsByTiming.clear();
    builtInsByTiming.set(key, macros);
  }
  return macros;
}

function computeBuiltIns(ctx: InterpolationContext): Record<string, string> {
  const rate = rateIntervalMs(ctx);
  return {
    __interval: formatDuration(ctx.intervalMs),
    __interval_ms: String(ctx.intervalMs),
    __rate_interval: formatDuration(rate),
    __rate_interval_ms: String(rate),
    __range: `${Math.round(ctx.rangeMs / 1000)}s`,
    __range_s: String(Math.round(ctx.rangeMs / 1000)),
    __range_ms: String(ctx.rangeMs),
  };
}

/** Escapes a value used inside a regex matcher (=~), as Grafana's Prometheus datasource does. */
function regexEscape(value: string): string {
  return value.replace(/[\\^$*+?.()|[\]{}]/g, "\\$&");
}

function selected(v: VariableValue): string[] {
  const values = typeof v.value === "string" ? [v.value] : [...v.value];
  if (values.includes(ALL_VALUE)) return [...(v.options ?? [])];
  return values;
}

function isAll(v: VariableValue): boolean {
  return (typeof v.value === "string" ? [v.value] : v.value).includes(ALL_VALUE);
}

/** Formats a variable as Grafana's Prometheus datasource does (format given by ${var:format}). */
export function formatVariable(v: VariableValue, format?: string): string {
  if (isAll(v) && v.allValue !== undefined && format === undefined) return v.allValue;
  const values = selected(v);
  switch (format) {
    case undefined:
    case "regex": {
      if (!v.multi && !v.includeAll && format === undefined) return values[0] ?? "";
      const escaped = values.map(regexEscape);
      return escaped.length === 1 ? escaped[0] : `(${escaped.join("|")})`;
    }
    case "pipe":
      return values.join("|");
    case "csv":
    case "raw":
    case "text":
      return values.join(",");
    case "json":
      return JSON.stringify(values.length === 1 ? values[0] : values);
    case "glob":
      return values.length === 1 ? values[0] : `{${values.join(",")}}`;
    case "singlequote":
      return values.map((s) => `'${s.replace(/'/g, "\\'")}'`).join(",");
    case "doublequote":
      return values.map((s) => `"${s.replace(/"/g, '\\"')}"`).join(",");
    case "queryparam":
      return values.map((s) => `var-${encodeURIComponent(s)}`).join("&");
    case "percentencode":
      return encodeURIComponent(values.join(","));
    default:
      return values.join(",");
  }
}

/** ${name}, ${name:format}, [[name]], [[name:format]], $name — Grafana's variable syntaxes. */
const VARIABLE = /\$\{(\w+)(?::(\w+))?\}|\[\[(\w+)(?::(\w+))?\]\]|\$(\w+)/g;

export function interpolate(expr: string, ctx: InterpolationContext): Interpolated {
  const macros = builtIns(ctx);
  const unknown = new Set<string>();
  const out = expr.replace(VARIABLE, (match, b1?: string, f1?: string, b2?: string, f2?: string, plain?: string) => {
    const name = b1 ?? b2 ?? plain ?? "";
    const format = f1 ?? f2;
    if (name in macros) return macros[name];
    const variable = ctx.variables[name];
    if (!variable) {
      unknown.add(name);
      return match;
    }
    return formatVariable(variable, format);
  });
  return { expr: out, unknownVariables: [...unknown] };
}

/** Names of every variable an expression references (built-in macros excluded). */
export function referencedVariables(text: string): string[] {
  const names = new Set<string>();
  for (const m of text.matchAll(VARIABLE)) {
    const name = m[1] ?? m[3] ?? m[5] ?? "";
    if (!name.startsWith("__")) names.add(name);
  }
  return [...names];
}
