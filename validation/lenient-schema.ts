/**
 * The import schema: Grafana's dashboard schema (validation/schema/dashboard.schema.json,
 * strict, for the dashboards this project builds) relaxed to what Grafana itself accepts
 * and shows correctly when it imports a dashboard. Calibrated on Grafana's loader and on
 * the corpus of real dashboards (../shared/corpus, tests/calibration/): each relaxation
 * below names the Grafana behaviour it follows. What stays checked are the types Grafana
 * reads (panels, gridPos, targets, variables, time, ...): a wrong one there breaks the
 * dashboard in Grafana too.
 */

type SchemaNode = { [key: string]: unknown };

/**
 * `required` kept only where Grafana cannot fill the key in: a panel without `type` shows
 * "panel plugin not found", a variable without `type` or `name` cannot be built.
 * Everything else missing is filled in by Grafana's loader (the DashboardModel and
 * PanelModel constructors; apps/dashboard/pkg/migration/frontend_defaults.go): annotations,
 * templating, fieldConfig.defaults/overrides, a row's panels, link fields, gridPos fields.
 */
const KEEP_REQUIRED: Readonly<Record<string, readonly string[]>> = {
  Panel: ["type"],
  VariableModel: ["type", "name"],
};

/** A datasource reference as Grafana reads it: {type, uid}, a legacy name or uid string, or null (the default). */
const DATASOURCE_REFERENCE: SchemaNode = {
  type: ["object", "string", "null"],
  properties: { type: { type: "string" }, uid: { type: "string" } },
};

/** Property types Grafana's loader reads more widely than the schema states, by definition and property. */
const WIDENED: Readonly<Record<string, Readonly<Record<string, SchemaNode>>>> = {
  Dashboard: {
    // grafana.com dashboards carry their numeric id (DashboardModel: `data.gnetId || null`).
    gnetId: { type: ["string", "integer", "null"] },
    // `refresh: false` (older exports) means auto-refresh off: the time picker reads any falsy value so.
    refresh: { type: ["string", "boolean"] },
    // A revision is informational (grafana.com's import flow); mixins publish it as a string ("1.0").
    revision: { type: ["integer", "string", "null"] },
  },
  Panel: {
    // Panel links are data links ({title, url, targetBlank}), not dashboard links.
    links: { type: "array", items: { type: "object" } },
  },
};

function relax(node: unknown, definition?: string): unknown {
  if (Array.isArray(node)) return node.map((n) => relax(n));
  if (!node || typeof node !== "object") return node;
  const out: SchemaNode = {};
  for (const [key, value] of Object.entries(node)) {
    // Exports from other Grafana versions and plugins carry keys the schema does not list.
    if (key === "additionalProperties" && value === false) continue;
    if (key === "required") {
      const kept = (value as string[]).filter((k) => definition !== undefined && KEEP_REQUIRED[definition]?.includes(k));
      if (kept.length > 0) out.required = kept;
      continue;
    }
    if (key === "definitions") {
      out.definitions = Object.fromEntries(Object.entries(value as SchemaNode).map(([name, def]) => [name, relaxDefinition(name, def)]));
      continue;
    }
    out[key] = relax(value);
  }
  return out;
}

function relaxDefinition(name: string, def: unknown): unknown {
  // Legacy dashboards name their datasource by a string (migrated by schema 33/36, or read
  // as a name or uid at query time: getDataSourceSrv().get(nameOrUid)).
  if (name === "DataSourceRef") return DATASOURCE_REFERENCE;
  const relaxed = relax(def, name) as SchemaNode;
  const widened = WIDENED[name];
  if (widened && relaxed.properties && typeof relaxed.properties === "object") {
    relaxed.properties = { ...(relaxed.properties as SchemaNode), ...widened };
  }
  return relaxed;
}

/** The import schema derived from the strict one (which is not modified). */
export function lenientSchema(strict: SchemaNode): SchemaNode {
  return relax(strict) as SchemaNode;
}
