/**
 * GrafanaDeployment: namespace, generated admin credentials, and the pinned grafana
 * Helm release configured by chartValues().
 */
// The four resource modules, not the package index: the index sets up every Kubernetes
// type (about 30 ms of each program start, against about 1 ms for these).
import { CustomResource } from "@pulumi/kubernetes/apiextensions/customResource";
import { Namespace } from "@pulumi/kubernetes/core/v1/namespace";
import { Secret } from "@pulumi/kubernetes/core/v1/secret";
import { Release } from "@pulumi/kubernetes/helm/v3/release";
import { NetworkPolicy } from "@pulumi/kubernetes/networking/v1/networkPolicy";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { ADMIN_PASSWORD, ADMIN_PASSWORD_KEEP_ON_CHANGE } from "./admin-password";
import { ingressCertificate } from "./certificate";
import {
  ADMIN_SECRET_KEYS,
  ChartValues,
  DATABASE_PASSWORD_KEY,
  objectNames,
  podLabels,
  SECRET_KEY_KEY,
  SMTP_SECRET_KEYS,
} from "./chart-values";
import { GOSSIP_PORT } from "./grafana-ini";
import { DeploymentSettings } from "./settings";

export interface GrafanaDeploymentArgs {
  readonly deployment: DeploymentSettings;
  /** Values for the chart, from chartValues() (computed and checked before anything is registered). */
  readonly chartValues: ChartValues;
}

export class GrafanaDeployment extends pulumi.ComponentResource {
  public readonly namespace: pulumi.Output<string>;
  public readonly release: Release;
  /** What must be ready before Grafana's API can be used: the release, and the ingress certificate when cert-manager issues it. */
  public readonly ready: pulumi.Resource[];
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

    const namespace = new Namespace(
      `${name}-namespace`,
      { metadata: { name: d.namespace, labels: { "app.kubernetes.io/part-of": "grafana" } } },
      { parent: this, ...keep },
    );
    const ns = namespace.metadata.name;

    const opaque = (role: string, secretName: string, data: Record<string, pulumi.Input<string>>) =>
      new Secret(
        `${name}-${role}`,
        { metadata: { name: secretName, namespace: ns }, type: "Opaque", stringData: data },
        { parent: this },
      );
    // Both are read once and then live in Grafana's database: Grafana takes the admin
    // password only on first start (a new one would lock the provider out), and
    // encrypts stored datasource and contact-point secrets with the secret key.
    const generatedOptions = { parent: this, protect: d.protectData };
    const password = new random.RandomPassword(`${name}-admin-password`, { ...ADMIN_PASSWORD }, { ...generatedOptions, ignoreChanges: [...ADMIN_PASSWORD_KEEP_ON_CHANGE] });
    const secretKey = new random.RandomPassword(`${name}-secret-key`, { length: 48, special: false }, generatedOptions);
    const dependsOn: pulumi.Resource[] = [
      opaque("admin-credentials", names.adminSecret, { [ADMIN_SECRET_KEYS.user]: d.adminUser, [ADMIN_SECRET_KEYS.password]: password.result }),
      opaque("secret-key", names.secretKeySecret, { [SECRET_KEY_KEY]: secretKey.result }),
    ];
    if (d.database) {
      dependsOn.push(opaque("database", names.databaseSecret, { [DATABASE_PASSWORD_KEY]: d.database.password }));
    }
    if (d.smtp?.user && d.smtp.password) {
      dependsOn.push(opaque("smtp", names.smtpSecret, { [SMTP_SECRET_KEYS.user]: d.smtp.user, [SMTP_SECRET_KEYS.password]: d.smtp.password }));
    }
    if (d.networkPolicy) {
      this.networkPolicy(name, ns, d);
    }

    this.release = new Release(
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

    const certificate = ingressCertificate(d);
    this.ready = [this.release];
    if (certificate) {
      this.ready.push(
        new CustomResource(
          `${name}-certificate`,
          {
            apiVersion: "cert-manager.io/v1",
            kind: "Certificate",
            metadata: { name: certificate.name, namespace: ns, annotations: certificate.annotations },
            spec: certificate.spec,
          },
          { parent: this },
        ),
      );
    }

    this.namespace = ns;
    this.inClusterUrl = pulumi.interpolate`http://${this.release.status.name}.${this.release.status.namespace}.svc.cluster.local`;
    this.externalUrl = pulumi.output(d.externalUrl);
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

  /**
   * Only the ingress controller (users, the Grafana provider) and Prometheus (metrics)
   * reach Grafana's HTTP port; in HA the peers also reach each other's gossip port.
   */
  private networkPolicy(name: string, namespace: pulumi.Output<string>, d: DeploymentSettings): NetworkPolicy {
    const policy = d.networkPolicy!;
    const fromNamespace = (ns: string) => ({ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": ns } } });
    const http = [{ protocol: "TCP", port: 3000 }];
    return new NetworkPolicy(
      `${name}-network-policy`,
      {
        metadata: { name: `${d.releaseName}-ingress`, namespace },
        spec: {
          podSelector: { matchLabels: podLabels(d) },
          policyTypes: ["Ingress"],
          ingress: [
            { from: [fromNamespace(policy.ingressControllerNamespace)], ports: http },
            { from: [fromNamespace(policy.prometheusNamespace)], ports: http },
            ...(d.highAvailability
              ? [
                  {
                    from: [{ podSelector: { matchLabels: podLabels(d) } }],
                    ports: [
                      { protocol: "TCP", port: GOSSIP_PORT },
                      { protocol: "UDP", port: GOSSIP_PORT },
                    ],
                  },
                ]
              : []),
          ],
        },
      },
      { parent: this },
    );
  }
}
