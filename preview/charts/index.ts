/** A panel's content: its chart by type, or the message Grafana users should see instead. */
import type { DataFrame } from "@grafana/data";
import { PanelModel } from "../../dashboards/types";
import { PanelContent } from "../compose";
import { hasData, PanelData } from "../panel-data";
import { chartSvg } from "../vega";
import { VegaLiteSpec } from "./common";
import { barchartSpec, heatmapSpec } from "./heatmap-bar";
import { gaugeSpec, statSpec } from "./stat-gauge";
import { tableSpec } from "./table";
import { ChartBox, timeseriesSpec } from "./timeseries";

/** Panel types the previews draw. */
export const DRAWN_TYPES = ["timeseries", "stat", "gauge", "table", "heatmap", "barchart"] as const;

function spec(type: string, frames: DataFrame[], options: Record<string, unknown>, box: ChartBox, intervalMs: number): VegaLiteSpec | undefined {
  switch (type) {
    case "timeseries":
      return timeseriesSpec(frames, options, box);
    case "stat":
      return statSpec(frames, options, box);
    case "gauge":
      return gaugeSpec(frames, options, box);
    case "table":
      return tableSpec(frames, box);
    case "heatmap":
      return heatmapSpec(frames, options, box, intervalMs);
    case "barchart":
      return barchartSpec(frames, options, box);
    default:
      return undefined;
  }
}

const queryLines = (data: PanelData) => data.queries.map((q) => `${q.refId}: ${q.expr}`);

export async function panelContent(panel: PanelModel, data: PanelData, box: ChartBox, prefix: string): Promise<PanelContent> {
  const type = panel.type ?? "timeseries";
  if (data.notExported.length > 0) {
    return { kind: "message", reason: "not-exported", headline: "Not exported by the reference workload", detail: [`metrics: ${data.notExported.join(", ")}`, ...queryLines(data)] };
  }
  if (data.error) return { kind: "message", reason: "error", headline: "Query error", detail: [data.error] };
  if (!hasData(data.frames)) return { kind: "message", reason: "no-data", headline: "No data", detail: queryLines(data) };
  const options = (panel.options ?? {}) as Record<string, unknown>;
  const vl = spec(type, data.frames, options, box, data.intervalMs);
  if (!vl) return { kind: "message", reason: "not-drawn", headline: `${type} panels are not drawn in previews`, detail: [`drawn: ${DRAWN_TYPES.join(", ")}`] };
  return { kind: "chart", svg: await chartSvg(vl, prefix) };
}
