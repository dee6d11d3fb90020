/**
 * Just enough of Prometheus' alert templating to predict an alert's annotations, which
 * `promtool test rules` compares exactly: `{{ $labels.x }}`, `{{ $value }}`, the
 * humanize functions, written `fn $value` or `$value | fn`, `printf`, `with ... end` and
 * whitespace trimming. Anything else throws, so a new template construct shows up as an
 * explicit gap rather than a wrong expectation.
 * Number formatting follows Go's strconv 'g' format (checked against promtool in
 * alerts.test.ts).
 */

/** Go's strconv.FormatFloat(v, 'g', prec, 64); prec -1 is the shortest exact form (as `{{ $value }}` prints). */
export function formatG(v: number, prec: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (!Number.isFinite(v)) return v > 0 ? "+Inf" : "-Inf";
  if (v === 0) return Object.is(v, -0) ? "-0" : "0";
  const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(prec < 0 ? v.toExponential() : v.toExponential(prec - 1));
  if (!m) throw new Error(`cannot format ${v}`);
  const [, sign, first, rest = "", e] = m;
  const digits = `${first}${rest}`.replace(/0+$/, "") || "0";
  const exp = Number(e);
  let eprec = prec < 0 ? 6 : prec;
  if (prec >= 0 && eprec > digits.length && digits.length >= exp + 1) eprec = digits.length;
  if (exp < -4 || exp >= eprec) {
    const mantissa = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${mantissa}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
  }
  const [whole, fraction] = exp >= 0 ? [digits.slice(0, exp + 1).padEnd(exp + 1, "0"), digits.slice(exp + 1)] : ["0", `${"0".repeat(-exp - 1)}${digits}`];
  return `${sign}${whole}${fraction ? `.${fraction}` : ""}`;
}

const BIG = ["k", "M", "G", "T", "P", "E", "Z", "Y"];
const SMALL = ["m", "u", "n", "p", "f", "a", "z", "y"];

/** Scales into [1, 1000) with an SI prefix, as Prometheus' humanize does. */
function siScale(v: number): [number, string] {
  let prefix = "";
  if (Math.abs(v) >= 1) {
    for (const p of BIG) {
      if (Math.abs(v) < 1000) break;
      prefix = p;
      v /= 1000;
    }
  } else {
    for (const p of SMALL) {
      if (Math.abs(v) >= 1) break;
      prefix = p;
      v *= 1000;
    }
  }
  return [v, prefix];
}

export function humanize(v: number): string {
  if (v === 0 || !Number.isFinite(v)) return formatG(v, 4);
  const [scaled, prefix] = siScale(v);
  return `${formatG(scaled, 4)}${prefix}`;
}

export function humanizeDuration(v: number): string {
  if (!Number.isFinite(v)) return formatG(v, 4);
  if (v === 0) return `${formatG(v, 4)}s`;
  if (Math.abs(v) >= 1) {
    const sign = v < 0 ? "-" : "";
    const total = Math.trunc(Math.abs(v));
    const [days, hours, minutes, seconds] = [Math.trunc(total / 86_400), Math.trunc(total / 3600) % 24, Math.trunc(total / 60) % 60, total % 60];
    if (days !== 0) return `${sign}${days}d ${hours}h ${minutes}m ${seconds}s`;
    if (hours !== 0) return `${sign}${hours}h ${minutes}m ${seconds}s`;
    if (minutes !== 0) return `${sign}${minutes}m ${seconds}s`;
    return `${sign}${formatG(Math.abs(v), 4)}s`;
  }
  const [scaled, prefix] = siScale(v);
  return `${formatG(scaled, 4)}${prefix}s`;
}

export function humanizePercentage(v: number): string {
  return `${formatG(v * 100, 4)}%`;
}

const FUNCTIONS: Readonly<Record<string, (v: number) => string>> = { humanize, humanizeDuration, humanizePercentage };

export interface TemplateData {
  /** The alert's series labels (the expression's output labels). */
  readonly labels: Readonly<Record<string, string>>;
  /** The alert's value. */
  readonly value: number;
  /** Results of the `query` template function (Prometheus runs it at the alert's evaluation), by query text. */
  readonly queries?: ReadonlyMap<string, readonly QuerySample[]>;
}

