/**
 * Durations, in the two dialects this project reads.
 *
 * Rule durations (a rule's `for`, the stack's alertFor* keys, drop-in and imported rules)
 * travel: text -> the Grafana provider -> Grafana. What arrives intact is decided here:
 *  - The provider (terraform-provider-grafana >= 1.43, under @pulumiverse/grafana) parses
 *    `for` with go-openapi/strfmt's ParseDuration (internal/resources/grafana/
 *    resource_alerting_rule_group.go), which tries Go's time.ParseDuration first (units ns,
 *    us, µs, ms, s, m, h; decimals; sign) and else reads day and week terms. Years are not a
 *    unit there. How it reads several terms around a day or week ("1d12h") changed between
 *    strfmt releases (v0.26, which provider v4.44 uses, keeps only the first term: 24h), and
 *    spellings such as "10 minutes" depend on the release too: they are refused here with
 *    the canonical spelling as the fix. No duration is refused, only spellings the provider
 *    reads differently from release to release.
 *  - The provider sends Go's time.Duration.String() ("36h0m0s", "1.5s") and Grafana parses it
 *    as a Prometheus duration (prometheus/common model.Duration: whole numbers only), and
 *    refuses a negative `for` (pkg/services/ngalert/models/alert_rule.go). So a rule duration
 *    is whole seconds, or whole milliseconds below one second, and not negative.
 * tests/unit/durations.test.ts checks this parser against that chain, run for real in Go
 * (tests/go/duration-oracle).
 *
 * Prometheus durations (PromQL range windows, rule-file `for` and `interval`): units y w d h
 * m s ms, largest first, each once (prometheus/common model.ParseDuration).
 */

const NS: Readonly<Record<string, bigint>> = {
  ns: 1n,
  us: 1_000n,
  "µs": 1_000n, // U+00B5 micro sign
  "μs": 1_000n, // U+03BC Greek small letter mu
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};
const DAY_NS = 24n * NS.h;
const WEEK_NS = 7n * DAY_NS;
const LIMIT = 1n << 63n;
const MAX_NS = LIMIT - 1n;
const SECOND_NS = NS.s;
const MILLI_NS = NS.ms;

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= "0" && c <= "9";

/** Go's time.ParseDuration (src/time/format.go), step for step: nanoseconds, or undefined. */
export function goParseDuration(orig: string): bigint | undefined {
  let s = orig;
  let d = 0n;
  let neg = false;
  if (s !== "" && (s[0] === "-" || s[0] === "+")) {
    neg = s[0] === "-";
    s = s.slice(1);
  }
  if (s === "0") return 0n;
  if (s === "") return undefined;
  while (s !== "") {
    if (!(s[0] === "." || isDigit(s[0]))) return undefined;
    // Integer part: overflow beyond 1<<63 is an error.
    let v = 0n;
    let i = 0;
    for (; i < s.length && isDigit(s[i]); i++) {
      if (v > LIMIT / 10n) return undefined;
      v = v * 10n + BigInt(s.charCodeAt(i) - 48);
      if (v > LIMIT) return undefined;
    }
    const pre = i > 0;
    s = s.slice(i);
    // Fraction: digits past int64 precision are ignored, as Go does.
    let f = 0n;
    let scale = 1;
    let post = false;
    if (s[0] === ".") {
      s = s.slice(1);
      let j = 0;
      let overflow = false;
      for (; j < s.length && isDigit(s[j]); j++) {
        if (overflow) continue;
        if (f > MAX_NS / 10n) {
          overflow = true;
          continue;
        }
        const y = f * 10n + BigInt(s.charCodeAt(j) - 48);
        if (y > LIMIT) {
          overflow = true;
          continue;
        }
        f = y;
        scale *= 10;
      }
      post = j > 0;
      s = s.slice(j);
    }
    if (!pre && !post) return undefined;
    let u = 0;
    while (u < s.length && s[u] !== "." && !isDigit(s[u])) u++;
    if (u === 0) return undefined;
    const unit = NS[s.slice(0, u)];
    s = s.slice(u);
    if (unit === undefined) return undefined;
    if (v > LIMIT / unit) return undefined;
    v *= unit;
    if (f > 0n) {
      // float64 arithmetic, as Go: uint64(float64(f) * (float64(unit) / scale)).
      v += BigInt(Math.trunc(Number(f) * (Number(unit) / scale)));
      if (v > LIMIT) return undefined;
    }
    d += v;
    if (d > LIMIT) return undefined;
  }
  if (neg) return -d;
  return d > MAX_NS ? undefined : d;
}

