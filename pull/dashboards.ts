/**
 * Dashboards read back from Grafana, decided into file changes:
 * - a drop-in dashboard is written where the program reads it from,
 *   dashboards/<folder-uid>/<slug>.json, normalised exactly as the importer normalises it
 *   (normaliseDashboard), keys sorted; a file whose deployed model Grafana still holds is
 *   left as it is, so re-pulling an unchanged dashboard changes nothing;
 * - a dashboard the program builds in TypeScript is never written: what changed in the UI
 *   goes, panel by panel, to out/pull/dashboards/<uid>.diff.json.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { isDeepStrictEqual } from "node:util";
import { normaliseDashboard } from "../dashboards/imported";
import { IMPORTED_FOLDER } from "../dashboards/folders";
import type { DashboardModel, DashboardSpec } from "../dashboards/types";
import { uidFormatProblems } from "../lib/grafana-uid";
import { dashboardDiff, isEmptyDiff, summariseDiff } from "./dashboard-diff";
import { canonicalJson, PullItem, slug } from "./files";
import { DashboardWithMeta, FolderInfo, GrafanaApi, PullError } from "./grafana-api";
import { checkoutRelative, ProgramContent } from "./project";

/** Where the diffs of built dashboards go: build output, not source (out/ is git-ignored). */
export const DIFF_DIR = path.join("out", "pull", "dashboards");

/** The dashboards a selection names, with the folders met on the way (for notes). */
export interface DashboardSelection {
  readonly uids: readonly string[];
  readonly folders: ReadonlyMap<string, FolderInfo>;
}

/** `--dashboard` uids, then every dashboard of each `--folder` and of its nested folders, each uid once. */
export async function selectDashboards(api: GrafanaApi, dashboardUids: readonly string[], folderUids: readonly string[]): Promise<DashboardSelection> {
  const uids = new Set(dashboardUids);
  const folders = new Map<string, FolderInfo>();
  const walk = async (folder: FolderInfo): Promise<void> => {
    if (folders.has(folder.uid)) return;
    folders.set(folder.uid, folder);
    for (const hit of await api.dashboardsIn(folder.uid)) uids.add(hit.uid);
    for (const sub of await api.subfolders(folder.uid)) await walk(sub);
  };
  for (const uid of folderUids) await walk(await api.folder(uid));
  return { uids: [...uids], folders };
}

/** The normalised model of a dashboard's JSON, and what the importer would report about it. */
function normalised(raw: unknown, where: string): { model: DashboardModel; problems: string[] } {
  const { model, problems } = normaliseDashboard(raw, where);
  if (!model) throw new PullError(`${where}: ${problems.map((p) => p.message).join("; ")}`);
  return { model, problems: problems.map((p) => `${p.where}: ${p.message}${p.fix ? ` (${p.fix})` : ""}`) };
}

/** The model a drop-in file deploys, or undefined when it cannot be read as a dashboard. */
function fileModel(file: string): DashboardModel | undefined {
  try {
    return normaliseDashboard(JSON.parse(fs.readFileSync(file, "utf8").replace(/^\uFEFF/, "")), file).model;
  } catch {
    return undefined;
  }
}

function builtItem(content: ProgramContent, spec: DashboardSpec, live: DashboardModel, liveFolder: string): PullItem {
  const diffFile = path.join(content.root, DIFF_DIR, `${spec.uid}.diff.json`);
  const diff = dashboardDiff(spec.model, live);
  const folderMoved = liveFolder !== spec.folderUid;
  const subject = `dashboard "${spec.uid}", built by ${spec.source}`;
  if (isEmptyDiff(diff) && !folderMoved) {
    const stale = fs.existsSync(diffFile);
    return {
      subject,
      outcome: "built-unchanged",
      detail: stale ? `same as the ${content.stack} build; removes the stale ${checkoutRelative(content, diffFile)}` : `same as the ${content.stack} build`,
      writes: [],
      removes: stale ? [diffFile] : [],
      notes: [],
    };
  }
  const report = {
    uid: spec.uid,
    title: spec.title,
    module: spec.source,
    comparedWith: `the ${content.stack} stack's build of ${spec.source} ("code") and the dashboard in Grafana ("grafana")`,
    ...(folderMoved ? { folder: { code: spec.folderUid, grafana: liveFolder } } : {}),
    ...diff,
  };
  const what = [summariseDiff(diff), folderMoved ? `moved to folder "${liveFolder}"` : ""].filter(Boolean).join(", ");
  const text = `${JSON.stringify(report, null, 2)}\n`;
  const current = fs.existsSync(diffFile) ? fs.readFileSync(diffFile, "utf8") : undefined;
  return {
    subject,
    outcome: "built-changed",
    file: checkoutRelative(content, diffFile),
    detail: `changed in Grafana (${what}); the module is not overwritten: port the change to ${spec.source}`,
    writes: current === text ? [] : [{ file: diffFile, text }],
    removes: [],
    notes: [],
  };
}

