/**
 * Reading resource inputs the way the policy engine hands them over, without tripping
 * over values that are not known yet.
 *
 * @pulumi/policy 1.21 wraps `args.props` in a Proxy whose `get` trap throws
 * UnknownValueError when it meets an unknown (computed) value; the SDK then turns the
 * whole policy into an advisory "can't run during preview" note. The Proxy has only a
 * `get` trap, so `Object.keys` and `Object.getOwnPropertyDescriptor` reach the target
 * directly: reading through them lets a policy see an unknown as a value and decide
 * for itself (node_modules/@pulumi/policy/proxy.js, server.js).
 */
import { Secret } from "@pulumi/policy";

/**
 * The sentinels the engine sends for unknown values during preview (the analyzer
 * marshals inputs with KeepUnknowns; @pulumi/policy/proxy.js lists the same strings).
 * tests/policy checks these against the SDK so a change there cannot go unnoticed.
 */
export const UNKNOWN_SENTINELS: ReadonlySet<string> = new Set([
  "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7", // boolean
  "3eeb2bf0-c639-47a8-9e75-3b44932eb421", // number
  "04da6b54-80e4-46f7-96ec-b56ff0331ba9", // string
  "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2", // array
  "030794c1-ac77-496b-92df-f27374a8bd58", // asset
  "e48ece36-62e2-4504-bad9-02848725956a", // archive
  "dd056dcd-154b-4c76-9bd3-c8f88648b5ff", // object
]);

/** True for a value that is computed and not known during preview. */
export function isUnknown(value: unknown): boolean {
  return typeof value === "string" && UNKNOWN_SENTINELS.has(value);
}

/**
 * True for a value wrapped as a Pulumi secret. The SDK unwraps secrets before
 * validateResource/validateStack run (it wraps them only for remediations), so in a
 * validation this only fires for hand-built inputs or a future SDK; see README.
 */
export function isPulumiSecret(value: unknown): boolean {
  return value instanceof Secret;
}

export type PathSegment = string | number;

/** One own property of an object or array, read without triggering the unknown-checking proxy. */
export function rawGet(target: unknown, key: PathSegment): unknown {
  if (target === null || typeof target !== "object") {
    return undefined;
  }
  const descriptor = Object.getOwnPropertyDescriptor(target, String(key));
  return descriptor && "value" in descriptor ? descriptor.value : undefined;
}

/**
 * rawGet along a path: undefined as soon as a step is missing or not an object, and the
 * unknown sentinel itself when a step is unknown (so callers see "not known yet").
 */
export function rawPath(target: unknown, ...path: PathSegment[]): unknown {
  let current = target;
  for (const key of path) {
    if (isUnknown(current)) {
      return current;
    }
    current = rawGet(current, key);
  }
  return current;
}

/** Own enumerable keys (array indices for arrays), without the proxy. */
export function rawKeys(target: unknown): string[] {
  return target !== null && typeof target === "object" ? Object.keys(target) : [];
}

/** The elements of an array input, or [] when it is absent, unknown or not an array. */
export function rawArray(target: unknown): unknown[] {
  if (!Array.isArray(target)) {
    return [];
  }
  return rawKeys(target)
    .filter((k) => /^\d+$/.test(k))
    .map((k) => rawGet(target, k));
}

export function isNonEmptyString(value: unknown): value is string {
  return typeof value === "string" && value.trim() !== "";
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * A readable, unambiguous path: `values["grafana.ini"].database.password`,
 * `spec.template.spec.containers[0]`.
 */
export function formatPath(root: string, path: readonly PathSegment[]): string {
  let out = root;
  for (const segment of path) {
    if (typeof segment === "number") {
      out += `[${segment}]`;
    } else if (IDENTIFIER.test(segment)) {
      out += out === "" ? segment : `.${segment}`;
    } else {
      out += `[${JSON.stringify(segment)}]`;
    }
  }
  return out;
}

export interface Leaf {
  readonly path: readonly PathSegment[];
  readonly value: unknown;
}

/**
 * Every leaf under `root` (depth first, in key order). Unknown values and Pulumi
 * secrets are leaves too: their contents are not inspected.
 */
export function leaves(root: unknown, path: readonly PathSegment[] = []): Leaf[] {
  if (root === null || typeof root !== "object" || isPulumiSecret(root)) {
    return [{ path, value: root }];
  }
  const out: Leaf[] = [];
  const isArray = Array.isArray(root);
  for (const key of rawKeys(root)) {
    const segment: PathSegment = isArray ? Number(key) : key;
    out.push(...leaves(rawGet(root, key), [...path, segment]));
  }
  return out;
}
