/**
 * What the preview history shows: six hours of the reference churn API's traffic in which
 * each dashboard's story happens once. Fixed in time and seeded, so every run draws the
 * same picture.
 */
import { PROMETHEUS_SCRAPE_INTERVAL_SECONDS } from "../catalog/datasource";
import { Faults } from "../workload/faults";
import { Population } from "../workload/features";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** Something that happens during the history, from `from` to `to` (offsets from its start). */
export interface Phase {
  readonly name: string;
  readonly from: number;
  readonly to: number;
  /** Faults both pods show meanwhile. */
  readonly faults?: Partial<Faults>;
  /** Share of prediction requests the router sends to the canary model version. */
  readonly canaryShare?: number;
  /** Share of customers drawn from `population` instead of the training distribution. */
  readonly drift?: { readonly share: number; readonly population: Population; readonly feature: string };
}

export const PREVIEW_HISTORY = {
  /** "now" of every preview: a fixed moment (Monday 12 January 2026, 12:00 UTC). */
  endMs: Date.UTC(2026, 0, 12, 12, 0, 0),
  durationMs: 6 * HOUR,
  /** Sampled at the provisioned datasource's scrape interval, as Grafana expects. */
  scrapeIntervalSeconds: PROMETHEUS_SCRAPE_INTERVAL_SECONDS,
  pods: ["churn-api-0", "churn-api-1"],
  stableVersion: "v1",
  canaryVersion: "v2",
  /** Mean arrival rate of requests per pod; the day's traffic swells by a quarter around mid-range. */
  requestsPerSecond: 1,
  seed: 17,
  /** A container restart (as kube-state-metrics counts it; the process starts from zero). */
  restart: { pod: "churn-api-1", at: 5 * HOUR + 20 * MINUTE },
} as const;

/** Higher monthly charges than the model was trained on (a price rise), nothing else shifted. */
const PRICE_RISE: Population = { monthly_charges: [0, 0, 0, 0.02, 0.03, 0.05, 0.1, 0.2, 0.3, 0.3] };

export const STORY: readonly Phase[] = [
  { name: "error burst", from: 1 * HOUR, to: 1 * HOUR + 20 * MINUTE, faults: { errorRate: 0.25 } },
  { name: "latency spike", from: 2 * HOUR, to: 2 * HOUR + 15 * MINUTE, faults: { extraLatencyMs: 900, slowShare: 0.6 } },
  { name: "canary model version", from: 3 * HOUR, to: PREVIEW_HISTORY.durationMs, canaryShare: 0.25 },
  {
    name: "drift on one feature",
    from: 4 * HOUR,
    to: PREVIEW_HISTORY.durationMs,
    drift: { share: 0.6, population: PRICE_RISE, feature: "monthly_charges" },
  },
];

/** One line per phase, for the previews' caption and the docs. */
export function storyLines(): string[] {
  const at = (ms: number) => `${Math.floor(ms / HOUR)}h${String(Math.round((ms % HOUR) / MINUTE)).padStart(2, "0")}`;
  return [
    ...STORY.map((p) => `${at(p.from)}–${p.to >= PREVIEW_HISTORY.durationMs ? "end" : at(p.to)} ${p.name}`),
    `${at(PREVIEW_HISTORY.restart.at)} ${PREVIEW_HISTORY.restart.pod} restarts`,
  ];
}
