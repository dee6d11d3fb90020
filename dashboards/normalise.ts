/**
 * One dashboard JSON as exported from a Grafana (a plain "Export", "Export for sharing
 * externally", or a file from grafana.com or a monitoring mixin) turned into what this
 * project deploys, exactly as an import through Grafana's UI would:
 *   - export-only keys (`__inputs`, `__requires`, `__elements`) and instance keys (`id`,
 *     `version`) removed;
 *   - `${DS_...}` datasource inputs pointed at the provisioned Prometheus, constant inputs
 *     substituted;
 *   - datasource uids (or legacy names) of the exporting Grafana replaced through the
 *     datasource mapping (catalog/datasource-mapping.yaml);
 *   - a uid derived from the file's path when the dashboard has none (same file, same uid);
 *   - library panels taken from `__elements`, to be deployed as library panels.
 * Everything else is kept as committed. Only what prevents this is reported here; whether
 * the result is valid is validation/'s job. `npm run pull` normalises what it pulls with
 * the same function, so a pulled dashboard and a dropped-in one deploy alike.
 */
import { createHash } from "node:crypto";
import { PROMETHEUS_DATASOURCE } from "../catalog/datasource";
import { DatasourceMapping, NO_MAPPING } from "../catalog/datasource-mapping";
import { Problem } from "../lib/errors";
import { MAX_UID_LENGTH } from "../lib/grafana-uid";
import { DashboardModel, LibraryPanelSpec, PanelModel } from "./types";

export interface NormaliseContext {
  /** How problems name the file (a project-relative path). */
  readonly source: string;
  /** The file's path inside dashboards/ (e.g. "team/latency.json"): a dashboard without uid gets one derived from it. Default: `source`. */
  readonly path?: string;
  /** Foreign datasource uids and names -> datasources here. Default: none. */
  readonly mapping?: DatasourceMapping;
}

export interface NormalisedDashboard {
  /** The model to deploy; absent when the file is not a dashboard at all. */
  readonly model?: DashboardModel;
  /** Library panels the dashboard uses, from the export's `__elements`. */
  readonly libraryPanels: LibraryPanelSpec[];
  /** The uid was derived from the path (the file has none). */
  readonly derivedUid: boolean;
  readonly problems: Problem[];
}

/** Keys of an external export that are not part of the dashboard model. */
const EXPORT_ONLY_KEYS = ["__inputs", "__requires", "__elements"] as const;
/** Instance-specific: Grafana assigns them; keeping them makes updates fail or conflict. */
const INSTANCE_KEYS = ["id", "version"] as const;
/** `${NAME}`: how an export refers to one of its __inputs. */
const INPUT_REFERENCE = /\$\{([A-Za-z0-9_-]+)\}/g;
const WHOLE_INPUT_REFERENCE = /^\$\{([A-Za-z0-9_-]+)\}$/;
/** `__elements` kind of a library panel (Grafana's LibraryElementKind: 1 panel, 2 variable). */
const LIBRARY_PANEL_KIND = 1;

interface ExportInput {
  readonly name: string;
  readonly type?: string;
  readonly pluginId?: string;
  readonly value?: string;
}

type JsonObject = Record<string, unknown>;
const isObject = (v: unknown): v is JsonObject => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * A stable uid from the file's path inside dashboards/: "team/latency.json" ->
 * "team-latency". Longer than Grafana's 40 characters: shortened, with a digest of the
 * whole path so two long paths cannot meet.
 */
