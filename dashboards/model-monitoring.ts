/**
 * ML Model Monitoring: what the churn model predicts, how confident it is, and whether
 * its inputs still look like the training data.
 */
import * as barchart from "@grafana/grafana-foundation-sdk/barchart";
import * as common from "@grafana/grafana-foundation-sdk/common";
import { DashboardBuilder, RowBuilder } from "@grafana/grafana-foundation-sdk/dashboard";
import * as gauge from "@grafana/grafana-foundation-sdk/gauge";
import * as stat from "@grafana/grafana-foundation-sdk/stat";
import * as table from "@grafana/grafana-foundation-sdk/table";
import * as timeseries from "@grafana/grafana-foundation-sdk/timeseries";
import * as units from "@grafana/grafana-foundation-sdk/units";
import { LABEL } from "../catalog/metrics";
import {
  barchartPanel,
  CHURN_API_TAG,
  gaugePanel,
  instantTableQuery,
  organizedTable,
  PANEL_THRESHOLDS,
  promQuery,
  relatedDashboardsLink,
  statPanel,
  tablePanel,
  thresholdArea,
  thresholds,
  timeseriesPanel,
} from "./common";
import { modelQueries as q, VAR } from "./queries";
import { DASHBOARD_UID, MODEL_PANELS as P } from "./uids";
import {
  datasourceVariable,
  environmentVariable,
  modelVersionVariable,
  namespaceVariable,
  windowVariable,
} from "./variables";

export function predictionsPerSecondTimeseries(): timeseries.PanelBuilder {
  return timeseriesPanel()
    .title("Predictions per second by predicted class")
    .description("A shift between classes is often the first sign of drift.")
    .unit(units.OpsPerSecond)
    .withTarget(promQuery(q.predictionsPerSecondByClass, `{{${LABEL.prediction}}}`));
}

export function predictionLatencyTimeseries(): timeseries.PanelBuilder {
  return timeseriesPanel()
    .title("Prediction latency P95 by model version")
    .unit(units.Seconds)
    .withTarget(promQuery(q.predictionLatencyP95ByVersion, `{{${LABEL.modelVersion}}}`));
}

export function loadedModelVersionStat(): stat.PanelBuilder {
  return statPanel()
    .title("Loaded model version")
    .description("Model version(s) currently loaded; the value is the number of replicas serving it.")
    .graphMode(common.BigValueGraphMode.None)
    .textMode(common.BigValueTextMode.ValueAndName)
    .thresholds(thresholds("blue"))
    .withTarget(promQuery(q.loadedModelVersions, `{{${LABEL.modelVersion}}}`));
}

export function averageConfidenceGauge(): gauge.PanelBuilder {
  const t = PANEL_THRESHOLDS.averageConfidence;
  return gaugePanel()
    .title("Average prediction confidence")
    .description(`Mean confidence over the last $${VAR.window} (0 to 1).`)
    .unit(units.PercentUnit)
    .min(0)
    .max(1)
    .decimals(2)
    .thresholds(thresholds("red", [t.warning, "yellow"], [t.ok, "green"]))
    .withTarget(promQuery(q.averageConfidence, "confidence"));
}

export function lowConfidenceStat(): stat.PanelBuilder {
  const t = PANEL_THRESHOLDS.lowConfidencePercent;
  return statPanel()
    .title("Low-confidence predictions")
    .description(`Share of predictions below the service's confidence cut-off, over the last $${VAR.window}.`)
    .unit(units.Percent)
    .decimals(1)
    .thresholds(thresholds("green", [t.warning, "yellow"], [t.critical, "red"]))
    .withTarget(promQuery(q.lowConfidencePercent, "low confidence %"));
}

const MISSING_COLUMNS = { [LABEL.feature]: "Feature", Value: "Missing in range" };

export function missingFeaturesTable(): table.PanelBuilder {
  return tablePanel()
    .title("Missing features")
    .description("Prediction requests that lacked each feature, over the selected time range.")
    .withTarget(instantTableQuery(q.missingFeaturesByFeature))
    .transformations(organizedTable(MISSING_COLUMNS))
    .overrideByName(MISSING_COLUMNS.Value, [{ id: "decimals", value: 0 }]);
}

export function driftScoreTimeseries(): timeseries.PanelBuilder {
  return timeseriesPanel()
    .title("Data drift score by feature")
    .description(
      `Population stability index of each input feature against the training data; ` +
        `above ${PANEL_THRESHOLDS.driftScore.critical} the feature has drifted significantly.`,
    )
    .unit(units.Short)
    .min(0)
    .thresholds(thresholds("green", [PANEL_THRESHOLDS.driftScore.critical, "red"]))
    .thresholdsStyle(thresholdArea())
    .withTarget(promQuery(q.driftScoreByFeature, `{{${LABEL.feature}}}`));
}

export function predictionsByVersionTimeseries(): timeseries.PanelBuilder {
  return timeseriesPanel()
    .title("Predictions per second by model version")
    .unit(units.OpsPerSecond)
    .fillOpacity(40)
    .stacking(new common.StackingConfigBuilder().mode(common.StackingMode.Normal))
    .withTarget(promQuery(q.predictionsPerSecondByVersion, `{{${LABEL.modelVersion}}}`));
}

export function predictionsByVersionBarchart(): barchart.PanelBuilder {
  return barchartPanel()
    .title("Predictions in range by model version")
    .unit(units.Short)
    .xField(LABEL.modelVersion)
    .withTarget(instantTableQuery(q.predictionsInRangeByVersion))
    .transformations(organizedTable({}));
}

export function modelMonitoringDashboard(): DashboardBuilder {
  return new DashboardBuilder("ML Model Monitoring")
    .uid(DASHBOARD_UID.model)
    .description("Predictions, confidence, drift and missing inputs of the churn model.")
    .tags([CHURN_API_TAG, "ml-model"])
    .time({ from: "now-6h", to: "now" })
    .link(relatedDashboardsLink())
    .variables([
      datasourceVariable(),
      environmentVariable(),
      namespaceVariable(),
      modelVersionVariable(),
      windowVariable(),
    ])
    .withRow(new RowBuilder("Throughput").id(P.throughputRow))
    .withPanel(predictionsPerSecondTimeseries().id(P.predictionsPerSecond).span(9).height(8))
    .withPanel(predictionLatencyTimeseries().id(P.predictionLatencyP95).span(9).height(8))
    .withPanel(loadedModelVersionStat().id(P.loadedModelVersion).span(6).height(8))
    .withRow(new RowBuilder("Prediction quality").id(P.qualityRow))
    .withPanel(averageConfidenceGauge().id(P.averageConfidence).span(6).height(8))
    .withPanel(lowConfidenceStat().id(P.lowConfidence).span(6).height(8))
    .withPanel(missingFeaturesTable().id(P.missingFeatures).span(12).height(8))
    .withPanel(driftScoreTimeseries().id(P.driftScore).span(24).height(8))
    .withRow(new RowBuilder("Model versions").id(P.versionsRow))
    .withPanel(predictionsByVersionTimeseries().id(P.predictionsByVersion).span(16).height(8))
    .withPanel(predictionsByVersionBarchart().id(P.predictionsByVersionBars).span(8).height(8));
}
