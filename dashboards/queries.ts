/**
 * PromQL for every dashboard panel and variable, built from catalog/metrics.ts.
 *
 * Label selectors come from ONE helper, selector(scope, ...extra): a query names the
 * scope of series it is about and only adds what is specific to it (status, path ...).
 */
import {
  CHURN_API,
  CHURN_API_CONTAINER,
  CHURN_API_JOB,
  KUBERNETES,
  LABEL,
  TARGET_LABEL,
  histogramSeries,
} from "../catalog/metrics";

/** Dashboard variable names; queries refer to them as `$name`. */
export const VAR = {
  datasource: "datasource",
  environment: "environment",
  namespace: "namespace",
  endpoint: "endpoint",
  pod: "pod",
  modelVersion: "model_version",
  /** Look-back of the quality ratios (average confidence, low-confidence share). */
  window: "window",
} as const;

type Op = "=" | "!=" | "=~" | "!~";
export interface Matcher {
  readonly label: string;
  readonly op: Op;
  readonly value: string;
}
export const eq = (label: string, value: string): Matcher => ({ label, op: "=", value });
export const matches = (label: string, value: string): Matcher => ({ label, op: "=~", value });
const ref = (variable: string): string => `$${variable}`;

/**
 * Which series a query is about, widest first:
 * - job:         every churn API target (lists environments);
 * - environment: the churn API in the selected environment (lists namespaces);
 * - service:     the churn API in the selected environment and namespace;
 * - container:   its container in cAdvisor / kube-state-metrics series, which carry no
 *                job or environment label (the namespace variable already narrows those);
 * - pod:         its pods' network series (cAdvisor reports network per pod, no container).
 */
export type Scope = "job" | "environment" | "service" | "container" | "pod";

const SCOPES: Record<Scope, readonly Matcher[]> = {
  job: [eq(TARGET_LABEL.job, CHURN_API_JOB)],
  environment: [eq(TARGET_LABEL.job, CHURN_API_JOB), matches(TARGET_LABEL.environment, ref(VAR.environment))],
  service: [
    eq(TARGET_LABEL.job, CHURN_API_JOB),
    matches(TARGET_LABEL.namespace, ref(VAR.namespace)),
    matches(TARGET_LABEL.environment, ref(VAR.environment)),
  ],
  container: [
    matches(TARGET_LABEL.namespace, ref(VAR.namespace)),
    matches(TARGET_LABEL.pod, ref(VAR.pod)),
    eq(TARGET_LABEL.container, CHURN_API_CONTAINER),
  ],
  pod: [matches(TARGET_LABEL.namespace, ref(VAR.namespace)), matches(TARGET_LABEL.pod, ref(VAR.pod))],
};

/** `{job="churn-api", namespace=~"$namespace", ...}`: the scope's matchers plus `extra`. */
export function selector(scope: Scope, ...extra: Matcher[]): string {
  // JSON string escaping (\" and \\) is what PromQL expects inside double quotes.
  return `{${[...SCOPES[scope], ...extra].map((m) => `${m.label}${m.op}${JSON.stringify(m.value)}`).join(", ")}}`;
}

const RATE_INTERVAL = "$__rate_interval";
const RANGE = "$__range";

const rate = (series: string, sel: string, window = RATE_INTERVAL): string => `rate(${series}${sel}[${window}])`;
const increase = (series: string, sel: string, window = RANGE): string => `increase(${series}${sel}[${window}])`;
const sum = (expr: string, by: readonly string[] = []): string =>
  by.length ? `sum by (${by.join(", ")}) (${expr})` : `sum(${expr})`;
const quantile = (q: number, bucketRate: string, by: readonly string[] = []): string =>
  `histogram_quantile(${q}, ${sum(bucketRate, [...by, "le"])})`;
/** A counter that only appears after its first increment counts as 0 until then, so ratios still show. */
const orZero = (expr: string): string => `(${expr} or vector(0))`;

// Selectors shared by several panels.
const endpoint = matches(LABEL.path, ref(VAR.endpoint));
const modelVersion = matches(LABEL.modelVersion, ref(VAR.modelVersion));
const serverError = matches(LABEL.status, "5..");
const requests = CHURN_API.httpRequests.name;
const latencyBuckets = histogramSeries(CHURN_API.httpRequestDuration).bucket;