export function uidFromPath(path: string): string {
  const stem = path.replace(/\\/g, "/").replace(/^(\.\.\/)*/, "").replace(/^dashboards\//, "").replace(/\.json$/i, "");
  const slug = stem.replace(/[^A-Za-z0-9_-]+/g, "-").replace(/^-+|-+$/g, "");
  if (slug !== "" && slug.length <= MAX_UID_LENGTH) return slug;
  const digest = createHash("sha256").update(stem).digest("hex").slice(0, 8);
  return slug === "" ? `dashboard-${digest}` : `${slug.slice(0, MAX_UID_LENGTH - digest.length - 1).replace(/-+$/, "")}-${digest}`;
}

/** Every panel of a model, rows' panels and legacy `rows[].panels` included. */
function everyPanel(model: JsonObject): PanelModel[] {
  const out: PanelModel[] = [];
  const visit = (list: unknown): void => {
    if (!Array.isArray(list)) return;
    for (const p of list) {
      if (!isObject(p)) continue;
      out.push(p as PanelModel);
      visit(p.panels);
    }
  };
  visit(model.panels);
  if (Array.isArray(model.rows)) for (const row of model.rows) if (isObject(row)) visit(row.panels);
  return out;
}

/**
 * Normalises `raw` (freshly parsed JSON, converted in place: a copy of every dashboard
 * would double the importer's allocations) for deployment. `context` may be just the
 * source (as `npm run pull` passes it: no mapping, the uid derived from the source).
 */
export function normaliseDashboard(raw: unknown, context: NormaliseContext | string): NormalisedDashboard {
  if (typeof context === "string") context = { source: context };
  const { source } = context;
  const mapping = context.mapping ?? NO_MAPPING;
  if (!isObject(raw)) {
    const fix = "export the dashboard from Grafana as JSON";
    return { libraryPanels: [], derivedUid: false, problems: [{ where: source, message: "is not a dashboard (the JSON is not an object)", fix }] };
  }
  const problems: Problem[] = [];
  const inputs = new Map<string, ExportInput>();
  for (const input of Array.isArray(raw.__inputs) ? raw.__inputs : []) {
    if (!isObject(input) || typeof input.name !== "string") continue;
    inputs.set(input.name, input as unknown as ExportInput);
    if (input.type === "datasource" && input.pluginId !== PROMETHEUS_DATASOURCE.type) {
      problems.push({
        where: `${source}: __inputs "${input.name}"`,
        message: `is a "${String(input.pluginId)}" datasource; only Prometheus (uid "${PROMETHEUS_DATASOURCE.uid}") is provisioned`,
        fix: "switch those panels to Prometheus and export again, or remove them",
      });
    }
  }

  const unknownInputs = new Set<string>();
  /** Replacement text for `${name}`, or undefined when it is not an input (e.g. a dashboard variable). */
  const resolve = (name: string): string | undefined => {
    const input = inputs.get(name);
    if (input?.type === "datasource") return PROMETHEUS_DATASOURCE.uid;
    if (input?.type === "constant") return String(input.value ?? "");
    if (!input && name.startsWith("DS_")) unknownInputs.add(name);
    return undefined;
  };
  const substitute = (text: string): string =>
    text.includes("${") ? text.replace(INPUT_REFERENCE, (match, name: string) => resolve(name) ?? match) : text;
  const isDatasourceInput = (text: unknown): boolean => {
    const m = typeof text === "string" ? WHOLE_INPUT_REFERENCE.exec(text) : null;
    return m !== null && inputs.get(m[1])?.type === "datasource";
  };
  /** The datasource here that a datasource reference stands for, when it must be rewritten. */
  const target = (ref: unknown): { type: string; uid: string } | undefined => {
    if (isDatasourceInput(ref)) return { type: PROMETHEUS_DATASOURCE.type, uid: PROMETHEUS_DATASOURCE.uid };
    const mapped = typeof ref === "string" ? mapping.targets.get(ref) : undefined;
    return mapped ? { type: mapped.type, uid: mapped.uid } : undefined;
  };

  const convert = (value: unknown, key?: string): unknown => {
    if (typeof value === "string") {
      // Older exports name the datasource by a string; modern Grafana wants a reference.
      if (key === "datasource") {
        const to = target(value);
        if (to) return to;
      }
      return substitute(value);
    }
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) value[i] = convert(value[i]);
      return value;
    }
    if (!isObject(value)) return value;
    if (key === "datasource") {
      const to = target(value.uid);
      if (to) return Object.assign(value, to);
    }
    // An own "__proto__" key from JSON.parse is a data property: assigning it stays data.
    for (const k of Object.keys(value)) value[k] = convert(value[k], k);
    return value;
  };

  const elements = isObject(raw.__elements) ? raw.__elements : {};
  for (const k of [...EXPORT_ONLY_KEYS, ...INSTANCE_KEYS]) delete raw[k];
  const model = convert(raw) as DashboardModel;
  const libraryPanels = libraryPanelsOf(model, convert(elements) as JsonObject, source, problems);

  for (const name of [...unknownInputs].sort()) {
    problems.push({
      where: `${source}: \${${name}}`,
      message: "refers to a datasource input that __inputs does not declare",
      fix:
        `export again with "Export for sharing externally", ` +
        `or replace \${${name}} with the Prometheus uid "${PROMETHEUS_DATASOURCE.uid}"`,
    });
  }
  const derivedUid = typeof model.uid !== "string" || model.uid === "";
  if (derivedUid) model.uid = uidFromPath(context.path ?? source);
  return { model, libraryPanels, derivedUid, problems };
}

/**
 * The library panels `model` uses, from the export's `__elements`. A reference whose model
 * is not in the file cannot be deployed: Grafana would show "library panel not found"
 * (it looks the element up by uid in its own library), so it is refused.
 */
function libraryPanelsOf(model: JsonObject, elements: JsonObject, source: string, problems: Problem[]): LibraryPanelSpec[] {
  const found = new Map<string, LibraryPanelSpec>();
  for (const panel of everyPanel(model)) {
    const ref = panel.libraryPanel;
    if (!isObject(ref)) continue;
    const uid = typeof ref.uid === "string" ? ref.uid : "";
    const name = typeof ref.name === "string" ? ref.name : "";
    if (found.has(uid)) continue;
    const element = elements[uid];
    const where = `${source}: library panel ${JSON.stringify(name || uid)} (uid ${JSON.stringify(uid)})`;
    if (!isObject(element) || !isObject(element.model) || (element.kind !== undefined && element.kind !== LIBRARY_PANEL_KIND)) {
      problems.push({
        where,
        message: "is not in the file (no model in __elements): Grafana would show \"library panel not found\" in its place",
        fix: "export the dashboard with \"Export for sharing externally\" (it includes library panels), or unlink the panel in Grafana and export again",
      });
      continue;
    }
    const elementName = typeof element.name === "string" && element.name !== "" ? element.name : name;
    found.set(uid, { uid, name: elementName, model: element.model as PanelModel });
  }
  return [...found.values()];
}
