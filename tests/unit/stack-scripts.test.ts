// scripts/pulumi.sh (`npm run pulumi`) and scripts/deploy.sh (`npm run deploy` / `preview`):
// what they refuse before the Pulumi CLI runs. What they do with the real CLI is in
// tests/e2e/readme-steps.test.ts.
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import { fromRoot } from "../../lib/paths";

const stackFiles = () => fs.readdirSync(fromRoot()).filter((f) => /^Pulumi\..+\.yaml$/.test(f));
const existing = () => stackFiles().map((f) => f.slice("Pulumi.".length, -".yaml".length)).join(" ");

/** Runs a script with no terminal, no Pulumi CLI on PATH and no backend from the caller's shell. */
function script(name: "pulumi.sh" | "deploy.sh", args: string[], env: Record<string, string> = {}) {
  const base = { ...process.env };
  delete base.PULUMI_BACKEND_URL;
  const run = spawnSync("bash", [fromRoot("scripts", name), ...args], {
    encoding: "utf8",
    env: { ...base, PATH: "/usr/bin:/bin", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  return { status: run.status, stderr: run.stderr };
}

describe("npm run pulumi / deploy / preview: refused before the CLI runs", () => {
  const before = stackFiles();
  afterEach(() => assert.deepEqual(stackFiles(), before, "a refused command created a stack file"));

  it("--help and -h: the script's usage, exit 0; with a command, the CLI's help for it (no stack needed)", () => {
    for (const [name, args] of [["deploy.sh", ["--help"]], ["deploy.sh", ["-h"]], ["pulumi.sh", ["--help"]], ["pulumi.sh", ["-h"]]] as const) {
      const run = spawnSync("bash", [fromRoot("scripts", name), ...args], { encoding: "utf8" });
      assert.equal(run.status, 0, `${name} ${args[0]}: ${run.stderr}`);
      assert.match(run.stdout, name === "deploy.sh" ? /^Deploys one stack: `npm run deploy -- <stack>/ : /^The one way to run a Pulumi CLI command/, `${name} ${args[0]}`);
      assert.doesNotMatch(run.stdout, /^#|set -euo/m);
    }
    // `config set --help` goes to the CLI (here absent: the install hint, not "Name the stack").
    const withCommand = script("pulumi.sh", ["config", "set", "--help"]);
    assert.match(withCommand.stderr, /^The Pulumi CLI is not installed/);
  });

  it("a command without --stack: the CLI would use whichever stack was selected last", () => {
    const run = script("pulumi.sh", ["config", "get", "environment"]);
    assert.equal(run.status, 2);
    assert.match(run.stderr, new RegExp(`Name the stack: npm run pulumi -- <pulumi command> --stack <stack> {3}\\(stacks: ${existing()}\\)`));
  });

  for (const [name, args] of [
    ["npm run pulumi", ["pulumi.sh", ["config", "set", "alertForWarning", "5m", "--stack", "prdo"]]],
    ["npm run deploy", ["deploy.sh", ["prdo"]]],
    ["npm run preview", ["deploy.sh", ["prdo"]]],
  ] as const) {
    it(`${name}: a stack without its Pulumi.<stack>.yaml (a typo), listing the stacks that exist`, () => {
      const run = script(args[0], [...args[1]], name === "npm run preview" ? { PULUMI_ACTION: "preview" } : {});
      assert.equal(run.status, 2);
      // One line: what is wrong and what to type.
      assert.equal(
        run.stderr,
        `No stack 'prdo' in this project: there is no Pulumi.prdo.yaml (stacks: ${existing()}); a new stack is created deliberately: npm run pulumi -- stack init --stack prdo\n`,
      );
    });
  }

  it("stack names that are not names (a flag, a path)", () => {
    for (const bad of ["--yes", "../prod"]) {
      const run = script("deploy.sh", [bad]);
      assert.equal(run.status, 2, bad);
      assert.match(run.stderr, /is not a stack name/);
    }
  });

  for (const [name, args] of [
    ["npm run pulumi", ["pulumi.sh", ["config", "set", "--secret", "alertSlackWebhookUrl", "https://hooks.slack.com/services/x", "--stack", "prod"]]],
    ["npm run deploy", ["deploy.sh", ["prod", "--yes"]]],
  ] as const) {
    it(`${name}: prod without an explicit PULUMI_BACKEND_URL (no second prod state in .pulumi-state/)`, () => {
      const run = script(args[0], [...args[1]]);
      assert.equal(run.status, 2);
      assert.match(run.stderr, /^Stack 'prod' is a prod stack: set PULUMI_BACKEND_URL to the team's state backend first \(the local default, \.pulumi-state\/, would hold a second, empty prod state\)\.\n$/);
    });
  }

  it("npm run deploy without a terminal and without --yes: says to pass --yes", () => {
    const run = script("deploy.sh", ["dev"], { PULUMI_BACKEND_URL: "file:///nonexistent" });
    assert.equal(run.status, 2);
    assert.match(run.stderr, /No terminal to confirm the update: pass --yes to apply it without a prompt \(npm run deploy -- dev --yes\)/);
  });

  it("then, without the CLI, says how to install it", () => {
    const run = script("deploy.sh", ["dev", "--yes"], { PULUMI_BACKEND_URL: "file:///nonexistent" });
    assert.equal(run.status, 2);
    assert.match(run.stderr, /The Pulumi CLI is not installed/);
  });

  it("no script creates a stack as a side effect of selecting it", () => {
    for (const file of ["pulumi.sh", "deploy.sh", "pulumi-stack.sh"]) {
      assert.doesNotMatch(fs.readFileSync(fromRoot("scripts", file), "utf8"), /select\s+--create|--create\b/, file);
    }
  });
});
