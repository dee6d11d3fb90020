/**
 * Every config key, fed a value of each class of bad input that applies to it, through
 * the real program under the mock engine: refused before any resource is registered,
 * with a message that names the key and the fix, no raw JavaScript error, no stack trace,
 * and neither the secret nor a URL's credentials in it.
 */
import * as assert from "node:assert/strict";
import { CONFIG_KEYS, ConfigKey } from "../../components/config-keys";
import { SHOWN_MAX_LENGTH } from "../../lib/shown-value";
import { rejectStack } from "../support/stack";

type ValueClass = "wrong type" | "empty" | "out of range" | "injection" | "over-long";

/** One bad value per class that applies; a class that cannot apply is absent (reason in the comment). */
type Row = Partial<Record<ValueClass, string>>;

const LONG = "a".repeat(100_000);
/** What tries to get through to grafana.ini, the chart's tpl, Grafana's expansion. */
const INJECTIONS = {
  newline: "ok\n[security]\nadmin_password = pwned",
  template: "ok{{ .Release.Name }}",
  expansion: "ok$__file{/etc/passwd}",
};
const flag: Row = { "wrong type": "maybe", empty: "", injection: `true${INJECTIONS.newline}`, "over-long": LONG }; // a flag has no range
const choice: Row = { "wrong type": "42", empty: "", injection: `dev${INJECTIONS.template}`, "over-long": LONG }; // an enum's range is its type
const name = (tooLong: string): Row => ({ "wrong type": "Not_A_Name", empty: "", "out of range": tooLong, injection: `grafana${INJECTIONS.template}`, "over-long": LONG });
/** An optional name: empty means "not set", which is valid. */
const optionalName = (tooLong: string): Row => ({ "wrong type": "Not_A_Name", "out of range": tooLong, injection: `x${INJECTIONS.newline}`, "over-long": LONG });
const url = (injection: string): Row => ({ "wrong type": "not a url", empty: "", "out of range": "ftp://files.example.com/x", injection, "over-long": `https://example.com/${LONG}` });
const optionalUrl = (injection: string): Row => ({ "wrong type": "not a url", "out of range": "ftp://files.example.com/x", injection, "over-long": `https://example.com/${LONG}` });
const quantity = (outOfRange: string): Row => ({ "wrong type": "lots", empty: "", "out of range": outOfRange, injection: `1Gi${INJECTIONS.newline}`, "over-long": `1${"0".repeat(100_000)}` });
const threshold = (outOfRange: string): Row => ({ "wrong type": "high", empty: "", "out of range": outOfRange, injection: `1${INJECTIONS.template}`, "over-long": `1${"0".repeat(100_000)}` });
const hostPort: Row = { "wrong type": "db.internal", "out of range": "db.internal:70000", injection: `db.internal:5432${INJECTIONS.newline}`, "over-long": `${LONG}:5432` };
/** Free text (a login, a password, a token): any text is its type and range; what it must not carry is injection and length. */
const freeText = (injection: string): Row => ({ injection, "over-long": LONG });
/** Out of range: years, a unit the provider's duration parser does not have (lib/durations.ts). */
const duration: Row = { "wrong type": "soon", empty: "", "out of range": "1y", injection: `5m${INJECTIONS.newline}`, "over-long": `1${"0".repeat(100_000)}m` };
const clock: Row = { "wrong type": "noon", empty: "", "out of range": "25:00", injection: `02:00${INJECTIONS.newline}`, "over-long": LONG };
const list = (outOfRange: string): Row => ({ "wrong type": "not-a-list", empty: "", "out of range": outOfRange, injection: `["a${"\\n"}[x]"]`, "over-long": JSON.stringify([LONG]) });

