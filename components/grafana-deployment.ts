/**
 * GrafanaDeployment: namespace, generated admin credentials, and the pinned grafana
 * Helm release configured by chartValues().
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { ADMIN_SECRET_KEYS, ChartValues, objectNames, SMTP_SECRET_KEYS } from "./chart-values";
import { DeploymentSettings } from "./settings";

export interface GrafanaDeploymentArgs {
  readonly deployment: DeploymentSettings;
  /** Values for the chart, from chartValues() (computed and checked before anything is registered). */
  readonly chartValues: ChartValues;
}

export class GrafanaDeployment extends pulumi.ComponentResource {
  public readonly namespace: pulumi.Output<string>;
  public readonly release: k8s.helm.v3.Release;
  /** http://<release>.<namespace>.svc.cluster.local, resolved once the release is installed. */
  public readonly inClusterUrl: pulumi.Output<string>;
  /** The ingress URL, when Grafana is exposed through one. */
  public readonly externalUrl: pulumi.Output<string | undefined>;
  public readonly adminUser: pulumi.Output<string>;
  /** A Pulumi secret. */
  public readonly adminPassword: pulumi.Output<string>;

  constructor(name: string, args: GrafanaDeploymentArgs, opts?: pulumi.ComponentResourceOptions) {
    super("grafana-k8s:index:GrafanaDeployment", name, {}, opts);
    const d = args.deployment;
    const names = objectNames(d);
    // In prod (protectData) nothing that holds Grafana's data may go with a destroy:
    // `protect` refuses the delete, `retainOnDelete` leaves the object in the cluster
    // if protection is lifted deliberately.
    const keep: pulumi.CustomResourceOptions = d.protectData ? { protect: true, retainOnDelete: true } : {};

    const namespace = new k8s.core.v1.Namespace(
      `${name}-namespace`,
      { metadata: { name: d.namespace, labels: { "app.kubernetes.io/part-of": "grafana" } } },
      { parent: this, ...keep },
    );
    const ns = namespace.metadata.name;

    const password = new random.RandomPassword(
      `${name}-admin-password`,
      { length: 32, special: false },
      // Grafana reads the admin password only on first start: a new one would lock
      // the provider out of a persisted database.
      { parent: this, protect: d.protectData },
    );
    const adminSecret = new k8s.core.v1.Secret(
      `${name}-admin-credentials`,
      {
        metadata: { name: names.adminSecret, namespace: ns },
        type: "Opaque",
        stringData: { [ADMIN_SECRET_KEYS.user]: d.adminUser, [ADMIN_SECRET_KEYS.password]: password.result },
      },
      { parent: this },
    );
    const dependsOn: pulumi.Resource[] = [adminSecret];
    if (d.smtp?.user && d.smtp.password) {
      dependsOn.push(
        new k8s.core.v1.Secret(
          `${name}-smtp`,
          {
            metadata: { name: names.smtpSecret, namespace: ns },
            type: "Opaque",
            stringData: { [SMTP_SECRET_KEYS.user]: d.smtp.user, [SMTP_SECRET_KEYS.password]: d.smtp.password },
          },
          { parent: this },
        ),
      );
    }

    this.release = new k8s.helm.v3.Release(
      `${name}-release`,
      {
        name: d.releaseName,
        namespace: ns,
        chart: d.chart.name,
        version: d.chart.version,
        repositoryOpts: { repo: d.chart.repo },
        values: args.chartValues,
        // Wait for Grafana to be ready so the content provider can connect right after.
        skipAwait: false,
        timeout: 600,
        cleanupOnFail: true,
        maxHistory: 10,
      },
      { parent: this, dependsOn, ...keep },
    );

    this.namespace = ns;
    this.inClusterUrl = pulumi.interpolate`http://${this.release.status.name}.${this.release.status.namespace}.svc.cluster.local`;
    this.externalUrl = pulumi.output(
      d.ingress ? `${d.ingress.tlsSecretName ? "https" : "http"}://${d.ingress.host}` : undefined,
    );
    this.adminUser = pulumi.output(d.adminUser);
    this.adminPassword = pulumi.secret(password.result);

    this.registerOutputs({
      namespace: this.namespace,
      inClusterUrl: this.inClusterUrl,
      externalUrl: this.externalUrl,
      adminUser: this.adminUser,
      adminPassword: this.adminPassword,
    });
  }
}
