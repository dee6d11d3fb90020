/**
 * The file-system half of the drop-in readers (dashboards/imported.ts, alerts/imported.ts):
 * which files under a content folder are read, and their text, or one problem naming the
 * file. Total: no file, link or folder shape makes it throw.
 *
 * Layout: `<root>/*` (dashboards) or nothing at the top (rules), and `<root>/<folder>/*`.
 * - A name with the content extension (exact case) is content; one with the extension in
 *   another case (`a.JSON`) is reported, as is content in deeper folders: nothing that looks
 *   like content is skipped silently. Other files (README.md, the dashboards' modules) and
 *   hidden entries (`.gitkeep`) are not content and are left alone.
 * - A symbolic link is followed only to a target inside the repository (or, for a root
 *   outside it, inside that root); a broken link, a link leading out, a directory or any
 *   other non-file under a content name is reported.
 * - Before parsing: a size limit and valid UTF-8 (a byte-order mark is dropped). Before any
 *   recursive reader: a nesting-depth limit (nestingProblem; a few thousand levels would
 *   overflow the stack; js-yaml enforces its own limit of 100 while parsing).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { isUtf8 } from "node:buffer";
import { Problem } from "./errors";
import { fromRoot, projectRelative } from "./paths";

export interface ContentKind {
  /** "dashboard", "rule file": used in messages. */
  readonly noun: string;
  /** Extensions read, exactly as written (".json"; ".yaml" and ".yml"). */
  readonly extensions: readonly string[];
  /** Files at the root: read (dashboards) or refused with this fix (rules must be in a folder). */
  readonly topLevel: { readonly read: true } | { readonly read: false; readonly fix: string };
  readonly maxBytes: number;
  /** Deepest nesting of objects and lists allowed (JSON); absent: the parser limits it. */
  readonly maxDepth?: number;
}

export interface ContentFile {
  /** Path as listed (under the root; a link is read through). */
  readonly file: string;
  /** Project-relative, for messages. */
  readonly source: string;
  /** The first-level folder it is in; undefined at the root. */
  readonly folder?: string;
}

export interface ContentListing {
  readonly files: ContentFile[];
  readonly problems: Problem[];
}

/** Folders below the content layout are searched this deep for misplaced content. */
const NESTED_SEARCH_DEPTH = 8;

const byName = (a: fs.Dirent, b: fs.Dirent) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
const isInside = (file: string, dir: string) => file === dir || file.startsWith(dir + path.sep);

/** What an entry is once links are resolved, or the problem with the link. */
type Resolved = { readonly type: "file" | "directory" | "other" } | { readonly problem: string };

function resolveEntry(full: string, entry: fs.Dirent, boundary: string): Resolved {
  if (!entry.isSymbolicLink()) return { type: entry.isFile() ? "file" : entry.isDirectory() ? "directory" : "other" };
  let target: string;
  try {
    target = fs.realpathSync(full);
  } catch {
    return { problem: "is a broken symbolic link (its target does not exist)" };
  }
  if (!isInside(target, boundary)) return { problem: `is a symbolic link to ${target}, outside the repository: content is read only from the repository` };
  const stat = fs.statSync(target, { throwIfNoEntry: false });
  return { type: stat?.isFile() ? "file" : stat?.isDirectory() ? "directory" : "other" };
}

function readDir(dir: string, problems: Problem[]): fs.Dirent[] {
  try {
    return fs.readdirSync(dir, { withFileTypes: true }).filter((e) => !e.name.startsWith(".")).sort(byName);
  } catch (err) {
    problems.push({ where: projectRelative(dir), message: `cannot be read (${(err as NodeJS.ErrnoException).code ?? "error"})`, fix: "check the folder's permissions" });
    return [];
  }
}

