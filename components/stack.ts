/**
 * The whole program as one function of validated Settings, so the entry point stays
 * wiring only and the offline render and tests run exactly the same code.
 */
import * as pulumi from "@pulumi/pulumi";
import { Alerting } from "./alerting";
import { GrafanaContent } from "./grafana-content";
import { GrafanaDeployment } from "./grafana-deployment";
import { grafanaProvider } from "./grafana-provider";
import { planStack } from "./plan";
import { sealingTransformation, sealSecrets, Sealed } from "./secret-values";
import { Settings } from "./settings";
import { readContentRecord } from "../lib/content-record";

export interface StackOutputs {
  readonly environment: string;
  /** Where Pulumi (and you) reach Grafana's API. */
  readonly grafanaApiUrl: string;
  readonly namespace?: pulumi.Output<string>;
  readonly inClusterUrl?: pulumi.Output<string>;
  readonly externalUrl?: pulumi.Output<string | undefined>;
  readonly adminUser?: pulumi.Output<string>;
  /** A Pulumi secret: `npm run --silent pulumi -- stack output adminPassword --show-secrets --stack <stack>`. */
  readonly adminPassword?: pulumi.Output<string>;
  readonly dashboardUrls: pulumi.Output<Record<string, string>>;
  readonly contactPoints: string[];
}

export function createStack(settings: Settings): Sealed<StackOutputs> {
  // Everything that can be wrong is built and checked first: nothing is registered
  // unless the whole plan is valid.
  const plan = planStack(settings, { record: readContentRecord() });

  // Values set with --secret stay secret in every input and output that holds them.
  const secrets = settings.sealedValues;
  const sealing: pulumi.ComponentResourceOptions = secrets.length > 0 ? { transformations: [sealingTransformation(secrets)] } : {};
  const grafana =
    settings.deployment && plan.chartValues
      ? new GrafanaDeployment("grafana", { deployment: settings.deployment, chartValues: plan.chartValues }, sealing)
      : undefined;
  const provider = grafanaProvider(settings, grafana, sealing);
  const content = new GrafanaContent(
    "content",
    {
      folders: plan.folders,
      dashboards: plan.dashboards,
      restrictFolderEditing: settings.content.restrictFolderEditing,
      protectFolders: settings.environment === "prod",
    },
    { providers: [provider], ...sealing },
  );
  const alerting = new Alerting(
    "alerting",
    { settings: settings.alerting, ruleGroups: plan.ruleGroups, folders: content.folders },
    { providers: [provider], ...sealing },
  );
  const outputs: StackOutputs = {
    environment: settings.environment,
    grafanaApiUrl: settings.grafanaApi.url,
    namespace: grafana?.namespace,
    inClusterUrl: grafana?.inClusterUrl,
    externalUrl: grafana?.externalUrl,
    adminUser: grafana?.adminUser,
    adminPassword: grafana?.adminPassword,
    dashboardUrls: content.dashboardUrls,
    contactPoints: alerting.contactPoints,
  };
  return sealSecrets(outputs, secrets);
}
