import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { assertFreshBuild, BUILD_STAMP, BuildStamp, staleSources } from "../../lib/build-stamp";
import { fromRoot } from "../../lib/paths";
import { runProgram } from "../../render/mock-engine";
import { loadStackConfig } from "../../render/stack-config";

const isStaleBuildError = (err: unknown) =>
  err instanceof pulumi.RunError && /^bin\/ is older than the sources: run npm run build/.test(err.message);

/** A project root holding `sources` and a stamp written at `builtAt`. */
function fakeRoot(sources: string[], builtAt: number): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "stamp-test-"));
  for (const source of sources) {
    fs.mkdirSync(path.dirname(path.join(root, source)), { recursive: true });
    fs.writeFileSync(path.join(root, source), "// source\n");
    fs.utimesSync(path.join(root, source), new Date(builtAt - 60_000), new Date(builtAt - 60_000));
  }
  const stamp: BuildStamp = { builtAt, sources };
  fs.mkdirSync(path.join(root, "bin"));
  fs.writeFileSync(path.join(root, BUILD_STAMP), JSON.stringify(stamp));
  return root;
}

const touch = (file: string, at: number) => fs.utimesSync(file, new Date(at), new Date(at));

describe("start-up: the stale-build guard (bin/build-stamp.json)", () => {
  const roots: string[] = [];
  const root = (sources: string[], builtAt = Date.now()) => {
    roots.push(fakeRoot(sources, builtAt));
    return roots[roots.length - 1];
  };
  after(() => roots.forEach((r) => fs.rmSync(r, { recursive: true, force: true })));

  it("accepts a build newer than every source, and a source deleted since", () => {
    const r = root(["index.ts", "components/stack.ts"]);
    fs.rmSync(path.join(r, "components/stack.ts"));
    assert.doesNotThrow(() => assertFreshBuild(r));
  });

  it("names the sources edited after the build and refuses to run", () => {
    const builtAt = Date.now() - 10_000;
    const r = root(["index.ts", "components/stack.ts", "validation/schema/dashboard.schema.json"], builtAt);
    touch(path.join(r, "components/stack.ts"), builtAt + 5_000);
    assert.deepEqual(staleSources(r, JSON.parse(fs.readFileSync(path.join(r, BUILD_STAMP), "utf8")) as BuildStamp), ["components/stack.ts"]);
    assert.throws(() => assertFreshBuild(r), (err: Error) => isStaleBuildError(err) && err.message.includes("components/stack.ts"));
  });

  it("refuses a bin/ that npm run build did not stamp", () => {
    const r = root([]);
    fs.rmSync(path.join(r, BUILD_STAMP));
    assert.throws(() => assertFreshBuild(r), (err: Error) => err instanceof pulumi.RunError && /npm run build/.test(err.message));
  });

  it("the build stamps every compiled source, and this build is fresh", () => {
    const stamp = JSON.parse(fs.readFileSync(fromRoot(BUILD_STAMP), "utf8")) as BuildStamp;
    for (const source of ["index.ts", "lib/startup.ts", "components/stack.ts", "validation/schema/dashboard.schema.json", "package-lock.json"]) {
      assert.ok(stamp.sources.includes(source), `${source} is not in the stamp`);
    }
    assert.ok(!stamp.sources.some((s) => s.startsWith("tests/") || s.startsWith("node_modules/")));
    assert.doesNotThrow(() => assertFreshBuild());
  });

  it("bin/index.js refuses to run a stale build, registering nothing", function () {
    this.timeout(60_000);
    // A copy of bin/ whose project root has one source newer than the stamp.
    const r = root([]);
    fs.cpSync(fromRoot("bin"), path.join(r, "bin"), { recursive: true, filter: (src) => !src.startsWith(fromRoot("bin", "tests")) });
    fs.copyFileSync(fromRoot("Pulumi.yaml"), path.join(r, "Pulumi.yaml"));
    fs.symlinkSync(fromRoot("node_modules"), path.join(r, "node_modules"), "dir");
    fs.copyFileSync(fromRoot("index.ts"), path.join(r, "index.ts"));
    const stamp = JSON.parse(fs.readFileSync(path.join(r, BUILD_STAMP), "utf8")) as BuildStamp;
    touch(path.join(r, "index.ts"), stamp.builtAt + 5_000);
    const script = `require(${JSON.stringify(path.join(r, "bin", "render", "mock-engine.js"))})
      .runProgram("dev", { values: {}, secretKeys: [], encryptedKeys: [] })
      .then((run) => console.log(JSON.stringify({ error: run.error && run.error.message, resources: run.resources.length })));`;
    const out = spawnSync(process.execPath, ["-e", script], { encoding: "utf8" });
    const result = JSON.parse(out.stdout) as { error?: string; resources: number };
    assert.match(result.error ?? "", /^bin\/ is older than the sources: run npm run build \(changed since the build: index\.ts\)/);
    assert.equal(result.resources, 0);
  });
});

describe("start-up: bounded stack capture (lib/stack-traces.ts)", () => {
  const limitAfterBound = (nodeArgs: string[], nodeOptions = "") =>
    spawnSync(process.execPath, [...nodeArgs, "-e", `require(${JSON.stringify(fromRoot("bin", "lib", "stack-traces.js"))}).boundStackTraces(); console.log(Error.stackTraceLimit)`], {
      encoding: "utf8",
      env: { ...process.env, NODE_OPTIONS: nodeOptions },
    }).stdout.trim();

  it("lowers Error.stackTraceLimit to 0 for the program's process", () => assert.equal(limitAfterBound([]), "0"));
  it("keeps a limit the user asked for (node --stack-trace-limit=N, or in NODE_OPTIONS)", () => {
    assert.equal(limitAfterBound(["--stack-trace-limit=25"]), "25");
    assert.equal(limitAfterBound([], "--stack-trace-limit=30"), "30");
  });
  it("gives the caller of the mock engine its own limit back after a run", async () => {
    const before = Error.stackTraceLimit;
    await runProgram("dev", loadStackConfig("dev"));
    assert.equal(Error.stackTraceLimit, before);
  });
});
