/**
 * The dashboard registry: every dashboard this project deploys, built (by the modules, at
 * build time: built.ts, prebuilt.ts) or imported (deployed as exported). It assembles and
 * converts; checking the result (uids, duplicates, grid, panel ids, queries) is
 * validation/'s job, which the plan runs on every dashboard. Loads no builder library.
 */
import { Problem } from "../lib/errors";
import { fromRoot } from "../lib/paths";
import { FOLDERS } from "./folders";
import { ImportOptions, readImportedDashboards } from "./imported";
import { prebuiltDashboards } from "./prebuilt";
import { applyStackContext } from "./stack-context";
import { DashboardContext, DashboardModel, DashboardSpec, FolderSpec, PanelModel } from "./types";

export { DASHBOARD_UID, INFRASTRUCTURE_PANELS, MODEL_PANELS, PERFORMANCE_PANELS } from "./uids";
export { FOLDER_UID, FOLDERS } from "./folders";
export { readImportedDashboards } from "./imported";
export { applyStackContext } from "./stack-context";

/** Top-level panels and rows, then the panels collapsed rows hold. */
export function allPanels(model: DashboardModel): PanelModel[] {
  return (model.panels ?? []).flatMap((p) => [p, ...(p.panels ?? [])]);
}

/** The built dashboards with this stack's values. */
export function builtDashboards(ctx: DashboardContext): DashboardSpec[] {
  return prebuiltDashboards().map((d) => ({ ...d, model: applyStackContext(d.model, ctx) }));
}

export interface CollectedDashboards {
  readonly folders: FolderSpec[];
  readonly dashboards: DashboardSpec[];
  /** What prevented importing a drop-in JSON file; empty when everything converted. */
  readonly problems: Problem[];
}

/**
 * Every folder and dashboard to deploy: declared folders (parents first), then folders
 * created for drop-in JSON; built dashboards, then imported ones in path order. Does not
 * throw: the caller merges `problems` with validation's into one InputError.
 */
export function collectDashboards(ctx: DashboardContext, dashboardsDir: string = fromRoot("dashboards"), opts: ImportOptions = {}): CollectedDashboards {
  const imported = readImportedDashboards(dashboardsDir, FOLDERS, opts);
  const folders = [...FOLDERS, ...imported.folders.filter((f) => !FOLDERS.some((d) => d.uid === f.uid))];
  return { folders, dashboards: [...builtDashboards(ctx), ...imported.dashboards], problems: imported.problems };
}
