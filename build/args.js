// @ts-check
/**
 * Command-line parsing shared by the launcher (build/run.js, before anything is compiled)
 * and the compiled CLIs (bin/render/cli.js ...), so both answer --help and refuse a bad
 * argument the same way: node's util.parseArgs tokens, checked against the command's spec
 * (build/commands.js). Every mistake is one line naming what is wrong and what to type.
 */
"use strict";
const fs = require("node:fs");
const { parseArgs } = require("node:util");

/**
 * @typedef {object} OptionSpec
 * @property {"string" | "boolean"} type
 * @property {string} help
 * @property {string} [short] one letter, used as -x
 * @property {string} [value] name of the value in the usage text (<name>)
 * @property {boolean} [multiple] may be repeated; values collect in a list
 * @property {boolean} [commaList] a value may hold several, comma-separated
 * @property {"stack" | "count"} [kind] stack: a committed stack (Pulumi.<stack>.yaml); count: a whole number >= 0
 */

/**
 * @typedef {object} PositionalSpec
 * @property {string} name
 * @property {string} help
 * @property {boolean} [optional]
 * @property {boolean} [variadic] the last one may take any number of values
 * @property {"stack"} [kind]
 */

/**
 * @typedef {object} CommandSpec
 * @property {string} invocation how a user starts it, e.g. "npm run validate --"
 * @property {string} about one paragraph: what it does
 * @property {Readonly<Record<string, OptionSpec>>} options
 * @property {readonly PositionalSpec[]} [positionals]
 * @property {Readonly<Record<string, string>>} [refuses] options people try that this command ignores, with why and what to use
 */

/**
 * @typedef {object} ParsedArgs
 * @property {boolean} help
 * @property {Record<string, string | boolean | string[] | undefined>} values
 * @property {string[]} positionals
 */

/** A mistake on the command line: printed as one line, exit code 2, no stack trace. */
class UsageError extends Error {
  /** @param {string} message */
  constructor(message) {
    super(message);
    this.name = "UsageError";
  }
}

/**
 * Stacks committed in `root`: one Pulumi.<stack>.yaml each.
 * @param {string} root
 * @returns {string[]}
 */
function stacksIn(root) {
  return fs
    .readdirSync(root)
    .flatMap((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1] ?? [])
    .sort();
}

/**
 * @param {string} stack
 * @param {readonly string[]} stacks
 */
function unknownStack(stack, stacks) {
  return `no stack "${stack}": the stacks are ${stacks.join(", ")} (one Pulumi.<stack>.yaml each; add one with pulumi stack init ${stack} and commit Pulumi.${stack}.yaml)`;
}

/**
 * @param {string} name
 * @param {OptionSpec} spec
 */
const optionLabel = (name, spec) => `${spec.short ? `-${spec.short}, ` : ""}--${name}${spec.type === "string" ? ` <${spec.value ?? "value"}>` : ""}`;

/**
 * The usage text --help prints.
 * @param {CommandSpec} spec
 * @param {string} [root] project root, to list the stacks
 */
