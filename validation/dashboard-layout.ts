/**
 * Grid layout of a dashboard: every panel inside Grafana's 24-column grid and no two
 * panels sharing a cell. Rows count as panels (h = 1, full width); the panels of a
 * collapsed row are laid out on their own (Grafana inserts them when the row opens).
 * Overlaps are found with one sort + sweep: O(n log n + 24 · n), whatever the panels'
 * heights.
 */
import { PanelModel } from "../dashboards/types";
import { Problem } from "../lib/errors";
import { panelLabel } from "./where";

export const GRID_COLUMNS = 24;

interface Placed {
  readonly label: string;
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

const isNumber = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);
const shown = (p: Placed) => `{x:${p.x}, y:${p.y}, w:${p.w}, h:${p.h}}`;

/** Bounds problems of one panel; undefined placement when it cannot take part in the overlap check. */
function place(panel: PanelModel, label: string, where: string, problems: Problem[]): Placed | undefined {
  const pos = panel.gridPos;
  if (!pos || typeof pos !== "object") {
    problems.push({ where, message: "has no gridPos: Grafana would place it at the top left, over other panels", fix: "set gridPos {x, y, w, h}" });
    return undefined;
  }
  const { x, y, w, h } = pos;
  // Non-numbers are reported by the schema check.
  if (![x, y, w, h].every(isNumber)) return undefined;
  const p: Placed = { label, x, y, w, h };
  const bad: string[] = [];
  if (![x, y, w, h].every(Number.isInteger)) bad.push("x, y, w and h must be whole grid units");
  if (x < 0) bad.push("x must be ≥ 0");
  if (y < 0) bad.push("y must be ≥ 0");
  if (w < 1) bad.push("w must be ≥ 1");
  if (h < 1) bad.push("h must be ≥ 1");
  if (x + w > GRID_COLUMNS) bad.push(`x + w = ${x + w} exceeds the ${GRID_COLUMNS}-column grid`);
  if (bad.length > 0) {
    const hint =
      x + w > GRID_COLUMNS && w <= GRID_COLUMNS && x >= 0
        ? ` (e.g. x: ${GRID_COLUMNS - w}, or w: ${GRID_COLUMNS - x})`
        : "";
    problems.push({
      where,
      message: `gridPos ${shown(p)} is outside the grid: ${bad.join("; ")}`,
      fix: `keep x ≥ 0, w ≥ 1, h ≥ 1 and x + w ≤ ${GRID_COLUMNS}${hint}`,
    });
    return undefined;
  }
  return p;
}

/**
 * Pairs of panels sharing at least one grid cell (each overlapping panel reported once
 * per partner). One stable sort by y, then a sweep that keeps, per grid column, the
 * panel reaching lowest so far: a panel starting above that end overlaps it.
 */
function overlaps(placed: readonly Placed[]): [Placed, Placed][] {
  const order = placed.map((_, i) => i).sort((a, b) => placed[a].y - placed[b].y);
  const end = new Array<number>(GRID_COLUMNS).fill(Number.NEGATIVE_INFINITY);
  const owner = new Array<number>(GRID_COLUMNS).fill(-1);
  const pairs: [Placed, Placed][] = [];
  const seen = new Set<number>();
  for (const i of order) {
    const p = placed[i];
    for (let c = p.x; c < p.x + p.w; c++) {
      const o = owner[c];
      if (o >= 0 && p.y < end[c] && !seen.has(o * placed.length + i)) {
        seen.add(o * placed.length + i);
        pairs.push([placed[o], p]);
      }
      if (p.y + p.h > end[c]) {
        end[c] = p.y + p.h;
        owner[c] = i;
      }
    }
  }
  return pairs;
}

function checkGroup(panels: readonly PanelModel[], prefix: string, where: string, problems: Problem[]): void {
  const placed: Placed[] = [];
  panels.forEach((panel, i) => {
    if (!panel || typeof panel !== "object") return;
    const label = `${prefix}${panelLabel(panel, i)}`;
    const p = place(panel, label, `${where}, ${label}`, problems);
    if (p) placed.push(p);
    if (panel.type === "row" && Array.isArray(panel.panels) && panel.panels.length > 0) {
      checkGroup(panel.panels, `${label}, `, where, problems);
    }
  });
  for (const [a, b] of overlaps(placed)) {
    problems.push({
      where: `${where}, ${b.label}`,
      message: `overlaps ${a.label}: gridPos ${shown(b)} and ${shown(a)} share grid cells`,
      fix: "move one of them (change gridPos.y, or x and w) so no cell is shared",
    });
  }
}

/** Layout problems of a dashboard's panels; `where` names the dashboard. */
export function layoutProblems(panels: readonly PanelModel[] | undefined, where: string): Problem[] {
  const problems: Problem[] = [];
  if (Array.isArray(panels)) checkGroup(panels, "", where, problems);
  return problems;
}
