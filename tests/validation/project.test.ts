import * as assert from "node:assert/strict";
import { InputError } from "../../lib/errors";
import { assertNoProblems, validateProject } from "../../validation";
import { assertProblems, importedDashboard, target, validDashboard, validRuleGroup } from "./helpers";

/** The folders the fixtures' rule groups use. */
const FOLDERS = [{ uid: validRuleGroup().folderUid, title: "Churn alerts" }];

describe("validateProject", () => {
  it("passes valid dashboards, rule groups and chart values", () => {
    const problems = validateProject({
      folders: FOLDERS,
      dashboards: [validDashboard(), importedDashboard()],
      ruleGroups: [validRuleGroup()],
      chartValues: { replicas: 1, "grafana.ini": { server: { root_url: "https://x/" } } },
      chartVersion: "12.11.1",
    });
    assertProblems(problems, []);
    assert.doesNotThrow(() => assertNoProblems(validateProject({ folders: FOLDERS, dashboards: [validDashboard()], ruleGroups: [validRuleGroup()] })));
  });

  it("collects problems from every part and throws one InputError listing all of them", () => {
    const dashboard = validDashboard();
    target(dashboard, 2).expr = "rate(http_requests_total)";
    const group = validRuleGroup();
    const input = {
      folders: FOLDERS,
      dashboards: [dashboard],
      ruleGroups: [{ ...group, rules: [{ ...group.rules[0], condition: "Z" }, group.rules[1]] }],
      chartValues: { persistance: { enabled: true } },
      chartVersion: "12.11.1",
    };
    const problems = validateProject(input);
    assertProblems(problems, [
      { where: 'dashboards/overview.ts: dashboard "churn-api-overview" (Churn API overview), panel 2 "Requests per second", target A', words: ["expected type matrix"] },
      { where: 'rule group "churn-api" (folder "churn-alerts"), rule "ChurnApiHighLatencyP95"', words: ['condition "Z"'] },
      { where: "chart values (grafana 12.11.1): persistance.enabled", words: ["unknown values key"] },
    ]);
    assert.throws(
      () => assertNoProblems(validateProject(input)),
      (e: unknown) =>
        e instanceof InputError &&
        e.problems.length === 3 &&
        e.message.startsWith("Validation failed: 3 problems; nothing was deployed.") &&
        e.message.includes("fix: did you mean persistence.enabled?"),
    );
  });

  it("asks for the chart version when values are given without one", () => {
    assertProblems(validateProject({ folders: [], dashboards: [], ruleGroups: [], chartValues: { replicas: 1 } }), [
      { where: "chart values", words: ["no chart version"] },
    ]);
  });
});
