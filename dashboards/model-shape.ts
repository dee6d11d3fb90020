/**
 * The shape every reader of a dashboard model relies on: `panels` (and a row's `panels`,
 * and legacy `rows[].panels`) are lists of objects. Grafana's importer rejects a dashboard
 * whose panels are not (its schema types them as arrays of panel objects); here such a
 * file becomes one problem naming it and the path, before any converter or validator
 * walks it.
 */
import { Problem } from "../lib/errors";

const describe = (v: unknown): string => (v === null ? "null" : Array.isArray(v) ? "a list" : typeof v === "object" ? "an object" : `a ${typeof v}`);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** The first place where `panels`/`rows` are not lists of objects, or undefined. */
function firstMisshapen(model: Record<string, unknown>): { path: string; found: string; expected: string } | undefined {
  // Recursive like the readers (panel-ids.ts); the file's nesting depth is already bounded.
  const panelList = (value: unknown, at: string): ReturnType<typeof firstMisshapen> => {
    if (value === undefined) return undefined;
    if (!Array.isArray(value)) return { path: at, found: describe(value), expected: "a list of panels" };
    for (let i = 0; i < value.length; i++) {
      const panel: unknown = value[i];
      if (!isObject(panel)) return { path: `${at}[${i}]`, found: describe(panel), expected: "a panel object" };
      const inner = panelList(panel.panels, `${at}[${i}].panels`);
      if (inner) return inner;
    }
    return undefined;
  };
  const top = panelList(model.panels, "panels");
  if (top) return top;
  if (model.rows === undefined) return undefined;
  if (!Array.isArray(model.rows)) return { path: "rows", found: describe(model.rows), expected: "a list of rows" };
  for (let i = 0; i < model.rows.length; i++) {
    const row: unknown = model.rows[i];
    if (!isObject(row)) return { path: `rows[${i}]`, found: describe(row), expected: "a row object" };
    const inner = panelList(row.panels, `rows[${i}].panels`);
    if (inner) return inner;
  }
  return undefined;
}

/** One problem when the model's panels or rows are misshapen, none otherwise. */
export function modelShapeProblems(model: Record<string, unknown>, source: string): Problem[] {
  const bad = firstMisshapen(model);
  if (!bad) return [];
  return [
    {
      where: `${source}: ${bad.path}`,
      message: `is ${bad.found}, not ${bad.expected}`,
      fix: "export the dashboard from Grafana again, or correct that entry",
    },
  ];
}
