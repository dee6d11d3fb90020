/**
 * Drop-in alert rules: files under alerts/rules/<folder-uid>/ (.yaml, .yml or .json) add rules
 * to that folder, reviewed in pull requests like the built-in ones. A file's format is
 * recognised by its content:
 *   - the project's own format (below): a list of rules, each a query -> reduce -> threshold
 *     alert turned into a Grafana rule by the same rule-chain helper as the built-in ones;
 *   - a Prometheus rule file, a PrometheusRule manifest, or a Grafana alert-rule export /
 *     provisioning file (alerts/rule-files.ts): each group kept as a rule group of the folder.
 *
 * The project's format:
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
 *     runbookUrl: https://...   # optional: the rule's own runbook; default: its section of
 *                               # docs/runbooks.md (<runbookBaseUrl>#churn-api-no-predictions)
 *                               # when there is one, else the page's section for rules without one
 *
 * `last` compares the expression's current value; `max`, `min` and `mean` compare that over
 * the last lookbackSeconds (a range query in Grafana, <fn>_over_time in the Prometheus export).
 */
import * as jsYaml from "js-yaml";
import { z } from "zod";
import { DEFAULT_DATASOURCES } from "../catalog/datasource";
import { DatasourceMapping, NO_MAPPING } from "../catalog/datasource-mapping";
import { ruleDurationIssue } from "../lib/durations";
import { Problem } from "../lib/errors";
import { ContentFile, ContentKind, listContentFiles, readContentFile } from "../lib/content-files";
import { fromRoot } from "../lib/paths";
import { ParsedRuleFile, ruleFileDigest } from "../lib/content-record";
import { zodProblems } from "../lib/zod-problems";
import { MAX_WINDOW_SECONDS } from "./rule-chain";
import { detectFormat, ForeignContext, grafanaGroups, prometheusGroups } from "./rule-files";
import { AlertSpec, COMPARATORS, EXEC_ERR_STATES, ImportedRuleGroup, NO_DATA_STATES, REDUCERS, SEVERITIES } from "./types";

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
const RULE_KEYS = Object.keys(RULE.shape);

export interface RuleFileOptions {
  /** Files parsed by the build, by ruleFileDigest (lib/content-record.ts): not parsed again. */
  readonly parsed?: ReadonlyMap<string, ParsedRuleFile>;
  /** Called for every file that parsed without problems (the build records them). */
  readonly onParsed?: (digest: string, file: ParsedRuleFile) => void;
  /** Foreign datasource uids -> datasources here (Grafana exports name theirs by uid). Default: none. */
  readonly mapping?: DatasourceMapping;
}

export interface DropInRules {
  /** Rules in the project's own format. */
  readonly specs: AlertSpec[];
  /** Rule groups of Prometheus, PrometheusRule and Grafana files. */
  readonly groups: ImportedRuleGroup[];
  readonly problems: Problem[];
}

/**
 * How rule files are found and read (lib/content-files.ts): only in a folder sub-directory;
 * YAML, or JSON (Grafana exports rules as either); 2 MiB is twenty times the largest real
 * rule file in ../shared/corpus (87 kB); js-yaml limits nesting (100 levels).
 */
export const RULE_FILES: ContentKind = {
  noun: "rule file",
  extensions: [".yaml", ".yml", ".json"],
  topLevel: { read: false, fix: "move it to alerts/rules/<folder-uid>/: the sub-folder names the Grafana folder of its rule group" },
  maxBytes: 2 * 1024 * 1024,
};

function readRuleFile(listed: ContentFile, folderUid: string, problems: Problem[], opts: RuleFileOptions): ParsedRuleFile {
  const read = readContentFile(listed, RULE_FILES);
  if ("problem" in read) {
    problems.push(read.problem);
    return { specs: [], groups: [] };
  }
  const text = read.text;
  const mapping = opts.mapping ?? NO_MAPPING;
  const digest = ruleFileDigest(`${folderUid}:${mapping.key}`, text);
  const known = opts.parsed?.get(digest);
  if (known) return known;
  const before = problems.length;
  const parsed = parseRuleFile(text, { source: listed.source, folderUid, datasources: DEFAULT_DATASOURCES, mapping }, problems);
  if (problems.length === before) opts.onParsed?.(digest, parsed);
  return parsed;
}

/** Every rule of one file's text, whatever its format; what cannot be read goes to `problems`. */
export function parseRuleFile(text: string, c: ForeignContext, problems: Problem[]): ParsedRuleFile {
  const where = c.source;
  let docs: unknown[];
  // js-yaml (already loaded by @pulumi/pulumi) with the YAML 1.2 core schema: five times
  // faster than the yaml package on rule files, and nothing more to load. JSON is YAML.
  try {
    docs = jsYaml.loadAll(text, undefined, { schema: jsYaml.CORE_SCHEMA }).filter((d) => d !== null && d !== undefined);
  } catch (err) {
    problems.push({ where, message: `is not valid YAML: ${(err as Error).message.split("\n")[0]}`, fix: "fix the YAML syntax" });
    return { specs: [], groups: [] };
  }
  const out: { specs: AlertSpec[]; groups: ImportedRuleGroup[] } = { specs: [], groups: [] };
  for (const doc of docs) {
    const format = detectFormat(doc);
    if (format === "project") out.specs.push(...projectRules(doc as unknown[], where, c.folderUid, problems));
    else if (format === "grafana") out.groups.push(...grafanaGroups(doc as Record<string, unknown>, c, problems));
    else if (format) out.groups.push(...prometheusGroups(doc as Record<string, unknown>, format, c, problems));
    else {
      problems.push({
        where,
        message: "is not a rule file in a format this project reads",
        fix: "use a list of rules in the project's format (alerts/imported.ts), a Prometheus rule file (groups:), a PrometheusRule manifest or a Grafana alert-rule export (apiVersion: 1)",
      });
    }
  }
  return out;
}

function projectRules(doc: readonly unknown[], where: string, folderUid: string, problems: Problem[]): AlertSpec[] {
  const specs: AlertSpec[] = [];
  doc.forEach((entry: unknown, i) => {
    const result = RULE.safeParse(entry);
    if (!result.success) {
      const at = (p: readonly PropertyKey[]) => `${where}: rule ${i + 1}${p.length ? ` field ${p.join(".")}` : ""}`;
      problems.push(...zodProblems(result.error, entry, { where: at, fix: "see the format in alerts/imported.ts", knownKeys: () => RULE_KEYS }));
      return;
    }
    specs.push({ ...result.data, folderUid, source: where });
  });
  return specs;
}

/** Rules from alerts/rules/<folder-uid>/*, in sorted path order. Never throws. */
export function readAlertRuleFiles(root: string = fromRoot("alerts", "rules"), opts: RuleFileOptions = {}): DropInRules {
  const listing = listContentFiles(root, RULE_FILES);
  const problems: Problem[] = [...listing.problems];
  const specs: AlertSpec[] = [];
  const groups: ImportedRuleGroup[] = [];
  for (const listed of listing.files) {
    const parsed = readRuleFile(listed, listed.folder!, problems, opts);
    specs.push(...parsed.specs);
    groups.push(...parsed.groups);
  }
  return { specs, groups, problems };
}
