import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { PolicyPackArgs, Secret } from "@pulumi/policy";
import * as YAML from "yaml";
import { UNKNOWN_SENTINELS } from "../../policy/lib/props";
import {
  alertRulesHaveSeverityAndRunbook,
  containersHaveResourceLimits,
  dashboardsHaveUidAndFolder,
  noPlaintextSecretsInHelmValues,
  PACK_NAME,
  policies,
  prodKeepsItsData,
} from "../../policy/policies";
import { isSecretKey } from "../../policy/policies/no-plaintext-secrets-in-helm-values";
import { resourceArgs, ResourceInput, violations } from "./args";
import {
  dashboard,
  DEPLOYMENT,
  grafanaRelease,
  haValues,
  persistentValues,
  rule,
  ruleGroup,
  UNKNOWN_OBJECT,
  UNKNOWN_STRING,
} from "./fixtures";

const REPO_ROOT = path.resolve(__dirname, "../../..");
const POLICY_DIR = path.join(REPO_ROOT, "policy");
const EXPECTED_POLICIES = [
  "prod-keeps-its-data",
  "containers-have-resource-limits",
  "no-plaintext-secrets-in-helm-values",
  "alert-rules-have-severity-and-runbook",
  "dashboards-have-uid-and-folder",
];

type Values = Record<string, unknown>;

const check = (policy: Parameters<typeof violations>[0], input: ResourceInput) => violations(policy, resourceArgs(input));

describe("policy pack", () => {
  it("lists exactly the five policies, each mandatory", () => {
    assert.deepEqual(
      policies.map((p) => [p.name, p.enforcementLevel]),
      EXPECTED_POLICIES.map((name) => [name, "mandatory"]),
    );
  });

  it("policy/index.ts hands exactly these policies to PolicyPack, mandatory", () => {
    // Constructing the real PolicyPack starts the analyzer's gRPC server, so swap in a
    // recorder for the module's export while the compiled entry point loads.
    const sdkPath = require.resolve("@pulumi/policy", { paths: [path.join(REPO_ROOT, "bin", "policy")] });
    const sdkModule = require.cache[sdkPath];
    assert.ok(sdkModule, "@pulumi/policy is loaded");
    const realExports: object = sdkModule.exports;
    const constructed: { name: string; args: PolicyPackArgs }[] = [];
    class RecordingPolicyPack {
      constructor(name: string, args: PolicyPackArgs) {
        constructed.push({ name, args });
      }
    }
    const entry = require.resolve(POLICY_DIR); // what run-policy-pack requires: policy/package.json "main"
    sdkModule.exports = { ...realExports, PolicyPack: RecordingPolicyPack };
    try {
      delete require.cache[entry];
      require(entry);
    } finally {
      sdkModule.exports = realExports;
      delete require.cache[entry];
    }
    assert.equal(constructed.length, 1);
    const [{ name, args }] = constructed;
    assert.equal(name, PACK_NAME);
    assert.match(name, /^[a-zA-Z0-9-_.]{1,100}$/);
    assert.equal(args.enforcementLevel, "mandatory");
    assert.deepEqual(
      args.policies.map((p) => [p.name, p.enforcementLevel]),
      EXPECTED_POLICIES.map((n) => [n, "mandatory"]),
    );
  });

  it("is laid out for `pulumi preview --policy-pack policy`: runtime nodejs, versioned package whose main is the build", () => {
    const manifest = YAML.parse(fs.readFileSync(path.join(POLICY_DIR, "PulumiPolicy.yaml"), "utf8")) as { runtime: unknown };
    assert.equal(manifest.runtime, "nodejs");
    const pkg = JSON.parse(fs.readFileSync(path.join(POLICY_DIR, "package.json"), "utf8")) as { version?: string };
    assert.match(pkg.version ?? "", /^\d+\.\d+\.\d+$/); // PolicyPack throws without it
    assert.equal(require.resolve(POLICY_DIR), path.join(REPO_ROOT, "bin", "policy", "index.js"));
    // The CLI's pulumi-analyzer-policy script resolves the runner from the pack's folder.
    assert.ok(require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [POLICY_DIR] }));
  });

  it("knows the engine's unknown-value sentinels exactly as the SDK does", () => {
    const sdkProxy = require("@pulumi/policy/proxy") as Record<string, unknown>;
    const sdkSentinels = Object.keys(sdkProxy)
      .filter((k) => /^unknown[A-Z]\w*Value$/.test(k))
      .map((k) => sdkProxy[k]);
    assert.equal(sdkSentinels.length, 7);
    assert.deepEqual(new Set(sdkSentinels), UNKNOWN_SENTINELS);
  });
});

