/** Panel ids of a dashboard: alert rules link to them (annotation __panelId__). */
import { PanelModel } from "./types";

/** Every panel id, the panels of collapsed rows included. */
export function panelIds(panels: readonly PanelModel[] | undefined, into: Set<number> = new Set()): Set<number> {
  for (const p of panels ?? []) {
    if (typeof p.id === "number") into.add(p.id);
    panelIds(p.panels, into);
  }
  return into;
}
