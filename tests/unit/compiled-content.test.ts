import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { readAlertRuleFiles } from "../../alerts/imported";
import { GrafanaRule, GrafanaRuleGroup } from "../../alerts/types";
import { assemblePlan, StackPlan } from "../../components/plan";
import { applyStackContext, builtDashboards, readImportedDashboards } from "../../dashboards";
import { buildDashboards } from "../../dashboards/built";
import { PREBUILT_DASHBOARDS_FILE, prebuiltDashboards } from "../../dashboards/prebuilt";
import { VAR } from "../../dashboards/queries";
import { DashboardModel, DashboardSpec, VariableModel } from "../../dashboards/types";
import {
  CONTENT_RECORD_FILE,
  ContentRecord,
  dashboardDigest,
  EMPTY_RECORD,
  ImportedDashboard,
  ParsedRuleFile,
  readContentRecord,
  ruleDigest,
} from "../../lib/content-record";
import { dashboardJson } from "../../lib/json-text";
import { fromRoot } from "../../lib/paths";
import { withSecretPlaceholders } from "../../render/placeholders";
import { committedStacks, loadStackConfig, settingsFor } from "../../render/stack-config";
import { recordContent } from "../../scripts/compile-content";
import { DEFAULT_DATASOURCES, validateDashboards, validateRuleGroups } from "../../validation";
import { alertLinkProblems } from "../../validation/alert-links";
import { BUILT_DASHBOARD_UIDS, EXAMPLE_DROP_IN_UID } from "../support/design";
import { ofType, shippedStacks, TYPES } from "../support/stack";

const planOf = (stack: string): StackPlan => assemblePlan(settingsFor(stack, withSecretPlaceholders(stack, loadStackConfig(stack)).config)).plan;
const copy = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
const variable = (model: DashboardModel, name: string): VariableModel | undefined => model.templating?.list?.find((v) => v.name === name);
const only = (validDashboards: ReadonlySet<string> = new Set(), validRules: ReadonlySet<string> = new Set()): ContentRecord => ({ ...EMPTY_RECORD, validDashboards, validRules });

/** The performance dashboard of dev with one target's PromQL broken. */
function brokenDashboard(plan: StackPlan): DashboardSpec {
  const spec = copy(plan.dashboards[0]);
  const target = spec.model.panels?.find((p) => p.targets?.length)?.targets?.[0];
  assert.ok(target, "a built dashboard has a target");
  target.expr = "sum(rate(";
  return spec;
}

/** A dev rule whose query is not PromQL. */
function brokenRule(plan: StackPlan): GrafanaRule {
  const rule = copy(plan.ruleGroups[0].rules[0]);
  const datas = rule.datas.map((d, i) => (i === 0 ? { ...d, model: JSON.stringify({ ...JSON.parse(String(d.model)), expr: "up{" }) } : d));
  return { ...rule, datas };
}

