/**
 * A local HTTP server on 127.0.0.1 (a free port) that answers the few read-only endpoints
 * `npm run pull` calls, with bodies shaped as Grafana 13 answers them. It holds content
 * the way Grafana stores it (what the provider posted) and adds what Grafana adds on
 * read. Sources, per endpoint, in grafana/grafana:
 *
 * - GET /api/dashboards/uid/:uid -> dtos.DashboardFullWithMeta {dashboard, meta}
 *   (pkg/api/dashboard.go GetDashboard; docs .../http-api/dashboard.md "Get dashboard by
 *   uid"). The stored JSON comes back with `id` set when the spec has none and `version`
 *   set from the database ("make sure db version is in sync"); legacy posts are stored as
 *   v0alpha1, "without running the v1 schema migrations, so legacy callers' panel content
 *   is preserved" (postDashboard), so the content is returned as posted. The dashboard is
 *   a Go map (simplejson) marshalled by encoding/json: keys sorted; every body has <, >
 *   and & escaped as \u003c etc. meta is dtos.DashboardMeta, in its field order
 *   (folderUid, folderTitle, slug, url, version...).
 *   Unknown uid: 404 {"message":"Dashboard not found"} (getDashboardHelper).
 * - GET /api/folders/:uid -> {id, uid, title, url, hasAcl, canSave, canEdit, canAdmin,
 *   canDelete, createdBy, created, updatedBy, updated, version, parentUid?, parents?}
 *   (docs .../http-api/folder.md "Get folder by uid": parentUid and parents only for a
 *   nested folder). Unknown: 404 {"message":"folder not found"}.
 * - GET /api/folders?parentUid=&limit=&page= -> [{id, uid, title, parentUid?}]
 *   (folder.md "Get all folders"; FolderSearchHit in pkg/services/folder/model.go):
 *   the immediate sub-folders of parentUid, the top-level folders without it.
 * - GET /api/search?type=dash-db&folderUIDs=&limit=&page= -> [{id, uid, orgId, title,
 *   uri, url, slug, type, tags, isStarred, folderId, folderUid, folderTitle, folderUrl}]
 *   (docs .../http-api/folder_dashboard_search.md); dashboards directly in the folder.
 * - GET /api/v1/provisioning/alert-rules/export?folderUid=&format=json ->
 *   definitions.AlertingFileExport {apiVersion: 1, groups: [AlertRuleGroupExport]}, structs
 *   in field order, maps (model, labels, annotations) with sorted keys
 *   (pkg/services/ngalert/api/api_provisioning.go RouteGetAlertRulesExport,
 *   tooling/definitions/provisioning_alert_rules.go): 404 with an empty body when the
 *   folder holds no rules ("if len(groupsWithFullpath) == 0 ... StatusNotFound").
 * - Wrong or missing credentials: 401 {"message":"Invalid username or password",
 *   "messageId":"password-auth.failed","statusCode":401} (Grafana's authn error body,
 *   as Grafana 11 and 13 answer a bad basic-auth password).
 */
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { authorizationHeader } from "../../../pull/grafana-api";

export interface StoredFolder {
  readonly uid: string;
  readonly title: string;
  readonly parentUid?: string;
}

export interface StoredDashboard {
  /** The dashboard JSON as posted (the provider's configJson). */
  readonly json: Record<string, unknown>;
  readonly folderUid: string;
  /** Saves so far (each UI save adds one). */
  readonly version?: number;
}

/** A rule group as the provider creates it (grafana.alerting.RuleGroup inputs). */
export interface StoredRuleGroup {
  readonly name: string;
  readonly folderUid: string;
  readonly intervalSeconds: number;
  readonly rules: readonly StoredRule[];
}

export interface StoredRule {
  readonly name: string;
  readonly condition: string;
  readonly datas: readonly { refId: string; datasourceUid: string; relativeTimeRange: { from: number; to: number }; model: string }[];
  readonly for: string;
  readonly noDataState: string;
  readonly execErrState: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
  readonly isPaused?: boolean;
}

export interface GrafanaContent {
  folders: StoredFolder[];
  dashboards: StoredDashboard[];
  ruleGroups: StoredRuleGroup[];
}

export interface ServerOptions {
  /** Credentials the server accepts, as GRAFANA_AUTH holds them (user:password or a token). */
  readonly auth: string;
  /** Requests whose path matches never get an answer (a hung Grafana). */
  readonly stall?: RegExp;
}

export interface RunningGrafana {
  readonly url: string;
  /** The content served; tests edit it to play a UI edit. */
  readonly content: GrafanaContent;
  /** Every request path, in order. */
  readonly requests: string[];
  close(): Promise<void>;
}

