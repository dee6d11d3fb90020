/**
 * The library panels to deploy: each uid once, in the folder of the first dashboard (in
 * deploy order) that uses it. Grafana links a dashboard to a library panel by uid
 * (`libraryPanel: {uid, name}` in the panel), so the element must exist first.
 */
import { DashboardSpec, LibraryPanelSpec } from "./types";

export interface DeployedLibraryPanel extends LibraryPanelSpec {
  readonly folderUid: string;
  /** Source of the first dashboard that carries it (messages, review). */
  readonly source: string;
}

export function libraryPanelsToDeploy(dashboards: readonly DashboardSpec[]): DeployedLibraryPanel[] {
  const byUid = new Map<string, DeployedLibraryPanel>();
  for (const d of dashboards) {
    for (const lib of d.libraryPanels ?? []) {
      if (!byUid.has(lib.uid)) byUid.set(lib.uid, { ...lib, folderUid: d.folderUid, source: d.source });
    }
  }
  return [...byUid.values()];
}
