/**
 * The churn API over HTTP (node:http, no framework).
 *
 *   POST /predict          one customer's features        -> {churn, probability, confidence, model_version, missing_features}
 *   POST /predict/batch    {"instances": [...]} or [...]  -> {predictions: [...]}
 *   GET  /health                                          -> {status, model_versions}
 *   GET  /metrics          Prometheus exposition (not itself instrumented)
 *   GET|POST|DELETE /admin/faults   read, patch or reset the injected faults
 *
 * Every other request is instrumented by method, route template (`path`; unknown
 * routes share the value "unmatched") and status. A request may pin a model version
 * with the header `x-model-version`.
 */
import * as http from "node:http";
import { AddressInfo } from "node:net";
import { Faults } from "./faults";
import { createHandler, HttpError, parseJsonBody } from "./handler";
import { ChurnService, ServiceOptions } from "./service";

export { UNMATCHED_PATH } from "./handler";

export interface WorkloadOptions extends ServiceOptions {
  /** Port to listen on (default 0: a free port). */
  readonly port?: number;
  /** Address to bind (default 127.0.0.1; use 0.0.0.0 in a container). */
  readonly host?: string;
  /** Largest accepted request body in bytes (default 1 MiB). */
  readonly maxBodyBytes?: number;
  /** Most instances in one batch request (default 1000). */
  readonly maxBatchSize?: number;
}

export interface Workload {
  /** Base URL, e.g. http://127.0.0.1:41234 */
  readonly url: string;
  readonly port: number;
  /** host:port, as a Prometheus target. */
  readonly address: string;
  readonly service: ChurnService;
  faults(): Faults;
  setFaults(patch: Partial<Faults>): Faults;
  resetFaults(): Faults;
  close(): Promise<void>;
}

function send(res: http.ServerResponse, status: number, body: unknown, contentType = "application/json"): void {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  res.writeHead(status, { "content-type": contentType, "content-length": Buffer.byteLength(text) });
  res.end(text);
}

async function readJson(req: http.IncomingMessage, limit: number): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new HttpError(413, `request body larger than ${limit} bytes`);
    chunks.push(chunk as Buffer);
  }
  return parseJsonBody(Buffer.concat(chunks).toString("utf8"));
}

export async function startWorkload(options: WorkloadOptions = {}): Promise<Workload> {
  const service = new ChurnService(options);
  const m = service.metrics;
  const maxBody = options.maxBodyBytes ?? 1024 * 1024;
  const handler = createHandler(service, { maxBatchSize: options.maxBatchSize });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const pathname = new URL(req.url ?? "/", "http://localhost").pathname;
    const method = req.method ?? "GET";
    if (pathname === "/metrics" && method === "GET") {
      send(res, 200, await m.registry.metrics(), m.registry.contentType);
      return;
    }
    const response = await handler({
      method,
      pathname,
      modelVersion: req.headers["x-model-version"]?.toString(),
      body: () => readJson(req, maxBody),
    });
    for (const [name, value] of Object.entries(response.headers ?? {})) res.setHeader(name, value);
    send(res, response.status, response.body);
    // Drain an unread body so the connection can be reused.
    req.resume();
  }

  const server = http.createServer((req, res) => void handle(req, res));
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const bound = options.host && options.host !== "0.0.0.0" && options.host !== "::" ? options.host : "127.0.0.1";
  const host = bound.includes(":") ? `[${bound}]` : bound;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${host}:${port}`,
    port,
    address: `${host}:${port}`,
    service,
    faults: () => service.faults,
    setFaults: (patch) => service.setFaults(patch),
    resetFaults: () => service.resetFaults(),
    close: () =>
      (closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      })),
  };
}
