/**
 * Grafana's password policy and the generator of the admin password, in one place so
 * they cannot drift apart.
 *
 * With `[auth.basic] password_policy = true`, new and updated passwords need at least
 * 12 characters, an uppercase and a lowercase letter, a number and a special character
 * (Grafana docs: setup-grafana/configure-access/configure-authentication/grafana,
 * "Password policy"). random.RandomPassword guarantees `min*` characters of each class;
 * `overrideSpecial` is the special-character set it draws from (pulumi-random docs).
 */

export const PASSWORD_POLICY = { enabled: true, minLength: 12 } as const;

/** What the policy asks of a password: each class at least once. */
const CLASSES = {
  uppercase: /\p{Lu}/u,
  lowercase: /\p{Ll}/u,
  number: /\p{N}/u,
  // Grafana counts any character that is neither a letter nor a number.
  special: /[^\p{L}\p{N}]/u,
} as const;

/** What a password lacks under the policy (empty: it is accepted). */
export function passwordPolicyViolations(password: string): string[] {
  const missing: string[] = Object.entries(CLASSES).filter(([, re]) => !re.test(password)).map(([name]) => `no ${name} character`);
  if ([...password].length < PASSWORD_POLICY.minLength) missing.unshift(`shorter than ${PASSWORD_POLICY.minLength} characters`);
  return missing;
}

/**
 * Special characters the generator may use: punctuation that needs no quoting in the
 * provider's `user:password` auth, a URL's userinfo, YAML or a shell, and that Grafana
 * never expands (no `$` for $__env{...}, no `:` `@` `/` `%`).
 */
export const ADMIN_PASSWORD_SPECIALS = "-_.+=^~!";

/** The random.RandomPassword arguments that decide what it can generate. */
export interface PasswordGeneratorSpec {
  readonly length: number;
  readonly special: boolean;
  readonly overrideSpecial: string;
  readonly minUpper: number;
  readonly minLower: number;
  readonly minNumeric: number;
  readonly minSpecial: number;
}

/** random.RandomPassword arguments of the admin password. */
export const ADMIN_PASSWORD: PasswordGeneratorSpec = {
  length: 32,
  special: true,
  overrideSpecial: ADMIN_PASSWORD_SPECIALS,
  minUpper: 2,
  minLower: 2,
  minNumeric: 2,
  minSpecial: 2,
};

/**
 * Argument changes that would replace an existing password (pulumi-random replaces on
 * any change): Grafana reads the admin password only on first start, so a new one would
 * lock the provider out. Stacks created before the policy keep their password, which
 * Grafana keeps accepting (the policy applies to new and updated passwords only).
 */
export const ADMIN_PASSWORD_KEEP_ON_CHANGE: readonly (keyof PasswordGeneratorSpec)[] = ["length", "special", "overrideSpecial", "minUpper", "minLower", "minNumeric", "minSpecial"];

/** Whether every password the generator can produce satisfies the policy; the reasons when not. */
export function generatorProblems(s: PasswordGeneratorSpec): string[] {
  const problems: string[] = [];
  if (s.length < PASSWORD_POLICY.minLength) problems.push(`length ${s.length} is below the policy's ${PASSWORD_POLICY.minLength}`);
  if (s.minUpper + s.minLower + s.minNumeric + s.minSpecial > s.length) problems.push("the minimums add up to more than the length");
  for (const [name, min] of [["minUpper", s.minUpper], ["minLower", s.minLower], ["minNumeric", s.minNumeric], ["minSpecial", s.minSpecial]] as const) {
    if (!(min >= 1)) problems.push(`${name} is ${min}: a password may lack that class`);
  }
  if (!s.special) problems.push("special is false: no special character is generated");
  const notSpecial = [...s.overrideSpecial].filter((c) => !CLASSES.special.test(c));
  if (s.overrideSpecial.length === 0 || notSpecial.length > 0) problems.push(`overrideSpecial holds characters Grafana does not count as special: ${notSpecial.join("")}`);
  return problems;
}
