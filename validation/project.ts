/**
 * The whole project's checks in one call, as the program, the offline render and the
 * tests run them: pure functions returning every problem at once; `assertNoProblems`
 * turns them into one InputError before any resource is registered. Imports only what a
 * run needs (validation/index.ts also re-exports the PromQL checker, which loads the parser).
 */
import { GrafanaRuleGroup } from "../alerts/types";
import { DashboardSpec, FolderSpec } from "../dashboards/types";
import { InputError, Problem } from "../lib/errors";
import { alertLinkProblems, ruleFolderProblems } from "./alert-links";
import { validateRuleGroups } from "./alert-rules";
import { validateChartValues } from "./chart-keys";
import { DashboardValidationOptions, validateDashboards } from "./dashboards";
import { KnownDatasource } from "./datasources";
import { RunbookPage, runbookProblems } from "./runbooks";
import { ContentRecord } from "../lib/content-record";

export interface ProjectInput {
  /** Folders the stack declares; every rule group must be in one of them. */
  readonly folders: readonly FolderSpec[];
  readonly dashboards: readonly DashboardSpec[];
  readonly ruleGroups: readonly GrafanaRuleGroup[];
  /** Helm values of the grafana chart; absent in bring-your-own-Grafana mode. */
  readonly chartValues?: Readonly<Record<string, unknown>>;
  /** Chart version the values are for (required with chartValues). */
  readonly chartVersion?: string;
  /** Provisioned datasources. Default: the chart's Prometheus. */
  readonly datasources?: readonly KnownDatasource[];
  readonly strictSchema?: DashboardValidationOptions["strictSchema"];
  /** Units the build already validated (lib/content-record.ts); their own checks are skipped. Default: none. */
  readonly record?: ContentRecord;
  /** The runbook page the rules' derived runbook_url links point into, when it is this project's. */
  readonly runbooks?: RunbookPage;
}

/** Every problem in the project's content and chart values. */
export function validateProject(input: ProjectInput): Problem[] {
  const problems: Problem[] = [
    ...ruleFolderProblems(input.ruleGroups, input.folders),
    ...validateDashboards(input.dashboards, { datasources: input.datasources, strictSchema: input.strictSchema, record: input.record }),
    ...validateRuleGroups(input.ruleGroups, { datasources: input.datasources, record: input.record }),
    ...alertLinkProblems(input.ruleGroups, input.dashboards),
    ...(input.runbooks ? runbookProblems(input.ruleGroups, input.runbooks) : []),
  ];
  if (input.chartValues) {
    if (!input.chartVersion) {
      problems.push({ where: "chart values", message: "no chart version given, so values keys cannot be checked", fix: "pass chartVersion (the pinned chart version)" });
    } else {
      problems.push(...validateChartValues(input.chartValues, input.chartVersion));
    }
  }
  return problems;
}

/** Throws one InputError("Validation failed", problems) when there is any problem. */
export function assertNoProblems(problems: readonly Problem[], title = "Validation failed"): void {
  if (problems.length > 0) throw new InputError(title, problems);
}
