/**
 * The dashboards built by this project's modules with the grafana-foundation-sdk, shared
 * defaults applied. Stack-independent: `npm run build` runs this once and writes the JSON
 * the program deploys (prebuilt.ts), so the SDK is not loaded on the deploy path; per-stack
 * values are applied afterwards (stack-context.ts).
 */
import { DashboardBuilder, DashboardCursorSync } from "@grafana/grafana-foundation-sdk/dashboard";
import { CHURN_API_TAG } from "./common";
import { FOLDER_UID } from "./folders";
import { infrastructureDashboard } from "./infrastructure";
import { modelMonitoringDashboard } from "./model-monitoring";
import { performanceDashboard } from "./performance";
import { DashboardModel, DashboardSpec, PanelModel } from "./types";

/** A dashboard module: where it lives (for error messages), its folder and its builder. */
export interface DashboardModule {
  readonly source: string;
  readonly folderUid: string;
  readonly build: () => DashboardBuilder;
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

/**
 * Panel options the SDK (0.0.21) still emits but Grafana 13's panel schemas dropped, by
 * panel type. Table: `options.footer` moved to `fieldConfig.defaults.custom.footer.reducers`
 * in Grafana 12.2 (grafana/grafana#102948, TableNG); Grafana migrates and deletes the old
 * object, so a footer that shows nothing is simply left out.
 */
export const DROPPED_PANEL_OPTIONS: Readonly<Record<string, readonly string[]>> = { table: ["footer"] };

/** The panel as Grafana 13 stores it: without options its schema no longer has. */
export function currentPanel(panel: PanelModel): PanelModel {
  const dropped = DROPPED_PANEL_OPTIONS[panel.type ?? ""];
  const options = panel.options as Record<string, unknown> | undefined;
  const nested = panel.panels ? { panels: panel.panels.map(currentPanel) } : {};
  if (!dropped || !options) return { ...panel, ...nested };
  return { ...panel, ...nested, options: Object.fromEntries(Object.entries(options).filter(([k]) => !dropped.includes(k))) };
}

/**
 * Every module's dashboard, shared defaults applied, before per-stack values. Not checked
 * here: panel ids, grid and uids are checked by validation/ with the rest.
 */
export function buildDashboards(): DashboardSpec[] {
  return DASHBOARD_MODULES.map((m) => {
    // JSON round trip: the plain JSON Grafana receives, without undefined fields.
    const built = JSON.parse(JSON.stringify(m.build().build())) as DashboardModel;
    const model = applySharedDefaults({ ...built, panels: built.panels?.map(currentPanel) });
    const uid = typeof model.uid === "string" ? model.uid : "";
    return { uid, title: typeof model.title === "string" ? model.title : "", folderUid: m.folderUid, source: m.source, model };
  });
}
