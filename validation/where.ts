/** How problems name the place they are in: file, dashboard, panel, target, rule. */
import { DashboardModel, DashboardSpec, PanelModel, TargetModel } from "../dashboards/types";

/** `dashboards/x.json: dashboard "uid" (Title)`; a dashboard missing either is still named by its file. */
export function dashboardWhere(spec: Pick<DashboardSpec, "source" | "uid" | "title">, model: DashboardModel = {}): string {
  const uid = typeof model.uid === "string" && model.uid !== "" ? model.uid : spec.uid;
  const title = typeof model.title === "string" && model.title !== "" ? model.title : spec.title;
  const named = uid ? `dashboard "${uid}"` : "dashboard without uid";
  return `${spec.source}: ${named}${title ? ` (${title})` : ""}`;
}

/** `panel 3 "Latency"`, `row "Overview"`, or `panel #2 (untitled)` when the panel has no id. */
export function panelLabel(panel: PanelModel | undefined, index: number): string {
  const p = panel && typeof panel === "object" ? panel : {};
  const title = typeof p.title === "string" && p.title !== "" ? `"${p.title}"` : "(untitled)";
  if (p.type === "row") return `row ${title}`;
  const id = typeof p.id === "number" ? String(p.id) : `#${index + 1}`;
  return `panel ${id} ${title}`;
}

/** Grafana's default refIds: A, B, ... Z, AA ... */
export function defaultRefId(index: number): string {
  let n = index;
  let out = "";
  do {
    out = String.fromCharCode(65 + (n % 26)) + out;
    n = Math.floor(n / 26) - 1;
  } while (n >= 0);
  return out;
}

export function targetLabel(target: TargetModel | undefined, index: number): string {
  const refId = target && typeof target.refId === "string" && target.refId !== "" ? target.refId : defaultRefId(index);
  return `target ${refId}`;
}

export function quote(value: unknown, max = 60): string {
  const text = typeof value === "string" ? JSON.stringify(value) : JSON.stringify(value) ?? String(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
