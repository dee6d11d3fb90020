/**
 * Everything a stack will deploy, computed and checked without registering anything:
 * dashboards (built and imported), folders, alert rules, chart values. The program,
 * the offline render and `npm run validate` all start here.
 */
import * as fs from "node:fs";
import { readAlertRuleFiles } from "../alerts/imported";
import { prometheusRuleFile, PrometheusRuleFile } from "../alerts/prometheus-rules";
import { importedRuleGroups, ImportedRuleOptions, ruleGroups } from "../alerts/rule-chain";
import { churnApiAlerts } from "../alerts/specs";
import { AlertSpec, GrafanaRuleGroup, ImportedRuleGroup } from "../alerts/types";
import { readDatasourceMapping } from "../catalog/datasource-mapping";
import { collectDashboards } from "../dashboards";
import { IMPORTED_FOLDER } from "../dashboards/folders";
import { DashboardSpec, FolderSpec } from "../dashboards/types";
import { Problem } from "../lib/errors";
import { assertNoProblems, validateProject } from "../validation/project";
import { ContentRecord } from "../lib/content-record";
import { chartValues, ChartValues } from "./chart-values";
import { fromRoot } from "../lib/paths";
import { redactProblem } from "../lib/shown-value";
import { problemForStack } from "./stack-commands";
import { isProjectRunbookPage, markdownAnchors, RunbookPage } from "../validation/runbooks";
import { Settings } from "./settings";

export interface StackPlan {
  readonly settings: Settings;
  readonly folders: readonly FolderSpec[];
  readonly dashboards: readonly DashboardSpec[];
  /** Alerts in the project's format: built-in (alerts/specs.ts) and drop-ins. */
  readonly alerts: readonly AlertSpec[];
  /** Rule groups of foreign rule files (Prometheus, PrometheusRule, Grafana exports) dropped in. */
  readonly importedGroups: readonly ImportedRuleGroup[];
  readonly ruleGroups: readonly GrafanaRuleGroup[];
  /** Helm values, when this stack deploys Grafana. */
  readonly chartValues?: ChartValues;
  /** docs/runbooks.md, when the stack's runbookBaseUrl publishes it: rules' links into it are checked. */
  readonly runbooks?: RunbookPage;
}

/** A plan before validation, with what prevented reading drop-in files. */
export interface AssembledPlan {
  readonly plan: StackPlan;
  readonly problems: readonly Problem[];
}

/** Builds everything the stack deploys without checking it (the build records what passes). */
export function assemblePlan(settings: Settings, opts: PlanOptions = {}): AssembledPlan {
  const { mapping, problems: mappingProblems } = readDatasourceMapping();
  const collected = collectDashboards(
    { environment: settings.environment, churnApiNamespace: settings.content.churnApiNamespace },
    undefined,
    { converted: opts.record?.importedDashboards, mapping },
  );
  const { dashboards, problems: importProblems } = collected;
  const alerting = settings.alerting;
  const dropIn = readAlertRuleFiles(undefined, { parsed: opts.record?.ruleFiles, mapping });
  // alerts/rules/imported/ lands in the Imported folder, as dashboards/*.json do: created when used.
  const usesImported = [...dropIn.specs, ...dropIn.groups].some((r) => r.folderUid === IMPORTED_FOLDER.uid);
  const folders = usesImported && !collected.folders.some((f) => f.uid === IMPORTED_FOLDER.uid) ? [...collected.folders, IMPORTED_FOLDER] : collected.folders;
  const alerts = [...churnApiAlerts({ ...alerting, namespace: settings.content.churnApiNamespace }), ...dropIn.specs];
  const imported = importedRuleOptions(alerting.runbookBaseUrl, folders);
  const runbooks = projectRunbookPage(alerting.runbookBaseUrl);
  const plan: StackPlan = {
    settings,
    folders,
    dashboards,
    alerts,
    importedGroups: dropIn.groups,
    ruleGroups: [...ruleGroups(alerts, alerting.runbookBaseUrl, runbooks.page?.anchors), ...importedRuleGroups(dropIn.groups, imported)],
    runbooks: runbooks.page,
    chartValues: settings.deployment
      ? chartValues({
          deployment: settings.deployment,
          recordingRules: dropIn.groups.some((g) => g.rules.some((r) => r.kind === "recording" || (r.kind === "grafana" && r.rule.record !== undefined))),
        })
      : undefined,
  };
  return { plan, problems: [...mappingProblems, ...importProblems, ...dropIn.problems, ...runbooks.problems] };
}

const RUNBOOK_PAGE = "docs/runbooks.md";

/** docs/runbooks.md, when the stack's runbookBaseUrl publishes it (another runbook site cannot be checked here). */
function projectRunbookPage(baseUrl: string): { page?: RunbookPage; problems: Problem[] } {
  if (!isProjectRunbookPage(baseUrl, RUNBOOK_PAGE)) return { problems: [] };
  try {
    return { page: { baseUrl, anchors: markdownAnchors(fs.readFileSync(fromRoot(RUNBOOK_PAGE), "utf8")), source: RUNBOOK_PAGE }, problems: [] };
  } catch (err) {
    return { problems: [{ where: RUNBOOK_PAGE, message: `cannot be read (${(err as Error).message}), but runbookBaseUrl ${baseUrl} links every alert into it`, fix: "restore docs/runbooks.md, or point runbookBaseUrl at your runbook site" }] };
  }
}

function importedRuleOptions(runbookBaseUrl: string, folders: readonly FolderSpec[]): ImportedRuleOptions {
  return { runbookBaseUrl, folders: new Map(folders.map((f) => [f.uid, f])) };
}

/** Every alerting and recording rule of the plan that has a Prometheus form, as one Prometheus rule file (review, promtool). */
export function prometheusRulesOf(plan: StackPlan): PrometheusRuleFile {
  const base = plan.settings.alerting.runbookBaseUrl;
  return prometheusRuleFile(plan.alerts, base, { groups: plan.importedGroups, options: importedRuleOptions(base, plan.folders) }, plan.runbooks?.anchors);
}

export interface PlanOptions {
  /** What the build already validated (the program passes readContentRecord()). Default: check everything. */
  readonly record?: ContentRecord;
}

/** The checked plan; throws one InputError listing every problem, before anything is registered. */
export function planStack(settings: Settings, opts: PlanOptions = {}): StackPlan {
  const { plan, problems } = assemblePlan(settings, opts);
  // Import and validation problems together: one report, nothing registered; a value
  // set with --secret that a message quotes (a namespace in a query) prints as [secret].
  const all = [
    ...problems,
    ...validateProject({
      folders: plan.folders,
      dashboards: plan.dashboards,
      ruleGroups: plan.ruleGroups,
      chartValues: plan.chartValues,
      chartVersion: settings.deployment?.chart.version,
      record: opts.record,
      runbooks: plan.runbooks,
    }),
  ];
  assertNoProblems(all.map((p) => redactProblem(problemForStack(p, settings.stack), settings.secretValues)));
  return plan;
}
