// A contributor's first pull request: new dashboards and alert rules, in each format and folder
// kind the README documents, added that way to a copy of the project. Validation, the program under the mock engine
// and the test suites that check the shipped content must all stay green: tests check the
// seed's design by name, never today's totals.
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { fromRoot } from "../../lib/paths";
import { copyProject, removeProjectCopy } from "../../lib/project-copy";

const FIXTURES = fromRoot("tests", "fixtures", "new-content");

/**
 * The contributor's files (tests/fixtures/new-content/), each where the README's folder table
 * puts it, with what it adds (totals of this fixture, not of the project).
 */
const ADDED: readonly { file: string; dashboards: number; rules: number }[] = [
  // A dashboard exported for sharing, in a declared folder, and a rule in the project's format.
  { file: "dashboards/churn-api-ml/model-inputs.json", dashboards: 1, rules: 0 },
  { file: "alerts/rules/churn-api-ml/missing-features.yaml", dashboards: 0, rules: 1 },
  // A team's existing content in the Imported folder: a dashboard's JSON model and a Prometheus
  // rule file (an alerting rule without a runbook, a recording rule the dashboard reads).
  { file: "dashboards/imported/team-overview.json", dashboards: 1, rules: 0 },
  { file: "alerts/rules/imported/churn-api-team.yaml", dashboards: 0, rules: 2 },
  // A rule group made in Grafana's UI, as `npm run pull -- --alerts` writes it.
  { file: "alerts/rules/churn-api-infra/churn-api-memory.yaml", dashboards: 0, rules: 1 },
];
const sum = (key: "dashboards" | "rules") => ADDED.reduce((n, a) => n + a[key], 0);

/** The suites that check the shipped content's dashboards, rules, folders and resources, and those that drop their own files next to it (this one excluded: it would run itself). */
const CONTENT_SUITES = [
  "bin/tests/unit/content.test.js",
  "bin/tests/unit/alerting.test.js",
  "bin/tests/unit/alert-rule-files.test.js",
  "bin/tests/unit/rule-formats.test.js",
  "bin/tests/unit/imported-content.test.js",
  "bin/tests/unit/dashboards.test.js",
  "bin/tests/unit/compiled-content.test.js",
  "bin/tests/unit/bad-input.test.js",
  "bin/tests/unit/bad-files.test.js",
  "bin/tests/render/render.test.js",
  // With a real Prometheus (they skip without one, and fail so under REQUIRE_PROMETHEUS=1, as
  // in npm test): every query returns data, every alert fires as designed.
  "bin/tests/prometheus/queries.test.js",
  "bin/tests/prometheus/alerts.test.js",
  // The README's preview images: the seed's dashboards by name, never every deployed one.
  "bin/tests/render/previews.test.js",
];

const launch = (root: string, args: string[]) => spawnSync(process.execPath, [path.join(root, "build", "run.js"), ...args], { cwd: root, encoding: "utf8" });

/** "✓ dev: 5 dashboards (33 panels), 6 alert rules ..." -> { dev: [5, 6], ... } */
function validated(stdout: string): Record<string, [number, number]> {
  return Object.fromEntries([...stdout.matchAll(/^✓ (\S+): (\d+) dashboards \(\d+ panels\), (\d+) alert rules/gm)].map((m) => [m[1], [Number(m[2]), Number(m[3])]]));
}

describe("new dashboards and alert rules, added the documented way", function () {
  this.timeout(600_000);
  let root: string;
  before(() => {
    root = copyProject(undefined, { withCompiledTests: true });
    for (const { file } of ADDED) {
      fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      fs.copyFileSync(path.join(FIXTURES, file), path.join(root, file));
    }
  });
  after(() => removeProjectCopy(root));

  it("goes where the README's folder table says, each file in a folder's row with an extension it lists", () => {
    const readme = fs.readFileSync(fromRoot("README.md"), "utf8");
    const rows = readme.split("\n").filter((line) => /^\| `[a-z0-9-]+` \|/.test(line));
    const header = readme.split("\n").find((line) => line.startsWith("| Folder uid |")) ?? "";
    for (const { file } of ADDED) {
      const dir = `${path.posix.dirname(file)}/`;
      assert.ok(rows.some((row) => row.includes(`\`${dir}\``)), `${file}: no row of the README's folder table names ${dir}`);
      assert.ok(header.includes(`\`${path.posix.extname(file)}\``), `${file}: the table lists no such extension`);
    }
  });

  it("validates, each stack with the added dashboards and rules on top of the project's, and needs no compile", () => {
    const before = launch(fromRoot(), ["validate"]);
    const after = launch(root, ["validate"]);
    assert.equal(after.status, 0, after.stderr);
    assert.doesNotMatch(after.stderr, /^build: program/m);
    const [was, is] = [validated(before.stdout), validated(after.stdout)];
    assert.deepEqual(Object.keys(is), Object.keys(was));
    for (const stack of Object.keys(was)) assert.deepEqual(is[stack], [was[stack][0] + sum("dashboards"), was[stack][1] + sum("rules")], stack);
  });

  it("renders every stack with each new dashboard in its folder and each new rule in its folder's group", () => {
    const out = path.join(root, "out");
    const run = launch(root, ["render", "--out", out]);
    assert.equal(run.status, 0, run.stderr);
    const titleOf = (stack: string, ...file: string[]) => (JSON.parse(fs.readFileSync(path.join(out, stack, "dashboards", ...file), "utf8")) as { title: string }).title;
    const group = (stack: string, name: string) => parse(fs.readFileSync(path.join(out, stack, "alerting", "rule-groups", `${name}.yaml`), "utf8")) as { folderUid: string; rules: { name: string }[] };
    for (const stack of ["dev", "prod"]) {
      assert.equal(titleOf(stack, "churn-api", "churn-api-ml", "churn-api-model-inputs.json"), "Churn API – Model inputs");
      assert.equal(titleOf(stack, "imported", "churn-api-team-overview.json"), "Churn API – Team overview");
      for (const [name, folder, rules] of [
        ["churn-api-ml-alerts", "churn-api-ml", ["ChurnApiMissingFeatures"]],
        ["churn-api-team", "imported", ["ChurnApiPodRestarting", "namespace:churn_api_http_requests:rate5m"]],
        ["churn-api-memory", "churn-api-infra", ["ChurnApiMemoryHigh"]],
      ] as const) {
        const g = group(stack, name);
        assert.equal(g.folderUid, folder, `${stack}: ${name}`);
        for (const rule of rules) assert.ok(g.rules.some((r) => r.name === rule), `${stack}: ${rule} not in ${name}`);
      }
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
    // Those suites drop their own files next to the contributor's, and remove only theirs.
    for (const { file } of ADDED) assert.ok(fs.readFileSync(path.join(root, file)).equals(fs.readFileSync(path.join(FIXTURES, file))), `${file} did not survive the suites`);
  });
});
