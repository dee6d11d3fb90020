/**
 * Dashboard uids and panel ids that other parts of the project link to (alert rules,
 * dashboard links). Kept free of builder imports so alerts/ can import it cheaply.
 *
 * Panel ids are explicit and never reused: Grafana links (`viewPanel=<id>`) and alert
 * rules (`panelId`) point at them, so adding a panel must not renumber the others.
 * Take the next free number; rows use 100+ so they never collide with panels.
 */

/** Stable dashboard uids (at most 40 characters; changing one replaces the dashboard). */
export const DASHBOARD_UID = {
  performance: "churn-api-performance",
  model: "churn-api-model",
  infrastructure: "churn-api-infrastructure",
} as const;

export const PERFORMANCE_PANELS = {
  trafficRow: 100,
  requestsByPath: 1,
  /** Shows P95 (and P99) request latency. */
  p95Latency: 2,
  errorRate: 3,
  activeRequests: 4,
  predictionsPerMinute: 5,
  endpointsRow: 101,
  endpointStatistics: 6,
  latencyHeatmap: 7,
} as const;

export const MODEL_PANELS = {
  throughputRow: 100,
  predictionsPerSecond: 1,
  predictionLatencyP95: 2,
  loadedModelVersion: 3,
  qualityRow: 101,
  averageConfidence: 4,
  lowConfidence: 5,
  missingFeatures: 6,
  driftScore: 7,
  versionsRow: 102,
  predictionsByVersion: 8,
  predictionsByVersionBars: 9,
} as const;

export const INFRASTRUCTURE_PANELS = {
  resourcesRow: 100,
  cpu: 1,
  memory: 2,
  networkRow: 101,
  network: 3,
  restarts: 4,
} as const;
