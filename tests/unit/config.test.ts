import * as assert from "node:assert/strict";
import { CONFIG_KEYS } from "../../components/config-keys";
import { parseSettings, RawConfig } from "../../components/settings";
import { InputError } from "../../lib/errors";
import { loadStackConfig, projectConfigDeclarations } from "../../render/stack-config";
import { rejectStack } from "../support/stack";

/** The dev stack's raw config as the CLI would pass it, with changes. */
function devRaw(changes: Record<string, string> = {}, secretKeys: string[] = []): RawConfig {
  const { values } = loadStackConfig("dev");
  const raw: Record<string, string> = {};
  for (const [k, v] of Object.entries(values)) raw[k.replace(/^grafana-k8s:/, "")] = v;
  return { stack: "dev", values: { ...raw, ...changes }, secretKeys: new Set(secretKeys) };
}

function problemsOf(raw: RawConfig): string {
  try {
    parseSettings(raw);
  } catch (err) {
    assert.ok(err instanceof InputError, `expected InputError, got ${String(err)}`);
    return err.message;
  }
  assert.fail("expected the config to be rejected");
}

describe("stack config", () => {
  describe("Pulumi.yaml schema", () => {
    const declared = projectConfigDeclarations();

    it("declares every key the program reads, and nothing else", () => {
      assert.deepEqual(Object.keys(declared).sort(), Object.keys(CONFIG_KEYS).sort());
    });

    it("gives every key a type and a description", () => {
      for (const [key, decl] of Object.entries(declared)) {
        assert.ok(["string", "integer", "boolean", "array"].includes(decl.type ?? ""), `${key} has type ${decl.type}`);
        assert.ok((decl.description ?? "").length > 10, `${key} has no description`);
      }
    });

    it("accepts its own defaults (only environment is required by the CLI; prometheusUrl by deployGrafana)", () => {
      const required = Object.entries(declared).filter(([, d]) => !("default" in d)).map(([k]) => k).sort();
      assert.deepEqual(required, ["environment"]);
      for (const [key, decl] of Object.entries(declared)) {
        if (!("default" in decl)) continue;
        const raw = typeof decl.default === "string" ? decl.default : JSON.stringify(decl.default);
        const parsed = CONFIG_KEYS[key as keyof typeof CONFIG_KEYS].schema.safeParse(raw);
        assert.ok(parsed.success, `default of ${key} (${raw}) is rejected by its own schema`);
      }
    });

    it("keeps secrets out of the committed stack files", () => {
      for (const stack of ["dev", "prod"]) {
        const { values } = loadStackConfig(stack);
        for (const [key, spec] of Object.entries(CONFIG_KEYS)) {
          if ("secret" in spec) assert.equal(values[`grafana-k8s:${key}`], "", `Pulumi.${stack}.yaml sets secret ${key} in plain text`);
        }
      }
    });
  });

  describe("parseSettings", () => {
    it("turns the dev stack into settings", () => {
      const s = parseSettings(devRaw());
      assert.equal(s.environment, "dev");
      assert.equal(s.deployment?.namespace, "grafana-dev");
      assert.equal(s.deployment?.persistence.size, "2Gi");
      assert.equal(s.deployment?.service.nodePort, 30300);
      assert.equal(s.grafanaApi.url, "http://localhost:3000");
      assert.equal(s.grafanaApi.auth, undefined);
    });

    it("derives the API URL from the ingress host when grafanaUrl is empty", () => {
      const s = parseSettings(devRaw({ grafanaUrl: "", ingressEnabled: "true", ingressHost: "grafana.dev.example.com", ingressTlsSecretName: "tls" }));
      assert.equal(s.grafanaApi.url, "https://grafana.dev.example.com");
      assert.equal(s.deployment?.rootUrl, "https://grafana.dev.example.com/");
    });

    it("falls back to the in-cluster service URL", () => {
      const s = parseSettings(devRaw({ grafanaUrl: "" }));
      assert.equal(s.grafanaApi.url, "http://grafana.grafana-dev.svc.cluster.local");
    });

    const rejected: [string, Record<string, string>, RegExp][] = [
      ["a bad storage size", { persistenceSize: "ten gigs" }, /persistenceSize: "ten gigs" is invalid: not a positive Kubernetes quantity[\s\S]*fix: use a size such as 10Gi/],
      ["a negative storage size", { persistenceSize: "-5Gi" }, /persistenceSize: "-5Gi" is invalid/],
      ["an unknown environment", { environment: "qa" }, /environment: "qa" is invalid: expected one of dev, staging, prod/],
      ["an unknown service type", { serviceType: "Ingress" }, /serviceType: "Ingress" is invalid: expected one of ClusterIP, NodePort, LoadBalancer/],
      ["a non-URL Prometheus", { prometheusUrl: "prometheus:9090" }, /prometheusUrl: "prometheus:9090" is invalid: expected an http\(s\) URL/],
      ["an empty Prometheus URL where Grafana is deployed", { prometheusUrl: "" }, /deployGrafana is true, so the URL of the Prometheus that Grafana's provisioned datasource reads is needed/],
      ["a non-boolean flag", { ingressEnabled: "yes" }, /ingressEnabled: "yes" is invalid: expected true or false/],
      ["a fractional replica count", { replicas: "1.5" }, /replicas: "1.5" is invalid: expected a whole number/],
      ["a misspelt key", { persistenceSzie: "5Gi" }, /persistenceSzie: unknown config key[\s\S]*did you mean persistenceSize\?/],
      ["an ingress without host", { ingressEnabled: "true" }, /ingressEnabled \+ grafana-k8s:ingressHost: ingressEnabled is true but ingressHost is empty/],
      ["several replicas on SQLite", { replicas: "3" }, /replicas is 3: several Grafana pods cannot share SQLite/],
      ["a node port without NodePort", { serviceType: "ClusterIP" }, /serviceNodePort 30300 needs serviceType NodePort/],
      ["bring-your-own without URL", { deployGrafana: "false", grafanaUrl: "" }, /deployGrafana is false, so the URL of your existing Grafana is needed/],
      ["an enabled Slack receiver without its secret", { alertSlackEnabled: "true" }, /alertSlackEnabled is true but the secret alertSlackWebhookUrl is not set[\s\S]*config set --stack \S+ --secret alertSlackWebhookUrl/],
      ["a maintenance window ending before it starts", { maintenanceWindowWeekdays: '["sunday"]', maintenanceWindowStart: "05:00", maintenanceWindowEnd: "04:00" }, /ends before it starts/],
      ["an unknown weekday", { maintenanceWindowWeekdays: '["someday"]' }, /maintenanceWindowWeekdays: "\[\\"someday\\"\]" is invalid: expected weekdays/],
      ["a drift threshold out of range", { alertDriftScore: "1.5" }, /alertDriftScore: "1.5" is invalid: must be below 1/],
      ["a bad duration", { alertForWarning: "ten minutes" }, /alertForWarning: "ten minutes" is invalid: not a pending period: it is not a duration/],
      // The Grafana provider parses `for` with go-openapi/strfmt: no years, and it reads 1d12h as 24h.
      ["a pending period in years", { alertForWarning: "1y" }, /alertForWarning: "1y" is invalid: .*years.*write "8760h"/],
      ["a day term combined with hours", { alertForCritical: "1d12h" }, /alertForCritical: "1d12h" is invalid: .*reads 1d12h as 24h.*write "36h"/],
      // Grafana reads the provider's "1.5s" as a Prometheus duration: whole numbers only.
      ["a pending period Grafana cannot read", { alertForWarning: "1500ms" }, /alertForWarning: "1500ms" is invalid: .*reaches Grafana as "1.5s"/],
    ];
    for (const [what, changes, expected] of rejected) {
      it(`rejects ${what}`, () => assert.match(problemsOf(devRaw(changes)), expected));
    }

    it("refuses a secret stored in plain text and never prints it", () => {
      const message = problemsOf(devRaw({ alertWebhookUrl: "https://hooks.example.com/token-123", alertWebhookEnabled: "true" }));
      assert.match(message, /alertWebhookUrl: is a secret but is stored in plain text/);
      assert.doesNotMatch(message, /token-123/);
    });

    it("accepts the same secret set with --secret", () => {
      const s = parseSettings(devRaw({ alertWebhookUrl: "https://hooks.example.com/token-123", alertWebhookEnabled: "true" }, ["alertWebhookUrl"]));
      assert.ok(s.alerting.receivers.webhook);
    });

    it("reports every problem at once", () => {
      const message = problemsOf(devRaw({ persistenceSize: "x", environment: "qa", serviceType: "Ingress" }));
      assert.match(message, /3 problems/);
    });
  });

  describe("invalid stacks stop the program before any resource is registered", () => {
    it("missing Prometheus URL", async () => {
      // The CLI applies Pulumi.yaml's default ("") to a key the stack file leaves out.
      const err = await rejectStack("dev", { overrides: { prometheusUrl: "" } });
      assert.match(err.message, /grafana-k8s:deployGrafana \+ grafana-k8s:prometheusUrl: deployGrafana is true, so the URL of the Prometheus[\s\S]*fix: npm run pulumi -- config set --stack dev prometheusUrl http/);
    });

    it("bad storage size", async () => {
      const err = await rejectStack("dev", { overrides: { persistenceSize: "lots" } });
      assert.match(err.message, /grafana-k8s:persistenceSize: "lots" is invalid: not a positive Kubernetes quantity/);
    });

    it("unknown environment", async () => {
      const err = await rejectStack("dev", { overrides: { environment: "production" } });
      assert.match(err.message, /grafana-k8s:environment: "production" is invalid: expected one of dev, staging, prod/);
    });

    it("persistence off in prod", async () => {
      const err = await rejectStack("prod", { overrides: { persistenceEnabled: false } });
      assert.match(err.message, /persistence is off in prod[\s\S]*fix: npm run pulumi -- config set --stack prod persistenceEnabled true/);
    });

    it("data protection off in prod", async () => {
      const err = await rejectStack("prod", { overrides: { protectData: false } });
      assert.match(err.message, /prod must protect its data against pulumi destroy/);
    });

    it("prod without its receiver secrets", async () => {
      const err = await rejectStack("prod", { remove: ["alertSlackWebhookUrl", "alertPagerdutyIntegrationKey"] });
      assert.match(err.message, /missing/);
    });
  });
});
