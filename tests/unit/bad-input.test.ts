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
import { fromRoot } from "../../lib/paths";
import { loadStackConfig, settingsFor } from "../../render/stack-config";
import { validateRuleGroups } from "../../validation";
import { rejectStack, RunOptions } from "../support/stack";

interface ProgramCase {
  readonly name: string;
  readonly stack?: string;
  readonly options?: RunOptions;
  /** Raw text of the stack file (written to a temp file). */
  readonly stackFile?: string;
  /** Files dropped into dashboards/zz-corpus/ for the run. */
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
  { name: "a non-boolean flag", options: { overrides: { ingressEnabled: "maybe" } }, expect: [/grafana-k8s:ingressEnabled: "maybe" is invalid: expected true or false/, /fix: set it to true or false/] },
  { name: "a non-integer replica count", options: { overrides: { replicas: "two" } }, expect: [/grafana-k8s:replicas: "two" is invalid: expected a whole number/] },
  { name: "a negative replica count", options: { overrides: { replicas: -1 } }, expect: [/grafana-k8s:replicas: "-1" is invalid: must be at least 1/] },
  { name: "an empty Prometheus URL", options: { overrides: { prometheusUrl: "" } }, expect: [/grafana-k8s:prometheusUrl: "" is invalid: expected an http\(s\) URL/, /fix: set the URL of your Prometheus/] },
  { name: "an empty namespace", options: { overrides: { namespace: "" } }, expect: [/grafana-k8s:namespace: "" is invalid: not a Kubernetes namespace name/] },
  { name: "a negative storage size", options: { overrides: { persistenceSize: "-10Gi" } }, expect: [/persistenceSize: "-10Gi" is invalid: not a positive Kubernetes quantity/, /fix: use a size such as 10Gi/] },
  { name: "a zero storage size", options: { overrides: { persistenceSize: "0Gi" } }, expect: [/persistenceSize: "0Gi" is invalid/] },
  { name: "a CPU limit that is not a quantity", options: { overrides: { cpuLimit: "lots" } }, expect: [/cpuLimit: "lots" is invalid: not a CPU quantity/] },
  { name: "an unknown environment", options: { overrides: { environment: "production" } }, expect: [/environment: "production" is invalid: expected one of dev, staging, prod/] },
  { name: "an unknown service type", options: { overrides: { serviceType: "Ingress" } }, expect: [/serviceType: "Ingress" is invalid: expected one of ClusterIP, NodePort, LoadBalancer/] },
  { name: "an unknown database type", options: { overrides: { databaseType: "oracle" } }, expect: [/databaseType: "oracle" is invalid: expected one of sqlite, postgres, mysql/] },
  { name: "a node port outside the node-port range", options: { overrides: { serviceNodePort: 80 } }, expect: [/serviceNodePort: "80" is invalid: must be 0 or within 30000-32767/] },
  { name: "credentials inside a URL", options: { overrides: { prometheusUrl: "http://admin:hunter2@prometheus:9090" } }, expect: [/prometheusUrl: "http:\/\/\*\*\*@prometheus:9090" is invalid: expected an http\(s\) URL without credentials/], hides: "hunter2" },
  { name: "a namespace shared with Prometheus", options: { overrides: { namespace: "monitoring" } }, expect: [/namespace "monitoring" is shared with other workloads/, /fix: pulumi config set namespace grafana/] },
  { name: "the kube-system namespace", options: { overrides: { namespace: "kube-system" } }, expect: [/namespace "kube-system" is shared with other workloads/] },
  { name: "an ingress host given as a URL", options: { overrides: { ingressEnabled: true, ingressHost: "https://grafana.example.com" } }, expect: [/ingressHost: "https:\/\/grafana\.example\.com" is invalid: not a host name/] },
  { name: "a pending period that is not a duration", options: { overrides: { alertForCritical: "soon" } }, expect: [/alertForCritical: "soon" is invalid: not a pending period: it is not a duration/, /fix: use a duration such as 5m/] },
  { name: "a drift threshold above 1", options: { overrides: { alertDriftScore: "1.5" } }, expect: [/alertDriftScore: "1.5" is invalid: must be below 1/] },
  { name: "an error-rate threshold above 100 %", options: { overrides: { alertErrorRatePercent: "150" } }, expect: [/alertErrorRatePercent: "150" is invalid: must be below 100/] },
  { name: "a negative latency threshold", options: { overrides: { alertLatencyP95Seconds: "-1" } }, expect: [/alertLatencyP95Seconds: "-1" is invalid: must be greater than 0/] },
  { name: "recipients given as a string, not a list", options: { overrides: { alertEmailAddresses: "oncall@example.com" } }, expect: [/alertEmailAddresses: "oncall@example\.com" is invalid: expected a YAML list of strings/] },
  { name: "a recipient that is not an email address", options: { overrides: { alertEmailAddresses: ["not-an-email"] } }, expect: [/alertEmailAddresses: .* is invalid: not an email address/] },
  { name: "an unknown time zone", options: { overrides: { maintenanceWindowTimezone: "Mars/Olympus" } }, expect: [/maintenanceWindowTimezone: "Mars\/Olympus" is invalid: not an IANA time zone/] },
  { name: "a misspelt key", options: { overrides: { prometheusURL: "http://x" } }, expect: [/grafana-k8s:prometheusURL: unknown config key/, /did you mean prometheusUrl\?/] },
  { name: "a secret stored in plain text", options: { overrides: { alertWebhookUrl: "https://hooks.example.com/plain-token" } }, expect: [/alertWebhookUrl: is a secret but is stored in plain text/, /pulumi config set --secret alertWebhookUrl/] },
  { name: "an enabled receiver without its secret", options: { overrides: { alertSlackEnabled: true } }, expect: [/alertSlackEnabled is true but the secret alertSlackWebhookUrl is not set/] },
  { name: "email without an SMTP server", options: { overrides: { alertEmailEnabled: true, alertEmailAddresses: ["oncall@example.com"] } }, expect: [/email notifications need an SMTP server/, /fix: pulumi config set smtpHost/] },
  // --- values that would produce an invalid chart configuration
  { name: "an HA config without a database", stack: "prod", options: { overrides: { replicas: 3, persistenceEnabled: false } }, expect: [/replicas is 3: several Grafana pods cannot share SQLite/, /databaseType postgres/] },
  { name: "persistence off in prod", stack: "prod", options: { overrides: { persistenceEnabled: false } }, expect: [/persistence is off in prod/] },
  { name: "a NetworkPolicy in front of a LoadBalancer", stack: "prod", options: { overrides: { serviceType: "LoadBalancer" } }, expect: [/LoadBalancer traffic would be dropped/] },
  // --- malformed stack files
  { name: "malformed YAML in the stack file", stackFile: "config:\n  grafana-k8s:environment: [dev\n", expect: [/Pulumi\.corpus\.yaml: is not valid YAML/, /fix: fix the YAML syntax/] },
  { name: "a stack file that is not a mapping", stackFile: "- environment\n- dev\n", expect: [/Pulumi\.corpus\.yaml: is not a YAML mapping/] },
  // --- dashboard JSON files
  { name: "malformed dashboard JSON", dashboards: { "broken.json": '{"uid": "corpus-broken", "panels": [' }, expect: [/dashboards\/zz-corpus\/broken\.json/] },
  { name: "a duplicate dashboard uid", dashboards: { "copy.json": exported(DASHBOARD_UID.performance, [panel(GOOD_EXPR)]) }, expect: [/churn-api-performance/, /zz-corpus\/copy\.json/] },
  { name: "an oversized dashboard uid", dashboards: { "long.json": exported("x".repeat(41), [panel(GOOD_EXPR)]) }, expect: [/zz-corpus\/long\.json/, /40/] },
  { name: "a dashboard without uid", dashboards: { "nouid.json": exported(undefined, [panel(GOOD_EXPR)]) }, expect: [/zz-corpus\/nouid\.json/, /no uid/] },
  {
    name: "an exported dashboard with an unknown datasource input",
    dashboards: { "loki.json": exported("corpus-loki", [panel(GOOD_EXPR, { datasource: { type: "loki", uid: "${DS_LOKI}" } })], { __inputs: [{ name: "DS_LOKI", type: "datasource", pluginId: "loki" }] }) },
    expect: [/zz-corpus\/loki\.json/, /DS_LOKI/],
  },
  { name: "invalid PromQL in a panel", dashboards: { "promql.json": exported("corpus-promql", [panel("sum(rate(churn_api_http_requests_total[5m])")]) }, expect: [/corpus-promql/, /panel 1 "Requests"/, /sum\(rate\(churn_api_http_requests_total\[5m\]\)/] },
  { name: "an undefined dashboard variable", dashboards: { "var.json": exported("corpus-var", [panel('sum(rate(churn_api_http_requests_total{namespace="$nosuchvar"}[5m]))')]) }, expect: [/corpus-var/, /nosuchvar/] },
  { name: "a panel outside the 24-column grid", dashboards: { "grid.json": exported("corpus-grid", [panel(GOOD_EXPR, { gridPos: { x: 20, y: 0, w: 10, h: 8 } })]) }, expect: [/corpus-grid/, /24/] },
];

describe("bad-input corpus", () => {
  const corpusDir = fromRoot("dashboards", "zz-corpus");
  let tmp: string;
  before(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), "corpus-"))));
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));
  afterEach(() => fs.rmSync(corpusDir, { recursive: true, force: true }));

  it("holds at least 30 malformed inputs", () => assert.ok(CASES.length + 2 >= 30, `${CASES.length} cases`));

  for (const c of CASES) {
    it(`rejects ${c.name}`, async () => {
      let options = c.options ?? {};
      if (c.stackFile !== undefined) {
        const file = path.join(tmp, "Pulumi.corpus.yaml");
        fs.writeFileSync(file, c.stackFile);
        options = { ...options, stackFile: file };
      }
      if (c.dashboards) {
        fs.mkdirSync(corpusDir, { recursive: true });
        for (const [name, content] of Object.entries(c.dashboards)) {
          fs.writeFileSync(path.join(corpusDir, name), typeof content === "string" ? content : JSON.stringify(content));
        }
      }
      let message: string;
      if (c.stackFile !== undefined) {
        // A stack file that cannot be read fails while loading it, before the program starts.
        const err = (() => {
          try {
            loadStackConfig(c.stack ?? "dev", options);
          } catch (e) {
            return e;
          }
          return undefined;
        })();
        assert.ok(err instanceof InputError, "expected an InputError");
        message = err.message;
      } else {
        message = (await rejectStack(c.stack ?? "dev", options)).message;
      }
      for (const pattern of c.expect) assert.match(message, pattern);
      if (c.hides) assert.ok(!message.includes(c.hides), "the message repeats a secret");
      assert.match(message, /fix: /, "no fix given");
      assert.doesNotMatch(message, /\n\s+at .+:\d+:\d+/, "stack trace in the message");
    });
  }

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
