// scripts/ci/shared-data.sh, the pull-request workflow's steps around the checkout of the team's
// reference-data repository into ../shared, run as the workflow runs them (inputs in env).
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { fromRoot } from "../../lib/paths";
import { tempDir } from "../support/pulumi-toolchain";

const SCRIPT = fromRoot("scripts", "ci", "shared-data.sh");
const run = (args: string[], env: Record<string, string>) =>
  spawnSync("bash", [SCRIPT, ...args], { encoding: "utf8", env: { PATH: process.env.PATH ?? "", ...env } });

describe("scripts/ci/shared-data.sh (../shared for the tests under CI)", () => {
  let runner: string;
  /** $GITHUB_WORKSPACE: /home/runner/work/<repo>/<repo> on GitHub's runners. */
  let workspace: string;
  beforeEach(() => {
    runner = tempDir("runner-work-");
    workspace = path.join(runner, "grafana-k8s");
    fs.mkdirSync(workspace);
  });
  afterEach(() => fs.rmSync(runner, { recursive: true, force: true }));

  it("check: fails naming each repository variable that is not set, and says where to set it", () => {
    const none = run(["check"], { SHARED_DATA_REPOSITORY: "", SHARED_DATA_REF: "" });
    assert.equal(none.status, 1);
    for (const name of ["SHARED_DATA_REPOSITORY", "SHARED_DATA_REF"]) {
      assert.match(none.stdout, new RegExp(`^::error title=Missing repository variable ${name}::.*set the variable ${name} .*docs/ci-first-run\\.md`, "m"));
    }
    const noRef = run(["check"], { SHARED_DATA_REPOSITORY: "my-org/grafana-reference-data" });
    assert.equal(noRef.status, 1);
    assert.doesNotMatch(noRef.stdout, /variable SHARED_DATA_REPOSITORY/);
    assert.match(noRef.stdout, /variable SHARED_DATA_REF/);
  });

  it("check: passes with both, naming what will be checked out", () => {
    const ok = run(["check"], { SHARED_DATA_REPOSITORY: "my-org/grafana-reference-data", SHARED_DATA_REF: "v3" });
    assert.equal(ok.status, 0, ok.stdout + ok.stderr);
    assert.match(ok.stdout, /my-org\/grafana-reference-data at v3/);
  });

  it("place: moves the checkout from inside the workspace to ../shared beside it", () => {
    const chart = path.join(workspace, ".shared-data", "reference", "grafana-chart-x", "grafana");
    fs.mkdirSync(chart, { recursive: true });
    fs.writeFileSync(path.join(chart, "Chart.yaml"), "name: grafana\n");
    const placed = run(["place", ".shared-data"], { GITHUB_WORKSPACE: workspace });
    assert.equal(placed.status, 0, placed.stdout + placed.stderr);
    assert.equal(fs.readFileSync(path.join(runner, "shared", "reference", "grafana-chart-x", "grafana", "Chart.yaml"), "utf8"), "name: grafana\n");
    assert.ok(!fs.existsSync(path.join(workspace, ".shared-data")), "nothing of it stays in the repository's checkout");
  });

  it("place: fails when the checkout brought nothing", () => {
    fs.mkdirSync(path.join(workspace, ".shared-data"));
    const empty = run(["place", ".shared-data"], { GITHUB_WORKSPACE: workspace });
    assert.equal(empty.status, 1);
    assert.match(empty.stdout, /^::error title=No reference data::/m);
    assert.ok(!fs.existsSync(path.join(runner, "shared")));
  });
});
