/**
 * The Grafana provider every content resource uses. Its URL is a plain string from
 * settings, so `pulumi preview` knows it without a deployed cluster.
 */
import * as pulumi from "@pulumi/pulumi";
// The provider module, not the package index, which sets up every Grafana resource type.
import { Provider } from "@pulumiverse/grafana/provider";
import { GrafanaDeployment } from "./grafana-deployment";
import { Settings } from "./settings";

/** A Grafana that has only just become ready can still answer 5xx for a few seconds. */
export const PROVIDER_RETRIES = 10;
export const PROVIDER_RETRY_WAIT_SECONDS = 3;

export function grafanaProvider(settings: Settings, deployment: GrafanaDeployment | undefined, opts: pulumi.ResourceOptions = {}): Provider {
  const auth =
    settings.grafanaApi.auth ??
    (deployment ? pulumi.secret(pulumi.interpolate`${deployment.adminUser}:${deployment.adminPassword}`) : undefined);
  if (!auth) {
    // parseSettings guarantees credentials in bring-your-own mode; this guards the invariant.
    throw new Error("no Grafana credentials: deployGrafana is false and grafanaAuth is not set");
  }
  return new Provider(
    "grafana",
    {
      url: settings.grafanaApi.url,
      auth,
      retries: PROVIDER_RETRIES,
      retryWait: PROVIDER_RETRY_WAIT_SECONDS,
    },
    // Configure only once the Helm release reports Grafana ready and, behind an
    // HTTPS ingress, cert-manager has issued its certificate (components/certificate.ts).
    { ...opts, dependsOn: deployment ? deployment.ready : [] },
  );
}
