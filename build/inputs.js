// @ts-check
/**
 * The files a build target is made from, listed without TypeScript (the launcher runs
 * before anything is compiled). Patterns, relative to the project root or to a tsconfig:
 *   "folder"              every source file under it (tsc's reading of an `include` folder)
 *   "folder/*.ext"        files directly in the folder ("*" matches within one name)
 *   "folder/**\/*.ext"     files anywhere under the folder
 * A tsconfig's `include` is read with the same rules, so a folder added there is built
 * and stamped alike; tests/unit/build.test.ts checks the listing against tsc's own.
 */
"use strict";
const fs = require("node:fs");
const path = require("node:path");

/** What tsc reads from an `include` folder with allowJs (TypeScript's and JavaScript's extensions). */
const SOURCE = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/;
/** Never entered by a wildcard (tsc's own implicit excludes), nor are dot-folders. */
const NEVER = new Set(["node_modules", "bower_components", "jspm_packages"]);

/**
 * Files under `dir` (project-relative, "" for the root) whose name `accept`s, sorted.
 * @param {string} root
 * @param {string} dir
 * @param {boolean} recursive
 * @param {(name: string) => boolean} accept
 * @param {string[]} out
 */
function collect(root, dir, recursive, accept, out) {
  /** @type {fs.Dirent[]} */
  let entries;
  try {
    entries = fs.readdirSync(path.join(root, dir), { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    const rel = dir ? `${dir}/${entry.name}` : entry.name;
    if (entry.isDirectory()) {
      if (recursive && !entry.name.startsWith(".") && !NEVER.has(entry.name)) collect(root, rel, true, accept, out);
    } else if (entry.isFile() && !entry.name.startsWith(".") && accept(entry.name)) {
      out.push(rel);
    }
  }
}

/**
 * A name pattern ("*.ts", "Pulumi*.yaml") as a test.
 * @param {string} glob
 * @returns {(name: string) => boolean}
 */
function nameTest(glob) {
  const regex = new RegExp(`^${glob.split("*").map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join("[^/]*")}$`);
  return (name) => regex.test(name);
}

/**
 * Files matching one pattern (see the top of this file), project-relative.
 * @param {string} root
 * @param {string} pattern relative to the root
 * @returns {string[]}
 */
function expand(root, pattern) {
  const clean = path.posix.normalize(pattern).replace(/\/$/, "");
  const slash = clean.lastIndexOf("/");
  const last = clean.slice(slash + 1);
  const dir = slash < 0 ? "" : clean.slice(0, slash);
  /** @type {string[]} */
  const out = [];
  if (!last.includes("*")) {
    const stat = fs.statSync(path.join(root, clean), { throwIfNoEntry: false });
    if (stat?.isFile()) out.push(clean);
    else if (stat?.isDirectory()) collect(root, clean === "." ? "" : clean, true, (name) => SOURCE.test(name), out);
    return out;
  }
  if (dir.includes("*")) {
    if (!dir.endsWith("**") || dir.slice(0, -2).includes("*")) throw new Error(`build/inputs.js: unsupported pattern "${pattern}" (use folder, folder/*.ext or folder/**/*.ext)`);
    collect(root, dir.slice(0, -3), true, nameTest(last), out);
  } else {
    collect(root, dir, false, nameTest(last), out);
  }
  return out;
}

/**
 * Every file matching any of `patterns`, project-relative, sorted and unique.
 * @param {string} root
 * @param {readonly string[]} patterns
 */
function filesMatching(root, patterns) {
  return [...new Set(patterns.flatMap((p) => expand(root, p)))].sort();
}

/**
 * The sources a tsconfig compiles as its own (its `include`, resolved from its folder),
 * and the config files it reads (itself and the configs it extends).
 * @param {string} root
 * @param {string} tsconfig project-relative
 * @returns {{ sources: string[], configs: string[] }}
 */
function tsconfigInputs(root, tsconfig) {
  /** @type {string[]} */
  const configs = [];
  /** @type {string[] | undefined} */
  let include;
  let at = tsconfig;
  for (;;) {
    configs.push(at);
    /** @type {{ include?: string[], extends?: string, exclude?: string[], files?: string[] }} */
    const config = JSON.parse(fs.readFileSync(path.join(root, at), "utf8"));
    if (config.exclude || config.files) throw new Error(`build/inputs.js reads only "include" (in ${at}): list folders there instead of "exclude"/"files"`);
    include ??= config.include?.map((p) => path.posix.join(path.posix.dirname(at), p));
    if (!config.extends) break;
    at = path.posix.join(path.posix.dirname(at), config.extends);
  }
  return { sources: filesMatching(root, include ?? []), configs };
}

module.exports = { filesMatching, tsconfigInputs };
