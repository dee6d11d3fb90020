// Command-line behaviour (build/args.js, build/commands.js): every mistake is one line
// naming what is wrong and what to type, exit code 2, no stack trace; --help everywhere.
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { parseCommandLine, stacksIn, UsageError } from "../../build/args";
import { COMMANDS } from "../../build/commands";
import { ALL } from "../../build/targets";
import { fromRoot } from "../../lib/paths";

const launch = (args: string[]) => spawnSync(process.execPath, [fromRoot("build", "run.js"), ...args], { cwd: fromRoot(), encoding: "utf8" });
const STACKS = stacksIn(fromRoot()).join(", ");

/** A refused command line: exit 2, nothing on stdout, exactly one line on stderr matching `message`. */
function refused(run: ReturnType<typeof spawnSync>, message: RegExp): void {
  const stderr = String(run.stderr);
  assert.equal(run.status, 2, stderr);
  assert.equal(String(run.stdout), "");
  assert.equal(stderr.trimEnd().split("\n").length, 1, `more than one line:\n${stderr}`);
  assert.doesNotMatch(stderr, /\n\s+at /, "stack trace");
  assert.match(stderr.trimEnd(), message);
}

describe("command line: one-line messages naming what is wrong and the fix", () => {
  it("--stack without a value is an error, not every stack", () => {
    refused(launch(["validate", "--stack"]), new RegExp(`^npm run validate: --stack needs a value: --stack <stack>, one of ${STACKS} \\(see npm run validate -- --help\\)$`));
    refused(launch(["render", "-s"]), /^npm run render: -s needs a value: -s <stack>, one of /);
    refused(launch(["render", "--stack", "--out", "x"]), /^npm run render: --stack needs a value/);
    refused(launch(["validate", "--stack="]), /^npm run validate: --stack needs a value/);
  });

  it("an unknown stack lists the stacks that exist", () => {
    refused(launch(["validate", "--stack", "qa"]), new RegExp(`^npm run validate: no stack "qa": the stacks are ${STACKS} \\(one Pulumi.<stack>.yaml each; add one with pulumi stack init qa`));
    refused(launch(["render", "--stack", "dev,staging"]), /^npm run render: no stack "staging": the stacks are /);
    refused(spawnSync(process.execPath, [fromRoot("bin", "scripts", "stack-config-set.js"), "qa", "grafanaUrl", "x"], { encoding: "utf8" }), /^node bin\/scripts\/stack-config-set\.js: no stack "qa"/);
  });

  it("options a command ignores are refused, with what to use instead", () => {
    refused(launch(["validate", "--out", "x"]), /^npm run validate: --out is not an option of this command \(validate writes no files: npm run render -- --out <dir> does\); it takes -s, --stack <stack> \(see npm run validate -- --help\)$/);
    refused(launch(["docs", "--write"]), /^npm run docs: --write is not an option of this command; it takes no options/);
    refused(launch(["render", "--verbose"]), /^npm run render: --verbose is not an option of this command; it takes -s, --stack <stack>, --out <dir>/);
  });

  it("a stack given without --stack is refused with the option to use", () => {
    refused(launch(["validate", "dev"]), /^npm run validate: unexpected argument "dev"; to pick a stack write --stack dev/);
  });

  it("values are checked: numbers, flags that take none, build targets, commands", () => {
    refused(launch(["bench", "--runs", "many"]), /^npm run bench: --runs expects a whole number, not "many"/);
    refused(launch(["bench", "--keep=yes"]), /^npm run bench: --keep takes no value: write --keep alone/);
    refused(launch(["build", "everything"]), new RegExp(`^npm run build: no target "everything": the targets are ${ALL.join(", ")}$`));
    const launched = Object.keys(COMMANDS).filter((name) => name === "build" || COMMANDS[name].entry);
    for (const name of ["build", "validate", "render", "docs", "bench"]) assert.ok(launched.includes(name), name);
    refused(launch(["deploy"]), new RegExp(`^build/run\\.js: unknown command "deploy": use one of ${launched.join(", ")}$`));
    refused(spawnSync(process.execPath, [fromRoot("bin", "scripts", "stack-config-set.js"), "dev"], { encoding: "utf8" }), /^node bin\/scripts\/stack-config-set\.js: missing <key>: /);
  });

  it("the parser gives each command what it asked for", () => {
    const parsed = parseCommandLine(COMMANDS.render, ["-s", "dev,prod", "--stack=dev", "--out", "o"], fromRoot());
    assert.deepEqual(parsed, { help: false, values: { stack: ["dev", "prod", "dev"], out: "o" }, positionals: [] });
    assert.deepEqual(parseCommandLine(COMMANDS.bench, ["--no-write", "--sizes", "10,100", "--sizes", "none"], fromRoot()).values, { "no-write": true, sizes: ["10", "100", "none"] });
    assert.equal(parseCommandLine(COMMANDS.validate, ["--stack", "qa", "--help"], fromRoot()).help, true, "--help wins over mistakes");
    assert.equal(parseCommandLine(COMMANDS["stack-config-set"], ["-h"], fromRoot()).help, true, "-h is --help");
    assert.throws(() => parseCommandLine(COMMANDS.validate, ["--bogus"], fromRoot()), UsageError);
  });
});

describe("command line: --help and -h on every command", () => {
  it("each compiled CLI run directly prints its usage and exits 0", () => {
    const direct = Object.entries(COMMANDS).filter(([, spec]) => spec.invocation.startsWith("node bin/"));
    assert.ok(direct.length >= 7, direct.map(([name]) => name).join(", "));
    for (const [name, spec] of direct) {
      const script = fromRoot(...spec.invocation.split(" ")[1].split("/"));
      // -h and --help are the same option to the parser (tested above); one process each.
      const run = spawnSync(process.execPath, [script, name === "compile-content" ? "-h" : "--help"], { encoding: "utf8" });
      assert.equal(run.status, 0, `${name}: ${run.stderr}`);
      assert.match(run.stdout, new RegExp(`^Usage: ${spec.invocation.replace(/[.]/g, "\\.")}`), name);
      assert.equal(run.stderr, "", name);
    }
  });

  it("usage names every option, and the stacks where a stack is asked for", () => {
    const run = launch(["render", "--help"]);
    assert.equal(run.status, 0);
    for (const text of ["Usage: npm run render -- [options]", "-s, --stack <stack>", "--out <dir>", "-h, --help", `Stacks: ${STACKS}`]) assert.ok(run.stdout.includes(text), text);
  });
});
