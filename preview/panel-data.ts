/**
 * What one panel shows: its targets interpolated with the dashboard's variables and the
 * interval Grafana computes for the panel's drawn width, sent to Prometheus, turned into
 * frames, transformed and given their field config, as Grafana would on load.
 */
import type { DataFrame, DataTransformerConfig } from "@grafana/data";
import { PanelModel } from "../dashboards/types";
import { VariableValue } from "../lib/grafana-interpolate";
import { parsePrometheusDuration } from "../lib/durations";
import { interpolate } from "../lib/grafana-interpolate";
import { PrometheusHandle } from "../lib/prometheus/server";
import { selectedMetricNames } from "../validation";
import { applyFieldConfig, PanelFieldConfig, QueryFormat, QueryResult, toFrames } from "./frames";
import { applyTransformations, queryInterval } from "./grafana";
import { panelTargets, runQuery } from "./panel-targets";

export interface PanelQueryContext {
  readonly dashboard: { readonly uid: string; readonly title: string };
  readonly prometheus: PrometheusHandle;
  readonly variables: Readonly<Record<string, VariableValue>>;
  /** The dashboard's time range, in ms since the epoch. */
  readonly fromMs: number;
  readonly toMs: number;
  /** The datasource's scrape interval (its timeInterval), seconds. */
  readonly scrapeIntervalSeconds: number;
  /** Series names the reference workload exports: other metrics cannot have data here. */
  readonly exported: ReadonlySet<string>;
}

export interface PanelData {
  readonly frames: DataFrame[];
  /** Each target as sent (after interpolation). */
  readonly queries: readonly { readonly refId: string; readonly expr: string }[];
  /** Metrics the panel queries that the reference workload does not export (nothing was queried). */
  readonly notExported: readonly string[];
  /** What Prometheus (or the interpolation) refused. */
  readonly error?: string;
  readonly intervalMs: number;
}

/** Grafana's "Value"-per-series frames hold data when at least one value is a number. */
export function hasData(frames: readonly DataFrame[]): boolean {
  return frames.some((f) => f.length > 0 && f.fields.some((x) => x.type === "number" && x.values.some((v) => typeof v === "number")));
}

export async function panelData(panel: PanelModel, widthPx: number, ctx: PanelQueryContext): Promise<PanelData> {
  const { targets } = panelTargets(ctx.dashboard, panel);
  const rangeMs = ctx.toMs - ctx.fromMs;
  const timing = { variables: ctx.variables, rangeMs, scrapeIntervalSeconds: ctx.scrapeIntervalSeconds };
  // PanelQueryRunner: the panel's min interval, else the datasource's, bounds $__interval from below.
  const panelMin = typeof panel.interval === "string" && panel.interval ? interpolate(panel.interval, { ...timing, intervalMs: 0 }).expr.replace(/^>/, "") : `${ctx.scrapeIntervalSeconds}s`;
  const resolution = typeof panel.maxDataPoints === "number" && panel.maxDataPoints > 0 ? panel.maxDataPoints : Math.max(1, Math.round(widthPx));
  const intervalMs = queryInterval({ fromMs: ctx.fromMs, toMs: ctx.toMs }, resolution, panelMin);
  const queries = targets.map((t) => {
    const targetMin = t.minIntervals.map((m) => parsePrometheusDuration(interpolate(m, { ...timing, intervalMs }).expr.replace(/^>/, "")) ?? 0);
    const ms = Math.max(intervalMs, ...targetMin);
    return { target: t, ctx: { ...timing, intervalMs: ms }, expr: interpolate(t.expr, { ...timing, intervalMs: ms }).expr };
  });
  const sent = queries.map((q) => ({ refId: q.target.refId, expr: q.expr }));
  const notExported = [...new Set(queries.flatMap((q) => selectedMetricNames(q.expr)).filter((m) => !ctx.exported.has(m)))].sort();
  const empty = { frames: [], queries: sent, intervalMs };
  if (notExported.length > 0) return { ...empty, notExported };
  try {
    const results: QueryResult[] = [];
    for (const q of queries) {
      const outcome = await runQuery(ctx.prometheus, q.target.expr, q.ctx, q.target, ctx.toMs / 1000);
      results.push({ refId: q.target.refId, format: q.target.format as QueryFormat, legendFormat: q.target.legendFormat, instant: outcome.instant, range: outcome.range });
    }
    const transformations = Array.isArray(panel.transformations) ? (panel.transformations as DataTransformerConfig[]) : [];
    const frames = applyFieldConfig(await applyTransformations(toFrames(results), transformations), panel.fieldConfig as PanelFieldConfig | undefined);
    return { frames, queries: sent, notExported: [], intervalMs };
  } catch (err) {
    return { ...empty, notExported: [], error: err instanceof Error ? err.message : String(err) };
  }
}
