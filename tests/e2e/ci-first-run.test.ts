// docs/ci-first-run.md, with the real Pulumi CLI built from source: its `npm run pulumi` lines
// run as written (the two `export` lines with this test's backend and passphrase: a file
// backend stands in for the bucket), then a second copy of the project holding only the stack
// files the procedure commits plays the CI runner: the workflows' prepare step with the secret
// names their matrix gives, and what pulumi/actions does (select the stack, read its config).
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { fromRoot } from "../../lib/paths";
import { documentedSteps, runSteps, StepResult } from "../support/doc-steps";
import { cliEnv, requireToolchain, tempDir, Toolchain, transcript } from "../support/pulumi-toolchain";
import { copyProject, removeProjectCopy } from "../../lib/project-copy";

const steps = documentedSteps(fromRoot("docs", "ci-first-run.md"), "first-run-steps");
const PASSPHRASE = "the team passphrase, for this test";
const secretsSet = steps
  .map((line) => /config set --secret (\S+) (\S+) --stack (\S+)/.exec(line))
  .filter((m): m is RegExpExecArray => m !== null)
  .map(([, key, value, stack]) => ({ key, value, stack }));
const previewMatrix = (
  parse(fs.readFileSync(fromRoot(".github", "workflows", "pull-request.yml"), "utf8")) as {
    jobs: { preview: { strategy: { matrix: { include: Record<string, string>[] } } } };
  }
).jobs.preview.strategy.matrix.include;

