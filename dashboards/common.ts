/**
 * Small factories every dashboard module starts from: a panel of each kind with the
 * project's defaults, the Prometheus query helpers and the link between dashboards.
 * Factories never set layout (span, height): the dashboard module does.
 */
import * as barchart from "@grafana/grafana-foundation-sdk/barchart";
import * as common from "@grafana/grafana-foundation-sdk/common";
import {
  DashboardLinkBuilder,
  DashboardLinkType,
  DataTransformerConfig,
  ThresholdsConfigBuilder,
  ThresholdsMode,
} from "@grafana/grafana-foundation-sdk/dashboard";
import * as gauge from "@grafana/grafana-foundation-sdk/gauge";
import * as heatmap from "@grafana/grafana-foundation-sdk/heatmap";
import * as prometheus from "@grafana/grafana-foundation-sdk/prometheus";
import * as stat from "@grafana/grafana-foundation-sdk/stat";
import * as table from "@grafana/grafana-foundation-sdk/table";
import * as timeseries from "@grafana/grafana-foundation-sdk/timeseries";
import { PROMETHEUS_DATASOURCE } from "../catalog/datasource";
import { VAR } from "./queries";

/** Panels and targets query whatever the datasource variable selects. */
export const DATASOURCE_VARIABLE_REF: common.DataSourceRef = {
  type: PROMETHEUS_DATASOURCE.type,
  uid: `\${${VAR.datasource}}`,
};

/** Tag every churn API dashboard carries; the dashboards link finds its siblings by it. */
export const CHURN_API_TAG = "churn-api";

/** Colour thresholds of the panels (the alert rules hold their own, usually stricter, values). */
export const PANEL_THRESHOLDS = {
  errorRatePercent: { warning: 1, critical: 5 },
  activeRequests: { warning: 50, critical: 100 },
  driftScore: { critical: 0.3 },
  lowConfidencePercent: { warning: 10, critical: 20 },
  averageConfidence: { warning: 0.6, ok: 0.8 },
} as const;

/** A range query; legendFormat "__auto" lets Grafana name series by their labels. */
export function promQuery(expr: string, legendFormat = "__auto", refId = "A"): prometheus.DataqueryBuilder {
  return new prometheus.DataqueryBuilder()
    .datasource(DATASOURCE_VARIABLE_REF)
    .editorMode(prometheus.QueryEditorMode.Code)
    .expr(expr)
    .legendFormat(legendFormat)
    .refId(refId)
    .range();
}

/** One value per series at the end of the range, as table rows (for tables and bar charts). */
export function instantTableQuery(expr: string, refId = "A"): prometheus.DataqueryBuilder {
  return promQuery(expr, "__auto", refId).instant().format(prometheus.PromQueryFormat.Table);
}

/** Histogram buckets, one series per `le`, for a heatmap panel. */
export function heatmapQuery(expr: string, refId = "A"): prometheus.DataqueryBuilder {
  return promQuery(expr, "{{le}}", refId).format(prometheus.PromQueryFormat.Heatmap);
}

/** Absolute thresholds: `base` colour below the first step. */
export function thresholds(base: string, ...steps: [value: number, color: string][]): ThresholdsConfigBuilder {
  return new ThresholdsConfigBuilder().mode(ThresholdsMode.Absolute).steps([
    // Grafana's first step has value null ("-Infinity"); the SDK types it as number.
    { value: null as unknown as number, color: base },
    ...steps.map(([value, color]) => ({ value, color })),
  ]);
}

export function timeseriesPanel(): timeseries.PanelBuilder {
  return new timeseries.PanelBuilder()
    .datasource(DATASOURCE_VARIABLE_REF)
    .lineWidth(1)
    .fillOpacity(10)
    .showPoints(common.VisibilityMode.Never)
    .legend(
      new common.VizLegendOptionsBuilder()
        .showLegend(true)
        .displayMode(common.LegendDisplayMode.List)
        .placement(common.LegendPlacement.Bottom),
    )
    .tooltip(new common.VizTooltipOptionsBuilder().mode(common.TooltipDisplayMode.Multi).sort(common.SortOrder.Descending));
}

/** Draws the panel's thresholds as dashed lines with shaded areas. */
export function thresholdArea(): common.GraphThresholdsStyleConfigBuilder {
  return new common.GraphThresholdsStyleConfigBuilder().mode(common.GraphThresholdsStyleMode.DashedAndArea);
}

export function statPanel(): stat.PanelBuilder {
  return new stat.PanelBuilder()
    .datasource(DATASOURCE_VARIABLE_REF)
    .graphMode(common.BigValueGraphMode.Area)
    .colorMode(common.BigValueColorMode.Value)
    .reduceOptions(new common.ReduceDataOptionsBuilder().calcs(["lastNotNull"]).values(false));
}

export function gaugePanel(): gauge.PanelBuilder {
  return new gauge.PanelBuilder()
    .datasource(DATASOURCE_VARIABLE_REF)
    .showThresholdMarkers(true)
    .reduceOptions(new common.ReduceDataOptionsBuilder().calcs(["lastNotNull"]).values(false));
}

export function tablePanel(): table.PanelBuilder {
  return new table.PanelBuilder().datasource(DATASOURCE_VARIABLE_REF).filterable(true);
}

/** Histogram buckets as Prometheus returns them: Grafana must not re-bucket them. */
export function heatmapPanel(): heatmap.PanelBuilder {
  return new heatmap.PanelBuilder().datasource(DATASOURCE_VARIABLE_REF).calculate(false);
}

export function barchartPanel(): barchart.PanelBuilder {
  return new barchart.PanelBuilder()
    .datasource(DATASOURCE_VARIABLE_REF)
    // One bar per category: the x axis already names them.
    .legend(new common.VizLegendOptionsBuilder().showLegend(false));
}

/**
 * Joins instant table queries on their shared labels (one row per label set) and gives the
 * value columns readable names; `Value #A` is how Grafana names query A's value column.
 */
export function mergedTable(columns: Record<string, string>): DataTransformerConfig[] {
  return [
    { id: "merge", options: {} },
    { id: "organize", options: { excludeByName: { Time: true }, renameByName: columns } },
  ];
}

/** Drops the timestamp column of a single instant table query and renames the rest. */
export function organizedTable(columns: Record<string, string>): DataTransformerConfig[] {
  return [{ id: "organize", options: { excludeByName: { Time: true }, renameByName: columns } }];
}

/** A drop-down of every churn API dashboard, carrying time range and variables across. */
export function relatedDashboardsLink(): DashboardLinkBuilder {
  return new DashboardLinkBuilder("Churn API dashboards")
    .type(DashboardLinkType.Dashboards)
    .tags([CHURN_API_TAG])
    .asDropdown(true)
    .includeVars(true)
    .keepTime(true);
}
