import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { currentStamp, RACY_MS, readStamp, writeStamp } from "../../build/stamp";
import { assertFreshBuild, PROGRAM_TARGET } from "../../lib/build-stamp";
import { fromRoot } from "../../lib/paths";
import { runProgram } from "../../render/mock-engine";
import { loadStackConfig } from "../../render/stack-config";
import { copyProject, removeProjectCopy } from "../../lib/project-copy";

const isStaleBuildError = (err: unknown) =>
  err instanceof pulumi.RunError && /^bin\/ is not a build of these sources: run npm run build/.test(err.message);

const touch = (file: string, at: number) => fs.utimesSync(file, new Date(at), new Date(at));

/** A project root holding `sources` (written a minute ago) and the program's stamp of them. */
function fakeRoot(sources: string[]): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "stamp-test-"));
  for (const source of sources) {
    fs.mkdirSync(path.dirname(path.join(root, source)), { recursive: true });
    fs.writeFileSync(path.join(root, source), `// ${source}\n`);
    touch(path.join(root, source), Date.now() - 60_000);
  }
  writeStamp(root, currentStamp(root, PROGRAM_TARGET, sources, {}, undefined));
  return root;
}

describe("start-up: the stale-build guard (bin/stamps/program.json, by content)", () => {
  const roots: string[] = [];
  const root = (sources: string[]) => {
    roots.push(fakeRoot(sources));
    return roots[roots.length - 1];
  };
  after(() => roots.forEach(removeProjectCopy));

  it("accepts the sources it was built from", () => {
    assert.doesNotThrow(() => assertFreshBuild(root(["index.ts", "components/stack.ts"])));
  });

  it("accepts sources whose mtimes changed but not their content (a fresh checkout, a CI artefact)", () => {
    const r = root(["index.ts", "components/stack.ts"]);
    touch(path.join(r, "index.ts"), Date.now() + 5_000);
    touch(path.join(r, "components/stack.ts"), Date.now() - 3_600_000);
    assert.doesNotThrow(() => assertFreshBuild(r));
  });

  it("names the sources edited since the build and refuses to run", () => {
    const r = root(["index.ts", "components/stack.ts", "validation/schema/dashboard.schema.json"]);
    fs.appendFileSync(path.join(r, "components/stack.ts"), "export const edited = true;\n");
    assert.throws(() => assertFreshBuild(r), (err: Error) => isStaleBuildError(err) && err.message.endsWith("(changed since the build: components/stack.ts)"));
  });

  it("refuses an edit that kept size and mtime when the mtime is too close to the build to trust", () => {
    const r = fs.mkdtempSync(path.join(os.tmpdir(), "stamp-test-"));
    roots.push(r);
    const file = path.join(r, "index.ts");
    fs.writeFileSync(file, "export const a = 1;\n");
    writeStamp(r, currentStamp(r, PROGRAM_TARGET, ["index.ts"], {}, undefined));
    const { mtimeMs } = fs.statSync(file);
    assert.ok(Date.now() - mtimeMs < RACY_MS, "the source was written just now");
    fs.writeFileSync(file, "export const a = 2;\n");
    touch(file, mtimeMs);
    assert.throws(() => assertFreshBuild(r), isStaleBuildError);
  });

  it("refuses a build whose source was deleted since", () => {
    const r = root(["index.ts", "components/stack.ts"]);
    fs.rmSync(path.join(r, "components/stack.ts"));
    assert.throws(() => assertFreshBuild(r), (err: Error) => isStaleBuildError(err) && err.message.includes("components/stack.ts"));
  });

  it("refuses a bin/ that the build did not stamp", () => {
    const r = root([]);
    fs.rmSync(path.join(r, "bin", "stamps"), { recursive: true });
    assert.throws(() => assertFreshBuild(r), (err: Error) => err instanceof pulumi.RunError && /no build stamp .*run npm run build/.test(err.message));
  });

  it("this build is fresh and its stamp covers the program's sources, schema and lock file, not the tests", () => {
    const stamp = readStamp(fromRoot(), PROGRAM_TARGET);
    assert.ok(stamp, "npm run build wrote bin/stamps/program.json");
    const inputs = Object.keys(stamp.files);
    for (const source of ["index.ts", "lib/startup.ts", "components/stack.ts", "build/stamp.js", "tsconfig.program.json", "validation/schema/dashboard.schema.json", "package-lock.json"]) {
      assert.ok(inputs.includes(source), `${source} is not in the stamp`);
    }
    assert.ok(!inputs.some((s) => s.startsWith("tests/") || s.startsWith("node_modules/") || s.startsWith("bench/")));
    assert.doesNotThrow(() => assertFreshBuild());
  });

  it("bin/index.js refuses to run a stale build, registering nothing", function () {
    this.timeout(60_000);
    const r = copyProject();
    roots.push(r);
    fs.appendFileSync(path.join(r, "index.ts"), "// edited after the build\n");
    const script = `require(${JSON.stringify(path.join(r, "bin", "render", "mock-engine.js"))})
      .runProgram("dev", { values: {}, secretKeys: [], encryptedKeys: [] })
      .then((run) => console.log(JSON.stringify({ error: run.error && run.error.message, resources: run.resources.length })));`;
    const out = spawnSync(process.execPath, ["-e", script], { encoding: "utf8" });
    const result = JSON.parse(out.stdout) as { error?: string; resources: number };
    assert.match(result.error ?? "", /^bin\/ is not a build of these sources: run npm run build \(changed since the build: index\.ts\)/);
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
