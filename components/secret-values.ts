/**
 * Keeps every value set with `pulumi config set --secret` secret wherever it goes. Keys
 * declared secret travel as secret Outputs from the start; any other text key may also
 * be set with --secret (a Prometheus URL carrying a token, an SMTP login) and is then
 * validated as plain text but sealed here, on its way into resources and outputs: every
 * input or output that holds the value, or text built from it, becomes a Pulumi secret.
 */
import * as pulumi from "@pulumi/pulumi";

/** `T` after sealing: any plain leaf may have become a secret Output. */
export type Sealed<T> = T extends pulumi.Output<infer U>
  ? pulumi.Output<U>
  : T extends string | number | boolean
    ? pulumi.Input<T>
    : T extends readonly (infer E)[]
      ? Sealed<E>[]
      : T extends object
        ? { [K in keyof T]: Sealed<T[K]> }
        : T;

const isLeaf = (v: unknown): v is string | number | boolean => typeof v === "string" || typeof v === "number" || typeof v === "boolean";

/** Whether plain data holds a secret value anywhere (an Output's resolved value). */
function holdsAny(v: unknown, secrets: readonly string[]): boolean {
  if (isLeaf(v)) return secrets.some((s) => String(v).includes(s));
  if (v !== null && typeof v === "object") return Object.values(v).some((x) => holdsAny(x, secrets));
  return false;
}

/**
 * `value` with every plain leaf that holds a secret value wrapped in pulumi.secret, and
 * every Output whose resolved value holds one made secret as a whole.
 */
export function sealSecrets<T>(value: T, secrets: readonly string[]): Sealed<T> {
  const seal = (v: unknown): unknown => {
    if (pulumi.Output.isInstance(v)) return (v as pulumi.Output<unknown>).apply((x) => (holdsAny(x, secrets) ? pulumi.secret(x) : x));
    if (isLeaf(v)) return holdsAny(v, secrets) ? pulumi.secret(v) : v;
    if (Array.isArray(v)) return v.map(seal);
    // Only plain data: resources, assets and other class instances pass through.
    if (v !== null && typeof v === "object" && Object.getPrototypeOf(v) === Object.prototype) {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, seal(x)]));
    }
    return v;
  };
  return (secrets.length === 0 ? value : seal(value)) as Sealed<T>;
}

/**
 * A transformation for a component's options: every resource created under it registers
 * its inputs sealed. Component transformations reach all descendants (the mock engine,
 * which the tests use, honours them too; stack transformations need the CLI's root stack).
 */
export function sealingTransformation(secrets: readonly string[]): pulumi.ResourceTransformation {
  return (args) => ({ props: sealSecrets(args.props, secrets) as pulumi.Inputs, opts: args.opts });
}
