/**
 * Helm values against the pinned chart's key list (chart-keys/grafana-<version>.json,
 * derived by scripts/derive-chart-keys.ts). The chart has no values schema: Helm
 * silently ignores a misspelt key, so the deployment would quietly run on a default.
 */
import * as fs from "node:fs";
import { Problem } from "../lib/errors";
import { fromRoot } from "../lib/paths";
import { closest } from "../lib/suggest";

export const CHART_NAME = "grafana";

interface KeyIndex {
  /** Known key paths. */
  readonly keys: ReadonlySet<string>;
  /** Every proper prefix of a known key (intermediate objects). */
  readonly prefixes: ReadonlySet<string>;
  /** Paths under which anything is accepted. */
  readonly freeForm: ReadonlySet<string>;
}

/** keys ∪ prefixes, for suggestions: only built when some key is unknown. */
const suggestionsFor = (index: KeyIndex): string[] => [...new Set([...index.keys, ...index.prefixes])];

const indexes = new Map<string, KeyIndex | undefined>();

export function chartKeysFile(version: string): string {
  return fromRoot("chart-keys", `${CHART_NAME}-${version}.json`);
}

/** The key index of a chart version, loaded once; undefined when no fixture exists. */
function keyIndex(version: string): KeyIndex | undefined {
  if (indexes.has(version)) return indexes.get(version);
  const file = chartKeysFile(version);
  let index: KeyIndex | undefined;
  if (/^[\w.+-]+$/.test(version) && fs.existsSync(file)) {
    const data = JSON.parse(fs.readFileSync(file, "utf8")) as { keys: string[]; freeForm: string[] };
    const prefixes = new Set<string>();
    for (const key of data.keys) {
      for (let i = key.indexOf("."); i > 0; i = key.indexOf(".", i + 1)) prefixes.add(key.slice(0, i));
    }
    const keys = new Set(data.keys);
    index = { keys, prefixes, freeForm: new Set(data.freeForm) };
  }
  indexes.set(version, index);
  return index;
}

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Leaf paths of an unknown subtree (arrays and scalars are leaves). */
function leaves(value: unknown, path: string, out: string[]): void {
  if (isMap(value) && Object.keys(value).length > 0) {
    for (const [k, v] of Object.entries(value)) leaves(v, `${path}.${k}`, out);
  } else {
    out.push(path);
  }
}

function walk(value: Record<string, unknown>, prefix: string, index: KeyIndex, unknown: string[]): void {
  for (const [key, child] of Object.entries(value)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (index.freeForm.has(path)) continue;
    if (index.prefixes.has(path)) {
      if (isMap(child)) walk(child, path, index, unknown);
      continue;
    }
    // A known key with no known sub-keys takes whatever value it is given.
    if (index.keys.has(path)) continue;
    leaves(child, path, unknown);
  }
}

/**
 * Every values path that the chart does not know, with the closest known key. An
 * unknown chart version is itself a problem (no key list to check against).
 */
export function validateChartValues(values: Readonly<Record<string, unknown>>, version: string): Problem[] {
  const where = `chart values (${CHART_NAME} ${version})`;
  const index = keyIndex(version);
  if (!index) {
    return [{
      where,
      message: `no key list for chart version ${version}, so misspelt values keys cannot be detected`,
      fix: `helm pull grafana-community/grafana --version ${version} --untar -d /tmp/chart && npm run build && node bin/scripts/derive-chart-keys.js /tmp/chart/grafana (writes chart-keys/${CHART_NAME}-${version}.json; commit it)`,
    }];
  }
  const unknown: string[] = [];
  walk(values, "", index, unknown);
  const candidates = unknown.length > 0 ? suggestionsFor(index) : [];
  return unknown.map((path) => {
    const guess = closest(path, candidates);
    return {
      where: `${where}: ${path}`,
      message: `unknown values key "${path}": the chart ignores it silently`,
      fix: guess ? `did you mean ${guess}?` : "remove it, or check the key against the chart's values.yaml",
    };
  });
}
