import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse } from "yaml";
import { readAlertRuleFiles } from "../../alerts/imported";
import { fromRoot } from "../../lib/paths";
import { renderStack, RenderResult } from "../../render/render";
import { ALERT_NAMES } from "../support/design";

function readTree(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (d: string): void => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else files.set(path.relative(dir, full), fs.readFileSync(full, "utf8"));
    }
  };
  walk(dir);
  return files;
}

const node = (script: string, args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, [fromRoot("bin", "render", script), ...args], { cwd: fromRoot(), encoding: "utf8", env: { ...process.env, ...env } });

describe("offline render", () => {
  let outRoot: string;
  const results: Record<string, RenderResult> = {};
  before(async () => {
    outRoot = fs.mkdtempSync(path.join(os.tmpdir(), "render-test-"));
    for (const stack of ["dev", "prod"]) results[stack] = await renderStack(stack, { outRoot });
  });
  after(() => fs.rmSync(outRoot, { recursive: true, force: true }));

  for (const stack of ["dev", "prod"]) {
    it(`renders the ${stack} stack`, () => {
      const r = results[stack];
      assert.equal(r.error, undefined, String(r.error));
      const files = [...readTree(r.outDir).keys()].sort();
      for (const expected of [
        "dashboards/churn-api/churn-api-service/churn-api-performance.json",
        "dashboards/churn-api/churn-api-ml/churn-api-model.json",
        "dashboards/churn-api/churn-api-infra/churn-api-infrastructure.json",
        "dashboards/churn-api/churn-api-slo.json",
        "layout/churn-api-performance.svg",
        "helm/values.yaml",
        "alerting/notification-policy.yaml",
        "alerting/rule-groups/churn-api-service-alerts.yaml",
        "alerting/rule-groups/churn-api-ml-alerts.yaml",
        "alerting/templates/churn-api.tmpl",
        "prometheus/alerts.rules.yml",
        "summary.md",
      ]) {
        assert.ok(files.includes(expected), `${stack}: ${expected} missing`);
      }
      assert.deepEqual(files, r.files);
    });
  }

  it("writes contact points with their secrets redacted, the rest readable", () => {
    const text = fs.readFileSync(path.join(results.prod.outDir, "alerting/contact-points/churn-api-notifications.yaml"), "utf8");
    assert.match(text, /url: "\[secret\]"/);
    assert.match(text, /title: '\{\{ template "churn-api\.title" \. \}\}'/);
    assert.deepEqual(results.prod.placeholders, ["alertPagerdutyIntegrationKey", "alertSlackWebhookUrl"]);
    assert.deepEqual(results.dev.placeholders, []);
  });

  it("never writes a secret or a placeholder value", () => {
    for (const stack of ["dev", "prod"]) {
      for (const [file, content] of readTree(results[stack].outDir)) {
        assert.doesNotMatch(content, /placeholder\.invalid|placeholderalert|mock-password/, `${stack}/${file}`);
      }
    }
  });

  it("is deterministic: a second render is byte-identical", async () => {
    const again = fs.mkdtempSync(path.join(os.tmpdir(), "render-again-"));
    try {
      for (const stack of ["dev", "prod"]) {
        const second = await renderStack(stack, { outRoot: again });
        assert.deepEqual(readTree(second.outDir), readTree(results[stack].outDir), `${stack} differs between renders`);
      }
    } finally {
      fs.rmSync(again, { recursive: true, force: true });
    }
  });

  it("draws each dashboard's layout with every panel labelled", () => {
    const svg = fs.readFileSync(path.join(results.dev.outDir, "layout/churn-api-performance.svg"), "utf8");
    assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    const model = JSON.parse(fs.readFileSync(path.join(results.dev.outDir, "dashboards/churn-api/churn-api-service/churn-api-performance.json"), "utf8")) as { panels: { title: string; type: string }[] };
    for (const p of model.panels) assert.ok(svg.includes(p.title.replace(/&/g, "&amp;")), `panel "${p.title}" not drawn`);
    assert.equal((svg.match(/<rect /g) ?? []).length, model.panels.length + 1);
  });

  it("exports the alert rules as a Prometheus rules file", () => {
    const file = parse(fs.readFileSync(path.join(results.prod.outDir, "prometheus/alerts.rules.yml"), "utf8")) as {
      groups: { name: string; rules: { alert?: string; record?: string; expr: string; for: string }[] }[];
    };
    const rules = file.groups.flatMap((g) => g.rules);
    // Rules of Grafana alert-rule exports have no Prometheus form (README): every other rule is in the file.
    const grafanaFormat = new Set(readAlertRuleFiles().groups.filter((g) => g.format === "grafana").map((g) => `${g.folderUid}/${g.name}`));
    const granted = results.prod.resources
      .filter((r) => r.type === "grafana:alerting/ruleGroup:RuleGroup" && !grafanaFormat.has(`${r.inputs.folderUid}/${r.inputs.name}`))
      .flatMap((g) => (g.inputs.rules as { name: string }[]).map((r) => r.name));
    // A recording rule is named after the metric it records, in Grafana as in Prometheus.
    assert.deepEqual(rules.map((r) => r.alert ?? r.record).sort(), granted.sort(), "one Prometheus rule per Grafana rule");
    for (const alert of ALERT_NAMES) assert.ok(rules.some((r) => r.alert === alert), `${alert} missing`);
    const errors = rules.find((r) => r.alert === "ChurnApiHighErrorRate");
    assert.match(errors?.expr ?? "", /\) > 1$/);
    assert.equal(errors?.for, "5m");
  });

  it("summarises the resources of the stack", () => {
    assert.match(results.prod.summary, new RegExp(`^# Stack prod: ${results.prod.resources.length} resources`));
    assert.match(results.prod.summary, /\| Certificate \(kubernetes:cert-manager\.io\) \| grafana-certificate \| grafana \|/);
    assert.match(results.prod.summary, /\| Release \(kubernetes:helm\.sh\) \| grafana-release \| grafana \| protect, retainOnDelete \|/);
  });

  describe("command line", () => {
    const badStack = "zz-render-bad";
    const badFile = fromRoot(`Pulumi.${badStack}.yaml`);
    before(() =>
      fs.writeFileSync(
        badFile,
        "config:\n  grafana-k8s:environment: qa\n  grafana-k8s:prometheusUrl: http://prometheus:9090\n  grafana-k8s:persistenceSize: huge\n",
      ),
    );
    after(() => fs.rmSync(badFile, { force: true }));

    it("prints one line per stack; the full resource table is in summary.md", () => {
      const out = fs.mkdtempSync(path.join(os.tmpdir(), "render-cli-"));
      try {
        const run = node("cli.js", ["--stack", "dev", "--out", out]);
        assert.equal(run.status, 0, run.stderr);
        const lines = run.stdout.trimEnd().split("\n");
        assert.equal(lines.length, 1, run.stdout);
        const line = /^✓ dev: (\d+) resources \((\d+) dashboards, (\d+) alert rules\) → .+\/dev\/ \((\d+) files; every resource in .+\/dev\/summary\.md\) in \d+ ms$/.exec(lines[0]);
        assert.ok(line, lines[0]);
        const summary = fs.readFileSync(path.join(out, "dev", "summary.md"), "utf8");
        assert.match(summary, new RegExp(`^# Stack dev: ${line[1]} resources`));
        assert.match(summary, /\| ContactPoint \(grafana:alerting\) \| contact-point-notifications \| alerting \|/);
        assert.equal(Number(line[2]), readTree(path.join(out, "dev", "dashboards")).size);
        assert.equal(Number(line[4]), readTree(path.join(out, "dev")).size);
      } finally {
        fs.rmSync(out, { recursive: true, force: true });
      }
    });

    it("reports bad input without a stack trace and removes the stack's earlier render", () => {
      const out = fs.mkdtempSync(path.join(os.tmpdir(), "render-bad-"));
      try {
        fs.mkdirSync(path.join(out, badStack));
        fs.writeFileSync(path.join(out, badStack, "summary.md"), "# an earlier render\n");
        const run = node("cli.js", ["--stack", badStack, "--out", out]);
        assert.equal(run.status, 1);
        assert.match(run.stderr, /environment: "qa" is invalid/);
        assert.match(run.stderr, /persistenceSize: "huge" is invalid/);
        assert.match(run.stderr, new RegExp(`${badStack}/ removed: it held an earlier render of ${badStack}`));
        assert.doesNotMatch(run.stderr, /\n\s+at /, "stack trace printed");
        assert.ok(!fs.existsSync(path.join(out, badStack)), "the earlier render is still there");
      } finally {
        fs.rmSync(out, { recursive: true, force: true });
      }
    });

    it("under REQUIRE_HELM=1, a render without the chart is a failure that removes the stack's earlier render", () => {
      const out = fs.mkdtempSync(path.join(os.tmpdir(), "render-no-chart-"));
      try {
        fs.mkdirSync(path.join(out, "dev"));
        fs.writeFileSync(path.join(out, "dev", "summary.md"), "# an earlier render\n");
        const run = node("cli.js", ["--stack", "dev", "--out", out], { REQUIRE_HELM: "1", GRAFANA_CHART: path.join(out, "no-such-chart") });
        assert.equal(run.status, 1, run.stdout);
        assert.match(run.stderr, /^✗ dev: REQUIRE_HELM=1, but Kubernetes manifests not rendered: .*no-such-chart/m);
        assert.match(run.stderr, /dev\/ removed: it held an earlier render of dev/);
        assert.ok(!fs.existsSync(path.join(out, "dev")), "a partial render is there");
      } finally {
        fs.rmSync(out, { recursive: true, force: true });
      }
    });

    it("npm run validate passes the shipped stacks and fails a bad one", () => {
      const ok = node("validate-cli.js", ["--stack", "dev", "--stack", "prod"]);
      assert.equal(ok.status, 0, ok.stderr);
      assert.match(ok.stdout, /^✓ dev: \d+ dashboards \(\d+ panels\), \d+ alert rules, chart values are valid$/m);
      assert.match(ok.stdout, /^✓ prod: \d+ dashboards \(\d+ panels\), \d+ alert rules, chart values are valid$/m);
      const bad = node("validate-cli.js", ["--stack", badStack]);
      assert.equal(bad.status, 1);
      assert.match(bad.stderr, /✗ zz-render-bad: Invalid stack configuration/);
    });
  });
});
