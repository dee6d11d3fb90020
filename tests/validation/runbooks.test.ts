import * as assert from "node:assert/strict";
import { GrafanaRuleGroup } from "../../alerts/types";
import { isProjectRunbookPage, markdownAnchors, runbookProblems } from "../../validation/runbooks";

const BASE = "https://github.com/example-org/grafana-k8s/blob/main/docs/runbooks.md";

const group = (urls: Record<string, string>): GrafanaRuleGroup => ({
  name: "g",
  folderUid: "f",
  intervalSeconds: 60,
  rules: Object.entries(urls).map(([name, url]) => ({
    name,
    condition: "C",
    datas: [],
    for: "5m",
    noDataState: "OK",
    execErrState: "Error",
    labels: {},
    annotations: { runbook_url: url },
    isPaused: false,
  })),
});

describe("runbook links", () => {
  it("reads the anchors GitHub gives headings, repeats and explicit anchors; not headings in code", () => {
    const md = ["# Churn API runbooks", "## churn-api-data-drift", "## Latency: what (now)?", "## Latency: what (now)?", '<a id="custom-anchor"></a>', "```", "## not-a-heading", "```"].join("\n");
    assert.deepEqual([...markdownAnchors(md)].sort(), ["churn-api-data-drift", "churn-api-runbooks", "custom-anchor", "latency-what-now", "latency-what-now-1"]);
  });

  it("refuses a derived link whose section does not exist, and takes a rule's own URL as it is", () => {
    const anchors = new Set(["churn-api-data-drift"]);
    const problems = runbookProblems([group({ Known: `${BASE}#churn-api-data-drift`, Missing: `${BASE}#churn-api-no-predictions`, Own: "https://wiki.example.com/no-predictions" })], { baseUrl: BASE, anchors, source: "docs/runbooks.md" });
    assert.deepEqual(problems.map((p) => p.where), ["rule group g: rule Missing"]);
    assert.equal(problems[0].message, `runbook_url ${BASE}#churn-api-no-predictions leads to no section: docs/runbooks.md has no heading "churn-api-no-predictions"`);
    assert.match(problems[0]?.fix ?? "", /add a section "## churn-api-no-predictions" to docs\/runbooks.md, or give the rule its own runbook URL/);
  });

  it("checks anchors only where runbookBaseUrl publishes this project's page", () => {
    assert.equal(isProjectRunbookPage(BASE), true);
    assert.equal(isProjectRunbookPage("https://wiki.example.com/runbooks"), false);
  });
});
