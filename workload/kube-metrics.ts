/**
 * A tiny exporter of SYNTHETIC Kubernetes series for the churn API's pods: what the
 * kubelet's cAdvisor and kube-state-metrics would report, so the Infrastructure panels
 * can be exercised without a cluster. Names come from the catalog (KUBERNETES).
 *
 *   GET /metrics/cadvisor            CPU, memory, network (what job="kubelet" scrapes)
 *   GET /metrics/kube-state-metrics  container restarts
 *   GET /metrics                     both
 *
 * Series carry their own namespace/pod/container labels: scrape with honor_labels: true.
 * Counters grow with time at a plausible, slightly wavy rate; as on a real node, CPU and
 * memory also have a pod-level cgroup series without a container label.
 */
import * as http from "node:http";
import { AddressInfo } from "node:net";
import { CHURN_API_CONTAINER, KUBERNETES, MetricSpec, TARGET_LABEL } from "../catalog/metrics";

export type KubeSource = "cadvisor" | "kube-state-metrics";

export interface KubeMetricsOptions {
  /** Namespace of the pods (default "churn-api"). */
  readonly namespace?: string;
  /** Pod names (default ["churn-api-0"]). */
  readonly pods?: readonly string[];
  /** Container name (default CHURN_API_CONTAINER). */
  readonly container?: string;
  /** Network interface (default "eth0"). */
  readonly networkInterface?: string;
  /** Clock in milliseconds (default Date.now). */
  readonly now?: () => number;
}

export interface KubeExporterOptions extends KubeMetricsOptions {
  /** Port (default 0: a free port). */
  readonly port?: number;
  /** Address to bind (default 127.0.0.1). */
  readonly host?: string;
}

type Labels = Record<string, string>;

function escape(v: string): string {
  return v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

function sample(name: string, labels: Labels, value: number): string {
  const l = Object.entries(labels)
    .map(([k, v]) => `${k}="${escape(v)}"`)
    .join(",");
  return `${name}{${l}} ${Number.isInteger(value) ? value : value.toFixed(6)}`;
}

function family(spec: MetricSpec, samples: string[]): string {
  return [`# HELP ${spec.name} ${spec.help}`, `# TYPE ${spec.name} ${spec.kind}`, ...samples].join("\n");
}

/** A counter growing at `rate` per second with a wave that never makes it decrease. */
function wavyCounter(t: number, rate: number, periodS: number): number {
  return rate * t + 0.5 * rate * periodS * Math.sin(t / periodS);
}

/** Synthetic pod state; render() gives the exposition text at a moment. */
export class SyntheticPods {
  readonly namespace: string;
  readonly pods: readonly string[];
  private readonly container: string;
  private readonly iface: string;
  private readonly now: () => number;
  private readonly started: Map<string, number>;
  private readonly restarts: Map<string, number>;

  constructor(options: KubeMetricsOptions = {}) {
    this.namespace = options.namespace ?? "churn-api";
    this.pods = options.pods ?? ["churn-api-0"];
    this.container = options.container ?? CHURN_API_CONTAINER;
    this.iface = options.networkInterface ?? "eth0";
    this.now = options.now ?? Date.now;
    const t0 = this.now();
    // Pods started a while ago, a few minutes apart, so counters do not start at 0.
    this.started = new Map(this.pods.map((p, i) => [p, t0 - (3600 + 300 * i) * 1000]));
    this.restarts = new Map(this.pods.map((p) => [p, 0]));
  }

  /** Records a container restart of a pod (kube_pod_container_status_restarts_total + 1). */
  restart(pod: string): void {
    const n = this.restarts.get(pod);
    if (n === undefined) throw new Error(`unknown pod ${pod}; pods: ${this.pods.join(", ")}`);
    this.restarts.set(pod, n + 1);
  }

  render(sources: readonly KubeSource[] = ["cadvisor", "kube-state-metrics"]): string {
    const now = this.now();
    const cpu: string[] = [];
    const mem: string[] = [];
    const rx: string[] = [];
    const tx: string[] = [];
    const restarts: string[] = [];
    this.pods.forEach((pod, i) => {
      const t = (now - (this.started.get(pod) ?? now)) / 1000;
      const podLabels: Labels = { [TARGET_LABEL.namespace]: this.namespace, [TARGET_LABEL.pod]: pod };
      const c: Labels = { ...podLabels, [TARGET_LABEL.container]: this.container };
      const cores = wavyCounter(t, 0.12 + 0.03 * i, 45);
      cpu.push(sample(KUBERNETES.containerCpu.name, c, cores));
      cpu.push(sample(KUBERNETES.containerCpu.name, podLabels, cores * 1.02 + 0.001 * t));
      const bytes = Math.round((180 + 12 * i + 16 * Math.sin(t / 90)) * 1024 * 1024);
      mem.push(sample(KUBERNETES.containerMemory.name, c, bytes));
      mem.push(sample(KUBERNETES.containerMemory.name, podLabels, bytes + 2 * 1024 * 1024));
      const net: Labels = { ...podLabels, interface: this.iface };
      rx.push(sample(KUBERNETES.networkReceive.name, net, Math.round(wavyCounter(t, 40_000 + 5_000 * i, 30))));
      tx.push(sample(KUBERNETES.networkTransmit.name, net, Math.round(wavyCounter(t, 95_000 + 8_000 * i, 30))));
      restarts.push(sample(KUBERNETES.containerRestarts.name, c, this.restarts.get(pod) ?? 0));
    });
    const families: string[] = [];
    if (sources.includes("cadvisor")) {
      families.push(
        family(KUBERNETES.containerCpu, cpu),
        family(KUBERNETES.containerMemory, mem),
        family(KUBERNETES.networkReceive, rx),
        family(KUBERNETES.networkTransmit, tx),
      );
    }
    if (sources.includes("kube-state-metrics")) families.push(family(KUBERNETES.containerRestarts, restarts));
    return families.join("\n") + "\n";
  }
}

export interface KubeExporter {
  readonly url: string;
  readonly port: number;
  /** host:port, as a Prometheus target. */
  readonly address: string;
  readonly pods: SyntheticPods;
  close(): Promise<void>;
}

const PATHS: Record<string, readonly KubeSource[]> = {
  "/metrics": ["cadvisor", "kube-state-metrics"],
  "/metrics/cadvisor": ["cadvisor"],
  "/metrics/kube-state-metrics": ["kube-state-metrics"],
};

export async function startKubeExporter(options: KubeExporterOptions = {}): Promise<KubeExporter> {
  const pods = new SyntheticPods(options);
  const server = http.createServer((req, res) => {
    const sources = PATHS[new URL(req.url ?? "/", "http://localhost").pathname];
    if (!sources || req.method !== "GET") {
      res.writeHead(404, { "content-type": "text/plain" }).end(`try ${Object.keys(PATHS).join(", ")}\n`);
      return;
    }
    res.writeHead(200, { "content-type": "text/plain; version=0.0.4; charset=utf-8" }).end(pods.render(sources));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host && options.host !== "0.0.0.0" && options.host !== "::" ? options.host : "127.0.0.1";
  let closing: Promise<void> | undefined;
  return {
    url: `http://${host}:${port}`,
    port,
    address: `${host}:${port}`,
    pods,
    close: () =>
      (closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      })),
  };
}
