/** The reference churn API workload: public API (see docs/workload.md). */
export { startWorkload, UNMATCHED_PATH } from "./server";
export type { Workload, WorkloadOptions } from "./server";
export { ChurnService, PREDICTED_CLASS } from "./service";
export type { Prediction, ServiceOptions } from "./service";
export { createChurnApiMetrics } from "./metrics";
export type { ChurnApiMetrics } from "./metrics";
export { NO_FAULTS } from "./faults";
export type { Faults } from "./faults";
export { FEATURES, FEATURE_NAMES, DRIFTED_POPULATION, sampleCustomer, toInput } from "./features";
export type { Customer, CustomerInput, FeatureName } from "./features";
export { psi, DriftMonitor } from "./drift";
export { startKubeExporter, SyntheticPods } from "./kube-metrics";
export type { KubeExporter, KubeExporterOptions, KubeSource } from "./kube-metrics";
export {
  DEGRADED_FAULTS,
  SCENARIOS,
  driveScenarios,
  runScenario,
  serverFaults,
  startBackgroundLoad,
} from "./load";
export type { BackgroundLoad, LoadOptions, LoadReport, Scenario } from "./load";
export { startReceiver, formatNotification } from "./alert-receiver";
export type { Receiver, ReceiverOptions } from "./alert-receiver";
export { GRAFANA_WEBHOOK, parseGrafanaWebhook } from "./grafana-webhook";
export type { GrafanaWebhook, GrafanaAlert } from "./grafana-webhook";
