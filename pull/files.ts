/**
 * What a pull does to the checkout, decided before anything is written: a list of items,
 * each with its file writes and removals. Writes go to a temporary file in the same
 * directory and are renamed into place, so a file is never half-written; nothing is
 * written at all until every request to Grafana has succeeded.
 */
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";

export interface FileWrite {
  readonly file: string;
  readonly text: string;
}

export type Outcome =
  | "create"
  | "update"
  | "move"
  | "unchanged"
  | "built-changed"
  | "built-unchanged"
  | "program-rules"
  | "no-rules";

export interface PullItem {
  /** What the item is about: `dashboard "churn-api-slo"`, `rule group "checkout" (folder team-a)`. */
  readonly subject: string;
  readonly outcome: Outcome;
  /** The file concerned (project-relative): the drop-in file, or the diff file of a built dashboard. */
  readonly file?: string;
  /** For a move: the file it moves from (project-relative). */
  readonly from?: string;
  /** Extra words for the line (what changed, which module builds it). */
  readonly detail?: string;
  readonly writes: readonly FileWrite[];
  readonly removes: readonly string[];
  /** Things the user should know (printed as `  note: ...`). */
  readonly notes: readonly string[];
}

/** A file name from a title: lower case, ASCII letters and digits joined by "-". */
export function slug(title: string): string {
  return title
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60)
    .replace(/-+$/, "");
}

/** Keys sorted at every depth, as Grafana's API returns dashboards (Go marshals maps sorted): re-pulls diff only where something changed. */
export function sortKeysDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeysDeep);
  if (typeof value !== "object" || value === null) return value;
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) sorted[key] = sortKeysDeep((value as Record<string, unknown>)[key]);
  return sorted;
}

/** The pulled form of a JSON document: sorted keys, two-space indentation, final newline. */
export const canonicalJson = (value: unknown): string => `${JSON.stringify(sortKeysDeep(value), null, 2)}\n`;

/** Writes `text` to `file` through a temporary sibling and a rename (atomic on one file system). */
export function writeFileAtomic(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  // A dot name: the importers skip dot files, so a leftover never deploys.
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${crypto.randomBytes(4).toString("hex")}.tmp`);
  try {
    fs.writeFileSync(temp, text);
    fs.renameSync(temp, file);
  } catch (err) {
    fs.rmSync(temp, { force: true });
    throw err;
  }
}

/** The directory `file` would really land in: its nearest existing ancestor with links resolved, plus the rest. */
function realDirectoryOf(file: string): string {
  let existing = path.dirname(path.resolve(file));
  while (!fs.existsSync(existing) && path.dirname(existing) !== existing) existing = path.dirname(existing);
  return path.join(fs.realpathSync(existing), path.relative(existing, path.dirname(path.resolve(file))));
}

/**
 * The first file the items would write or remove outside the checkout, and where it would
 * really land: a linked directory (dashboards/<folder> -> elsewhere) would take a pull's
 * writes out of the repository, where the program never reads (lib/content-files.ts refuses
 * such links too). Checked before anything is written.
 */
export function fileOutsideCheckout(root: string, items: readonly PullItem[]): { file: string; lands: string } | undefined {
  const realRoot = fs.realpathSync(root);
  for (const file of items.flatMap((i) => [...i.writes.map((w) => w.file), ...i.removes])) {
    const lands = realDirectoryOf(file);
    if (lands !== realRoot && !lands.startsWith(realRoot + path.sep)) return { file, lands };
  }
  return undefined;
}

/** Applies every item's writes, then its removals (a move never loses the file it moves). */
export function applyItems(items: readonly PullItem[]): void {
  for (const item of items) for (const w of item.writes) writeFileAtomic(w.file, w.text);
  for (const item of items) for (const file of item.removes) fs.rmSync(file, { force: true });
}

const VERBS: Readonly<Record<Outcome, readonly [dryRun: string, done: string]>> = {
  create: ["would create", "created"],
  update: ["would update", "updated"],
  move: ["would move", "moved"],
  unchanged: ["unchanged", "unchanged"],
  "built-changed": ["would write diff", "wrote diff"],
  "built-unchanged": ["unchanged", "unchanged"],
  "program-rules": ["not written", "not written"],
  "no-rules": ["nothing to pull", "nothing to pull"],
};

/** One line per item (then its notes), in the words of a dry run or of a done pull. */
export function describeItem(item: PullItem, dryRun: boolean): string {
  // A diff already written by an earlier pull, identical: nothing to write again.
  const verb = item.outcome === "built-changed" && item.writes.length === 0 ? "diff up to date" : VERBS[item.outcome][dryRun ? 0 : 1];
  const where = item.from ? `${item.from} -> ${item.file}` : item.file;
  const line = `${verb.padEnd(16)} ${where ? `${where} ` : ""}(${item.subject}${item.detail ? `: ${item.detail}` : ""})`;
  return [line, ...item.notes.map((n) => `  note: ${n}`)].join("\n");
}

/** Whether an item changes the checkout. */
export const changesFiles = (item: PullItem): boolean => item.writes.length > 0 || item.removes.length > 0;
