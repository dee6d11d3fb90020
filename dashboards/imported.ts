/**
 * Drop-in dashboards: JSON files exported from Grafana ("Export for sharing externally")
 * and committed under dashboards/ are deployed as they are, with their datasource inputs
 * pointed at the provisioned Prometheus.
 *
 * - dashboards/*.json        -> folder "imported" ("Imported");
 * - dashboards/<sub>/*.json  -> folder uid <sub>: a declared folder when one has that uid,
 *                               else a new top-level folder titled after <sub>.
 * Deeper folders are not scanned; JSON found there is reported rather than ignored.
 * Files are read once, in sorted path order, so the result is deterministic.
 *
 * Only what prevents conversion is reported here (malformed JSON, datasource inputs,
 * sub-folder names, nesting). Uids, titles, duplicates and layout are validation/'s:
 * a converted dashboard is returned even without a uid, for validation to report.
 */
import * as path from "node:path";
import { PROMETHEUS_DATASOURCE } from "../catalog/datasource";
import { ContentFile, ContentKind, listContentFiles, nestingProblem, readContentFile } from "../lib/content-files";
import { Problem } from "../lib/errors";
import { fromRoot, projectRelative } from "../lib/paths";
import { ImportedDashboard, importedFileDigest } from "../lib/content-record";
import { deepFreeze } from "../lib/deep-freeze";
import { uidFormatProblems } from "../lib/grafana-uid";
import { FOLDERS, IMPORTED_FOLDER } from "./folders";
import { modelShapeProblems } from "./model-shape";
import { panelIds } from "./panel-ids";
import { DashboardModel, DashboardSpec, FolderSpec } from "./types";

export interface ImportedDashboards {
  /** Folders to create for the imported dashboards (declared folders are not repeated). */
  readonly folders: FolderSpec[];
  readonly dashboards: DashboardSpec[];
}

/** Keys of an external export that are not part of the dashboard model. */
const EXPORT_ONLY_KEYS = ["__inputs", "__requires", "__elements"] as const;
/** Instance-specific: Grafana assigns them; keeping them makes updates fail or conflict. */
const INSTANCE_KEYS = ["id", "version"] as const;
/** `${NAME}`: how an export refers to one of its __inputs. */
const INPUT_REFERENCE = /\$\{([A-Za-z0-9_-]+)\}/g;
const WHOLE_INPUT_REFERENCE = /^\$\{([A-Za-z0-9_-]+)\}$/;

