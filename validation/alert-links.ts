/**
 * What alert rules point at must be deployed: the folder of their rule group, and the
 * dashboard panel that shows their signal (annotations __dashboardUid__ / __panelId__),
 * without which the alert's "view panel" button leads nowhere.
 */
import { GrafanaRuleGroup } from "../alerts/types";
import { panelIds } from "../dashboards/panel-ids";
import { DashboardSpec, FolderSpec } from "../dashboards/types";
import { Problem } from "../lib/errors";

/**
 * Rules whose group names a folder the stack does not declare. Built-in rules use declared
 * folders, so such a group comes from a drop-in file under alerts/rules/<folder-uid>/.
 */
export function ruleFolderProblems(groups: readonly GrafanaRuleGroup[], folders: readonly FolderSpec[]): Problem[] {
  const folderUids = new Set(folders.map((f) => f.uid));
  // One problem per folder: a rule file of 200 rules in the wrong place is one mistake.
  const byFolder = new Map<string, string[]>();
  for (const g of groups.filter((x) => !folderUids.has(x.folderUid))) byFolder.set(g.folderUid, [...(byFolder.get(g.folderUid) ?? []), ...g.rules.map((r) => r.name)]);
  return [...byFolder].map(([folderUid, names]) => {
    const shown = names.length === 1 ? `rule ${names[0]} names` : `rules ${names.slice(0, 3).join(", ")}${names.length > 3 ? ` and ${names.length - 3} more` : ""} name`;
    return {
      where: `alerts/rules/${folderUid}/`,
      message: `${shown} folder "${folderUid}", which this stack does not declare`,
      fix: `use one of: ${[...folderUids, "imported"].filter((u, i, all) => all.indexOf(u) === i).join(", ")} (alerts/rules/imported/ lands in the Imported folder), or declare it in FOLDERS in dashboards/folders.ts`,
    };
  });
}

export function alertLinkProblems(groups: readonly GrafanaRuleGroup[], dashboards: readonly DashboardSpec[]): Problem[] {
  const panels = new Map(dashboards.map((d) => [d.uid, d.panelIds ? new Set(d.panelIds) : panelIds(d.model.panels)]));
  const problems: Problem[] = [];
  for (const group of groups) {
    for (const rule of group.rules) {
      const uid = rule.annotations.__dashboardUid__;
      const panel = rule.annotations.__panelId__;
      if (uid === undefined && panel === undefined) continue;
      const where = `rule group ${group.name}: rule ${rule.name}`;
      const ids = uid === undefined ? undefined : panels.get(uid);
      if (!ids) {
        problems.push({ where, message: `links to dashboard "${uid}", which is not deployed`, fix: `use one of: ${[...panels.keys()].join(", ")}` });
      } else if (!ids.has(Number(panel))) {
        problems.push({ where, message: `links to panel ${panel} of dashboard "${uid}", which has no such panel`, fix: `use one of its panel ids: ${[...ids].sort((a, b) => a - b).join(", ")}` });
      }
    }
  }
  return problems;
}
