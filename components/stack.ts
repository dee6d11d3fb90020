/**
 * The whole program as one function of validated Settings, so the entry point stays
 * wiring only and the offline render and tests run exactly the same code.
 *
 * Everything that can be wrong (dashboards, imported JSON, alert rules, chart values)
 * is built and checked first; the first resource is registered only when all is well.
 */
import * as pulumi from "@pulumi/pulumi";
import { ruleGroups } from "../alerts/rule-chain";
import { churnApiAlerts } from "../alerts/specs";
import { loadDashboards } from "../dashboards";
import { Alerting } from "./alerting";
import { chartValues } from "./chart-values";
import { GrafanaContent } from "./grafana-content";
import { GrafanaDeployment } from "./grafana-deployment";
import { grafanaProvider } from "./grafana-provider";
import { Settings } from "./settings";

export interface StackOutputs {
  readonly environment: string;
  /** Where Pulumi (and you) reach Grafana's API. */
  readonly grafanaApiUrl: string;
  readonly namespace?: pulumi.Output<string>;
  readonly inClusterUrl?: pulumi.Output<string>;
  readonly externalUrl?: pulumi.Output<string | undefined>;
  readonly adminUser?: pulumi.Output<string>;
  /** A Pulumi secret: `pulumi stack output adminPassword --show-secrets`. */
  readonly adminPassword?: pulumi.Output<string>;
  readonly dashboardUrls: pulumi.Output<Record<string, string>>;
  readonly contactPoints: string[];
}

export function createStack(settings: Settings): StackOutputs {
  // 1. Build and check everything; nothing is registered yet.
  const { folders, dashboards } = loadDashboards({
    environment: settings.environment,
    churnApiNamespace: settings.content.churnApiNamespace,
  });
  const alerting = settings.alerting;
  const groups = ruleGroups(
    churnApiAlerts({
      thresholds: alerting.thresholds,
      forWarning: alerting.forWarning,
      forCritical: alerting.forCritical,
      namespace: settings.content.churnApiNamespace,
    }),
    alerting.runbookBaseUrl,
  );
  const values = settings.deployment
    ? chartValues({ deployment: settings.deployment, prometheusUrl: settings.prometheusUrl })
    : undefined;

  // 2. Register.
  const grafana = settings.deployment && values
    ? new GrafanaDeployment("grafana", { deployment: settings.deployment, chartValues: values })
    : undefined;
  const provider = grafanaProvider(settings, grafana);
  const content = new GrafanaContent(
    "content",
    {
      folders,
      dashboards,
      restrictFolderEditing: settings.content.restrictFolderEditing,
      protectFolders: settings.environment === "prod",
    },
    { providers: [provider] },
  );
  const alertingComponent = new Alerting(
    "alerting",
    { settings: alerting, ruleGroups: groups, folders: content.folders },
    { providers: [provider] },
  );
  return {
    environment: settings.environment,
    grafanaApiUrl: settings.grafanaApi.url,
    namespace: grafana?.namespace,
    inClusterUrl: grafana?.inClusterUrl,
    externalUrl: grafana?.externalUrl,
    adminUser: grafana?.adminUser,
    adminPassword: grafana?.adminPassword,
    dashboardUrls: content.dashboardUrls,
    contactPoints: alertingComponent.contactPoints,
  };
}
