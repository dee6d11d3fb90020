/**
 * `npm run pull`: what people edited in Grafana's UI, back into code. Every request to
 * Grafana is made and every decision taken before the first file is written, so a pull
 * that fails (401, unknown uid, Grafana down or slow) leaves the checkout untouched.
 */
import * as path from "node:path";
import { planAlertRules } from "./alert-rules";
import { planDashboards, selectDashboards } from "./dashboards";
import { applyItems, fileOutsideCheckout, PullItem } from "./files";
import { GrafanaApi, PullError } from "./grafana-api";
import { programContent } from "./project";

export { PullError, GrafanaApi } from "./grafana-api";
export type { GrafanaConnection } from "./grafana-api";
export { resolveConnection, AUTH_VARIABLE } from "./credentials";
export { describeItem, changesFiles } from "./files";
export type { PullItem } from "./files";

export interface PullOptions {
  /** `--dashboard`: dashboard uids. */
  readonly dashboards: readonly string[];
  /** `--folder`: folder uids, each with its nested folders. */
  readonly folders: readonly string[];
  /** `--alerts`: folder uids whose alert rules to pull. */
  readonly alerts: readonly string[];
  /** The stack whose program the content is compared with (built dashboards, its rule groups). */
  readonly stack: string;
  /** Decide and report, write nothing. */
  readonly dryRun: boolean;
  /** The checkout to write into. */
  readonly root: string;
}

/** Pulls the selection; returns what it did (or, in a dry run, would do). */
export async function pull(api: GrafanaApi, options: PullOptions): Promise<PullItem[]> {
  const content = programContent(options.stack, options.root);
  const selection = await selectDashboards(api, options.dashboards, options.folders);
  const items = await planDashboards(api, content, selection);
  for (const folderUid of options.alerts) items.push(...(await planAlertRules(api, content, folderUid)));
  const outside = fileOutsideCheckout(options.root, items);
  if (outside) {
    const shown = path.relative(options.root, outside.file);
    throw new PullError(`${shown} would be written in ${outside.lands}, outside the checkout (a symbolic link on the way): nothing was written; replace the link with a directory`);
  }
  if (!options.dryRun) applyItems(items);
  return items;
}
