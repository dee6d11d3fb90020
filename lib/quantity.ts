/**
 * Kubernetes resource quantities ("250m", "1", "512Mi", "1.5Gi", "1e3") as numbers, to
 * compare requests with limits. Suffixes as resource.Quantity defines them
 * (k8s.io/apimachinery/pkg/api/resource/quantity.go): binary Ki..Ei, decimal n, u, m,
 * k, M, G, T, P, E, and decimal exponents.
 */
const SUFFIX: Readonly<Record<string, number>> = {
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  "": 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
};

const QUANTITY = /^([+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))(?:(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)|[eE]([+-]?[0-9]+))?$/;

/** The quantity's value in base units (cores, bytes), or undefined when it is not a quantity. */
export function parseQuantity(value: string | number): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
  const match = QUANTITY.exec(value.trim());
  if (!match) return undefined;
  const [, number, suffix, exponent] = match;
  const scale = exponent !== undefined ? 10 ** Number(exponent) : SUFFIX[suffix ?? ""];
  return Number(number) * scale;
}
