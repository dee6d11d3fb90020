/**
 * The churn API's Prometheus metrics: a dedicated prom-client registry holding exactly
 * the CHURN_API catalog metrics, each registered from its spec (name, help, labels,
 * buckets) so no metric name is typed twice.
 */
import { Counter, Gauge, Histogram, Registry } from "prom-client";
import { CHURN_API, MetricSpec } from "../catalog/metrics";

type Labels<S extends MetricSpec> = S["labels"][number];
type Spec = typeof CHURN_API;

function counter<S extends MetricSpec>(spec: S, registry: Registry): Counter<Labels<S>> {
  assertKind(spec, "counter");
  return new Counter({ name: spec.name, help: spec.help, labelNames: spec.labels, registers: [registry] });
}

function gauge<S extends MetricSpec>(spec: S, registry: Registry): Gauge<Labels<S>> {
  assertKind(spec, "gauge");
  return new Gauge({ name: spec.name, help: spec.help, labelNames: spec.labels, registers: [registry] });
}

function histogram<S extends MetricSpec>(spec: S, registry: Registry): Histogram<Labels<S>> {
  assertKind(spec, "histogram");
  return new Histogram({
    name: spec.name,
    help: spec.help,
    labelNames: spec.labels,
    buckets: [...(spec.buckets ?? [])],
    registers: [registry],
  });
}

function assertKind(spec: MetricSpec, kind: MetricSpec["kind"]): void {
  if (spec.kind !== kind) throw new Error(`catalog metric ${spec.name} is a ${spec.kind}, registered as a ${kind}`);
}

export interface ChurnApiMetrics {
  readonly registry: Registry;
  readonly httpRequests: Counter<Labels<Spec["httpRequests"]>>;
  readonly httpRequestDuration: Histogram<Labels<Spec["httpRequestDuration"]>>;
  readonly httpRequestsInFlight: Gauge<Labels<Spec["httpRequestsInFlight"]>>;
  readonly predictions: Counter<Labels<Spec["predictions"]>>;
  readonly predictionDuration: Histogram<Labels<Spec["predictionDuration"]>>;
  readonly predictionConfidence: Histogram<Labels<Spec["predictionConfidence"]>>;
  readonly lowConfidencePredictions: Counter<Labels<Spec["lowConfidencePredictions"]>>;
  readonly dataDriftScore: Gauge<Labels<Spec["dataDriftScore"]>>;
  readonly missingFeatures: Counter<Labels<Spec["missingFeatures"]>>;
  readonly modelInfo: Gauge<Labels<Spec["modelInfo"]>>;
}

/** A fresh registry with every CHURN_API metric (and nothing else: no default process metrics). */
export function createChurnApiMetrics(): ChurnApiMetrics {
  const registry = new Registry();
  const c = CHURN_API;
  return {
    registry,
    httpRequests: counter(c.httpRequests, registry),
    httpRequestDuration: histogram(c.httpRequestDuration, registry),
    httpRequestsInFlight: gauge(c.httpRequestsInFlight, registry),
    predictions: counter(c.predictions, registry),
    predictionDuration: histogram(c.predictionDuration, registry),
    predictionConfidence: histogram(c.predictionConfidence, registry),
    lowConfidencePredictions: counter(c.lowConfidencePredictions, registry),
    dataDriftScore: gauge(c.dataDriftScore, registry),
    missingFeatures: counter(c.missingFeatures, registry),
    modelInfo: gauge(c.modelInfo, registry),
  };
}
