#!/usr/bin/env node
// @ts-check
/**
 * The launcher behind the npm scripts: node build/run.js <command> [arguments]
 *
 *   1. parses the arguments against the command's spec (build/commands.js) and answers
 *      --help, before anything is built: a mistake costs no build;
 *   2. brings the build targets the command needs up to date (build/targets.js), each
 *      only when its inputs changed by content (build/stamp.js): a no-op costs a few ms,
 *      a drop-in dashboard or rule edit no compile at all (the program checks content the
 *      build did not record), a module edit one incremental tsc;
 *   3. runs the command's compiled main(args) in this process.
 * Plain JavaScript (type-checked by tsc through JSDoc): it runs before anything is compiled.
 */
"use strict";
const path = require("node:path");
const { performance } = require("node:perf_hooks");
const { describeError, exitWhenFlushed, parseCommandLine, UsageError, usageText } = require("./args");
const { COMMANDS } = require("./commands");
const { currentStamp, differences, readStamp, worthRefreshing, writeStamp } = require("./stamp");
const { ALL, BuildError, stepsOf, TARGETS, targetInputs } = require("./targets");

const ROOT = path.dirname(__dirname);

/** @param {string} line */
const log = (line) => process.stderr.write(`${line}\n`);

/**
 * @param {readonly string[]} files
 * @param {number} [shown]
 */
const someOf = (files, shown = 3) => files.slice(0, shown).join(", ") + (files.length > shown ? ` and ${files.length - shown} more` : "");

/**
 * Brings `names` (and what they build on) up to date; returns their stamps.
 * @param {string} root
 * @param {readonly string[]} names
 * @param {(line: string) => void} report
 * @returns {Map<string, import("./stamp").Stamp>}
 */
function buildTargets(root, names, report) {
  /** @type {Map<string, import("./stamp").Stamp>} */
  const done = new Map();
  /** @param {string} name @returns {import("./stamp").Stamp} */
  const ensure = (name) => {
    const known = done.get(name);
    if (known) return known;
    const target = TARGETS[name];
    /** @type {Record<string, string>} */
    const deps = {};
    for (const dep of target.deps) deps[dep] = ensure(dep).id;
    const previous = readStamp(root, name);
    const now = currentStamp(root, name, targetInputs(root, target), deps, previous);
    if (previous?.id === now.id) {
      // Same content: remember new mtimes (a fresh checkout) so the next check hashes nothing.
      if (worthRefreshing(previous, now)) writeStamp(root, now);
    } else {
      const changed = differences(previous, now);
      const why = !previous ? "first build" : changed.length > 0 ? `changed: ${someOf(changed)}` : `${Object.keys(deps).join(", ")} rebuilt`;
      const started = performance.now();
      for (const step of stepsOf(target)) {
        if (!step.when || step.when({ root, changed })) step.run({ root, changed });
      }
      writeStamp(root, now);
      report(`build: ${name} (${why}) in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    }
    done.set(name, now);
    return now;
  };
  for (const name of names) ensure(name);
  return done;
}

/**
 * @param {readonly string[]} argv
 * @returns {Promise<number>}
 */
async function launch(argv) {
  const [name, ...rest] = argv;
  const spec = COMMANDS[name];
  if (!spec) {
    log(`build/run.js: unknown command "${name ?? ""}": use one of ${Object.keys(COMMANDS).filter((c) => c === "build" || COMMANDS[c].entry).join(", ")}`);
    return 2;
  }
  const args = parseCommandLine(spec, rest, ROOT);
  if (args.help) {
    process.stdout.write(usageText(spec, ROOT));
    return 0;
  }
  if (name === "build") {
    const unknown = args.positionals.filter((t) => !(t in TARGETS));
    if (unknown.length > 0) throw new UsageError(`npm run build: no target "${unknown[0]}": the targets are ${ALL.join(", ")}`);
    buildTargets(ROOT, args.positionals.length > 0 ? args.positionals : ALL, log);
    return 0;
  }
  if (!spec.entry || !spec.targets) throw new Error(`build/commands.js: ${name} has no entry to launch`);
  const flagged = Object.entries(spec.flagTargets ?? {}).flatMap(([flag, targets]) => (args.values[flag] === true ? targets : []));
  buildTargets(ROOT, [...spec.targets, ...flagged], log);
  /** @type {{ main: (args: import("./args").ParsedArgs) => number | Promise<number> }} */
  const entry = require(path.join(ROOT, "bin", spec.entry));
  return entry.main(args);
}

if (require.main === module) {
  launch(process.argv.slice(2)).then(exitWhenFlushed, (/** @type {unknown} */ err) => {
    if (err instanceof UsageError) {
      log(err.message);
      exitWhenFlushed(2);
      return;
    }
    log(err instanceof BuildError ? `build: ${err.message}` : describeError(err));
    exitWhenFlushed(1);
  });
}

module.exports = { buildTargets, launch };
