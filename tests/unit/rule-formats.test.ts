/**
 * Alert rule files in the formats people have, dropped into alerts/rules/<folder-uid>/ and
 * run through the whole program: a Prometheus rule file, a PrometheusRule manifest and a
 * Grafana alert-rule export each become Grafana-managed rules in their folder, keeping
 * what the file says; what the formats' own tools would refuse is refused here, by file,
 * group and rule.
 */
import * as assert from "node:assert/strict";
import { stringify } from "yaml";
import { severityRoutes } from "../../alerts/notifications";
import { importedRuleGroups } from "../../alerts/rule-chain";
import { ImportedRuleGroup } from "../../alerts/types";
import { chartValues } from "../../components/chart-values";
import { prometheusRulesOf, planStack } from "../../components/plan";
import { FolderSpec } from "../../dashboards/types";
import { validateRuleGroups } from "../../validation/alert-rules";
import { FOLDER_UID } from "../../dashboards/folders";
import { ProgramRun } from "../../render/mock-engine";
import { loadStackConfig, settingsFor } from "../../render/stack-config";
import { DropIns } from "../support/drop-in";
import { deployStack, ofType, rejectStack, TYPES } from "../support/stack";

const FOLDER = FOLDER_UID.infrastructure;

interface Rule {
  name: string;
  condition: string;
  for: string;
  keepFiringFor?: string;
  noDataState: string;
  execErrState: string;
  missingSeriesEvalsToResolve?: number;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  record?: { metric: string; from: string; targetDatasourceUid?: string };
  uid?: string;
  datas: { refId: string; datasourceUid: string; model: string; relativeTimeRange: { from: number; to: number } }[];
}
interface Group {
  name: string;
  folderUid: string;
  intervalSeconds: number;
  rules: Rule[];
}

const groupsOf = (run: ProgramRun): Group[] => ofType(run, TYPES.ruleGroup).map((g) => g.inputs as unknown as Group);
const group = (run: ProgramRun, name: string): Group => {
  const found = groupsOf(run).find((g) => g.name === name);
  assert.ok(found, `no rule group ${name}: ${groupsOf(run).map((g) => g.name).join(", ")}`);
  return found;
};
const model = (r: Rule, refId: string) => JSON.parse(r.datas.find((d) => d.refId === refId)!.model) as Record<string, unknown>;

const PROMETHEUS_FILE = {
  groups: [
    {
      name: "zz-node",
      interval: "30s",
      rules: [
        {
          alert: "ZzNodeDown",
          expr: 'up{job="node-exporter"} == 0',
          for: "1d",
          keep_firing_for: "10m",
          labels: { severity: "info", team: "platform" },
          annotations: { summary: "Node down", description: "{{ $labels.instance }} has been down: {{ $value | humanize }}", runbook_url: "https://runbooks.example.org/node-down" },
        },
        { alert: "ZzWatchdog", expr: "vector(1)", labels: { severity: "none" }, annotations: { description: "Always firing" } },
        { record: "instance:zz_node_up:sum", expr: 'sum by (instance) (up{job="node-exporter"})', labels: { source: "zz" } },
      ],
    },
  ],
};

