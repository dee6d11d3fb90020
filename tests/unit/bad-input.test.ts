/**
 * The bad-input corpus: malformed stack configs, dashboard JSON and alert definitions,
 * each rejected before any resource is registered, with a message that names the
 * file or key and the fix, and never a stack trace.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { GrafanaRuleGroup } from "../../alerts/types";
import { planStack } from "../../components/plan";
import { DASHBOARD_UID } from "../../dashboards/uids";
import { InputError } from "../../lib/errors";
import { loadStackConfig, settingsFor } from "../../render/stack-config";
import { validateRuleGroups } from "../../validation";
import { DropIns } from "../support/drop-in";
import { rejectStack, RunOptions } from "../support/stack";

/**
 * The classes of bad input (issue 14), each case tagged with one: the meta-test checks
 * every class has cases and counts the cases that actually ran.
 */
const CLASSES = [
  "wrong type or value",
  "injection into what Grafana and Helm interpret",
  "impossible combination",
  "stack file",
  "secrets and credentials in messages",
  "prod without TLS",
  "content",
] as const;
type InputClass = (typeof CLASSES)[number];

interface ProgramCase {
  readonly name: string;
  readonly class: InputClass;
  readonly stack?: string;
  readonly options?: RunOptions;
  /** Raw text of the stack file (written to a temp file). */
  readonly stackFile?: string;
  /** Files dropped into dashboards/imported/ for the run (names start with zz-corpus-). */
  readonly dashboards?: Record<string, unknown>;
  /** Every pattern must match the error message. */
  readonly expect: readonly RegExp[];
  /** Text the message must not contain (a secret it was given). */
  readonly hides?: string;
}

const panel = (expr: string, extra: Record<string, unknown> = {}) => ({
  id: 1,
  type: "timeseries",
  title: "Requests",
  gridPos: { x: 0, y: 0, w: 12, h: 8 },
  datasource: { type: "prometheus", uid: "prometheus" },
  targets: [{ refId: "A", expr, datasource: { type: "prometheus", uid: "prometheus" } }],
  ...extra,
});
const exported = (uid: string | undefined, panels: unknown[], extra: Record<string, unknown> = {}) => ({
  ...(uid === undefined ? {} : { uid }),
  title: `Corpus ${uid ?? "no uid"}`,
  schemaVersion: 39,
  panels,
  ...extra,
});
const GOOD_EXPR = 'sum(rate(churn_api_http_requests_total{namespace="churn-api"}[5m]))';