/** Lists the content files under `root` (see the module comment); never throws. */
export function listContentFiles(root: string, kind: ContentKind): ContentListing {
  const files: ContentFile[] = [];
  const problems: Problem[] = [];
  if (!fs.existsSync(root)) return { files, problems };
  const repository = fs.realpathSync(fromRoot());
  const realRoot = fs.realpathSync(root);
  const boundary = isInside(realRoot, repository) ? repository : realRoot;
  const extensionOf = (name: string) => path.extname(name);
  const exact = (name: string) => kind.extensions.includes(extensionOf(name));
  const looksLike = (name: string) => kind.extensions.some((e) => e.toLowerCase() === extensionOf(name).toLowerCase());
  const report = (full: string, message: string, fix: string) => problems.push({ where: projectRelative(full), message, fix });

  /** Misplaced content anywhere below `dir` (not following links), one problem per folder. */
  const reportNested = (dir: string, parent: string, depth: number): void => {
    const entries = readDir(dir, problems);
    if (entries.some((e) => looksLike(e.name))) {
      const rel = projectRelative(root);
      const read = `${kind.topLevel.read ? `${rel}/ and ` : ""}${rel}/<folder>/`;
      report(dir, `holds ${kind.noun}s in a folder too deep: only those directly in ${read} are read`, `move them up to ${projectRelative(parent)}/`);
    }
    if (depth < NESTED_SEARCH_DEPTH) {
      for (const e of entries) if (e.isDirectory()) reportNested(path.join(dir, e.name), parent, depth + 1);
    }
  };

  const visit = (dir: string, folder: string | undefined): void => {
    for (const entry of readDir(dir, problems)) {
      const full = path.join(dir, entry.name);
      const resolved = resolveEntry(full, entry, boundary);
      const contentName = looksLike(entry.name);
      if ("problem" in resolved) {
        if (contentName || folder === undefined) report(full, resolved.problem, "replace the link with the file itself, committed in the repository");
        continue;
      }
      if (resolved.type === "directory") {
        if (contentName) report(full, `is a directory, not a ${kind.noun}`, `rename it, or move its files up`);
        else if (folder === undefined) visit(full, entry.name);
        else reportNested(full, dir, 1);
        continue;
      }
      if (!contentName) continue;
      if (!exact(entry.name)) {
        const fixed = entry.name.slice(0, -extensionOf(entry.name).length) + extensionOf(entry.name).toLowerCase();
        report(full, `has the extension ${extensionOf(entry.name)}: only ${kind.extensions.join(" and ")} files are read (the case matters)`, `rename it to ${fixed}`);
      } else if (resolved.type !== "file") {
        report(full, `is not a regular file`, `replace it with a ${kind.noun}`);
      } else if (folder === undefined && !kind.topLevel.read) {
        report(full, "is not in a folder sub-directory", kind.topLevel.fix);
      } else {
        files.push({ file: full, source: projectRelative(full), folder });
      }
    }
  };
  visit(root, undefined);
  files.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return { files, problems };
}

/**
 * How deep objects and lists nest in a parsed value, walked with an explicit stack; stops
 * past `limit`. V8's JSON.parse is iterative (100,000 levels parse), but the converter and
 * the schema validator recurse: the depth is checked between the parse and them.
 */
export function nestingDepth(value: unknown, limit: number): number {
  const pending: [unknown, number][] = [[value, 1]];
  let deepest = 0;
  while (pending.length > 0) {
    const [v, depth] = pending.pop()!;
    if (v === null || typeof v !== "object") continue;
    if (depth > deepest && (deepest = depth) > limit) return deepest;
    for (const child of Array.isArray(v) ? v : Object.values(v)) {
      if (child !== null && typeof child === "object") pending.push([child, depth + 1]);
    }
  }
  return deepest;
}

/** The problem with a parsed file nested deeper than its kind allows, if any. */
export function nestingProblem(value: unknown, listed: ContentFile, kind: ContentKind): Problem | undefined {
  if (kind.maxDepth === undefined || nestingDepth(value, kind.maxDepth) <= kind.maxDepth) return undefined;
  return { where: listed.source, message: `nests objects and lists more than ${kind.maxDepth} levels deep`, fix: `flatten it: no Grafana ${kind.noun} nests that deep` };
}

export type ReadContent = { readonly text: string } | { readonly problem: Problem };

/** The text of a listed file, or the one problem that stops it being parsed; never throws. */
export function readContentFile(listed: ContentFile, kind: ContentKind): ReadContent {
  const where = listed.source;
  let bytes: Buffer;
  try {
    const size = fs.statSync(listed.file).size;
    if (size > kind.maxBytes) {
      return { problem: { where, message: `is ${size} bytes, more than the ${kind.maxBytes} a ${kind.noun} may have`, fix: "split it, or remove what it does not need" } };
    }
    bytes = fs.readFileSync(listed.file);
  } catch (err) {
    return { problem: { where, message: `cannot be read (${(err as NodeJS.ErrnoException).code ?? "error"})`, fix: "check the file and its permissions" } };
  }
  if (!isUtf8(bytes)) {
    return { problem: { where, message: "is not valid UTF-8 text", fix: "save it as UTF-8 (Grafana exports are UTF-8)" } };
  }
  return { text: bytes.toString("utf8").replace(/^\uFEFF/, "") };
}
