/**
 * Drop-in dashboards: JSON files exported from a Grafana (or published by grafana.com and
 * the monitoring mixins) committed under dashboards/ are deployed as they are, normalised
 * as Grafana's own import would (normalise.ts: datasource inputs and mapped uids, a uid
 * derived from the path when there is none, library panels).
 *
 * - dashboards/*.json        -> folder "imported" ("Imported");
 * - dashboards/<uid>/*.json  -> the declared folder with that uid (dashboards/folders.ts);
 *                               a sub-folder that names no declared folder is refused with
 *                               the list of declared ones, never created silently.
 * Files are listed and read through lib/content-files.ts, once, in sorted path order, so
 * the result is deterministic.
 *
 * Only what prevents conversion is reported here (unreadable or malformed JSON, shapes,
 * datasource inputs, library panels, folders). Uids, titles, duplicates and queries are
 * validation/'s.
 */
import * as path from "node:path";
import { DatasourceMapping, NO_MAPPING } from "../catalog/datasource-mapping";
import { ContentFile, ContentKind, listContentFiles, nestingProblem, readContentFile } from "../lib/content-files";
import { Problem } from "../lib/errors";
import { fromRoot, projectRelative } from "../lib/paths";
import { ImportedDashboard, importedFileDigest } from "../lib/content-record";
import { deepFreeze } from "../lib/deep-freeze";
import { uidFormatProblems } from "../lib/grafana-uid";
import { FOLDERS, IMPORTED_FOLDER } from "./folders";
import { modelShapeProblems } from "./model-shape";
import { normaliseDashboard } from "./normalise";
import { panelIds } from "./panel-ids";
import { DashboardModel, DashboardSpec, FolderSpec } from "./types";

export { normaliseDashboard, uidFromPath } from "./normalise";

