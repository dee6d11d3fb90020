/**
 * Shape of a dashboard JSON model, checked with ajv against validation/schema/dashboard.schema.json
 * (derived from Grafana's published schema by scripts/derive-dashboard-schema.ts).
 * Strict: unknown keys are errors (built dashboards). Lenient (imported exports, which
 * carry extra keys and nulls): unknown keys are accepted, null counts as absent, targets
 * need not be Prometheus queries and a variable's `current` may be empty.
 */
import type { ErrorObject } from "ajv";
import { DashboardModel, PanelModel } from "../dashboards/types";
import { Problem } from "../lib/errors";
import { closest } from "../lib/suggest";
import { dashboardValidators } from "./dashboard-validators";
import { panelLabel, quote, targetLabel } from "./where";

type SchemaNode = { [key: string]: unknown };

const omitted = (v: unknown) => v === undefined || typeof v === "function" || typeof v === "symbol";

/**
 * The model as Grafana receives it, in one pass: what JSON.parse(JSON.stringify(value))
 * gives for plain data (undefined and functions vanish from objects and become null in
 * arrays, non-finite numbers become null, toJSON is honoured), and with `dropNulls`
 * without null-valued object keys (Grafana reads null as unset; array positions kept).
 */
function asSent(value: unknown, dropNulls: boolean): unknown {
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  if (value === null || typeof value !== "object") return value;
  const object = value as { toJSON?: () => unknown } & Record<string, unknown>;
  if (typeof object.toJSON === "function") return asSent(object.toJSON(), dropNulls);
  if (Array.isArray(value)) return value.map((v: unknown) => (omitted(v) ? null : asSent(v, dropNulls)));
  const out: SchemaNode = {};
  for (const key of Object.keys(object)) {
    const v = object[key];
    if (omitted(v)) continue;
    const sent = asSent(v, dropNulls);
    if (dropNulls && sent === null) continue;
    // A JSON key "__proto__" stays data, as after JSON.parse.
    if (key === "__proto__") Object.defineProperty(out, key, { value: sent, enumerable: true, writable: true, configurable: true });
    else out[key] = sent;
  }
  return out;
}

const isIndex = (token: string | undefined) => token !== undefined && /^\d+$/.test(token);

interface Located {
  /** Panel/row/target/variable path, e.g. `row "Overview", panel 4 "Errors", target A`. */
  readonly where: string;
  /** Remaining field path inside that object, dot-separated ("" for the object itself). */
  readonly field: string;
}

/** Turns a JSON pointer into the panel / target / variable it is in, plus the field. */
function locate(model: DashboardModel, pointer: string): Located {
  const tokens = pointer.split("/").slice(1).map((t) => t.replace(/~1/g, "/").replace(/~0/g, "~"));
  const parts: string[] = [];
  let i = 0;
  if (tokens[0] === "panels" && isIndex(tokens[1])) {
    let panels: PanelModel[] | undefined = Array.isArray(model.panels) ? model.panels : undefined;
    while (tokens[i] === "panels" && isIndex(tokens[i + 1])) {
      const index = Number(tokens[i + 1]);
      const panel: PanelModel | undefined = panels?.[index];
      parts.push(panelLabel(panel, index));
      panels = panel && Array.isArray(panel.panels) ? panel.panels : undefined;
      i += 2;
      if (tokens[i] === "targets" && isIndex(tokens[i + 1])) {
        const t = Number(tokens[i + 1]);
        parts.push(targetLabel(Array.isArray(panel?.targets) ? panel.targets[t] : undefined, t));
        i += 2;
        break;
      }
    }
  } else if (tokens[0] === "templating" && tokens[1] === "list" && isIndex(tokens[2])) {
    const list = model.templating?.list;
    const v = Array.isArray(list) ? list[Number(tokens[2])] : undefined;
    parts.push(`variable ${typeof v?.name === "string" ? `"${v.name}"` : `#${Number(tokens[2]) + 1}`}`);
    i = 3;
  }
  return { where: parts.join(", "), field: tokens.slice(i).join(".") };
}

/** Bounds of gridPos are reported by the layout check, with the panel's whole position. */
function reportedElsewhere(e: ErrorObject): boolean {
  if (e.keyword === "if") return true;
  return /\/gridPos\/[xywh]$/.test(e.instancePath) && ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"].includes(e.keyword);
}

function describe(e: ErrorObject, field: string): Pick<Problem, "message" | "fix"> {
  const subject = field || "the object";
  switch (e.keyword) {
    case "additionalProperties": {
      const key = String((e.params as { additionalProperty: string }).additionalProperty);
      const parent = e.parentSchema as { properties?: Record<string, unknown> } | undefined;
      const guess = closest(key, Object.keys(parent?.properties ?? {}));
      return {
        message: `unknown key "${field ? `${field}.` : ""}${key}" (not in Grafana's dashboard schema)`,
        fix: guess ? `did you mean "${guess}"?` : "remove it (a built dashboard must match Grafana's dashboard schema)",
      };
    }
    case "required": {
      const key = String((e.params as { missingProperty: string }).missingProperty);
      return { message: `missing required key "${field ? `${field}.` : ""}${key}"`, fix: `set ${key}` };
    }
    case "type": {
      const type = String((e.params as { type: string }).type);
      const article = /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
      return { message: `${subject} must be ${article}, got ${quote(e.data)}`, fix: `make ${subject} ${article}` };
    }
    case "enum": {
      const allowed = (e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(", ");
      return { message: `${subject} must be one of ${allowed}, got ${quote(e.data)}`, fix: `use one of ${allowed}` };
    }
    default:
      return { message: `${subject} ${e.message ?? "is invalid"}${e.data !== undefined && typeof e.data !== "object" ? `, got ${quote(e.data)}` : ""}`, fix: "correct the value" };
  }
}

/** Schema problems of one dashboard model; `where` is prefixed with `dashboardWhere`. */
export function schemaProblems(model: DashboardModel, strict: boolean, dashboardWhere: string): Problem[] {
  const validate = strict ? dashboardValidators().strict : dashboardValidators().lenient;
  // What Grafana receives: the JSON text (builders' function-valued markers and
  // undefined fields vanish); lenient: nulls count as absent.
  const json = asSent(model, !strict) as DashboardModel;
  if (validate(json)) return [];
  const seen = new Set<string>();
  const problems: Problem[] = [];
  for (const e of validate.errors ?? []) {
    if (reportedElsewhere(e)) continue;
    const { where, field } = locate(json, e.instancePath);
    const { message, fix } = describe(e, field);
    const full = where ? `${dashboardWhere}, ${where}` : dashboardWhere;
    const key = `${full}|${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push({ where: full, message: `schema: ${message}`, fix });
  }
  return problems;
}
