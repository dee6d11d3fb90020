/**
 * The whole program as one function of validated Settings, so the entry point stays
 * wiring only and the offline render and tests run exactly the same code.
 */
import * as pulumi from "@pulumi/pulumi";
import { GrafanaDeployment } from "./grafana-deployment";
import { Settings } from "./settings";

export interface StackOutputs {
  readonly environment: string;
  readonly grafanaApiUrl: string;
  readonly namespace?: pulumi.Output<string>;
  readonly inClusterUrl?: pulumi.Output<string>;
  readonly externalUrl?: pulumi.Output<string | undefined>;
  readonly adminUser?: pulumi.Output<string>;
  /** A Pulumi secret: `pulumi stack output adminPassword --show-secrets`. */
  readonly adminPassword?: pulumi.Output<string>;
}

export function createStack(settings: Settings): StackOutputs {
  const grafana = settings.deployment
    ? new GrafanaDeployment("grafana", { deployment: settings.deployment, prometheusUrl: settings.prometheusUrl })
    : undefined;
  return {
    environment: settings.environment,
    grafanaApiUrl: settings.grafanaApi.url,
    namespace: grafana?.namespace,
    inClusterUrl: grafana?.inClusterUrl,
    externalUrl: grafana?.externalUrl,
    adminUser: grafana?.adminUser,
    adminPassword: grafana?.adminPassword,
  };
}
