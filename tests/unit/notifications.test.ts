/**
 * The notification path, end to end where it runs here: Grafana's webhook JSON (fixtures in
 * tests/fixtures/notifications/, written to the shape grafana/alerting's webhook notifier
 * sends, with the labels and annotations our rules produce) -> our message template, rendered
 * by Go's text/template over Grafana's template data (tests/go/notification-template) -> the
 * demo's receiver (workload/alert-receiver.ts), which accepts it and prints it.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import { MESSAGE_TEMPLATE, MESSAGE_TEMPLATE_BODY, TITLE_TEMPLATE } from "../../alerts/notifications";
import { GrafanaRule } from "../../alerts/types";
import { fromRoot } from "../../lib/paths";
import { formatNotification, startReceiver } from "../../workload/alert-receiver";
import { GrafanaWebhook, parseGrafanaWebhook } from "../../workload/grafana-webhook";
import { goProgram, requireGo, runGoProgram } from "../support/go";
import { testStackPlan } from "../prometheus/support/plan";

const FIXTURES = fromRoot("tests", "fixtures", "notifications");
const fixtures = (): Map<string, GrafanaWebhook> =>
  new Map(
    fs.readdirSync(FIXTURES).map((file) => {
      const parsed = parseGrafanaWebhook(fs.readFileSync(`${FIXTURES}/${file}`, "utf8"));
      if ("problems" in parsed) throw new Error(`${file}: ${parsed.problems.join("; ")}`);
      return [file, parsed.payload];
    }),
  );

/** Renders `fields` (contact point settings) over a webhook payload with the Go renderer. */
async function renderWithGo(binary: string, payload: unknown, fields: Record<string, string>, templates = MESSAGE_TEMPLATE_BODY): Promise<Record<string, string>> {
  const out = await runGoProgram(binary, [], JSON.stringify({ templates, render: fields, payload }));
  return JSON.parse(out) as Record<string, string>;
}

const isPrivate = (key: string): boolean => key.startsWith("__") && key.endsWith("__");

