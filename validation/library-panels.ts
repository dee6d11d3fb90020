/**
 * Library panels across dashboards. Each is deployed once (grafana.oss.LibraryPanel, in
 * the folder of the first dashboard that uses it: dashboards/library-panels.ts), so
 * every file that carries it must carry the same element; Grafana refuses a second
 * element of the same name in a folder, and a uid outside its uid rule. Their models are
 * checked in each dashboard's place (validation/dashboards.ts), with its variables.
 */
import { libraryPanelsToDeploy } from "../dashboards/library-panels";
import { DashboardSpec } from "../dashboards/types";
import { Problem } from "../lib/errors";
import { uidFormatProblems } from "../lib/grafana-uid";

export function libraryPanelProblems(dashboards: readonly DashboardSpec[]): Problem[] {
  const problems: Problem[] = [];
  const first = new Map<string, { source: string; json: string; name: string }>();
  for (const d of dashboards) {
    for (const lib of d.libraryPanels ?? []) {
      const where = `${d.source}: library panel "${lib.name}" (uid "${lib.uid}")`;
      const json = JSON.stringify(lib.model);
      const seen = first.get(lib.uid);
      if (!seen) {
        first.set(lib.uid, { source: d.source, json, name: lib.name });
        problems.push(...uidFormatProblems(lib.uid, where));
        if (lib.name.trim() === "") problems.push({ where, message: "library panel has no name", fix: "name it in Grafana and export again" });
      } else if (seen.json !== json || seen.name !== lib.name) {
        problems.push({
          where,
          message: `differs from the library panel of the same uid in ${seen.source}: one uid is one library panel in Grafana`,
          fix: "export both dashboards again from the same Grafana, or give one library panel its own uid",
        });
      }
    }
  }
  const byFolderAndName = new Map<string, string>();
  for (const lib of libraryPanelsToDeploy(dashboards)) {
    const key = `${lib.folderUid}\u0000${lib.name.toLowerCase()}`;
    const other = byFolderAndName.get(key);
    if (other !== undefined) {
      problems.push({
        where: `library panel "${lib.name}" (uid "${lib.uid}")`,
        message: `has the name of library panel uid "${other}" in folder "${lib.folderUid}"; Grafana refuses a second library panel of the same name in a folder`,
        fix: "rename one of them in Grafana and export again",
      });
    } else byFolderAndName.set(key, lib.uid);
  }
  return problems;
}