/** A Go map (simplejson, map[string]any): encoding/json writes its keys sorted, at every depth. */
function goMap(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(goMap);
  if (typeof v !== "object" || v === null) return v;
  return Object.fromEntries(Object.keys(v).sort().map((k) => [k, goMap((v as Record<string, unknown>)[k])]));
}

/** Go's encoding/json: structs in field order (as built here), HTML characters escaped. */
const goJson = (value: unknown): string => JSON.stringify(value).replace(/</g, "\\u003c").replace(/>/g, "\\u003e").replace(/&/g, "\\u0026");

/** Illustrative slug (Grafana's pkg/infra/slugify also maps accents and hex-encodes the rest). */
const slugOf = (title: string) => title.toLowerCase().replace(/[^a-z0-9_-]+/g, "-").replace(/^-+|-+$/g, "");

const TIMESTAMP = "2026-06-01T10:00:00Z";

/** The rule groups of a folder as Grafana's file export writes them (AlertRuleGroupExport / AlertRuleExport). */
export function exportRuleGroup(group: StoredRuleGroup, folderTitle: string, uidOf: (rule: StoredRule) => string): Record<string, unknown> {
  const minutes = group.intervalSeconds % 60 === 0 ? `${group.intervalSeconds / 60}m` : `${group.intervalSeconds}s`;
  return {
    orgId: 1,
    name: group.name,
    folder: folderTitle,
    interval: minutes,
    rules: group.rules.map((r) => {
      const annotations = { ...(r.annotations ?? {}) };
      // The panel link annotations also fill the rule's DashboardUID / PanelID
      // (AlertRule.SetDashboardAndPanelFromAnnotations), which the export writes as fields
      // next to the annotations (AlertRuleExportFromAlertRule, pkg/services/ngalert/api/compat.go).
      const dashboardUid = annotations.__dashboardUid__;
      const panelId = annotations.__panelId__;
      return {
        uid: uidOf(r),
        title: r.name,
        condition: r.condition,
        data: r.datas.map((d) => ({ refId: d.refId, relativeTimeRange: d.relativeTimeRange, datasourceUid: d.datasourceUid, model: goMap(JSON.parse(d.model)) })),
        ...(dashboardUid ? { dashboardUid } : {}),
        ...(panelId ? { panelId: Number(panelId) } : {}),
        noDataState: r.noDataState,
        execErrState: r.execErrState,
        for: r.for,
        ...(Object.keys(annotations).length > 0 ? { annotations: goMap(annotations) } : {}),
        ...(r.labels && Object.keys(r.labels).length > 0 ? { labels: goMap(r.labels) } : {}),
        isPaused: r.isPaused ?? false,
      };
    }),
  };
}

