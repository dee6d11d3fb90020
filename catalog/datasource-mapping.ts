/**
 * The datasource mapping (catalog/datasource-mapping.yaml): uids and names of another
 * Grafana's datasources that imported dashboards and alert rules refer to, each mapped to
 * a datasource this project provisions. One file for every stack: the foreign uid is a
 * property of the content, and every stack provisions the same datasources.
 */
import * as fs from "node:fs";
import * as jsYaml from "js-yaml";
import { Problem } from "../lib/errors";
import { fromRoot, projectRelative } from "../lib/paths";
import { closest } from "../lib/suggest";
import { DEFAULT_DATASOURCES, KnownDatasource } from "./datasource";

export const DATASOURCE_MAPPING_FILE = fromRoot("catalog", "datasource-mapping.yaml");

export interface DatasourceMapping {
  /** Foreign uid or name -> the datasource it stands for here. */
  readonly targets: ReadonlyMap<string, KnownDatasource>;
  /** Where the mapping is declared, for fixes ("map it in ..."). */
  readonly file: string;
  /** The mapping as text, sorted: what imported content's conversion depends on (the build's record). */
  readonly key: string;
}

export const NO_MAPPING: DatasourceMapping = { targets: new Map(), file: "catalog/datasource-mapping.yaml", key: "" };

/** The mapping from `text` (the file's content); `where` names it in problems. */
export function parseDatasourceMapping(
  text: string,
  where: string,
  known: readonly KnownDatasource[] = DEFAULT_DATASOURCES,
): { mapping: DatasourceMapping; problems: Problem[] } {
  const problems: Problem[] = [];
  let doc: unknown;
  try {
    doc = jsYaml.load(text, { schema: jsYaml.CORE_SCHEMA });
  } catch (err) {
    problems.push({ where, message: `is not valid YAML: ${(err as Error).message.split("\n")[0]}`, fix: "fix the YAML syntax" });
    return { mapping: { ...NO_MAPPING, file: where }, problems };
  }
  const targets = new Map<string, KnownDatasource>();
  if (doc !== null && doc !== undefined && (typeof doc !== "object" || Array.isArray(doc))) {
    problems.push({ where, message: "is not a mapping of foreign datasource uid: uid here", fix: "write one `<foreign uid>: <uid here>` per line" });
    return { mapping: { ...NO_MAPPING, file: where }, problems };
  }
  const byUid = new Map(known.map((d) => [d.uid, d]));
  for (const [foreign, target] of Object.entries((doc ?? {}) as Record<string, unknown>)) {
    const ds = typeof target === "string" ? byUid.get(target) : undefined;
    if (!ds) {
      const guess = typeof target === "string" ? closest(target, byUid.keys()) : undefined;
      problems.push({
        where: `${where}: ${foreign}`,
        message: `maps to ${JSON.stringify(target)}, which is not a datasource this Grafana provisions`,
        fix: guess ? `did you mean "${guess}"?` : `map it to one of: ${[...byUid.keys()].join(", ")}`,
      });
      continue;
    }
    targets.set(foreign, ds);
  }
  const key = [...targets].map(([f, d]) => `${f}=${d.uid}`).sort().join("\n");
  return { mapping: { targets, file: where, key }, problems };
}

/** The project's mapping file; absent means no mapping. */
export function readDatasourceMapping(
  file: string = DATASOURCE_MAPPING_FILE,
  known: readonly KnownDatasource[] = DEFAULT_DATASOURCES,
): { mapping: DatasourceMapping; problems: Problem[] } {
  const where = projectRelative(file);
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    return { mapping: { ...NO_MAPPING, file: where }, problems: [] };
  }
  return parseDatasourceMapping(text, where, known);
}
