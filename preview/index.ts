/**
 * Previews of a stack's dashboards with data (`npm run render -- --with-data`): the
 * reference workload's simulated history (history.ts, story.ts) backfilled into a real
 * Prometheus (backfill.ts); each dashboard drawn on its grid over its own time range,
 * ending at the history's "now", with its variables as Grafana selects them on load and
 * each panel's queries as Grafana sends them for the panel's drawn width; SVG and PNG.
 */
import { DashboardModel, PanelModel } from "../dashboards/types";
import type { PreviewModule } from "../render/render";
import { PrometheusHandle } from "../lib/prometheus/server";
import { panelContent } from "./charts";
import { contentBox, DashboardDrawing, dashboardSvg, gridBox, PanelDrawing, RowDrawing, svgToPng } from "./compose";
import { grafana } from "./grafana";
import { History, simulateHistory } from "./history";
import { startBackfilledPrometheus } from "./backfill";
import { panelData, PanelQueryContext } from "./panel-data";
import { storyLines } from "./story";
import { resolveVariables } from "./variables";

export { PREVIEW_HISTORY, STORY, storyLines } from "./story";
export { DRAWN_TYPES } from "./charts";

/** Where the stack's churn API runs, as its series are labelled. */
export interface PreviewTarget {
  readonly environment: string;
  readonly namespace: string;
}

export interface Preview {
  readonly uid: string;
  readonly svg: string;
  readonly png: Buffer;
}

const histories = new Map<string, Promise<History>>();

/** The history for a namespace, simulated once per process. */
export function previewHistory(namespace: string): Promise<History> {
  let history = histories.get(namespace);
  if (!history) histories.set(namespace, (history = simulateHistory(namespace)));
  return history;
}

/** The dashboard's time range ("now-6h" .. "now") with Grafana's date math, `now` being the history's end. */
function timeRange(model: DashboardModel, nowMs: number): { fromMs: number; toMs: number; label: string } {
  const g = grafana();
  const time = (model.time ?? {}) as { from?: string; to?: string };
  const at = (text: string | undefined, fallback: string) => {
    const expr = text ?? fallback;
    const relative = expr.startsWith("now") ? g.dateMath.parseDateMath(expr.slice(3), g.dateTime(nowMs)) : g.dateTime(expr);
    return relative?.valueOf() ?? nowMs;
  };
  const fromMs = at(time.from, "now-6h");
  const toMs = at(time.to, "now");
  const iso = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace("T", " ");
  return { fromMs, toMs, label: `${time.from ?? "now-6h"} to ${time.to ?? "now"}: ${iso(fromMs)} – ${iso(toMs)} UTC` };
}

async function drawDashboard(model: DashboardModel, prometheus: PrometheusHandle, history: History, exported: ReadonlySet<string>): Promise<string> {
  const uid = String(model.uid ?? "dashboard");
  const title = String(model.title ?? uid);
  const range = timeRange(model, history.endMs);
  const scrapeIntervalSeconds = history.scrapeIntervalMs / 1000;
  const timing = { intervalMs: history.scrapeIntervalMs, rangeMs: range.toMs - range.fromMs, scrapeIntervalSeconds };
  const variables = await resolveVariables(model, prometheus, timing, new Date(range.toMs));
  const ctx: PanelQueryContext = { dashboard: { uid, title }, prometheus, variables: variables.values, ...range, scrapeIntervalSeconds, exported };
  const rows: RowDrawing[] = [];
  const panels: PanelDrawing[] = [];
  for (const panel of (model.panels ?? []) as PanelModel[]) {
    if (!panel.gridPos) continue;
    const box = gridBox(panel.gridPos);
    if (panel.type === "row") {
      rows.push({ title: panel.title ?? "", box, collapsedPanels: panel.collapsed ? (panel.panels?.length ?? 0) : 0 });
      continue;
    }
    const area = contentBox(box);
    const data = await panelData(panel, area.width, ctx);
    const content = await panelContent(panel, data, { width: area.width, height: area.height, fromMs: range.fromMs, toMs: range.toMs }, `p${panel.id ?? panels.length}`);
    panels.push({ id: panel.id, type: panel.type ?? "timeseries", title: panel.title ?? "", box, content });
  }
  const selected = variables.list.filter((v) => v.type !== "datasource" && v.type !== "constant").map((v) => `${v.name} = ${v.selected}`);
  const drawing: DashboardDrawing = {
    title,
    subtitle: [range.label, selected.length ? `Variables: ${selected.join(" · ")}` : "No variables", `Data: the reference churn API, simulated and backfilled into Prometheus: ${storyLines().join("; ")}`],
    rows,
    panels,
  };
  return dashboardSvg(drawing);
}

/** SVG and PNG previews of the dashboards, with the stack's labels on the data. */
export const renderPreviews: PreviewModule["renderPreviews"] = async (dashboards, target, onProgress) => {
  onProgress?.("simulating the reference workload's history");
  const history = await previewHistory(target.namespace);
  onProgress?.("backfilling Prometheus");
  const prometheus = await startBackfilledPrometheus(history, { environment: target.environment });
  const exported = new Set(history.series.map((s) => s.name));
  try {
    const previews: Preview[] = [];
    for (const model of dashboards) {
      onProgress?.(`drawing ${model.uid}`);
      const svg = await drawDashboard(model, prometheus, history, exported);
      previews.push({ uid: String(model.uid), svg, png: await svgToPng(svg) });
    }
    return previews;
  } finally {
    await prometheus.stop();
  }
};
