/**
 * The churn API's behaviour without HTTP: model routing (stable + canary), input
 * validation and imputation, drift tracking, fault injection and the ML metrics.
 * server.ts puts HTTP and the request metrics around it.
 */
import { Clock, REAL_CLOCK } from "./clock";
import { corrupt, FEATURE_NAMES, parseCustomer } from "./features";
import { DriftMonitor, DriftMonitorOptions } from "./drift";
import { applyFaultPatch, Faults, NO_FAULTS } from "./faults";
import { ChurnApiMetrics, createChurnApiMetrics } from "./metrics";
import { confidenceOf, createModel, degrade, Model } from "./model";
import { Rng } from "./random";

/** Label values of `prediction` (the predicted class). */
export const PREDICTED_CLASS = { churn: "churn", noChurn: "no_churn" } as const;

export interface ServiceOptions {
  /** Version name of the stable model (default "v1"). */
  readonly modelVersion?: string;
  /** Version name of a canary model served next to it (default: none). */
  readonly canaryVersion?: string;
  /** Share (0-1) of requests routed to the canary (default 0.2; ignored without a canary). */
  readonly canaryShare?: number;
  /** Predictions with confidence below this count as low-confidence (default 0.6). */
  readonly lowConfidenceThreshold?: number;
  /** Typical simulated inference time in milliseconds, before faults (default 4). */
  readonly inferenceLatencyMs?: number;
  readonly drift?: DriftMonitorOptions;
  /** Faults active from the start (default none). */
  readonly faults?: Partial<Faults>;
  /** Random source for routing, faults and latency jitter (default Math.random). */
  readonly random?: Rng;
  /** Clock that inference waits on and latencies are measured with (default: the real one). */
  readonly clock?: Clock;
}

export interface Prediction {
  readonly churn: boolean;
  readonly probability: number;
  readonly confidence: number;
  readonly model_version: string;
  /** Features the request lacked (imputed with the training median/mode). */
  readonly missing_features: string[];
}

export class ChurnService {
  readonly metrics: ChurnApiMetrics;
  readonly models: readonly Model[];
  private readonly canaryShare: number;
  private readonly threshold: number;
  private readonly inferenceMs: number;
  private readonly drift: DriftMonitor;
  private readonly random: Rng;
  readonly clock: Clock;
  private current: Faults;

  constructor(options: ServiceOptions = {}) {
    const stable = createModel(options.modelVersion ?? "v1", "stable");
    const canary = options.canaryVersion ? createModel(options.canaryVersion, "canary") : undefined;
    if (canary && canary.version === stable.version) throw new Error("canary and stable model versions must differ");
    this.models = canary ? [stable, canary] : [stable];
    this.canaryShare = canary ? (options.canaryShare ?? 0.2) : 0;
    if (!(this.canaryShare >= 0 && this.canaryShare <= 1)) throw new Error("canaryShare must be between 0 and 1");
    this.threshold = options.lowConfidenceThreshold ?? 0.6;
    this.inferenceMs = options.inferenceLatencyMs ?? 4;
    this.drift = new DriftMonitor(options.drift);
    this.random = options.random ?? Math.random;
    this.clock = options.clock ?? REAL_CLOCK;
    this.current = applyFaultPatch(NO_FAULTS, options.faults ?? {});
    this.metrics = createChurnApiMetrics();
    this.initialiseSeries();
  }

  /**
   * Known label combinations start at 0, so the first increment shows in rate() and
   * every dashboard series exists from the first scrape.
   */
  private initialiseSeries(): void {
    const m = this.metrics;
    for (const { version } of this.models) {
      const model_version = version;
      m.modelInfo.set({ model_version }, 1);
      for (const prediction of Object.values(PREDICTED_CLASS)) m.predictions.inc({ model_version, prediction }, 0);
      m.lowConfidencePredictions.inc({ model_version }, 0);
      m.predictionDuration.zero({ model_version });
      m.predictionConfidence.zero({ model_version });
    }
    for (const feature of FEATURE_NAMES) {
      m.missingFeatures.inc({ feature }, 0);
      m.dataDriftScore.set({ feature }, 0);
    }
  }

  get faults(): Faults {
    return this.current;
  }

  /** Merges a fault patch (validated; throws FaultsError) and returns the new faults. */
  setFaults(patch: unknown): Faults {
    this.current = applyFaultPatch(this.current, patch);
    return this.current;
  }

  resetFaults(): Faults {
    this.current = NO_FAULTS;
    return this.current;
  }

  /** Whether this request gets an injected 5xx. */
  injectError(): boolean {
    return this.random() < this.current.errorRate;
  }

  private chooseModel(pinned?: string): Model {
    const byName = pinned ? this.models.find((m) => m.version === pinned) : undefined;
    if (byName) return byName;
    return this.models.length > 1 && this.random() < this.canaryShare ? this.models[1] : this.models[0];
  }

  /**
   * Scores a request's instances with one model version. Throws FeatureError (a 400)
   * before recording anything when an instance is invalid.
   */
  async predict(instances: readonly unknown[], pinnedVersion?: string): Promise<Prediction[]> {
    const parsed = instances.map(parseCustomer);
    const m = this.metrics;
    const f = this.current;
    const inputs = parsed.map(({ customer, missing }) => {
      for (const feature of missing) m.missingFeatures.inc({ feature });
      const seen = this.random() < f.drift ? corrupt(customer) : customer;
      this.drift.observe(Object.fromEntries(FEATURE_NAMES.filter((n) => !missing.includes(n)).map((n) => [n, seen[n]])));
      return { customer: seen, missing };
    });
    for (const [feature, score] of Object.entries(this.drift.scores())) m.dataDriftScore.set({ feature }, score);

    const model = this.chooseModel(pinnedVersion);
    const model_version = model.version;
    const started = this.clock.now();
    const slow = f.extraLatencyMs > 0 && this.random() < f.slowShare ? f.extraLatencyMs : 0;
    await this.clock.sleep(this.inferenceMs * (0.5 + this.random()) + 0.02 * inputs.length + slow);
    const out = inputs.map(({ customer, missing }) => {
      let probability = model.predict(customer);
      if (this.random() < f.lowConfidence) probability = degrade(probability);
      const confidence = confidenceOf(probability);
      const churn = probability >= 0.5;
      m.predictions.inc({ model_version, prediction: churn ? PREDICTED_CLASS.churn : PREDICTED_CLASS.noChurn });
      m.predictionConfidence.observe({ model_version }, confidence);
      if (confidence < this.threshold) m.lowConfidencePredictions.inc({ model_version });
      return {
        churn,
        probability: round(probability),
        confidence: round(confidence),
        model_version,
        missing_features: missing,
      };
    });
    m.predictionDuration.observe({ model_version }, (this.clock.now() - started) / 1000);
    return out;
  }
}

function round(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}
