/**
 * What the build already validated, so the program does not parse the same PromQL and
 * check the same schema on every run. `npm run build` (scripts/compile-content.ts) runs
 * each dashboard's and each rule's own checks for every committed stack and records the
 * SHA-256 digest of every unit that passed, in bin/validation/validated-content.json;
 * for drop-in rule files, also the rules they parse to.
 * The program skips those checks only for a unit whose digest is recorded, that is for
 * exactly the bytes that passed; anything else (an edited or new file, another stack's
 * values) is checked in full at run time. Checks across units (uids, titles, links,
 * folders) always run. Missing file: nothing is skipped.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import type { AlertSpec, GrafanaRule } from "../alerts/types";
import type { DashboardModel } from "../dashboards/types";
import { jsonText } from "../lib/json-text";

export interface ValidatedContent {
  /** Digests of dashboards (model, schema mode, origin) whose own checks passed. */
  readonly dashboards: ReadonlySet<string>;
  /** Digests of alert rules whose own checks passed. */
  readonly rules: ReadonlySet<string>;
  /** Drop-in rule files (digest of folder and text) that parsed and passed their schema, with the rules they hold. */
  readonly ruleFiles: ReadonlyMap<string, readonly AlertSpec[]>;
}

/** The record's file format. */
export interface ValidatedContentFile {
  readonly dashboards: readonly string[];
  readonly rules: readonly string[];
  readonly ruleFiles: Readonly<Record<string, readonly AlertSpec[]>>;
}

export const NOTHING_VALIDATED: ValidatedContent = { dashboards: new Set(), rules: new Set(), ruleFiles: new Map() };

/** Next to this module's compiled JavaScript: bin/validation/validated-content.json. */
export const VALIDATED_CONTENT_FILE = path.join(__dirname, "validated-content.json");

const digest = (kind: string, text: string) => createHash("sha256").update(kind).update("\u0000").update(text).digest("base64url");

/** The checks of a dashboard depend on its model, the schema mode and whether it is imported. */
export function dashboardDigest(model: DashboardModel, strict: boolean, imported: boolean): string {
  return digest(`dashboard:${strict ? "strict" : "lenient"}:${imported ? "imported" : "built"}`, jsonText(model));
}

export function ruleDigest(rule: GrafanaRule): string {
  return digest("rule", JSON.stringify(rule));
}

/** A rule file's rules depend on its text and its folder (the sub-directory it is in). */
export function ruleFileDigest(folderUid: string, text: string): string {
  return digest(`rule-file:${folderUid}`, text);
}

/**
 * The build's record. Empty when running from the TypeScript sources (no build to trust)
 * or when the file is missing or unreadable: then everything is checked.
 */
export function readValidatedContent(file: string = VALIDATED_CONTENT_FILE): ValidatedContent {
  if (!__filename.endsWith(".js")) return NOTHING_VALIDATED;
  try {
    const record = JSON.parse(fs.readFileSync(file, "utf8")) as ValidatedContentFile;
    return { dashboards: new Set(record.dashboards), rules: new Set(record.rules), ruleFiles: new Map(Object.entries(record.ruleFiles)) };
  } catch {
    return NOTHING_VALIDATED;
  }
}

export function writeValidatedContent(content: ValidatedContent, file: string = VALIDATED_CONTENT_FILE): void {
  const ruleFiles = Object.fromEntries([...content.ruleFiles].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  const record: ValidatedContentFile = { dashboards: [...content.dashboards].sort(), rules: [...content.rules].sort(), ruleFiles };
  fs.writeFileSync(file, `${JSON.stringify(record, null, 1)}\n`);
}
