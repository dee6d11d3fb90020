/**
 * The few read-only calls `npm run pull` makes to Grafana's HTTP API, with every failure
 * turned into one line that says what to do. Shapes follow Grafana's API documentation
 * (docs/sources/developer-resources/api-reference/http-api/ in grafana/grafana):
 * dashboard.md ("Get dashboard by uid"), folder.md ("Get folder by uid", "Get all
 * folders" with `parentUid`), folder_dashboard_search.md and the alerting provisioning
 * API (pkg/services/ngalert/api/tooling/definitions/provisioning_alert_rules.go).
 */
import type { DashboardModel } from "../dashboards/types";

/** A failure of the pull that the user can act on: printed as one line, exit status 1. */
export class PullError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PullError";
  }
}

/** How to reach Grafana; `auth` is never printed. */
export interface GrafanaConnection {
  /** Grafana's root URL, without a trailing slash (a sub-path such as /grafana is kept). */
  readonly url: string;
  /** `user:password`, a service-account token, or undefined for anonymous access. */
  readonly auth?: string;
  /** Where the credentials came from, for the 401 message (e.g. "GRAFANA_AUTH"). */
  readonly authSource: string;
  /** Per request, in milliseconds. */
  readonly timeoutMs: number;
}

/** GET /api/dashboards/uid/:uid (dtos.DashboardFullWithMeta). */
export interface DashboardWithMeta {
  readonly dashboard: DashboardModel;
  readonly meta: { readonly folderUid?: string; readonly folderTitle?: string; readonly slug?: string };
}

/** GET /api/folders/:uid; `parentUid` only when nested folders are on and the folder is nested. */
export interface FolderInfo {
  readonly uid: string;
  readonly title: string;
  readonly parentUid?: string;
}

/** One hit of GET /api/search?type=dash-db. */
export interface SearchHit {
  readonly uid: string;
  readonly title: string;
  readonly type: string;
  readonly folderUid?: string;
}

/** The alerting file export (definitions.AlertingFileExport), as JSON. */
export interface AlertingFileExport {
  readonly apiVersion: number;
  readonly groups?: readonly AlertRuleGroupExport[];
}

export interface AlertRuleGroupExport {
  readonly name: string;
  readonly [key: string]: unknown;
}

/** Page size of the listing calls (search allows up to 5000; folders default to 1000). */
export const PAGE_SIZE = 1000;

/** `user:password` is basic authentication; anything else is a bearer token (as the provider's `auth`). */
export function authorizationHeader(auth: string | undefined): string | undefined {
  if (auth === undefined || auth === "" || auth === "anonymous") return undefined;
  return auth.includes(":") ? `Basic ${Buffer.from(auth).toString("base64")}` : `Bearer ${auth}`;
}

/** Why a connection failed, wherever undici put it: the cause's code (or an AggregateError's first), else its message. */
function networkFailure(err: unknown): { code?: string; message: string } {
  const cause = (err as { cause?: unknown }).cause as { code?: string; message?: string; errors?: { code?: string }[] } | undefined;
  return { code: cause?.code ?? cause?.errors?.[0]?.code, message: cause?.message || (err as Error).message };
}

const NETWORK_MESSAGES: Readonly<Record<string, string>> = {
  ECONNREFUSED: "connection refused (is Grafana running, and is the URL right?)",
  ENOTFOUND: "host not found (check the URL; a stack's in-cluster URL is not reachable from outside the cluster: pass --url)",
  EAI_AGAIN: "host name lookup failed (check the URL and your network)",
  ECONNRESET: "the connection was reset",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable",
  CERT_HAS_EXPIRED: "its TLS certificate has expired",
  DEPTH_ZERO_SELF_SIGNED_CERT: "its TLS certificate is self-signed and not trusted (set NODE_EXTRA_CA_CERTS)",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "its TLS certificate is not trusted (set NODE_EXTRA_CA_CERTS)",
};

/** Grafana's error bodies carry a `message` ({"message": "Dashboard not found"}); one line of it. */
function serverMessage(text: string): string {
  try {
    const body = JSON.parse(text) as { message?: unknown };
    if (typeof body.message === "string" && body.message.trim() !== "") return `: ${body.message.split("\n")[0].slice(0, 200)}`;
  } catch {
    // Not JSON (a proxy's page): say nothing of it.
  }
  return "";
}

export class GrafanaApi {
  constructor(readonly connection: GrafanaConnection) {}

