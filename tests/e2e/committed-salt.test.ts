// The repository after a team followed docs/ci-first-run.md: Pulumi.dev.yaml and Pulumi.prod.yaml
// carry the salt of the team's passphrase and values encrypted with it. Made here with the real
// Pulumi CLI (built from source) and another passphrase than the tests'. The end-to-end suites'
// setups (their project copies, `stack init` of dev and prod with the tests' passphrase, npm run
// deploy creating dev on the local backend) must work on it as on a repository without a salt;
// and README's account of what a developer then meets holds.
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { fromRoot } from "../../lib/paths";
import { copyProject, removeProjectCopy } from "../../lib/project-copy";
import { documentedSteps, runSteps } from "../support/doc-steps";
import { cliEnv, requireToolchain, tempDir, Toolchain, transcript } from "../support/pulumi-toolchain";
import { PASSPHRASE, RealStacks } from "./support/real-stack";

const TEAM_PASSPHRASE = "the team's passphrase, which the tests do not know";
const TEAM_SECRETS = [
  { stack: "prod", key: "alertSlackWebhookUrl", value: "https://hooks.slack.com/services/T000/B000/TEAM" },
  { stack: "dev", key: "alertWebhookUrl", value: "https://alerts.example.com/team" },
];
const NO_LANGUAGE_HOST = /no language plugin 'pulumi-language-nodejs' found/;
const ownDevStack = documentedSteps(fromRoot("README.md"), "own-dev-stack");