const CASES: readonly ProgramCase[] = [
  // --- stack config: wrong types, empty strings, bad numbers, unknown enum values
  { name: "a non-boolean flag", class: "wrong type or value", options: { overrides: { ingressEnabled: "maybe" } }, expect: [/grafana-k8s:ingressEnabled: "maybe" is invalid: expected true or false/, /fix: set it to true or false/] },
  { name: "a non-integer replica count", class: "wrong type or value", options: { overrides: { replicas: "two" } }, expect: [/grafana-k8s:replicas: "two" is invalid: expected a whole number/] },
  { name: "a negative replica count", class: "wrong type or value", options: { overrides: { replicas: -1 } }, expect: [/grafana-k8s:replicas: "-1" is invalid: must be at least 1/] },
  { name: "an empty Prometheus URL where Grafana is deployed", class: "impossible combination", options: { overrides: { prometheusUrl: "" } }, expect: [/grafana-k8s:deployGrafana \+ grafana-k8s:prometheusUrl: deployGrafana is true, so the URL of the Prometheus/, /fix: npm run pulumi -- config set --stack dev prometheusUrl http/] },
  { name: "a Prometheus URL a bring-your-own Grafana would ignore", class: "impossible combination", options: { overrides: { deployGrafana: false, grafanaUrl: "https://grafana.corp.example" }, secrets: { grafanaAuth: "glsa_corpus" } }, expect: [/prometheusUrl is set but deployGrafana is false/, /fix: npm run pulumi -- config rm --stack dev prometheusUrl/] },
  { name: "an empty namespace", class: "wrong type or value", options: { overrides: { namespace: "" } }, expect: [/grafana-k8s:namespace: "" is invalid: not a Kubernetes namespace name/] },
  { name: "a negative storage size", class: "wrong type or value", options: { overrides: { persistenceSize: "-10Gi" } }, expect: [/persistenceSize: "-10Gi" is invalid: not a positive Kubernetes quantity/, /fix: use a size such as 10Gi/] },
  { name: "a zero storage size", class: "wrong type or value", options: { overrides: { persistenceSize: "0Gi" } }, expect: [/persistenceSize: "0Gi" is invalid/] },
  { name: "a CPU limit that is not a quantity", class: "wrong type or value", options: { overrides: { cpuLimit: "lots" } }, expect: [/cpuLimit: "lots" is invalid: not a CPU quantity/] },
  { name: "an unknown environment", class: "wrong type or value", options: { overrides: { environment: "production" } }, expect: [/environment: "production" is invalid: expected one of dev, staging, prod/] },
  { name: "an unknown service type", class: "wrong type or value", options: { overrides: { serviceType: "Ingress" } }, expect: [/serviceType: "Ingress" is invalid: expected one of ClusterIP, NodePort, LoadBalancer/] },
  { name: "an unknown database type", class: "wrong type or value", options: { overrides: { databaseType: "oracle" } }, expect: [/databaseType: "oracle" is invalid: expected one of sqlite, postgres, mysql/] },
  { name: "a node port outside the node-port range", class: "wrong type or value", options: { overrides: { serviceNodePort: 80 } }, expect: [/serviceNodePort: "80" is invalid: must be 0 or within 30000-32767/] },
  { name: "credentials inside a URL", class: "secrets and credentials in messages", options: { overrides: { prometheusUrl: "http://admin:hunter2@prometheus:9090" } }, expect: [/prometheusUrl: "http:\/\/\*\*\*@prometheus:9090" is invalid: expected an http\(s\) URL without credentials/], hides: "hunter2" },
  { name: "a namespace shared with Prometheus", class: "impossible combination", options: { overrides: { namespace: "monitoring" } }, expect: [/namespace "monitoring" is shared with other workloads/, /fix: npm run pulumi -- config set --stack dev namespace grafana/] },
  { name: "the kube-system namespace", class: "impossible combination", options: { overrides: { namespace: "kube-system" } }, expect: [/namespace "kube-system" is shared with other workloads/] },
  { name: "an ingress host given as a URL", class: "wrong type or value", options: { overrides: { ingressEnabled: true, ingressHost: "https://grafana.example.com" } }, expect: [/ingressHost: "https:\/\/grafana\.example\.com" is invalid: not a host name/] },
  { name: "a pending period that is not a duration", class: "wrong type or value", options: { overrides: { alertForCritical: "soon" } }, expect: [/alertForCritical: "soon" is invalid: not a pending period: it is not a duration/, /fix: use a duration such as 5m/] },
  { name: "a drift threshold above 1", class: "wrong type or value", options: { overrides: { alertDriftScore: "1.5" } }, expect: [/alertDriftScore: "1.5" is invalid: must be below 1/] },
  { name: "an error-rate threshold above 100 %", class: "wrong type or value", options: { overrides: { alertErrorRatePercent: "150" } }, expect: [/alertErrorRatePercent: "150" is invalid: must be below 100/] },
  { name: "a negative latency threshold", class: "wrong type or value", options: { overrides: { alertLatencyP95Seconds: "-1" } }, expect: [/alertLatencyP95Seconds: "-1" is invalid: must be greater than 0/] },
  { name: "recipients given as a string, not a list", class: "wrong type or value", options: { overrides: { alertEmailAddresses: "oncall@example.com" } }, expect: [/alertEmailAddresses: "oncall@example\.com" is invalid: expected a YAML list of strings/] },
  { name: "a recipient that is not an email address", class: "wrong type or value", options: { overrides: { alertEmailAddresses: ["not-an-email"] } }, expect: [/alertEmailAddresses: .* is invalid: not an email address/] },
  { name: "an unknown time zone", class: "wrong type or value", options: { overrides: { maintenanceWindowTimezone: "Mars/Olympus" } }, expect: [/maintenanceWindowTimezone: "Mars\/Olympus" is invalid: not an IANA time zone/] },
  { name: "a misspelt key", class: "wrong type or value", options: { overrides: { prometheusURL: "http://x" } }, expect: [/grafana-k8s:prometheusURL: unknown config key/, /did you mean prometheusUrl\?/] },
  { name: "a secret stored in plain text", class: "secrets and credentials in messages", options: { overrides: { alertWebhookUrl: "https://hooks.example.com/plain-token" } }, expect: [/alertWebhookUrl: is a secret but is stored in plain text/, /npm run pulumi -- config set --stack dev --secret alertWebhookUrl/] },
  { name: "an enabled receiver without its secret", class: "impossible combination", options: { overrides: { alertSlackEnabled: true } }, expect: [/alertSlackEnabled is true but the secret alertSlackWebhookUrl is not set/] },
  { name: "email without an SMTP server", class: "impossible combination", options: { overrides: { alertEmailEnabled: true, alertEmailAddresses: ["oncall@example.com"] } }, expect: [/email notifications need an SMTP server/, /fix: npm run pulumi -- config set --stack dev smtpHost/] },
  // --- values that would produce an invalid chart configuration
  { name: "an HA config without a database", class: "impossible combination", stack: "prod", options: { overrides: { replicas: 3, persistenceEnabled: false } }, expect: [/replicas is 3: several Grafana pods cannot share SQLite/, /databaseType postgres/] },
  { name: "persistence off in prod", class: "impossible combination", stack: "prod", options: { overrides: { persistenceEnabled: false } }, expect: [/persistence is off in prod/] },
  { name: "a NetworkPolicy in front of a LoadBalancer", class: "impossible combination", stack: "prod", options: { overrides: { serviceType: "LoadBalancer" } }, expect: [/LoadBalancer traffic would be dropped/] },
  { name: "a CPU request above its limit (compared as quantities)", class: "impossible combination", options: { overrides: { cpuRequest: "1", cpuLimit: "500m" } }, expect: [/cpu request 1 is above the cpu limit 500m: Kubernetes refuses such a pod/, /fix: lower cpuRequest or raise cpuLimit/] },
  { name: "Grafana's namespace equal to the churn API's", class: "impossible combination", options: { overrides: { churnApiNamespace: "grafana-dev" } }, expect: [/namespace "grafana-dev" is shared with other workloads \(the churn API's/] },
  { name: "a release name Helm refuses (over 53 characters)", class: "impossible combination", options: { overrides: { releaseName: "g".repeat(54) } }, expect: [/releaseName: "g{54}" is invalid: is longer than 53 characters/] },
  { name: "a time zone Go cannot load (wrong case)", class: "impossible combination", options: { overrides: { maintenanceWindowTimezone: "europe/berlin" } }, expect: [/"europe\/berlin" is invalid: is not an IANA time zone in this case/, /fix: write it as "Europe\/Berlin"/] },
  { name: "a port outside 1-65535", class: "impossible combination", options: { overrides: { smtpHost: "smtp.example.com:0" } }, expect: [/smtpHost: "smtp\.example\.com:0" is invalid: port 0 is outside 1-65535/] },
  { name: "a cluster issuer without the TLS secret it would issue", class: "impossible combination", stack: "prod", options: { overrides: { ingressTlsSecretName: "", environment: "staging" } }, expect: [/ingressClusterIssuer is set but ingressTlsSecretName is empty: cert-manager needs a Secret to write the certificate to/] },
  { name: "a pending period in years (the provider's duration parser has no y)", class: "impossible combination", options: { overrides: { alertForWarning: "1y" } }, expect: [/alertForWarning: "1y" is invalid: not a pending period: it uses years/, /write "8760h"/] },
  { name: "a pending period the provider reads differently by release (1d12h)", class: "impossible combination", options: { overrides: { alertForCritical: "1d12h" } }, expect: [/alertForCritical: "1d12h" is invalid: .*v4\.44 reads 1d12h as 24h/, /write "36h"/] },
  { name: "no alert receiver (the policy tree's root would go nowhere)", class: "impossible combination", options: { overrides: { alertDemoReceiverUrl: "" } }, expect: [/no alert receiver is enabled, so notifications would go nowhere/] },
  {
    name: "a Slack channel with an incoming webhook (Slack ignores it)",
    class: "impossible combination",
    options: { overrides: { alertSlackEnabled: true, alertSlackChannel: "#elsewhere" }, secrets: { alertSlackWebhookUrl: "https://hooks.slack.com/services/T0/B0/x" } },
    expect: [/alertSlackChannel #elsewhere would be ignored: a Slack incoming webhook posts to the channel it was created for/],
  },
  {
    name: "both Slack modes at once (the bot token would go to the webhook)",
    class: "impossible combination",
    options: { overrides: { alertSlackEnabled: true, alertSlackChannel: "#alerts" }, secrets: { alertSlackWebhookUrl: "https://hooks.slack.com/services/T0/B0/x", alertSlackToken: "xoxb-0000-corpus-token" } },
    expect: [/both alertSlackWebhookUrl and alertSlackToken are set/],
    hides: "xoxb-0000-corpus-token",
  },
  // --- injection into grafana.ini, the datasource file, the chart's tpl, Grafana's templates
  { name: "a newline that would start a grafana.ini section", class: "injection into what Grafana and Helm interpret", options: { overrides: { grafanaUrl: "http://localhost:3000\n[auth.anonymous]\nenabled = true" } }, expect: [/grafanaUrl: "http:\/\/localhost:3000\\n\[auth\.anonymous\]\\nenabled = true" contains a control character/] },
  { name: "a Helm template action in a value the chart passes through tpl", class: "injection into what Grafana and Helm interpret", options: { overrides: { grafanaUrl: "http://localhost:3000/{{.Release.Namespace}}" } }, expect: [/grafanaUrl: .* contains "\{\{" or "\}\}", which Helm's tpl/] },
  { name: "Grafana's $__file expansion in a value that reaches its configuration", class: "injection into what Grafana and Helm interpret", options: { overrides: { smtpUser: "$__file{/etc/grafana/grafana.ini}" } }, expect: [/smtpUser: .* which Grafana expands when it loads its configuration/] },
  { name: "a $ in the datasource URL (Grafana expands $VAR in provisioning files)", class: "injection into what Grafana and Helm interpret", options: { overrides: { prometheusUrl: "http://prometheus:9090/$HOSTNAME" } }, expect: [/prometheusUrl: .* contains "\$", which Grafana expands in provisioning files/, /%24/] },
  { name: "an ini comment character in grafana.ini's root_url", class: "injection into what Grafana and Helm interpret", options: { overrides: { grafanaUrl: "http://localhost:3000/a;b" } }, expect: [/grafanaUrl: .* contains "#" or ";", where Grafana's ini loader cuts the value/] },
  { name: "a Go template action in the runbook URL (alert annotations are templates)", class: "injection into what Grafana and Helm interpret", options: { overrides: { runbookBaseUrl: "https://wiki.example.com/r?{{ $value }}" } }, expect: [/runbookBaseUrl: .* Grafana's alert templating/] },
  { name: "a Go template action in a webhook URL (Grafana templates the webhook notifier's url)", class: "injection into what Grafana and Helm interpret", options: { overrides: { alertDemoReceiverUrl: "http://172.18.0.1:9095/?to={{.Receiver}}" } }, expect: [/alertDemoReceiverUrl: .* contains "\{\{" or "\}\}", which Grafana's notification templating/] },
  { name: "a URL that is not in its normal form (the parser rewrites it)", class: "injection into what Grafana and Helm interpret", options: { overrides: { chartRepo: "https://charts.example.com\\evil" } }, expect: [/chartRepo: .* is invalid: is not written in normal form/, /fix: write it as "https:\/\/charts\.example\.com\/evil"/] },
  // --- secrets and credentials in messages
  { name: "credentials whose password holds @ (masked from the parsed userinfo)", class: "secrets and credentials in messages", options: { overrides: { prometheusUrl: "http://admin:pa@ss-hunter2@prometheus:9090" } }, expect: [/prometheusUrl: "http:\/\/\*\*\*@prometheus:9090" is invalid/], hides: "hunter2" },
  { name: "an invalid value of a key set with --secret", class: "secrets and credentials in messages", options: { secrets: { prometheusUrl: "prometheus:9090?token=sk-leak-0001" } }, expect: [/prometheusUrl: \[secret\] is invalid: expected an http\(s\) URL/], hides: "sk-leak-0001" },
  { name: "a key set with --secret that a cross-key rule quotes", class: "secrets and credentials in messages", options: { secrets: { namespace: "monitoring" } }, expect: [/namespace "\[secret\]" is shared with other workloads/], hides: '"monitoring"' },
  { name: "a flag set with --secret (a setting cannot stay secret once derived)", class: "secrets and credentials in messages", options: { secrets: { replicas: "1" } }, expect: [/replicas: was set with --secret, but it is a setting, not a credential/, /fix: npm run pulumi -- config set --stack dev replicas <value> \(without --secret\)/] },
  { name: "a 100 kB value (echoed cut short)", class: "secrets and credentials in messages", options: { overrides: { namespace: "x".repeat(100_000) } }, expect: [/namespace: "x{80}…" \(100000 characters\) is too long/], hides: "x".repeat(200) },
  // --- prod serves its login over plain HTTP
  { name: "a prod ingress without a TLS secret", class: "prod without TLS", stack: "prod", options: { overrides: { ingressTlsSecretName: "", ingressClusterIssuer: "" } }, expect: [/the prod ingress has no ingressTlsSecretName: Grafana and its login page would be served over plain HTTP/, /fix: npm run pulumi -- config set --stack prod ingressTlsSecretName grafana-tls/] },
  // --- malformed stack files
  { name: "malformed YAML in the stack file", class: "stack file", stackFile: "config:\n  grafana-k8s:environment: [dev\n", expect: [/Pulumi\.corpus\.yaml: is not valid YAML/, /fix: fix the YAML syntax/] },
  { name: "a stack file that is not a mapping", class: "stack file", stackFile: "- environment\n- dev\n", expect: [/Pulumi\.corpus\.yaml: is not a YAML mapping/] },
  {
    name: "a number the Pulumi CLI would rewrite (0x, leading zero, exponent)",
    class: "stack file",
    stackFile: "config:\n  grafana-k8s:environment: dev\n  grafana-k8s:prometheusUrl: http://p.example.com\n  grafana-k8s:replicas: 0x1\n",
    expect: [/Pulumi\.corpus\.yaml: grafana-k8s:replicas: 0x1 is a number in another notation than plain decimal/, /quote it/],
  },
  {
    name: "a null stack value (the CLI passes it as \"\", not \"null\")",
    class: "stack file",
    stackFile: "config:\n  grafana-k8s:environment: dev\n  grafana-k8s:prometheusUrl: http://p.example.com\n  grafana-k8s:namespace: null\n",
    expect: [/grafana-k8s:namespace: "" is invalid: not a Kubernetes namespace name/],
  },
  // --- dashboard JSON files
  { name: "malformed dashboard JSON", class: "content", dashboards: { "zz-corpus-broken.json": '{"uid": "corpus-broken", "panels": [' }, expect: [/dashboards\/imported\/zz-corpus-broken\.json/] },
  { name: "a duplicate dashboard uid", class: "content", dashboards: { "zz-corpus-copy.json": exported(DASHBOARD_UID.performance, [panel(GOOD_EXPR)]) }, expect: [/churn-api-performance/, /imported\/zz-corpus-copy\.json/] },
  { name: "an oversized dashboard uid", class: "content", dashboards: { "zz-corpus-long.json": exported("x".repeat(41), [panel(GOOD_EXPR)]) }, expect: [/imported\/zz-corpus-long\.json/, /40/] },
  {
    name: "a datasource uid of another Grafana that is not mapped",
    class: "content",
    dashboards: { "zz-corpus-foreign.json": exported("corpus-foreign", [panel(GOOD_EXPR, { datasource: { type: "prometheus", uid: "P1809F7CD0C75ACF3" } })]) },
    expect: [/corpus-foreign/, /panel 1 "Requests"/, /unknown datasource "P1809F7CD0C75ACF3"/, /catalog\/datasource-mapping\.yaml/],
  },
  {
    name: "an exported dashboard with an unknown datasource input",
    class: "content",
    dashboards: { "zz-corpus-loki.json": exported("corpus-loki", [panel(GOOD_EXPR, { datasource: { type: "loki", uid: "${DS_LOKI}" } })], { __inputs: [{ name: "DS_LOKI", type: "datasource", pluginId: "loki" }] }) },
    expect: [/imported\/zz-corpus-loki\.json/, /DS_LOKI/],
  },
  { name: "invalid PromQL in a panel", class: "content", dashboards: { "zz-corpus-promql.json": exported("corpus-promql", [panel("sum(rate(churn_api_http_requests_total[5m])")]) }, expect: [/corpus-promql/, /panel 1 "Requests"/, /sum\(rate\(churn_api_http_requests_total\[5m\]\)/] },
  { name: "an undefined dashboard variable", class: "content", dashboards: { "zz-corpus-var.json": exported("corpus-var", [panel('sum(rate(churn_api_http_requests_total{namespace="$nosuchvar"}[5m]))')]) }, expect: [/corpus-var/, /nosuchvar/] },
  {
    name: "a library panel the export does not carry",
    class: "content",
    dashboards: { "zz-corpus-library.json": exported("corpus-library", [{ id: 1, gridPos: { x: 0, y: 0, w: 12, h: 8 }, libraryPanel: { uid: "lib-cpu", name: "CPU" } }]) },
    expect: [/imported\/zz-corpus-library\.json: library panel "CPU" \(uid "lib-cpu"\)/, /not in the file/, /Export for sharing externally/],
  },
];

describe("bad-input corpus", () => {
  let tmp: string;
  before(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), "corpus-"))));
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));
  // Only what a case drops in is removed: a contributor's dashboards/imported/ stays.
  const drops = new DropIns();
  afterEach(() => drops.removeAll());

  const ran = new Map<InputClass, number>();

  for (const c of CASES) {
    it(`rejects ${c.name}`, async () => {
      ran.set(c.class, (ran.get(c.class) ?? 0) + 1);
      let options = c.options ?? {};
      if (c.stackFile !== undefined) {
        const file = path.join(tmp, "Pulumi.corpus.yaml");
        fs.writeFileSync(file, c.stackFile);
        options = { ...options, stackFile: file };
      }
      for (const [name, content] of Object.entries(c.dashboards ?? {})) drops.write(`dashboards/imported/${name}`, typeof content === "string" ? content : JSON.stringify(content));
      // A stack file that cannot be read fails while loading it, before the program starts;
      // one that loads goes to the program like any other config.
      const loadError = (() => {
        try {
          loadStackConfig(c.stack ?? "dev", options);
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      let message: string;
      if (loadError !== undefined) {
        assert.ok(c.stackFile !== undefined && loadError instanceof InputError, `expected the program to run, got ${String(loadError)}`);
        message = loadError.message;
      } else {
        message = (await rejectStack(c.stack ?? "dev", options)).message;
      }
      for (const pattern of c.expect) assert.match(message, pattern);
      if (c.hides) assert.ok(!message.includes(c.hides), "the message repeats a secret");
      assert.match(message, /fix: /, "no fix given");
      assert.doesNotMatch(message, /\n\s+at .+:\d+:\d+/, "stack trace in the message");
    });
  }

  it("ran every case, and has cases for every class of bad input (counted as run)", () => {
    assert.equal([...ran.values()].reduce((a, b) => a + b, 0), CASES.length);
    for (const cls of CLASSES) assert.ok((ran.get(cls) ?? 0) > 0, `no case of class "${cls}" ran`);
  });

  describe("alert definitions", () => {
    const groups = (): GrafanaRuleGroup[] => {
      return [...planStack(settingsFor("dev", loadStackConfig("dev"))).ruleGroups];
    };

    it("rejects duplicate rule names in a group", () => {
      const [first, ...rest] = groups();
      const problems = validateRuleGroups([{ ...first, rules: [...first.rules, first.rules[0]] }, ...rest]);
      assert.ok(problems.some((p) => /duplicate|more than once|twice/i.test(p.message) && p.where.includes(first.rules[0].name)), JSON.stringify(problems));
    });

    it("rejects a condition naming a missing step", () => {
      const [first, ...rest] = groups();
      const broken = { ...first, rules: [{ ...first.rules[0], condition: "Z" }, ...first.rules.slice(1)] };
      const problems = validateRuleGroups([broken, ...rest]);
      assert.ok(problems.some((p) => p.message.includes('"Z"') && p.where.includes(first.rules[0].name)), JSON.stringify(problems));
    });
  });
});