  /**
   * GET `apiPath` as JSON. `notFound` is the message for a 404 (what the uid names), or
   * undefined when a 404 is an answer (the caller gets undefined).
   */
  async get<T>(apiPath: string, notFound: string | undefined): Promise<T | undefined> {
    const { url, timeoutMs } = this.connection;
    const target = `${url}${apiPath}`;
    const headers: Record<string, string> = { Accept: "application/json" };
    const authorization = authorizationHeader(this.connection.auth);
    if (authorization) headers.Authorization = authorization;
    let status: number;
    let text: string;
    try {
      // The timeout covers the body too: a server that sends headers and stalls still fails.
      const response = await fetch(target, { headers, signal: AbortSignal.timeout(timeoutMs) });
      status = response.status;
      text = await response.text();
    } catch (err) {
      const name = (err as { name?: string }).name;
      if (name === "TimeoutError" || name === "AbortError") {
        throw new PullError(`Grafana at ${url} did not answer GET ${apiPath} within ${timeoutMs / 1000} s: try again, or raise --timeout`);
      }
      const failure = networkFailure(err);
      const why = (failure.code && NETWORK_MESSAGES[failure.code]) || `${failure.code ? `${failure.code}: ` : ""}${failure.message}`;
      throw new PullError(`cannot reach Grafana at ${url}: ${why}`);
    }
    if (status === 404 && notFound === undefined) return undefined;
    if (status === 404) throw new PullError(`${notFound} not found in Grafana at ${url} (404): check the uid`);
    if (status === 401) {
      throw new PullError(`Grafana at ${url} refused the credentials from ${this.connection.authSource} (401 Unauthorized)${serverMessage(text)}`);
    }
    if (status === 403) {
      throw new PullError(`Grafana at ${url} denied GET ${apiPath} (403 Forbidden)${serverMessage(text)}: the account needs read access to dashboards, folders and alert rules`);
    }
    if (status < 200 || status >= 300) {
      throw new PullError(`Grafana at ${url} answered GET ${apiPath} with ${status}${serverMessage(text)}`);
    }
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new PullError(`Grafana at ${url} answered GET ${apiPath} with something that is not JSON: is ${url} Grafana's root URL?`);
    }
  }

  async dashboard(uid: string): Promise<DashboardWithMeta> {
    const found = await this.get<DashboardWithMeta>(`/api/dashboards/uid/${encodeURIComponent(uid)}`, `dashboard "${uid}"`);
    if (!found || typeof found.dashboard !== "object" || found.dashboard === null) {
      throw new PullError(`Grafana at ${this.connection.url} returned no dashboard for uid "${uid}"`);
    }
    return { dashboard: found.dashboard, meta: found.meta ?? {} };
  }

  async folder(uid: string): Promise<FolderInfo> {
    const found = await this.get<FolderInfo>(`/api/folders/${encodeURIComponent(uid)}`, `folder "${uid}"`);
    if (!found || typeof found.uid !== "string") throw new PullError(`Grafana at ${this.connection.url} returned no folder for uid "${uid}"`);
    return found;
  }

  /** Every page of a listing endpoint that takes `limit` and `page` (numbered from 1). */
  private async allPages<T>(apiPath: string): Promise<T[]> {
    const all: T[] = [];
    for (let page = 1; ; page++) {
      const separator = apiPath.includes("?") ? "&" : "?";
      const items = (await this.get<T[]>(`${apiPath}${separator}limit=${PAGE_SIZE}&page=${page}`, apiPath)) ?? [];
      if (!Array.isArray(items)) throw new PullError(`Grafana at ${this.connection.url} answered GET ${apiPath} with something that is not a list`);
      all.push(...items);
      if (items.length < PAGE_SIZE) return all;
    }
  }

  /** Dashboards directly in a folder (not in its sub-folders). */
  async dashboardsIn(folderUid: string): Promise<SearchHit[]> {
    const hits = await this.allPages<SearchHit>(`/api/search?type=dash-db&folderUIDs=${encodeURIComponent(folderUid)}`);
    // Only dashboards, and only this folder's: a server that ignores a filter must not widen the pull.
    return hits.filter((h) => h.type === "dash-db" && h.folderUid === folderUid);
  }

  /**
   * The folders directly inside a folder (nested folders). Each hit names its parent
   * (FolderSearchHit.parentUid, pkg/services/folder/model.go); hits of another parent (a
   * Grafana without nested folders answers with the top-level folders) are dropped.
   */
  async subfolders(parentUid: string): Promise<FolderInfo[]> {
    const hits = await this.allPages<FolderInfo>(`/api/folders?parentUid=${encodeURIComponent(parentUid)}`);
    return hits.filter((f) => f.parentUid === parentUid);
  }

  /** A folder's alert rules as a provisioning export; undefined when it holds none (Grafana answers 404). */
  async alertRulesExport(folderUid: string): Promise<AlertingFileExport | undefined> {
    return this.get<AlertingFileExport>(`/api/v1/provisioning/alert-rules/export?folderUid=${encodeURIComponent(folderUid)}&format=json`, undefined);
  }
}
