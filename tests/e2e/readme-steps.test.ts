// README's steps for a new bring-your-own-Grafana stack, run as written (one shell, a terminal,
// the project's default local backend) with the real Pulumi CLI built from source, in a copy of
// the project. When README and reality drift (a command the wrapper refuses, a key the program
// requires but README does not set, a secret stored in plain text), this fails.
//
// What cannot run here: `npm run preview`/`deploy` start the program through the Node.js
// language host, which the Go module proxy does not serve; the test asserts that this, and only
// this, stops them. The same stack is then previewed by the real engine with the program inline,
// which must reach the Grafana provider (the next piece that cannot be obtained): the config the
// README's lines set is complete and valid for the program.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { fromRoot } from "../../lib/paths";
import { allShellLines, documentedSteps, runSteps, StepResult } from "../support/doc-steps";
import { blockedBy, requireToolchain, Toolchain, unobtainable } from "../support/pulumi-toolchain";
import { RealStacks } from "./support/real-stack";

const steps = documentedSteps(fromRoot("README.md"), "byo-steps");
const stackOf = (line: string) => /--stack (\S+)|npm run (?:deploy|preview) -- (\S+)/.exec(line)?.slice(1).find(Boolean);

/** What the CLI says when `pulumi preview`/`up` of a Node.js project finds no language host. */
const NO_LANGUAGE_HOST = /no language plugin 'pulumi-language-nodejs' found/;

describe("README: a bring-your-own-Grafana stack from scratch, with the real Pulumi CLI", function () {
  this.timeout(15 * 60 * 1000);
  let toolchain: Toolchain;
  let stacks: RealStacks;
  let results: StepResult[] = [];
  let stack: string;

  before(function () {
    toolchain = requireToolchain(this);
    console.log(`      Pending below: the parts that need what cannot be obtained here:\n        ${unobtainable(toolchain).join("\n        ")}`);
    stack = stackOf(steps.find((l) => l.includes("stack init")) ?? "") ?? "";
    stacks = new RealStacks(toolchain, { backend: "project-default" });
    // README exports the passphrase itself.
    delete stacks.env.PULUMI_CONFIG_PASSPHRASE;
    results = runSteps(steps, stacks.root, stacks.env, 12 * 60 * 1000);
  });
  after(() => stacks?.remove());

  const result = (pattern: RegExp) => {
    const found = results.find((r) => pattern.test(r.line));
    assert.ok(found, `README's steps have no line matching ${pattern} (or it did not run): ${steps.join(" | ")}`);
    return found;
  };

  it("README's steps name one stack throughout, and every line ran", () => {
    assert.ok(stack, "no `stack init` line");
    for (const line of steps.filter((l) => l.startsWith("npm run"))) assert.equal(stackOf(line), stack, line);
    assert.equal(results.length, steps.length, `stopped after: ${results.at(-1)?.line}`);
  });

  it("every line up to the first preview succeeds: stack init and each config set", () => {
    for (const r of results.slice(0, results.findIndex((x) => /npm run preview/.test(x.line)))) {
      assert.equal(r.status, 0, `${r.line}\n${r.output}`);
    }
  });

  it("they leave a stack file with its encryption salt, the config README sets, and the token encrypted", () => {
    const file = stacks.stackFile(stack);
    assert.match(file, /^encryptionsalt: v1:/m);
    for (const line of steps.filter((l) => / config set (?!--secret)/.test(l))) {
      const [, key, value] = / config set (\S+) (\S+)/.exec(line) ?? [];
      assert.match(file, new RegExp(`^ {2}grafana-k8s:${key}: "?${value.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}"?$`, "m"), line);
    }
    const secrets = steps.filter((l) => l.includes("config set --secret"));
    assert.ok(secrets.length > 0);
    for (const line of secrets) {
      const [, key, value] = /config set --secret (\S+) '?([^' ]+)'?/.exec(line) ?? [];
      assert.match(file, new RegExp(`^ {2}grafana-k8s:${key}:\\n {4}secure: v1:`, "m"), line);
      assert.ok(!file.includes(value), `${key} is in the stack file in plain text`);
    }
  });

  it("the state is in the project's default backend, .pulumi-state/", () => {
    assert.ok(fs.existsSync(path.join(stacks.root, ".pulumi-state", ".pulumi", "stacks", "grafana-k8s", `${stack}.json`)));
    assert.match(result(/stack init/).output, /Stack \S+ on file:\/\/.*\/\.pulumi-state/);
  });

  for (const command of ["preview", "deploy"]) {
    it(`npm run ${command} finds the stack, and stops only where the Node.js language host is needed`, () => {
      const r = result(new RegExp(`npm run ${command} `));
      assert.notEqual(r.status, 0);
      assert.match(r.output, NO_LANGUAGE_HOST, r.output);
      assert.doesNotMatch(r.output, /No stack|no stack named|Creating stack|No terminal|is a prod stack/);
    });
  }

  it("the real engine, running the program on the stack README made, reaches the Grafana provider", () => {
    const passphrase = /^export PULUMI_CONFIG_PASSPHRASE='([^']+)'$/.exec(steps.find((l) => l.startsWith("export PULUMI_CONFIG_PASSPHRASE=")) ?? "");
    assert.ok(passphrase, "README's steps export no PULUMI_CONFIG_PASSPHRASE");
    const report = stacks.inlinePreview(stack, { PULUMI_CONFIG_PASSPHRASE: passphrase[1] });
    assert.ok(report.diagnostics.length > 0, report.error);
    for (const d of report.diagnostics) {
      assert.equal(d.type, "pulumi:providers:grafana", d.message);
      assert.match(d.message, /^no resource plugin 'pulumi-resource-grafana' found/);
    }
  });

  it("npm run deploy puts the content into the Grafana README names, and stack output shows its dashboards", function () {
    blockedBy(this, toolchain, ["pulumi-language-nodejs", "pulumi-resource-grafana", "grafana-server"]);
  });
});

describe("README: every other npm run pulumi line of its code blocks, with the real Pulumi CLI", function () {
  this.timeout(10 * 60 * 1000);
  // Placeholders take example values; <stack> is dev. Lines that name prod run with an explicit
  // backend, as README requires.
  const lines = allShellLines(fromRoot("README.md")).filter((line) => line.startsWith("npm run pulumi -- config set") && !steps.includes(line));
  const runnable = (line: string) => line.replace(/--stack <stack>/, "--stack dev").replace(/<[^>]+>/g, "example-value");
  let stacks: RealStacks;
  let results: StepResult[] = [];

  before(function () {
    const toolchain = requireToolchain(this);
    stacks = new RealStacks(toolchain);
    for (const stack of ["dev", "prod"]) stacks.ok(["stack", "init", "--stack", stack]);
    results = runSteps(lines.map(runnable), stacks.root, stacks.env, 8 * 60 * 1000);
  });
  after(() => stacks?.remove());

  it("README has such lines: secrets and the HA settings", () => {
    assert.ok(lines.length >= 8, lines.join("\n"));
  });

  it("each runs as written (placeholders filled) and lands in the stack it names, secrets encrypted", () => {
    assert.equal(results.length, lines.length);
    for (const r of results) {
      assert.equal(r.status, 0, `${r.line}\n${r.output}`);
      const [, secret, key, stack] = /config set (--secret )?(\S+) .* --stack (\S+)/.exec(r.line) ?? [];
      const file = stacks.stackFile(stack);
      assert.match(file, new RegExp(secret ? `^ {2}grafana-k8s:${key}:\\n {4}secure: v1:` : `^ {2}grafana-k8s:${key}: `, "m"), r.line);
    }
  });
});