describe("e2e setups on a repository whose stack files carry the team's salt and secrets", function () {
  this.timeout(8 * 60 * 1000);
  let toolchain: Toolchain;
  let scratch: string;
  /** The repository as the team committed it: dev and prod salted, each with a secure value. */
  let team: string;
  /** A developer's clone right after docs/ci-first-run.md (dev: the salt only, as the procedure leaves it). */
  let developer: string;
  const copies: RealStacks[] = [];
  const script = (root: string, name: string, args: string[], env: NodeJS.ProcessEnv) =>
    spawnSync("bash", [path.join(root, "scripts", name), ...args], { cwd: root, env, encoding: "utf8" });

  before(function () {
    toolchain = requireToolchain(this);
    scratch = tempDir("grafana-k8s-salted-");
    fs.mkdirSync(path.join(scratch, "team-backend"));
    team = copyProject();
    const teamEnv = cliEnv(toolchain, path.join(scratch, "team-home"), {
      PULUMI_BACKEND_URL: `file://${path.join(scratch, "team-backend")}`,
      PULUMI_CONFIG_PASSPHRASE: TEAM_PASSPHRASE,
    });
    const teamCli = (args: string[]) => {
      const run = script(team, "pulumi.sh", args, teamEnv);
      if (run.status !== 0) throw new Error(`team: pulumi ${args.join(" ")}\n${transcript(run)}`);
    };
    teamCli(["stack", "init", "--stack", "dev"]);
    teamCli(["stack", "init", "--stack", "prod"]);
    const [prodSecret, devSecret] = TEAM_SECRETS;
    teamCli(["config", "set", "--secret", prodSecret.key, prodSecret.value, "--stack", prodSecret.stack]);
    developer = copyProject(undefined, { from: team });
    teamCli(["config", "set", "--secret", devSecret.key, devSecret.value, "--stack", devSecret.stack]);
  });
  after(() => {
    for (const copy of copies) copy.remove();
    for (const dir of [team, developer]) if (dir) removeProjectCopy(dir);
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  });

  const stacksFrom = (from: string, backend?: "project-default") => {
    const stacks = new RealStacks(toolchain, { from, backend });
    copies.push(stacks);
    return stacks;
  };

  it("the simulated repository: both stack files carry a salt and a value encrypted with the team's passphrase", () => {
    for (const { stack, key, value } of TEAM_SECRETS) {
      const file = fs.readFileSync(path.join(team, `Pulumi.${stack}.yaml`), "utf8");
      assert.match(file, /^encryptionsalt: v1:/m, stack);
      assert.match(file, new RegExp(`^ {2}grafana-k8s:${key}:\\n {4}secure: v1:`, "m"), stack);
      assert.ok(!file.includes(value));
    }
  });

  it("copied as committed, it refuses the tests' passphrase (what the suites met before their copies dropped the team's encryption)", () => {
    const asCommitted = copyProject(undefined, { from: team });
    try {
      const run = spawnSync("pulumi", ["stack", "init", "dev"], {
        cwd: asCommitted,
        encoding: "utf8",
        env: cliEnv(toolchain, path.join(scratch, "as-committed-home"), { PULUMI_BACKEND_URL: `file://${fs.mkdtempSync(path.join(scratch, "state-"))}`, PULUMI_CONFIG_PASSPHRASE: PASSPHRASE }),
      });
      assert.notEqual(run.status, 0, transcript(run));
      assert.match(run.stderr, /incorrect passphrase/);
    } finally {
      removeProjectCopy(asCommitted);
    }
  });

  it("the suites' copies init dev and prod with the tests' passphrase and set and read secrets in them (readme-steps, ci-first-run)", () => {
    const stacks = stacksFrom(team);
    for (const stack of ["dev", "prod"]) {
      stacks.ok(["stack", "init", "--stack", stack]);
      assert.match(stacks.stackFile(stack), /^encryptionsalt: v1:/m);
      stacks.ok(["config", "set", "--secret", "alertWebhookUrl", `https://alerts.example.com/${stack}`, "--stack", stack]);
      assert.equal(stacks.ok(["config", "get", "alertWebhookUrl", "--stack", stack]).trim(), `https://alerts.example.com/${stack}`);
    }
    // The team's other config is all there; only its encrypted values are gone.
    assert.match(stacks.stackFile("prod"), /^ {2}grafana-k8s:alertSlackEnabled: "?true"?$/m);
    assert.doesNotMatch(stacks.stackFile("prod"), /^ {2}grafana-k8s:alertSlackWebhookUrl:/m);
  });

  it("npm run deploy -- dev in the suites' copies creates dev on the local backend (deploy-script)", () => {
    const stacks = stacksFrom(team, "project-default");
    assert.doesNotMatch(stacks.stackFile("dev"), /encryptionsalt/);
    const run = script(stacks.root, "deploy.sh", ["dev"], { ...stacks.env, PULUMI_ACTION: "preview" });
    assert.match(run.stderr, /^Creating stack 'dev' in the local backend$/m, transcript(run));
    assert.match(run.stdout + run.stderr, NO_LANGUAGE_HOST, transcript(run));
  });

  it("a fresh clone's copy (no bin/) inits dev (fresh-clone)", () => {
    const clone = copyProject(undefined, { from: team, skip: ["bin"], withoutTeamEncryption: true });
    try {
      const run = spawnSync("pulumi", ["stack", "init", "dev"], {
        cwd: clone,
        encoding: "utf8",
        env: cliEnv(toolchain, path.join(scratch, "clone-home"), { PULUMI_BACKEND_URL: `file://${fs.mkdtempSync(path.join(scratch, "state-"))}`, PULUMI_CONFIG_PASSPHRASE: PASSPHRASE }),
      });
      assert.equal(run.status, 0, transcript(run));
    } finally {
      removeProjectCopy(clone);
    }
  });

  describe("README: a developer's npm run deploy -- dev once the team committed dev's salt", () => {
    const developerEnv = (passphrase: string) => ({ ...cliEnv(toolchain, path.join(scratch, "developer-home")), PULUMI_CONFIG_PASSPHRASE: passphrase, USER: "alice" });

    it("with another passphrase than the team's, it stops with incorrect passphrase", () => {
      const run = script(developer, "deploy.sh", ["dev"], { ...developerEnv("my own passphrase"), PULUMI_ACTION: "preview" });
      assert.notEqual(run.status, 0);
      assert.match(run.stdout + run.stderr, /incorrect passphrase/, transcript(run));
    });

    it("with the team's passphrase, it gets past the stack (to the Node.js language host, which cannot be built here)", () => {
      const run = script(developer, "deploy.sh", ["dev"], { ...developerEnv(TEAM_PASSPHRASE), PULUMI_ACTION: "preview" });
      assert.match(run.stdout + run.stderr, NO_LANGUAGE_HOST, transcript(run));
    });

    it("README's own dev stack lines run as written with the developer's passphrase", () => {
      assert.equal(ownDevStack.length, 2, ownDevStack.join("\n"));
      const results = runSteps(ownDevStack, developer, developerEnv("my own passphrase"), 4 * 60 * 1000);
      assert.equal(results.length, ownDevStack.length);
      assert.equal(results[0].status, 0, results[0].output);
      // Its own salt, for the developer's passphrase, written by the stack's creation.
      const salt = (file: string) => /^encryptionsalt: (.*)$/m.exec(fs.readFileSync(path.join(developer, file), "utf8"))?.[1];
      assert.ok(salt("Pulumi.dev-alice.yaml"));
      assert.notEqual(salt("Pulumi.dev-alice.yaml"), salt("Pulumi.dev.yaml"));
      assert.match(results[1].output, /Creating stack 'dev-alice' in the local backend/, results[1].output);
      assert.doesNotMatch(results[1].output, /incorrect passphrase|failed to decrypt/);
      assert.match(results[1].output, NO_LANGUAGE_HOST, results[1].output);
    });
  });
});
