// @ts-check
/**
 * What the build makes, from what, and how. Each target has inputs (a tsconfig's include
 * and data-file patterns), the targets it builds on, and steps; build/run.js runs a target's
 * steps only when its stamp (build/stamp.js) says an input or a dependency changed.
 *
 * To add a folder of program code, list it in tsconfig.program.json's "include": tsc then
 * compiles it and the stamp covers it (tsc refuses, TS6307, a program file importing a file
 * outside that list). Test-only code goes under tests/, benchmarks under bench/.
 */
"use strict";
const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");
const { filesMatching, tsconfigInputs } = require("./inputs");

/**
 * @typedef {object} StepContext
 * @property {string} root
 * @property {readonly string[]} changed inputs whose content changed since the last build (every input on a first build)
 */

/**
 * @typedef {object} Step
 * @property {string} about
 * @property {(ctx: StepContext) => boolean} [when] runs only when this says so (default: always)
 * @property {(ctx: StepContext) => void} run throws a BuildError when it fails
 */

/**
 * @typedef {object} Target
 * @property {string} about
 * @property {string} [tsconfig] compiled first (tsc -p), its include and config files being inputs
 * @property {readonly string[]} inputs further inputs (patterns of build/inputs.js)
 * @property {readonly string[]} deps targets built first, whose ids are part of this one's
 * @property {readonly Step[]} steps after the compile
 */

/** A build step failed; its own output has been shown. */
class BuildError extends Error {
  /** @param {string} message */
  constructor(message) {
    super(message);
    this.name = "BuildError";
  }
}

/**
 * The TypeScript compiler the build uses: TypeScript 7, the native port (the same output as
 * 5.9, several times faster). The "typescript" package stays 5.9 for the JavaScript API
 * that ts-node and @pulumi/pulumi's runner need (7.0 has none).
 * @param {string} root
 */
function tscPath(root) {
  const dir = path.join(root, "node_modules", "typescript-native");
  /** @type {{ bin: { tsc: string } }} */
  const pkg = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
  return path.join(dir, pkg.bin.tsc);
}

/**
 * Runs `node <args>` in the project root, its output shown; throws a BuildError when it fails.
 * @param {string} root
 * @param {readonly string[]} args
 * @param {string} what
 */
function node(root, args, what) {
  const run = spawnSync(process.execPath, args, { cwd: root, stdio: ["ignore", "inherit", "inherit"] });
  if (run.status !== 0) throw new BuildError(`${what} failed${run.error ? `: ${run.error.message}` : ""}`);
}

/** @param {string} tsconfig @returns {Step} */
const compile = (tsconfig) => ({
  about: `tsc -p ${tsconfig}`,
  run: ({ root }) => node(root, [tscPath(root), "-p", tsconfig], `tsc -p ${tsconfig} (fix the errors above)`),
});

/**
 * Removes compiled files under bin/<dir> whose source (<dir>/x.ts or .js) is gone: tsc never
 * deletes an output, and mocha runs every compiled test under bin/tests, so a deleted or renamed
 * test would otherwise keep running from its stale copy.
 * @param {string} root
 * @param {string} dir
 */
function pruneOrphans(root, dir) {
  const out = path.join(root, "bin", dir);
  if (!fs.existsSync(out)) return;
  for (const entry of fs.readdirSync(out, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith(".js")) continue;
    const compiled = path.join(entry.parentPath, entry.name);
    const source = path.join(root, path.relative(path.join(root, "bin"), compiled)).replace(/\.js$/, "");
    if (!fs.existsSync(`${source}.ts`) && !fs.existsSync(`${source}.js`)) fs.rmSync(compiled);
  }
}

/** What the ajv validators are generated from (scripts/compile-schemas.ts). */
const SCHEMA_INPUTS = ["validation/schema/dashboard.schema.json", "validation/dashboard-validators.ts", "validation/lenient-schema.ts", "scripts/compile-schemas.ts", "package-lock.json"];
const SCHEMA_OUTPUT = "bin/validation/schema/dashboard-validators.js";

/** @type {Readonly<Record<string, Target>>} */
const TARGETS = {
  program: {
    about: "the program and its tools: index.ts, render, validate, docs, build steps",
    tsconfig: "tsconfig.program.json",
    inputs: ["validation/schema/*.json", "package-lock.json"],
    deps: [],
    steps: [
      {
        about: "dashboard schema validators (scripts/compile-schemas.ts)",
        when: ({ root, changed }) => changed.some((f) => SCHEMA_INPUTS.includes(f)) || !fs.existsSync(path.join(root, SCHEMA_OUTPUT)),
        run: ({ root }) => node(root, ["bin/scripts/compile-schemas.js"], "scripts/compile-schemas.ts"),
      },
      {
        // Code, not content: the modules' dashboards change only with the program.
        about: "dashboards built by the modules (scripts/compile-dashboards.ts)",
        run: ({ root }) => node(root, ["bin/scripts/compile-dashboards.js"], "scripts/compile-dashboards.ts"),
      },
    ],
  },
  policy: { about: "the CrossGuard policy pack (policy/)", tsconfig: "tsconfig.policy.json", inputs: ["package-lock.json"], deps: [], steps: [] },
  workload: { about: "the reference churn API (workload/)", tsconfig: "tsconfig.workload.json", inputs: ["package-lock.json"], deps: ["program"], steps: [] },
  preview: {
    about: "the previews with data (preview/: runs the workload's code, draws with vega and @grafana/data)",
    tsconfig: "tsconfig.preview.json",
    inputs: ["package-lock.json"],
    deps: ["program", "workload"],
    steps: [],
  },
  bench: { about: "the benchmark (bench/)", tsconfig: "tsconfig.bench.json", inputs: ["package-lock.json"], deps: ["program"], steps: [] },
  tests: {
    about: "the tests (tests/)",
    tsconfig: "tsconfig.tests.json",
    inputs: ["package-lock.json"],
    deps: ["program", "policy", "workload", "preview"],
    steps: [{ about: "remove compiled tests whose source is gone", run: ({ root }) => pruneOrphans(root, "tests") }],
  },
  record: {
    // Speed only: the program checks whatever is not recorded (lib/content-record.ts), and a
    // record made by another build of the program is ignored.
    about: "the record of drop-in content converted and checked (scripts/compile-content.ts)",
    inputs: ["dashboards/**/*.json", "alerts/rules/**/*.yaml", "alerts/rules/**/*.yml", "alerts/rules/**/*.json", "catalog/datasource-mapping.yaml", "Pulumi.yaml", "Pulumi.*.yaml"],
    deps: ["program"],
    steps: [{ about: "compile-content", run: ({ root }) => node(root, ["bin/scripts/compile-content.js"], "scripts/compile-content.ts") }],
  },
};

/** `npm run build` with no target: everything, in an order that respects dependencies. */
const ALL = ["program", "policy", "workload", "preview", "bench", "tests", "record"];

/**
 * Every step of `target`: its compile, then its own steps.
 * @param {Target} target
 * @returns {Step[]}
 */
const stepsOf = (target) => [...(target.tsconfig ? [compile(target.tsconfig)] : []), ...target.steps];

/**
 * The input files of `target` now.
 * @param {string} root
 * @param {Target} target
 */
function targetInputs(root, target) {
  const compiled = target.tsconfig ? tsconfigInputs(root, target.tsconfig) : { sources: [], configs: [] };
  return [...new Set([...compiled.sources, ...compiled.configs, ...filesMatching(root, target.inputs)])].sort();
}

module.exports = { TARGETS, ALL, BuildError, stepsOf, targetInputs, tscPath };
