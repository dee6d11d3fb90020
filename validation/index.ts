/**
 * Input validation for the program, the offline render and the tests: pure functions
 * returning every problem at once; `assertNoProblems` turns them into one InputError before
 * any resource is registered.
 */

export { checkPromQL, PromQLIssue, PromQLIssueKind, selectedMetricNames } from "./promql";
export { promqlProblems } from "./query";
export { validateDashboards, builtPanelIdProblems, DashboardValidationOptions } from "./dashboards";
export { MAX_UID_LENGTH, UID_PATTERN, uidFormatProblems } from "../lib/grafana-uid";
export { validateRuleGroups, RuleValidationOptions } from "./alert-rules";
export { validateChartValues, chartKeysFile } from "./chart-keys";
export { isProjectRunbookPage, markdownAnchors, runbookProblems, RunbookPage } from "./runbooks";
export { KnownDatasource, DEFAULT_DATASOURCES } from "./datasources";
export { dashboardVariables, representativeValue, interpolateForValidation, BUILT_IN_VARIABLES, DashboardVariables } from "./variables";
export { parsePrometheusDuration, parseRuleDuration } from "../lib/durations";
export { ProjectInput, validateProject, assertNoProblems } from "./project";
export { ContentRecord, readContentRecord, EMPTY_RECORD } from "../lib/content-record";
