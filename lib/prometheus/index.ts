/**
 * A real Prometheus on 127.0.0.1 (Debian's package): finding the binaries, starting it on
 * a free port with its data in a temp dir, querying it, and stopping it. Used by the
 * tests (tests/prometheus/) and the previews (preview/).
 */
export { ENV, INSTALL_COMMAND, findPrometheusBinaries } from "./binaries";
export type { PrometheusBinaries } from "./binaries";
export { onExit } from "./cleanup";
export { freePort } from "./ports";
export { asVector, prometheusConfig, PrometheusQueryError, seriesCount, startPrometheus } from "./server";
export type {
  ActiveTarget,
  ChurnApiTarget,
  Labels,
  PrometheusHandle,
  PrometheusTargets,
  QueryData,
  RangeSeries,
  Sample,
  StartPrometheusOptions,
} from "./server";
export { waitForSeries, waitUntil } from "./wait";
export type { WaitOptions } from "./wait";
export { parseExposition, scrape, sumOf } from "./exposition";
export type { ExposedSample, Exposition } from "./exposition";
