/** Test support for a real Prometheus scraping the reference workload. */
export * from "../../../lib/prometheus";
export { requirePrometheus } from "./binaries";
export { parseExposition, scrape, sumOf } from "../../../lib/prometheus/exposition";
export type { ExposedSample, Exposition } from "../../../lib/prometheus/exposition";
export { exposedNames, scenarioEvidence, startLoadedStack, withLoadedPrometheus } from "./stack";
export type { LoadedStack, LoadedStackOptions } from "./stack";
export { testStackPlan, TEST_NAMESPACE } from "./plan";
export { resolveVariables, variableQueryText } from "../../../preview/variables";
export type { ResolvedVariable, ResolvedVariables } from "../../../preview/variables";
export { dashboardTargets, effectiveIntervalMs, formatTable, panelName, runQuery, shortenQuery } from "./panel-queries";
export type { PanelTarget, QueryOutcome, SkippedTarget } from "./panel-queries";
export { alertShape, alertUnitTest, bucketQuantile } from "./alert-tests";
export type { AlertShape, AlertUnitTest, AlertUnitTestOptions, ExpectedAlert, Placement, Scenario, Timeline } from "./alert-tests";
export { checkRules, runPromtool, tempDir, testRules } from "./promtool";
export type { PromtoolResult } from "./promtool";
export { formatG, humanize, humanizeDuration, humanizePercentage, renderTemplate } from "./go-template";