/**
 * A folder the program does not declare: the exact FOLDERS entry that deploys it as Grafana
 * holds it (title, nesting); undeclared, the program titles it after its uid at the top level.
 */
function folderNotes(content: ProgramContent, folder: FolderInfo | undefined, folderUid: string): string[] {
  if (folderUid === "" || content.declaredFolders.has(folderUid) || !folder) return [];
  const entry = `{ uid: ${JSON.stringify(folderUid)}, title: ${JSON.stringify(folder.title)}${folder.parentUid ? `, parentUid: ${JSON.stringify(folder.parentUid)}` : ""} }`;
  const nested = folder.parentUid ? `, nested in "${folder.parentUid}"` : "";
  return [`folder "${folderUid}" ("${folder.title}"${nested}) is not declared: add ${entry} to FOLDERS in dashboards/folders.ts so the program deploys it as Grafana holds it`];
}

/** Where a new drop-in file goes: dashboards/<folder>/<slug>.json, or dashboards/<slug>.json for Grafana's General folder. */
function newFilePath(content: ProgramContent, folderUid: string, uid: string, title: string, taken: ReadonlySet<string>): string {
  const dir = folderUid === "" ? path.join(content.root, "dashboards") : path.join(content.root, "dashboards", folderUid);
  const base = slug(title) || uid;
  const first = path.join(dir, `${base}.json`);
  // Another dashboard's file (or one chosen in this pull) already has the name: add the uid.
  return fs.existsSync(first) || taken.has(first) ? path.join(dir, `${base}-${uid}.json`) : first;
}

function dropInItem(
  content: ProgramContent,
  uid: string,
  found: DashboardWithMeta,
  live: { model: DashboardModel; problems: string[] },
  folder: FolderInfo | undefined,
  taken: Set<string>,
): PullItem {
  const folderUid = found.meta.folderUid ?? "";
  const title = typeof live.model.title === "string" ? live.model.title : uid;
  const subject = `dashboard "${uid}"`;
  if (folderUid !== "") {
    const problems = uidFormatProblems(folderUid, `folder "${folderUid}"`);
    if (problems.length > 0) throw new PullError(`${subject} is in ${problems[0].where}, which cannot be a dashboards/ sub-directory: ${problems[0].message}`);
  }
  const notes = [...folderNotes(content, folder, folderUid), ...live.problems.map((p) => `the program will refuse it: ${p}`)];
  if (folderUid === "") {
    notes.push(`it is in Grafana's General folder; the program deploys dashboards/*.json to the "${IMPORTED_FOLDER.title}" folder`);
  }
  const existing = content.dropIns.get(uid);
  // The program reads a file's folder from its directory: keep the file while it is in the right one.
  const sameFolder = existing && (existing.folderUid === folderUid || (folderUid === "" && path.dirname(existing.file) === path.join(content.root, "dashboards")));
  const file = sameFolder ? existing.file : newFilePath(content, folderUid, uid, title, taken);
  taken.add(file);
  const text = canonicalJson(live.model);
  const base = { subject, file: checkoutRelative(content, file), notes };
  if (existing && sameFolder) {
    const current = fileModel(existing.file);
    if (current && isDeepStrictEqual(current, live.model)) return { ...base, outcome: "unchanged", writes: [], removes: [] };
    return { ...base, outcome: "update", detail: current ? "changed in Grafana" : "replaces a file that is not a readable dashboard", writes: [{ file, text }], removes: [] };
  }
  if (existing) {
    return { ...base, outcome: "move", from: checkoutRelative(content, existing.file), detail: `moved to folder "${folderUid || "General"}" in Grafana`, writes: [{ file, text }], removes: [existing.file] };
  }
  return { ...base, outcome: "create", detail: `"${title}"`, writes: [{ file, text }], removes: [] };
}

/** Fetches every selected dashboard and decides what to write; writes nothing. */
export async function planDashboards(api: GrafanaApi, content: ProgramContent, selection: DashboardSelection): Promise<PullItem[]> {
  const items: PullItem[] = [];
  const taken = new Set<string>();
  const folders = new Map(selection.folders);
  for (const uid of selection.uids) {
    const found = await api.dashboard(uid);
    const live = normalised(found.dashboard, `dashboard "${uid}" from Grafana`);
    const folderUid = found.meta.folderUid ?? "";
    const built = content.built.get(uid);
    if (built) {
      items.push(builtItem(content, built, live.model, folderUid));
      continue;
    }
    if (folderUid !== "" && !folders.has(folderUid) && !content.declaredFolders.has(folderUid)) folders.set(folderUid, await api.folder(folderUid));
    items.push(dropInItem(content, uid, found, live, folders.get(folderUid), taken));
  }
  return items;
}