export interface QuerySample {
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** A template calls `query` with a text whose result the caller has not supplied: run it and render again. */
export class QueryNeeded extends Error {
  constructor(readonly query: string) {
    super(`the template queries ${query}`);
  }
}

type Value = string | number | readonly QuerySample[] | QuerySample;

/** Go's fmt verbs Prometheus templates use on numbers: %.Nf, %N.Nf, %.Ng, %d, %s. */
function printf(format: string, v: string | number): string {
  return format.replace(/%(\d*)(?:\.(\d+))?([fgds%])/g, (_, width: string, precision: string | undefined, verb: string) => {
    if (verb === "%") return "%";
    if (verb === "s") return String(v);
    const n = typeof v === "number" ? v : Number(v);
    const out = verb === "f" ? n.toFixed(precision === undefined ? 6 : Number(precision)) : verb === "d" ? String(Math.trunc(n)) : formatG(n, precision === undefined ? -1 : Number(precision));
    return out.padStart(Number(width || 0));
  });
}

/** One argument: $value/.Value, $labels.x/.Labels.x, `.`, or a string literal. */
function argument(token: string, data: TemplateData, dot: Value): Value {
  const label = /^(?:\$labels|\.Labels)\.([a-zA-Z_][a-zA-Z0-9_]*)$/.exec(token);
  // Prometheus expands alert templates with missingkey=zero: a missing label is "".
  if (label) return data.labels[label[1]] ?? "";
  if (token === "$value" || token === ".Value") return data.value;
  if (token === ".") return dot;
  if (/^"(?:[^"\\]|\\.)*"$/.test(token)) return JSON.parse(token) as string;
  if (/^`[^`]*`$/.test(token)) return token.slice(1, -1);
  throw new Error(`unsupported template argument ${token}: extend tests/prometheus/support/go-template.ts`);
}

/** An action's words: string literals ("..." or `...`), `|`, and the rest split at spaces. */
const WORD = /"(?:[^"\\]|\\.)*"|`[^`]*`|\||[^\s|]+/g;

/** Prometheus' query functions on a `query` result: first sample, its value. */
function vectorFunction(fn: string, value: Value, data: TemplateData): Value | undefined {
  switch (fn) {
    case "query": {
      const result = data.queries?.get(String(value));
      if (!result) throw new QueryNeeded(String(value));
      return result;
    }
    case "first":
      if (!Array.isArray(value) || value.length === 0) throw new Error("first() called on vector with no elements");
      return (value as readonly QuerySample[])[0];
    case "value":
      return (value as QuerySample).value;
    default:
      return undefined;
  }
}

/** A pipeline: `arg`, `fn arg`, `printf "format" arg`, each optionally piped into functions. */
function pipeline(action: string, data: TemplateData, dot: Value): Value {
  const stages: string[][] = [[]];
  for (const word of action.match(WORD) ?? []) {
    if (word === "|") stages.push([]);
    else stages[stages.length - 1].push(word);
  }
  const words = stages[0];
  let value: Value;
  if (words[0] === "printf") value = printf(String(argument(words[1], data, dot)), argument(words[2], data, dot) as string | number);
  else if (words.length === 2 && FUNCTIONS[words[0]]) value = FUNCTIONS[words[0]](Number(argument(words[1], data, dot)));
  else if (words.length === 1) value = argument(words[0], data, dot);
  else throw new Error(`unsupported template action {{ ${action} }}: extend tests/prometheus/support/go-template.ts`);
  for (const [fn] of stages.slice(1)) {
    const vector = vectorFunction(fn, value, data);
    if (vector !== undefined) value = vector;
    else if (FUNCTIONS[fn]) value = FUNCTIONS[fn](Number(value));
    else throw new Error(`unsupported template function ${fn}: extend tests/prometheus/support/go-template.ts`);
  }
  return value;
}

const show = (v: Value): string => (typeof v === "number" ? formatG(v, -1) : typeof v === "string" ? v : JSON.stringify(v));

/**
 * Renders an annotation template as Prometheus would for one alert: text/template's
 * actions as the monitoring mixins use them (`{{ with $labels.x -}} ... {{ . }} {{- end }}`,
 * whitespace trimming, printf, the humanize functions).
 */
export function renderTemplate(template: string, data: TemplateData): string {
  const tokens = template.split(/(\{\{-?\s*[\s\S]*?\s*-?\}\})/);
  // Trim markers eat the whitespace of the neighbouring text.
  for (let i = 1; i < tokens.length; i += 2) {
    if (tokens[i].startsWith("{{-")) tokens[i - 1] = tokens[i - 1].replace(/\s+$/, "");
    if (tokens[i].endsWith("-}}")) tokens[i + 1] = tokens[i + 1].replace(/^\s+/, "");
  }
  let out = "";
  const stack: { readonly dot: Value; readonly shown: boolean }[] = [{ dot: "", shown: true }];
  tokens.forEach((token, i) => {
    const top = stack[stack.length - 1];
    if (i % 2 === 0) {
      if (top.shown) out += token;
      return;
    }
    const action = token.replace(/^\{\{-?\s*/, "").replace(/\s*-?\}\}$/, "");
    if (action === "end") {
      if (stack.length === 1) throw new Error(`{{ end }} without a block in ${template}`);
      stack.pop();
    } else if (action.startsWith("with ")) {
      const value = top.shown ? pipeline(action.slice(5), data, top.dot) : "";
      stack.push({ dot: value, shown: top.shown && value !== "" && value !== 0 });
    } else if (top.shown) out += show(pipeline(action, data, top.dot));
  });
  if (stack.length !== 1) throw new Error(`unclosed block in ${template}`);
  return out;
}
