// The launcher and the build (build/run.js, build/targets.js, build/stamp.js): only what
// changed is built, only what the command needs, and never stale code. Each case runs the
// launcher in a copy of the built project (lib/project-copy.ts), so edits stay there.
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { tsconfigInputs } from "../../build/inputs";
import { readStamp, Stamp } from "../../build/stamp";
import { ALL, TARGETS, tscPath } from "../../build/targets";
import { fromRoot } from "../../lib/paths";
import { copyProject, removeProjectCopy } from "../../lib/project-copy";

const launch = (root: string, args: string[]) => spawnSync(process.execPath, [path.join(root, "build", "run.js"), ...args], { cwd: root, encoding: "utf8" });
/** The targets a launcher run built, from its "build: <target> (...)" lines. */
const built = (stderr: string) => [...stderr.matchAll(/^build: ([a-z]+) \(/gm)].map((m) => m[1]);
const stampOf = (root: string, target: string) => readStamp(root, target) as Stamp;
/** How many dashboards the copy's program trusts from its content record. */
function recordedDashboards(root: string): number {
  const script = `console.log(require(${JSON.stringify(path.join(root, "bin", "lib", "content-record.js"))}).readContentRecord().validDashboards.size)`;
  return Number(spawnSync(process.execPath, ["-e", script], { encoding: "utf8" }).stdout);
}

describe("build: only what changed, only what the command needs", function () {
  this.timeout(180_000);
  const copies: string[] = [];
  const copy = (options?: Parameters<typeof copyProject>[1]) => {
    copies.push(copyProject(undefined, options));
    return copies[copies.length - 1];
  };
  after(() => copies.forEach(removeProjectCopy));

  it("lists a target's sources exactly as tsc does (tsc --listFilesOnly: the program, and the tests, which build on others)", () => {
    for (const name of ["program", "tests"]) {
      const target = TARGETS[name];
      assert.ok(target.tsconfig);
      const listed = spawnSync(process.execPath, [tscPath(fromRoot()), "-p", target.tsconfig, "--listFilesOnly"], { cwd: fromRoot(), encoding: "utf8" });
      assert.equal(listed.status, 0, listed.stdout + listed.stderr);
      const own = listed.stdout
        .split("\n")
        .filter(Boolean)
        .map((f) => path.relative(fromRoot(), f).split(path.sep).join("/"))
        // Library types, and the declarations of the targets it builds on: not its sources.
        .filter((f) => !f.startsWith("node_modules/") && !f.startsWith("bin/") && !f.startsWith(".."));
      assert.deepEqual(tsconfigInputs(fromRoot(), target.tsconfig).sources, own.sort(), name);
    }
  });

  it("removes the compiled copy of a deleted test, so mocha does not run it (tsc never deletes an output)", () => {
    const root = copy({ withCompiledTests: true });
    const [gone, kept] = ["skip-policy", "build"].map((name) => path.join(root, "bin", "tests", "unit", `${name}.test.js`));
    assert.ok(fs.existsSync(gone) && fs.existsSync(kept), "the copy has its compiled tests");
    fs.rmSync(path.join(root, "tests", "unit", "skip-policy.test.ts"));
    const run = launch(root, ["build", "tests"]);
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual([fs.existsSync(gone), fs.existsSync(kept)], [false, true]);
  });

  it("builds nothing when nothing changed", () => {
    const root = copy();
    const run = launch(root, ["build", ...ALL.filter((t) => t !== "tests")]);
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(built(run.stderr), []);
  });

  it("rebuilds nothing after a fresh checkout (every mtime new, no content changed), and remembers the new mtimes", () => {
    const root = copy();
    const later = new Date(Date.now() + 60_000);
    for (const rel of Object.keys(stampOf(root, "program").files)) fs.utimesSync(path.join(root, rel), later, later);
    const run = launch(root, ["build", "program"]);
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(built(run.stderr), []);
    const stamp = stampOf(root, "program");
    assert.equal(stamp.files["index.ts"].mtimeMs, fs.statSync(path.join(root, "index.ts")).mtimeMs);
  });

  it("compiles nothing after a drop-in dashboard edit, and the program checks the edited file in full", () => {
    const root = copy();
    const file = path.join(root, "dashboards", "churn-api", "churn-api-slo.json");
    const model = JSON.parse(fs.readFileSync(file, "utf8")) as { panels: { targets?: { expr?: string }[] }[] };
    const target = model.panels.flatMap((p) => p.targets ?? []).find((t) => t.expr);
    assert.ok(target, "the example drop-in has a query");
    target.expr = "sum(rate(churn_api_http_requests_total[5m]"; // unclosed
    fs.writeFileSync(file, JSON.stringify(model, null, 2));
    const run = launch(root, ["render", "--stack", "dev", "--out", path.join(root, "out")]);
    assert.deepEqual(built(run.stderr), []);
    assert.equal(run.status, 1, run.stdout);
    assert.match(run.stderr, /dashboards\/churn-api\/churn-api-slo\.json/);
  });

  it("recompiles the program (only) after a module edit, and runs the edited code", () => {
    const root = copy();
    const file = path.join(root, "dashboards", "performance.ts");
    const text = fs.readFileSync(file, "utf8");
    assert.match(text, /Requests being served right now/);
    fs.writeFileSync(file, text.replace("Requests being served right now", "Requests in flight (edited)"));
    const out = path.join(root, "out");
    const run = launch(root, ["render", "--stack", "dev", "--out", out]);
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(built(run.stderr), ["program"]);
    assert.match(run.stderr, /^build: program \(changed: dashboards\/performance\.ts\)/m);
    const rendered = fs.readFileSync(path.join(out, "dev", "dashboards", "churn-api", "churn-api-service", "churn-api-performance.json"), "utf8");
    assert.match(rendered, /Requests in flight \(edited\)/);
    // The content record was made by the previous build of the program: it is not trusted.
    assert.equal(recordedDashboards(root), 0);
    const rebuilt = launch(root, ["build", "record"]);
    assert.deepEqual(built(rebuilt.stderr), ["record"]);
    assert.ok(recordedDashboards(root) > 0, "the rebuilt record is trusted again");
  });

  it("keeps a failed compile stale: the stamp is not renewed and the program refuses to run", () => {
    const root = copy();
    const before = stampOf(root, "program").id;
    fs.appendFileSync(path.join(root, "components", "stack.ts"), "\nexport const broken: number = 'not a number';\n");
    const run = launch(root, ["validate", "--stack", "dev"]);
    assert.equal(run.status, 1);
    assert.match(run.stdout + run.stderr, /components\/stack\.ts\(\d+,\d+\): error TS2322/);
    assert.match(run.stderr, /^build: tsc -p tsconfig\.program\.json \(fix the errors above\) failed$/m);
    assert.equal(stampOf(root, "program").id, before);
    const program = spawnSync(process.execPath, ["-e", `require(${JSON.stringify(path.join(root, "bin", "lib", "build-stamp.js"))}).assertFreshBuild(${JSON.stringify(root)})`], { encoding: "utf8" });
    assert.notEqual(program.status, 0);
    assert.match(program.stderr, /bin\/ is not a build of these sources: run npm run build \(changed since the build: components\/stack\.ts\)/);
  });

  it("answers --help and -h of every npm script, and refuses a bad argument, before anything is built", () => {
    const root = copy({ skip: ["bin"] });
    const scripts = (JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;
    const launched = Object.values(scripts).flatMap((command) => /^node build\/run\.js ([a-z-]+)$/.exec(command)?.[1] ?? []);
    for (const command of ["build", "validate", "render", "docs", "bench"]) assert.ok(launched.includes(command), `npm run ${command} goes through the launcher`);
    for (const command of new Set(launched)) {
      for (const flag of ["--help", "-h"]) {
        const run = launch(root, [command, flag]);
        assert.equal(run.status, 0, `${command} ${flag}: ${run.stderr}`);
        assert.match(run.stdout, /^Usage: npm run /, `${command} ${flag}`);
        assert.equal(run.stderr, "", `${command} ${flag}`);
      }
    }
    const mistake = launch(root, ["validate", "--stack"]);
    assert.equal(mistake.status, 2, "a bad argument is refused before the build");
    assert.ok(!fs.existsSync(path.join(root, "bin")), "--help or a bad argument built something");
  });
});