interface ExportInput {
  readonly name: string;
  readonly type?: string;
  readonly pluginId?: string;
  readonly value?: string;
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

/**
 * The one normalisation of a dashboard's JSON into the model the program deploys, used by
 * the importer (drop-in files) and by `npm run pull` (dashboards read back from Grafana):
 * strips export-only and instance keys, keeps the uid (if any: validation reports a
 * missing one), and replaces `${DS_...}` datasource inputs with the provisioned
 * Prometheus. Converts `raw` in place (it is the caller's freshly parsed JSON): a copy of
 * every dashboard would double the importer's allocations.
 */
export function normaliseDashboard(raw: unknown, source: string): { model?: DashboardModel; problems: Problem[] } {
  if (!isObject(raw)) {
    const fix = "export the dashboard from Grafana as JSON";
    return { problems: [{ where: source, message: "is not a dashboard (the JSON is not an object)", fix }] };
  }
  const problems: Problem[] = [];
  const inputs = new Map<string, ExportInput>();
  for (const input of Array.isArray(raw.__inputs) ? raw.__inputs : []) {
    if (!isObject(input) || typeof input.name !== "string") continue;
    inputs.set(input.name, input as unknown as ExportInput);
    if (input.type === "datasource" && input.pluginId !== PROMETHEUS_DATASOURCE.type) {
      problems.push({
        where: `${source}: __inputs "${input.name}"`,
        message: `is a "${String(input.pluginId)}" datasource; only Prometheus (uid "${PROMETHEUS_DATASOURCE.uid}") is provisioned`,
        fix: "switch those panels to Prometheus and export again, or remove them",
      });
    }
  }

  const unknownInputs = new Set<string>();
  /** Replacement text for `${name}`, or undefined when it is not an input (e.g. a dashboard variable). */
  const resolve = (name: string): string | undefined => {
    const input = inputs.get(name);
    if (input?.type === "datasource") return PROMETHEUS_DATASOURCE.uid;
    if (input?.type === "constant") return String(input.value ?? "");
    if (!input && name.startsWith("DS_")) unknownInputs.add(name);
    return undefined;
  };
  const substitute = (text: string): string =>
    text.includes("${") ? text.replace(INPUT_REFERENCE, (match, name: string) => resolve(name) ?? match) : text;
  const isDatasourceInput = (text: unknown): boolean => {
    const m = typeof text === "string" ? WHOLE_INPUT_REFERENCE.exec(text) : null;
    return m !== null && inputs.get(m[1])?.type === "datasource";
  };
  const prometheusRef = (): Record<string, unknown> => ({
    type: PROMETHEUS_DATASOURCE.type,
    uid: PROMETHEUS_DATASOURCE.uid,
  });

  const convert = (value: unknown, key?: string): unknown => {
    if (typeof value === "string") {
      // Older exports name the datasource by a string; modern Grafana wants a reference.
      if (key === "datasource" && isDatasourceInput(value)) return prometheusRef();
      return substitute(value);
    }
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) value[i] = convert(value[i]);
      return value;
    }
    if (!isObject(value)) return value;
    if (key === "datasource" && isDatasourceInput(value.uid)) return Object.assign(value, prometheusRef());
    // An own "__proto__" key from JSON.parse is a data property: assigning it stays data.
    for (const k of Object.keys(value)) value[k] = convert(value[k], k);
    return value;
  };

  for (const k of [...EXPORT_ONLY_KEYS, ...INSTANCE_KEYS]) delete raw[k];
  const model = convert(raw) as DashboardModel;

  for (const name of [...unknownInputs].sort()) {
    problems.push({
      where: `${source}: \${${name}}`,
      message: "refers to a datasource input that __inputs does not declare",
      fix:
        `export again with "Export for sharing externally", ` +
        `or replace \${${name}} with the Prometheus uid "${PROMETHEUS_DATASOURCE.uid}"`,
    });
  }
  return { model, problems };
}

export interface ImportOptions {
  /** Files the build converted, by importedFileDigest (lib/content-record.ts): not parsed or converted again. */
  readonly converted?: ReadonlyMap<string, ImportedDashboard>;
  /** Called for every file that converted without problems (the build records them). */
  readonly onConverted?: (digest: string, dashboard: ImportedDashboard) => void;
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
  const declaredByUid = new Map(declaredFolders.map((f) => [f.uid, f]));
  const useFolder = (folder: FolderSpec): void => {
    if (!declaredByUid.has(folder.uid) && !created.has(folder.uid)) created.set(folder.uid, folder);
  };

  const importFile = (listed: ContentFile, folder: FolderSpec): void => {
    const source = listed.source;
    const read = readContentFile(listed, DASHBOARD_FILES);
    if ("problem" in read) {
      problems.push(read.problem);
      return;
    }
    const text = read.text;
    const digest = importedFileDigest(folder.uid, source, text);
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
    const { model, problems: fileProblems } = normaliseDashboard(raw, source);
    problems.push(...fileProblems);
    if (!model || fileProblems.length > 0) return;
    useFolder(folder);
    const spec = { uid: asString(model.uid), title: asString(model.title), folderUid: folder.uid, source, model };
    dashboards.push(spec);
    opts.onConverted?.(digest, { uid: spec.uid, title: spec.title, configJson: JSON.stringify(model), panelIds: [...panelIds(model.panels)] });
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
      folderOf.set(name, folderProblems.length > 0 ? undefined : (declaredByUid.get(name) ?? { uid: name, title: titleCase(name) }));
    }
    return folderOf.get(name);
  };
  for (const listed of listing.files) {
    const folder = listed.folder === undefined ? IMPORTED_FOLDER : folderFor(listed.folder, listed.file);
    if (folder) importFile(listed, folder);
  }

  return { folders: [...created.values()], dashboards, problems };
}
