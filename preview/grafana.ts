/**
 * Grafana's own front-end logic, from its Apache-2.0 library @grafana/data, for what a
 * preview must compute exactly as Grafana does: the query interval for a panel width
 * (rangeUtil.calculateInterval), unit formatting (getValueFormat), reducers (reduceField),
 * active thresholds, transformations (standardTransformers), display names, and the dark
 * theme's colours. Loaded on first use only: the plain render never pays for it.
 */
import type * as GrafanaData from "@grafana/data";
import type { DataFrame, DataTransformerConfig, Field, GrafanaTheme2, Threshold } from "@grafana/data";

type Library = typeof GrafanaData;
let library: Library | undefined;
let darkTheme: GrafanaTheme2 | undefined;

export function grafana(): Library {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (library ??= require("@grafana/data") as Library);
}

/** Grafana's default theme (dark). */
export function theme(): GrafanaTheme2 {
  return (darkTheme ??= grafana().createTheme());
}

/** A colour as panels name it ("green", "dark-red", "#73BF69", "rgb(...)") in the theme. */
export function color(name: string): string {
  return theme().visualization.getColorByName(name);
}

/** The n-th colour of the classic palette (Grafana's default series colours). */
export function paletteColor(index: number): string {
  const colors = grafana().fieldColorModeRegistry.get("palette-classic").getColors?.(theme()) ?? [];
  return colors.length === 0 ? theme().colors.primary.main : color(colors[index % colors.length]);
}

/** A value with its unit as Grafana writes it ("123 ms", "12.3 req/s", "180 MiB"). */
export function formatValue(value: number | null | undefined, unit?: string, decimals?: number): string {
  if (value === null || value === undefined || Number.isNaN(value)) return "-";
  const g = grafana();
  return g.formattedValueToString(g.getValueFormat(unit || "none")(value, decimals ?? undefined));
}

/** Colour of the threshold step a value falls in (absolute thresholds). */
export function thresholdColor(value: number, steps: readonly Threshold[] | undefined): string | undefined {
  if (!steps || steps.length === 0) return undefined;
  const sorted = grafana().sortThresholds([...steps].map((s) => ({ ...s, value: s.value ?? -Infinity })));
  return color(grafana().getActiveThreshold(value, sorted).color);
}

/** A field reduced the way the stat and gauge panels do ("lastNotNull", "mean", ...). */
export function reduce(field: Field, calc: string): number | null {
  const value = grafana().reduceField({ field, reducers: [calc] })[calc];
  return typeof value === "number" ? value : null;
}

/** The name Grafana shows for a field (legend, table header) among all frames of the panel. */
export function displayName(field: Field, frame: DataFrame, frames: DataFrame[]): string {
  return grafana().getFieldDisplayName(field, frame, frames);
}

/** $__interval for a range drawn `width` pixels wide, at least `lowLimit` ("30s"). */
export function queryInterval(range: { fromMs: number; toMs: number }, width: number, lowLimit: string): number {
  const g = grafana();
  const timeRange = { from: g.dateTime(range.fromMs), to: g.dateTime(range.toMs), raw: { from: g.dateTime(range.fromMs), to: g.dateTime(range.toMs) } };
  return g.rangeUtil.calculateInterval(timeRange, width, lowLimit).intervalMs;
}

/**
 * A panel's transformations applied as Grafana applies them, one operator after the
 * other (disabled ones skipped). Grafana's transformDataFrame wrapper reads `window`, so
 * the transformers' operators are chained here directly.
 */
export async function applyTransformations(frames: DataFrame[], configs: readonly DataTransformerConfig[]): Promise<DataFrame[]> {
  const g = grafana();
  const { lastValueFrom, of } = await import("rxjs");
  const byId = new Map(Object.values(g.standardTransformers).map((t) => [t.id, t]));
  let out = frames;
  for (const config of configs) {
    if (config.disabled) continue;
    const transformer = byId.get(config.id);
    if (!transformer) throw new Error(`transformation "${config.id}" is not one of Grafana's standard transformations`);
    const operator = transformer.operator({ ...(transformer.defaultOptions ?? {}), ...(config.options ?? {}) }, { interpolate: (s: string) => s });
    out = await lastValueFrom(of(out).pipe(operator));
  }
  return out;
}
