import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import { fromRoot } from "../../lib/paths";
import { DropIns } from "../support/drop-in";
import { deployStack, ofType, rejectStack, TYPES } from "../support/stack";

const NO_PREDICTIONS = `- name: ChurnApiNoPredictions
  expr: sum by (namespace) (rate(churn_api_predictions_total{namespace="churn-api"}[10m]))
  comparator: lt
  threshold: 0.01
  for: 15m
  severity: warning
  summary: The churn API serves no predictions
  description: "Only {{ $value }} predictions/s in {{ $labels.namespace }}."
  dashboardUid: churn-api-model
  panelId: 1
  noDataState: Alerting
  execErrState: Error
  runbookUrl: https://runbooks.example.com/churn-api/no-predictions
`;

describe("drop-in alert rule files (alerts/rules/<folder>/*.yaml)", () => {
  // Only what the test drops in is removed: a contributor's rules stay.
  const drops = new DropIns();
  const dropIn = (relative: string, text: string) => drops.write(`alerts/rules/${relative}`, text);
  afterEach(() => drops.removeAll());

  it("adds the rules to their folder's rule group through the same rule chain", async () => {
    dropIn("churn-api-ml/zz-test.yaml", NO_PREDICTIONS);
    const run = await deployStack("dev");
    const group = ofType(run, TYPES.ruleGroup).find((g) => g.inputs.folderUid === "churn-api-ml");
    const rules = group?.inputs.rules as { name: string; condition: string; datas: { refId: string; model: string }[]; annotations: Record<string, string> }[];
    const added = rules.find((r) => r.name === "ChurnApiNoPredictions");
    assert.ok(added, "rule not registered");
    assert.deepEqual(added.datas.map((d) => d.refId), ["A", "B", "C"]);
    const threshold = JSON.parse(added.datas[2].model) as { conditions: { evaluator: { type: string; params: number[] } }[] };
    assert.deepEqual(threshold.conditions[0].evaluator, { type: "lt", params: [0.01] });
    assert.equal(added.annotations.description, "Only {{ $values.B.Value }} predictions/s in {{ $labels.namespace }}.");
    assert.equal(added.annotations.runbook_url, "https://runbooks.example.com/churn-api/no-predictions");
    for (const builtIn of ["ChurnApiDataDrift", "ChurnApiLowConfidencePredictions"]) assert.ok(rules.some((r) => r.name === builtIn), `the built-in ML rule ${builtIn} stays`);
  });

  it("turns a max reducer into a range query over lookbackSeconds, reduced by max", async () => {
    dropIn("churn-api-ml/zz-window.yaml", `${NO_PREDICTIONS}  reducer: max\n  lookbackSeconds: 900\n`);
    const run = await deployStack("dev");
    const rules = ofType(run, TYPES.ruleGroup).flatMap((g) => g.inputs.rules as { name: string; datas: { refId: string; model: string; relativeTimeRange: { from: number } }[] }[]);
    const added = rules.find((r) => r.name === "ChurnApiNoPredictions");
    assert.ok(added);
    const [query, reduce] = added.datas.map((d) => JSON.parse(d.model) as Record<string, unknown>);
    assert.deepEqual([query.range, query.instant, added.datas[0].relativeTimeRange.from, reduce.reducer], [true, false, 900, "max"]);
  });

  it("links a rule without its own runbook and without a section of docs/runbooks.md to the page's section for such rules, which exists", async () => {
    const runbooks = fs.readFileSync(fromRoot("docs", "runbooks.md"), "utf8");
    assert.match(runbooks, /^## rules-without-a-runbook$/m, "the section the link points at");
    dropIn("churn-api-ml/zz-runbook.yaml", NO_PREDICTIONS.replace(/  runbookUrl: .*\n/, ""));
    const run = await deployStack("dev");
    const rules = ofType(run, TYPES.ruleGroup).flatMap((g) => g.inputs.rules as { name: string; annotations: Record<string, string> }[]);
    assert.match(rules.find((r) => r.name === "ChurnApiNoPredictions")?.annotations.runbook_url ?? "", /\/docs\/runbooks\.md#rules-without-a-runbook$/);
  });

  it("links a drop-in rule to its own section of docs/runbooks.md when the page has one", async () => {
    // ChurnApiDataDrift's section exists: a drop-in of that name in another folder links there.
    dropIn("churn-api-service/zz-section.yaml", NO_PREDICTIONS.replace(/  runbookUrl: .*\n/, "").replace("ChurnApiNoPredictions", "ChurnApiDataDrift").replace("churn-api-model", "churn-api-performance"));
    const run = await deployStack("dev");
    const group = ofType(run, TYPES.ruleGroup).find((g) => g.inputs.folderUid === "churn-api-service");
    const rules = group?.inputs.rules as { name: string; annotations: Record<string, string> }[];
    assert.match(rules.find((r) => r.name === "ChurnApiDataDrift")?.annotations.runbook_url ?? "", /\/docs\/runbooks\.md#churn-api-data-drift$/);
  });

  it("answers a misspelt key with one \"did you mean\", not a second error about the key it was meant to be", async () => {
    dropIn("churn-api-ml/zz-typo.yaml", NO_PREDICTIONS.replace("  severity: warning", "  sevrity: warning"));
    const err = await rejectStack("dev");
    assert.match(err.message, /1 problem;/);
    assert.match(err.message, /alerts\/rules\/churn-api-ml\/zz-typo\.yaml: rule 1 field sevrity: unknown key "sevrity"/);
    assert.match(err.message, /fix: did you mean "severity"\?/);
  });

  it("refuses a query naming a churn_api_ metric the catalog lacks, with \"did you mean\"", async () => {
    dropIn("churn-api-ml/zz-metric.yaml", NO_PREDICTIONS.replace("churn_api_predictions_total", "churn_api_prediction_total"));
    const err = await rejectStack("dev");
    assert.match(err.message, /ChurnApiNoPredictions/);
    assert.match(err.message, /metric "churn_api_prediction_total" is not one the churn API exports/);
    assert.match(err.message, /did you mean "churn_api_predictions_total"\?/);
  });

  it("rejects a rule with a missing field, naming the file, the rule and the field", async () => {
    dropIn("churn-api-ml/zz-bad.yaml", NO_PREDICTIONS.replace(/  severity: warning\n/, ""));
    const err = await rejectStack("dev");
    assert.match(err.message, /alerts\/rules\/churn-api-ml\/zz-bad\.yaml: rule 1 field severity/);
  });

  it("rejects a pending period the Grafana provider would misread or refuse", async () => {
    dropIn("churn-api-ml/zz-for.yaml", NO_PREDICTIONS.replace("for: 15m", "for: 1d12h") + NO_PREDICTIONS.replace("ChurnApiNoPredictions", "ChurnApiNoPredictionsYearly").replace("for: 15m", "for: 1y"));
    const err = await rejectStack("dev");
    assert.match(err.message, /zz-for\.yaml: rule 1 field for[\s\S]*reads 1d12h as 24h[\s\S]*write "36h"/);
    assert.match(err.message, /zz-for\.yaml: rule 2 field for[\s\S]*uses years/);
  });

  it("rejects invalid PromQL in a rule file", async () => {
    dropIn("churn-api-ml/zz-promql.yaml", NO_PREDICTIONS.replace("[10m]))", "[10m])"));
    const err = await rejectStack("dev");
    assert.match(err.message, /ChurnApiNoPredictions/);
    assert.match(err.message, /unclosed "\("/);
  });

  it("rejects a folder the stack does not declare", async () => {
    dropIn("no-such-folder/rules.yaml", NO_PREDICTIONS);
    const err = await rejectStack("dev");
    assert.match(err.message, /rule ChurnApiNoPredictions names folder "no-such-folder"/);
  });

  it("rejects a link to a panel that does not exist", async () => {
    dropIn("churn-api-ml/zz-link.yaml", NO_PREDICTIONS.replace("panelId: 1", "panelId: 99"));
    const err = await rejectStack("dev");
    assert.match(err.message, /links to panel 99 of dashboard "churn-api-model", which has no such panel/);
  });

  it("rejects a rule file outside a folder sub-directory", async () => {
    dropIn("zz-loose.yaml", NO_PREDICTIONS);
    const err = await rejectStack("dev");
    assert.match(err.message, /alerts\/rules\/zz-loose\.yaml: is not in a folder sub-directory/);
  });
});
