import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import { readAlertRuleFiles } from "../../alerts/imported";
import { EXPRESSION_DATASOURCE_UID, PROMETHEUS_DATASOURCE } from "../../catalog/datasource";
import { DashboardModel, PanelModel } from "../../dashboards/types";
import { fromRoot } from "../../lib/paths";
import { markdownAnchors } from "../../validation/runbooks";
import { ProgramRun, RegisteredResource } from "../../render/mock-engine";
import { ALERT_NAMES } from "../support/design";
import { deployStack, ofType, rejectStack, revealSecret, shippedStacks, single, TYPES } from "../support/stack";

interface Rule {
  name: string;
  condition: string;
  for: string;
  noDataState: string;
  execErrState: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  datas: { refId: string; datasourceUid: string; model: string; relativeTimeRange: { from: number; to: number } }[];
  record?: { metric: string };
}

const rulesOf = (run: ProgramRun): Rule[] => ofType(run, TYPES.ruleGroup).flatMap((g) => g.inputs.rules as Rule[]);
/**
 * Rule groups made from rules in the project's format (alerts/specs.ts and drop-ins in that
 * format): the project's rule design applies to them. Groups of foreign rule files dropped
 * in (Prometheus, PrometheusRule, Grafana exports) keep their own names, chains and
 * annotations (tests/unit/rule-formats.test.ts).
 */
function projectGroups(run: ProgramRun): RegisteredResource[] {
  const foreign = new Set(readAlertRuleFiles().groups.map((g) => `${g.folderUid}/${g.name}`));
  return ofType(run, TYPES.ruleGroup).filter((g) => !foreign.has(`${g.inputs.folderUid}/${g.inputs.name}`));
}
const projectRules = (run: ProgramRun): Rule[] => projectGroups(run).flatMap((g) => g.inputs.rules as Rule[]);
const seedRules = (run: ProgramRun): Rule[] => ALERT_NAMES.map((name) => rule(run, name));
const rule = (run: ProgramRun, name: string): Rule => {
  const found = rulesOf(run).find((r) => r.name === name);
  assert.ok(found, `rule ${name} not registered`);
  return found;
};
const modelOf = (r: Rule, refId: string): Record<string, unknown> => {
  const data = r.datas.find((d) => d.refId === refId);
  assert.ok(data, `${r.name} has no ${refId}`);
  return JSON.parse(data.model) as Record<string, unknown>;
};
const threshold = (r: Rule): number => {
  const conditions = modelOf(r, r.condition).conditions as { evaluator: { params: number[] } }[];
  return conditions[0].evaluator.params[0];
};
const contactPoint = (run: ProgramRun, name: string): RegisteredResource | undefined =>
  ofType(run, TYPES.contactPoint).find((c) => c.inputs.name === name);

