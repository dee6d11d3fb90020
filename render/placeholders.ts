/**
 * The offline render has no access to a stack's secrets (only the Pulumi CLI can decrypt
 * them, and CI may hold none). Where the program needs one, a placeholder that passes
 * the key's own validation stands in; the render redacts every secret from its output.
 */
import { CONFIG_KEYS, ConfigKey, PROJECT } from "../components/config-keys";
import { InputError } from "../lib/errors";
import { settingsFor, StackConfig } from "./stack-config";

/** A value for `key` that its schema accepts, recognisable as a placeholder. */
export function placeholderFor(key: ConfigKey): string {
  const candidates = [`placeholder${key}`, `https://placeholder.invalid/${key}`];
  const ok = candidates.find((c) => CONFIG_KEYS[key].schema.safeParse(c).success);
  if (!ok) throw new Error(`no placeholder satisfies the schema of ${key}`);
  return ok;
}

function withSecrets(config: StackConfig, keys: readonly string[]): StackConfig {
  const values = { ...config.values };
  for (const key of keys) values[`${PROJECT}:${key}`] = placeholderFor(key as ConfigKey);
  const secretKeys = [...new Set([...config.secretKeys, ...keys.map((k) => `${PROJECT}:${k}`)])];
  return { ...config, values, secretKeys };
}

/**
 * Fills the secrets a stack needs but the render cannot read: values stored encrypted
 * in the stack file, and enabled features whose secret is not set here. Other config
 * problems are left for the program to report.
 */
export function withSecretPlaceholders(stack: string, config: StackConfig): { config: StackConfig; placeholders: string[] } {
  const encrypted = config.encryptedKeys.map((k) => k.slice(PROJECT.length + 1)).filter((k) => k in CONFIG_KEYS);
  let filled = withSecrets(config, encrypted);
  try {
    settingsFor(stack, filled);
    return { config: filled, placeholders: encrypted };
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    const missing = err.problems.map((p) => p.missingSecret);
    if (missing.some((m) => m === undefined)) return { config: filled, placeholders: encrypted };
    filled = withSecrets(filled, missing as string[]);
    return { config: filled, placeholders: [...encrypted, ...(missing as string[])].sort() };
  }
}
