// scripts/ci/prepare-stack.sh, the step before every preview and update in the workflows, run
// as the workflow runs it: inputs in the environment, the secret names the matrix gives.
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { fromRoot } from "../../lib/paths";
import { copyProject, removeProjectCopy } from "../../lib/project-copy";
import { tempDir } from "../support/pulumi-toolchain";

interface MatrixRow {
  stack: string;
  "kubeconfig-secret": string;
  "grafana-url-secret": string;
}
const matrix = (
  parse(fs.readFileSync(fromRoot(".github", "workflows", "pull-request.yml"), "utf8")) as {
    jobs: { preview: { strategy: { matrix: { include: MatrixRow[] } } } };
  }
).jobs.preview.strategy.matrix.include;
const prodRow = matrix.find((row) => row.stack === "prod");

describe("scripts/ci/prepare-stack.sh (before each preview and update)", function () {
  this.timeout(60_000);
  let root: string;
  let runnerTemp: string;
  const salted = "encryptionsalt: v1:c2FsdA==:v1:aXY=:Y2hlY2s=\n";

  before(() => {
    // The stack files as before the first-run procedure: whether the team committed a salt or not.
    root = copyProject(undefined, { withoutTeamEncryption: true });
    runnerTemp = tempDir("runner-temp-");
  });
  after(() => {
    removeProjectCopy(root);
    fs.rmSync(runnerTemp, { recursive: true, force: true });
  });

  const prepare = (env: Record<string, string>) => {
    const githubEnv = path.join(runnerTemp, `github-env-${Date.now()}`);
    fs.writeFileSync(githubEnv, "");
    const run = spawnSync("bash", [path.join(root, "scripts", "ci", "prepare-stack.sh")], {
      encoding: "utf8",
      env: { PATH: process.env.PATH ?? "", RUNNER_TEMP: runnerTemp, GITHUB_ENV: githubEnv, ...env },
    });
    return { ...run, githubEnv: fs.readFileSync(githubEnv, "utf8") };
  };
  const prodSecrets = () => ({
    STACK: "prod",
    PULUMI_BACKEND_URL: "s3://bucket/grafana-k8s",
    PULUMI_CONFIG_PASSPHRASE: "passphrase",
    KUBECONFIG_SECRET: prodRow?.["kubeconfig-secret"] ?? "",
    KUBECONFIG_DATA: "apiVersion: v1\nkind: Config\n",
    GRAFANA_URL_SECRET: prodRow?.["grafana-url-secret"] ?? "",
  });
  const withSalt = (stack: string) => {
    const file = path.join(root, `Pulumi.${stack}.yaml`);
    const text = fs.readFileSync(file, "utf8");
    if (!text.includes("encryptionsalt:")) fs.writeFileSync(file, salted + text);
  };

  it("fails naming each missing secret, the kubeconfig by the name the matrix gives (no fallback)", () => {
    assert.ok(prodRow, "the preview matrix has no prod row");
    const run = prepare({ ...prodSecrets(), PULUMI_CONFIG_PASSPHRASE: "", KUBECONFIG_DATA: "" });
    assert.equal(run.status, 1, run.stdout + run.stderr);
    assert.match(run.stdout, /::error title=Missing secret PULUMI_CONFIG_PASSPHRASE::stack prod needs the secret PULUMI_CONFIG_PASSPHRASE/);
    assert.match(run.stdout, new RegExp(`::error title=Missing secret ${prodRow["kubeconfig-secret"]}::`));
    assert.equal(run.githubEnv, "", "no kubeconfig may be set up after a failure");
  });

  it("fails on a stack file without the encryption salt the first-run procedure commits", () => {
    const run = prepare(prodSecrets());
    assert.equal(run.status, 1);
    assert.match(run.stdout, /Pulumi\.prod\.yaml has no encryptionsalt: run the first-run procedure in docs\/ci-first-run\.md/);
  });

  it("writes the stack's kubeconfig (owner-only) and points KUBECONFIG at it", () => {
    withSalt("prod");
    const run = prepare(prodSecrets());
    assert.equal(run.status, 0, run.stdout + run.stderr);
    const file = path.join(runnerTemp, "kubeconfig-prod");
    assert.equal(run.githubEnv, `KUBECONFIG=${file}\n`);
    assert.equal(fs.readFileSync(file, "utf8"), "apiVersion: v1\nkind: Config\n");
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
  });

  it("applies the Grafana URL override to the stack file, keeping its comments", () => {
    withSalt("dev");
    const before = fs.readFileSync(path.join(root, "Pulumi.dev.yaml"), "utf8");
    const run = prepare({ ...prodSecrets(), STACK: "dev", KUBECONFIG_SECRET: "", KUBECONFIG_DATA: "", GRAFANA_URL: "http://grafana.ci.internal:3000" });
    assert.equal(run.status, 0, run.stdout + run.stderr);
    const after = fs.readFileSync(path.join(root, "Pulumi.dev.yaml"), "utf8");
    assert.match(after, /^ {2}grafana-k8s:grafanaUrl: http:\/\/grafana\.ci\.internal:3000$/m);
    assert.deepEqual(
      after.split("\n").filter((l) => l.trim().startsWith("#")),
      before.split("\n").filter((l) => l.trim().startsWith("#")),
    );
    assert.equal(run.githubEnv, "", "a stack without a kubeconfig secret name gets no KUBECONFIG");
  });
});
