/**
 * The dashboard registry: every dashboard this project deploys, built (shared defaults
 * applied) or imported (deployed as exported, without them). It builds and converts;
 * checking the result (uids, duplicates, grid, panel ids, queries) is validation/'s job,
 * which the plan runs on every dashboard.
 */
import { DashboardBuilder, DashboardCursorSync } from "@grafana/grafana-foundation-sdk/dashboard";
import { Problem } from "../lib/errors";
import { fromRoot } from "../lib/paths";
import { CHURN_API_TAG } from "./common";
import { FOLDER_UID, FOLDERS } from "./folders";
import { readImportedDashboards } from "./imported";
import { infrastructureDashboard } from "./infrastructure";
import { modelMonitoringDashboard } from "./model-monitoring";
import { performanceDashboard } from "./performance";
import { DashboardContext, DashboardModel, DashboardSpec, FolderSpec, PanelModel } from "./types";

export { DASHBOARD_UID, INFRASTRUCTURE_PANELS, MODEL_PANELS, PERFORMANCE_PANELS } from "./uids";
export { FOLDER_UID, FOLDERS } from "./folders";
export { readImportedDashboards } from "./imported";

/** A dashboard module: where it lives (for error messages), its folder and its builder. */
export interface DashboardModule {
  readonly source: string;
  readonly folderUid: string;
  readonly build: (ctx: DashboardContext) => DashboardBuilder;
}

export const DASHBOARD_MODULES: readonly DashboardModule[] = [
  { source: "dashboards/performance.ts", folderUid: FOLDER_UID.service, build: performanceDashboard },
  { source: "dashboards/model-monitoring.ts", folderUid: FOLDER_UID.ml, build: modelMonitoringDashboard },
  { source: "dashboards/infrastructure.ts", folderUid: FOLDER_UID.infrastructure, build: infrastructureDashboard },
];

/** Tags on every built dashboard (imported ones keep their own): the dashboards link finds siblings by CHURN_API_TAG. */
export const SHARED_TAGS = [CHURN_API_TAG, "managed-by-pulumi"] as const;
export const DEFAULT_REFRESH = "30s";

/**
 * Shared defaults for a built dashboard (imported ones do not get them). Built dashboards
 * are read-only in the UI: changes go through code, and a UI edit would be overwritten by
 * the next deploy.
 */
export function applySharedDefaults(built: DashboardModel): DashboardModel {
  const model = { ...built };
  delete model.id;
  delete model.version;
  const tags = Array.isArray(model.tags) ? (model.tags as string[]) : [];
  model.tags = [...new Set([...SHARED_TAGS, ...tags])];
  model.timezone = "utc";
  model.refresh = typeof model.refresh === "string" && model.refresh !== "" ? model.refresh : DEFAULT_REFRESH;
  model.editable = false;
  model.graphTooltip = DashboardCursorSync.Crosshair;
  return model;
}

/** Top-level panels and rows, then the panels collapsed rows hold. */
export function allPanels(model: DashboardModel): PanelModel[] {
  return (model.panels ?? []).flatMap((p) => [p, ...(p.panels ?? [])]);
}

/**
 * The dashboards built from the modules, shared defaults applied. Not checked here: panel
 * ids, grid and uids of built dashboards are checked by validation/ with the rest.
 */
export function builtDashboards(ctx: DashboardContext): DashboardSpec[] {
  return DASHBOARD_MODULES.map((m) => {
    // JSON round trip: the plain JSON Grafana receives, without undefined fields.
    const model = applySharedDefaults(JSON.parse(JSON.stringify(m.build(ctx).build())) as DashboardModel);
    const uid = typeof model.uid === "string" ? model.uid : "";
    return { uid, title: typeof model.title === "string" ? model.title : "", folderUid: m.folderUid, source: m.source, model };
  });
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
export function collectDashboards(ctx: DashboardContext, dashboardsDir: string = fromRoot("dashboards")): CollectedDashboards {
  const imported = readImportedDashboards(dashboardsDir, FOLDERS);
  const folders = [...FOLDERS, ...imported.folders.filter((f) => !FOLDERS.some((d) => d.uid === f.uid))];
  return { folders, dashboards: [...builtDashboards(ctx), ...imported.dashboards], problems: imported.problems };
}
