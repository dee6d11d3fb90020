import * as assert from "node:assert/strict";
import { chartValues } from "../../components/chart-values";
import { DeploymentSettings } from "../../components/settings";
import { validateChartValues } from "../../validation/chart-keys";
import { Expected, assertProblems } from "./helpers";

const VERSION = "12.11.1";
const WHERE = `chart values (grafana ${VERSION})`;

/** A representative production-like deployment: ingress with TLS, persistence, SMTP, NodePort. */
const DEPLOYMENT: DeploymentSettings = {
  namespace: "grafana",
  prometheusUrl: "http://prometheus.monitoring.svc:9090",
  prometheusUrlIsSecret: false,
  releaseName: "grafana",
  chart: { name: "grafana", repo: "https://grafana-community.github.io/helm-charts", version: VERSION },
  adminUser: "admin",
  replicas: 1,
  persistence: { enabled: true, size: "10Gi", storageClass: "standard" },
  protectData: true,
  resources: { requests: { cpu: "100m", memory: "256Mi" }, limits: { cpu: "1", memory: "1Gi" } },
  service: { type: "NodePort", nodePort: 30080 },
  ingress: { host: "grafana.example.com", className: "nginx", tlsSecretName: "grafana-tls" },
  rootUrl: "https://grafana.example.com/",
  smtp: { host: "smtp.example.com:587", fromAddress: "grafana@example.com", user: "grafana" },
  highAvailability: false,
};

interface Case {
  readonly name: string;
  readonly values: Record<string, unknown>;
  readonly version?: string;
  readonly expect: readonly Expected[];
}

const CASES: readonly Case[] = [
  {
    name: "misspelt top-level key (persistance.enabled)",
    values: { persistance: { enabled: true } },
    expect: [{ where: `${WHERE}: persistance.enabled`, words: ['unknown values key "persistance.enabled"', "ignores it silently"], fix: ["did you mean persistence.enabled?"] }],
  },
  {
    name: "misspelt nested key (ingress.hostz)",
    values: { ingress: { enabled: true, hostz: ["a.example.com"] } },
    expect: [{ where: `${WHERE}: ingress.hostz`, words: ['unknown values key "ingress.hostz"'], fix: ["did you mean ingress.hosts?"] }],
  },
  {
    name: "every leaf of an unknown subtree",
    values: { admn: { existingSecret: "s", userKey: "u" } },
    expect: [
      { where: `${WHERE}: admn.existingSecret`, words: ["unknown values key"], fix: ["admin.existingSecret"] },
      { where: `${WHERE}: admn.userKey`, words: ["unknown values key"], fix: ["admin.userKey"] },
    ],
  },
  {
    name: "unknown chart version",
    values: { replicas: 1 },
    version: "99.0.0",
    expect: [{ where: "chart values (grafana 99.0.0)", words: ["no key list for chart version 99.0.0"], fix: ["derive-chart-keys", "grafana-99.0.0.json"] }],
  },
];

describe("validateChartValues", () => {
  for (const c of CASES) {
    it(`reports: ${c.name}`, () => assertProblems(validateChartValues(c.values, c.version ?? VERSION), c.expect));
  }

  it("accepts any key under grafana.ini and the other free-form maps", () => {
    const values = {
      "grafana.ini": { server: { root_url: "https://x/" }, "auth.generic_oauth": { enabled: true, anything: "goes" } },
      datasources: { "datasources.yaml": { apiVersion: 1, datasources: [{ name: "x" }] } },
      podDisruptionBudget: { minAvailable: 1 },
      resources: { requests: { cpu: "1", "nvidia.com/gpu": 1 } },
      env: { GF_FEATURE_TOGGLES_ENABLE: "x" },
      service: { annotations: { "a/b": "c" }, labels: { team: "ml" } },
      securityContext: { runAsUser: 472, fsGroup: 472 },
    };
    assertProblems(validateChartValues(values, VERSION), []);
  });

  it("accepts keys that values.yaml only mentions in comments but templates read", () => {
    const values = { adminPassword: "x", persistence: { storageClassName: "s", existingClaim: "c" }, ingress: { ingressClassName: "nginx" } };
    assertProblems(validateChartValues(values, VERSION), []);
  });

  it("accepts the real chartValues() output for a representative deployment", () => {
    const values = chartValues({ deployment: DEPLOYMENT });
    assert.equal((values.persistence as { storageClassName?: string }).storageClassName, "standard");
    assertProblems(validateChartValues(values, VERSION), []);
  });

  it("accepts chartValues() with persistence and ingress off", () => {
    const minimal: DeploymentSettings = { ...DEPLOYMENT, persistence: { enabled: false, size: "1Gi" }, ingress: undefined, smtp: undefined, service: { type: "ClusterIP" } };
    assertProblems(validateChartValues(chartValues({ deployment: minimal }), VERSION), []);
  });
});
