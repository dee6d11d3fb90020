/**
 * Build step (the "record" target, after the program's build): records the project's
 * content so the program does not redo it on every run, in bin/lib/content-record.json
 * (lib/content-record.ts): the drop-in dashboards converted and the drop-in rule files
 * parsed, by the digest of their folder, path and text; and for every committed stack, the
 * digest of each dashboard and alert rule whose own checks pass. The program reuses them
 * for exactly those bytes, with the build of the program that made the record, and converts
 * and checks everything else. A stack or unit with problems is not recorded (the build
 * does not fail: `npm run validate` and the program report them).
 * Usage: node bin/scripts/compile-content.js
 */
import { readAlertRuleFiles } from "../alerts/imported";
import { assemblePlan, StackPlan } from "../components/plan";
import { readDatasourceMapping } from "../catalog/datasource-mapping";
import { readImportedDashboards } from "../dashboards/imported";
import { runAsCli } from "../lib/cli";
import { InputError } from "../lib/errors";
import { withSecretPlaceholders } from "../render/placeholders";
import { committedStacks, loadStackConfig, settingsFor } from "../render/stack-config";
import { ruleContentProblems } from "../validation/alert-rules";
import { dashboardContentProblems, isImported } from "../validation/dashboards";
import { DatasourceResolver } from "../validation/datasources";
import { ContentRecord, dashboardDigest, EMPTY_RECORD, ImportedDashboard, ParsedRuleFile, ruleDigest, writeContentRecord } from "../lib/content-record";
import { dashboardCheckedText } from "../lib/json-text";

/** What the build knows about the drop-in files, whatever the stack. */
export interface ConvertedFiles {
  readonly importedDashboards: ReadonlyMap<string, ImportedDashboard>;
  readonly ruleFiles: ReadonlyMap<string, ParsedRuleFile>;
}

export interface RecordResult {
  readonly record: ContentRecord;
  /** Dashboards and rules left out because their own checks found problems. */
  readonly rejected: number;
}

/**
 * The record of `plans`: every dashboard and rule whose own checks pass (checked here, with
 * the defaults the program uses), and the drop-in rule files that parsed.
 */
export function recordContent(plans: readonly StackPlan[], files: ConvertedFiles = { importedDashboards: new Map(), ruleFiles: new Map() }): RecordResult {
  const dashboards = new Set<string>();
  const rules = new Set<string>();
  const resolver = new DatasourceResolver();
  let rejected = 0;
  for (const plan of plans) {
    for (const d of plan.dashboards) {
      const imported = isImported(d);
      const strict = !imported;
      const digest = dashboardDigest(dashboardCheckedText(d), strict, imported);
      if (dashboards.has(digest)) continue;
      const content = { model: d.model, declaredUid: d.uid, declaredTitle: d.title, where: d.source, uid: d.uid, strict, imported, resolver, libraryPanels: d.libraryPanels };
      if (dashboardContentProblems(content).length === 0) dashboards.add(digest);
      else rejected++;
    }
    for (const group of plan.ruleGroups) {
      for (const rule of group.rules) {
        const digest = ruleDigest(rule);
        if (rules.has(digest)) continue;
        if (ruleContentProblems(rule, rule.name, undefined, group.imported !== undefined).length === 0) rules.add(digest);
        else rejected++;
      }
    }
  }
  return { record: { validDashboards: dashboards, validRules: rules, ...files }, rejected };
}

/**
 * Plans of the committed stacks, with secret placeholders, from the drop-in files as
 * converted once in `files`; a stack whose config is invalid is reported and skipped.
 */
function committedPlans(files: ConvertedFiles, report: (line: string) => void): StackPlan[] {
  const record: ContentRecord = { ...EMPTY_RECORD, ...files };
  return committedStacks().flatMap((stack) => {
    try {
      return [assemblePlan(settingsFor(stack, withSecretPlaceholders(stack, loadStackConfig(stack)).config), { record }).plan];
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      report(`content: stack ${stack} not recorded: its config has problems (npm run validate -- --stack ${stack} lists them)`);
      return [];
    }
  });
}

export function main(): number {
  const report = (line: string) => process.stderr.write(`${line}\n`);
  const files = { importedDashboards: new Map<string, ImportedDashboard>(), ruleFiles: new Map<string, ParsedRuleFile>() };
  const { mapping } = readDatasourceMapping();
  readImportedDashboards(undefined, undefined, { mapping, onConverted: (digest, d) => files.importedDashboards.set(digest, d) });
  readAlertRuleFiles(undefined, { mapping, onParsed: (digest, parsed) => files.ruleFiles.set(digest, parsed) });
  const { record, rejected } = recordContent(committedPlans(files, report), files);
  if (rejected > 0) report(`content: ${rejected} dashboards or rules have problems and were not recorded (npm run validate lists them)`);
  writeContentRecord(record);
  return 0;
}

if (require.main === module) runAsCli("compile-content", main);