/** Go's time.Duration.String() (src/time/time.go): what the provider sends to Grafana, e.g. "36h0m0s", "1.5s". */
export function goDurationString(ns: bigint): string {
  const neg = ns < 0n;
  let u = neg ? -ns : ns;
  const frac = (value: bigint, prec: number): [string, bigint] => {
    const digits = value % 10n ** BigInt(prec);
    const text = digits === 0n ? "" : `.${digits.toString().padStart(prec, "0").replace(/0+$/, "")}`;
    return [text, value / 10n ** BigInt(prec)];
  };
  let out: string;
  if (u < SECOND_NS) {
    if (u === 0n) return "0s";
    const [unit, prec] = u < 1_000n ? ["ns", 0] : u < MILLI_NS ? ["µs", 3] : ["ms", 6];
    const [fraction, whole] = frac(u, prec);
    out = `${whole}${fraction}${unit}`;
  } else {
    const [fraction, seconds] = frac(u, 9);
    u = seconds;
    out = `${u % 60n}${fraction}s`;
    u /= 60n;
    if (u > 0n) {
      out = `${u % 60n}m${out}`;
      u /= 60n;
      if (u > 0n) out = `${u}h${out}`;
    }
  }
  return neg ? `-${out}` : out;
}

export type RuleDuration =
  | { readonly ok: true; readonly ms: number }
  | { readonly ok: false; readonly problem: string; readonly fix: string };

const EXAMPLES = 'such as "5m", "1h30m", "2d" or "0s"';

/** Whole hours, minutes and seconds (or milliseconds below a second): a spelling Go and Prometheus both read. */
export function formatRuleDuration(ms: number): string {
  if (ms === 0) return "0s";
  if (ms < 1000) return `${ms}ms`;
  const total = Math.floor(ms / 1000);
  const [h, m, s] = [Math.floor(total / 3600), Math.floor(total / 60) % 60, total % 60];
  return `${h ? `${h}h` : ""}${m ? `${m}m` : ""}${s ? `${s}s` : ""}`;
}

/** What Grafana makes of the provider's goDurationString: a Prometheus duration (whole numbers), not negative. */
function arrives(ns: bigint): RuleDuration {
  if (ns < 0n) return { ok: false, problem: "is negative (Grafana refuses a negative pending period)", fix: `use 0s or a positive duration ${EXAMPLES}` };
  const sent = goDurationString(ns);
  const ms = parsePrometheusDuration(sent);
  if (ms === undefined) {
    const [down, up] = ns < SECOND_NS ? [ns / MILLI_NS, ns / MILLI_NS + 1n] : [(ns / SECOND_NS) * 1000n, (ns / SECOND_NS + 1n) * 1000n];
    const options = [down, up].filter((v) => v > 0n).map((v) => `"${formatRuleDuration(Number(v))}"`);
    return {
      ok: false,
      problem: `reaches Grafana as "${sent}" (the provider passes it on as Go prints it), which Grafana's Prometheus-style duration parser refuses: it reads whole numbers only`,
      fix: `use whole seconds, or whole milliseconds below a second: ${options.join(" or ")}`,
    };
  }
  return { ok: true, ms };
}

/** Day and week terms, which only the provider's fallback reads: one term, e.g. "2d" or "1.5w". */
const DAYS = /^(\d+)(?:\.(\d{1,9}))?([dw])$/;