describe("compiled content (npm run build: bin/dashboards/built.json, bin/lib/content-record.json)", () => {
  it("deploys the dashboards the modules build: the build's JSON equals a fresh build", () => {
    assert.ok(fs.existsSync(PREBUILT_DASHBOARDS_FILE), "npm run build wrote the built dashboards");
    assert.deepEqual(copy(prebuiltDashboards()), copy(buildDashboards()));
    const uids = prebuiltDashboards().map((d) => d.uid);
    for (const uid of BUILT_DASHBOARD_UIDS) assert.ok(uids.includes(uid), `${uid} is not prebuilt`);
  });

  it("applies each stack's environment and namespace as the variables' current values, and nothing else", () => {
    const dev = builtDashboards({ environment: "dev", churnApiNamespace: "churn-api" });
    const prod = builtDashboards({ environment: "prod", churnApiNamespace: "ml-prod" });
    for (const [i, spec] of prebuiltDashboards().entries()) {
      assert.deepEqual(variable(dev[i].model, VAR.environment)?.current, { text: "dev", value: "dev" });
      assert.deepEqual(variable(prod[i].model, VAR.namespace)?.current, { text: "ml-prod", value: "ml-prod" });
      assert.equal(variable(spec.model, VAR.environment)?.current, undefined, "the shared build is not modified");
      const names = (m: DashboardModel) => (m.templating?.list ?? []).map((v) => v.name);
      assert.deepEqual(names(dev[i].model), names(spec.model));
      const rest = (m: DashboardModel) => (m.templating?.list ?? []).filter((v) => v.name !== VAR.environment && v.name !== VAR.namespace);
      assert.deepEqual(rest(prod[i].model), rest(spec.model));
      assert.deepEqual({ ...prod[i].model, templating: undefined }, { ...spec.model, templating: undefined });
    }
    const bare = { title: "no variables" };
    assert.equal(applyStackContext(bare, { environment: "dev", churnApiNamespace: "x" }), bare);
  });

  it("records every dashboard and rule of every committed stack, so the program checks none of them again", () => {
    assert.ok(fs.existsSync(CONTENT_RECORD_FILE), "npm run build wrote the record");
    const record = readContentRecord();
    const stacks = committedStacks();
    assert.deepEqual(stacks, ["dev", "prod"]);
    for (const stack of stacks) {
      const plan = planOf(stack);
      for (const d of plan.dashboards) {
        const imported = d.source.endsWith(".json");
        assert.ok(record.validDashboards.has(dashboardDigest(d.model, !imported, imported)), `${stack}: ${d.source} is recorded`);
      }
      for (const rule of plan.ruleGroups.flatMap((g) => g.rules)) assert.ok(record.validRules.has(ruleDigest(rule)), `${stack}: rule ${rule.name} is recorded`);
    }
  });

  it("skips the checks of exactly the recorded bytes: a changed dashboard or rule is checked in full", () => {
    const plan = planOf("dev");
    const record = readContentRecord();
    const dashboard = brokenDashboard(plan);
    const broken = validateDashboards([dashboard], { record });
    assert.ok(broken.some((p) => /PromQL syntax error/.test(p.message)), "a one-expression change is not covered by the record");
    // The same broken bytes with their digest recorded: proves the skip keys on the digest alone.
    const digest = dashboardDigest(dashboard.model, true, false);
    assert.deepEqual(validateDashboards([dashboard], { record: only(new Set([digest])) }), []);
    assert.notEqual(dashboardDigest(dashboard.model, false, false), digest, "schema mode is part of the digest");
    assert.notEqual(dashboardDigest(dashboard.model, true, true), digest, "origin is part of the digest");

    const rule = brokenRule(plan);
    const group = { ...plan.ruleGroups[0], rules: [rule] };
    assert.ok(validateRuleGroups([group], { record }).some((p) => /PromQL syntax error/.test(p.message)));
    assert.deepEqual(validateRuleGroups([group], { record: only(undefined, new Set([ruleDigest(rule)])) }), []);
    // Checks across units still run for recorded ones.
    const twice = { ...plan.ruleGroups[0], rules: [plan.ruleGroups[0].rules[0], plan.ruleGroups[0].rules[0]] };
    assert.ok(validateRuleGroups([twice], { record }).some((p) => /duplicate rule name/.test(p.message)));
    const sameUid = [plan.dashboards[0], { ...plan.dashboards[1], uid: plan.dashboards[0].uid, model: { ...plan.dashboards[1].model, uid: plan.dashboards[0].uid } }];
    assert.ok(validateDashboards(sameUid, { record }).some((p) => /duplicate uid/.test(p.message)));
  });

  it("checks recorded units in full when other datasources are given (the record assumes the default ones)", () => {
    const plan = planOf("dev");
    const dashboard = brokenDashboard(plan);
    const rule = brokenRule(plan);
    const recorded = only(new Set([dashboardDigest(dashboard.model, true, false)]), new Set([ruleDigest(rule)]));
    const datasources = DEFAULT_DATASOURCES;
    assert.ok(validateDashboards([dashboard], { record: recorded, datasources }).some((p) => /PromQL syntax error/.test(p.message)));
    const group = { ...plan.ruleGroups[0], rules: [rule] };
    assert.ok(validateRuleGroups([group], { record: recorded, datasources }).some((p) => /PromQL syntax error/.test(p.message)));
  });

  it("names and compares recorded dashboards exactly as unrecorded ones (duplicate titles)", () => {
    const plan = planOf("dev");
    const [first, second] = plan.dashboards.map(copy);
    const a: DashboardSpec = { ...first, title: "Overview ", model: { ...first.model, title: "Overview " } };
    const b: DashboardSpec = { ...second, folderUid: a.folderUid, title: "overview ", model: { ...second.model, title: "overview " } };
    const recorded = only(new Set([dashboardDigest(a.model, true, false)]));
    const withRecord = validateDashboards([a, b], { record: recorded });
    assert.ok(withRecord.some((p) => /is also used by/.test(p.message)), "the duplicate title is found");
    assert.deepEqual(withRecord, validateDashboards([a, b]));
  });

  it("keeps the shared build from being edited in place by one stack's run", () => {
    const [dashboard] = builtDashboards({ environment: "dev", churnApiNamespace: "churn-api" });
    const panel = dashboard.model.panels?.[0];
    assert.ok(panel);
    assert.throws(() => {
      panel.title = "edited";
    }, TypeError);
  });

  it("never records a dashboard or rule whose own checks fail", () => {
    const plan = planOf("dev");
    const dashboard = brokenDashboard(plan);
    const rule = brokenRule(plan);
    const withBroken: StackPlan = {
      ...plan,
      dashboards: [...plan.dashboards, dashboard],
      ruleGroups: [...plan.ruleGroups, { ...plan.ruleGroups[0], name: "broken", rules: [rule] }],
    };
    const { record, rejected } = recordContent([withBroken]);
    assert.equal(rejected, 2);
    assert.ok(!record.validDashboards.has(dashboardDigest(dashboard.model, true, false)));
    assert.ok(!record.validRules.has(ruleDigest(rule)));
    assert.equal(record.validDashboards.size, plan.dashboards.length);
    assert.equal(record.validRules.size, plan.ruleGroups.flatMap((g) => g.rules).length);
    assert.deepEqual(readContentRecord(path.join(os.tmpdir(), "no-such-record.json")), EMPTY_RECORD);
  });

  it("reuses the build's parse of a drop-in rule file only while its text and folder are unchanged", () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "rule-files-"));
    try {
      const file = path.join(root, "churn-api", "extra.yaml");
      fs.mkdirSync(path.dirname(file));
      const text = (threshold: number) =>
        `- {name: Extra, expr: "up", comparator: gt, threshold: ${threshold}, for: 5m, severity: warning, summary: s, description: d, dashboardUid: churn-api-model, panelId: 1, noDataState: OK, execErrState: Error}\n`;
      fs.writeFileSync(file, text(1));
      const parsed = new Map<string, ParsedRuleFile>();
      const first = readAlertRuleFiles(root, { onParsed: (digest, file) => parsed.set(digest, file) });
      assert.deepEqual(first.problems, []);
      assert.equal(parsed.size, 1);
      // A recorded result is used as is (a marker proves no parse happened) ...
      const [digest] = parsed.keys();
      const marker = { specs: [{ ...first.specs[0], summary: "from the record" }], groups: [] };
      assert.equal(readAlertRuleFiles(root, { parsed: new Map([[digest, marker]]) }).specs[0].summary, "from the record");
      // ... and an edited file, or the same file in another folder, is parsed again.
      fs.writeFileSync(file, text(2));
      assert.equal(readAlertRuleFiles(root, { parsed: new Map([[digest, marker]]) }).specs[0].threshold, 2);
      fs.writeFileSync(file, text(1));
      fs.renameSync(path.join(root, "churn-api"), path.join(root, "other"));
      const moved = readAlertRuleFiles(root, { parsed: new Map([[digest, marker]]) });
      assert.equal(moved.specs[0].summary, "s");
      assert.equal(moved.specs[0].folderUid, "other");
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it("reuses the build's conversion of a drop-in dashboard only while its text, folder and path are unchanged", () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "dashboard-files-"));
    try {
      const file = path.join(root, "team-a", "svc.json");
      fs.mkdirSync(path.dirname(file));
      const exported = (title: string) => ({
        __inputs: [{ name: "DS_PROM", type: "datasource", pluginId: "prometheus" }],
        uid: "svc",
        title,
        panels: [{ id: 7, type: "stat", datasource: "${DS_PROM}", targets: [{ refId: "A", expr: "up" }] }],
      });
      fs.writeFileSync(file, JSON.stringify(exported("Service")));
      const teams = [{ uid: "team-a", title: "Team A" }, { uid: "team-b", title: "Team B" }];
      const converted = new Map<string, ImportedDashboard>();
      const first = readImportedDashboards(root, teams, { onConverted: (digest, d) => converted.set(digest, d) });
      assert.deepEqual(first.problems, []);
      const [[digest, recorded]] = [...converted];
      assert.equal(recorded.configJson, JSON.stringify(first.dashboards[0].model), "the recorded JSON is the converted model");
      assert.deepEqual(recorded.panelIds, [7]);
      // A recorded conversion is used as is: a marker JSON proves the file was not converted again ...
      const marker = { ...recorded, configJson: JSON.stringify({ uid: "svc", title: "from the record" }) };
      const reused = readImportedDashboards(root, teams, { converted: new Map([[digest, marker]]) }).dashboards[0];
      assert.equal(reused.configJson, marker.configJson);
      assert.equal(reused.model.title, "from the record", "the model is parsed from the recorded JSON when read");
      assert.throws(() => {
        reused.model.title = "edited";
      }, TypeError, "the model parsed from the recorded JSON cannot drift from it");
      // ... and an edited file, or the same file in another folder, is converted again.
      fs.writeFileSync(file, JSON.stringify(exported("Renamed")));
      const edited = readImportedDashboards(root, teams, { converted: new Map([[digest, marker]]) }).dashboards[0];
      assert.equal(edited.model.title, "Renamed");
      assert.equal(edited.configJson, undefined);
      fs.writeFileSync(file, JSON.stringify(exported("Service")));
      fs.renameSync(path.join(root, "team-a"), path.join(root, "team-b"));
      const moved = readImportedDashboards(root, teams, { converted: new Map([[digest, marker]]) }).dashboards[0];
      assert.equal(moved.configJson, undefined);
      assert.equal(moved.folderUid, "team-b");
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it("does not read the model of a recorded dashboard, and deploys the recorded JSON", async () => {
    const record = readContentRecord();
    const slo = planOf("dev").dashboards.find((d) => d.uid === EXAMPLE_DROP_IN_UID);
    assert.ok(slo, "the dev stack imports the example drop-in dashboard");
    const recorded = [...record.importedDashboards.values()].find((d) => d.uid === EXAMPLE_DROP_IN_UID);
    assert.ok(recorded, "the committed drop-in dashboard is recorded");
    assert.equal(recorded.configJson, JSON.stringify(slo.model));
    const unreadable: DashboardSpec = {
      ...slo,
      configJson: recorded.configJson,
      get model(): DashboardModel {
        throw new Error("the model was read");
      },
    };
    assert.deepEqual(validateDashboards([unreadable], { record }), []);
    assert.throws(() => validateDashboards([unreadable]), /the model was read/, "without the record the model is checked");
    assert.equal(dashboardJson(unreadable), recorded.configJson, "the deployed JSON is the recorded text");
    // Alert links use the recorded panel ids, not the model.
    const link = (panelId: number): GrafanaRuleGroup => ({
      ...planOf("dev").ruleGroups[0],
      rules: [{ ...planOf("dev").ruleGroups[0].rules[0], annotations: { summary: "s", runbook_url: "https://x", __dashboardUid__: slo.uid, __panelId__: String(panelId) } }],
    });
    const linked: DashboardSpec = {
      uid: slo.uid,
      title: slo.title,
      folderUid: slo.folderUid,
      source: slo.source,
      panelIds: recorded.panelIds,
      get model(): DashboardModel {
        throw new Error("the model was read");
      },
    };
    assert.deepEqual(alertLinkProblems([link(recorded.panelIds[0])], [linked]), []);
    assert.match(alertLinkProblems([link(9999)], [linked])[0].message, /9999/);
    const { dev } = await shippedStacks();
    const deployed = ofType(dev, TYPES.dashboard).find((r) => r.inputs.configJson === recorded.configJson);
    assert.ok(deployed, "the dev stack deploys the recorded JSON");
  });

  it("deploys the dev stack without loading the dashboard builders or the PromQL parser", () => {
    const script = `
      const { runProgram } = require(${JSON.stringify(fromRoot("bin", "render", "mock-engine.js"))});
      const { loadStackConfig } = require(${JSON.stringify(fromRoot("bin", "render", "stack-config.js"))});
      runProgram("dev", loadStackConfig("dev")).then((run) => {
        if (run.error) throw run.error;
        const loaded = Object.keys(require.cache).filter((f) => /grafana-foundation-sdk|lezer-promql|codemirror-promql/.test(f));
        process.stdout.write(JSON.stringify({ resources: run.resources.length, loaded: loaded.length }));
      });`;
    const child = spawnSync(process.execPath, ["-e", script], { cwd: fromRoot(), encoding: "utf8" });
    assert.equal(child.status, 0, child.stderr);
    const result = JSON.parse(child.stdout) as { resources: number; loaded: number };
    assert.ok(result.resources > 10, "the stack was deployed");
    assert.equal(result.loaded, 0, "builder or parser modules were loaded");
  });
});
