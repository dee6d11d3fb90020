/**
 * Derives validation/schema/dashboard.schema.json from Grafana's published JSON Schemas
 * (grafana-foundation-sdk jsonschema/: dashboard.jsonschema.json + prometheus.jsonschema.json).
 * The upstream files are not part of the project; this keeps only what validation needs:
 * Dashboard, Panel, RowPanel, GridPos, VariableModel, DataSourceRef, the Prometheus target
 * and the small enums they use, with property names, types and required lists. Other
 * definitions become shallow stubs ({"type": "object"} ...) and documentation is dropped.
 *
 *   node bin/scripts/derive-dashboard-schema.js [referenceDir] [outFile]
 *
 * referenceDir defaults to ../shared/reference/grafana-foundation-jsonschema next to the project.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { UsageError } from "../build/args";
import { ParsedArgs, runAsCli } from "../lib/cli";
import { fromRoot } from "../lib/paths";

export const DEFAULT_SCHEMA_REFERENCE = fromRoot("..", "shared", "reference", "grafana-foundation-jsonschema");
export const SCHEMA_OUTPUT = fromRoot("validation", "schema", "dashboard.schema.json");

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** Definitions kept in full; every other $ref target becomes a stub. */
const KEEP = [
  "Dashboard",
  "Panel",
  "RowPanel",
  "GridPos",
  "DataSourceRef",
  "VariableModel",
  "VariableOption",
  "VariableType",
  "VariableHide",
  "VariableRefresh",
  "VariableSort",
  "DashboardCursorSync",
  "AnnotationContainer",
  "AnnotationQuery",
  "DashboardLink",
  "DashboardLinkType",
  "TimePickerConfig",
  "FieldConfigSource",
] as const;
/** From prometheus.jsonschema.json: the target shape, and its enums. */
const TARGET = "PrometheusTarget";
const TARGET_ENUMS = ["QueryEditorMode", "PromQueryFormat"] as const;

/** Schema keywords kept (annotations such as description/default/deprecated are dropped). */
const KEYWORDS = new Set([
  "$ref", "type", "properties", "required", "additionalProperties", "items", "enum", "const",
  "oneOf", "anyOf", "allOf", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
  "minLength", "maxLength", "pattern", "minItems", "maxItems",
]);

const isObject = (v: Json | undefined): v is JsonObject => typeof v === "object" && v !== null && !Array.isArray(v);

function readJson(file: string): JsonObject {
  const parsed: Json = JSON.parse(fs.readFileSync(file, "utf8"));
  if (!isObject(parsed)) throw new Error(`${file}: not a JSON object`);
  return parsed;
}

function definitionsOf(file: string): JsonObject {
  const defs = readJson(file).definitions;
  if (!isObject(defs)) throw new Error(`${file}: no definitions`);
  return defs;
}

/** A shallow stand-in for a definition that is not kept. */
function stub(def: Json | undefined): JsonObject {
  if (!isObject(def)) return {};
  if (typeof def.type === "string") return { type: def.type };
  return {};
}

/** Copies a schema node, dropping annotations and resolving $refs to kept or stubbed definitions. */
function prune(node: Json, all: JsonObject, kept: ReadonlySet<string>): Json {
  if (Array.isArray(node)) return node.map((n) => prune(n, all, kept));
  if (!isObject(node)) return node;
  const ref = node.$ref;
  if (typeof ref === "string") {
    const name = ref.replace("#/definitions/", "");
    return kept.has(name) ? { $ref: `#/definitions/${name}` } : stub(all[name]);
  }
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(node)) {
    if (!KEYWORDS.has(key)) continue;
    if (key === "properties" && isObject(value)) {
      const props: JsonObject = {};
      for (const [name, schema] of Object.entries(value)) props[name] = prune(schema, all, kept);
      out.properties = props;
    } else {
      out[key] = prune(value, all, kept);
    }
  }
  return out;
}

export function deriveDashboardSchema(referenceDir: string): JsonObject {
  const dashboard = definitionsOf(path.join(referenceDir, "dashboard.jsonschema.json"));
  const prometheus = definitionsOf(path.join(referenceDir, "prometheus.jsonschema.json"));
  const all: JsonObject = { ...prometheus, ...dashboard };
  const kept = new Set<string>([...KEEP, ...TARGET_ENUMS, TARGET]);
  const definitions: JsonObject = {};
  for (const name of KEEP) {
    if (!(name in dashboard)) throw new Error(`dashboard.jsonschema.json has no definition ${name}`);
    definitions[name] = prune(dashboard[name], all, kept);
  }
  for (const name of TARGET_ENUMS) definitions[name] = prune(prometheus[name], all, kept);
  definitions[TARGET] = prune(prometheus.Dataquery, all, kept);

  // Panel targets are free-form objects upstream; here they are Prometheus queries.
  const panel = definitions.Panel;
  if (!isObject(panel) || !isObject(panel.properties) || !isObject(panel.properties.targets)) {
    throw new Error("Panel.targets not found");
  }
  panel.properties.targets = { type: "array", items: { $ref: `#/definitions/${TARGET}` } };

  // Upstream types an object query as a map of objects (a CUE transcription slip): Grafana
  // itself stores {query: "...", refId: "..."} there. Accept a string or any object.
  const variable = definitions.VariableModel;
  if (!isObject(variable) || !isObject(variable.properties) || !isObject(variable.properties.query)) {
    throw new Error("VariableModel.query not found");
  }
  variable.properties.query = { type: ["string", "object"] };

  // Upstream uses oneOf [Panel, RowPanel]: an expanded row fails Panel and a lenient Panel
  // accepts a row, so dispatch on `type` instead (clearer errors, same meaning).
  const dash = definitions.Dashboard;
  if (!isObject(dash) || !isObject(dash.properties)) throw new Error("Dashboard.properties not found");
  dash.properties.panels = {
    type: "array",
    items: {
      if: { type: "object", properties: { type: { const: "row" } }, required: ["type"] },
      then: { $ref: "#/definitions/RowPanel" },
      else: { $ref: "#/definitions/Panel" },
    },
  };

  return {
    $schema: "http://json-schema.org/draft-07/schema#",
    $comment:
      "Generated by scripts/derive-dashboard-schema.ts from grafana-foundation-sdk jsonschema/dashboard.jsonschema.json " +
      "and prometheus.jsonschema.json (Apache-2.0). Do not edit: re-run the script.",
    $ref: "#/definitions/Dashboard",
    definitions,
  };
}

export function schemaText(schema: JsonObject): string {
  return `${JSON.stringify(schema, null, 2)}\n`;
}

export function main({ positionals: argv }: ParsedArgs): number {
  const referenceDir = argv[0] ?? DEFAULT_SCHEMA_REFERENCE;
  const out = argv[1] ?? SCHEMA_OUTPUT;
  if (!fs.existsSync(path.join(referenceDir, "dashboard.jsonschema.json"))) {
    throw new UsageError(`dashboard.jsonschema.json not found in ${referenceDir}: pass the folder holding Grafana's jsonschema files`);
  }
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, schemaText(deriveDashboardSchema(referenceDir)));
  console.log(`wrote ${path.relative(process.cwd(), out)}`);
  return 0;
}

if (require.main === module) runAsCli("derive-dashboard-schema", main);
