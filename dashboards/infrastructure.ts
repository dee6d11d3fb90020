/**
 * Infrastructure: the churn API's pods as Kubernetes sees them (cAdvisor and
 * kube-state-metrics). Memory is shown in bytes (unit "bytes", IEC: Grafana scales to
 * MiB/GiB), not pre-divided into GB.
 */
import * as common from "@grafana/grafana-foundation-sdk/common";
import { DashboardBuilder, RowBuilder } from "@grafana/grafana-foundation-sdk/dashboard";
import * as table from "@grafana/grafana-foundation-sdk/table";
import * as timeseries from "@grafana/grafana-foundation-sdk/timeseries";
import * as units from "@grafana/grafana-foundation-sdk/units";
import { TARGET_LABEL } from "../catalog/metrics";
import {
  CHURN_API_TAG,
  instantTableQuery,
  mergedTable,
  promQuery,
  relatedDashboardsLink,
  tablePanel,
  thresholds,
  timeseriesPanel,
} from "./common";
import { infrastructureQueries as q } from "./queries";
import { DASHBOARD_UID, INFRASTRUCTURE_PANELS as P } from "./uids";
import { datasourceVariable, environmentVariable, namespaceVariable, podVariable } from "./variables";

const byPod = `{{${TARGET_LABEL.pod}}}`;

export function cpuTimeseries(): timeseries.PanelBuilder {
  return timeseriesPanel()
    .title("CPU usage per pod (cores)")
    .unit(units.Short)
    .min(0)
    .withTarget(promQuery(q.cpuCoresByPod, byPod));
}

export function memoryTimeseries(): timeseries.PanelBuilder {
  return timeseriesPanel()
    .title("Memory working set per pod")
    .unit(units.BytesIEC)
    .min(0)
    .withTarget(promQuery(q.memoryBytesByPod, byPod));
}

/** Receive above the axis, transmit mirrored below it, so both fit one panel. */
export function networkTimeseries(): timeseries.PanelBuilder {
  return timeseriesPanel()
    .title("Network I/O per pod")
    .unit(units.BytesPerSecondSI)
    .withTarget(promQuery(q.networkReceiveByPod, `${byPod} receive`, "A"))
    .withTarget(promQuery(q.networkTransmitByPod, `${byPod} transmit`, "B"))
    .overrideByQuery("B", [{ id: "custom.transform", value: common.GraphTransform.NegativeY }]);
}

const RESTART_COLUMNS = { [TARGET_LABEL.pod]: "Pod", "Value #A": "Restarts in range", "Value #B": "Restarts total" };

export function restartsTable(): table.PanelBuilder {
  return tablePanel()
    .title("Pod restarts")
    .withTarget(instantTableQuery(q.restartsInRangeByPod, "A"))
    .withTarget(instantTableQuery(q.restartsTotalByPod, "B"))
    .transformations(mergedTable(RESTART_COLUMNS))
    .decimals(0)
    .overrideByName(RESTART_COLUMNS["Value #A"], [
      { id: "thresholds", value: thresholds("green", [1, "red"]).build() },
      { id: "custom.cellOptions", value: { type: "color-text" } },
    ]);
}

export function infrastructureDashboard(): DashboardBuilder {
  return new DashboardBuilder("Churn API – Infrastructure")
    .uid(DASHBOARD_UID.infrastructure)
    .description("CPU, memory, network and restarts of the churn API's pods.")
    .tags([CHURN_API_TAG, "infrastructure", "kubernetes"])
    .time({ from: "now-1h", to: "now" })
    .link(relatedDashboardsLink())
    .variables([datasourceVariable(), environmentVariable(), namespaceVariable(), podVariable()])
    .withRow(new RowBuilder("Resources").id(P.resourcesRow))
    .withPanel(cpuTimeseries().id(P.cpu).span(12).height(8))
    .withPanel(memoryTimeseries().id(P.memory).span(12).height(8))
    .withRow(new RowBuilder("Network and restarts").id(P.networkRow))
    .withPanel(networkTimeseries().id(P.network).span(16).height(8))
    .withPanel(restartsTable().id(P.restarts).span(8).height(8));
}