const TABLE: Record<ConfigKey, Row> = {
  environment: choice,
  deployGrafana: flag,
  grafanaUrl: optionalUrl(`http://grafana.example.com/{{ .Values.x }}`),
  grafanaAuth: freeText(`glsa_token${INJECTIONS.newline}`),
  namespace: name("n".repeat(64)),
  releaseName: name("r".repeat(54)),
  chartRepo: url("https://charts.example.com/\t{{x}}"),
  chartVersion: { "wrong type": "latest", empty: "", "out of range": "12.11", injection: `12.11.1${INJECTIONS.template}`, "over-long": `12.11.1-${LONG}` },
  adminUser: { "wrong type": "admin user", empty: "", "out of range": "a".repeat(65), injection: `admin${INJECTIONS.expansion}`, "over-long": LONG },
  replicas: { "wrong type": "two", empty: "", "out of range": "11", injection: `1${INJECTIONS.newline}`, "over-long": `1${"0".repeat(100_000)}` },
  persistenceEnabled: flag,
  persistenceSize: quantity("0Gi"),
  storageClass: optionalName(`${"s".repeat(254)}`),
  protectData: flag,
  databaseType: choice,
  // Grafana fills in the engine's default port: a bare host is valid; a socket path is not (no socket in the pod).
  databaseHost: { "wrong type": "/var/run/postgresql", "out of range": "db.internal:70000", injection: `db.internal:5432${INJECTIONS.newline}`, "over-long": `${LONG}:5432` },
  databaseName: { "wrong type": "grafana db", empty: "", "out of range": "d".repeat(64), injection: `grafana${INJECTIONS.newline}`, "over-long": LONG },
  databaseUser: { "wrong type": "grafana user", empty: "", "out of range": "u".repeat(64), injection: `grafana${INJECTIONS.expansion}`, "over-long": LONG },
  databasePassword: freeText(`pw${INJECTIONS.expansion}`),
  databaseSslMode: choice,
  networkPolicyEnabled: flag,
  ingressControllerNamespace: name("n".repeat(64)),
  prometheusNamespace: name("n".repeat(64)),
  cpuRequest: quantity("0.0001"),
  memoryRequest: quantity("0"),
  cpuLimit: quantity("0"),
  memoryLimit: quantity("-1Gi"),
  serviceType: choice,
  serviceNodePort: { "wrong type": "thirty", empty: "", "out of range": "80", injection: `30300${INJECTIONS.newline}`, "over-long": `3${"0".repeat(100_000)}` },
  ingressEnabled: flag,
  ingressHost: optionalName(`${"h".repeat(64)}.example.com`),
  ingressClassName: optionalName(`${"c".repeat(254)}`),
  ingressClusterIssuer: optionalName(`${"i".repeat(254)}`),
  ingressTlsSecretName: optionalName(`${"t".repeat(254)}`),
  // Empty is "not set": a bring-your-own stack leaves it so; a deploying stack is refused by the cross-key rule (config.test.ts).
  prometheusUrl: optionalUrl("http://prometheus.monitoring.svc:9090/?q=$PATH"),
  smtpHost: hostPort,
  smtpFromAddress: { "wrong type": "grafana at example", "out of range": `grafana@${"x".repeat(300)}`, injection: `grafana@example.com${INJECTIONS.newline}`, "over-long": `${LONG}@example.com` },
  smtpUser: freeText(`login${INJECTIONS.expansion}`),
  smtpPassword: freeText(`pw${INJECTIONS.newline}`),
  churnApiNamespace: name("n".repeat(64)),
  restrictFolderEditing: flag,
  alertEmailEnabled: flag,
  alertEmailAddresses: list('["not-an-email"]'),
  alertSlackEnabled: flag,
  alertSlackWebhookUrl: optionalUrl("https://hooks.slack.com/services/T0/B0/x\n[x]"),
  // An app-level token (xapp-): chat.postMessage takes bot and user tokens only.
  alertSlackToken: { "wrong type": "hunter2", "out of range": "xapp-1-A0123456789-1234567890-abcdef", injection: `xoxb-1234-5678-abcd${INJECTIONS.newline}`, "over-long": `xoxb-${LONG}` },
  alertSlackChannel: optionalName(`#${"c".repeat(81)}`),
  alertWebhookEnabled: flag,
  alertWebhookUrl: optionalUrl("https://hooks.example.com/x\r\nHost: evil"),
  // Braces in a query stay as written in a URL's normal form: only Grafana's templating would read them.
  alertDemoReceiverUrl: optionalUrl("http://172.18.0.1:9095/?to={{.Receiver}}"),
  alertPagerdutyEnabled: flag,
  alertPagerdutyIntegrationKey: { "wrong type": "not a key!", "out of range": "short", injection: `abcdefghijklmnopqrstuvwxyz012345${INJECTIONS.newline}`, "over-long": LONG },
  alertLatencyP95Seconds: threshold("61"),
  alertErrorRatePercent: threshold("100"),
  alertDriftScore: threshold("1"),
  alertLowConfidencePercent: threshold("0"),
  alertActiveRequests: threshold("0"),
  alertForWarning: duration,
  alertForCritical: duration,
  runbookBaseUrl: url("https://wiki.example.com/runbooks?x={{ $labels.alertname }}"),
  maintenanceWindowWeekdays: list('["someday"]'),
  maintenanceWindowStart: clock,
  maintenanceWindowEnd: { ...clock, "out of range": "24:01" },
  maintenanceWindowTimezone: { "wrong type": "+02:00", empty: "", "out of range": "europe/berlin", injection: `UTC${INJECTIONS.newline}`, "over-long": LONG },
};

