/**
 * Churn API – Performance: traffic, latency, errors and saturation of the HTTP service.
 */
import { DashboardBuilder, RowBuilder } from "@grafana/grafana-foundation-sdk/dashboard";
import * as gauge from "@grafana/grafana-foundation-sdk/gauge";
import * as heatmap from "@grafana/grafana-foundation-sdk/heatmap";
import * as stat from "@grafana/grafana-foundation-sdk/stat";
import * as table from "@grafana/grafana-foundation-sdk/table";
import * as timeseries from "@grafana/grafana-foundation-sdk/timeseries";
import * as units from "@grafana/grafana-foundation-sdk/units";
import {
  CHURN_API_TAG,
  gaugePanel,
  heatmapPanel,
  heatmapQuery,
  instantTableQuery,
  mergedTable,
  PANEL_THRESHOLDS,
  promQuery,
  relatedDashboardsLink,
  statPanel,
  tablePanel,
  thresholdArea,
  thresholds,
  timeseriesPanel,
} from "./common";
import { performanceQueries as q } from "./queries";
import { DASHBOARD_UID, PERFORMANCE_PANELS as P } from "./uids";
import { datasourceVariable, endpointVariable, environmentVariable, namespaceVariable } from "./variables";

export function requestRateTimeseries(): timeseries.PanelBuilder {
  return timeseriesPanel()
    .title("Requests per second by endpoint")
    .unit(units.RequestsPerSecond)
    .withTarget(promQuery(q.requestsPerSecondByPath, "{{path}}"));
}

export function latencyTimeseries(): timeseries.PanelBuilder {
  return timeseriesPanel()
    .title("Request latency (P95, P99)")
    .description("histogram_quantile over the request duration buckets of the selected endpoints.")
    .unit(units.Seconds)
    .withTarget(promQuery(q.latencyQuantile(0.95), "P95", "A"))
    .withTarget(promQuery(q.latencyQuantile(0.99), "P99", "B"));
}

export function errorRateTimeseries(): timeseries.PanelBuilder {
  const t = PANEL_THRESHOLDS.errorRatePercent;
  return timeseriesPanel()
    .title("5xx error rate")
    .description(`Share of requests answered with a 5xx status. Yellow from ${t.warning} %, red from ${t.critical} %.`)
    .unit(units.Percent)
    .min(0)
    .thresholds(thresholds("green", [t.warning, "yellow"], [t.critical, "red"]))
    .thresholdsStyle(thresholdArea())
    .withTarget(promQuery(q.errorRatePercent, "5xx %"));
}

export function activeRequestsGauge(): gauge.PanelBuilder {
  const t = PANEL_THRESHOLDS.activeRequests;
  return gaugePanel()
    .title("Active requests")
    .description("Requests being served right now, summed over all replicas.")
    .unit(units.Short)
    .min(0)
    .max(t.critical * 1.5)
    .thresholds(thresholds("green", [t.warning, "yellow"], [t.critical, "red"]))
    .withTarget(promQuery(q.activeRequests, "in flight"));
}

export function predictionsPerMinuteStat(): stat.PanelBuilder {
  return statPanel()
    .title("Predictions per minute")
    .unit(units.Short)
    .decimals(0)
    .thresholds(thresholds("blue"))
    .withTarget(promQuery(q.predictionsPerMinute, "predictions/min"));
}

const ENDPOINT_COLUMNS = { path: "Endpoint", "Value #A": "Requests/s", "Value #B": "P95 latency" };

export function endpointStatisticsTable(): table.PanelBuilder {
  return tablePanel()
    .title("Endpoint statistics")
    .description("Averages over the selected time range.")
    .withTarget(instantTableQuery(q.endpointRequestsPerSecond, "A"))
    .withTarget(instantTableQuery(q.endpointLatencyP95, "B"))
    .transformations(mergedTable(ENDPOINT_COLUMNS))
    .overrideByName(ENDPOINT_COLUMNS["Value #A"], [{ id: "unit", value: units.RequestsPerSecond }])
    .overrideByName(ENDPOINT_COLUMNS["Value #B"], [{ id: "unit", value: units.Seconds }]);
}

export function latencyHeatmap(): heatmap.PanelBuilder {
  return heatmapPanel()
    .title("Request latency distribution")
    .yAxis(new heatmap.YAxisConfigBuilder().unit(units.Seconds))
    .withTarget(heatmapQuery(q.latencyBuckets));
}

export function performanceDashboard(): DashboardBuilder {
  return new DashboardBuilder("Churn API – Performance")
    .uid(DASHBOARD_UID.performance)
    .description("Traffic, latency, errors and saturation of the churn prediction API.")
    .tags([CHURN_API_TAG, "performance"])
    .time({ from: "now-6h", to: "now" })
    .link(relatedDashboardsLink())
    .variables([datasourceVariable(), environmentVariable(), namespaceVariable(), endpointVariable()])
    .withRow(new RowBuilder("Traffic, latency and errors").id(P.trafficRow))
    .withPanel(requestRateTimeseries().id(P.requestsByPath).span(12).height(8))
    .withPanel(latencyTimeseries().id(P.p95Latency).span(12).height(8))
    .withPanel(errorRateTimeseries().id(P.errorRate).span(12).height(7))
    .withPanel(activeRequestsGauge().id(P.activeRequests).span(6).height(7))
    .withPanel(predictionsPerMinuteStat().id(P.predictionsPerMinute).span(6).height(7))
    .withRow(new RowBuilder("Endpoints").id(P.endpointsRow))
    .withPanel(endpointStatisticsTable().id(P.endpointStatistics).span(12).height(9))
    .withPanel(latencyHeatmap().id(P.latencyHeatmap).span(12).height(9));
}
