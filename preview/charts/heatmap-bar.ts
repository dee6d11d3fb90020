/**
 * Grafana's heatmap of Prometheus buckets (calculate off: one row per `le` bucket, counts
 * coloured with its default "Oranges" scheme on a square-root scale) and its bar chart
 * (one bar per category of the x field, values on top).
 */
import type { DataFrame } from "@grafana/data";
import { formatValue, theme } from "../grafana";
import { chartFrame, format, seriesOf, timeFormat, timeTicks, unitLabel, VegaLiteSpec } from "./common";
import { ChartBox } from "./timeseries";

interface HeatmapOptions {
  readonly yAxis?: { readonly unit?: string; readonly decimals?: number };
}

export function heatmapSpec(frames: DataFrame[], options: HeatmapOptions, box: ChartBox, intervalMs: number): VegaLiteSpec {
  const series = seriesOf(frames);
  const bucketLabel = (name: string) => (name === "+Inf" ? "+Inf" : formatValue(Number(name), options.yAxis?.unit, options.yAxis?.decimals));
  const buckets = series.map((s) => bucketLabel(s.name));
  // Grafana hides empty cells (the heatmap's filterValues: le 1e-9).
  const cells = series.flatMap((s, b) => s.times.map((t, i) => ({ t, t2: t + intervalMs, bucket: buckets[b], count: s.values[i] ?? 0 }))).filter((c) => c.count > 1e-9);
  return {
    ...chartFrame(box),
    data: { values: cells },
    mark: { type: "rect", clip: true },
    encoding: {
      x: { field: "t", type: "temporal", scale: { type: "utc", domain: [box.fromMs, box.toMs] }, axis: { title: null, format: timeFormat(box), grid: false, tickCount: timeTicks(box) } },
      x2: { field: "t2" },
      y: { field: "bucket", type: "ordinal", sort: [...buckets].reverse(), scale: { domain: [...buckets].reverse() }, axis: { title: null, labelOverlap: true } },
      color: { field: "count", type: "quantitative", scale: { scheme: "oranges", type: "pow", exponent: 0.5 }, legend: { title: null, orient: "bottom", direction: "horizontal", gradientLength: Math.min(300, box.width / 2) } },
    },
  };
}

interface BarOptions {
  readonly xField?: string;
  readonly fillOpacity?: number;
}

export function barchartSpec(frames: DataFrame[], options: BarOptions, box: { width: number; height: number }): VegaLiteSpec {
  const frame = frames[0];
  const category = frame.fields.find((f) => f.name === options.xField) ?? frame.fields.find((f) => f.type === "string");
  const [series] = seriesOf([frame]);
  const bars = (category?.values ?? []).map((c, i) => ({ c: String(c), v: series?.values[i] ?? null, label: format(series?.values[i] ?? null, series?.config ?? {}) }));
  const x = { field: "c", type: "nominal", sort: null, axis: { title: null, labelAngle: 0 } };
  const y = { field: "v", type: "quantitative", axis: { title: null, labelExpr: unitLabel(series?.config.unit) } };
  return {
    ...chartFrame(box),
    data: { values: bars },
    layer: [
      { mark: { type: "bar", color: series?.color ?? theme().colors.primary.main, opacity: (options.fillOpacity ?? 80) / 100, stroke: series?.color, strokeWidth: 1 }, encoding: { x, y } },
      { mark: { type: "text", dy: -8, fontSize: 13, color: theme().colors.text.primary }, encoding: { x, y, text: { field: "label" } } },
    ],
  };
}
