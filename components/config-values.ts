/**
 * The value types of the stack config keys (components/config-keys.ts): how a raw
 * string is parsed, and the facts about Kubernetes, Helm, Go and Grafana each encodes.
 */
import { z } from "zod";
import { ruleDurationIssue } from "../lib/durations";
import { exactQuantity, isPositive, isWholeMilli } from "../lib/quantity";
import { closest } from "../lib/suggest";
import { TIME_ZONES } from "../lib/time-zones";

/** Kubernetes namespace and object names: RFC 1123 label, at most 63 characters (apimachinery IsDNS1123Label). */
export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
/** RFC 1123 subdomain, at most 253 characters (apimachinery IsDNS1123Subdomain). */
export const HOSTNAME = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?(\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)*$/;
/** DNS-1035 label (a Service name: starts with a letter). */
export const DNS_1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
/** Helm refuses longer release names (helm pkg/chartutil/validate_name.go, maxReleaseNameLen). */
export const HELM_RELEASE_NAME_MAX = 53;
const HOST_PORT = /^([A-Za-z0-9.-]+):([0-9]{1,5})$/;
export const SEMVER = /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/;
/** Alertmanager's time-interval clock: 00:00-23:59, and 24:00 as an end (alertmanager timeinterval.go). */
export const CLOCK = /^([01][0-9]|2[0-3]):[0-5][0-9]$/;
export const END_CLOCK = /^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$/;

export const text = z.string();
/** A rule's pending period, as the Grafana provider and Grafana accept it (lib/durations.ts). */
export const duration = text.refine((v) => ruleDurationIssue(v) === undefined, { error: (issue) => `not a pending period: ${ruleDurationIssue(String(issue.input), "it")}` });
export const bool = z.enum(["true", "false"], { error: "expected true or false" }).transform((v) => v === "true");
export const integer = z
  .string()
  .regex(/^-?[0-9]+$/, { error: "expected a whole number" })
  .transform(Number)
  .refine(Number.isSafeInteger, { error: "is too large" });
export const decimal = z
  .string()
  .regex(/^-?[0-9]+(\.[0-9]+)?$/, { error: "expected a number such as 0.5" })
  .transform(Number)
  .refine(Number.isFinite, { error: "is too large" });
export const stringList = z
  .string()
  .transform((raw, ctx) => {
    try {
      return JSON.parse(raw) as unknown;
    } catch {
      ctx.addIssue({ code: "custom", message: "expected a YAML list of strings" });
      return z.NEVER;
    }
  })
  .pipe(z.array(z.string({ error: "every item must be a string" }), { error: "expected a YAML list of strings" }));

/** host:port, the port within 1-65535 (TCP). */
export const hostPort = text.superRefine((v, ctx) => {
  const m = HOST_PORT.exec(v);
  if (!m) ctx.addIssue({ code: "custom", message: "expected host:port" });
  else if (Number(m[2]) < 1 || Number(m[2]) > 65535) ctx.addIssue({ code: "custom", message: `port ${m[2]} is outside 1-65535` });
});

/**
 * A database server as Grafana's [database] host reads it: host or host:port. Grafana fills in
 * the engine's default port (pkg/services/sqlstore/database_config.go: SplitHostPortDefault with
 * 5432 for PostgreSQL; go-sql-driver/mysql adds 3306). A Unix socket path (which Grafana also
 * reads) is refused: the pod has no database socket.
 */
export const databaseHost = text.superRefine((v, ctx) => {
  if (HOST_PORT.test(v)) return hostPort.safeParse(v).error?.issues.forEach((i) => ctx.addIssue({ code: "custom", message: i.message }));
  if (!HOSTNAME.test(v.toLowerCase())) ctx.addIssue({ code: "custom", message: v.startsWith("/") ? "a Unix socket path: the Grafana pod has no database socket, use host or host:port" : "expected host or host:port" });
});

