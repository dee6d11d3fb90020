/**
 * The preview history: the reference workload's own code (routes, model, drift monitor,
 * prom-client registry, synthetic Kubernetes exporter) run through STORY on a virtual
 * clock, and scraped every scrape interval by parsing the exposition text each /metrics
 * endpoint would serve. Six hours take seconds, and the same seed gives the same samples.
 */
import { CHURN_API_JOB } from "../catalog/metrics";
import { parseExposition, parseSampleValue } from "../lib/prometheus/exposition";
import { createHandler, parseJsonBody } from "../workload/handler";
import { SyntheticPods } from "../workload/kube-metrics";
import { buildRequest, pickRequestKind } from "../workload/load";
import { createRng, Rng } from "../workload/random";
import { ChurnService } from "../workload/service";
import { Phase, PREVIEW_HISTORY, STORY } from "./story";
import { VirtualClock } from "./virtual-clock";

/** The scrape job a series came from (and so which target labels it gets). */
export type Source = typeof CHURN_API_JOB | "kubelet" | "kube-state-metrics";

export interface HistorySeries {
  readonly source: Source;
  /** The churn API pod scraped (churn-api series); Kubernetes series name theirs in `labels`. */
  readonly pod?: string;
  readonly name: string;
  /** Labels as exported (target labels are added when the history is written). */
  readonly labels: Readonly<Record<string, string>>;
  /** Timestamps (ms) and values, interleaved. */
  readonly samples: number[];
}

export interface History {
  readonly startMs: number;
  readonly endMs: number;
  readonly scrapeIntervalMs: number;
  readonly namespace: string;
  readonly series: readonly HistorySeries[];
  readonly requests: number;
}

interface Pod {
  readonly name: string;
  service: ChurnService;
  handle: ReturnType<typeof createHandler>;
  readonly rng: Rng;
}

const active = (t: number, start: number) => STORY.filter((p) => t - start >= p.from && t - start < p.to);
const sum = (phases: readonly Phase[], pick: (p: Phase) => number | undefined) => phases.reduce((s, p) => s + (pick(p) ?? 0), 0);

function newService(clock: VirtualClock, seed: number): ChurnService {
  const h = PREVIEW_HISTORY;
  // The canary is loaded everywhere; the router decides how much traffic it gets (x-model-version).
  return new ChurnService({ modelVersion: h.stableVersion, canaryVersion: h.canaryVersion, canaryShare: 0, random: createRng(seed), clock });
}

/** Runs the story; `namespace` is where the synthetic Kubernetes exporter says the pods run. */
export async function simulateHistory(namespace: string): Promise<History> {
  const h = PREVIEW_HISTORY;
  const endMs = h.endMs;
  const startMs = endMs - h.durationMs;
  const scrapeIntervalMs = h.scrapeIntervalSeconds * 1000;
  const clock = new VirtualClock(startMs);
  const kube = new SyntheticPods({ namespace, pods: h.pods, now: () => clock.now() });
  const pods: Pod[] = h.pods.map((name, i) => {
    const service = newService(clock, h.seed * 100 + i);
    return { name, service, handle: createHandler(service), rng: createRng(h.seed * 1000 + i) };
  });
  const series = new Map<string, HistorySeries>();
  let requests = 0;

  const record = (source: Source, pod: string | undefined, text: string, t: number) => {
    for (const line of text.split("\n")) {
      if (line === "" || line.startsWith("#")) continue;
      // A series is its line up to the value; the exposition parser reads each new one once.
      const cut = line.lastIndexOf(" ");
      const key = `${source}|${pod ?? ""}|${line.slice(0, cut)}`;
      let entry = series.get(key);
      if (!entry) {
        const [s] = parseExposition(line).samples;
        series.set(key, (entry = { source, pod, name: s.name, labels: s.labels, samples: [] }));
      }
      entry.samples.push(t, parseSampleValue(line.slice(cut + 1)));
    }
  };

  const scrape = async (t: number) => {
    for (const pod of pods) record(CHURN_API_JOB, pod.name, await pod.service.metrics.registry.metrics(), t);
    record("kubelet", undefined, kube.render(["cadvisor"]), t);
    record("kube-state-metrics", undefined, kube.render(["kube-state-metrics"]), t);
    if (t + scrapeIntervalMs <= endMs) clock.at(t + scrapeIntervalMs, () => scrape(t + scrapeIntervalMs));
  };

  const applyFaults = (t: number) => {
    const faults = Object.assign({}, ...active(t, startMs).map((p) => p.faults ?? {}));
    for (const pod of pods) {
      pod.service.resetFaults();
      pod.service.setFaults(faults);
    }
  };

  // Poisson arrivals per pod, each request running concurrently on the virtual clock.
  const arrive = (pod: Pod, t: number) => {
    const phases = active(t, startMs);
    const drift = phases.find((p) => p.drift)?.drift;
    const kind = pickRequestKind("normal", pod.rng);
    const shifted = drift !== undefined && pod.rng() < drift.share;
    const req = buildRequest(kind, pod.rng, shifted ? drift.population : {});
    const toCanary = (kind === "predict" || kind === "batch") && pod.rng() < sum(phases, (p) => p.canaryShare);
    requests++;
    void pod.handle({
      method: req.method,
      pathname: req.path,
      modelVersion: toCanary ? h.canaryVersion : undefined,
      body: async () => parseJsonBody(req.body ?? ""),
    });
    const progress = (t - startMs) / h.durationMs;
    const rate = h.requestsPerSecond * (1 + 0.25 * Math.sin(Math.PI * progress));
    const next = t - (Math.log(1 - pod.rng()) / rate) * 1000;
    if (next < endMs) clock.at(next, () => arrive(pod, next));
  };

  for (const phase of STORY) {
    clock.at(startMs + phase.from, () => applyFaults(startMs + phase.from));
    if (phase.to < h.durationMs) clock.at(startMs + phase.to, () => applyFaults(startMs + phase.to));
  }
  clock.at(startMs + h.restart.at, () => {
    const pod = pods.find((p) => p.name === h.restart.pod)!;
    kube.restart(pod.name);
    // A restarted container is a new process: counters, histograms and the drift window start over.
    pod.service = newService(clock, h.seed * 100 + 99);
    pod.handle = createHandler(pod.service);
    applyFaults(startMs + h.restart.at);
  });
  for (const pod of pods) clock.at(startMs, () => arrive(pod, startMs));
  clock.at(startMs, () => scrape(startMs));
  await clock.run(endMs);
  return { startMs, endMs, scrapeIntervalMs, namespace, series: [...series.values()], requests };
}
