/**
 * Data drift: the population stability index (PSI) of each feature over a sliding window
 * of recent inputs, against the training reference distribution.
 *
 *   PSI = sum over bins of (actual - expected) * ln(actual / expected)
 *
 * Rules of thumb: < 0.1 stable, 0.1-0.25 moderate shift, > 0.25 significant shift.
 */
import { binOf, Feature, FEATURES, FeatureName } from "./features";

/** Share used in place of an empty bin so ln() stays finite. */
const EPSILON = 1e-4;

export function psi(expected: readonly number[], actualCounts: readonly number[]): number {
  const n = actualCounts.reduce((s, c) => s + c, 0);
  if (n === 0) return 0;
  let sum = 0;
  for (let i = 0; i < expected.length; i++) {
    const a = Math.max(actualCounts[i] / n, EPSILON);
    const e = Math.max(expected[i], EPSILON);
    sum += (a - e) * Math.log(a / e);
  }
  return sum;
}

class FeatureWindow {
  private readonly bins: Int16Array;
  private readonly counts: number[];
  private next = 0;
  private size = 0;

  constructor(
    readonly feature: Feature,
    capacity: number,
  ) {
    this.bins = new Int16Array(capacity);
    this.counts = new Array<number>(feature.reference.length).fill(0);
  }

  add(value: number | string): void {
    const bin = binOf(this.feature, value);
    if (this.size === this.bins.length) this.counts[this.bins[this.next]]--;
    else this.size++;
    this.bins[this.next] = bin;
    this.counts[bin]++;
    this.next = (this.next + 1) % this.bins.length;
  }

  score(minSamples: number): number {
    return this.size < minSamples ? 0 : psi(this.feature.reference, this.counts);
  }
}

export interface DriftMonitorOptions {
  /** Inputs per feature kept in the window (default 500). */
  readonly windowSize?: number;
  /** Below this many inputs a feature reports 0: too few to judge (default 100). */
  readonly minSamples?: number;
}

export class DriftMonitor {
  private readonly windows: Map<FeatureName, FeatureWindow>;
  private readonly minSamples: number;

  constructor(options: DriftMonitorOptions = {}) {
    const size = options.windowSize ?? 500;
    this.minSamples = Math.min(options.minSamples ?? 100, size);
    this.windows = new Map(FEATURES.map((f) => [f.name, new FeatureWindow(f, size)]));
  }

  /** Records the features a request actually carried (imputed values are not evidence). */
  observe(values: Partial<Record<FeatureName, number | string>>): void {
    for (const [name, value] of Object.entries(values) as [FeatureName, number | string][]) {
      this.windows.get(name)?.add(value);
    }
  }

  scores(): Record<FeatureName, number> {
    const out = {} as Record<FeatureName, number>;
    for (const [name, w] of this.windows) out[name] = w.score(this.minSamples);
    return out;
  }
}
