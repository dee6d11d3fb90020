/**
 * no-plaintext-secrets-in-helm-values: nothing secret is written into a Helm release's
 * values. Helm stores the rendered values in the release record (a Secret in the
 * namespace, readable by anyone who can read Secrets there) and Pulumi stores them in
 * the state; a Pulumi secret loses its protection the moment it becomes a chart value.
 *
 * Violations name the key path, never the value.
 */
import { ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import { formatPath, isPulumiSecret, isUnknown, Leaf, leaves, PathSegment, rawGet } from "../lib/props";
import { TYPES } from "../lib/resources";

export const NO_PLAINTEXT_SECRETS_IN_HELM_VALUES = "no-plaintext-secrets-in-helm-values";

export interface NoPlaintextSecretsConfig {
  /**
   * Paths (as printed in violations, e.g. `values.datasources["datasources.yaml"].datasources[0].url`)
   * allowed to be computed at preview because they are known not to be secret. Default [].
   */
  readonly allowComputedPaths?: readonly string[];
}

/** Keys that name a Secret or a key/file inside one rather than holding the secret. */
const REFERENCE_PREFIXES = ["existing", "envfrom"];
const REFERENCE_SUFFIXES = ["name", "names", "ref", "refs", "key", "keys", "file", "path", "mount", "mounts", "url", "uri", "enabled"];
/** Always secret, even though they end like a reference ("...key", "...url"). */
const STRONG_SUFFIXES = ["secretkey", "apikey", "privatekey", "clientsecret", "secretaccesskey", "integrationkey", "routingkey", "webhookurl"];
const SECRET_SUFFIXES = ["password", "passwd", "passphrase", "secret", "token"];

/**
 * True for a key whose value is a credential: password, passwd, secret, secret_key,
 * token, apikey/api_key, client_secret, private_key, webhook_url, ... but not
 * existingSecret, secretName, passwordKey, token_url and other references.
 */
export function isSecretKey(key: string): boolean {
  const k = key.toLowerCase().replace(/[^a-z0-9]/g, "");
  if (REFERENCE_PREFIXES.some((p) => k.startsWith(p))) {
    return false;
  }
  if (STRONG_SUFFIXES.some((s) => k.endsWith(s))) {
    return true;
  }
  if (REFERENCE_SUFFIXES.some((s) => k.endsWith(s))) {
    return false;
  }
  return SECRET_SUFFIXES.some((s) => k.endsWith(s));
}

/** Grafana resolves these at start-up from the environment, a mounted file or Vault. */
export function isReference(value: string): boolean {
  return /^\s*\$__(env|file|vault)\{[^}]+\}\s*$/.test(value);
}

/** URLs that carry their credential: chat webhooks, and any URL with user:password@. */
const WEBHOOK_URL =
  /^https?:\/\/(hooks\.slack\.com\/|(ptb\.|canary\.)?discord(app)?\.com\/api\/webhooks\/|[a-z0-9-]+\.webhook\.office\.com\/|outlook\.office\.com\/webhook|chat\.googleapis\.com\/|api\.telegram\.org\/bot)/i;
const URL_WITH_PASSWORD = /^[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^/\s@]+@/i;

const FIX_REFERENCE =
  'Fix: keep the value in a Kubernetes Secret and reference it: "$__env{VAR}" with the variable from the Secret ' +
  '(envValueFrom / envFromSecret), "$__file{/path}" with the Secret mounted (extraSecretMounts), or the chart\'s existingSecret option.';

function leafProblem(leaf: Leaf, where: string, allowComputed: ReadonlySet<string>): string | undefined {
  const path = formatPath("values", leaf.path);
  const key = [...leaf.path].reverse().find((s): s is string => typeof s === "string");
  const { value } = leaf;
  if (isPulumiSecret(value)) {
    return `${where}: ${path} is a Pulumi secret; Helm renders it into the release manifest in plain text. ${FIX_REFERENCE}`;
  }
  if (isUnknown(value)) {
    if (allowComputed.has(path)) {
      return undefined;
    }
    return (
      `${where}: ${path} is computed at preview (a resource output or secret, e.g. a generated password), so it cannot be ` +
      "shown not to be a secret, and whatever it resolves to is stored in the release manifest. Keep chart values plain data. " +
      `${FIX_REFERENCE} If the value is not sensitive, add "${path}" to this policy's allowComputedPaths.`
    );
  }
  if (typeof value !== "string" || value.trim() === "" || isReference(value)) {
    return undefined;
  }
  if (leaf.path.length === 1 && key === "adminPassword") {
    return (
      `${where}: ${path} is set in plain text. Fix: remove it and use values.admin.existingSecret ` +
      "(a Secret with admin-user/admin-password keys, named by admin.userKey/admin.passwordKey)."
    );
  }
  if (key !== undefined && isSecretKey(key)) {
    return `${where}: ${path} holds a plain-text secret. ${FIX_REFERENCE}`;
  }
  if (WEBHOOK_URL.test(value)) {
    return (
      `${where}: ${path} holds a webhook URL, which embeds its credential. ${FIX_REFERENCE} ` +
      "Or create the contact point with grafana:alerting/contactPoint from a Pulumi secret instead of chart provisioning."
    );
  }
  if (URL_WITH_PASSWORD.test(value)) {
    return `${where}: ${path} holds a URL with an embedded password. ${FIX_REFERENCE}`;
  }
  return undefined;
}

/** The violations for one release's values (messages carry paths, never values). */
export function plaintextSecretProblems(values: unknown, where: string, allowComputedPaths: readonly string[] = []): string[] {
  if (values === undefined || values === null) {
    return [];
  }
  const allowComputed = new Set(allowComputedPaths);
  const problems: string[] = [];
  for (const leaf of leaves(values, [] as PathSegment[])) {
    const problem = leafProblem(leaf, where, allowComputed);
    if (problem) {
      problems.push(problem);
    }
  }
  return problems;
}

function validate(args: ResourceValidationArgs, report: (message: string) => void): void {
  if (args.type !== TYPES.helmRelease) {
    return;
  }
  const { allowComputedPaths } = args.getConfig<NoPlaintextSecretsConfig>();
  const where = `Helm release "${args.name}"`;
  for (const problem of plaintextSecretProblems(rawGet(args.props, "values"), where, allowComputedPaths ?? [])) {
    report(problem);
  }
}

export const noPlaintextSecretsInHelmValues: ResourceValidationPolicy = {
  name: NO_PLAINTEXT_SECRETS_IN_HELM_VALUES,
  description:
    "Helm release values hold no secrets: no plain-text password/token/secret/API key/webhook URL (use $__env{}/$__file{} " +
    "references or existingSecret), no adminPassword, and no Pulumi secret or value computed at preview.",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      allowComputedPaths: {
        type: "array",
        items: { type: "string" },
        default: [],
        description: "Value paths, as printed in violations, allowed to be computed at preview because they are not secret.",
      },
    },
  },
  validateResource: validate,
};
