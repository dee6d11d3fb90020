/**
 * An imported dashboard as Grafana shows it, for validation: Grafana upgrades a stored
 * model step by step when it loads it (grafana/grafana apps/dashboard/pkg/migration/ on
 * the server, public/app/features/dashboard/state/DashboardMigrator.ts in the browser),
 * so checks run on the upgraded copy rather than on the raw file. Only the steps that
 * change what the checks read are reproduced (own code, same rules):
 *   - schema 16: legacy `rows` become row panels and grid-placed panels (schemaversion/v16.go),
 *     so the queries, datasources and variables of a pre-2017 dashboard are checked too;
 *   - the panel defaults the PanelModel constructor fills in (migration/frontend_defaults.go):
 *     a missing gridPos or gridPos field is {x: 0, y: 0, w: 6, h: 3};
 *   - library panels: Grafana shows the library element's model in the panel's place.
 * The deployed model is left as committed; Grafana applies the same steps itself.
 */
import { DashboardModel, LibraryPanelSpec } from "../dashboards/types";

type JsonObject = Record<string, unknown>;
const isObject = (v: unknown): v is JsonObject => typeof v === "object" && v !== null && !Array.isArray(v);

const GRID_COLUMNS = 24;
/** DashboardMigrator's constants for the schema 16 upgrade (px of the old layout). */
const DEFAULT_PANEL_SPAN = 4;
const DEFAULT_ROW_HEIGHT = 250;
const GRID_CELL_HEIGHT = 30;
const GRID_CELL_VMARGIN = 8;
const MIN_PANEL_HEIGHT = GRID_CELL_HEIGHT * 3;
/** PanelModel's default gridPos. */
const DEFAULT_GRID_POS = { x: 0, y: 0, w: 6, h: 3 } as const;

/** "250px", 250 or "250" -> grid rows, as DashboardMigrator's getGridHeight. */
function gridHeight(height: unknown): number {
  const px = typeof height === "string" ? Number.parseInt(height.replace("px", ""), 10) : typeof height === "number" ? height : DEFAULT_ROW_HEIGHT;
  const value = Number.isFinite(px) ? Math.max(px, MIN_PANEL_HEIGHT) : DEFAULT_ROW_HEIGHT;
  return Math.ceil(value / (GRID_CELL_HEIGHT + GRID_CELL_VMARGIN));
}

const toNumber = (v: unknown, fallback: number): number => {
  const n = typeof v === "string" ? Number.parseFloat(v) : v;
  return typeof n === "number" && Number.isFinite(n) ? n : fallback;
};

/**
 * One legacy row's area: per column, how far down it is filled. Panels go to the leftmost
 * free run wide enough, else the row wraps (schemaversion/v16.go's rowArea).
 */
class RowArea {
  private readonly filled = new Array<number>(GRID_COLUMNS).fill(0);
  constructor(
    private readonly height: number,
    public yPos: number,
  ) {}

  /** Where a panel `width` wide goes; wraps to the row's next band when no free run fits. */
  place(width: number): { x: number; y: number } {
    const w = Math.min(Math.max(width, 1), GRID_COLUMNS);
    for (;;) {
      let start = -1;
      let end = -1;
      for (let i = GRID_COLUMNS - 1; i >= 0; i--) {
        if (this.height - this.filled[i] <= 0) break;
        if (end < 0) end = i;
        else if (this.filled[i] <= this.filled[i + 1]) start = i;
        else break;
      }
      if (start >= 0 && end - start >= w - 1) {
        let y = 0;
        for (let i = start; i <= end; i++) y = Math.max(y, this.filled[i]);
        return { x: start, y };
      }
      this.yPos += this.height;
      this.filled.fill(0);
    }
  }

  add(pos: { x: number; y: number; w: number; h: number }): void {
    for (let i = pos.x; i < pos.x + pos.w && i < GRID_COLUMNS; i++) this.filled[i] = Math.max(this.filled[i], pos.y + pos.h - this.yPos);
  }
}