describe("notifications: Grafana's webhook payload, our template, the demo's receiver", function () {
  this.timeout(120_000);
  const payloads = fixtures();
  const rules = new Map<string, GrafanaRule>(testStackPlan("dev").ruleGroups.flatMap((g) => g.rules.map((r) => [r.name, r] as const)));

  it("the fixtures carry what Grafana sends for our rules: their labels, their public annotations, their panel", () => {
    assert.ok(payloads.size >= 2);
    for (const [file, p] of payloads) {
      for (const alert of p.alerts) {
        const rule = rules.get(alert.labels?.alertname ?? "");
        assert.ok(rule, `${file}: ${alert.labels?.alertname} is not a rule of the dev stack`);
        for (const [k, v] of Object.entries(rule.labels)) assert.equal(alert.labels?.[k], v, `${file}: label ${k}`);
        // Grafana drops __private__ annotations from the template data (templates/template_data.go).
        assert.deepEqual(Object.keys(alert.annotations ?? {}).sort(), Object.keys(rule.annotations).filter((k) => !isPrivate(k)).sort(), file);
        assert.equal(alert.annotations?.runbook_url, rule.annotations.runbook_url, file);
        assert.match(alert.panelURL, new RegExp(`/d/${rule.annotations.__dashboardUid__}\\?.*viewPanel=${rule.annotations.__panelId__}$`), file);
      }
    }
  });

  describe("the message template, rendered by Go's text/template", function () {
    let renderer = "";
    before(async function () {
      renderer = await goProgram(requireGo(this), "notification-template");
    });

    it("renders the title and message of a firing group: count, alert name, namespace, every alert's summary, runbook and panel", async () => {
      const p = payloads.get("drift-firing.json");
      assert.ok(p);
      const out = await renderWithGo(renderer, p, { title: TITLE_TEMPLATE, message: MESSAGE_TEMPLATE });
      assert.equal(out.title, `[FIRING:${p.alerts.length}] ${p.commonLabels?.alertname} (${p.commonLabels?.namespace})`);
      for (const a of p.alerts) {
        assert.ok(out.message.includes(`FIRING [${a.labels?.severity}] ${a.annotations?.summary}\n${a.annotations?.description}\nRunbook: ${a.annotations?.runbook_url}\n`), out.message);
        assert.ok(out.message.includes(`Panel: ${a.panelURL}\n`), out.message);
      }
    });

    it("renders a resolved group without a count", async () => {
      const p = payloads.get("error-rate-resolved.json");
      assert.ok(p);
      const out = await renderWithGo(renderer, p, { title: TITLE_TEMPLATE, message: MESSAGE_TEMPLATE });
      assert.equal(out.title, `[RESOLVED] ${p.commonLabels?.alertname} (${p.commonLabels?.namespace})`);
      assert.match(out.message, /^RESOLVED \[critical\] Churn API is failing requests\n/);
    });

    it("is strict, as Grafana is: a field the data model lacks or a function it lacks fails", async () => {
      const p = payloads.get("drift-firing.json");
      await assert.rejects(renderWithGo(renderer, p, { title: "{{ .Alerts.Firing.Severity }}" }), /can't evaluate field Severity/);
      await assert.rejects(renderWithGo(renderer, p, { title: "{{ .Receiver | shout }}" }), /function "shout" not defined/);
      const sorted = await renderWithGo(renderer, p, { labels: '{{ range .CommonLabels.SortedPairs }}{{ .Name }}={{ .Value }} {{ end }}' });
      assert.equal(sorted.labels, "alertname=ChurnApiDataDrift grafana_folder=ML Model namespace=churn-api service=churn-api severity=warning ");
    });

    it("docs/workload.md shows what the receiver prints for a firing group", async () => {
      const p = payloads.get("drift-firing.json");
      assert.ok(p);
      const rendered = await renderWithGo(renderer, p, { title: TITLE_TEMPLATE, message: MESSAGE_TEMPLATE });
      const printed = formatNotification({ ...p, ...rendered }, new Date("2026-05-04T09:45:30Z"));
      assert.ok(fs.readFileSync(fromRoot("docs", "workload.md"), "utf8").includes(`\`\`\`\n${printed}\`\`\`\n`), `docs/workload.md lacks the receiver's output:\n${printed}`);
    });

    it("reaches the demo's receiver as Grafana would post it: accepted (200) and printed", async () => {
      const printed: string[] = [];
      const receiver = await startReceiver({ port: 0, host: "127.0.0.1", print: (t) => printed.push(t), warn: (t) => printed.push(`WARN ${t}`) });
      try {
        for (const p of payloads.values()) {
          const rendered = await renderWithGo(renderer, p, { title: TITLE_TEMPLATE, message: MESSAGE_TEMPLATE });
          // What Grafana posts: the template data plus the contact point's title and message, rendered.
          const body = JSON.stringify({ ...p, ...rendered });
          const res = await fetch(receiver.url, { method: "POST", headers: { "content-type": "application/json" }, body });
          assert.equal(res.status, 200, await res.text());
          const out = printed.at(-1) ?? "";
          assert.ok(out.includes(`  title: ${rendered.title}\n`), out);
          for (const line of rendered.message.trim().split("\n").filter(Boolean)) assert.ok(out.includes(`    ${line}`), `${line} not printed:\n${out}`);
        }
        assert.equal(printed.filter((t) => t.startsWith("WARN")).length, 0);
      } finally {
        await receiver.close();
      }
    });
  });

  it("the receiver refuses a body that is not Grafana's webhook JSON, saying what differs", async () => {
    const printed: string[] = [];
    const receiver = await startReceiver({ port: 0, host: "127.0.0.1", print: (t) => printed.push(t), warn: (t) => printed.push(t) });
    try {
      const p = payloads.get("drift-firing.json");
      const { alerts: _dropped, ...withoutAlerts } = p ?? {};
      const res = await fetch(receiver.url, { method: "POST", body: JSON.stringify({ ...withoutAlerts, state: "pending" }) });
      assert.equal(res.status, 400);
      const body = (await res.json()) as { problems: string[] };
      assert.deepEqual(body.problems.map((x) => x.split(":")[0]).sort(), ["alerts", "state"]);
      assert.match(printed.join(""), /refused a POST to \/: not Grafana's webhook JSON/);
      assert.equal((await fetch(receiver.url, { method: "POST", body: "{" })).status, 400);
      assert.equal((await fetch(`${receiver.url}health`)).status, 200);
    } finally {
      await receiver.close();
    }
  });

  it("prints a notification with its group, Grafana's title and message, and every alert", () => {
    const p = payloads.get("drift-firing.json");
    assert.ok(p);
    const text = formatNotification({ ...p, title: "T", message: "line 1\nline 2\n" }, new Date("2026-05-04T09:45:00Z"));
    assert.equal(
      text.split("\n").slice(0, 6).join("\n"),
      [
        "--- 2026-05-04T09:45:00.000Z FIRING (2 firing, 0 resolved) from contact point churn-api-notifications",
        '  group: {alertname="ChurnApiDataDrift", namespace="churn-api"}',
        "  title: T",
        "  message:",
        "    line 1",
        "    line 2",
      ].join("\n"),
    );
    assert.match(text, /  - firing \{alertname="ChurnApiDataDrift", feature="tenure", .*\} since 2026-05-04T09:41:00Z http:\/\/localhost:3000\/d\/churn-api-model\?.*viewPanel=7\n/);
  });
});
