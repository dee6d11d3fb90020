/**
 * The ingress certificate, issued by cert-manager and awaited by Pulumi.
 *
 * On the first `pulumi up` the Grafana provider talks to https://<ingressHost> as soon
 * as the Helm release is ready; until cert-manager has issued the certificate, the
 * ingress controller serves its self-signed default one and every API call fails TLS
 * verification, which the provider does not retry (it retries 429 and 5xx answers). So
 * the program creates the cert-manager Certificate itself (cert-manager.io/v1; the
 * ingress-shim annotation would create the same object outside Pulumi's view) and
 * pulumi-kubernetes waits until its Ready condition is True (`pulumi.com/waitFor`,
 * pulumi-kubernetes >= 4.18); the provider depends on it (components/grafana-provider.ts).
 */
import { DeploymentSettings } from "./settings";

/** How long the first issuance may take (ACME HTTP-01 needs DNS and the ingress controller). */
export const CERTIFICATE_TIMEOUT_SECONDS = 900;

export interface CertificateSpec {
  readonly name: string;
  readonly annotations: Readonly<Record<string, string>>;
  readonly spec: {
    readonly secretName: string;
    readonly dnsNames: readonly string[];
    readonly issuerRef: { readonly name: string; readonly kind: "ClusterIssuer"; readonly group: "cert-manager.io" };
  };
}

/** The Certificate the stack needs, when its ingress certificate comes from a ClusterIssuer. */
export function ingressCertificate(d: Pick<DeploymentSettings, "ingress">): CertificateSpec | undefined {
  const ingress = d.ingress;
  if (!ingress?.clusterIssuer || !ingress.tlsSecretName) return undefined;
  return {
    // Named after its Secret, as cert-manager's ingress-shim names the ones it creates.
    name: ingress.tlsSecretName,
    annotations: {
      "pulumi.com/waitFor": "condition=Ready",
      "pulumi.com/timeoutSeconds": String(CERTIFICATE_TIMEOUT_SECONDS),
    },
    spec: {
      secretName: ingress.tlsSecretName,
      dnsNames: [ingress.host],
      issuerRef: { name: ingress.clusterIssuer, kind: "ClusterIssuer", group: "cert-manager.io" },
    },
  };
}
