/**
 * The dashboard registry: every dashboard this project deploys, built or imported,
 * with shared defaults applied and checked before anything is registered.
 */
import { DashboardBuilder, DashboardCursorSync } from "@grafana/grafana-foundation-sdk/dashboard";
import { InputError, Problem } from "../lib/errors";
import { fromRoot } from "../lib/paths";
import { CHURN_API_TAG } from "./common";
import { FOLDER_UID, FOLDERS, MAX_UID_LENGTH, UID_PATTERN } from "./folders";
import { duplicateUidProblems, readImportedDashboards } from "./imported";
import { infrastructureDashboard } from "./infrastructure";
import { modelMonitoringDashboard } from "./model-monitoring";
import { performanceDashboard } from "./performance";
import { DashboardContext, DashboardModel, DashboardSpec, FolderSpec, PanelModel } from "./types";

export { DASHBOARD_UID, INFRASTRUCTURE_PANELS, MODEL_PANELS, PERFORMANCE_PANELS } from "./uids";
export { FOLDER_UID, FOLDERS } from "./folders";
export { loadImportedDashboards } from "./imported";

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

/** Tags on every managed dashboard: the dashboards link finds siblings by CHURN_API_TAG. */
export const SHARED_TAGS = [CHURN_API_TAG, "managed-by-pulumi"] as const;
export const DEFAULT_REFRESH = "30s";
const GRID_COLUMNS = 24;

/**
 * Shared defaults for a built dashboard. Managed dashboards are read-only in the UI:
 * changes go through code, and a UI edit would be overwritten by the next deploy.
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
 * Panel ids must be set explicitly in the modules (from their *_PANELS constants) and be
 * unique: links and alert rules point at them, so they must not follow panel order.
 * The layout must fit Grafana's 24-column grid without overlaps.
 */
export function builtDashboardProblems(spec: DashboardSpec): Problem[] {
  const problems: Problem[] = [];
  const name = (p: PanelModel): string => `"${p.title ?? p.type}"`;
  const where = (p: PanelModel): string => `${spec.source}: panel ${name(p)}`;
  const panels = allPanels(spec.model);

  const seen = new Map<number, PanelModel>();
  for (const panel of panels) {
    const id = panel.id;
    if (typeof id !== "number" || !Number.isInteger(id) || id <= 0) {
      problems.push({
        where: where(panel),
        message: "has no explicit panel id",
        fix: "call .id() with a new entry of the module's *_PANELS constant",
      });
    } else if (seen.has(id)) {
      problems.push({ where: where(panel), message: `reuses panel id ${id} of ${name(seen.get(id)!)}`, fix: "give it an unused id" });
    } else {
      seen.set(id, panel);
    }
  }

  const placed = panels.filter((p) => p.gridPos);
  placed.forEach((panel, i) => {
    const a = panel.gridPos!;
    if (a.x < 0 || a.w <= 0 || a.x + a.w > GRID_COLUMNS) {
      problems.push({
        where: where(panel),
        message: `spans columns ${a.x}..${a.x + a.w}, beyond the ${GRID_COLUMNS}-column grid`,
        fix: `make the spans of its line add up to ${GRID_COLUMNS}`,
      });
    }
    for (const other of placed.slice(i + 1)) {
      const b = other.gridPos!;
      if (a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h) {
        problems.push({ where: where(panel), message: `overlaps panel ${name(other)}`, fix: "fix the spans and heights of the two lines" });
      }
    }
  });

  if (spec.uid.length > MAX_UID_LENGTH || !UID_PATTERN.test(spec.uid)) {
    problems.push({
      where: spec.source,
      message: `uid "${spec.uid}" is not a valid Grafana uid`,
      fix: `use at most ${MAX_UID_LENGTH} letters, digits, '-' or '_'`,
    });
  }
  return problems;
}

function buildSpecs(ctx: DashboardContext): { dashboards: DashboardSpec[]; problems: Problem[] } {
  const dashboards = DASHBOARD_MODULES.map((m) => {
    // JSON round trip: the plain JSON Grafana receives, without undefined fields.
    const model = applySharedDefaults(JSON.parse(JSON.stringify(m.build(ctx).build())) as DashboardModel);
    const uid = String(model.uid ?? "");
    return { uid, title: String(model.title ?? ""), folderUid: m.folderUid, source: m.source, model };
  });
  return { dashboards, problems: dashboards.flatMap(builtDashboardProblems) };
}

/** The dashboards built from the modules, shared defaults applied. */
export function builtDashboards(ctx: DashboardContext): DashboardSpec[] {
  const { dashboards, problems } = buildSpecs(ctx);
  problems.push(...duplicateUidProblems(dashboards));
  if (problems.length > 0) throw new InputError("Dashboard modules are invalid", problems);
  return dashboards;
}

/**
 * Every folder and dashboard to deploy: declared folders (parents first), then folders
 * created for drop-in JSON; built dashboards, then imported ones in path order.
 * All problems, built and imported, come back in one InputError.
 */
export function loadDashboards(
  ctx: DashboardContext,
  dashboardsDir: string = fromRoot("dashboards"),
): { folders: FolderSpec[]; dashboards: DashboardSpec[] } {
  const built = buildSpecs(ctx);
  const imported = readImportedDashboards(dashboardsDir, FOLDERS);
  const dashboards = [...built.dashboards, ...imported.dashboards];
  const problems = [...built.problems, ...imported.problems, ...duplicateUidProblems(dashboards)];
  if (problems.length > 0) throw new InputError("Dashboards are invalid", problems);
  const folders = [...FOLDERS, ...imported.folders.filter((f) => !FOLDERS.some((d) => d.uid === f.uid))];
  return { folders, dashboards };
}
