// @ts-check
/**
 * Build stamps (bin/stamps/<target>.json): what each build target was made from, by
 * content. A stamp holds, per input file, its SHA-256 and the size and mtime it had when
 * hashed, and the ids of the targets it was built on; its id is a digest of all that.
 *
 * A file is unchanged when its size and mtime are the recorded ones, or, when they are not
 * (a fresh checkout, files copied or restored from a CI artefact), when its content hashes
 * the same: mtimes only save the hashing, they never decide that a changed file is fresh.
 * An mtime within RACY_MS of the snapshot is not trusted at all (an edit in the same clock
 * tick as the build would keep it), as git does for its index. Inputs are hashed before the
 * build runs, so an edit during the build makes the next check stale.
 */
"use strict";
const crypto = require("node:crypto");
const fs = require("node:fs");
const path = require("node:path");

/**
 * @typedef {object} FileState
 * @property {number} size
 * @property {number} mtimeMs
 * @property {string} sha256
 */

/**
 * @typedef {object} Stamp
 * @property {string} target
 * @property {string} id digest of the inputs' hashes and the dependencies' ids
 * @property {number} takenAt when the inputs were hashed (ms since the epoch)
 * @property {Record<string, string>} deps target -> id it was built on
 * @property {Record<string, FileState>} files project-relative path -> state when hashed
 */

/** Mtimes this close to the snapshot are re-hashed on every check (coarse file-system clocks). */
const RACY_MS = 2000;

/** @param {string} root @param {string} target */
const stampPath = (root, target) => path.join(root, "bin", "stamps", `${target}.json`);

/** @param {string} file */
const hashFile = (file) => crypto.createHash("sha256").update(fs.readFileSync(file)).digest("base64url");

/**
 * The stamp of `target`, or undefined when there is none (never built, or bin/ removed).
 * @param {string} root
 * @param {string} target
 * @returns {Stamp | undefined}
 */
function readStamp(root, target) {
  try {
    return JSON.parse(fs.readFileSync(stampPath(root, target), "utf8"));
  } catch {
    return undefined;
  }
}

/**
 * Whether `rel` still has the content `recorded` describes. Cheap when its size and mtime
 * are the recorded ones (and not racy); otherwise it is hashed.
 * @param {string} root
 * @param {string} rel
 * @param {FileState} recorded
 * @param {number} takenAt
 * @returns {{ same: boolean, state?: FileState }} state: the file's current state (undefined when it is gone)
 */
function compareFile(root, rel, recorded, takenAt) {
  const file = path.join(root, rel);
  const stat = fs.statSync(file, { throwIfNoEntry: false });
  if (!stat) return { same: false };
  if (stat.size === recorded.size && stat.mtimeMs === recorded.mtimeMs && recorded.mtimeMs < takenAt - RACY_MS) return { same: true, state: recorded };
  const state = { size: stat.size, mtimeMs: stat.mtimeMs, sha256: hashFile(file) };
  return { same: state.sha256 === recorded.sha256, state };
}

/**
 * The inputs of a stamp that changed or disappeared since it was written, without looking
 * for new files: what the program checks at start-up (a new file changes nothing compiled
 * unless an existing one imports it, and then that one changed).
 * @param {string} root
 * @param {Stamp} stamp
 * @returns {string[]}
 */
function changedInputs(root, stamp) {
  return Object.entries(stamp.files)
    .filter(([rel, recorded]) => !compareFile(root, rel, recorded, stamp.takenAt).same)
    .map(([rel]) => rel);
}

/**
 * The current state of `files`, reusing the hashes of `previous` where size and mtime say
 * nothing changed.
 * @param {string} root
 * @param {readonly string[]} files
 * @param {Stamp | undefined} previous
 * @returns {{ takenAt: number, files: Record<string, FileState> }}
 */
function snapshot(root, files, previous) {
  const takenAt = Date.now();
  /** @type {Record<string, FileState>} */
  const states = {};
  for (const rel of files) {
    const recorded = previous?.files[rel];
    if (recorded) {
      const { state } = compareFile(root, rel, recorded, previous.takenAt);
      if (state) states[rel] = state;
      continue;
    }
    const stat = fs.statSync(path.join(root, rel), { throwIfNoEntry: false });
    if (stat) states[rel] = { size: stat.size, mtimeMs: stat.mtimeMs, sha256: hashFile(path.join(root, rel)) };
  }
  return { takenAt, files: states };
}

/**
 * A stamp's id: the target, its inputs' content and its dependencies' ids.
 * @param {string} target
 * @param {Record<string, FileState>} files
 * @param {Record<string, string>} deps
 */
function stampId(target, files, deps) {
  const hash = crypto.createHash("sha256").update(`${target}\0`);
  for (const rel of Object.keys(files).sort()) hash.update(`${rel}\0${files[rel].sha256}\0`);
  for (const dep of Object.keys(deps).sort()) hash.update(`dep:${dep}\0${deps[dep]}\0`);
  return hash.digest("base64url");
}

/**
 * The stamp `target` would have now.
 * @param {string} root
 * @param {string} target
 * @param {readonly string[]} files
 * @param {Record<string, string>} deps
 * @param {Stamp | undefined} previous
 * @returns {Stamp}
 */
function currentStamp(root, target, files, deps, previous) {
  const { takenAt, files: states } = snapshot(root, files, previous);
  return { target, id: stampId(target, states, deps), takenAt, deps, files: states };
}

/**
 * Files whose content differs between two stamps, or that only one of them has.
 * @param {Stamp | undefined} before
 * @param {Stamp} now
 */
function differences(before, now) {
  const names = new Set([...Object.keys(before?.files ?? {}), ...Object.keys(now.files)]);
  return [...names].filter((rel) => before?.files[rel]?.sha256 !== now.files[rel]?.sha256).sort();
}

/**
 * Whether a stamp with the same id as `previous` is worth writing: files' mtimes moved (a
 * fresh checkout) or some were too recent to trust, so the next check would hash them again.
 * @param {Stamp} previous
 * @param {Stamp} now
 */
function worthRefreshing(previous, now) {
  return Object.entries(now.files).some(([rel, state]) => {
    const before = previous.files[rel];
    return before?.mtimeMs !== state.mtimeMs || before.mtimeMs >= previous.takenAt - RACY_MS;
  });
}

/**
 * @param {string} root
 * @param {Stamp} stamp
 */
function writeStamp(root, stamp) {
  fs.mkdirSync(path.dirname(stampPath(root, stamp.target)), { recursive: true });
  fs.writeFileSync(stampPath(root, stamp.target), `${JSON.stringify(stamp, null, 1)}\n`);
}

module.exports = { RACY_MS, stampPath, readStamp, changedInputs, currentStamp, differences, worthRefreshing, writeStamp };
