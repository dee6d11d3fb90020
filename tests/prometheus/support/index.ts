/** Test support for a real Prometheus scraping the reference workload. */
export { ENV, INSTALL_COMMAND, findPrometheusBinaries, requirePrometheus } from "./binaries";
export type { PrometheusBinaries } from "./binaries";
export { onExit } from "./cleanup";
export { freePort } from "./ports";
export { asVector, prometheusConfig, PrometheusQueryError, seriesCount, startPrometheus } from "./prometheus";
export type {
  ActiveTarget,
  ChurnApiTarget,
  Labels,
  PrometheusHandle,
  PrometheusTargets,
  QueryData,
  RangeSeries,
  StartPrometheusOptions,
} from "./prometheus";
export { waitForSeries, waitUntil } from "./wait";
export type { WaitOptions } from "./wait";
export { parseExposition, scrape, sumOf } from "./exposition";
export type { ExposedSample, Exposition } from "./exposition";
export { exposedNames, scenarioEvidence, startLoadedStack, withLoadedPrometheus } from "./stack";
export type { LoadedStack, LoadedStackOptions } from "./stack";
export { testStackPlan, TEST_NAMESPACE } from "./plan";
export { resolveVariables, variableQueryText } from "./variables";
export type { ResolvedVariable, ResolvedVariables } from "./variables";
export { dashboardTargets, effectiveIntervalMs, formatTable, panelName, runQuery, shortenQuery } from "./panel-queries";
export type { PanelTarget, QueryOutcome, SkippedTarget } from "./panel-queries";
export { alertShape, alertUnitTest, bucketQuantile } from "./alert-tests";
export type { AlertShape, AlertUnitTest, AlertUnitTestOptions, ExpectedAlert, Placement, Scenario, Timeline } from "./alert-tests";
export { checkRules, runPromtool, tempDir, testRules } from "./promtool";
export type { PromtoolResult } from "./promtool";
export { formatG, humanize, humanizeDuration, humanizePercentage, renderTemplate } from "./go-template";
