/**
 * Calibration against real content nobody here wrote (../shared/corpus, see its README):
 * every dashboard and rule file, dropped in as a user would (dashboards/imported/,
 * alerts/rules/imported/), goes through `npm run validate`'s checks and the program (mock
 * engine). The bar is Grafana 13's own: a file Grafana imports and shows correctly must be
 * accepted as committed; one it refuses or would show broken is refused for that reason,
 * listed below with the Grafana behaviour behind it. A table of file -> accepted/refused
 * and why is printed with the test output.
 *
 * Reads ../shared: skipped with a message where it is absent, failing under CI.
 */
import * as assert from "node:assert/strict";
import { InputError, Problem } from "../../lib/errors";
import { ProgramRun } from "../../render/mock-engine";
import { validateStack } from "../../render/validate-cli";
import { formatTable } from "../prometheus/support/panel-queries";
import { CORPUS_DIR, corpusDashboards, corpusRuleFiles, CorpusFile, dropInCorpus, upstreamGroups } from "../support/corpus";
import { requireSharedData } from "../support/shared-data";
import { deployStack, ofType, TYPES } from "../support/stack";

/**
 * Corpus files Grafana itself refuses or would show broken, by file name, with the reason
 * (the Grafana behaviour) the project refuses them for. None today: every file of the
 * corpus is one Grafana imports and shows.
 */
const REFUSED_AS_GRAFANA_WOULD: Readonly<Record<string, string>> = {};

const STACKS = ["dev", "prod"] as const;

/** The problems `validate` reports for a stack (none when it passes). */
function validationProblems(stack: string): readonly Problem[] {
  try {
    validateStack(stack);
    return [];
  } catch (err) {
    if (err instanceof InputError) return err.problems;
    throw err;
  }
}

interface DatasourceRef {
  readonly uid?: string;
  readonly type?: string;
}
type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

/** Every datasource reference of a dashboard model (panels, rows' panels, targets, variables, annotations). */
function datasourceRefs(model: Json): unknown[] {
  const refs: unknown[] = [];
  const visit = (v: unknown, key?: string): void => {
    if (key === "datasource") refs.push(v);
    if (Array.isArray(v)) v.forEach((x) => visit(x));
    else if (isObject(v)) for (const [k, x] of Object.entries(v)) visit(x, k);
  };
  visit(model.panels);
  visit(model.templating);
  visit(model.annotations);
  return refs;
}

