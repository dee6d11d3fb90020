/**
 * Just enough of Prometheus' alert templating to predict an alert's annotations, which
 * `promtool test rules` compares exactly: `{{ $labels.x }}`, `{{ $value }}`, the
 * humanize functions, written `fn $value` or `$value | fn`, and `printf "%.Nf" $value`. Anything else throws, so a
 * new template construct shows up as an explicit gap rather than a wrong expectation.
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
}

function evaluate(action: string, data: TemplateData): string {
  const label = /^(?:\$labels|\.Labels)\.([a-zA-Z_][a-zA-Z0-9_]*)$/.exec(action);
  // Go prints a missing map key as "<no value>".
  if (label) return data.labels[label[1]] ?? "<no value>";
  if (action === "$value" || action === ".Value") return formatG(data.value, -1);
  // Go's printf with a fixed-point verb, e.g. printf "%.2f" $value.
  const fixed = /^printf\s+"%\.(\d+)f"\s+(?:\$value|\.Value)$/.exec(action);
  if (fixed) return data.value.toFixed(Number(fixed[1]));
  const call = /^(\w+)\s+(?:\$value|\.Value)$/.exec(action) ?? /^(?:\$value|\.Value)\s*\|\s*(\w+)$/.exec(action);
  if (call && FUNCTIONS[call[1]]) return FUNCTIONS[call[1]](data.value);
  throw new Error(`unsupported template action {{ ${action} }}: extend tests/prometheus/support/go-template.ts`);
}

/** Renders an annotation template as Prometheus would for one alert. */
export function renderTemplate(template: string, data: TemplateData): string {
  return template.replace(/\{\{(-?)\s*([\s\S]*?)\s*(-?)\}\}/g, (_, left: string, action: string, right: string) => {
    if (left || right) throw new Error(`unsupported whitespace trimming in {{${left} ${action} ${right}}}`);
    return evaluate(action, data);
  });
}