/** Variable queries (Grafana's label_values()), each chained on the variables before it. */
export const variableQueries = {
  // The in-flight gauge has no labels of its own, so it exists from the first scrape on.
  environment: `label_values(${CHURN_API.httpRequestsInFlight.name}${selector("job")}, ${TARGET_LABEL.environment})`,
  namespace: `label_values(${CHURN_API.httpRequestsInFlight.name}${selector("environment")}, ${TARGET_LABEL.namespace})`,
  endpoint: `label_values(${requests}${selector("service")}, ${LABEL.path})`,
  pod: `label_values(${CHURN_API.httpRequestsInFlight.name}${selector("service")}, ${TARGET_LABEL.pod})`,
  modelVersion: `label_values(${CHURN_API.predictions.name}${selector("service")}, ${LABEL.modelVersion})`,
} as const;

/** Churn API – Performance. */
export const performanceQueries = {
  requestsPerSecondByPath: sum(rate(requests, selector("service", endpoint)), [LABEL.path]),
  latencyQuantile: (q: number): string => quantile(q, rate(latencyBuckets, selector("service", endpoint))),
  errorRatePercent:
    `100 * ${orZero(sum(rate(requests, selector("service", endpoint, serverError))))}` +
    ` / ${sum(rate(requests, selector("service", endpoint)))}`,
  activeRequests: sum(`${CHURN_API.httpRequestsInFlight.name}${selector("service")}`),
  predictionsPerMinute: `60 * ${sum(rate(CHURN_API.predictions.name, selector("service")))}`,
  // Endpoint table: averages over the dashboard's time range.
  endpointRequestsPerSecond: sum(rate(requests, selector("service", endpoint), RANGE), [LABEL.path]),
  endpointLatencyP95: quantile(0.95, rate(latencyBuckets, selector("service", endpoint), RANGE), [LABEL.path]),
  latencyBuckets: sum(rate(latencyBuckets, selector("service", endpoint)), ["le"]),
} as const;

const predictions = CHURN_API.predictions.name;
const confidence = histogramSeries(CHURN_API.predictionConfidence);
const qualityWindow = ref(VAR.window);

/** ML Model Monitoring. */
export const modelQueries = {
  predictionsPerSecondByClass: sum(rate(predictions, selector("service", modelVersion)), [LABEL.prediction]),
  predictionLatencyP95ByVersion: quantile(
    0.95,
    rate(histogramSeries(CHURN_API.predictionDuration).bucket, selector("service", modelVersion)),
    [LABEL.modelVersion],
  ),
  loadedModelVersions: `count by (${LABEL.modelVersion}) (${CHURN_API.modelInfo.name}${selector("service")})`,
  averageConfidence:
    `${sum(rate(confidence.sum, selector("service", modelVersion), qualityWindow))}` +
    ` / ${sum(rate(confidence.count, selector("service", modelVersion), qualityWindow))}`,
  lowConfidencePercent:
    `100 * ${orZero(sum(rate(CHURN_API.lowConfidencePredictions.name, selector("service", modelVersion), qualityWindow)))}` +
    ` / ${sum(rate(predictions, selector("service", modelVersion), qualityWindow))}`,
  // Every replica reports the same drift score; max keeps one series per feature.
  driftScoreByFeature: `max by (${LABEL.feature}) (${CHURN_API.dataDriftScore.name}${selector("service")})`,
  missingFeaturesByFeature: sum(increase(CHURN_API.missingFeatures.name, selector("service")), [LABEL.feature]),
  predictionsPerSecondByVersion: sum(rate(predictions, selector("service", modelVersion)), [LABEL.modelVersion]),
  predictionsInRangeByVersion: sum(increase(predictions, selector("service", modelVersion)), [LABEL.modelVersion]),
} as const;

/** Infrastructure (Kubernetes workload). */
export const infrastructureQueries = {
  cpuCoresByPod: sum(rate(KUBERNETES.containerCpu.name, selector("container")), [TARGET_LABEL.pod]),
  memoryBytesByPod: sum(`${KUBERNETES.containerMemory.name}${selector("container")}`, [TARGET_LABEL.pod]),
  networkReceiveByPod: sum(rate(KUBERNETES.networkReceive.name, selector("pod")), [TARGET_LABEL.pod]),
  networkTransmitByPod: sum(rate(KUBERNETES.networkTransmit.name, selector("pod")), [TARGET_LABEL.pod]),
  restartsInRangeByPod: sum(increase(KUBERNETES.containerRestarts.name, selector("container")), [TARGET_LABEL.pod]),
  restartsTotalByPod: sum(`${KUBERNETES.containerRestarts.name}${selector("container")}`, [TARGET_LABEL.pod]),
} as const;