/** Schema 16: `rows[]` (each with `panels[]` and spans) -> row panels and grid positions. */
function upgradeRows(model: JsonObject): void {
  const rows = Array.isArray(model.rows) ? model.rows.filter(isObject) : [];
  delete model.rows;
  if (rows.length === 0) return;
  const panels: JsonObject[] = Array.isArray(model.panels) ? model.panels.filter(isObject) : [];
  let nextId = 1 + Math.max(0, ...rows.flatMap((r) => (Array.isArray(r.panels) ? r.panels : []).map((p) => (isObject(p) ? toNumber(p.id, 0) : 0))));
  // Row panels only when a row shows something of itself (collapsed, titled or repeated).
  const showRows = rows.some((r) => r.collapse === true || r.showTitle === true || (typeof r.repeat === "string" && r.repeat !== ""));
  let y = 0;
  for (const row of rows) {
    if (row.repeatIteration !== undefined && row.repeatIteration !== null) continue;
    const height = gridHeight(row.height);
    const collapsed = row.collapse === true;
    const rowPanels = (Array.isArray(row.panels) ? row.panels : []).filter(isObject);
    for (const p of rowPanels) if (p.id === undefined) p.id = nextId++;
    let rowPanel: JsonObject | undefined;
    if (showRows) {
      rowPanel = { id: nextId++, type: "row", title: row.title ?? "", repeat: row.repeat ?? "", panels: [], gridPos: { x: 0, y, w: GRID_COLUMNS, h: height } };
      if ("collapse" in row) rowPanel.collapsed = collapsed;
      y++;
    }
    const area = new RowArea(height, y);
    for (const panel of rowPanels) {
      const width = Math.floor(toNumber(panel.span, DEFAULT_PANEL_SPAN) * (GRID_COLUMNS / 12));
      const h = panel.height !== undefined ? gridHeight(panel.height) : height;
      const at = area.place(width);
      y = area.yPos;
      const gridPos = { x: at.x, y: y + at.y, w: width, h };
      panel.gridPos = gridPos;
      area.add(gridPos);
      delete panel.span;
      if (rowPanel && collapsed) (rowPanel.panels as JsonObject[]).push(panel);
      else panels.push(panel);
    }
    if (rowPanel) panels.push(rowPanel);
    if (!rowPanel || !collapsed) y += height;
  }
  model.panels = panels;
}

/** PanelModel defaults that the checks read, and library panels resolved. */
function panelAsShown(panel: JsonObject, library: ReadonlyMap<string, LibraryPanelSpec>): JsonObject {
  let shown = panel;
  const ref = panel.libraryPanel;
  const element = isObject(ref) && typeof ref.uid === "string" ? library.get(ref.uid) : undefined;
  if (element) {
    // The element's model, at this panel's place and id (Grafana's LibraryPanelBehavior).
    shown = { ...structuredClone(element.model), id: panel.id, gridPos: panel.gridPos, libraryPanel: ref };
  }
  const pos = isObject(shown.gridPos) ? shown.gridPos : {};
  shown.gridPos = { ...DEFAULT_GRID_POS, ...Object.fromEntries(Object.entries(pos).filter(([, v]) => v !== undefined && v !== null)) };
  if (Array.isArray(shown.panels)) shown.panels = shown.panels.map((p) => (isObject(p) ? panelAsShown(p, library) : p));
  return shown;
}

/** A copy of `model` as Grafana shows it (see the module comment); `model` is not modified. */
export function migratedForValidation(model: DashboardModel, libraryPanels: readonly LibraryPanelSpec[] = []): DashboardModel {
  const copy = structuredClone(model) as JsonObject;
  if (Array.isArray(copy.rows)) upgradeRows(copy);
  const library = new Map(libraryPanels.map((l) => [l.uid, l]));
  if (Array.isArray(copy.panels)) copy.panels = copy.panels.map((p) => (isObject(p) ? panelAsShown(p, library) : p));
  return copy as DashboardModel;
}

/** Whether a model needs migrating for validation at all (most modern exports do not: no copy then). */
export function needsMigration(model: DashboardModel): boolean {
  if (Array.isArray(model.rows)) return true;
  const visit = (panels: unknown): boolean =>
    Array.isArray(panels) &&
    panels.some((p) => isObject(p) && (p.libraryPanel !== undefined || !isObject(p.gridPos) || !isCompleteGridPos(p.gridPos) || visit(p.panels)));
  return visit(model.panels);
}

function isCompleteGridPos(pos: JsonObject): boolean {
  return ["x", "y", "w", "h"].every((k) => pos[k] !== undefined && pos[k] !== null);
}
