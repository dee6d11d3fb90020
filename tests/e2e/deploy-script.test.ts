// npm run preview / deploy (scripts/deploy.sh) with the real Pulumi CLI: a committed stack is
// created on first use on the local default backend (README's quick start), never on a team
// backend; the CLI's own errors are shown as they are.
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { requireToolchain, tempDir, transcript } from "../support/pulumi-toolchain";
import { RealStacks } from "./support/real-stack";

describe("npm run preview / deploy with the real Pulumi CLI", function () {
  this.timeout(5 * 60 * 1000);
  let stacks: RealStacks;
  const deploy = (args: string[], env: NodeJS.ProcessEnv) =>
    spawnSync("bash", [path.join(stacks.root, "scripts", "deploy.sh"), ...args], { cwd: stacks.root, encoding: "utf8", env: { ...stacks.env, ...env } });

  before(function () {
    stacks = new RealStacks(requireToolchain(this), { backend: "project-default" });
  });
  after(() => stacks?.remove());

  it("on a team backend, a stack that is not there is refused, pointing at the first-run procedure", () => {
    const team = tempDir("team-backend-");
    try {
      const run = deploy(["dev"], { PULUMI_ACTION: "preview", PULUMI_BACKEND_URL: `file://${team}` });
      assert.equal(run.status, 2, transcript(run));
      assert.match(run.stderr, new RegExp(`Stack 'dev' does not exist in file://${team.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}\\. Stacks of a team backend are created once, deliberately:\\nsee docs/ci-first-run\\.md`));
      assert.deepEqual(fs.readdirSync(team).filter((f) => !f.startsWith(".")), []);
      assert.doesNotMatch(stacks.stackFile("dev"), /encryptionsalt/, "nothing was initialised");
    } finally {
      fs.rmSync(team, { recursive: true, force: true });
    }
  });

  it("on the local default backend, the committed dev stack is created on first use, then previewed", () => {
    const run = deploy(["dev"], { PULUMI_ACTION: "preview" });
    assert.match(run.stderr, /^Stack dev on file:\/\/.*\/\.pulumi-state$/m);
    assert.match(run.stderr, /^Creating stack 'dev' in the local backend$/m);
    assert.ok(fs.existsSync(path.join(stacks.root, ".pulumi-state", ".pulumi", "stacks", "grafana-k8s", "dev.json")));
    // The preview itself needs the Node.js language host (not obtainable here): the CLI's error, unhidden.
    assert.notEqual(run.status, 0);
    assert.match(run.stdout + run.stderr, /no language plugin 'pulumi-language-nodejs' found/, transcript(run));
  });

  it("the second time, the stack is found: nothing is created", () => {
    const run = deploy(["dev"], { PULUMI_ACTION: "preview" });
    assert.doesNotMatch(run.stderr, /Creating stack/);
    assert.match(run.stdout + run.stderr, /no language plugin 'pulumi-language-nodejs' found/, transcript(run));
  });
});
