/**
 * What every chart shares: the Vega-Lite config that gives Grafana's dark theme (Inter,
 * its text and grid colours), series read from frames with their display names and field
 * config, and the `unit` expression function through which axes format values with
 * Grafana's own unit formatter.
 */
import type { DataFrame, Field, FieldConfig, ThresholdsConfig } from "@grafana/data";
import { displayName, formatValue, paletteColor, theme, thresholdColor, color as namedColor } from "../grafana";

/** A Vega-Lite specification (kept loose: the library validates it when compiling). */
export type VegaLiteSpec = Record<string, unknown>;

export const FONT = "Inter";

/** The whole chart (axes and legend included) fills the box Vega-Lite is given. */
export const FIT = { type: "fit", contains: "padding" } as const;

/** What every chart specification starts with: the panel's box, filled, in Grafana's dark theme. */
export function chartFrame(box: { readonly width: number; readonly height: number }): VegaLiteSpec {
  return { width: box.width, height: box.height, autosize: FIT, config: themeConfig() };
}

/** Vega-Lite config for Grafana's dark theme. */
export function themeConfig(): VegaLiteSpec {
  const t = theme();
  const axis = {
    labelColor: t.colors.text.secondary,
    labelFont: FONT,
    labelFontSize: 12,
    titleColor: t.colors.text.secondary,
    gridColor: t.colors.border.weak,
    domain: false,
    ticks: false,
    labelPadding: 6,
  };
  return {
    font: FONT,
    background: null,
    view: { stroke: null },
    axis,
    legend: { labelColor: t.colors.text.primary, labelFont: FONT, labelFontSize: 12, titleColor: t.colors.text.secondary, symbolStrokeWidth: 4, symbolSize: 160, symbolOpacity: 1 },
    text: { font: FONT, color: t.colors.text.primary },
  };
}

/** One series of a panel: a number field with its time field, name and config. */
export interface Series {
  readonly name: string;
  readonly refId?: string;
  readonly field: Field;
  readonly config: FieldConfig;
  readonly times: readonly number[];
  readonly values: readonly (number | null)[];
  readonly color: string;
}

/** Every number field of the frames as a series, coloured as Grafana would (fixed colour, else the classic palette in order). */
export function seriesOf(frames: DataFrame[]): Series[] {
  const out: Series[] = [];
  for (const frame of frames) {
    const time = frame.fields.find((f) => f.type === "time");
    for (const field of frame.fields) {
      if (field.type !== "number") continue;
      const config = field.config;
      const fixed = config.color?.mode === "fixed" ? config.color.fixedColor : undefined;
      out.push({
        name: displayName(field, frame, frames),
        refId: frame.refId,
        field,
        config,
        times: time ? (time.values as number[]) : [],
        values: field.values as (number | null)[],
        color: fixed ? namedColor(fixed) : paletteColor(out.length),
      });
    }
  }
  return out;
}

/** Threshold colour of a value when the field colours by thresholds (Grafana's default for stat/gauge/cells). */
export function valueColor(config: FieldConfig, value: number | null, fallback: string): string {
  if (value === null) return theme().colors.text.primary;
  if (config.color?.mode === "fixed" && config.color.fixedColor) return namedColor(config.color.fixedColor);
  return thresholdColor(value, (config.thresholds as ThresholdsConfig | undefined)?.steps) ?? fallback;
}

export function format(value: number | null, config: FieldConfig): string {
  return formatValue(value, config.unit, config.decimals ?? undefined);
}

/** A Vega expression formatting `datum.value` with a Grafana unit, as precisely as the tick step needs (vega.ts: grafanaUnit). */
export function unitLabel(unit: string | undefined, tickStep = 0): string {
  return `grafanaUnit(datum.value, ${JSON.stringify(unit ?? "none")}, ${tickStep})`;
}

/** The tick step vega's axis takes for about `ticks` ticks over a domain (d3-array's tickIncrement rule). */
export function tickStep(domain: [number, number], ticks: number): number {
  const raw = (domain[1] - domain[0]) / Math.max(1, ticks);
  if (!(raw > 0)) return 0;
  const power = 10 ** Math.floor(Math.log10(raw));
  const error = raw / power;
  return power * (error >= Math.sqrt(50) ? 10 : error >= Math.sqrt(10) ? 5 : error >= Math.sqrt(2) ? 2 : 1);
}

const DAY_MS = 86_400_000;

/** Time axis labels: hours within a day, dates beyond. */
export function timeFormat(box: { fromMs: number; toMs: number }): string {
  return box.toMs - box.fromMs > DAY_MS ? "%m/%d" : "%H:%M";
}

/** Time axis ticks: about one per 110 px within a day, one a day beyond (each date once). */
export function timeTicks(box: { fromMs: number; toMs: number; width: number }): number | string {
  return box.toMs - box.fromMs > DAY_MS ? "day" : Math.max(2, Math.round(box.width / 110));
}

/** Axis domain as Grafana's auto range: data extent, the field's min/max winning; a flat series gets room. */
export function valueDomain(values: readonly number[], config: FieldConfig): [number, number] {
  const finite = values.filter((v) => Number.isFinite(v));
  let lo = typeof config.min === "number" ? config.min : Math.min(...finite, Infinity);
  let hi = typeof config.max === "number" ? config.max : Math.max(...finite, -Infinity);
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) [lo, hi] = [0, 1];
  if (lo === hi) hi = lo === 0 ? 1 : lo + Math.abs(lo);
  return [lo, hi];
}
