/**
 * What the build already compiled and checked, so the program does not convert the same
 * exports, parse the same YAML and PromQL, and check the same schema on every run.
 * `npm run build` (scripts/compile-content.ts) writes it to bin/lib/content-record.json:
 *   - the SHA-256 digest of every dashboard and alert rule of the committed stacks whose
 *     own checks passed: the program skips those checks only for a unit with a recorded
 *     digest, that is for exactly the bytes that passed;
 *   - drop-in dashboard files converted for deployment, and drop-in rule files parsed, by
 *     the digest of their folder, path and text.
 * Anything else (an edited or new file, another stack's values) is converted and checked
 * in full at run time. Checks across units (uids, titles, links, folders) always run.
 * Missing or unreadable file, a record made by another build of the program (its stamp id,
 * build/stamp.js), or a run from the TypeScript sources: nothing is reused.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import type { AlertSpec, GrafanaRule, ImportedRuleGroup } from "../alerts/types";
import type { DashboardModel, LibraryPanelSpec } from "../dashboards/types";
import { programBuildId } from "./build-stamp";
import { RUNNING_FROM_BUILD } from "./running-from-build";

/** A drop-in dashboard file as converted by the build: everything the program needs without the model. */
export interface ImportedDashboard {
  readonly uid: string;
  readonly title: string;
  /** The converted model, as Grafana receives it. */
  readonly configJson: string;
  /** Every panel id, rows' panels included (alert rules link to them). */
  readonly panelIds: readonly number[];
  /** Library panels the dashboard uses (from the export's __elements). */
  readonly libraryPanels: readonly LibraryPanelSpec[];
}

/** A drop-in rule file as parsed: rules in the project's format, and foreign rule groups. */
export interface ParsedRuleFile {
  readonly specs: readonly AlertSpec[];
  readonly groups: readonly ImportedRuleGroup[];
}

export interface ContentRecord {
  /** Digests of dashboards (JSON, schema mode, origin) whose own checks passed. */
  readonly validDashboards: ReadonlySet<string>;
  /** Digests of alert rules whose own checks passed. */
  readonly validRules: ReadonlySet<string>;
  /** Drop-in dashboard files that converted without problems, by importedFileDigest. */
  readonly importedDashboards: ReadonlyMap<string, ImportedDashboard>;
  /** Drop-in rule files that parsed and passed their schema, with their rules, by ruleFileDigest. */
  readonly ruleFiles: ReadonlyMap<string, ParsedRuleFile>;
}

/** The record's file format. */
export interface ContentRecordFile {
  /** Id of the program build whose checks made it (bin/stamps/program.json): another build's record is ignored. */
  readonly program: string | undefined;
  readonly validDashboards: readonly string[];
  readonly validRules: readonly string[];
  readonly importedDashboards: Readonly<Record<string, ImportedDashboard>>;
  readonly ruleFiles: Readonly<Record<string, ParsedRuleFile>>;
}

export const EMPTY_RECORD: ContentRecord = { validDashboards: new Set(), validRules: new Set(), importedDashboards: new Map(), ruleFiles: new Map() };

/** Next to this module's compiled JavaScript: bin/lib/content-record.json. */
export const CONTENT_RECORD_FILE = path.join(__dirname, "content-record.json");

const digest = (kind: string, text: string) => createHash("sha256").update(kind).update("\u0000").update(text).digest("base64url");

/** The checks of a dashboard depend on its JSON, the schema mode and whether it is imported. */
export function dashboardDigest(model: DashboardModel | string, strict: boolean, imported: boolean): string {
  return digest(`dashboard:${strict ? "strict" : "lenient"}:${imported ? "imported" : "built"}`, typeof model === "string" ? model : JSON.stringify(model));
}

export function ruleDigest(rule: GrafanaRule): string {
  return digest("rule", JSON.stringify(rule));
}

/**
 * Whether `set` (a record's digests) holds the digest `of` computes; with an empty set the
 * digest is not computed at all (no record: a run from the sources, or no build).
 */
export function recorded(set: ReadonlySet<string>, of: () => string): boolean {
  return set.size > 0 && set.has(of());
}

/** A rule file's rules depend on its text and its folder (the sub-directory it is in). */
export function ruleFileDigest(folderUid: string, text: string): string {
  return digest(`rule-file:${folderUid}`, text);
}

/** A dashboard file's conversion depends on its text, its folder and its path (named in problems). */
export function importedFileDigest(folderUid: string, source: string, text: string): string {
  return digest(`dashboard-file:${folderUid}:${source}`, text);
}

const sortedEntries = <T>(map: ReadonlyMap<string, T>): Record<string, T> =>
  Object.fromEntries([...map].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

/** The build's record; EMPTY_RECORD when running from the TypeScript sources (no build to trust) or without a readable file. */
export function readContentRecord(file: string = CONTENT_RECORD_FILE): ContentRecord {
  if (!RUNNING_FROM_BUILD) return EMPTY_RECORD;
  try {
    const record = JSON.parse(fs.readFileSync(file, "utf8")) as ContentRecordFile;
    if (record.program === undefined || record.program !== programBuildId()) return EMPTY_RECORD;
    return {
      validDashboards: new Set(record.validDashboards),
      validRules: new Set(record.validRules),
      importedDashboards: new Map(Object.entries(record.importedDashboards)),
      ruleFiles: new Map(Object.entries(record.ruleFiles)),
    };
  } catch {
    return EMPTY_RECORD;
  }
}

export function writeContentRecord(record: ContentRecord, file: string = CONTENT_RECORD_FILE): void {
  const out: ContentRecordFile = {
    program: programBuildId(),
    validDashboards: [...record.validDashboards].sort(),
    validRules: [...record.validRules].sort(),
    importedDashboards: sortedEntries(record.importedDashboards),
    ruleFiles: sortedEntries(record.ruleFiles),
  };
  fs.writeFileSync(file, `${JSON.stringify(out)}\n`);
}
