/**
 * How a value the user gave is echoed in an error message: never a secret, never the
 * credentials of a URL, never more than a line.
 */
import type { Problem } from "./errors";

export const SECRET_PLACEHOLDER = "[secret]";
/** Longer values are cut: a message quotes a value to locate the mistake, not to replay it. */
export const SHOWN_MAX_LENGTH = 80;

/**
 * `value` with the userinfo of its URL replaced by `***`. Whether there are credentials
 * comes from parsing the URL (WHATWG: the userinfo is everything in the authority before
 * its last `@`, so `user:pa@ss@host` has the password `pa@ss`); the same rule locates
 * them in the raw text, which is otherwise shown as written. Text after `://` that does
 * not parse is masked up to its last `@`.
 */
export function maskUrlCredentials(value: string): string {
  const scheme = value.indexOf("://");
  if (scheme < 0 || !value.includes("@", scheme)) return value;
  const start = scheme + 3;
  let parsed: URL | undefined;
  try {
    parsed = new URL(value);
  } catch {
    return `${value.slice(0, start)}***${value.slice(value.lastIndexOf("@"))}`;
  }
  if (parsed.username === "" && parsed.password === "") return value;
  const authorityEnd = value.slice(start).search(/[/?#\\]/);
  const authority = authorityEnd < 0 ? value.slice(start) : value.slice(start, start + authorityEnd);
  return `${value.slice(0, start)}***${value.slice(start + authority.lastIndexOf("@"))}`;
}

/** The value as a message may quote it: JSON-quoted, credentials masked, cut to SHOWN_MAX_LENGTH. */
export function showValue(value: string, options: { readonly secret?: boolean } = {}): string {
  if (options.secret) return SECRET_PLACEHOLDER;
  const masked = maskUrlCredentials(value);
  if (masked.length <= SHOWN_MAX_LENGTH) return JSON.stringify(masked);
  return `${JSON.stringify(`${masked.slice(0, SHOWN_MAX_LENGTH)}…`)} (${value.length} characters)`;
}

/** A name the user wrote (a config key, a file's key) as a message shows it: as is when plain, else quoted and cut. */
export function showName(name: string): string {
  return /^[A-Za-z0-9_.:-]{1,80}$/.test(name) ? name : showValue(name);
}

/** `text` with every occurrence of a secret value replaced by [secret]. */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const s of secrets) if (s !== "") result = result.split(s).join(SECRET_PLACEHOLDER);
  return result;
}

/** A problem with every secret value in it replaced by [secret] (a cross-key rule or a query may quote one). */
export function redactProblem(p: Problem, secrets: readonly string[]): Problem {
  if (secrets.length === 0) return p;
  return { ...p, where: redactSecrets(p.where, secrets), message: redactSecrets(p.message, secrets), fix: p.fix && redactSecrets(p.fix, secrets) };
}
