/**
 * A picture of a dashboard's layout: Grafana's 24-column grid with every row and panel
 * drawn as a box labelled with its title and type, so a reviewer sees a layout change
 * in a pull request at a glance.
 */
import { DashboardModel, PanelModel } from "../dashboards/types";

const COLUMN = 40;
const ROW = 24;
const MARGIN = 12;
const HEADER = 36;
const GRID_COLUMNS = 24;

const FILL: Record<string, string> = {
  row: "#3d4450",
  timeseries: "#dbe9f6",
  stat: "#e3f2dc",
  gauge: "#fbe7cf",
  table: "#ece3f5",
  heatmap: "#f8dada",
  barchart: "#f5efc9",
};

function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** Cuts text to what fits in `width` pixels at roughly 6.5 px per character. */
function fit(text: string, width: number): string {
  const max = Math.max(3, Math.floor((width - 10) / 6.5));
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function panelBox(panel: PanelModel): string {
  const pos = panel.gridPos ?? { x: 0, y: 0, w: GRID_COLUMNS, h: 1 };
  const x = MARGIN + pos.x * COLUMN;
  const y = HEADER + MARGIN + pos.y * ROW;
  const w = pos.w * COLUMN;
  const h = pos.h * ROW;
  const type = panel.type ?? "panel";
  const title = panel.title ?? "";
  if (type === "row") {
    const nested = panel.panels?.length ?? 0;
    const label = panel.collapsed && nested > 0 ? `${title} (collapsed: ${nested} panels)` : title;
    return (
      `  <rect x="${x}" y="${y}" width="${w}" height="${h}" fill="${FILL.row}" rx="2"/>\n` +
      `  <text x="${x + 8}" y="${y + h / 2 + 4}" fill="#ffffff" font-weight="bold">${escapeXml(fit(`▾ ${label}`, w))}</text>`
    );
  }
  return (
    `  <rect x="${x + 2}" y="${y + 2}" width="${w - 4}" height="${h - 4}" fill="${FILL[type] ?? "#eeeeee"}" stroke="#6b7280" rx="4"/>\n` +
    `  <text x="${x + 10}" y="${y + 20}" font-weight="bold">${escapeXml(fit(title, w))}</text>\n` +
    `  <text x="${x + 10}" y="${y + 36}" fill="#4b5563">${escapeXml(fit(`${type} · id ${panel.id ?? "?"}`, w))}</text>`
  );
}

export function layoutSvg(model: DashboardModel): string {
  const panels = model.panels ?? [];
  const bottom = Math.max(1, ...panels.map((p) => (p.gridPos ? p.gridPos.y + p.gridPos.h : 1)));
  const width = MARGIN * 2 + GRID_COLUMNS * COLUMN;
  const height = HEADER + MARGIN * 2 + bottom * ROW;
  const title = `${model.title ?? ""} (uid ${model.uid ?? "?"})`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="12">`,
    `  <rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `  <text x="${MARGIN}" y="24" font-size="16" font-weight="bold">${escapeXml(title)}</text>`,
    ...panels.map(panelBox),
    "</svg>",
    "",
  ].join("\n");
}