describe("calibration: the corpus of real dashboards and rules (../shared/corpus)", function () {
  this.timeout(300_000);
  let remove: (() => void) | undefined;
  let dashboards: CorpusFile[] = [];
  let ruleFiles: CorpusFile[] = [];
  const problems = new Map<string, readonly Problem[]>();
  let run: ProgramRun | undefined;
  const table: string[][] = [["file", "kind", "result", "why"]];

  before(async function () {
    requireSharedData(this, CORPUS_DIR);
    dashboards = corpusDashboards();
    ruleFiles = corpusRuleFiles();
    remove = dropInCorpus();
    for (const stack of STACKS) problems.set(stack, validationProblems(stack));
    run = await deployStack("dev").catch(() => undefined);
  });
  after(() => {
    remove?.();
    if (table.length > 1) console.log(`\n${formatTable(table).replace(/^/gm, "    ")}\n`);
  });

  /** A file's problems in any stack, in order, without repeats. */
  const problemsOf = (f: CorpusFile): Problem[] => {
    const seen = new Set<string>();
    return [...problems.values()].flat().filter((p) => p.where.startsWith(f.source) && !seen.has(`${p.where}|${p.message}`) && seen.add(`${p.where}|${p.message}`));
  };

  it("validate: accepts every file Grafana accepts, and refuses only for Grafana's own reasons (table below)", () => {
    const wrong: string[] = [];
    for (const [kind, files] of [["dashboard", dashboards], ["rule file", ruleFiles]] as const) {
      for (const f of files) {
        const found = problemsOf(f);
        const expected = REFUSED_AS_GRAFANA_WOULD[f.name];
        const why = found.length === 0 ? "" : `${found.length} problem(s): ${found[0].message}${found[0].fix ? ` (fix: ${found[0].fix})` : ""}`;
        table.push([f.name, kind, found.length === 0 ? "accepted" : "refused", expected ?? why]);
        if (found.length > 0 && expected === undefined) wrong.push(`${f.name} refused, though Grafana accepts it:\n${found.map((p) => `      ${p.where}: ${p.message}`).join("\n")}`);
        if (found.length === 0 && expected !== undefined) wrong.push(`${f.name} accepted, though Grafana refuses it: ${expected}`);
      }
    }
    const others = [...problems.values()].flat().filter((p) => ![...dashboards, ...ruleFiles].some((f) => p.where.startsWith(f.source)));
    assert.deepEqual(others.map((p) => `${p.where}: ${p.message}`), [], "problems outside the corpus files");
    assert.deepEqual(wrong, []);
  });

  it("the program deploys every accepted dashboard as committed (export keys removed, inputs substituted), its datasources resolving here", () => {
    assert.ok(run, "the program refused the corpus");
    const deployed = new Map(ofType(run, TYPES.dashboard).map((d) => [String(d.inputs.configJson), d]));
    const byUid = new Map([...deployed.keys()].map((json) => [(JSON.parse(json) as Json).uid, JSON.parse(json) as Json]));
    for (const f of dashboards.filter((d) => !REFUSED_AS_GRAFANA_WOULD[d.name])) {
      const committed = JSON.parse(f.text) as Json;
      const inputs = (Array.isArray(committed.__inputs) ? committed.__inputs : []) as { name: string; type: string }[];
      let expectedText = JSON.stringify(committed);
      for (const i of inputs.filter((x) => x.type === "datasource")) expectedText = expectedText.split(`\${${i.name}}`).join("prometheus");
      const expected = JSON.parse(expectedText) as Json;
      for (const k of ["__inputs", "__requires", "__elements", "id", "version"]) delete expected[k];
      const got = byUid.get(committed.uid);
      assert.ok(got, `${f.name}: not deployed`);
      assert.deepEqual(got, expected, `${f.name}: not deployed as committed`);
      const variables = new Map(((got.templating as { list?: Json[] } | undefined)?.list ?? []).map((v) => [v.name, v]));
      for (const ref of datasourceRefs(got)) {
        const uid = typeof ref === "string" ? ref : isObject(ref) ? (ref as DatasourceRef).uid : undefined;
        if (uid === undefined || uid === "prometheus" || uid === "-- Mixed --" || uid === "-- Grafana --" || uid === "grafana") continue;
        const name = /^\$\{?(\w+)\}?$/.exec(uid)?.[1];
        const variable = name ? variables.get(name) : undefined;
        assert.ok(variable?.type === "datasource" && variable.query === "prometheus", `${f.name}: datasource ${JSON.stringify(ref)} does not resolve to the provisioned Prometheus`);
      }
    }
  });

  it("the program deploys every rule: alerting rules as Grafana-managed rules, recording rules with their record block", () => {
    assert.ok(run, "the program refused the corpus");
    const groups = ofType(run, TYPES.ruleGroup).map((g) => g.inputs as { name: string; folderUid: string; rules: { name: string; record?: { metric: string } }[] });
    for (const f of ruleFiles) {
      for (const upstream of upstreamGroups(f)) {
        const g = groups.find((x) => x.name === upstream.name && x.folderUid === "imported");
        assert.ok(g, `${f.name}: group ${upstream.name} not deployed`);
        assert.deepEqual(
          g.rules.map((r) => [r.name, r.record?.metric]),
          upstream.rules.map((r) => [r.alert ?? r.record, r.record]),
          `${f.name}: group ${upstream.name}`,
        );
      }
    }
  });

  it("records every recording rule the corpus dashboards read (level:metric:operations names), so they get data", () => {
    const recorded = new Set(ruleFiles.flatMap((f) => upstreamGroups(f).flatMap((g) => g.rules.flatMap((r) => r.record ?? []))));
    const unrecorded = new Map<string, string[]>();
    let used = 0;
    for (const f of dashboards) {
      const read = new Set([...f.text.matchAll(/\b([a-zA-Z_][a-zA-Z0-9_]*:[a-zA-Z0-9_:]*[a-zA-Z0-9_])\b/g)].map((m) => m[1]).filter((n) => n.split(":").length === 3));
      used += read.size;
      const missing = [...read].filter((name) => !recorded.has(name));
      if (missing.length > 0) unrecorded.set(f.name, missing);
    }
    assert.ok(used > 0, "the corpus dashboards read no recording rule");
    // kube-prometheus records the Windows metrics in its windows addon, which the corpus
    // (the default manifests) does not include: those dashboards stay empty until those
    // rules are imported too (or the Prometheus records them), as in kube-prometheus itself.
    const windowsAddon = (file: string, metrics: string[]) => /windows/.test(file) && metrics.every((m) => /windows/.test(m));
    assert.deepEqual([...unrecorded].filter(([file, metrics]) => !windowsAddon(file, metrics)), [], "read by a dashboard, recorded by no rule");
  });
});