describe("prod-keeps-its-data", () => {
  const protectedRelease = (values: unknown, stack = "prod") => grafanaRelease(values, { stack, opts: { protect: true } });

  it("accepts a protected prod release with persistence", async () => {
    assert.deepEqual(await check(prodKeepsItsData, protectedRelease(persistentValues())), []);
  });

  it("accepts the HA mode: replicas > 1, persistence off, postgres with an $__env{} password", async () => {
    assert.deepEqual(await check(prodKeepsItsData, protectedRelease(haValues())), []);
    assert.deepEqual(await check(noPlaintextSecretsInHelmValues, protectedRelease(haValues())), []);
  });

  it("reports an unprotected prod release without persistence", async () => {
    const values = { ...persistentValues(), persistence: { enabled: false } };
    assert.deepEqual(await check(prodKeepsItsData, grafanaRelease(values, { stack: "prod" })), [
      'Helm release "grafana-release" in production stack "prod" is not protected: `pulumi destroy` or a replacement would ' +
        "uninstall it, and Grafana's data with it. Fix: register it with resource options { protect: true, retainOnDelete: true } " +
        "(config grafana-k8s:protectData: true).",
      'Helm release "grafana-release" in production stack "prod": values keep Grafana\'s database on the pod\'s ephemeral disk ' +
        "(values.persistence.enabled is not true and there is no external database): dashboards, users and alert state go with " +
        "the pod. Fix: use either persistence (values.persistence.enabled: true, 1 replica, deploymentStrategy Recreate) or HA " +
        '(values.replicas > 1, values.persistence.enabled: false, values["grafana.ini"].database.type postgres|mysql with its ' +
        'password as "$__env{GF_DATABASE_PASSWORD}").',
    ]);
  });

  it("reports several replicas on SQLite, even with persistence", async () => {
    const values = { ...persistentValues(), replicas: 2 };
    const reported = await check(prodKeepsItsData, protectedRelease(values));
    assert.equal(reported.length, 1);
    assert.match(reported[0], /^Helm release "grafana-release" in production stack "prod": values run 2 replicas on Grafana's embedded SQLite database/);
  });

  it("reports HA without an external database type", async () => {
    const values = haValues();
    values["grafana.ini"] = { database: { type: "sqlite3" } };
    const reported = await check(prodKeepsItsData, protectedRelease(values));
    assert.equal(reported.length, 1);
    assert.match(reported[0], /values run 3 replicas on Grafana's embedded SQLite database/);
  });

  it("ignores non-production stacks and other charts", async () => {
    const bare = { persistence: { enabled: false } };
    assert.deepEqual(await check(prodKeepsItsData, grafanaRelease(bare, { stack: "dev" })), []);
    const other = grafanaRelease(bare, { stack: "prod" });
    assert.deepEqual(await check(prodKeepsItsData, { ...other, props: { ...other.props, chart: "loki" } }), []);
  });

  it("takes the production pattern from the pack config (default ^prod)", async () => {
    const bare = { persistence: { enabled: false } };
    assert.equal((await check(prodKeepsItsData, grafanaRelease(bare, { stack: "prod-eu" }))).length, 2);
    const config = { prodStackPattern: "^(live|prd)$" };
    assert.equal((await check(prodKeepsItsData, grafanaRelease(bare, { stack: "live", config }))).length, 2);
    assert.deepEqual(await check(prodKeepsItsData, grafanaRelease(bare, { stack: "prod", config })), []);
    await assert.rejects(check(prodKeepsItsData, grafanaRelease(bare, { stack: "prod", config: { prodStackPattern: "(" } })), /not a valid regular expression/);
  });

  it("leaves values still unknown at preview to the update", async () => {
    const unknownFlag = { ...persistentValues(), persistence: { enabled: "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7" } };
    assert.deepEqual(await check(prodKeepsItsData, { ...protectedRelease(unknownFlag), proxied: true }), []);
    const unknownBlock = { ...persistentValues(), persistence: UNKNOWN_OBJECT };
    assert.deepEqual(await check(prodKeepsItsData, { ...protectedRelease(unknownBlock), proxied: true }), []);
  });
});

describe("containers-have-resource-limits", () => {
  const workload = (type: string, podSpec: Values): ResourceInput => ({
    type,
    name: "workload",
    props: type.endsWith(":Pod") ? { spec: podSpec } : { spec: { template: { spec: podSpec } } },
  });
  const limited = (name: string) => ({ name, image: "busybox", resources: { limits: { cpu: "100m", memory: 64 * 1024 * 1024 } } });

  it("accepts the grafana release with cpu and memory limits", async () => {
    assert.deepEqual(await check(containersHaveResourceLimits, grafanaRelease(persistentValues())), []);
  });

  it("reports the grafana release without a memory limit", async () => {
    const values = { ...persistentValues(), resources: { limits: { cpu: "1" } } };
    assert.deepEqual(await check(containersHaveResourceLimits, grafanaRelease(values)), [
      'Helm release "grafana-release" (chart grafana) has no values.resources.limits.memory: an unbounded Grafana pod can ' +
        "starve its node. Fix: set values.resources.limits.cpu and .memory (config grafana-k8s:cpuLimit and grafana-k8s:memoryLimit).",
    ]);
  });

  it("accepts workloads whose containers and initContainers all have limits", async () => {
    for (const type of ["kubernetes:apps/v1:Deployment", "kubernetes:apps/v1:StatefulSet", "kubernetes:apps/v1:DaemonSet", "kubernetes:core/v1:Pod"]) {
      assert.deepEqual(await check(containersHaveResourceLimits, workload(type, { initContainers: [limited("init")], containers: [limited("app")] })), [], type);
    }
  });

  it("reports each container and initContainer that lacks a limit", async () => {
    const podSpec = {
      initContainers: [{ name: "init", resources: { limits: { memory: "64Mi" } } }],
      containers: [{ name: "app" }, limited("sidecar")],
    };
    const fix = 'Fix: set resources.limits.cpu and resources.limits.memory (for example cpu "500m", memory "512Mi").';
    assert.deepEqual(await check(containersHaveResourceLimits, workload(DEPLOYMENT, podSpec)), [
      `Deployment "workload" initContainer "init" (spec.template.spec.initContainers[0]) has no resources.limits.cpu. ${fix}`,
      `Deployment "workload" container "app" (spec.template.spec.containers[0]) has no resources.limits.cpu or resources.limits.memory. ${fix}`,
    ]);
  });

  it("finds a CronJob's pod spec and a Pod's", async () => {
    const cronJob: ResourceInput = {
      type: "kubernetes:batch/v1:CronJob",
      name: "backup",
      props: { spec: { schedule: "0 3 * * *", jobTemplate: { spec: { template: { spec: { containers: [{ name: "dump" }] } } } } } },
    };
    const [cronMessage] = await check(containersHaveResourceLimits, cronJob);
    assert.match(cronMessage, /^CronJob "backup" container "dump" \(spec\.jobTemplate\.spec\.template\.spec\.containers\[0\]\) has no/);
    const [podMessage] = await check(containersHaveResourceLimits, workload("kubernetes:core/v1:Pod", { containers: [{ name: "c", resources: {} }] }));
    assert.match(podMessage, /^Pod "workload" container "c" \(spec\.containers\[0\]\) has no resources\.limits\.cpu or resources\.limits\.memory\./);
  });

  it("ignores other resources", async () => {
    assert.deepEqual(await check(containersHaveResourceLimits, { type: "kubernetes:core/v1:Service", props: { spec: {} } }), []);
  });
});

describe("no-plaintext-secrets-in-helm-values", () => {
  const SECRET_VALUES = ["hunter2", "s3cr3t-key", "oauth-client-secret", "ds-password", "abcd1234", "https://hooks.slack.com/services/T0/B0/XYZ", "postgres://grafana:pw@db:5432/grafana"];
  const fix =
    'Fix: keep the value in a Kubernetes Secret and reference it: "$__env{VAR}" with the variable from the Secret ' +
    '(envValueFrom / envFromSecret), "$__file{/path}" with the Secret mounted (extraSecretMounts), or the chart\'s existingSecret option.';
  const where = 'Helm release "grafana-release"';

  it("accepts the project's values: existingSecret, key names, TLS secret names, $__env/$__file references", async () => {
    assert.deepEqual(await check(noPlaintextSecretsInHelmValues, grafanaRelease(persistentValues())), []);
  });

  it("reports every plain-text secret by path, never by value", async () => {
    const values: Values = {
      ...persistentValues(),
      adminPassword: SECRET_VALUES[0],
      "grafana.ini": {
        database: { type: "postgres", password: SECRET_VALUES[0], url: SECRET_VALUES[6] },
        security: { secret_key: SECRET_VALUES[1] },
        "auth.generic_oauth": { token_url: "https://sso.example.com/token", client_secret: SECRET_VALUES[2] },
      },
      datasources: {
        "datasources.yaml": { datasources: [{ name: "Loki", basicAuth: true, secureJsonData: { basicAuthPassword: SECRET_VALUES[3] } }] },
      },
      imageRenderer: { env: { RENDERING_API_KEY: SECRET_VALUES[4] } },
      alerting: {
        "contactpoints.yaml": { contactPoints: [{ name: "slack", receivers: [{ type: "slack", settings: { url: SECRET_VALUES[5] } }] }] },
      },
    };
    const reported = await check(noPlaintextSecretsInHelmValues, grafanaRelease(values));
    // In key order: "grafana.ini" keeps its place from persistentValues(), adminPassword comes after it.
    assert.deepEqual(reported, [
      `${where}: values["grafana.ini"].database.password holds a plain-text secret. ${fix}`,
      `${where}: values["grafana.ini"].database.url holds a URL with an embedded password. ${fix}`,
      `${where}: values["grafana.ini"].security.secret_key holds a plain-text secret. ${fix}`,
      `${where}: values["grafana.ini"]["auth.generic_oauth"].client_secret holds a plain-text secret. ${fix}`,
      `${where}: values.adminPassword is set in plain text. Fix: remove it and use values.admin.existingSecret ` +
        "(a Secret with admin-user/admin-password keys, named by admin.userKey/admin.passwordKey).",
      `${where}: values.datasources["datasources.yaml"].datasources[0].secureJsonData.basicAuthPassword holds a plain-text secret. ${fix}`,
      `${where}: values.imageRenderer.env.RENDERING_API_KEY holds a plain-text secret. ${fix}`,
      `${where}: values.alerting["contactpoints.yaml"].contactPoints[0].receivers[0].settings.url holds a webhook URL, which embeds ` +
        `its credential. ${fix} Or create the contact point with grafana:alerting/contactPoint from a Pulumi secret instead of chart provisioning.`,
    ]);
    for (const message of reported) {
      for (const secret of SECRET_VALUES) {
        assert.ok(!message.includes(secret), `a violation leaks a value: ${message}`);
      }
    }
  });

  it("reports a Pulumi secret in the values", async () => {
    const values = { ...persistentValues(), smtp: { user: "grafana", password: new Secret(SECRET_VALUES[0]) } };
    assert.deepEqual(await check(noPlaintextSecretsInHelmValues, grafanaRelease(values)), [
      `${where}: values.smtp.password is a Pulumi secret; Helm renders it into the release manifest in plain text. ${fix}`,
    ]);
  });

  it("reports a value computed at preview (as the engine sends it, through the SDK's proxy) unless allowed by config", async () => {
    const values = { ...persistentValues(), "grafana.ini": { database: { type: "postgres", password: UNKNOWN_STRING } } };
    const input = { ...grafanaRelease(values), proxied: true };
    const path = 'values["grafana.ini"].database.password';
    assert.deepEqual(await check(noPlaintextSecretsInHelmValues, input), [
      `${where}: ${path} is computed at preview (a resource output or secret, e.g. a generated password), so it cannot be shown ` +
        "not to be a secret, and whatever it resolves to is stored in the release manifest. Keep chart values plain data. " +
        `${fix} If the value is not sensitive, add "${path}" to this policy's allowComputedPaths.`,
    ]);
    assert.deepEqual(await check(noPlaintextSecretsInHelmValues, { ...input, config: { allowComputedPaths: [path] } }), []);
  });

  it("reports values that are entirely computed at preview", async () => {
    const [message] = await check(noPlaintextSecretsInHelmValues, { ...grafanaRelease(UNKNOWN_OBJECT), proxied: true });
    assert.match(message, /^Helm release "grafana-release": values is computed at preview/);
  });

  it("checks every Helm release, not only grafana", async () => {
    const loki = grafanaRelease({ loki: { auth: { password: SECRET_VALUES[0] } } }, { name: "loki" });
    const [message] = await check(noPlaintextSecretsInHelmValues, { ...loki, props: { ...loki.props, chart: "loki" } });
    assert.match(message, /^Helm release "loki": values\.loki\.auth\.password holds a plain-text secret\./);
  });

  it("tells secret keys from references to secrets", () => {
    for (const key of ["password", "adminPassword", "passwd", "secret", "secret_key", "token", "accessToken", "apikey", "api_key", "client_secret", "private_key", "webhook_url", "slackWebhookUrl", "integrationKey"]) {
      assert.equal(isSecretKey(key), true, key);
    }
    for (const key of ["existingSecret", "envFromSecret", "secretName", "passwordKey", "userKey", "token_url", "secretKeyRef", "passwordFile", "cookie_secure", "user", "url"]) {
      assert.equal(isSecretKey(key), false, key);
    }
  });
});

describe("alert-rules-have-severity-and-runbook", () => {
  const fixSeverity = "Fix: set labels.severity to one of critical, warning, info (the notification policy routes on it).";
  const fixRunbook = "Fix: set annotations.runbook_url to the rule's runbook section (alerts/rule-chain.ts runbookUrl()).";

  it("accepts rules with severity, summary and an https runbook", async () => {
    const rules = ["critical", "warning", "info"].map((severity) => rule({ labels: { severity } }));
    assert.deepEqual(await check(alertRulesHaveSeverityAndRunbook, ruleGroup(rules)), []);
  });

  it("reports each missing or malformed field of each rule", async () => {
    const rules = [
      rule(),
      rule({ name: "ChurnApiErrors", labels: { severity: "high" }, annotations: { runbook_url: "docs/runbooks.md#churnapierrors" } }),
      rule({ name: "ChurnApiDown", labels: {}, annotations: { summary: "Churn API is down", runbook_url: "ftp://example.com/runbook" } }),
    ];
    assert.deepEqual(await check(alertRulesHaveSeverityAndRunbook, ruleGroup(rules)), [
      `Alert rule "ChurnApiErrors" (rules[1]) in rule group "churn-api" has labels.severity "high". ${fixSeverity}`,
      'Alert rule "ChurnApiErrors" (rules[1]) in rule group "churn-api" has no annotations.summary. Fix: add a one-line, static summary of what is wrong.',
      `Alert rule "ChurnApiErrors" (rules[1]) in rule group "churn-api" has an annotations.runbook_url that is not an http(s) URL. ${fixRunbook}`,
      `Alert rule "ChurnApiDown" (rules[2]) in rule group "churn-api" has no labels.severity. ${fixSeverity}`,
      `Alert rule "ChurnApiDown" (rules[2]) in rule group "churn-api" has an annotations.runbook_url that is not an http(s) URL. ${fixRunbook}`,
    ]);
  });

  it("leaves rule fields still unknown at preview to the update", async () => {
    const input = { ...ruleGroup([rule({ labels: UNKNOWN_OBJECT, annotations: UNKNOWN_OBJECT })]), proxied: true };
    assert.deepEqual(await check(alertRulesHaveSeverityAndRunbook, input), []);
  });

  it("reports a rule with no annotations at all", async () => {
    const bare = rule({ name: "Bare" });
    delete bare.annotations;
    assert.deepEqual(await check(alertRulesHaveSeverityAndRunbook, ruleGroup([bare])), [
      'Alert rule "Bare" (rules[0]) in rule group "churn-api" has no annotations.summary. Fix: add a one-line, static summary of what is wrong.',
      `Alert rule "Bare" (rules[0]) in rule group "churn-api" has no annotations.runbook_url. ${fixRunbook}`,
    ]);
  });
});

describe("dashboards-have-uid-and-folder", () => {
  const label = 'Dashboard "content-dashboard-overview"';

  it("accepts a dashboard with a uid in its model and a folder", async () => {
    assert.deepEqual(await check(dashboardsHaveUidAndFolder, dashboard({ uid: "churn-api-overview", title: "Churn API" })), []);
  });

  it("accepts a folder uid that is computed at preview (the folder is created in the same update)", async () => {
    const input = { ...dashboard({ uid: "churn-api-overview" }, UNKNOWN_STRING), proxied: true };
    assert.deepEqual(await check(dashboardsHaveUidAndFolder, input), []);
  });

  it("reports a missing uid and a missing folder", async () => {
    assert.deepEqual(await check(dashboardsHaveUidAndFolder, dashboard({ title: "Churn API" }, "")), [
      `${label} has no "uid" in configJson: Grafana would generate one per create. Fix: set a stable uid in the dashboard model.`,
      `${label} has no folder, so it lands in General. Fix: set folder to a folder's uid (folder: someFolder.uid).`,
    ]);
    const noFolder = dashboard({ uid: "x" });
    assert.deepEqual(await check(dashboardsHaveUidAndFolder, { ...noFolder, props: { configJson: noFolder.props.configJson } }), [
      `${label} has no folder, so it lands in General. Fix: set folder to a folder's uid (folder: someFolder.uid).`,
    ]);
  });

  it("reports a uid longer than 40 characters", async () => {
    assert.deepEqual(await check(dashboardsHaveUidAndFolder, dashboard({ uid: "a".repeat(41) })), [
      `${label} has a uid of 41 characters; Grafana allows at most 40. Fix: shorten it.`,
    ]);
    assert.deepEqual(await check(dashboardsHaveUidAndFolder, dashboard({ uid: "a".repeat(40) })), []);
  });

  it("reports configJson that does not parse or is not an object", async () => {
    const [invalid] = await check(dashboardsHaveUidAndFolder, dashboard('{"uid": }'));
    assert.match(invalid, /^Dashboard "content-dashboard-overview" has a configJson that is not valid JSON \(.+\)\. Fix: pass JSON\.stringify\(model\)\.$/);
    assert.deepEqual(await check(dashboardsHaveUidAndFolder, dashboard("[]")), [
      `${label} has a configJson that is not a JSON object. Fix: pass JSON.stringify(model) of the dashboard model.`,
    ]);
  });
});
