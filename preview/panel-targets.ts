/**
 * Every query a dashboard sends, and running one as Grafana would: the panel targets of
 * every panel (rows' nested panels included), interpolated with resolved variables and
 * Grafana's interval rules, sent as an instant and/or range query. Used by the previews
 * (preview/) and the tests against a real Prometheus.
 */
import { allPanels } from "../dashboards";
import { DashboardSpec, PanelModel, TargetModel } from "../dashboards/types";
import { InterpolationContext, interpolate } from "../lib/grafana-interpolate";
import { parsePrometheusDuration } from "../validation";
import { Labels, PrometheusHandle, QueryData, RangeSeries, Sample } from "../lib/prometheus/server";

export interface PanelTarget {
  /** `<dashboard uid>/<panel id>/<refId>`: names the target in lists and failures. */
  readonly key: string;
  readonly dashboardUid: string;
  readonly dashboardTitle: string;
  readonly panelId?: number;
  readonly panelTitle: string;
  readonly refId: string;
  readonly expr: string;
  /** Grafana sends an instant query for it. */
  readonly instant: boolean;
  /** Grafana sends a range query for it (the default when neither flag is set). */
  readonly range: boolean;
  /** Minimum intervals ("30s", ">1m", "$var") of the panel and of the target, if set. */
  readonly minIntervals: readonly string[];
  /** How Grafana shapes the answer: "time_series" (default), "table" or "heatmap". */
  readonly format: string;
  readonly legendFormat?: string;
}

export interface SkippedTarget {
  readonly key: string;
  readonly reason: string;
}

const PROMETHEUS = "prometheus";

function datasourceType(ref: PanelModel["datasource"]): string | undefined {
  if (ref && typeof ref === "object") return typeof ref.type === "string" ? ref.type : undefined;
  if (typeof ref === "string") return ref === "-- Grafana --" ? "grafana" : ref === "-- Mixed --" ? "mixed" : undefined;
  return undefined;
}

export const panelName = (panel: PanelModel): string => `${typeof panel.title === "string" && panel.title ? panel.title : "untitled"}${typeof panel.id === "number" ? ` (#${panel.id})` : ""}`;

/**
 * The Prometheus targets of every panel of every dashboard. Targets Grafana does not run
 * against Prometheus come back in `skipped` with the reason: hidden ones (`hide: true`)
 * and those of another datasource type.
 */
export function dashboardTargets(dashboards: readonly DashboardSpec[]): { targets: PanelTarget[]; skipped: SkippedTarget[] } {
  const targets: PanelTarget[] = [];
  const skipped: SkippedTarget[] = [];
  for (const d of dashboards) {
    const dashboard = { uid: d.uid, title: typeof d.model.title === "string" ? d.model.title : d.title };
    for (const panel of allPanels(d.model)) {
      const found = panelTargets(dashboard, panel);
      targets.push(...found.targets);
      skipped.push(...found.skipped);
    }
  }
  return { targets, skipped };
}

/** The Prometheus targets of one panel, and those Grafana does not run against Prometheus. */
export function panelTargets(dashboard: { readonly uid: string; readonly title: string }, panel: PanelModel): { targets: PanelTarget[]; skipped: SkippedTarget[] } {
  const targets: PanelTarget[] = [];
  const skipped: SkippedTarget[] = [];
  (Array.isArray(panel.targets) ? panel.targets : []).forEach((t: TargetModel, i) => {
    const refId = typeof t.refId === "string" && t.refId ? t.refId : `#${i + 1}`;
    const key = `${dashboard.uid}/${panel.id ?? panelName(panel)}/${refId}`;
    const type = datasourceType(t.datasource ?? null) ?? datasourceType(panel.datasource ?? null) ?? PROMETHEUS;
    if (t.hide === true) return void skipped.push({ key, reason: "hidden (hide: true): Grafana does not run it" });
    if (type !== PROMETHEUS) return void skipped.push({ key, reason: `datasource type "${type}", not Prometheus` });
    const range = t.range === true || t.instant !== true;
    const minIntervals = [panel.interval, t.interval].filter((s): s is string => typeof s === "string" && s.trim() !== "");
    targets.push({
      key,
      dashboardUid: dashboard.uid,
      dashboardTitle: dashboard.title,
      panelId: panel.id,
      panelTitle: panelName(panel),
      refId,
      expr: typeof t.expr === "string" ? t.expr : "",
      instant: t.instant === true,
      range,
      minIntervals,
      format: typeof t.format === "string" ? t.format : "time_series",
      legendFormat: typeof t.legendFormat === "string" ? t.legendFormat : undefined,
    });
  });
  return { targets, skipped };
}

/**
 * $__interval as Grafana's Prometheus datasource computes it for a 5-minute range: the
 * range over the panel's data points is far below the scrape interval, so the scrape
 * interval wins, unless the panel or the target sets a larger minimum interval.
 */
export function effectiveIntervalMs(minIntervals: readonly string[], ctx: InterpolationContext): number {
  let ms = ctx.scrapeIntervalSeconds * 1000;
  for (const raw of minIntervals) {
    const text = interpolate(raw.trim(), ctx).expr.replace(/^>/, "");
    const parsed = parsePrometheusDuration(text);
    if (parsed === undefined) throw new Error(`minimum interval ${JSON.stringify(raw)} is not a duration (sent as ${JSON.stringify(text)})`);
    ms = Math.max(ms, parsed);
  }
  return ms;
}

export interface QueryOutcome {
  /** The expression as sent. */
  readonly sent: string;
  /** Result of the instant query (a scalar as one series without labels), when Grafana sends one. */
  readonly instant?: { metric: Labels; value: Sample }[];
  /** Result of the range query, when Grafana sends one. */
  readonly range?: RangeSeries[];
  /** Fewest series over the queries sent. */
  readonly series: number;
}

function asInstant(data: QueryData): { metric: Labels; value: Sample }[] {
  if (data.resultType === "vector") return data.result;
  if (data.resultType === "scalar") return [{ metric: {}, value: data.result }];
  throw new Error(`instant query returned a ${data.resultType}`);
}

/** Sends `expr` as Grafana would for a target: an instant query at the range's end, a range query stepped by $__interval. */
export async function runQuery(
  prometheus: PrometheusHandle,
  expr: string,
  ctx: InterpolationContext,
  modes: { readonly instant: boolean; readonly range: boolean },
  now: number = Date.now() / 1000,
): Promise<QueryOutcome> {
  const { expr: sent, unknownVariables } = interpolate(expr, ctx);
  // "$1" in label_replace() is a regex group, not a variable.
  const unknown = unknownVariables.filter((n) => !/^\d+$/.test(n));
  if (unknown.length > 0) throw new Error(`undefined variable(s) ${unknown.map((n) => `$${n}`).join(", ")} in ${sent}`);
  const stepSeconds = Math.max(1, ctx.intervalMs / 1000);
  // Grafana aligns the range to the step.
  const end = Math.floor(now / stepSeconds) * stepSeconds;
  const start = Math.floor((now - ctx.rangeMs / 1000) / stepSeconds) * stepSeconds;
  const counts: number[] = [];
  let instant: { metric: Labels; value: Sample }[] | undefined;
  let range: RangeSeries[] | undefined;
  if (modes.instant) counts.push((instant = asInstant(await prometheus.query(sent, now))).length);
  if (modes.range) counts.push((range = await prometheus.queryRange(sent, { start, end, stepSeconds })).length);
  return { sent, instant, range, series: Math.min(...counts) };
}
