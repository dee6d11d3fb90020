// scripts/toolchain/: the wrapper module pins the Pulumi CLI to the SDK the program uses, and
// a build that fails says which module and Go's first error.
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { fromRoot } from "../../lib/paths";
import { REQUIRE_TOOLCHAIN, tempDir } from "../support/pulumi-toolchain";

const goMod = fs.readFileSync(fromRoot("scripts", "toolchain", "pulumi-cli", "go.mod"), "utf8");
const sdk = (JSON.parse(fs.readFileSync(fromRoot("package.json"), "utf8")) as { dependencies: Record<string, string> }).dependencies["@pulumi/pulumi"];
const requirement = (module: string) => new RegExp(`^\\s*${module.replace(/\./g, "\\.")} (\\S+)$`, "m").exec(goMod)?.[1];

describe("toolchain: the Pulumi CLI's wrapper module (scripts/toolchain/pulumi-cli)", () => {
  it("requires pkg/v3 and sdk/v3 at the version package.json pins for @pulumi/pulumi", () => {
    assert.equal(requirement("github.com/pulumi/pulumi/pkg/v3"), `v${sdk}`);
    assert.equal(requirement("github.com/pulumi/pulumi/sdk/v3"), `v${sdk}`);
  });

  it("repeats the non-local replacements of pkg's and sdk's go.mod (replacements apply only in the main module)", () => {
    assert.match(goMod, /^replace github\.com\/atotto\/clipboard => github\.com\/tgummerer\/clipboard v\S+$/m);
    assert.match(goMod, /^replace golang\.org\/x\/text => golang\.org\/x\/text v\S+$/m);
    assert.doesNotMatch(goMod, /^replace .* => \.\.?\//m, "a local replacement cannot resolve outside Pulumi's repository");
  });

  it("a failed build names the module and Go's first error, and leaves no binary", function () {
    if (spawnSync("go", ["version"]).status !== 0) {
      if (process.env[REQUIRE_TOOLCHAIN] === "1") throw new Error(`Go is not installed (${REQUIRE_TOOLCHAIN}=1)`);
      console.log("      skipped: Go is not installed");
      this.skip();
    }
    // A project whose wrapper lost its go.sum: -mod=readonly refuses before any download.
    const root = tempDir("toolchain-broken-");
    const cache = tempDir("toolchain-cache-");
    try {
      fs.cpSync(fromRoot("scripts", "toolchain"), path.join(root, "scripts", "toolchain"), { recursive: true });
      fs.copyFileSync(fromRoot("package.json"), path.join(root, "package.json"));
      fs.rmSync(path.join(root, "scripts", "toolchain", "pulumi-cli", "go.sum"));
      const run = spawnSync("bash", [path.join(root, "scripts", "toolchain", "build.sh")], {
        encoding: "utf8",
        env: { ...process.env, GRAFANA_K8S_TOOLCHAIN_CACHE: cache },
        timeout: 120_000,
      });
      assert.equal(run.status, 1, run.stderr);
      const log = path.join(cache, `pulumi-v${sdk}`, "build.log");
      assert.match(
        run.stderr,
        new RegExp(`^toolchain: building github\\.com/pulumi/pulumi/pkg/v3@v${sdk.replace(/\./g, "\\.")} failed: .*missing go\\.sum entry.* \\(full log: ${log.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}\\)$`, "m"),
      );
      assert.ok(!fs.existsSync(path.join(cache, `pulumi-v${sdk}`, "bin", "pulumi")));
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
      fs.rmSync(cache, { recursive: true, force: true });
    }
  });
});
