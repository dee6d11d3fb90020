/**
 * The churn API's routes and their instrumentation, without a socket: server.ts serves
 * them over HTTP, the preview history (preview/history.ts) calls them directly on
 * a virtual clock. Every request is counted by method, route template (`path`; unknown
 * routes share "unmatched") and status, and timed on the service's clock.
 */
import { FeatureError } from "./features";
import { FaultsError } from "./faults";
import { ChurnService } from "./service";

/** A request as the routes see it. */
export interface ChurnRequest {
  readonly method: string;
  /** URL path without the query string. */
  readonly pathname: string;
  /** `x-model-version`: pins the request to a loaded model version. */
  readonly modelVersion?: string;
  /** The parsed JSON body (throws HttpError 400/413 when it is not acceptable). */
  body(): Promise<unknown>;
}

export interface ChurnResponse {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface HandlerOptions {
  /** Most instances in one batch request (default 1000). */
  readonly maxBatchSize?: number;
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** A request body as the service reads it: empty is `{}`, anything but JSON is a 400. */
export function parseJsonBody(text: string): unknown {
  try {
    return text.trim() === "" ? {} : JSON.parse(text);
  } catch {
    throw new HttpError(400, "request body is not valid JSON");
  }
}

/** `path` label value of requests to routes the service does not have. */
export const UNMATCHED_PATH = "unmatched";
const METHODS = new Set(["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"]);

type Route = (req: ChurnRequest) => Promise<[number, unknown]>;

/** The instrumented request handler of one service instance. */
export function createHandler(service: ChurnService, options: HandlerOptions = {}): (req: ChurnRequest) => Promise<ChurnResponse> {
  const m = service.metrics;
  const maxBatch = options.maxBatchSize ?? 1000;

  async function predictOrFail(req: ChurnRequest, instances: unknown[]) {
    if (service.injectError()) throw new HttpError(500, "injected fault: internal error");
    return service.predict(instances, req.modelVersion);
  }

  const routes: Record<string, Partial<Record<string, Route>>> = {
    "/predict": {
      POST: async (req) => [200, (await predictOrFail(req, [await req.body()]))[0]],
    },
    "/predict/batch": {
      POST: async (req) => {
        const b = await req.body();
        const instances = Array.isArray(b) ? b : (b as { instances?: unknown })?.instances;
        if (!Array.isArray(instances) || instances.length === 0) {
          throw new HttpError(400, 'expected {"instances": [...]} with at least one instance');
        }
        if (instances.length > maxBatch) throw new HttpError(413, `at most ${maxBatch} instances per batch`);
        return [200, { predictions: await predictOrFail(req, instances) }];
      },
    },
    "/health": {
      GET: async () => [200, { status: "ok", model_versions: service.models.map((x) => x.version) }],
    },
    "/admin/faults": {
      GET: async () => [200, service.faults],
      POST: async (req) => [200, service.setFaults(await req.body())],
      DELETE: async () => [200, service.resetFaults()],
    },
  };

  async function route(req: ChurnRequest): Promise<ChurnResponse> {
    const routeOf = routes[req.pathname];
    try {
      if (!routeOf) throw new HttpError(404, `no route ${req.pathname}`);
      const handler = routeOf[req.method];
      if (!handler) {
        return { status: 405, body: { error: `${req.method} not allowed on ${req.pathname}` }, headers: { allow: Object.keys(routeOf).join(", ") } };
      }
      const [status, body] = await handler(req);
      return { status, body };
    } catch (err) {
      if (err instanceof HttpError) return { status: err.status, body: { error: err.message } };
      if (err instanceof FeatureError || err instanceof FaultsError) return { status: 400, body: { error: err.message } };
      console.error(`churn-api: ${req.method} ${req.pathname} failed:`, err);
      return { status: 500, body: { error: "internal error" } };
    }
  }

  return async (req) => {
    const labels = { method: METHODS.has(req.method) ? req.method : "other", path: routes[req.pathname] ? req.pathname : UNMATCHED_PATH };
    m.httpRequestsInFlight.inc();
    const started = service.clock.now();
    const response = await route(req);
    m.httpRequestsInFlight.dec();
    m.httpRequestDuration.observe(labels, (service.clock.now() - started) / 1000);
    m.httpRequests.inc({ ...labels, status: String(response.status) });
    return response;
  };
}
