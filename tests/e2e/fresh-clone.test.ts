// A fresh clone, before any build, with the real Pulumi CLI (built from source): the CLI's own
// commands work. With `main: bin/index.js` in Pulumi.yaml they failed ("project 'main' could
// not be read": pkg/engine/project.go stats `main` before `install`, `about`, `preview`, `up`);
// the entry point is package.json's "main" instead, which only Node resolves, when the program
// runs.
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { copyProject, removeProjectCopy } from "../../lib/project-copy";
import { cliEnv, requireToolchain, tempDir, Toolchain, transcript } from "../support/pulumi-toolchain";

const MAIN_UNREADABLE = /project 'main' could not be read/;

describe("a fresh clone with the real Pulumi CLI, before any build", function () {
  this.timeout(5 * 60 * 1000);
  let toolchain: Toolchain;
  let clone: string;
  let scratch: string;
  const cli = (args: string[]) =>
    spawnSync("pulumi", args, {
      cwd: clone,
      encoding: "utf8",
      env: cliEnv(toolchain, path.join(scratch, "home"), { PULUMI_BACKEND_URL: `file://${path.join(scratch, "state")}`, PULUMI_CONFIG_PASSPHRASE: "fresh clone" }),
    });

  before(function () {
    toolchain = requireToolchain(this);
    // What a clone has: no bin/ (nor the dot-folders copyProject leaves out).
    clone = copyProject(undefined, { skip: ["bin"], withoutTeamEncryption: true });
    scratch = tempDir("grafana-k8s-fresh-");
    fs.mkdirSync(path.join(scratch, "state"));
  });
  after(() => {
    if (clone) removeProjectCopy(clone);
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  });

  it("has no bin/, and the entry point is package.json's main, not a main: in Pulumi.yaml", () => {
    assert.ok(!fs.existsSync(path.join(clone, "bin")));
    assert.equal((parse(fs.readFileSync(path.join(clone, "Pulumi.yaml"), "utf8")) as { main?: string }).main, undefined);
    assert.equal((JSON.parse(fs.readFileSync(path.join(clone, "package.json"), "utf8")) as { main: string }).main, "bin/index.js");
  });

  it("pulumi stack init, config set and config get work", () => {
    for (const args of [["stack", "init", "dev"], ["config", "set", "grafanaUrl", "http://127.0.0.1:3000", "--stack", "dev"], ["config", "get", "grafanaUrl", "--stack", "dev"]]) {
      const run = cli(args);
      assert.equal(run.status, 0, transcript(run));
    }
  });

  it("pulumi about reads the project without a warning about its main", () => {
    const run = cli(["about", "--stack", "dev"]);
    assert.equal(run.status, 0, transcript(run));
    assert.doesNotMatch(run.stdout + run.stderr, MAIN_UNREADABLE);
  });

  it("pulumi install gets past the project (here it then needs the Node.js language host, which cannot be built)", () => {
    const run = cli(["install"]);
    assert.doesNotMatch(run.stdout + run.stderr, MAIN_UNREADABLE);
    assert.match(run.stderr, /no language plugin 'pulumi-language-nodejs' found/, transcript(run));
  });
});
