/**
 * Drop-in alert rules: YAML files under alerts/rules/<folder-uid>/ add rules to that
 * folder's rule group, reviewed in pull requests like the built-in ones and turned
 * into Grafana rules by the same rule-chain helper. Each file holds a list of rules:
 *
 *   - name: ChurnApiNoPredictions
 *     expr: sum by (namespace) (rate(churn_api_predictions_total{namespace="churn-api"}[10m]))
 *     comparator: lt            # gt | lt
 *     threshold: 0.01
 *     for: 15m
 *     severity: warning         # critical | warning
 *     summary: The churn API serves no predictions
 *     description: "Only {{ printf \"%.3f\" $value }} predictions/s in {{ $labels.namespace }}."
 *     dashboardUid: churn-api-model
 *     panelId: 1
 *     noDataState: Alerting     # OK | NoData | KeepLast | Alerting
 *     execErrState: Error       # OK | Error | KeepLast | Alerting
 *     reducer: last             # optional: last | mean | max | min (default last)
 *     lookbackSeconds: 900      # optional (default 600, at most a day)
 *     runbookUrl: https://...   # optional: the rule's own runbook; default: a section of
 *                               # docs/runbooks.md (<runbookBaseUrl>#churn-api-no-predictions)
 *
 * `last` compares the expression's current value; `max`, `min` and `mean` compare that over
 * the last lookbackSeconds (a range query in Grafana, <fn>_over_time in the Prometheus export).
 */
import * as jsYaml from "js-yaml";
import { z } from "zod";
import { ruleDurationIssue } from "../lib/durations";
import { Problem } from "../lib/errors";
import { ContentFile, ContentKind, listContentFiles, readContentFile } from "../lib/content-files";
import { fromRoot } from "../lib/paths";
import { ruleFileDigest } from "../lib/content-record";
import { MAX_WINDOW_SECONDS } from "./rule-chain";
import { AlertSpec, COMPARATORS, EXEC_ERR_STATES, NO_DATA_STATES, REDUCERS, SEVERITIES } from "./types";

const RULE = z.strictObject({
  name: z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,189}$/, { error: "expected a CamelCase alert name" }),
  expr: z.string().min(1, { error: "expected a PromQL expression" }),
  comparator: z.enum(COMPARATORS),
  threshold: z.number({ error: "expected a number" }),
  for: z.string().refine((v) => ruleDurationIssue(v) === undefined, { error: (issue) => `not a pending period: ${ruleDurationIssue(String(issue.input))}` }),
  severity: z.enum(SEVERITIES),
  summary: z.string().min(1),
  description: z.string().min(1),
  dashboardUid: z.string().min(1),
  panelId: z.number().int().positive(),
  noDataState: z.enum(NO_DATA_STATES),
  execErrState: z.enum(EXEC_ERR_STATES),
  reducer: z.enum(REDUCERS).default("last"),
  lookbackSeconds: z.number().int().positive().max(MAX_WINDOW_SECONDS).default(600),
  runbookUrl: z.url({ protocol: /^https?$/, error: "expected an http(s) URL" }).optional(),
});

/**
 * js-yaml (already loaded by @pulumi/pulumi) with the YAML 1.2 core schema: five times
 * faster than the yaml package on rule files (1,000 files: about 30 ms against 170 ms),
 * and nothing more to load.
 */
const parseYaml = (text: string): unknown => jsYaml.load(text, { schema: jsYaml.CORE_SCHEMA });

export interface RuleFileOptions {
  /** Files parsed by the build, by ruleFileDigest (lib/content-record.ts): not parsed again. */
  readonly parsed?: ReadonlyMap<string, readonly AlertSpec[]>;
  /** Called for every file that parsed without problems (the build records them). */
  readonly onParsed?: (digest: string, specs: readonly AlertSpec[]) => void;
}

/**
 * How rule files are found and read (lib/content-files.ts): only in a folder sub-directory;
 * 2 MiB is twenty times the largest real rule file in ../shared/corpus (87 kB); js-yaml
 * limits nesting (100 levels).
 */
export const RULE_FILES: ContentKind = {
  noun: "rule file",
  extensions: [".yaml", ".yml"],
  topLevel: { read: false, fix: "move it to alerts/rules/<folder-uid>/: the sub-folder names the Grafana folder of its rule group" },
  maxBytes: 2 * 1024 * 1024,
};

function readRuleFile(listed: ContentFile, folderUid: string, problems: Problem[], opts: RuleFileOptions): readonly AlertSpec[] {
  const read = readContentFile(listed, RULE_FILES);
  if ("problem" in read) {
    problems.push(read.problem);
    return [];
  }
  const text = read.text;
  const digest = ruleFileDigest(folderUid, text);
  const known = opts.parsed?.get(digest);
  if (known) return known;
  const before = problems.length;
  const specs = parseRuleFile(text, listed.source, folderUid, problems);
  if (problems.length === before) opts.onParsed?.(digest, specs);
  return specs;
}

function parseRuleFile(text: string, where: string, folderUid: string, problems: Problem[]): AlertSpec[] {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    problems.push({ where, message: `is not valid YAML: ${(err as Error).message.split("\n")[0]}`, fix: "fix the YAML syntax" });
    return [];
  }
  if (!Array.isArray(doc)) {
    problems.push({ where, message: "is not a list of rules", fix: "start each rule with `- name: ...` (see alerts/imported.ts)" });
    return [];
  }
  const specs: AlertSpec[] = [];
  doc.forEach((entry: unknown, i) => {
    const result = RULE.safeParse(entry);
    if (!result.success) {
      for (const issue of result.error.issues) {
        const field = issue.path.join(".") || "(rule)";
        problems.push({ where: `${where}: rule ${i + 1} field ${field}`, message: issue.message, fix: "see the format in alerts/imported.ts" });
      }
      return;
    }
    specs.push({ ...result.data, folderUid });
  });
  return specs;
}

/** Rules from alerts/rules/<folder-uid>/*.yaml, in sorted path order. Never throws. */
export function readAlertRuleFiles(root: string = fromRoot("alerts", "rules"), opts: RuleFileOptions = {}): { specs: AlertSpec[]; problems: Problem[] } {
  const listing = listContentFiles(root, RULE_FILES);
  const problems: Problem[] = [...listing.problems];
  const specs: AlertSpec[] = [];
  for (const listed of listing.files) specs.push(...readRuleFile(listed, listed.folder!, problems, opts));
  return { specs, problems };
}
