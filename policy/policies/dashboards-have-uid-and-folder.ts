/**
 * dashboards-have-uid-and-folder: every Grafana dashboard has a stable uid in its
 * model (links, alert rules and the provider's identity depend on it; changing it
 * replaces the dashboard) and lives in a folder rather than General.
 */
import { ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import { isNonEmptyString, isUnknown, rawGet } from "../lib/props";
import { TYPES } from "../lib/resources";

export const DASHBOARDS_HAVE_UID_AND_FOLDER = "dashboards-have-uid-and-folder";
/** Grafana rejects longer dashboard uids. */
export const MAX_UID_LENGTH = 40;

/** The problems of a dashboard's configJson (the dashboard model as a JSON string). */
export function configJsonProblems(configJson: unknown): string[] {
  if (isUnknown(configJson)) {
    return []; // computed: checked again at update, when it is known
  }
  if (!isNonEmptyString(configJson)) {
    return ["has no configJson. Fix: pass the dashboard model, with its uid, as a JSON string."];
  }
  let model: unknown;
  try {
    model = JSON.parse(configJson);
  } catch (err) {
    return [`has a configJson that is not valid JSON (${(err as Error).message.slice(0, 120)}). Fix: pass JSON.stringify(model).`];
  }
  if (model === null || typeof model !== "object" || Array.isArray(model)) {
    return ["has a configJson that is not a JSON object. Fix: pass JSON.stringify(model) of the dashboard model."];
  }
  const uid: unknown = (model as Record<string, unknown>).uid;
  if (!isNonEmptyString(uid)) {
    return ['has no "uid" in configJson: Grafana would generate one per create. Fix: set a stable uid in the dashboard model.'];
  }
  if (uid.length > MAX_UID_LENGTH) {
    return [`has a uid of ${uid.length} characters; Grafana allows at most ${MAX_UID_LENGTH}. Fix: shorten it.`];
  }
  return [];
}

/** The problem with a dashboard's folder input, if any (a computed folder uid counts as set). */
export function folderProblems(folder: unknown): string[] {
  if (isUnknown(folder) || isNonEmptyString(folder)) {
    return [];
  }
  return ["has no folder, so it lands in General. Fix: set folder to a folder's uid (folder: someFolder.uid)."];
}

function validate(args: ResourceValidationArgs, report: (message: string) => void): void {
  if (args.type !== TYPES.dashboard) {
    return;
  }
  const label = `Dashboard "${args.name}"`;
  for (const problem of [...configJsonProblems(rawGet(args.props, "configJson")), ...folderProblems(rawGet(args.props, "folder"))]) {
    report(`${label} ${problem}`);
  }
}

export const dashboardsHaveUidAndFolder: ResourceValidationPolicy = {
  name: DASHBOARDS_HAVE_UID_AND_FOLDER,
  description: `Every Grafana dashboard's configJson parses and has a non-empty uid (at most ${MAX_UID_LENGTH} characters), and the dashboard has a folder.`,
  enforcementLevel: "mandatory",
  validateResource: validate,
};
