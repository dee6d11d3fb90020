// A contributor's first pull request: a new dashboard and a new alert rule added the way the
// README documents, in a copy of the project. Validation, the program under the mock engine
// and the test suites that check the shipped content must all stay green: tests check the
// seed's design by name, never today's totals.
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { fromRoot } from "../../lib/paths";
import { copyProject, removeProjectCopy } from "../../lib/project-copy";

const FIXTURES = fromRoot("tests", "fixtures", "new-content");
const NEW_DASHBOARD = "dashboards/churn-api-ml/model-inputs.json";
const NEW_RULES = "alerts/rules/churn-api-ml/missing-features.yaml";

/** The suites that check the shipped content's dashboards, rules, folders and resources (this one excluded: it would run itself). */
const CONTENT_SUITES = [
  "bin/tests/unit/content.test.js",
  "bin/tests/unit/alerting.test.js",
  "bin/tests/unit/alert-rule-files.test.js",
  "bin/tests/unit/dashboards.test.js",
  "bin/tests/unit/compiled-content.test.js",
  "bin/tests/render/render.test.js",
];

const launch = (root: string, args: string[]) => spawnSync(process.execPath, [path.join(root, "build", "run.js"), ...args], { cwd: root, encoding: "utf8" });

/** "✓ dev: 5 dashboards (33 panels), 6 alert rules ..." -> { dev: [5, 6], ... } */
function validated(stdout: string): Record<string, [number, number]> {
  return Object.fromEntries([...stdout.matchAll(/^✓ (\S+): (\d+) dashboards \(\d+ panels\), (\d+) alert rules/gm)].map((m) => [m[1], [Number(m[2]), Number(m[3])]]));
}

describe("a new dashboard and a new alert rule, added the documented way", function () {
  this.timeout(600_000);
  let root: string;
  before(() => {
    root = copyProject(undefined, { withCompiledTests: true });
    for (const file of [NEW_DASHBOARD, NEW_RULES]) {
      fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      fs.copyFileSync(path.join(FIXTURES, file), path.join(root, file));
    }
  });
  after(() => removeProjectCopy(root));

  it("goes where the README says: dashboards/<folder-uid>/<name>.json and alerts/rules/<folder-uid>/", () => {
    const readme = fs.readFileSync(fromRoot("README.md"), "utf8");
    assert.match(readme, /`dashboards\/<folder-uid>\/<name>\.json`/);
    assert.match(readme, /`alerts\/rules\/<folder-uid>\/`/);
    assert.match(NEW_DASHBOARD, /^dashboards\/churn-api-ml\/[^/]+\.json$/);
    assert.match(NEW_RULES, /^alerts\/rules\/churn-api-ml\/[^/]+\.yaml$/);
  });

  it("validates, each stack with one more dashboard and one more rule than the project, and needs no compile", () => {
    const before = launch(fromRoot(), ["validate"]);
    const after = launch(root, ["validate"]);
    assert.equal(after.status, 0, after.stderr);
    assert.doesNotMatch(after.stderr, /^build: program/m);
    const [was, is] = [validated(before.stdout), validated(after.stdout)];
    assert.deepEqual(Object.keys(is), Object.keys(was));
    for (const stack of Object.keys(was)) assert.deepEqual(is[stack], [was[stack][0] + 1, was[stack][1] + 1], stack);
  });

  it("renders every stack with the new dashboard in its folder and the new rule in that folder's group", () => {
    const out = path.join(root, "out");
    const run = launch(root, ["render", "--out", out]);
    assert.equal(run.status, 0, run.stderr);
    for (const stack of ["dev", "prod"]) {
      const dashboard = JSON.parse(fs.readFileSync(path.join(out, stack, "dashboards", "churn-api", "churn-api-ml", "churn-api-model-inputs.json"), "utf8")) as { title: string };
      assert.equal(dashboard.title, "Churn API – Model inputs");
      assert.match(fs.readFileSync(path.join(out, stack, "alerting", "rule-groups", "churn-api-ml-alerts.yaml"), "utf8"), /^    name: ChurnApiMissingFeatures$/m);
    }
  });

  it("keeps the suites that check the shipped content green (npm test's build, then those suites)", () => {
    const build = launch(root, ["build"]);
    assert.equal(build.status, 0, build.stderr);
    const mocha = spawnSync(process.execPath, [fromRoot("node_modules", "mocha", "bin", "mocha.js"), "--no-config", "--timeout", "120000", "--reporter", "dot", ...CONTENT_SUITES], {
      cwd: root,
      encoding: "utf8",
    });
    assert.equal(mocha.status, 0, `${mocha.stdout}\n${mocha.stderr}`);
    assert.match(mocha.stdout, /\d+ passing/);
    assert.doesNotMatch(mocha.stdout, /failing/);
  });
});