/** Text a JavaScript error would leave in a message. */
const RAW_JS_ERROR = /TypeError|ReferenceError|RangeError|SyntaxError|Cannot read properties|is not a function|is not iterable|\[object Object\]|\bNaN\b|\bundefined\b/;
const STACK_FRAME = /\n\s+at .+:\d+:\d+/;

/** The problem lines about `key` (its own, or a rule naming it) and the fix that follows each. */
function problemsAbout(message: string, key: string): { line: string; fix?: string }[] {
  const lines = message.split("\n");
  const found: { line: string; fix?: string }[] = [];
  lines.forEach((line, i) => {
    if (new RegExp(`^  - grafana-k8s:${key}\\b`).test(line)) found.push({ line, fix: /^\s+fix: /.test(lines[i + 1] ?? "") ? lines[i + 1] : undefined });
  });
  return found;
}

describe("every config key refuses each class of bad value (table-driven, through the program)", () => {
  it("has a row for every key the program reads", () => {
    assert.deepEqual(Object.keys(TABLE).sort(), Object.keys(CONFIG_KEYS).sort());
  });

  let ran = 0;
  for (const [key, row] of Object.entries(TABLE) as [ConfigKey, Row][]) {
    const spec = CONFIG_KEYS[key];
    const isSecret = "secret" in spec;
    for (const [valueClass, value] of Object.entries(row) as [ValueClass, string][]) {
      it(`${key}: ${valueClass}`, async () => {
        ran++;
        const err = await rejectStack("dev", isSecret ? { secrets: { [key]: value } } : { overrides: { [key]: value } });
        const about = problemsAbout(err.message, key);
        assert.ok(about.length > 0, `no problem names grafana-k8s:${key}:\n${err.message.slice(0, 2000)}`);
        for (const p of about) {
          assert.ok(p.fix && p.fix.length > "      fix: ".length, `no fix after ${p.line}`);
          // The value is quoted at most cut short: a message locates the mistake, it does not replay it.
          assert.ok(p.line.length < 400 + SHOWN_MAX_LENGTH, `the message repeats too much of the value (${p.line.length} characters)`);
        }
        assert.doesNotMatch(err.message, RAW_JS_ERROR);
        assert.doesNotMatch(err.message, STACK_FRAME);
        if (isSecret && value.length > 3) assert.ok(!err.message.includes(value), "the message repeats the secret");
        if (isSecret) assert.match(about[0].line, /\[secret\]|missing|is a secret/);
      });
    }
  }

  it("ran every row of the table (the count is of cases run, not of cases declared)", function () {
    const declared = Object.values(TABLE).reduce((n, row) => n + Object.keys(row).length, 0);
    assert.equal(ran, declared);
    // Every class of bad value is exercised somewhere.
    const classes = new Set(Object.values(TABLE).flatMap((row) => Object.keys(row)));
    assert.deepEqual([...classes].sort(), ["empty", "injection", "out of range", "over-long", "wrong type"]);
  });

  describe("credentials in a URL never reach a message", () => {
    for (const key of ["prometheusUrl", "grafanaUrl", "chartRepo", "runbookBaseUrl"] as const) {
      it(`${key}: user:pa@ss@host is masked whole`, async () => {
        const err = await rejectStack("dev", { overrides: { [key]: "https://admin:pa@ss-hunter2@prometheus.example.com/x" } });
        assert.match(err.message, new RegExp(`grafana-k8s:${key}: "https://\\*\\*\\*@prometheus\\.example\\.com/x" is invalid`));
        assert.doesNotMatch(err.message, /hunter2|admin:/);
      });
    }
  });
});