/** Kubernetes quantities (lib/quantity.ts), positive; CPU in whole millicores. */
export const quantity = (kind: "cpu" | "memory" | "storage") =>
  text.superRefine((v, ctx) => {
    const q = exactQuantity(v);
    if (!q || !isPositive(q)) {
      ctx.addIssue({ code: "custom", message: kind === "cpu" ? "not a CPU quantity" : `not a positive Kubernetes quantity` });
    } else if (kind === "cpu" && !isWholeMilli(q)) {
      // Kubernetes docs, "Resource units": no CPU precision finer than 1m.
      ctx.addIssue({ code: "custom", message: "is finer than 1m, the smallest CPU unit Kubernetes allows" });
    }
  });

/**
 * An http(s) URL written exactly as a URL parser reads it (WHATWG; in that normal form Go's
 * net/url reads it the same): what is validated is what Grafana, Helm and
 * the provider receive. `new URL()` silently drops tabs and newlines, turns `\` into `/`
 * and percent-encodes, so a raw value that differs from its parsed form is refused.
 */
export function httpUrl(rules: { readonly query?: false; readonly fragment?: false; readonly why?: string } = {}) {
  return text.superRefine((v, ctx) => {
    const issue = (message: string, suggestion?: string) => ctx.addIssue({ code: "custom", message, params: { suggestion } });
    let u: URL;
    try {
      u = new URL(v);
    } catch {
      return issue("expected an http(s) URL");
    }
    if (u.protocol !== "http:" && u.protocol !== "https:") return issue("expected an http(s) URL");
    // Credentials in a URL would be printed in plain text (outputs, previews).
    if (u.username !== "" || u.password !== "") return issue("expected an http(s) URL without credentials");
    if (rules.query === false && v.includes("?")) return issue(`must not have a query string (${rules.why})`);
    if (rules.fragment === false && v.includes("#")) return issue(`must not have a fragment (${rules.why})`);
    if (!isNormalUrl(v, u)) return issue("is not written in normal form (a URL parser reads it differently)", u.href);
  });
}

/** Whether `raw` is exactly how `parsed` serialises, up to scheme/host case, a default port and the root "/". */
function isNormalUrl(raw: string, parsed: URL): boolean {
  const schemeEnd = raw.indexOf("://");
  if (schemeEnd < 0 || `${raw.slice(0, schemeEnd).toLowerCase()}:` !== parsed.protocol) return false;
  const rest = raw.slice(schemeEnd + 3);
  const authorityEnd = rest.search(/[/?#]/);
  const authority = (authorityEnd < 0 ? rest : rest.slice(0, authorityEnd)).toLowerCase();
  const tail = authorityEnd < 0 ? "" : rest.slice(authorityEnd);
  const defaultPort = parsed.protocol === "https:" ? "443" : "80";
  const authorityOk = authority === parsed.host || authority === `${parsed.host}:${defaultPort}`;
  const tailOk = tail === parsed.pathname + parsed.search + parsed.hash || (parsed.pathname === "/" && tail === parsed.search + parsed.hash);
  return authorityOk && tailOk;
}

/** A zone Go's time.LoadLocation loads (case-sensitive): Grafana's Alertmanager loads mute-timing locations with it. */
export const timeZone = text.superRefine((tz, ctx) => {
  if (TIME_ZONES.has(tz)) return;
  const lower = tz.toLowerCase();
  const sameLetters = [...TIME_ZONES].find((name) => name.toLowerCase() === lower);
  ctx.addIssue({
    code: "custom",
    message: sameLetters ? "is not an IANA time zone in this case (Go's time.LoadLocation is case-sensitive)" : "not an IANA time zone",
    params: sameLetters ? { suggestion: sameLetters } : { guess: tz.length <= 64 ? closest(tz, TIME_ZONES) : undefined },
  });
});

/** An optional value: the empty string (Pulumi.yaml's default) means "not set". */
export const optional = <T extends z.ZodType<unknown, string>>(schema: T) =>
  z.union([z.literal("").transform(() => undefined), schema]);
