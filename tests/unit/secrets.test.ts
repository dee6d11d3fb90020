import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { CONFIG_KEYS } from "../../components/config-keys";
import { isSecretValue, ProgramRun } from "../../render/mock-engine";
import { renderStack } from "../../render/render";
import { deployStack, RunOptions, single, TYPES } from "../support/stack";

/** A distinctive value for every secret key the program knows, valid for its schema. */
const SECRETS: Record<string, string> = {
  grafanaAuth: "sweep-grafana-auth-token-0001",
  smtpPassword: "sweep-smtp-password-0002",
  databasePassword: "sweep-database-password-0003",
  alertSlackWebhookUrl: "https://hooks.slack.com/services/SWEEP/SLACK/sweep-0004",
  alertWebhookUrl: "https://hooks.example.com/sweep-webhook-0005",
  alertPagerdutyIntegrationKey: "sweeppagerdutykey0006sweep",
  alertSlackToken: "xoxb-sweep-slack-token-0007",
};
/** Slack takes a webhook or a bot token, not both: the token gets a variant of its own. */
const { alertSlackToken, ...WEBHOOK_SECRETS } = SECRETS;

/** Where each configured secret value occurs outside a secret wrapper. */
function plainOccurrences(value: unknown, secrets: readonly string[], path: string, found: string[]): void {
  if (isSecretValue(value)) return;
  if (typeof value === "string") {
    for (const s of secrets) if (value.includes(s)) found.push(`${path} holds ${s}`);
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => plainOccurrences(v, secrets, `${path}[${i}]`, found));
  } else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) plainOccurrences(v, secrets, `${path}.${k}`, found);
  }
}

/** Text keys that are not declared secret but may be set with --secret (a token in a URL, a login). */
const SEALED: Record<string, string> = {
  prometheusUrl: "http://prometheus.monitoring.svc:9090/?token=sweep-token-0007",
  grafanaUrl: "http://grafana-sweep-0008.example:3000",
  churnApiNamespace: "churn-sweep-0009",
  smtpUser: "sweep-login-0010",
  runbookBaseUrl: "https://wiki.example/sweep-runbooks-0011",
  // Issue 13's contact point URL: the webhook contact point takes it sealed.
  alertDemoReceiverUrl: "http://receiver-sweep-0012.example:9095/",
};

const variants: Record<string, { stack: string; options: RunOptions; declaredOnly?: true }> = {
  "prod in HA with every receiver and SMTP": {
    stack: "prod",
    declaredOnly: true,
    options: {
      overrides: {
        replicas: 2,
        persistenceEnabled: false,
        databaseType: "postgres",
        databaseHost: "db.internal:5432",
        alertEmailEnabled: true,
        alertEmailAddresses: ["oncall@example.com"],
        smtpHost: "smtp.example.com:587",
        smtpFromAddress: "grafana@example.com",
        smtpUser: "grafana",
        alertWebhookEnabled: true,
      },
      secrets: WEBHOOK_SECRETS,
    },
  },
  "dev posting to Slack as a bot": {
    stack: "dev",
    options: { overrides: { alertSlackEnabled: true, alertSlackChannel: "#churn-api-alerts" }, secrets: { alertSlackToken } },
  },
  "dev bringing its own Grafana": {
    stack: "dev",
    options: { overrides: { deployGrafana: false, grafanaUrl: "https://grafana.corp.example", prometheusUrl: "" }, secrets: { grafanaAuth: SECRETS.grafanaAuth } },
    declaredOnly: true,
  },
  "dev with text keys set with --secret (sealed wherever they go)": {
    stack: "dev",
    options: {
      overrides: { smtpHost: "smtp.example.com:587", smtpFromAddress: "grafana@example.com", alertEmailEnabled: true, alertEmailAddresses: ["oncall@example.com"] },
      secrets: { ...SEALED, smtpPassword: SECRETS.smtpPassword },
    },
  },
};

describe("secrets stay secret end to end", () => {
  it("covers every secret key the program reads", () => {
    const secretKeys = Object.entries(CONFIG_KEYS).filter(([, spec]) => "secret" in spec).map(([k]) => k).sort();
    assert.deepEqual(Object.keys(SECRETS).sort(), secretKeys);
  });

  for (const [name, { stack, options, declaredOnly }] of Object.entries(variants)) {
    describe(name, () => {
      let run: ProgramRun;
      const configured = Object.values(options.secrets ?? {});
      before(async () => {
        run = await deployStack(stack, options);
      });

      it("every registered input holding a configured secret is marked secret", () => {
        const found: string[] = [];
        for (const r of run.resources) plainOccurrences(r.inputs, configured, `${r.type} ${r.name}`, found);
        assert.deepEqual(found, []);
      });

      it("the secrets reach the resources that need them (the sweep is not vacuous)", () => {
        const all = JSON.stringify(run.resources.map((r) => r.inputs));
        for (const s of configured) assert.ok(all.includes(s), `${s} was never registered`);
      });

      // A text key set with --secret (prometheusUrl) has to reach the values: sealed, as the sweep checks.
      if (declaredOnly) it("no declared secret enters the Helm values, even wrapped", () => {
        const release = run.resources.find((r) => r.type === TYPES.release);
        if (!release) return assert.equal(stack, "dev", "only bring-your-own mode has no release");
        const text = JSON.stringify(release.inputs.values);
        for (const s of configured) assert.ok(!text.includes(s), `Helm values contain ${s}`);
      });

      it("outputs expose secrets only as secret outputs", () => {
        for (const [key, value] of Object.entries(run.outputs)) {
          if (run.secretOutputs.includes(key)) continue;
          const text = JSON.stringify(value) ?? "";
          for (const s of [...configured, "mock-password-for"]) assert.ok(!text.includes(s), `output ${key} reveals a secret`);
        }
      });
    });
  }

  it("the offline render writes a text key set with --secret nowhere (values, rules, dashboards, Prometheus rules)", async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "sealed-render-"));
    try {
      const result = await renderStack("dev", { outRoot: out, config: { secrets: { prometheusUrl: SEALED.prometheusUrl, churnApiNamespace: SEALED.churnApiNamespace } } });
      assert.equal(result.error, undefined, String(result.error));
      const written = result.files.map((f) => fs.readFileSync(path.join(result.outDir, f), "utf8")).join("\n");
      for (const value of [SEALED.prometheusUrl, SEALED.churnApiNamespace]) assert.ok(!written.includes(value), `the render wrote ${value}`);
      assert.match(fs.readFileSync(path.join(result.outDir, "helm", "values.yaml"), "utf8"), /url: "\[secret\]"/);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });

  it("the provider's credentials are secret in both modes", async () => {
    const byo = await deployStack("dev", variants["dev bringing its own Grafana"].options);
    assert.ok(isSecretValue(single(byo, TYPES.provider).inputs.auth));
    const deployed = await deployStack("dev");
    assert.ok(isSecretValue(single(deployed, TYPES.provider).inputs.auth));
  });
});
