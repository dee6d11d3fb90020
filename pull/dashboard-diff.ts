/**
 * What changed in Grafana's UI on a dashboard the program builds in TypeScript, panel by
 * panel, so the change can be ported to its module. Panels are matched by id (ids are
 * stable by design: dashboards/uids.ts); a row's collapsed panels are compared as panels
 * of their own. Every change names a path inside the panel (`targets[0].expr`) and its
 * value in the code and in Grafana; a side where the key is absent has no entry.
 */
import { isDeepStrictEqual } from "node:util";
import type { DashboardModel, PanelModel } from "../dashboards/types";

export interface ValueChange {
  readonly path: string;
  /** The value the module builds (absent: the module does not set it). */
  readonly code?: unknown;
  /** The value in Grafana (absent: removed in Grafana). */
  readonly grafana?: unknown;
}

export interface PanelDiff {
  readonly id: number | string;
  readonly title: string;
  readonly status: "changed" | "added in Grafana" | "removed in Grafana";
  readonly changes?: readonly ValueChange[];
  /** The whole panel, when it was added in Grafana (to copy into the module). */
  readonly panel?: PanelModel;
}

export interface DashboardDiff {
  /** Changes outside the panels: title, variables, time, links, tags... */
  readonly dashboard: readonly ValueChange[];
  readonly panels: readonly PanelDiff[];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const isObjectArray = (v: unknown): v is Record<string, unknown>[] => Array.isArray(v) && v.every(isObject);

const join = (base: string, key: string | number): string =>
  typeof key === "number" ? `${base}[${key}]` : /^[A-Za-z_$][\w$]*$/.test(key) ? (base ? `${base}.${key}` : key) : `${base}[${JSON.stringify(key)}]`;

/**
 * The smallest paths at which `code` and `grafana` differ. Objects are compared key by
 * key, arrays of objects (targets, overrides, steps) element by element; other arrays
 * (tags, calcs) and scalars as one value.
 */
export function valueChanges(code: unknown, grafana: unknown, path = ""): ValueChange[] {
  if (isDeepStrictEqual(code, grafana)) return [];
  if (isObject(code) && isObject(grafana)) {
    const keys = [...new Set([...Object.keys(code), ...Object.keys(grafana)])].sort();
    return keys.flatMap((k) => {
      const at = join(path, k);
      if (!Object.hasOwn(grafana, k)) return [{ path: at, code: code[k] }];
      if (!Object.hasOwn(code, k)) return [{ path: at, grafana: grafana[k] }];
      return valueChanges(code[k], grafana[k], at);
    });
  }
  if (isObjectArray(code) && isObjectArray(grafana)) {
    const length = Math.max(code.length, grafana.length);
    return Array.from({ length }, (_, i) => {
      const at = join(path, i);
      if (i >= grafana.length) return [{ path: at, code: code[i] }];
      if (i >= code.length) return [{ path: at, grafana: grafana[i] }];
      return valueChanges(code[i], grafana[i], at);
    }).flat();
  }
  return [{ path: path || "(value)", code, grafana }];
}

/** Top-level panels and rows, then each row's collapsed panels; a row without its children. */
function flatPanels(model: DashboardModel): PanelModel[] {
  return (Array.isArray(model.panels) ? model.panels : []).flatMap((p) => {
    if (!Array.isArray(p.panels) || p.panels.length === 0) return [p];
    const { panels: children, ...row } = p;
    return [row, ...children];
  });
}

/** A panel's identity: its id, else its position (a panel without id cannot be matched otherwise). */
const panelKey = (p: PanelModel, index: number): number | string => (typeof p.id === "number" ? p.id : `#${index}`);
const panelTitle = (p: PanelModel): string => (typeof p.title === "string" ? p.title : "");

/** Panel-by-panel differences between the module's build and Grafana's copy (both normalised). */
export function dashboardDiff(code: DashboardModel, grafana: DashboardModel): DashboardDiff {
  const { panels: _codePanels, ...codeRest } = code;
  const { panels: _grafanaPanels, ...grafanaRest } = grafana;
  const inCode = new Map(flatPanels(code).map((p, i) => [panelKey(p, i), p]));
  const inGrafana = new Map(flatPanels(grafana).map((p, i) => [panelKey(p, i), p]));

  const panels: PanelDiff[] = [];
  for (const [key, codePanel] of inCode) {
    const grafanaPanel = inGrafana.get(key);
    if (!grafanaPanel) {
      panels.push({ id: key, title: panelTitle(codePanel), status: "removed in Grafana" });
      continue;
    }
    const changes = valueChanges(codePanel, grafanaPanel);
    // Titled as in the module, where the change is to be ported.
    if (changes.length > 0) panels.push({ id: key, title: panelTitle(codePanel), status: "changed", changes });
  }
  for (const [key, grafanaPanel] of inGrafana) {
    if (!inCode.has(key)) panels.push({ id: key, title: panelTitle(grafanaPanel), status: "added in Grafana", panel: grafanaPanel });
  }
  return { dashboard: valueChanges(codeRest, grafanaRest), panels };
}

export const isEmptyDiff = (diff: DashboardDiff): boolean => diff.dashboard.length === 0 && diff.panels.length === 0;

/** "2 panels changed, 1 added in Grafana, dashboard settings changed" */
export function summariseDiff(diff: DashboardDiff): string {
  const counts = new Map<string, number>();
  for (const p of diff.panels) counts.set(p.status, (counts.get(p.status) ?? 0) + 1);
  const parts = [...counts].map(([status, n], i) => `${n}${i === 0 ? ` panel${n === 1 ? "" : "s"}` : ""} ${status}`);
  if (diff.dashboard.length > 0) parts.push("dashboard settings changed");
  return parts.join(", ");
}
