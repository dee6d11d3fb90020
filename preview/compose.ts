/**
 * A dashboard drawn on Grafana's grid: 24 columns, 30 px rows and 8 px gutters
 * (react-grid-layout as Grafana configures it: GRID_CELL_HEIGHT, GRID_CELL_VMARGIN), rows
 * as headers, each panel a card with its title and its chart (an SVG by vega), or a loud
 * message when it has nothing to show. Then the PNG, by resvg with the Inter font shipped
 * in an npm package (a CI machine may have no fonts at all).
 */
import { theme } from "./grafana";

export const GRID = { columns: 24, rowHeight: 30, gutter: 8 } as const;
/** Width of the grid in pixels (a 1600 px wide Grafana content area). */
export const DASHBOARD_WIDTH = 1600;
const PAGE_PADDING = 16;
const HEADER_HEIGHT = 84;
export const PANEL_HEADER = 32;
export const PANEL_PADDING = 8;

export interface GridPos {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

export interface Box {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** Pixel box of a grid position, as react-grid-layout computes it (calcGridItemPosition). */
export function gridBox(pos: GridPos): Box {
  const col = (DASHBOARD_WIDTH - GRID.gutter * (GRID.columns - 1)) / GRID.columns;
  return {
    x: Math.round(pos.x * (col + GRID.gutter)),
    y: Math.round(pos.y * (GRID.rowHeight + GRID.gutter)),
    width: Math.round(pos.w * col + Math.max(0, pos.w - 1) * GRID.gutter),
    height: Math.round(pos.h * GRID.rowHeight + Math.max(0, pos.h - 1) * GRID.gutter),
  };
}

/** The area a panel's visualisation gets inside its card. */
export function contentBox(panel: Box): Box {
  return { x: PANEL_PADDING, y: PANEL_HEADER, width: Math.max(10, panel.width - 2 * PANEL_PADDING), height: Math.max(10, panel.height - PANEL_HEADER - PANEL_PADDING) };
}

export function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** Lines of at most `width` pixels at about `charPx` per character. */
export function wrap(text: string, width: number, charPx = 6.6): string[] {
  const max = Math.max(8, Math.floor(width / charPx));
  const lines: string[] = [];
  for (const paragraph of text.split("\n")) {
    let rest = paragraph;
    while (rest.length > max) {
      const cut = Math.max(rest.lastIndexOf(" ", max), rest.lastIndexOf(",", max) + 1, Math.floor(max * 0.6));
      lines.push(rest.slice(0, cut).trimEnd());
      rest = rest.slice(cut).trimStart();
    }
    lines.push(rest);
  }
  return lines;
}

const fit = (text: string, width: number, charPx = 7.5) => (text.length * charPx <= width ? text : `${text.slice(0, Math.max(1, Math.floor(width / charPx) - 1))}…`);

/** What goes in a panel card: a chart's SVG or a message. */
export type PanelContent =
  | { readonly kind: "chart"; readonly svg: string }
  | { readonly kind: "message"; readonly reason: MessageReason; readonly headline: string; readonly detail: readonly string[] };

/** Why a panel shows a message instead of a chart. */
export type MessageReason = "no-data" | "not-exported" | "error" | "not-drawn";

export interface PanelDrawing {
  readonly id?: number;
  readonly type: string;
  readonly title: string;
  readonly box: Box;
  readonly content: PanelContent;
}

export interface RowDrawing {
  readonly title: string;
  readonly box: Box;
  readonly collapsedPanels: number;
}

function message(content: Extract<PanelContent, { kind: "message" }>, area: Box): string {
  const t = theme();
  const tone = { "no-data": t.colors.warning.text, error: t.colors.error.text, "not-exported": t.colors.text.secondary, "not-drawn": t.colors.text.secondary }[content.reason];
  const detail = content.detail.flatMap((d) => wrap(d, area.width - 16));
  const maxLines = Math.max(0, Math.floor((area.height - 40) / 15));
  const shown = detail.length > maxLines ? [...detail.slice(0, Math.max(0, maxLines - 1)), "…"] : detail;
  const top = area.y + Math.max(28, (area.height - 32 - shown.length * 15) / 2);
  return [
    `<text x="${area.x + area.width / 2}" y="${top}" text-anchor="middle" font-size="22" font-weight="500" fill="${tone}">${escapeXml(content.headline)}</text>`,
    ...shown.map((line, i) => `<text x="${area.x + area.width / 2}" y="${top + 24 + i * 15}" text-anchor="middle" font-size="12" fill="${t.colors.text.secondary}">${escapeXml(line)}</text>`),
  ].join("");
}

/** "chart", or why a message is shown instead. */
export function contentKind(content: PanelContent): "chart" | MessageReason {
  return content.kind === "chart" ? "chart" : content.reason;
}

function panelSvg(p: PanelDrawing): string {
  const t = theme();
  const area = contentBox(p.box);
  const body =
    p.content.kind === "chart"
      ? p.content.svg.replace(/^<svg\b/, `<svg x="${area.x}" y="${area.y}"`)
      : message(p.content, area);
  return (
    // data-* attributes let a reader (and the tests) tell what each panel shows.
    `<g transform="translate(${p.box.x},${p.box.y})" data-panel-id="${p.id ?? ""}" data-panel-type="${escapeXml(p.type)}" data-content="${contentKind(p.content)}">` +
    `<rect width="${p.box.width}" height="${p.box.height}" rx="4" fill="${t.colors.background.primary}" stroke="${t.colors.border.weak}"/>` +
    `<text x="${PANEL_PADDING}" y="21" font-size="14" font-weight="500" fill="${t.colors.text.primary}">${escapeXml(fit(p.title, p.box.width - 2 * PANEL_PADDING))}</text>` +
    body +
    `</g>`
  );
}

function rowSvg(r: RowDrawing): string {
  const t = theme();
  const label = r.collapsedPanels > 0 ? `${r.title} (${r.collapsedPanels} panels)` : r.title;
  // The chevron as a path: Inter has no triangle glyphs.
  const chevron = r.collapsedPanels > 0 ? "M2 4 L8 9 L2 14" : "M1 6 L6 11 L11 6";
  return (
    `<path transform="translate(${r.box.x},${r.box.y + 6})" d="${chevron}" fill="none" stroke="${t.colors.text.primary}" stroke-width="1.6"/>` +
    `<text x="${r.box.x + 18}" y="${r.box.y + 21}" font-size="16" font-weight="500" fill="${t.colors.text.primary}">${escapeXml(label)}</text>`
  );
}

export interface DashboardDrawing {
  readonly title: string;
  /** Lines under the title: time range, variables, where the data comes from. */
  readonly subtitle: readonly string[];
  readonly rows: readonly RowDrawing[];
  readonly panels: readonly PanelDrawing[];
}

export function dashboardSvg(d: DashboardDrawing): string {
  const t = theme();
  const bottom = Math.max(0, ...d.panels.map((p) => p.box.y + p.box.height), ...d.rows.map((r) => r.box.y + r.box.height));
  const width = DASHBOARD_WIDTH + 2 * PAGE_PADDING;
  const height = HEADER_HEIGHT + bottom + PAGE_PADDING;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Inter, sans-serif">`,
    `<rect width="${width}" height="${height}" fill="${t.colors.background.canvas}"/>`,
    `<text x="${PAGE_PADDING}" y="30" font-size="20" font-weight="500" fill="${t.colors.text.primary}">${escapeXml(d.title)}</text>`,
    ...d.subtitle.map((line, i) => `<text x="${PAGE_PADDING}" y="${50 + i * 15}" font-size="12" fill="${t.colors.text.secondary}">${escapeXml(fit(line, DASHBOARD_WIDTH, 6.4))}</text>`),
    `<g transform="translate(${PAGE_PADDING},${HEADER_HEIGHT})">`,
    ...d.rows.map(rowSvg),
    ...d.panels.map(panelSvg),
    `</g>`,
    `</svg>`,
    "",
  ].join("\n");
}

const FONT_FILES = ["400Regular/Inter_400Regular.ttf", "500Medium/Inter_500Medium.ttf"].map((f) => require.resolve(`@expo-google-fonts/inter/${f}`));

/** The SVG as a PNG, drawn with the Inter font files only (no system fonts: the same pixels everywhere). */
export async function svgToPng(svg: string): Promise<Buffer> {
  const { Resvg } = await import("@resvg/resvg-js");
  const resvg = new Resvg(svg, { font: { loadSystemFonts: false, fontFiles: FONT_FILES, defaultFontFamily: "Inter" } });
  return Buffer.from(resvg.render().asPng());
}
