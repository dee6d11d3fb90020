import { GrafanaRule, GrafanaRuleGroup, RuleData } from "../../alerts/types";
import { validateRuleGroups } from "../../validation/alert-rules";
import { Expected, assertProblems, validRuleGroup } from "./helpers";

const G = 'rule group "churn-api" (folder "churn-alerts")';
const R = `${G}, rule "ChurnApiHighLatencyP95"`;

type MutableRule = { -readonly [K in keyof GrafanaRule]: GrafanaRule[K] };

/** The first rule of the group, to break. */
const rule = (g: GrafanaRuleGroup) => g.rules[0] as MutableRule;

/** Replaces a data entry's model with `change(model)`. */
function editModel(g: GrafanaRuleGroup, refId: string, change: (model: Record<string, unknown>) => void): void {
  const r = rule(g);
  r.datas = r.datas.map((d): RuleData => {
    if (d.refId !== refId) return d;
    const model = JSON.parse(d.model) as Record<string, unknown>;
    change(model);
    return { ...d, model: JSON.stringify(model) };
  });
}

interface Case {
  readonly name: string;
  readonly input: (g: GrafanaRuleGroup) => void | GrafanaRuleGroup[];
  readonly expect: readonly Expected[];
}

const CASES: readonly Case[] = [
  {
    name: "condition naming a missing refId",
    input: (g) => void (rule(g).condition = "D"),
    expect: [{ where: R, words: ['condition "D" is not a refId of this rule', "A, B, C"] }],
  },
  {
    name: "threshold expression pointing at a missing refId",
    input: (g) => editModel(g, "C", (m) => (m.expression = "X")),
    expect: [{ where: `${R}, data C`, words: ['threshold expression refers to "X"', "A, B, C"] }],
  },
  {
    name: "reduce pointing at a missing refId (typo)",
    input: (g) => editModel(g, "B", (m) => (m.expression = "a")),
    expect: [{ where: `${R}, data B`, words: ['reduce expression refers to "a"'], fix: ['did you mean "A"?'] }],
  },
  {
    name: "a cycle in the chain",
    input: (g) => editModel(g, "B", (m) => (m.expression = "C")),
    expect: [{ where: R, words: ["cycle", "C → B → C"] }],
  },
  {
    name: "bad for duration",
    input: (g) => void (rule(g).for = "5 minutes"),
    expect: [{ where: R, words: ['for "5 minutes" is not a duration'], fix: ['"5m"'] }],
  },
  {
    // The provider has no year unit (go-openapi/strfmt ParseDuration): refused at apply.
    name: "pending period in years",
    input: (g) => void (rule(g).for = "1y"),
    expect: [{ where: R, words: ['for "1y" uses years'], fix: ['"8760h"'] }],
  },
  {
    name: "negative pending period",
    input: (g) => void (rule(g).for = "-5m"),
    expect: [{ where: R, words: ['for "-5m" is negative'] }],
  },
  {
    // Grafana reduces an instant query's one number per series as itself (pkg/expr/commands.go).
    name: "max reducer over an instant query",
    input: (g) => editModel(g, "B", (m) => (m.reducer = "max")),
    expect: [{ where: `${R}, data B`, words: ['reducer "max" over the instant query A', "window"], fix: ["range query", "max_over_time"] }],
  },
  {
    name: "mean reducer over math over an instant query",
    input: (g) => {
      const r = rule(g);
      r.datas = [
        r.datas[0],
        { refId: "M", datasourceUid: "__expr__", relativeTimeRange: { from: 0, to: 0 }, model: JSON.stringify({ refId: "M", type: "math", expression: "$A * 1000" }) },
        { ...r.datas[1], model: JSON.stringify({ ...JSON.parse(r.datas[1].model), expression: "M", reducer: "mean" }) },
        r.datas[2],
      ];
    },
    expect: [{ where: `${R}, data B`, words: ['reducer "mean" over the instant query M'] }],
  },
  {
    name: "classic condition averaging an instant query",
    input: (g) => {
      const r = rule(g);
      r.condition = "B";
      r.datas = [
        r.datas[0],
        {
          refId: "B",
          datasourceUid: "__expr__",
          relativeTimeRange: { from: 0, to: 0 },
          model: JSON.stringify({ refId: "B", type: "classic_conditions", conditions: [{ evaluator: { type: "gt", params: [1] }, query: { params: ["A"] }, reducer: { type: "avg" } }] }),
        },
      ];
    },
    expect: [{ where: `${R}, data B`, words: ['reducer "avg" over the instant query A'] }],
  },
  {
    name: "missing severity label",
    input: (g) => void (rule(g).labels = { team: "ml" }),
    expect: [{ where: R, words: ["missing label severity"], fix: ["critical, warning, info"] }],
  },
  {
    name: "severity outside critical|warning|info",
    input: (g) => void (rule(g).labels = { severity: "page" }),
    expect: [{ where: R, words: ['label severity "page"'] }],
  },
  {
    name: "missing runbook_url annotation",
    input: (g) => void (rule(g).annotations = { summary: "p95 is high" }),
    expect: [{ where: R, words: ["missing annotation runbook_url"] }],
  },
  {
    name: "missing summary annotation",
    input: (g) => void (rule(g).annotations = { runbook_url: "https://runbooks.example.com/x" }),
    expect: [{ where: R, words: ["missing annotation summary"] }],
  },
  {
    name: "bad noDataState",
    input: (g) => void (rule(g).noDataState = "Nodata" as GrafanaRule["noDataState"]),
    expect: [{ where: R, words: ['noDataState "Nodata" is not valid'], fix: ["OK, NoData, KeepLast, Alerting"] }],
  },
  {
    name: "bad execErrState",
    input: (g) => void (rule(g).execErrState = "NoData" as GrafanaRule["execErrState"]),
    expect: [{ where: R, words: ['execErrState "NoData" is not valid'] }],
  },
  {
    name: "threshold params not numeric",
    input: (g) => editModel(g, "C", (m) => (m.conditions = [{ evaluator: { type: "gt", params: ["0.5"] } }])),
    expect: [{ where: `${R}, data C`, words: ["gt needs 1 numeric param(s)", '["0.5"]'] }],
  },
  {
    name: "an expression reading itself",
    input: (g) => editModel(g, "C", (m) => (m.expression = "C")),
    expect: [{ where: R, words: ["cycle", "C → C"] }],
  },
  {
    name: "condition not fed by any query",
    input: (g) => editModel(g, "B", (m) => Object.assign(m, { type: "math", expression: "1 > 0", reducer: undefined })),
    expect: [{ where: R, words: ['condition "C" is not computed from any Prometheus query'] }],
  },
  {
    name: "math expression over a missing refId",
    input: (g) => {
      const r = g.rules[1] as MutableRule;
      r.datas = r.datas.map((d) => (d.refId === "B" ? { ...d, model: JSON.stringify({ refId: "B", type: "math", expression: "$Q > 0.05" }) } : d));
    },
    expect: [{ where: `${G}, rule "ChurnApiErrorRatio", data B`, words: ['math expression refers to "Q"'] }],
  },
  {
    name: "PromQL error in the query",
    input: (g) => editModel(g, "A", (m) => (m.expr = "histogram_quantile(0.95, rate(http_request_duration_seconds_bucket))")),
    expect: [{ where: `${R}, data A`, words: ["PromQL type error", "expected type matrix"] }],
  },
  {
    name: "dashboard variable in an alert query",
    input: (g) => editModel(g, "A", (m) => (m.expr = 'up{namespace="$namespace"}')),
    expect: [{ where: `${R}, data A`, words: ["$namespace is not defined in alert rules"] }],
  },
  {
    name: "model that is not JSON",
    input: (g) => {
      const r = rule(g);
      r.datas = r.datas.map((d) => (d.refId === "B" ? { ...d, model: "{type: reduce}" } : d));
    },
    expect: [{ where: `${R}, data B`, words: ["model is not valid JSON"] }],
  },
  {
    name: "relativeTimeRange the wrong way round",
    input: (g) => {
      const r = rule(g);
      r.datas = r.datas.map((d) => (d.refId === "A" ? { ...d, relativeTimeRange: { from: 0, to: 600 } } : d));
    },
    expect: [{ where: `${R}, data A`, words: ["relativeTimeRange", "from > to ≥ 0"] }],
  },
  {
    name: "unknown query datasource",
    input: (g) => {
      const r = rule(g);
      r.datas = r.datas.map((d) => (d.refId === "A" ? { ...d, datasourceUid: "promethues" } : d));
    },
    expect: [{ where: `${R}, data A`, words: ['unknown datasourceUid "promethues"'], fix: ['did you mean "prometheus"?'] }],
  },
  {
    name: "group interval not a multiple of 10 s",
    input: (g) => [{ ...g, intervalSeconds: 45 }],
    expect: [{ where: G, words: ["intervalSeconds 45", "multiple of 10"] }],
  },
  {
    name: "duplicate rule names in a group",
    input: (g) => [{ ...g, rules: [g.rules[0], { ...g.rules[1], name: g.rules[0].name }] }],
    expect: [{ where: R, words: ['duplicate rule name "ChurnApiHighLatencyP95"'] }],
  },
  {
    name: "duplicate group names in a folder",
    input: (g) => [g, { ...g }],
    expect: [{ where: G, words: ['duplicate rule group name "churn-api"'] }],
  },
  {
    name: "three problems in one rule, all reported",
    input: (g) => {
      const r = rule(g);
      r.for = "5mins";
      r.labels = {};
      r.annotations = { summary: "x", runbook_url: "https://runbooks.example.com/x" };
      editModel(g, "A", (m) => (m.expr = "rate(up"));
    },
    expect: [
      { where: R, words: ['for "5mins"'] },
      { where: R, words: ["missing label severity"] },
      { where: `${R}, data A`, words: ["PromQL syntax error", 'unclosed "("'] },
    ],
  },
];

describe("validateRuleGroups", () => {
  for (const c of CASES) {
    it(`reports: ${c.name}`, () => {
      const g = validRuleGroup();
      assertProblems(validateRuleGroups(c.input(g) ?? [g]), c.expect);
    });
  }

  it("accepts a valid group (query → reduce → threshold, and query → math)", () => {
    assertProblems(validateRuleGroups([validRuleGroup()]), []);
  });

  it("accepts a max reducer over a range query: the window is real", () => {
    const g = validRuleGroup();
    editModel(g, "A", (m) => Object.assign(m, { instant: false, range: true }));
    editModel(g, "B", (m) => (m.reducer = "max"));
    assertProblems(validateRuleGroups([g]), []);
  });
});
