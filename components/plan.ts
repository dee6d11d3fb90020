/**
 * Everything a stack will deploy, computed and checked without registering anything:
 * dashboards (built and imported), folders, alert rules, chart values. The program,
 * the offline render and `npm run validate` all start here.
 */
import { readAlertRuleFiles } from "../alerts/imported";
import { ruleGroups } from "../alerts/rule-chain";
import { churnApiAlerts } from "../alerts/specs";
import { AlertSpec, GrafanaRuleGroup } from "../alerts/types";
import { collectDashboards } from "../dashboards";
import { DashboardSpec, FolderSpec } from "../dashboards/types";
import { assertNoProblems, validateProject } from "../validation";
import { chartValues, ChartValues } from "./chart-values";
import { Settings } from "./settings";

export interface StackPlan {
  readonly settings: Settings;
  readonly folders: readonly FolderSpec[];
  readonly dashboards: readonly DashboardSpec[];
  readonly alerts: readonly AlertSpec[];
  readonly ruleGroups: readonly GrafanaRuleGroup[];
  /** Helm values, when this stack deploys Grafana. */
  readonly chartValues?: ChartValues;
}

export function planStack(settings: Settings): StackPlan {
  const { folders, dashboards, problems: importProblems } = collectDashboards({
    environment: settings.environment,
    churnApiNamespace: settings.content.churnApiNamespace,
  });
  const alerting = settings.alerting;
  const dropIn = readAlertRuleFiles();
  const alerts = [...churnApiAlerts({ ...alerting, namespace: settings.content.churnApiNamespace }), ...dropIn.specs];
  const plan: StackPlan = {
    settings,
    folders,
    dashboards,
    alerts,
    ruleGroups: ruleGroups(alerts, alerting.runbookBaseUrl),
    chartValues: settings.deployment
      ? chartValues({ deployment: settings.deployment, prometheusUrl: settings.prometheusUrl })
      : undefined,
  };
  // Import and validation problems together: one report, nothing registered.
  assertNoProblems([
    ...importProblems,
    ...dropIn.problems,
    ...validateProject({
      folders,
      dashboards: plan.dashboards,
      ruleGroups: plan.ruleGroups,
      chartValues: plan.chartValues,
      chartVersion: settings.deployment?.chart.version,
    }),
  ]);
  return plan;
}
