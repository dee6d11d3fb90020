import * as assert from "node:assert/strict";
import { checkPromQL, PromQLIssueKind } from "../../validation/promql";
import { dashboardVariables, interpolateForValidation } from "../../validation/variables";

interface Broken {
  readonly expr: string;
  readonly kind: PromQLIssueKind;
  readonly column: number;
  readonly words: readonly string[];
  readonly fix?: readonly string[];
}

const BROKEN: readonly Broken[] = [
  { expr: "sum(rate(http_requests_total[5m])", kind: "syntax", column: 4, words: ['unclosed "("'], fix: ['")"'] },
  { expr: "rate(http_requests_total[5m]))", kind: "syntax", column: 30, words: ['unexpected ")"'] },
  { expr: 'up{job="api"', kind: "syntax", column: 3, words: ['unclosed "{"'] },
  { expr: "up +", kind: "syntax", column: 5, words: ["no right-hand operand", "at the end"] },
  { expr: "up{job=}", kind: "syntax", column: 8, words: ["label matcher is incomplete"] },
  { expr: "sum by (le)", kind: "syntax", column: 12, words: ["aggregation has no argument"] },
  { expr: "rat(http_requests_total[5m])", kind: "unknown-function", column: 1, words: ['unknown function "rat"'], fix: ["rate()"] },
  { expr: "sum(foo_bar(up))", kind: "unknown-function", column: 5, words: ['unknown function "foo_bar"'] },
  { expr: "histogram_quantile(0.9)", kind: "type", column: 1, words: ["expected 2 argument(s)", "histogram_quantile", "got 1"] },
  { expr: "abs(up, up)", kind: "type", column: 1, words: ["expected 1 argument(s)", "abs", "got 2"] },
  { expr: "rate(http_requests_total)", kind: "type", column: 6, words: ["expected type matrix", '"rate"', "got vector"], fix: ["[$__rate_interval]"] },
  { expr: 'histogram_quantile("0.9", rate(x_bucket[5m]))', kind: "type", column: 20, words: ["expected type scalar", "got string"] },
  { expr: '"a" + up', kind: "type", column: 1, words: ["binary expression must contain only scalar and instant vector types"] },
  { expr: "up[5m] * 2", kind: "type", column: 1, words: ["binary expression must contain only scalar and instant vector types"] },
  { expr: "time() > 5", kind: "type", column: 1, words: ["comparisons between scalars must use BOOL modifier"], fix: ["bool"] },
  { expr: "", kind: "syntax", column: 1, words: ["empty"] },
];

const VALID = [
  "up",
  'sum by (le) (rate(http_request_duration_seconds_bucket{namespace=~".*", route=~"(a|b)"}[2m]))',
  "histogram_quantile(0.95, sum by (le) (rate(x_bucket[5m])))",
  'label_replace(up, "host", "$1", "instance", "(.*):.*")',
  "sum(rate(a[5m])) / on() group_left() sum(rate(b[5m]))",
  "max_over_time(sum(rate(x[1m]))[1h:1m])",
  "up == bool 1",
  "predict_linear(node_filesystem_free_bytes[6h], 86400) < 0",
  "topk(5, sum by (route) (rate(x[5m])))",
  'count_values("version", build_info)',
  "absent(up{job=\"api\"})",
];

describe("checkPromQL", () => {
  for (const c of BROKEN) {
    it(`reports ${c.kind} in ${JSON.stringify(c.expr)}`, () => {
      const issues = checkPromQL(c.expr);
      assert.equal(issues.length, 1, JSON.stringify(issues));
      const [issue] = issues;
      assert.equal(issue.kind, c.kind);
      assert.equal(issue.column, c.column, issue.message);
      for (const w of c.words) assert.ok(issue.message.includes(w), `message ${JSON.stringify(issue.message)} lacks ${JSON.stringify(w)}`);
      for (const w of c.fix ?? []) assert.ok(issue.fix.includes(w), `fix ${JSON.stringify(issue.fix)} lacks ${JSON.stringify(w)}`);
    });
  }

  for (const expr of VALID) {
    it(`accepts ${expr}`, () => assert.deepEqual(checkPromQL(expr), []));
  }

  it("checks types beyond the editor's 3,000-character parse budget", () => {
    const routes = Array.from({ length: 400 }, (_, i) => `/api/v1/route-${i}`).join("|");
    const long = `sum(rate(http_requests_total{route=~"${routes}"}[5m])) / sum(rate(last_metric))`;
    assert.ok(long.length > 3000);
    const issues = checkPromQL(long);
    assert.equal(issues.length, 1, JSON.stringify(issues));
    assert.equal(issues[0].kind, "type");
    assert.equal(issues[0].from, long.indexOf("last_metric"));
  });

  it("interpolates Grafana macros and variables before parsing", () => {
    const vars = dashboardVariables({
      templating: {
        list: [
          { name: "ns", type: "query", includeAll: true, current: { text: "All", value: "$__all" } },
          { name: "pod", type: "query", multi: true, current: { text: ["a", "b"], value: ["a", "b"] } },
        ],
      },
    });
    const r = interpolateForValidation('rate(x{ns=~"$ns", pod=~"${pod}"}[$__rate_interval]) and on() y[$__range] offset $__interval', vars);
    assert.equal(r.expr, 'rate(x{ns=~".*", pod=~"(a|b)"}[2m]) and on() y[21600s] offset 1m');
    assert.deepEqual(r.undefinedVariables, []);
    assert.deepEqual(r.unknownBuiltIns, []);
  });

  it("tells undefined variables and unknown built-ins apart, and ignores regex groups", () => {
    const r = interpolateForValidation('label_replace(x{a="$missing"}, "b", "$1", "c", "(.*)")[$__rate_intervall]', dashboardVariables({}));
    assert.deepEqual(r.undefinedVariables, ["missing"]);
    assert.deepEqual(r.unknownBuiltIns, ["__rate_intervall"]);
  });
});
