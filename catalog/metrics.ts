/**
 * What the churn API exports: the single source of metric and label names.
 *
 * Dashboards, alert rules, the reference workload (workload/) and the Prometheus
 * integration tests all import from here, so a rename happens in one place and the
 * tests prove every query still returns data.
 */

/** Label names attached by the service itself. */
export const LABEL = {
  method: "method",
  path: "path",
  status: "status",
  modelVersion: "model_version",
  prediction: "prediction",
  feature: "feature",
} as const;

/** Label names attached by the scrape (Kubernetes service discovery / relabelling). */
export const TARGET_LABEL = {
  job: "job",
  namespace: "namespace",
  environment: "environment",
  pod: "pod",
  container: "container",
} as const;

/** The `job` label of the churn API's scrape target. */
export const CHURN_API_JOB = "churn-api";
/** The container name of the churn API in its pod (cAdvisor / kube-state-metrics). */
export const CHURN_API_CONTAINER = "churn-api";

export type MetricKind = "counter" | "gauge" | "histogram";

export interface MetricSpec {
  /** Full metric name as exposed (counters include `_total`). */
  readonly name: string;
  readonly kind: MetricKind;
  readonly help: string;
  readonly labels: readonly string[];
  /** Histogram bucket upper bounds. */
  readonly buckets?: readonly number[];
}

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] as const;

/** Metrics of the churn API process (prom-client in workload/ registers exactly these). */
export const CHURN_API = {
  httpRequests: {
    name: "churn_api_http_requests_total",
    kind: "counter",
    help: "HTTP requests handled, by method, route path and status code.",
    labels: [LABEL.method, LABEL.path, LABEL.status],
  },
  httpRequestDuration: {
    name: "churn_api_http_request_duration_seconds",
    kind: "histogram",
    help: "HTTP request latency in seconds, by method and route path.",
    labels: [LABEL.method, LABEL.path],
    buckets: LATENCY_BUCKETS,
  },
  httpRequestsInFlight: {
    name: "churn_api_http_requests_in_flight",
    kind: "gauge",
    help: "HTTP requests currently being served.",
    labels: [],
  },
  predictions: {
    name: "churn_api_predictions_total",
    kind: "counter",
    help: "Predictions served, by model version and predicted class.",
    labels: [LABEL.modelVersion, LABEL.prediction],
  },
  predictionDuration: {
    name: "churn_api_prediction_duration_seconds",
    kind: "histogram",
    help: "Model inference latency in seconds, by model version.",
    labels: [LABEL.modelVersion],
    buckets: LATENCY_BUCKETS,
  },
  predictionConfidence: {
    name: "churn_api_prediction_confidence",
    kind: "histogram",
    help: "Confidence (0-1) of each prediction, by model version.",
    labels: [LABEL.modelVersion],
    buckets: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1],
  },
  lowConfidencePredictions: {
    name: "churn_api_low_confidence_predictions_total",
    kind: "counter",
    help: "Predictions whose confidence was below the service's low-confidence cut-off.",
    labels: [LABEL.modelVersion],
  },
  dataDriftScore: {
    name: "churn_api_data_drift_score",
    kind: "gauge",
    help: "Population stability index of each input feature against the training data.",
    labels: [LABEL.feature],
  },
  missingFeatures: {
    name: "churn_api_missing_features_total",
    kind: "counter",
    help: "Prediction requests that lacked an input feature, by feature.",
    labels: [LABEL.feature],
  },
  modelInfo: {
    name: "churn_api_model_info",
    kind: "gauge",
    help: "Always 1; labels name the model version currently loaded.",
    labels: [LABEL.modelVersion],
  },
} as const satisfies Record<string, MetricSpec>;

/** Kubernetes workload metrics (cAdvisor via the kubelet, kube-state-metrics). */
export const KUBERNETES = {
  containerCpu: {
    name: "container_cpu_usage_seconds_total",
    kind: "counter",
    help: "cAdvisor: cumulative CPU time consumed by a container.",
    labels: [TARGET_LABEL.namespace, TARGET_LABEL.pod, TARGET_LABEL.container],
  },
  containerMemory: {
    name: "container_memory_working_set_bytes",
    kind: "gauge",
    help: "cAdvisor: working-set memory of a container.",
    labels: [TARGET_LABEL.namespace, TARGET_LABEL.pod, TARGET_LABEL.container],
  },
  networkReceive: {
    name: "container_network_receive_bytes_total",
    kind: "counter",
    help: "cAdvisor: bytes received by a pod's network interfaces.",
    labels: [TARGET_LABEL.namespace, TARGET_LABEL.pod, "interface"],
  },
  networkTransmit: {
    name: "container_network_transmit_bytes_total",
    kind: "counter",
    help: "cAdvisor: bytes sent by a pod's network interfaces.",
    labels: [TARGET_LABEL.namespace, TARGET_LABEL.pod, "interface"],
  },
  containerRestarts: {
    name: "kube_pod_container_status_restarts_total",
    kind: "counter",
    help: "kube-state-metrics: container restarts.",
    labels: [TARGET_LABEL.namespace, TARGET_LABEL.pod, TARGET_LABEL.container],
  },
} as const satisfies Record<string, MetricSpec>;

/** Every metric the dashboards and alerts may reference. */
export const ALL_METRICS: readonly MetricSpec[] = [...Object.values(CHURN_API), ...Object.values(KUBERNETES)];

/** Series names a histogram exposes. */
export function histogramSeries(metric: MetricSpec & { kind: "histogram" }): {
  bucket: string;
  sum: string;
  count: string;
} {
  return { bucket: `${metric.name}_bucket`, sum: `${metric.name}_sum`, count: `${metric.name}_count` };
}