function usageText(spec, root) {
  const positionals = (spec.positionals ?? []).map((p) => (p.optional ? `[<${p.name}>${p.variadic ? " ..." : ""}]` : `<${p.name}>`));
  const options = Object.keys(spec.options).length > 0 ? ["[options]"] : [];
  const rows = [
    ...(spec.positionals ?? []).map((p) => [`<${p.name}>`, p.help]),
    ...Object.entries(spec.options).map(([name, o]) => [optionLabel(name, o), o.help]),
    ["-h, --help", "print this help and exit"],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  const stacks = root ? stacksIn(root) : [];
  const mentionsStacks = Object.values(spec.options).some((o) => o.kind === "stack") || (spec.positionals ?? []).some((p) => p.kind === "stack");
  return [
    `Usage: ${[spec.invocation, ...options, ...positionals].join(" ")}`,
    "",
    spec.about,
    "",
    "Options:",
    ...rows.map(([label, help]) => `  ${label.padEnd(width)}  ${help}`),
    ...(mentionsStacks && stacks.length > 0 ? ["", `Stacks: ${stacks.join(", ")}`] : []),
    "",
  ].join("\n");
}

/**
 * Parses `argv` against `spec`. Throws a UsageError (one line) for an unknown option or
 * argument, an option without its value (or with one it does not take), an unknown stack
 * or a bad number. `help` is true when -h/--help is given: the caller prints usageText.
 * @param {CommandSpec} spec
 * @param {readonly string[]} argv
 * @param {string} root project root (stacks are its Pulumi.<stack>.yaml files)
 * @returns {ParsedArgs}
 */
function parseCommandLine(spec, argv, root) {
  /** @type {(message: string) => never} */
  const fail = (message) => {
    throw new UsageError(`${spec.invocation.replace(/ --$/, "")}: ${message} (see ${spec.invocation} --help)`);
  };
  /** @type {Record<string, { type: "string" | "boolean", short?: string }>} */
  const options = { help: { type: "boolean", short: "h" } };
  for (const [name, o] of Object.entries(spec.options)) options[name] = o.short ? { type: o.type, short: o.short } : { type: o.type };
  if (argv.some((a) => a === "-h" || a === "--help")) return { help: true, values: {}, positionals: [] };

  const { tokens } = parseArgs({ args: [...argv], options, strict: false, allowPositionals: true, tokens: true });
  /** @type {ParsedArgs["values"]} */
  const values = {};
  /** @type {string[]} */
  const positionals = [];
  let stacks = /** @type {string[] | undefined} */ (undefined);
  const checkStack = (/** @type {string} */ stack) => {
    stacks ??= stacksIn(root);
    if (!stacks.includes(stack)) fail(unknownStack(stack, stacks));
  };
  for (const token of tokens) {
    if (token.kind === "option-terminator") continue;
    if (token.kind === "positional") {
      positionals.push(token.value);
      continue;
    }
    const option = spec.options[token.name];
    if (!option) {
      const why = spec.refuses?.[token.name];
      const known = Object.entries(spec.options).map(([n, o]) => optionLabel(n, o));
      fail(`${token.rawName} is not an option of this command${why ? ` (${why})` : ""}; ${known.length > 0 ? `it takes ${known.join(", ")}` : "it takes no options"}`);
    }
    if (option.type === "boolean") {
      if (token.inlineValue) fail(`${token.rawName} takes no value: write ${token.rawName} alone`);
      values[token.name] = true;
      continue;
    }
    const value = token.value;
    if (value === undefined || value === "" || (!token.inlineValue && value.startsWith("-"))) {
      const stackHint = option.kind === "stack" ? `, one of ${stacksIn(root).join(", ")}` : "";
      fail(`${token.rawName} needs a value: ${token.rawName} <${option.value ?? "value"}>${stackHint}`);
    }
    const items = option.commaList ? value.split(",").filter((v) => v !== "") : [value];
    for (const item of items) {
      if (option.kind === "stack") checkStack(item);
      if (option.kind === "count" && !/^\d+$/.test(item)) fail(`${token.rawName} expects a whole number, not "${item}"`);
    }
    if (option.multiple) values[token.name] = [.../** @type {string[]} */ (values[token.name] ?? []), ...items];
    else values[token.name] = value;
  }
  const declared = spec.positionals ?? [];
  if (positionals.length > declared.length && !declared[declared.length - 1]?.variadic) {
    const extra = positionals[declared.length];
    const stackOption = Object.entries(spec.options).find(([, o]) => o.kind === "stack");
    const hint = stackOption && stacksIn(root).includes(extra) ? `; to pick a stack write --${stackOption[0]} ${extra}` : "";
    fail(`unexpected argument "${extra}"${hint}`);
  }
  declared.forEach((p, i) => {
    const given = positionals[i];
    if (given === undefined) {
      if (!p.optional) fail(`missing <${p.name}>: ${p.help}`);
    } else if (p.kind === "stack") checkStack(given);
  });
  return { help: false, values, positionals };
}

/**
 * Runs a compiled CLI's `main` as its own process: --help, usage errors (exit 2) and
 * errors the CLI throws (one line, exit 1; a stack trace only for a bug, not for bad input).
 * @param {CommandSpec} spec
 * @param {(args: ParsedArgs) => number | Promise<number>} main
 * @param {string} root
 */
function runCli(spec, main, root) {
  const exit = exitWhenFlushed;
  /** @type {ParsedArgs} */
  let args;
  try {
    args = parseCommandLine(spec, process.argv.slice(2), root);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`${err.message}\n`);
    exit(2);
    return;
  }
  if (args.help) {
    process.stdout.write(usageText(spec, root));
    exit(0);
    return;
  }
  Promise.resolve()
    .then(() => main(args))
    .then(exit, (/** @type {unknown} */ err) => {
      process.stderr.write(`${describeError(err)}\n`);
      exit(1);
    });
}

/**
 * Exits with `code` once stdout and stderr are written out (a pipe may still hold output).
 * @param {number} code
 */
function exitWhenFlushed(code) {
  process.stdout.write("", () => process.stderr.write("", () => process.exit(code)));
}

/**
 * One line for an error a user can act on (bad input: its message); a bug keeps its stack.
 * @param {unknown} err
 */
function describeError(err) {
  if (!(err instanceof Error)) return String(err);
  // A Pulumi RunError (InputError is one) or a UsageError is input to fix, not a bug.
  const forTheUser = err instanceof UsageError || "__pulumiRunError" in err;
  return forTheUser ? err.message : err.stack ?? err.message;
}

module.exports = { UsageError, parseCommandLine, usageText, runCli, describeError, exitWhenFlushed, stacksIn };