describe("docs/ci-first-run.md with the real Pulumi CLI: stacks a CI runner can use", function () {
  this.timeout(10 * 60 * 1000);
  let toolchain: Toolchain;
  let laptop: string;
  let runner: string;
  let scratch: string;
  let backend: string;
  let results: StepResult[] = [];
  let committedBefore: Record<string, string>;

  before(function () {
    toolchain = requireToolchain(this);
    scratch = tempDir("grafana-k8s-first-run-");
    backend = `file://${path.join(scratch, "team-backend")}`;
    fs.mkdirSync(path.join(scratch, "team-backend"));
    // The repository before the procedure: the stack files without the salt and secure values
    // a team that already followed it has committed (those belong to its passphrase).
    laptop = copyProject(undefined, { withoutTeamEncryption: true });
    runner = copyProject(undefined, { withoutTeamEncryption: true });
    committedBefore = Object.fromEntries(["dev", "prod"].map((s) => [s, fs.readFileSync(path.join(laptop, `Pulumi.${s}.yaml`), "utf8")]));
    const lines = steps
      .filter((line) => line.startsWith("export ") || line.startsWith("npm run pulumi"))
      .map((line) =>
        line.startsWith("export PULUMI_BACKEND_URL=")
          ? `export PULUMI_BACKEND_URL='${backend}'`
          : line.startsWith("export PULUMI_CONFIG_PASSPHRASE=")
            ? `export PULUMI_CONFIG_PASSPHRASE='${PASSPHRASE}'`
            : line,
      );
    results = runSteps(lines, laptop, cliEnv(toolchain, path.join(scratch, "laptop-home")), 8 * 60 * 1000);
    // What `git add` + `git commit` carry to the runner: the stack files.
    for (const stack of ["dev", "prod"]) {
      fs.copyFileSync(path.join(laptop, `Pulumi.${stack}.yaml`), path.join(runner, `Pulumi.${stack}.yaml`));
    }
  });
  after(() => {
    for (const dir of [laptop, runner]) if (dir) removeProjectCopy(dir);
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  });

  it("the procedure is: npm ci, the backend and passphrase exports, npm run pulumi lines, then git add/commit of the stack files", () => {
    for (const line of steps) assert.match(line, /^(npm ci|export PULUMI_BACKEND_URL=|export PULUMI_CONFIG_PASSPHRASE=|npm run pulumi -- |git add Pulumi\.dev\.yaml Pulumi\.prod\.yaml$|git commit )/, line);
    assert.deepEqual(secretsSet.map((s) => s.stack), ["prod", "prod"], "prod's secrets, with --stack prod");
  });

  it("every npm run pulumi line succeeds on the team's backend", () => {
    assert.equal(results.length, steps.filter((l) => l.startsWith("export ") || l.startsWith("npm run pulumi")).length);
    for (const r of results) assert.equal(r.status, 0, `${r.line}\n${r.output}`);
    for (const r of results.filter((x) => x.line.startsWith("npm run"))) assert.match(r.output, new RegExp(`on ${backend.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}`));
  });

  it("the committed stack files gain their encryption salt and prod's secrets, encrypted, and keep their comments and config", () => {
    const comments = (text: string) => text.split("\n").filter((line) => line.trim().startsWith("#"));
    // The CLI stores every config value as a string (it writes `true` back as "true"); the
    // program reads them as strings under the real engine.
    const asStrings = (text: string) =>
      JSON.stringify((parse(text) as { config: Record<string, unknown> }).config, (_k, v: unknown) => (typeof v === "number" || typeof v === "boolean" ? String(v) : v));
    for (const stack of ["dev", "prod"]) {
      const after = fs.readFileSync(path.join(laptop, `Pulumi.${stack}.yaml`), "utf8");
      assert.match(after, /^encryptionsalt: v1:/m, stack);
      assert.deepEqual(comments(after), comments(committedBefore[stack]), `Pulumi.${stack}.yaml lost comments to the CLI`);
      const kept = JSON.parse(asStrings(after)) as Record<string, unknown>;
      for (const [key, value] of Object.entries(JSON.parse(asStrings(committedBefore[stack])) as Record<string, unknown>)) {
        assert.deepEqual(kept[key], value, `Pulumi.${stack}.yaml: ${key}`);
      }
    }
    const prod = fs.readFileSync(path.join(laptop, "Pulumi.prod.yaml"), "utf8");
    for (const { key, value } of secretsSet) {
      assert.match(prod, new RegExp(`^ {2}grafana-k8s:${key}:\\n {4}secure: v1:`, "m"), key);
      assert.ok(!prod.includes(value), `${key} is in plain text`);
    }
  });

  describe("on the CI runner (a second copy with the committed stack files)", () => {
    const runnerEnv = () => ({ ...cliEnv(toolchain, path.join(scratch, "runner-home")), PULUMI_BACKEND_URL: backend, PULUMI_CONFIG_PASSPHRASE: PASSPHRASE });
    const cli = (args: string[]) => spawnSync("pulumi", args, { cwd: runner, env: runnerEnv(), encoding: "utf8" });

    for (const row of previewMatrix) {
      it(`the workflows' prepare step accepts stack ${row.stack} (secrets named by the matrix)`, () => {
        const githubEnv = path.join(scratch, `github-env-${row.stack}`);
        fs.writeFileSync(githubEnv, "");
        const run = spawnSync("bash", [path.join(runner, "scripts", "ci", "prepare-stack.sh")], {
          encoding: "utf8",
          env: {
            PATH: process.env.PATH ?? "",
            RUNNER_TEMP: scratch,
            GITHUB_ENV: githubEnv,
            STACK: row.stack,
            PULUMI_BACKEND_URL: backend,
            PULUMI_CONFIG_PASSPHRASE: PASSPHRASE,
            KUBECONFIG_SECRET: row["kubeconfig-secret"],
            KUBECONFIG_DATA: "apiVersion: v1\nkind: Config\n",
            GRAFANA_URL_SECRET: row["grafana-url-secret"],
          },
        });
        assert.equal(run.status, 0, transcript(run));
      });
    }

    it("pulumi/actions' `pulumi stack select` finds dev and prod (it never creates them)", () => {
      for (const stack of ["dev", "prod"]) {
        const run = cli(["stack", "select", stack]);
        assert.equal(run.status, 0, transcript(run));
      }
    });

    it("the runner decrypts prod's secrets with the passphrase secret", () => {
      for (const { key, value } of secretsSet) {
        const run = cli(["config", "get", key, "--stack", "prod"]);
        assert.equal(run.status, 0, transcript(run));
        assert.equal(run.stdout.trim(), value);
      }
    });

    it("a wrong passphrase cannot", () => {
      const run = spawnSync("pulumi", ["config", "get", secretsSet[0].key, "--stack", "prod"], {
        cwd: runner,
        env: { ...runnerEnv(), PULUMI_CONFIG_PASSPHRASE: "not the team passphrase" },
        encoding: "utf8",
      });
      assert.notEqual(run.status, 0);
      assert.match(run.stderr, /incorrect passphrase/);
    });
  });
});
