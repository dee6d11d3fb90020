/**
 * Kubernetes resource quantities ("250m", "1", "512Mi", "1.5Gi", "1e3"), read as
 * resource.Quantity reads them (k8s.io/apimachinery/pkg/api/resource/quantity.go):
 * <signedNumber><suffix>, suffixes binary Ki..Ei, decimal n, u, m, k, M, G, T, P, E, and
 * decimal exponents. Exact (a rational of BigInts) to compare a request with its limit as
 * the API server does ("0.5" equals "500m"), or as a number where that is enough.
 */

/** An exact quantity: numerator / denominator (denominator > 0). */
export interface Quantity {
  readonly numerator: bigint;
  readonly denominator: bigint;
}

const QUANTITY = /^([+-]?)([0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)|[eE]([+-]?[0-9]+))?$/;
const BINARY_SI: Readonly<Record<string, number>> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const DECIMAL_SI: Readonly<Record<string, number>> = { n: -9, u: -6, m: -3, "": 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
/** apimachinery keeps quantities as int64 of the base unit (or of milli-units for CPU). */
const INT64_MAX = 2n ** 63n - 1n;

/** The exact quantity, or undefined when Kubernetes would not read it (or it exceeds int64). */
export function exactQuantity(text: string): Quantity | undefined {
  const match = QUANTITY.exec(text.trim());
  if (!match) return undefined;
  const [, sign, number, suffix, exponentText] = match;
  const [whole, fraction = ""] = number.split(".");
  let numerator = BigInt(`${whole || "0"}${fraction}`) * (sign === "-" ? -1n : 1n);
  let denominator = 10n ** BigInt(fraction.length);
  if (suffix !== undefined && suffix in BINARY_SI) {
    numerator *= 2n ** BigInt(BINARY_SI[suffix]);
  } else {
    const exponent = exponentText !== undefined ? Number(exponentText) : DECIMAL_SI[suffix ?? ""];
    // A huge exponent is refused rather than expanded (1e999999 would allocate megabytes).
    if (Math.abs(exponent) > 30) return undefined;
    if (exponent >= 0) numerator *= 10n ** BigInt(exponent);
    else denominator *= 10n ** BigInt(-exponent);
  }
  const magnitude = (numerator < 0n ? -numerator : numerator) / denominator;
  return magnitude > INT64_MAX ? undefined : { numerator, denominator };
}

/** The quantity's value in base units (cores, bytes), or undefined when it is not a quantity. */
export function parseQuantity(value: string | number): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
  const q = exactQuantity(value);
  return q === undefined ? undefined : Number(q.numerator) / Number(q.denominator);
}

/** Negative when a < b, zero when equal, positive when a > b. */
export function compareQuantities(a: Quantity, b: Quantity): number {
  const left = a.numerator * b.denominator;
  const right = b.numerator * a.denominator;
  return left < right ? -1 : left > right ? 1 : 0;
}

export const isPositive = (q: Quantity): boolean => q.numerator > 0n;

/** Whether the quantity is a whole number of thousandths (Kubernetes' CPU precision is 1m). */
export const isWholeMilli = (q: Quantity): boolean => (q.numerator * 1000n) % q.denominator === 0n;
