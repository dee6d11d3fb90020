/**
 * The corpus of real third-party content (../shared/corpus: kube-prometheus, dotdc and
 * ingress-nginx dashboards, kube-prometheus PrometheusRule manifests), dropped into the
 * project as a user would (dashboards/imported/, alerts/rules/imported/) and removed again.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as jsYaml from "js-yaml";
import { PrometheusRule } from "../../alerts/prometheus-rules";
import { fromRoot } from "../../lib/paths";
import { DropIns } from "./drop-in";
import { SHARED_DIR } from "./shared-data";

export const CORPUS_DIR = path.join(SHARED_DIR, "corpus");
export const CORPUS_DASHBOARDS = path.join(CORPUS_DIR, "dashboards");
export const CORPUS_RULES = path.join(CORPUS_DIR, "prometheus-rules");

/** Where the corpus is dropped: the Imported folder, for dashboards and rules alike. */
export const DROP_DASHBOARDS = fromRoot("dashboards", "imported");
export const DROP_RULES = fromRoot("alerts", "rules", "imported");

export interface CorpusFile {
  readonly name: string;
  /** Where the project reads it once dropped in (project-relative, as problems name it). */
  readonly source: string;
  readonly text: string;
}

const read = (dir: string, dropDir: string, pattern: RegExp): CorpusFile[] =>
  fs
    .readdirSync(dir)
    .filter((f) => pattern.test(f))
    .sort()
    .map((name) => ({ name, source: path.relative(fromRoot(), path.join(dropDir, name)).split(path.sep).join("/"), text: fs.readFileSync(path.join(dir, name), "utf8") }));

export const corpusDashboards = (): CorpusFile[] => read(CORPUS_DASHBOARDS, DROP_DASHBOARDS, /\.json$/);
export const corpusRuleFiles = (): CorpusFile[] => read(CORPUS_RULES, DROP_RULES, /\.ya?ml$/);

/** A corpus rule file's rules, as its upstream wrote them (the PrometheusRule's spec): Prometheus's rule shape. */
export type UpstreamRule = PrometheusRule;
export interface UpstreamGroup {
  readonly name: string;
  readonly interval?: string;
  readonly rules: UpstreamRule[];
}

export function upstreamGroups(file: CorpusFile): UpstreamGroup[] {
  const doc = jsYaml.load(file.text) as { spec?: { groups?: UpstreamGroup[] }; groups?: UpstreamGroup[] };
  return doc.spec?.groups ?? doc.groups ?? [];
}

/** Drops every corpus file in; returns a function that removes exactly what was added. */
export function dropInCorpus(): () => void {
  const drops = new DropIns();
  for (const f of [...corpusDashboards(), ...corpusRuleFiles()]) drops.write(f.source, f.text);
  return () => drops.removeAll();
}
