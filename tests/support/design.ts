/**
 * The seed's design, by name: what tests of the shipped content check is there. Never a
 * total: a dashboard or rule added the documented way (README: drop-in dashboards and
 * alert rules) must keep every test green; totals belong only to fixtures a test creates.
 */

/** The five alerts the project ships (alerts/specs.ts), each with its own runbook section. */
export const ALERT_NAMES = [
  "ChurnApiHighLatencyP95",
  "ChurnApiHighErrorRate",
  "ChurnApiTooManyActiveRequests",
  "ChurnApiDataDrift",
  "ChurnApiLowConfidencePredictions",
] as const;

/** Dashboards built by the modules (dashboards/uids.ts). */
export const BUILT_DASHBOARD_UIDS = ["churn-api-performance", "churn-api-model", "churn-api-infrastructure"] as const;

/** The drop-in dashboard the project ships as an example (README). */
export const EXAMPLE_DROP_IN_UID = "churn-api-slo";

/** Folders the project declares (dashboards/folders.ts), parents first. */
export const FOLDER_UIDS = ["churn-api", "churn-api-service", "churn-api-ml", "churn-api-infra"] as const;