export async function startGrafanaApi(content: GrafanaContent, options: ServerOptions): Promise<RunningGrafana> {
  const requests: string[] = [];
  const expected = authorizationHeader(options.auth);
  const idOf = (uid: string, list: readonly { uid: string }[]) => list.findIndex((x) => x.uid === uid) + 1;
  const dashboardUid = (d: StoredDashboard) => String(d.json.uid);
  const folderTitle = (uid: string) => content.folders.find((f) => f.uid === uid)?.title ?? "";

  const folderBody = (f: StoredFolder) => {
    const parents: StoredFolder[] = [];
    for (let p = f.parentUid; p; p = content.folders.find((x) => x.uid === p)?.parentUid) {
      const parent = content.folders.find((x) => x.uid === p);
      if (!parent) break;
      parents.unshift(parent);
    }
    return {
      id: idOf(f.uid, content.folders),
      uid: f.uid,
      orgId: 1,
      title: f.title,
      url: `/dashboards/f/${f.uid}/${slugOf(f.title)}`,
      hasAcl: false,
      canSave: true,
      canEdit: true,
      canAdmin: true,
      canDelete: true,
      createdBy: "admin",
      created: TIMESTAMP,
      updatedBy: "admin",
      updated: TIMESTAMP,
      version: 1,
      ...(f.parentUid ? { parentUid: f.parentUid, parents: parents.map((p) => ({ uid: p.uid, title: p.title })) } : {}),
    };
  };

  const routes: [RegExp, (m: RegExpMatchArray, q: URLSearchParams) => [number, string]][] = [
    [
      /^\/api\/dashboards\/uid\/([^/]+)$/,
      (m) => {
        const uid = decodeURIComponent(m[1]);
        const index = content.dashboards.findIndex((d) => dashboardUid(d) === uid);
        if (index < 0) return [404, goJson({ message: "Dashboard not found" })];
        const d = content.dashboards[index];
        const version = d.version ?? 1;
        const slug = slugOf(String(d.json.title ?? ""));
        const dashboard = goMap({ ...d.json, id: d.json.id ?? index + 1, uid, version });
        const meta = {
          type: "db",
          canSave: true,
          canEdit: true,
          canAdmin: true,
          canStar: true,
          canDelete: true,
          slug,
          url: `/d/${uid}/${slug}`,
          expires: "0001-01-01T00:00:00Z",
          created: TIMESTAMP,
          updated: TIMESTAMP,
          updatedBy: "admin",
          createdBy: "admin",
          version,
          hasAcl: false,
          isFolder: false,
          folderId: d.folderUid ? idOf(d.folderUid, content.folders) : 0,
          folderUid: d.folderUid,
          folderTitle: d.folderUid ? folderTitle(d.folderUid) : "General",
          folderUrl: d.folderUid ? `/dashboards/f/${d.folderUid}/${slugOf(folderTitle(d.folderUid))}` : "",
          provisioned: false,
          provisionedExternalId: "",
          annotationsPermissions: { dashboard: { canAdd: true, canEdit: true, canDelete: true }, organization: { canAdd: true, canEdit: true, canDelete: true } },
          publicDashboardEnabled: false,
        };
        return [200, goJson({ dashboard, meta })];
      },
    ],
    [
      /^\/api\/folders\/([^/]+)$/,
      (m) => {
        const f = content.folders.find((x) => x.uid === decodeURIComponent(m[1]));
        return f ? [200, goJson(folderBody(f))] : [404, goJson({ message: "folder not found", messageId: "folder.notFound", statusCode: 404 })];
      },
    ],
    [
      /^\/api\/folders$/,
      (_m, q) => {
        const parent = q.get("parentUid") ?? undefined;
        const hits = content.folders
          .filter((f) => f.parentUid === parent)
          .map((f) => ({ id: idOf(f.uid, content.folders), uid: f.uid, title: f.title, ...(f.parentUid ? { parentUid: f.parentUid } : {}) }));
        return [200, goJson(page(hits, q))];
      },
    ],
    [
      /^\/api\/search$/,
      (_m, q) => {
        const folders = q.getAll("folderUIDs");
        const type = q.get("type");
        const hits = content.dashboards
          .filter((d) => (folders.length === 0 || folders.includes(d.folderUid)) && (type === null || type === "dash-db"))
          .map((d) => {
            const uid = dashboardUid(d);
            const slug = slugOf(String(d.json.title ?? ""));
            return {
              id: idOf(uid, content.dashboards.map((x) => ({ uid: dashboardUid(x) }))),
              uid,
              orgId: 1,
              title: d.json.title,
              uri: `db/${slug}`,
              url: `/d/${uid}/${slug}`,
              slug: "",
              type: "dash-db",
              tags: d.json.tags ?? [],
              isStarred: false,
              ...(d.folderUid
                ? { folderId: idOf(d.folderUid, content.folders), folderUid: d.folderUid, folderTitle: folderTitle(d.folderUid), folderUrl: `/dashboards/f/${d.folderUid}/` }
                : {}),
              sortMeta: 0,
            };
          });
        return [200, goJson(page(hits, q))];
      },
    ],
    [
      /^\/api\/v1\/provisioning\/alert-rules\/export$/,
      (_m, q) => {
        const folders = q.getAll("folderUid");
        const groups = content.ruleGroups.filter((g) => folders.length === 0 || folders.includes(g.folderUid));
        if (groups.length === 0) return [404, ""];
        const uidOf = (r: StoredRule) => `rule-${slugOf(r.name)}`.slice(0, 40);
        return [200, goJson({ apiVersion: 1, groups: groups.map((g) => exportRuleGroup(g, folderTitle(g.folderUid), uidOf)) })];
      },
    ],
  ];

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    requests.push(`${url.pathname}${url.search}`);
    if (options.stall?.test(url.pathname)) return; // never answers
    const send = (status: number, body: string) => {
      res.writeHead(status, { "Content-Type": "application/json" });
      res.end(body);
    };
    if (req.method !== "GET") return send(405, goJson({ message: "Method not allowed" }));
    if (req.headers.authorization !== expected) {
      return send(401, goJson({ message: "Invalid username or password", messageId: "password-auth.failed", statusCode: 401 }));
    }
    for (const [pattern, handle] of routes) {
      const m = url.pathname.match(pattern);
      if (m) return send(...handle(m, url.searchParams));
    }
    send(404, goJson({ message: "Not found" }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    content,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** `limit` and `page` (from 1) as Grafana's listings take them. */
function page<T>(items: T[], q: URLSearchParams): T[] {
  const limit = Number(q.get("limit") ?? 1000);
  const pageNo = Number(q.get("page") ?? 1);
  return items.slice((pageNo - 1) * limit, pageNo * limit);
}

/** A free port on 127.0.0.1 with nothing listening (connections to it are refused). */
export async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