describe("drop-in rule files in other formats", () => {
  // Only what the test drops in is removed: a contributor's rules in the same folder stay.
  const drops = new DropIns();
  const dropIn = (relative: string, content: string) => drops.write(`alerts/rules/${relative}`, content);
  afterEach(() => drops.removeAll());

  describe("a Prometheus rule file", () => {
    let run: ProgramRun;
    beforeEach(async () => {
      dropIn(`${FOLDER}/zz-node.yaml`, stringify(PROMETHEUS_FILE));
      run = await deployStack("dev");
    });

    it("keeps its group, name and interval, in the folder of its directory", () => {
      const g = group(run, "zz-node");
      assert.equal(g.folderUid, FOLDER);
      assert.equal(g.intervalSeconds, 30);
      assert.deepEqual(g.rules.map((r) => r.name), ["ZzNodeDown", "ZzWatchdog", "instance:zz_node_up:sum"]);
    });

    it("fires on every series its boolean expression returns, as Prometheus does (query -> is_number||is_nan||is_inf -> > 0)", () => {
      const r = group(run, "zz-node").rules[0];
      assert.equal(r.condition, "C");
      assert.equal(model(r, "A").expr, 'up{job="node-exporter"} == 0');
      assert.equal(model(r, "A").instant, true);
      assert.deepEqual(model(r, "B"), { refId: "B", datasource: { type: "__expr__", uid: "__expr__" }, type: "math", expression: "is_number($A) || is_nan($A) || is_inf($A)" });
      assert.deepEqual((model(r, "C").conditions as unknown[])[0], { evaluator: { type: "gt", params: [0] } });
      assert.equal(r.noDataState, "OK", "no series, no alert");
      assert.equal(r.missingSeriesEvalsToResolve, 1, "resolves when its series is gone, as in Prometheus");
    });

    it("keeps for (in the provider's spelling), keep_firing_for, every label and annotation, its own runbook, and stamps no project label", () => {
      const r = group(run, "zz-node").rules[0];
      assert.equal(r.for, "24h");
      assert.equal(r.keepFiringFor, "10m");
      assert.deepEqual(r.labels, { severity: "info", team: "platform" });
      assert.equal(r.annotations.runbook_url, "https://runbooks.example.org/node-down");
      assert.equal(r.annotations.description, "{{ $labels.instance }} has been down: {{ $values.A.Value | humanize }}", "$value is query A's value in Grafana");
      const watchdog = group(run, "zz-node").rules[1];
      assert.equal(watchdog.labels.severity, "none");
      assert.match(watchdog.annotations.runbook_url, /docs\/runbooks\.md#rules-without-a-runbook$/, "a rule without a runbook links to the general section");
    });

    it("makes recording rules Grafana-managed recording rules writing to the provisioned Prometheus", () => {
      const r = group(run, "zz-node").rules[2];
      assert.deepEqual(r.record, { metric: "instance:zz_node_up:sum", from: "A", targetDatasourceUid: "prometheus" });
      assert.deepEqual(r.labels, { source: "zz" });
      assert.equal(model(r, "A").expr, 'sum by (instance) (up{job="node-exporter"})');
    });

    it("turns Grafana's recording rules on, writing to the provisioned Prometheus (off while no rule records)", () => {
      const ini = (r: ProgramRun) => (ofType(r, TYPES.release)[0].inputs.values as Record<string, Record<string, unknown>>)["grafana.ini"];
      assert.deepEqual(ini(run).recording_rules, { enabled: true, default_datasource_uid: "prometheus" });
      const settings = settingsFor("dev", loadStackConfig("dev"));
      const without = chartValues({ deployment: settings.deployment! }) as Record<string, Record<string, unknown>>;
      assert.equal(without["grafana.ini"].recording_rules, undefined);
    });

    it("exports alerting and recording rules in the Prometheus rules file as deployed", () => {
      const file = prometheusRulesOf(planStack(settingsFor("dev", loadStackConfig("dev"))));
      const g = file.groups.find((x) => x.name === "zz-node");
      assert.ok(g);
      assert.equal(g.interval, "30s");
      assert.deepEqual(g.rules[0], {
        alert: "ZzNodeDown",
        expr: 'up{job="node-exporter"} == 0',
        for: "1d",
        keep_firing_for: "10m",
        labels: { severity: "info", team: "platform" },
        annotations: PROMETHEUS_FILE.groups[0].rules[0].annotations,
      });
      assert.deepEqual(g.rules[2], { record: "instance:zz_node_up:sum", expr: 'sum by (instance) (up{job="node-exporter"})', labels: { source: "zz" } });
    });
  });

  it("reads a PrometheusRule manifest like the rule file in its spec", async () => {
    const manifest = { apiVersion: "monitoring.coreos.com/v1", kind: "PrometheusRule", metadata: { name: "zz", namespace: "monitoring" }, spec: PROMETHEUS_FILE };
    dropIn(`${FOLDER}/zz-node.yaml`, stringify(manifest));
    const run = await deployStack("dev");
    assert.deepEqual(group(run, "zz-node").rules.map((r) => r.name), ["ZzNodeDown", "ZzWatchdog", "instance:zz_node_up:sum"]);
  });

  it("refuses a rule file's misspelt key with one \"did you mean\", naming file, group and rule", async () => {
    const broken = structuredClone(PROMETHEUS_FILE) as unknown as { groups: { rules: Record<string, unknown>[] }[] };
    broken.groups[0].rules[0].anotations = broken.groups[0].rules[0].annotations;
    delete broken.groups[0].rules[0].annotations;
    dropIn(`${FOLDER}/zz-node.yaml`, stringify(broken));
    const err = await rejectStack("dev");
    assert.match(err.message, new RegExp(`alerts/rules/${FOLDER}/zz-node\\.yaml: group "zz-node", rule "ZzNodeDown" field anotations: unknown key "anotations"`));
    assert.match(err.message, /did you mean "annotations"\?/);
    assert.match(err.message, /1 problem;/);
  });

  describe("a Grafana alert-rule export", () => {
    const exported = (datasourceUid: string) => ({
      apiVersion: 1,
      groups: [
        {
          orgId: 1,
          name: "zz-exported",
          folder: "Other Grafana's folder",
          interval: "1m",
          rules: [
            {
              uid: "zz-rule-1",
              title: "ZzHighLoad",
              condition: "C",
              data: [
                { refId: "A", relativeTimeRange: { from: 600, to: 0 }, datasourceUid, model: { refId: "A", datasource: { type: "prometheus", uid: datasourceUid }, expr: "sum(rate(node_cpu_seconds_total[5m]))", instant: true } },
                { refId: "B", datasourceUid: "__expr__", model: { refId: "B", type: "reduce", expression: "A", reducer: "last" } },
                { refId: "C", datasourceUid: "__expr__", model: { refId: "C", type: "threshold", expression: "B", conditions: [{ evaluator: { type: "gt", params: [4] } }] } },
              ],
              noDataState: "NoData",
              execErrState: "Error",
              for: "5m",
              annotations: { summary: "High load" },
              labels: { severity: "warning" },
              isPaused: false,
            },
          ],
        },
      ],
    });

    it("keeps the data chain; a datasource uid this Grafana lacks is refused naming file, rule and uid", async () => {
      dropIn(`${FOLDER}/zz-export.yaml`, stringify(exported("P1809F7CD0C75ACF3")));
      const err = await rejectStack("dev");
      assert.match(err.message, new RegExp(`alerts/rules/${FOLDER}/zz-export\\.yaml: group "zz-exported", rule "ZzHighLoad", data A: queries datasource uid "P1809F7CD0C75ACF3", which this Grafana does not have`));
      assert.match(err.message, /map it in catalog\/datasource-mapping\.yaml \(P1809F7CD0C75ACF3: prometheus\)/);
    });

    it("deploys it with its own chain, uid, states and labels when the datasource is this Grafana's", async () => {
      dropIn(`${FOLDER}/zz-export.json`, JSON.stringify(exported("prometheus")));
      const run = await deployStack("dev");
      const [r] = group(run, "zz-exported").rules;
      assert.equal(r.uid, "zz-rule-1");
      assert.deepEqual(r.datas.map((d) => [d.refId, d.datasourceUid]), [["A", "prometheus"], ["B", "__expr__"], ["C", "__expr__"]]);
      assert.equal(model(r, "B").reducer, "last");
      assert.deepEqual([r.condition, r.for, r.noDataState, r.execErrState], ["C", "5m", "NoData", "Error"]);
      assert.deepEqual(r.labels, { severity: "warning" });
    });
  });

  it("refuses content that is no rule file, saying which formats are read", async () => {
    dropIn(`${FOLDER}/zz-other.yaml`, "kind: ConfigMap\ndata: {}\n");
    const err = await rejectStack("dev");
    assert.match(err.message, /zz-other\.yaml: is not a rule file in a format this project reads/);
    assert.match(err.message, /Prometheus rule file/);
  });
});

describe("imported rules: labels, severities and routing", () => {
  const folderGroup = (labels: Record<string, string>): ImportedRuleGroup => ({
    name: "g",
    folderUid: "team",
    intervalSeconds: 60,
    queryOffsetSeconds: 0,
    source: "alerts/rules/team/x.yaml",
    format: "prometheus",
    rules: [{ kind: "alerting", name: "A", expr: "up == 0", labels, annotations: {} }],
  });
  const labelsWith = (folder: FolderSpec, labels: Record<string, string>) =>
    importedRuleGroups([folderGroup(labels)], { runbookBaseUrl: "https://x/runbooks.md", folders: new Map([[folder.uid, folder]]) })[0].rules[0].labels;

  it("stamps a label on foreign rules only when the folder's config says so, and never over the rule's own", () => {
    assert.deepEqual(labelsWith({ uid: "team", title: "Team" }, { severity: "warning" }), { severity: "warning" });
    const stamping: FolderSpec = { uid: "team", title: "Team", ruleLabels: { service: "payments", team: "pay" } };
    assert.deepEqual(labelsWith(stamping, { severity: "warning", team: "own" }), { service: "payments", team: "own", severity: "warning" });
  });

  it("routes info and none alerts: the policy tree's root receiver takes every severity no route matches", () => {
    for (const receivers of [{ paging: true, notifications: true }, { paging: false, notifications: false }]) {
      const { root, routes } = severityRoutes(receivers);
      for (const severity of ["info", "none"]) {
        // Alertmanager's matching: the first child route whose matchers all hold, else the root.
        const matched = routes.find((r) => r.severity === severity);
        assert.equal(matched, undefined);
        assert.ok(root, `no receiver for severity ${severity}`);
      }
    }
    assert.deepEqual(validateRuleGroups(importedRuleGroups([folderGroup({ severity: "none" })], { runbookBaseUrl: "https://x/r.md", folders: new Map() })), []);
    const typo = validateRuleGroups(importedRuleGroups([folderGroup({ severity: "critcal" })], { runbookBaseUrl: "https://x/r.md", folders: new Map() }));
    assert.equal(typo.length, 1);
    assert.match(typo[0].fix ?? "", /did you mean "critical"\?/);
  });
});