describe("Alerting", () => {
  const runs: Record<string, ProgramRun> = {};
  before(async () => {
    Object.assign(runs, await shippedStacks());
  });

  describe("rule groups", () => {
    it("holds one rule group per folder, named after it, evaluated every minute", () => {
      const groups = projectGroups(runs.prod);
      const folders = groups.map((g) => String(g.inputs.folderUid));
      assert.equal(new Set(folders).size, folders.length, `a folder with two groups: ${folders.join(", ")}`);
      for (const g of groups) assert.deepEqual([g.inputs.name, g.inputs.intervalSeconds], [`${g.inputs.folderUid}-alerts`, 60]);
      for (const folder of ["churn-api-ml", "churn-api-service"]) assert.ok(folders.includes(folder), `no rule group in ${folder}`);
    });

    it("declares the five alerts of the monitoring design with their severities", () => {
      const bySeverity = Object.fromEntries(rulesOf(runs.prod).map((r) => [r.name, r.labels.severity]));
      const design: Record<(typeof ALERT_NAMES)[number], string> = {
        ChurnApiHighLatencyP95: "warning",
        ChurnApiHighErrorRate: "critical",
        ChurnApiTooManyActiveRequests: "warning",
        ChurnApiDataDrift: "warning",
        ChurnApiLowConfidencePredictions: "warning",
      };
      for (const [name, severity] of Object.entries(design)) assert.equal(bySeverity[name], severity, name);
    });

    it("chains every rule query -> reduce -> threshold, the condition naming the threshold", () => {
      for (const r of seedRules(runs.prod)) assert.match(String(modelOf(r, "A").expr), /churn_api_/, r.name);
      for (const r of projectRules(runs.prod)) {
        assert.deepEqual(r.datas.map((d) => d.refId), ["A", "B", "C"], r.name);
        assert.equal(r.condition, "C");
        const [query, reduce, cond] = r.datas;
        assert.equal(query.datasourceUid, PROMETHEUS_DATASOURCE.uid);
        assert.ok(query.relativeTimeRange.from > 0);
        assert.equal(reduce.datasourceUid, EXPRESSION_DATASOURCE_UID);
        assert.deepEqual([modelOf(r, "B").type, modelOf(r, "B").expression], ["reduce", "A"]);
        assert.equal(cond.datasourceUid, EXPRESSION_DATASOURCE_UID);
        assert.deepEqual([modelOf(r, "C").type, modelOf(r, "C").expression], ["threshold", "B"]);
      }
    });

    it("uses the design's thresholds in prod", () => {
      assert.equal(threshold(rule(runs.prod, "ChurnApiHighLatencyP95")), 0.5);
      assert.equal(threshold(rule(runs.prod, "ChurnApiHighErrorRate")), 1);
      assert.equal(threshold(rule(runs.prod, "ChurnApiDataDrift")), 0.3);
      assert.equal(threshold(rule(runs.prod, "ChurnApiLowConfidencePredictions")), 10);
      assert.equal(threshold(rule(runs.prod, "ChurnApiTooManyActiveRequests")), 100);
    });

    it("lets each stack choose thresholds and pending periods", () => {
      assert.equal(threshold(rule(runs.dev, "ChurnApiHighLatencyP95")), 1);
      assert.equal(threshold(rule(runs.dev, "ChurnApiHighErrorRate")), 5);
      assert.equal(rule(runs.dev, "ChurnApiHighLatencyP95").for, "15m");
      assert.equal(rule(runs.dev, "ChurnApiHighErrorRate").for, "10m");
      assert.equal(rule(runs.prod, "ChurnApiHighLatencyP95").for, "10m");
      assert.equal(rule(runs.prod, "ChurnApiHighErrorRate").for, "5m");
    });

    it("chooses no-data and error states deliberately", () => {
      assert.equal(rule(runs.prod, "ChurnApiHighErrorRate").noDataState, "OK");
      assert.equal(rule(runs.prod, "ChurnApiDataDrift").noDataState, "NoData");
      for (const r of projectRules(runs.prod)) assert.equal(r.execErrState, "Error", r.name);
    });

    it("annotates every rule with summary, description, runbook and its dashboard panel", () => {
      const dashboards = new Map(
        ofType(runs.prod, TYPES.dashboard).map((d) => {
          const m = JSON.parse(String(d.inputs.configJson)) as DashboardModel;
          const panels = (m.panels ?? []).flatMap((p: PanelModel) => [p, ...(p.panels ?? [])]);
          return [m.uid, new Set(panels.map((p) => p.id))];
        }),
      );
      for (const r of projectRules(runs.prod)) {
        assert.ok(r.annotations.summary && r.annotations.description, r.name);
        // The seed's alerts link to their section of the runbooks; a drop-in rule may bring its own page.
        assert.match(r.annotations.runbook_url, (ALERT_NAMES as readonly string[]).includes(r.name) ? /^https:\/\/.+#churn-api-[a-z0-9-]+$/ : /^https:\/\/\S+$/, r.name);
        const panels = dashboards.get(r.annotations.__dashboardUid__);
        assert.ok(panels, `${r.name} links to unknown dashboard ${r.annotations.__dashboardUid__}`);
        assert.ok(panels.has(Number(r.annotations.__panelId__)), `${r.name} links to a missing panel`);
      }
    });

    it("reduces a window only over a range query: max of active requests over 5 minutes, the current value elsewhere", () => {
      const active = rule(runs.prod, "ChurnApiTooManyActiveRequests");
      assert.deepEqual([modelOf(active, "A").range, modelOf(active, "A").instant, active.datas[0].relativeTimeRange.from], [true, false, 300]);
      assert.equal(modelOf(active, "B").reducer, "max");
      for (const r of projectRules(runs.prod)) {
        // Grafana reduces an instant query's one number as itself: any reducer but last would promise a window that is not there.
        if (modelOf(r, "A").instant === true) assert.equal(modelOf(r, "B").reducer, "last", `${r.name} reduces an instant query with ${String(modelOf(r, "B").reducer)}`);
      }
    });

    it("every rule's runbook_url leads to a section of docs/runbooks.md (or is the rule's own URL)", () => {
      const anchors = markdownAnchors(fs.readFileSync(fromRoot("docs", "runbooks.md"), "utf8"));
      for (const [stack, run] of Object.entries(runs)) {
        const names = rulesOf(run).map((r) => r.name);
        for (const alert of ALERT_NAMES) assert.ok(names.includes(alert), `${stack}: ${alert} missing`);
        // Every alerting rule, whatever its format, has a runbook link (recording rules alert no one).
        for (const r of rulesOf(run).filter((x) => x.record === undefined)) {
          const [page, anchor = ""] = r.annotations.runbook_url.split("#");
          const intoRunbooks = page.endsWith("/docs/runbooks.md");
          if ((ALERT_NAMES as readonly string[]).includes(r.name)) assert.ok(intoRunbooks, `${stack}: ${r.name} does not link into docs/runbooks.md`);
          // Any link into the page must find its section; another page is the rule's own URL.
          if (intoRunbooks) assert.ok(anchors.has(anchor), `${stack}: ${r.name} links to ${r.annotations.runbook_url}, which docs/runbooks.md does not have`);
        }
      }
    });

    it("keeps the namespace label for grouping", () => {
      for (const r of seedRules(runs.prod)) assert.match(String(modelOf(r, "A").expr), /by \(namespace/, r.name);
    });
  });

  describe("contact points and routing", () => {
    it("prod: Slack for every alert, PagerDuty for critical ones, secrets kept secret", () => {
      const chat = contactPoint(runs.prod, "churn-api-notifications");
      const paging = contactPoint(runs.prod, "churn-api-paging");
      assert.ok(chat && paging);
      const slack = (chat.inputs.slacks as Record<string, unknown>[])[0];
      assert.match(String(revealSecret(slack.url)), /^https:\/\/hooks\.slack\.com\//);
      // An incoming webhook posts to its own channel: a recipient would be ignored by Slack.
      assert.deepEqual([slack.recipient, slack.token], [undefined, undefined]);
      const pd = (paging.inputs.pagerduties as Record<string, unknown>[])[0];
      assert.equal(revealSecret(pd.integrationKey), "pagerdutysecretundertest0123456789");
    });

    it("uses the shared message template", () => {
      const template = single(runs.prod, TYPES.messageTemplate);
      assert.match(String(template.inputs.template), /define "churn-api\.title"/);
      const slack = (contactPoint(runs.prod, "churn-api-notifications")!.inputs.slacks as Record<string, unknown>[])[0];
      assert.equal(slack.title, '{{ template "churn-api.title" . }}');
      for (const cp of ofType(runs.prod, TYPES.contactPoint)) assert.ok(cp.dependencies.includes(template.urn));
    });

    it("routes by severity in one policy tree, grouped by alertname and namespace", () => {
      const policy = single(runs.prod, TYPES.notificationPolicy);
      assert.equal(policy.inputs.contactPoint, "churn-api-notifications");
      assert.deepEqual(policy.inputs.groupBies, ["alertname", "namespace"]);
      const routes = (policy.inputs.policies as Record<string, unknown>[]).map((p) => [
        (p.matchers as { label: string; match: string; value: string }[]).map((m) => `${m.label}${m.match}${m.value}`).join(),
        p.contactPoint,
        p.continue,
      ]);
      assert.deepEqual(routes, [
        ["severity=critical", "churn-api-paging", true],
        ["severity=critical", "churn-api-notifications", false],
        ["severity=warning", "churn-api-notifications", false],
      ]);
      for (const cp of ofType(runs.prod, TYPES.contactPoint)) assert.ok(policy.dependencies.includes(cp.urn));
    });

    it("prod: mutes notifications during the maintenance window", () => {
      const mute = single(runs.prod, TYPES.muteTiming);
      assert.deepEqual(mute.inputs.intervals, [{ weekdays: ["saturday"], times: [{ start: "02:00", end: "04:00" }], location: "UTC" }]);
      for (const p of single(runs.prod, TYPES.notificationPolicy).inputs.policies as Record<string, unknown>[]) {
        assert.deepEqual(p.muteTimings, ["churn-api-maintenance-window"]);
      }
    });

    it("every stack routes its root to a contact point it declares", () => {
      for (const [stack, run] of Object.entries(runs)) {
        const root = single(run, TYPES.notificationPolicy).inputs.contactPoint;
        assert.ok(contactPoint(run, String(root)), `${stack}: the root route goes to ${String(root)}, which the stack does not declare`);
      }
    });

    it("dev: every alert goes to the demo's receiver, a webhook with no credentials", () => {
      const cp = contactPoint(runs.dev, "churn-api-notifications");
      assert.ok(cp);
      const webhooks = cp.inputs.webhooks as Record<string, unknown>[];
      assert.deepEqual(webhooks.map((w) => w.url), ["http://172.18.0.1:9095/"]);
      assert.equal(webhooks[0].message, '{{ template "churn-api.message" . }}');
      assert.equal(single(runs.dev, TYPES.notificationPolicy).inputs.contactPoint, "churn-api-notifications");
      assert.deepEqual(ofType(runs.dev, TYPES.muteTiming), []);
    });

    it("Slack as a bot: token (secret) and channel, no webhook URL", async () => {
      const run = await deployStack("dev", {
        overrides: { alertSlackEnabled: true, alertSlackChannel: "#churn-api-alerts" },
        secrets: { alertSlackToken: "xoxb-000-test-token-under-test" },
      });
      const slack = (contactPoint(run, "churn-api-notifications")!.inputs.slacks as Record<string, unknown>[])[0];
      assert.equal(revealSecret(slack.token), "xoxb-000-test-token-under-test");
      assert.deepEqual([slack.recipient, slack.url], ["#churn-api-alerts", undefined]);
    });

    it("refuses Slack settings that would not do what they say", async () => {
      const cases: [string, Parameters<typeof rejectStack>[1], RegExp][] = [
        ["a channel with a webhook", { overrides: { alertSlackEnabled: true, alertSlackChannel: "#elsewhere" }, secrets: { alertSlackWebhookUrl: "https://hooks.slack.com/services/T0/B0/x" } }, /alertSlackChannel #elsewhere would be ignored: a Slack incoming webhook posts to the channel it was created for/],
        ["a bot without a channel", { overrides: { alertSlackEnabled: true }, secrets: { alertSlackToken: "xoxb-000-test" } }, /alertSlackToken is set but alertSlackChannel is empty/],
        ["both modes at once", { overrides: { alertSlackEnabled: true, alertSlackChannel: "#x" }, secrets: { alertSlackToken: "xoxb-000-test", alertSlackWebhookUrl: "https://hooks.slack.com/services/T0/B0/x" } }, /both alertSlackWebhookUrl and alertSlackToken are set/],
        ["a token that is not one", { overrides: { alertSlackEnabled: true, alertSlackChannel: "#x" }, secrets: { alertSlackToken: "https://hooks.slack.com/services/T0/B0/x" } }, /alertSlackToken: \[secret\] is invalid: not a Slack bot token/],
      ];
      for (const [what, options, expected] of cases) assert.match((await rejectStack("dev", options)).message, expected, what);
    });

    it("refuses a stack without a receiver: its alerts would go nowhere", async () => {
      const err = await rejectStack("dev", { overrides: { alertDemoReceiverUrl: "", alertPagerdutyEnabled: true }, secrets: { alertPagerdutyIntegrationKey: "pagerdutysecretundertest0123456789" } });
      assert.match(err.message, /no alert receiver is enabled, so notifications would go nowhere/);
    });

    it("email and a generic webhook join the notification contact point when enabled", async () => {
      const run = await deployStack("dev", {
        overrides: { alertEmailEnabled: true, alertEmailAddresses: ["oncall@example.com"], smtpHost: "smtp.example.com:587", smtpFromAddress: "grafana@example.com", alertWebhookEnabled: true },
        secrets: { alertWebhookUrl: "https://hooks.example.com/webhook-secret-under-test" },
      });
      const cp = contactPoint(run, "churn-api-notifications");
      assert.ok(cp);
      assert.deepEqual((cp.inputs.emails as Record<string, unknown>[])[0].addresses, ["oncall@example.com"]);
      assert.equal(revealSecret((cp.inputs.webhooks as Record<string, unknown>[])[0].url), "https://hooks.example.com/webhook-secret-under-test");
      assert.equal(single(run, TYPES.notificationPolicy).inputs.contactPoint, "churn-api-notifications");
    });

    it("an enabled receiver without its secret stops the program before anything is registered", async () => {
      const err = await rejectStack("dev", { overrides: { alertPagerdutyEnabled: true } });
      assert.match(err.message, /alertPagerdutyEnabled is true but the secret alertPagerdutyIntegrationKey is not set/);
      assert.match(err.message, /fix: npm run pulumi -- config set --stack dev --secret alertPagerdutyIntegrationKey/);
    });
  });
});
