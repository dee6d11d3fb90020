/**
 * A folder's alert rules read back from Grafana as its provisioning export
 * (GET /api/v1/provisioning/alert-rules/export?folderUid=..., the format Grafana's
 * "Export rules folder" produces) and written, one rule group per file, under
 * alerts/rules/<folder-uid>/<group>.yaml: `apiVersion` and `groups` exactly as exported.
 * The rule group the program itself deploys in that folder (alerts/specs.ts and the
 * project-format files) is not written: it is code already, and writing it back would
 * deploy its rules twice.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { isDeepStrictEqual } from "node:util";
import { parse, stringify } from "yaml";
import { uidFormatProblems } from "../lib/grafana-uid";
import { PullItem, slug } from "./files";
import { AlertingFileExport, AlertRuleGroupExport, GrafanaApi, PullError } from "./grafana-api";
import { checkoutRelative, ProgramContent } from "./project";

interface ExportFile {
  readonly file: string;
  readonly doc: { apiVersion: unknown; groups: AlertRuleGroupExport[]; [key: string]: unknown };
}

const isExport = (doc: unknown): doc is ExportFile["doc"] =>
  typeof doc === "object" && doc !== null && "apiVersion" in doc && Array.isArray((doc as { groups?: unknown }).groups);

/** Export files already in the folder's directory (project-format rule lists and unreadable files are not). */
function exportFiles(dir: string): ExportFile[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f) && !f.startsWith("."))
    .sort()
    .flatMap((f) => {
      const file = path.join(dir, f);
      try {
        const doc: unknown = parse(fs.readFileSync(file, "utf8"));
        return isExport(doc) ? [{ file, doc }] : [];
      } catch {
        return [];
      }
    });
}

/** YAML as the yaml package writes it: keys in the export's order (Grafana's), no line folding. */
const toYaml = (doc: unknown): string => stringify(doc, { lineWidth: 0 });

/** Fetches a folder's rules and decides what to write; writes nothing. */
export async function planAlertRules(api: GrafanaApi, content: ProgramContent, folderUid: string): Promise<PullItem[]> {
  const problems = uidFormatProblems(folderUid, `folder "${folderUid}"`);
  if (problems.length > 0) throw new PullError(`--alerts ${folderUid}: ${problems[0].message}`);
  await api.folder(folderUid); // an unknown folder is an error, a folder without rules is not
  const exported: AlertingFileExport | undefined = await api.alertRulesExport(folderUid);
  const subject = `alert rules of folder "${folderUid}"`;
  if (!exported || !Array.isArray(exported.groups) || exported.groups.length === 0) {
    return [{ subject, outcome: "no-rules", detail: "the folder holds no alert rules", writes: [], removes: [], notes: [] }];
  }
  const dir = path.join(content.root, "alerts", "rules", folderUid);
  const existing = exportFiles(dir);
  const programGroup = content.ruleGroups.get(folderUid);
  const taken = new Set(fs.existsSync(dir) ? fs.readdirSync(dir) : []);
  /** A free file name for a new group: its slug, else the slug and a number. */
  const fileFor = (groupName: string): string => {
    const name = slug(groupName) || "rules";
    let candidate = `${name}.yaml`;
    for (let n = 2; taken.has(candidate); n++) candidate = `${name}-${n}.yaml`;
    taken.add(candidate);
    return path.join(dir, candidate);
  };
  return exported.groups.map((group): PullItem => {
    const groupSubject = `rule group "${group.name}" of folder "${folderUid}"`;
    if (group.name === programGroup) {
      return {
        subject: groupSubject,
        outcome: "program-rules",
        detail: "the program deploys this group from alerts/specs.ts and alerts/rules/ in the project's format: change the rules there",
        writes: [],
        removes: [],
        notes: [],
      };
    }
    const holder = existing.find((e) => e.doc.groups.some((g) => g.name === group.name));
    if (holder) {
      const doc = { ...holder.doc, groups: holder.doc.groups.map((g) => (g.name === group.name ? group : g)) };
      const base = { subject: groupSubject, file: checkoutRelative(content, holder.file), removes: [], notes: [] };
      if (isDeepStrictEqual(doc, holder.doc)) return { ...base, outcome: "unchanged", writes: [] };
      return { ...base, outcome: "update", detail: "changed in Grafana", writes: [{ file: holder.file, text: toYaml(doc) }] };
    }
    const file = fileFor(group.name);
    const doc = { apiVersion: exported.apiVersion, groups: [group] };
    const rules = Array.isArray(group.rules) ? group.rules.length : 0;
    return {
      subject: groupSubject,
      outcome: "create",
      file: checkoutRelative(content, file),
      detail: `${rules} rule${rules === 1 ? "" : "s"}`,
      writes: [{ file, text: toYaml(doc) }],
      removes: [],
      notes: [],
    };
  });
}
