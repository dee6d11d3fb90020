/**
 * The preview history into a real Prometheus: written as OpenMetrics with the target
 * labels a scrape would add (docs/workload.md's scrape configuration), turned into TSDB
 * blocks by `promtool tsdb create-blocks-from openmetrics` (Prometheus' backfilling,
 * docs/storage.md), and served by Prometheus on 127.0.0.1 from a temp dir.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import { CHURN_API_JOB, TARGET_LABEL } from "../catalog/metrics";
import { PrometheusHandle, startPrometheus } from "../lib/prometheus/server";
import { History, HistorySeries } from "./history";

/** Where the series seem to come from: the stack's environment, as its Prometheus labels them. */
export interface TargetLabels {
  readonly environment: string;
}

const KUBE_EXPORTER_INSTANCE = "kube-exporter:9101";

function escapeLabel(v: string): string {
  return v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

/** Labels after the scrape: churn API targets get job/instance/namespace/environment/pod; exporters' own labels win (honor_labels). */
function scrapedLabels(s: HistorySeries, history: History, target: TargetLabels): Record<string, string> {
  if (s.source === CHURN_API_JOB) {
    return {
      ...s.labels,
      [TARGET_LABEL.job]: CHURN_API_JOB,
      instance: `${s.pod}:8080`,
      [TARGET_LABEL.namespace]: history.namespace,
      [TARGET_LABEL.environment]: target.environment,
      [TARGET_LABEL.pod]: s.pod ?? "",
    };
  }
  return { [TARGET_LABEL.job]: s.source, instance: KUBE_EXPORTER_INSTANCE, [TARGET_LABEL.environment]: target.environment, ...s.labels };
}

/** The history as an OpenMetrics text: each series' samples together, series sorted, timestamps in seconds. */
export function openMetrics(history: History, target: TargetLabels): string {
  const lines = history.series.map((s) => {
    const labels = scrapedLabels(s, history, target);
    const id = `${s.name}{${Object.keys(labels).sort().map((k) => `${k}="${escapeLabel(labels[k])}"`).join(",")}}`;
    return { id, s };
  });
  lines.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const out: string[] = [];
  for (const { id, s } of lines) {
    for (let i = 0; i < s.samples.length; i += 2) out.push(`${id} ${s.samples[i + 1]} ${s.samples[i] / 1000}`);
  }
  out.push("# EOF", "");
  return out.join("\n");
}

/** Prometheus serving the history (no scrape jobs: nothing but the backfilled blocks). */
export async function startBackfilledPrometheus(history: History, target: TargetLabels): Promise<PrometheusHandle> {
  return startPrometheus({
    scrapeIntervalSeconds: history.scrapeIntervalMs / 1000,
    data: async (tsdbDir, binaries) => {
      fs.mkdirSync(tsdbDir, { recursive: true });
      const input = path.join(path.dirname(tsdbDir), "history.om");
      fs.writeFileSync(input, openMetrics(history, target));
      await promisify(execFile)(binaries.promtool, ["tsdb", "create-blocks-from", "openmetrics", "--quiet", input, tsdbDir], {
        maxBuffer: 16 * 1024 * 1024,
      }).catch((err: { stderr?: string; stdout?: string }) => {
        throw new Error(`promtool tsdb create-blocks-from openmetrics failed:\n${err.stdout ?? ""}${err.stderr ?? ""}`);
      });
      fs.rmSync(input);
    },
  });
}
