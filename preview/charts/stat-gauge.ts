/**
 * Grafana's stat and gauge panels: each series reduced (reduceOptions.calcs, by Grafana's
 * reducers) to one value shown with its unit in its threshold colour; the stat with its
 * sparkline, the gauge as an arc from min to max with the threshold steps around it.
 */
import type { DataFrame, FieldConfig, ThresholdsConfig } from "@grafana/data";
import { color as namedColor, reduce, theme } from "../grafana";
import { format, Series, seriesOf, themeConfig, valueColor, VegaLiteSpec } from "./common";

interface ReduceOptions {
  readonly reduceOptions?: { readonly calcs?: readonly string[] };
  readonly graphMode?: string;
  readonly textMode?: string;
}

interface Cell {
  readonly series: Series;
  readonly value: number | null;
  readonly text: string;
  readonly color: string;
}

function cells(frames: DataFrame[], options: ReduceOptions): Cell[] {
  const calc = options.reduceOptions?.calcs?.[0] ?? "lastNotNull";
  return seriesOf(frames).map((series) => {
    const value = reduce(series.field, calc);
    return { series, value, text: format(value, series.config), color: valueColor(series.config, value, series.color) };
  });
}

const fontFor = (text: string, width: number, height: number) => Math.max(10, Math.min(height, (width / Math.max(3, text.length)) * 1.6));

export function statSpec(frames: DataFrame[], options: ReduceOptions, box: { width: number; height: number }): VegaLiteSpec {
  const all = cells(frames, options);
  const cellWidth = box.width / Math.max(1, all.length);
  const showName = options.textMode === "value_and_name" || options.textMode === "name" || (options.textMode !== "value" && all.length > 1);
  return {
    config: themeConfig(),
    spacing: 0,
    hconcat: all.map((cell) => {
      const size = fontFor(cell.text, cellWidth * 0.9, box.height * (showName ? 0.38 : 0.5));
      const spark = options.graphMode !== "none" && cell.series.times.length > 1;
      const points = cell.series.times.map((t, i) => ({ t, v: cell.series.values[i] }));
      return {
        width: cellWidth,
        height: box.height,
        layer: [
          ...(spark
            ? [{
                data: { values: points },
                mark: { type: "area", line: { color: cell.color, strokeWidth: 1 }, color: cell.color, opacity: 0.2 },
                encoding: {
                  x: { field: "t", type: "temporal", axis: null, scale: { type: "utc" } },
                  y: { field: "v", type: "quantitative", axis: null, scale: { zero: false, range: [box.height, box.height * 0.5] } },
                },
              }]
            : []),
          ...(showName
            ? [{ data: { values: [{}] }, mark: { type: "text", text: cell.series.name, x: cellWidth / 2, y: box.height * 0.2, fontSize: Math.min(16, size * 0.5), color: theme().colors.text.primary } }]
            : []),
          { data: { values: [{}] }, mark: { type: "text", text: cell.text, x: cellWidth / 2, y: box.height * (showName ? 0.55 : 0.45), fontSize: size, fontWeight: 500, color: cell.color, baseline: "middle" } },
        ],
      };
    }),
  };
}

const START = (-2 * Math.PI) / 3;
const SWEEP = (4 * Math.PI) / 3;

function steps(config: FieldConfig, min: number, max: number): { from: number; to: number; color: string }[] {
  const list = [...((config.thresholds as ThresholdsConfig | undefined)?.steps ?? [])].map((s) => ({ value: s.value ?? -Infinity, color: namedColor(s.color) })).sort((a, b) => a.value - b.value);
  return list.map((s, i) => ({ from: Math.max(min, s.value), to: Math.min(max, list[i + 1]?.value ?? Infinity), color: s.color })).filter((s) => s.from < s.to);
}

export function gaugeSpec(frames: DataFrame[], options: ReduceOptions, box: { width: number; height: number }): VegaLiteSpec {
  const all = cells(frames, options);
  const cellWidth = box.width / Math.max(1, all.length);
  return {
    config: themeConfig(),
    spacing: 0,
    hconcat: all.map((cell) => {
      const config = cell.series.config;
      const min = typeof config.min === "number" ? config.min : 0;
      const max = typeof config.max === "number" ? config.max : 100;
      const angle = (v: number) => START + SWEEP * Math.min(1, Math.max(0, (v - min) / (max - min || 1)));
      const r = Math.min(cellWidth / 2, box.height * 0.62) * 0.92;
      const centre = { x: cellWidth / 2, y: box.height * 0.55 + r * 0.1 };
      const arc = (from: number, to: number, inner: number, outer: number, fill: string) => ({
        data: { values: [{}] },
        mark: { type: "arc", theta: from, theta2: to, radius2: inner, radius: outer, x: centre.x, y: centre.y, color: fill },
      });
      const size = fontFor(cell.text, r * 1.2, r * 0.45);
      return {
        width: cellWidth,
        height: box.height,
        layer: [
          ...steps(config, min, max).map((s) => arc(angle(s.from), angle(s.to), r * 0.9, r, s.color)),
          arc(START, START + SWEEP, r * 0.62, r * 0.84, theme().colors.background.secondary),
          ...(cell.value === null ? [] : [arc(START, angle(cell.value), r * 0.62, r * 0.84, cell.color)]),
          { data: { values: [{}] }, mark: { type: "text", text: cell.text, x: centre.x, y: centre.y, fontSize: size, fontWeight: 500, color: cell.color, baseline: "middle" } },
          ...(all.length > 1 ? [{ data: { values: [{}] }, mark: { type: "text", text: cell.series.name, x: centre.x, y: box.height - 8, fontSize: 12, color: theme().colors.text.primary } }] : []),
        ],
      };
    }),
  };
}
