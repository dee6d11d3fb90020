/**
 * Grafana's time series panel: a line (and its fill) per series in the classic palette,
 * the unit on the y axis, thresholds drawn as shaded bands and dashed lines when the
 * panel asks for them, stacking and negative-Y transforms, the legend from legendFormat.
 */
import type { DataFrame, ThresholdsConfig } from "@grafana/data";
import { color as namedColor } from "../grafana";
import { chartFrame, seriesOf, tickStep, timeFormat, timeTicks, unitLabel, valueDomain, VegaLiteSpec } from "./common";

export interface ChartBox {
  readonly width: number;
  readonly height: number;
  readonly fromMs: number;
  readonly toMs: number;
}

interface Custom {
  readonly fillOpacity?: number;
  readonly lineWidth?: number;
  readonly transform?: string;
  readonly stacking?: { readonly mode?: string };
  readonly thresholdsStyle?: { readonly mode?: string };
}

interface Options {
  readonly legend?: { readonly showLegend?: boolean; readonly placement?: string };
}

function thresholdLayers(thresholds: ThresholdsConfig | undefined, mode: string, domain: [number, number]): VegaLiteSpec[] {
  const steps = [...(thresholds?.steps ?? [])].map((s) => ({ value: s.value ?? -Infinity, color: namedColor(s.color) })).sort((a, b) => a.value - b.value);
  if (mode === "off" || steps.length === 0) return [];
  const bands = steps.map((s, i) => ({ y: Math.max(s.value, domain[0]), y2: Math.min(steps[i + 1]?.value ?? Infinity, domain[1]), color: s.color })).filter((b) => b.y < b.y2);
  const lines = steps.filter((s) => Number.isFinite(s.value) && s.value >= domain[0] && s.value <= domain[1]);
  const layers: VegaLiteSpec[] = [];
  if (mode.includes("area")) {
    // One layer per band, its colour on the mark: a colour channel would merge into the series' legend.
    for (const b of bands) layers.push({ data: { values: [b] }, mark: { type: "rect", opacity: 0.15, color: b.color }, encoding: { y: { field: "y", type: "quantitative" }, y2: { field: "y2" } } });
  }
  if (mode.includes("line") || mode.includes("dashed")) {
    const dash = mode.includes("dashed") ? [10, 10] : [];
    for (const l of lines) layers.push({ data: { values: [l] }, mark: { type: "rule", strokeDash: dash, strokeWidth: 1, color: l.color }, encoding: { y: { field: "value", type: "quantitative" } } });
  }
  return layers;
}

export function timeseriesSpec(frames: DataFrame[], options: Options, box: ChartBox): VegaLiteSpec {
  const series = seriesOf(frames);
  const first = series[0]?.config ?? {};
  const custom = (first.custom ?? {}) as Custom;
  const stacked = custom.stacking?.mode === "normal";
  const rows = series.flatMap((s) => {
    const sign = ((s.config.custom ?? {}) as Custom).transform === "negative-Y" ? -1 : 1;
    // `f` repeats the series name for the fill, whose (absent) legend must not merge with the lines'.
    return s.times.map((t, i) => ({ t, v: s.values[i] === null ? null : sign * (s.values[i] as number), s: s.name, f: s.name }));
  });
  const totals = new Map<number, number>();
  if (stacked) for (const r of rows) totals.set(r.t, (totals.get(r.t) ?? 0) + (r.v ?? 0));
  const domain = valueDomain(stacked ? [...totals.values(), 0] : rows.map((r) => r.v ?? NaN), first);
  const ticks = Math.max(2, Math.round(box.height / 50));
  const y = { field: "v", type: "quantitative", stack: stacked ? "zero" : null, scale: { domain, nice: true, zero: false }, axis: { title: null, labelExpr: unitLabel(first.unit, tickStep(domain, ticks)), tickCount: ticks } };
  const showLegend = options.legend?.showLegend !== false && series.length > 0;
  const colorEncoding = {
    field: "s",
    type: "nominal",
    sort: series.map((s) => s.name),
    scale: { domain: series.map((s) => s.name), range: series.map((s) => s.color) },
    legend: showLegend ? { title: null, orient: options.legend?.placement === "right" ? "right" : "bottom", direction: "horizontal", symbolType: "stroke", columns: options.legend?.placement === "right" ? 1 : 0, labelLimit: 400 } : null,
  };
  const fill = (custom.fillOpacity ?? 0) / 100;
  const x = { field: "t", type: "temporal", scale: { type: "utc", domain: [box.fromMs, box.toMs] }, axis: { title: null, format: timeFormat(box), grid: false, tickCount: timeTicks(box), labelOverlap: true } };
  return {
    ...chartFrame(box),
    layer: [
      ...thresholdLayers(first.thresholds as ThresholdsConfig | undefined, custom.thresholdsStyle?.mode ?? "off", domain),
      {
        data: { values: rows },
        layer: [
          ...(fill > 0 || stacked ? [{ mark: { type: "area", opacity: stacked ? Math.max(fill, 0.1) : fill, clip: true, interpolate: "linear" }, encoding: { x: { ...x, scale: undefined }, y, fill: { ...colorEncoding, field: "f", legend: null } } }] : []),
          // Fill and stroke are separate channels, so the legend (the lines') is not merged away.
          { mark: { type: "line", strokeWidth: custom.lineWidth ?? 1, clip: true }, encoding: { x, y, stroke: colorEncoding } },
        ],
      },
    ],
  };
}
