// One Node.js version everywhere: .nvmrc pins the LTS; package.json's engines, every
// workflow's setup-node, CI (.ci/run sources scripts/node-runtime.sh) and README agree.
// Node 20 reached end of life in April 2026; @pulumi/pulumi >= 3.249 needs Node >= 22.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import { parse } from "yaml";
import { fromRoot } from "../../lib/paths";

const read = (...parts: string[]) => fs.readFileSync(fromRoot(...parts), "utf8");
const pinned = read(".nvmrc").trim();
const major = Number(pinned.split(".")[0]);

interface Step {
  uses?: string;
  with?: Record<string, unknown>;
}

describe("Node.js runtime", () => {
  it("is a supported LTS line (22 or later, even major)", () => {
    assert.match(pinned, /^\d+\.\d+\.\d+$/);
    assert.ok(major >= 22 && major % 2 === 0, `.nvmrc pins ${pinned}`);
  });

  it("package.json's engines admit exactly the pinned major and up", () => {
    const engines = (JSON.parse(read("package.json")) as { engines: { node: string } }).engines.node;
    assert.equal(engines, `>=${major}`);
  });

  it("every workflow's setup-node reads .nvmrc", () => {
    const dir = fromRoot(".github", "workflows");
    let seen = 0;
    for (const file of fs.readdirSync(dir).filter((f) => f.endsWith(".yml"))) {
      const wf = parse(read(".github", "workflows", file)) as { jobs: Record<string, { steps?: Step[] }> };
      for (const job of Object.values(wf.jobs)) {
        for (const step of job.steps ?? []) {
          if (!step.uses?.startsWith("actions/setup-node")) continue;
          seen++;
          assert.deepEqual(
            { file, version: step.with?.["node-version"], versionFile: step.with?.["node-version-file"] },
            { file, version: undefined, versionFile: ".nvmrc" },
          );
        }
      }
    }
    assert.ok(seen > 0, "no workflow sets up Node.js");
  });

  it("CI runs on it and README names it", () => {
    assert.match(read(".ci", "run"), /^source scripts\/node-runtime\.sh$/m);
    assert.match(read("README.md"), new RegExp(`\\*\\*Node\\.js ${major}\\*\\*`));
  });

  it("the tests themselves run on it", () => {
    assert.equal(process.versions.node.split(".")[0], String(major));
  });
});