/** Terms as a person might write them ("1d12h", "10 minutes", "1y"), to suggest the canonical spelling. */
const LOOSE_TERM = /(\d+(?:\.\d+)?)\s*(years?|weeks?|days?|hours?|minutes?|mins?|seconds?|secs?|ms|y|w|d|h|m|s)(?=[\d\s]|$)/g;
const LOOSE_MS: Readonly<Record<string, number>> = { y: 365 * 86_400_000, w: 7 * 86_400_000, d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000 };
const looseUnitMs = (unit: string): number => (unit === "ms" ? 1 : LOOSE_MS[unit[0]]);

function suggestion(text: string): string | undefined {
  const terms = [...text.matchAll(LOOSE_TERM)];
  if (terms.length === 0 || terms.map((t) => t[0]).join("").replace(/\s/g, "") !== text.replace(/\s/g, "")) return undefined;
  const ms = terms.reduce((sum, t) => sum + Number(t[1]) * looseUnitMs(t[2]), 0);
  const whole = ms < 1000 ? Number.isInteger(ms) : Number.isInteger(ms / 1000);
  return whole ? formatRuleDuration(ms) : undefined;
}

/**
 * A rule duration (pending period) as the Grafana provider and Grafana accept it, in
 * milliseconds; or why not, and the spelling to use instead.
 */
export function parseRuleDuration(text: string): RuleDuration {
  const go = goParseDuration(text);
  if (go !== undefined) return arrives(go);
  const days = DAYS.exec(text);
  if (days) {
    const [, whole, fraction = "", unit] = days;
    const scale = 10n ** BigInt(fraction.length);
    const ns = ((BigInt(whole) * scale + BigInt(fraction || "0")) * (unit === "d" ? DAY_NS : WEEK_NS)) / scale;
    if (ns > MAX_NS) return { ok: false, problem: "is longer than a Go duration can be (about 292 years)", fix: `use a shorter duration ${EXAMPLES}` };
    return arrives(ns);
  }
  const better = suggestion(text);
  if (better !== undefined && (goParseDuration(better) === undefined || better === text)) {
    return { ok: false, problem: "is longer than a Go duration can be (about 292 years)", fix: `use a shorter duration ${EXAMPLES}` };
  }
  if (/\dy/.test(text)) {
    return { ok: false, problem: "uses years, which the Grafana provider's duration parser does not know (units: ns us ms s m h d w)", fix: better ? `write "${better}"` : `use days or hours ${EXAMPLES}` };
  }
  if (better && /[dw]/.test(text)) {
    return {
      ok: false,
      problem: "combines days or weeks with other terms, which the Grafana provider reads differently from release to release (v4.44 reads 1d12h as 24h)",
      fix: `write "${better}"`,
    };
  }
  return { ok: false, problem: "is not a duration", fix: better ? `write "${better}"` : `use a duration ${EXAMPLES}` };
}

/** The problem with a rule duration as one sentence about `subject` (for zod refinements), or undefined when it is fine. */
export function ruleDurationIssue(text: string, subject: string = JSON.stringify(text)): string | undefined {
  const parsed = parseRuleDuration(text);
  return parsed.ok ? undefined : `${subject} ${parsed.problem}; ${parsed.fix}`;
}

const PROMETHEUS_UNITS_MS: Readonly<Record<string, number>> = {
  y: 365 * 86_400_000,
  w: 7 * 86_400_000,
  d: 86_400_000,
  h: 3_600_000,
  m: 60_000,
  s: 1000,
  ms: 1,
};

const PROMETHEUS_DURATION = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;

/** A Prometheus duration in milliseconds, or undefined. "0" is accepted, as Prometheus does. */
export function parsePrometheusDuration(text: string): number | undefined {
  if (text === "0") return 0;
  const m = PROMETHEUS_DURATION.exec(text);
  if (!m || text === "") return undefined;
  const units = ["y", "w", "d", "h", "m", "s", "ms"];
  return units.reduce((sum, unit, i) => sum + (m[i + 1] ? Number(m[i + 1]) * PROMETHEUS_UNITS_MS[unit] : 0), 0);
}

