/**
 * Prometheus answers as the data frames Grafana's Prometheus datasource hands a panel
 * (time series: one frame per series, the legend rendered from legendFormat; table: one
 * frame per query with Time, the labels and "Value" or "Value #<refId>"; heatmap: buckets
 * de-accumulated by `le`), and the panel's field config (defaults, then overrides) applied
 * after its transformations, as Grafana does.
 */
import type { DataFrame, Field, FieldConfig, FieldType } from "@grafana/data";
import { Labels, RangeSeries, Sample } from "../lib/prometheus/server";
import { grafana, displayName } from "./grafana";

export type QueryFormat = "time_series" | "table" | "heatmap";

export interface QueryResult {
  readonly refId: string;
  readonly format: QueryFormat;
  readonly legendFormat?: string;
  readonly instant?: readonly { metric: Labels; value: Sample }[];
  readonly range?: readonly RangeSeries[];
}

const TIME = "time" as FieldType;
const NUMBER = "number" as FieldType;
const STRING = "string" as FieldType;

const number = (v: string): number | null => {
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
};

/** legendFormat as the datasource renders it: {{label}} replaced; "__auto" or empty leaves naming to Grafana. */
export function renderLegend(format: string | undefined, labels: Labels): string | undefined {
  if (!format || format === "__auto") return undefined;
  return format.replace(/\{\{\s*(.+?)\s*\}\}/g, (_, name: string) => labels[name] ?? "");
}

function withoutName(labels: Labels): Labels {
  const { __name__: _, ...rest } = labels;
  return rest;
}

function seriesFrame(refId: string, metric: Labels, samples: readonly Sample[], legendFormat?: string): DataFrame {
  const labels = withoutName(metric);
  const name = renderLegend(legendFormat, labels);
  return grafana().createDataFrame({
    refId,
    fields: [
      { name: "Time", type: TIME, values: samples.map(([t]) => t * 1000), config: {} },
      { name: "Value", type: NUMBER, values: samples.map(([, v]) => number(v)), labels, config: name === undefined ? {} : { displayNameFromDS: name } },
    ],
  });
}

function tableFrame(result: QueryResult, queries: number): DataFrame {
  const rows = [...(result.instant ?? []).map((r) => ({ metric: withoutName(r.metric), sample: r.value })), ...(result.range ?? []).flatMap((r) => r.values.map((sample) => ({ metric: withoutName(r.metric), sample })))];
  const labelNames = [...new Set(rows.flatMap((r) => Object.keys(r.metric)))].sort();
  return grafana().createDataFrame({
    refId: result.refId,
    fields: [
      { name: "Time", type: TIME, values: rows.map((r) => r.sample[0] * 1000), config: {} },
      ...labelNames.map((l) => ({ name: l, type: STRING, values: rows.map((r) => r.metric[l] ?? ""), config: {} })),
      { name: queries > 1 ? `Value #${result.refId}` : "Value", type: NUMBER, values: rows.map((r) => number(r.sample[1])), config: {} },
    ],
  });
}

/** Cumulative `le` buckets -> per-bucket counts, lowest bucket first. */
function heatmapFrames(result: QueryResult): DataFrame[] {
  const le = (s: RangeSeries) => (s.metric.le === "+Inf" ? Infinity : Number(s.metric.le));
  const sorted = [...(result.range ?? [])].sort((a, b) => le(a) - le(b));
  return sorted.map((s, i) => {
    const below = i > 0 ? new Map(sorted[i - 1].values.map(([t, v]) => [t, number(v) ?? 0])) : undefined;
    const values = s.values.map(([t, v]): Sample => [t, String((number(v) ?? 0) - (below?.get(t) ?? 0))]);
    return seriesFrame(result.refId, s.metric, values, result.legendFormat ?? "{{le}}");
  });
}

/** The frames a panel receives from its queries. */
export function toFrames(results: readonly QueryResult[]): DataFrame[] {
  return results.flatMap((r) => {
    if (r.format === "table") return [tableFrame(r, results.length)];
    if (r.format === "heatmap") return heatmapFrames(r);
    const instant = (r.instant ?? []).map((x) => seriesFrame(r.refId, x.metric, [x.value], r.legendFormat));
    return [...instant, ...(r.range ?? []).map((s) => seriesFrame(r.refId, s.metric, s.values, r.legendFormat))];
  });
}

interface Override {
  readonly matcher?: { readonly id?: string; readonly options?: unknown };
  readonly properties?: readonly { readonly id?: string; readonly value?: unknown }[];
}

export interface PanelFieldConfig {
  readonly defaults?: FieldConfig;
  readonly overrides?: readonly Override[];
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split(".");
  let at = target;
  for (const key of keys.slice(0, -1)) at = (at[key] = { ...((at[key] as Record<string, unknown> | undefined) ?? {}) }) as Record<string, unknown>;
  at[keys[keys.length - 1]] = value;
}

function matches(matcher: Override["matcher"], field: Field, frame: DataFrame, frames: DataFrame[]): boolean {
  const option = matcher?.options;
  switch (matcher?.id) {
    case "byName":
      return typeof option === "string" && (field.name === option || displayName(field, frame, frames) === option);
    case "byFrameRefID":
      return typeof option === "string" && frame.refId === option;
    case "byRegexp":
      return typeof option === "string" && new RegExp(option).test(displayName(field, frame, frames));
    case "byType":
      return field.type === option;
    default:
      return false;
  }
}

/** Field config as Grafana resolves it: the panel defaults, then each matching override's properties in order. */
export function applyFieldConfig(frames: DataFrame[], fieldConfig: PanelFieldConfig | undefined): DataFrame[] {
  return frames.map((frame) => ({
    ...frame,
    fields: frame.fields.map((field) => {
      const config: Record<string, unknown> = { ...(fieldConfig?.defaults ?? {}), ...field.config };
      for (const override of fieldConfig?.overrides ?? []) {
        if (!matches(override.matcher, field, frame, frames)) continue;
        for (const p of override.properties ?? []) if (p.id) setPath(config, p.id, p.value);
      }
      return { ...field, config: config as FieldConfig };
    }),
  }));
}
