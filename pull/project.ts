/**
 * What the program deploys, as far as a pull needs to know: which dashboards it builds in
 * TypeScript (never overwritten; compared with the stack's build), where each drop-in
 * dashboard file lives, the declared folders, and which rule groups it owns.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { readAlertRuleFiles } from "../alerts/imported";
import { ruleGroupName } from "../alerts/rule-chain";
import { churnApiAlerts } from "../alerts/specs";
import { builtDashboards, FOLDERS, readImportedDashboards } from "../dashboards";
import type { DashboardSpec, FolderSpec } from "../dashboards/types";
import { projectRoot } from "../lib/paths";
import { withSecretPlaceholders } from "../render/placeholders";
import { loadStackConfig, settingsFor } from "../render/stack-config";

export interface DropInFile {
  /** Absolute path of the file. */
  readonly file: string;
  /** The folder the program deploys it to (its sub-directory, or "imported" at the top level). */
  readonly folderUid: string;
}

export interface ProgramContent {
  /** The checkout a pull writes into. */
  readonly root: string;
  /** Dashboards built in TypeScript, with this stack's values applied, by uid. */
  readonly built: ReadonlyMap<string, DashboardSpec>;
  /** Drop-in dashboard files under <root>/dashboards, by uid. */
  readonly dropIns: ReadonlyMap<string, DropInFile>;
  readonly declaredFolders: ReadonlyMap<string, FolderSpec>;
  /** The rule group the program deploys in a folder, by folder uid (alerts/rule-chain.ts). */
  readonly ruleGroups: ReadonlyMap<string, string>;
  /** The stack whose program this is. */
  readonly stack: string;
}

/**
 * The program's content for `stack` (its committed config; secrets it cannot read are
 * placeholders, which no dashboard or rule name depends on), with drop-in files read from
 * `root`. Throws the config's InputError for a stack that does not exist.
 */
export function programContent(stack: string, root: string): ProgramContent {
  const { config } = withSecretPlaceholders(stack, loadStackConfig(stack));
  const settings = settingsFor(stack, config);
  const built = builtDashboards({ environment: settings.environment, churnApiNamespace: settings.content.churnApiNamespace });
  // Problems of drop-in files (broken JSON, a folder not declared yet...) are validation's: a
  // pull only needs the files it can read, so every sub-directory counts as a folder here.
  const dashboardsDir = path.join(root, "dashboards");
  const subdirectories = fs.existsSync(dashboardsDir) ? fs.readdirSync(dashboardsDir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => ({ uid: e.name, title: e.name })) : [];
  const imported = readImportedDashboards(dashboardsDir, [...FOLDERS, ...subdirectories.filter((d) => !FOLDERS.some((f) => f.uid === d.uid))]);
  const dropIns = new Map<string, DropInFile>();
  for (const d of imported.dashboards) {
    if (d.uid && !dropIns.has(d.uid)) dropIns.set(d.uid, { file: path.resolve(projectRoot(), d.source), folderUid: d.folderUid });
  }
  const alertFolders = [
    ...churnApiAlerts({ ...settings.alerting, namespace: settings.content.churnApiNamespace }),
    ...readAlertRuleFiles(path.join(root, "alerts", "rules")).specs,
  ].map((a) => a.folderUid);
  return {
    root,
    stack,
    built: new Map(built.map((d) => [d.uid, d])),
    dropIns,
    declaredFolders: new Map(FOLDERS.map((f) => [f.uid, f])),
    ruleGroups: new Map(alertFolders.map((f) => [f, ruleGroupName(f)])),
  };
}

/** A file's path relative to the checkout, with forward slashes (for messages). */
export function checkoutRelative(content: Pick<ProgramContent, "root">, file: string): string {
  return path.relative(content.root, file).split(path.sep).join("/");
}