export interface ImportedDashboards {
  /** Folders to create for the imported dashboards (declared folders are not repeated). */
  readonly folders: FolderSpec[];
  readonly dashboards: DashboardSpec[];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
/** A model field for the spec: "" when missing or not a string, which validation then reports. */
const asString = (v: unknown): string => (typeof v === "string" ? v : "");

/** "platform-team" -> "Platform Team". */
export function titleCase(name: string): string {
  return name
    .split(/[-_]+/)
    .filter(Boolean)
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join(" ");
}

/** JSON.parse's message plus line and column, which editors show and V8 does not always. */
function parseError(text: string, err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const position = /position (\d+)/.exec(message);
  if (!position) return `${message} (at the end of the file)`;
  const before = text.slice(0, Number(position[1]));
  const line = before.split("\n").length;
  const column = before.length - before.lastIndexOf("\n");
  return `${message} (line ${line}, column ${column})`;
}

export interface ImportOptions {
  /** Files the build converted, by importedFileDigest (lib/content-record.ts): not parsed or converted again. */
  readonly converted?: ReadonlyMap<string, ImportedDashboard>;
  /** Called for every file that converted without problems (the build records them). */
  readonly onConverted?: (digest: string, dashboard: ImportedDashboard) => void;
  /** Foreign datasource uids and names -> datasources here (catalog/datasource-mapping.yaml). Default: none. */
  readonly mapping?: DatasourceMapping;
}

/** A dashboard the build converted: its model is parsed from the recorded JSON only if something reads it. */
function recordedSpec(recorded: ImportedDashboard, folderUid: string, source: string): DashboardSpec {
  let model: DashboardModel | undefined;
  return {
    uid: recorded.uid,
    title: recorded.title,
    folderUid,
    source,
    configJson: recorded.configJson,
    panelIds: recorded.panelIds,
    libraryPanels: recorded.libraryPanels,
    // Frozen: the deployed JSON is the recorded text, so the model must not drift from it.
    get model(): DashboardModel {
      return (model ??= deepFreeze(JSON.parse(recorded.configJson) as DashboardModel));
    },
  };
}

/**
 * How drop-in dashboard files are found and read (lib/content-files.ts). 8 MiB is a
 * hundred times the largest real dashboard in ../shared/corpus (82 kB); its deepest
 * nesting is 12 levels.
 */
export const DASHBOARD_FILES: ContentKind = {
  noun: "dashboard",
  extensions: [".json"],
  topLevel: { read: true },
  maxBytes: 8 * 1024 * 1024,
  maxDepth: 64,
};

/**
 * Reads every drop-in dashboard under `root`, collecting the problems that prevent
 * conversion instead of throwing. Everything else (uids, duplicates against the built
 * dashboards, layout, queries) is checked by validation/ on the result.
 */
export function readImportedDashboards(
  root: string = fromRoot("dashboards"),
  declaredFolders: readonly FolderSpec[] = FOLDERS,
  opts: ImportOptions = {},
): ImportedDashboards & { problems: Problem[] } {
  const problems: Problem[] = [];
  const dashboards: DashboardSpec[] = [];
  const created = new Map<string, FolderSpec>();
  // The Imported folder is declared too: created when a dashboard lands in it.
  const declaredByUid = new Map([...declaredFolders, IMPORTED_FOLDER].map((f) => [f.uid, f]));
  const useFolder = (folder: FolderSpec): void => {
    if (!declaredFolders.some((f) => f.uid === folder.uid) && !created.has(folder.uid)) created.set(folder.uid, folder);
  };
  const mapping = opts.mapping ?? NO_MAPPING;

  const importFile = (listed: ContentFile, folder: FolderSpec): void => {
    const source = listed.source;
    const read = readContentFile(listed, DASHBOARD_FILES);
    if ("problem" in read) {
      problems.push(read.problem);
      return;
    }
    const text = read.text;
    const digest = importedFileDigest(`${folder.uid}:${mapping.key}`, source, text);
    const known = opts.converted?.get(digest);
    if (known) {
      useFolder(folder);
      dashboards.push(recordedSpec(known, folder.uid, source));
      return;
    }
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (err) {
      problems.push({
        where: source,
        message: `is not valid JSON: ${parseError(text, err)}`,
        fix: "fix the syntax or export the dashboard again",
      });
      return;
    }
    const tooDeep = nestingProblem(raw, listed, DASHBOARD_FILES);
    const shapeProblems = tooDeep ? [tooDeep] : isObject(raw) ? modelShapeProblems(raw, source) : [];
    if (shapeProblems.length > 0) {
      problems.push(...shapeProblems);
      return;
    }
    const { model, libraryPanels, problems: fileProblems } = normaliseDashboard(raw, { source, path: path.relative(root, listed.file), mapping });
    problems.push(...fileProblems);
    if (!model || fileProblems.length > 0) return;
    useFolder(folder);
    const spec: DashboardSpec = { uid: asString(model.uid), title: asString(model.title), folderUid: folder.uid, source, model, libraryPanels };
    dashboards.push(spec);
    opts.onConverted?.(digest, { uid: spec.uid, title: spec.title, configJson: JSON.stringify(model), panelIds: [...panelIds(model.panels)], libraryPanels });
  };

  // Listed in sorted path order: top-level files interleave with folders.
  const listing = listContentFiles(root, DASHBOARD_FILES);
  problems.push(...listing.problems);
  const folderOf = new Map<string, FolderSpec | undefined>();
  const folderFor = (name: string, file: string): FolderSpec | undefined => {
    if (!folderOf.has(name)) {
      const dir = projectRelative(path.dirname(file));
      const folderProblems = uidFormatProblems(name, dir);
      problems.push(...folderProblems.map((p) => ({ ...p, fix: "rename the folder: its name becomes the Grafana folder uid" })));
      const declared = folderProblems.length > 0 ? undefined : declaredByUid.get(name);
      if (folderProblems.length === 0 && !declared) problems.push(undeclaredFolder(dir, name, [...declaredByUid.keys()]));
      folderOf.set(name, declared);
    }
    return folderOf.get(name);
  };
  for (const listed of listing.files) {
    const folder = listed.folder === undefined ? IMPORTED_FOLDER : folderFor(listed.folder, listed.file);
    if (folder) importFile(listed, folder);
  }

  return { folders: [...created.values()], dashboards, problems };
}

/** A dashboards/<name>/ folder that names no declared folder: refused rather than created behind the reviewer's back. */
function undeclaredFolder(dir: string, name: string, declared: readonly string[]): Problem {
  return {
    where: `${dir}/`,
    message: `"${name}" is not a declared folder, so its dashboards have nowhere to go`,
    fix: `move them to one of the declared folders (${declared.map((d) => `dashboards/${d}/`).join(", ")}), or declare it: add { uid: "${name}", title: "${titleCase(name)}" } to FOLDERS in dashboards/folders.ts`,
  };
}
