/**
 * Faults the workload can be told to show, at start-up (CLI flags) or at runtime
 * (POST /admin/faults), so dashboards and alerts can be demonstrated and tested.
 */

export interface Faults {
  /** Share (0-1) of prediction requests answered with an injected 5xx. */
  readonly errorRate: number;
  /** Extra inference latency in milliseconds (a slow model). */
  readonly extraLatencyMs: number;
  /** Share (0-1) of prediction requests that get the extra latency (default 1). */
  readonly slowShare: number;
  /** Share (0-1) of predictions whose confidence collapses towards 0.5. */
  readonly lowConfidence: number;
  /** Share (0-1) of inputs corrupted upstream (tenure in years, charges with tax): drift. */
  readonly drift: number;
}

export const NO_FAULTS: Faults = { errorRate: 0, extraLatencyMs: 0, slowShare: 1, lowConfidence: 0, drift: 0 };

export class FaultsError extends Error {}

function share(key: string, v: unknown): number {
  if (typeof v === "boolean") return v ? 1 : 0;
  if (typeof v !== "number" || !(v >= 0 && v <= 1)) throw new FaultsError(`${key} must be a number between 0 and 1 (or a boolean)`);
  return v;
}

/** Merges a JSON patch ({errorRate, extraLatencyMs, slowShare, lowConfidence, drift}) into faults. */
export function applyFaultPatch(current: Faults, patch: unknown): Faults {
  if (typeof patch !== "object" || patch === null || Array.isArray(patch)) {
    throw new FaultsError("faults must be a JSON object");
  }
  const p = patch as Record<string, unknown>;
  const known = new Set(Object.keys(NO_FAULTS));
  const unknown = Object.keys(p).filter((k) => !known.has(k));
  if (unknown.length > 0) throw new FaultsError(`unknown fault(s): ${unknown.join(", ")}; known: ${[...known].join(", ")}`);
  const next: { -readonly [K in keyof Faults]: number } = { ...current };
  if (p.errorRate !== undefined) next.errorRate = share("errorRate", p.errorRate);
  if (p.slowShare !== undefined) next.slowShare = share("slowShare", p.slowShare);
  if (p.lowConfidence !== undefined) next.lowConfidence = share("lowConfidence", p.lowConfidence);
  if (p.drift !== undefined) next.drift = share("drift", p.drift);
  if (p.extraLatencyMs !== undefined) {
    const v = p.extraLatencyMs;
    if (typeof v !== "number" || !(v >= 0 && v <= 60_000)) throw new FaultsError("extraLatencyMs must be a number between 0 and 60000");
    next.extraLatencyMs = v;
  }
  return next;
}
