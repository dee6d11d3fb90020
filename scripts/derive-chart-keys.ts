/**
 * Derives chart-keys/<chart>-<version>.json: every values key the Grafana Helm chart knows,
 * for validation/chart-keys.ts (the chart has no values.schema.json, so Helm silently
 * ignores a misspelt key). Input is either
 *   - the reference folder (values-keys.txt + template-value-refs.txt + Chart.yaml), or
 *   - an unpacked chart directory (values.yaml + templates/ + Chart.yaml), e.g. from
 *     `helm pull grafana-community/grafana --version X --untar`.
 *
 *   node bin/scripts/derive-chart-keys.js [chartOrReferenceDir] [outDir]
 *
 * keys: key paths set in values.yaml ∪ `.Values.*` paths the templates read, with
 * `["grafana.ini"].x` written grafana.ini.x. freeForm: keys whose value is a map the chart
 * passes through (anything below them is accepted): maps marked "(free-form map)" (empty
 * `{}` defaults), the chart's content maps (grafana.ini, datasources, dashboards ...),
 * and Kubernetes pass-through fields (annotations, labels, resources, securityContext ...).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse as parseYaml } from "yaml";
import { UsageError } from "../build/args";
import { ParsedArgs, runAsCli } from "../lib/cli";
import { fromRoot } from "../lib/paths";

export const DEFAULT_CHART_REFERENCE = fromRoot("..", "shared", "reference", "grafana-chart-12.11.1");
export const CHART_KEYS_DIR = fromRoot("chart-keys");

export interface ChartKeys {
  readonly chart: string;
  readonly version: string;
  readonly appVersion?: string;
  readonly $comment: string;
  /** Sorted key paths, dot-separated. */
  readonly keys: readonly string[];
  /** Sorted key paths under which any key is accepted. */
  readonly freeForm: readonly string[];
}

/** The chart's own content maps: their keys are file names, ini sections, dashboard names ... */
const FREE_FORM_ROOTS = [
  "grafana.ini", "datasources", "dashboards", "dashboardProviders", "dashboardsConfigMaps",
  "alerting", "notifiers", "resources", "podDisruptionBudget", "env", "route", "listenerSet",
];

/** Last path segments naming Kubernetes objects or maps the templates render with toYaml. */
const PASS_THROUGH = new Set([
  "annotations", "labels", "podAnnotations", "podLabels", "extraLabels", "selectorLabels", "extraPvcLabels",
  "configMapAnnotations", "nodeSelector", "affinity", "resources", "securityContext", "containerSecurityContext",
  "env", "envValueFrom", "envRenderSecret", "livenessProbe", "readinessProbe", "startupProbe",
  "deploymentStrategy", "dnsConfig", "lifecycleHooks", "tlsConfig", "basicAuth", "behavior", "timeouts",
  "sessionPersistence", "parentRef", "persistentVolumeClaimRetentionPolicy", "explicitNamespacesSelector",
  "minAllowed", "maxAllowed",
]);

/** `["grafana.ini"].paths.data` / `"grafana.ini"` -> `grafana.ini.paths.data` / `grafana.ini`. */
export function normaliseKey(raw: string): string {
  return raw
    .replace(/\s+#.*$/, "")
    .trim()
    .replace(/\["([^"]+)"\]/g, ".$1")
    .replace(/^"([^"]+)"/, "$1")
    .replace(/^\./, "");
}

interface RawKeys {
  readonly keys: Set<string>;
  readonly freeForm: Set<string>;
}

/** Reference folder: one key a line, "# {} (free-form map)" marks a free-form map. */
function fromKeyLists(dir: string): RawKeys {
  const keys = new Set<string>();
  const freeForm = new Set<string>();
  for (const file of ["values-keys.txt", "template-value-refs.txt"]) {
    for (const line of fs.readFileSync(path.join(dir, file), "utf8").split("\n")) {
      const key = normaliseKey(line);
      if (!key) continue;
      keys.add(key);
      if (line.includes("(free-form map)")) freeForm.add(key);
    }
  }
  return { keys, freeForm };
}

function walkValues(value: unknown, prefix: string, out: RawKeys): void {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    if (prefix) out.keys.add(prefix);
    return;
  }
  const entries = Object.entries(value);
  if (entries.length === 0 && prefix) {
    out.keys.add(prefix);
    out.freeForm.add(prefix);
  }
  for (const [k, v] of entries) walkValues(v, prefix ? `${prefix}.${k}` : k, out);
}

/** Chart directory: keys set in values.yaml, plus `.Values.a.b` / `index .Values "a" "b"` in templates. */
function fromChartDir(dir: string): RawKeys {
  const out: RawKeys = { keys: new Set(), freeForm: new Set() };
  walkValues(parseYaml(fs.readFileSync(path.join(dir, "values.yaml"), "utf8")), "", out);
  const templates = path.join(dir, "templates");
  const files = fs.readdirSync(templates, { recursive: true, encoding: "utf8" });
  for (const file of files) {
    const full = path.join(templates, file);
    if (!fs.statSync(full).isFile()) continue;
    const text = fs.readFileSync(full, "utf8");
    for (const m of text.matchAll(/\.Values((?:\.[A-Za-z_][\w-]*)+)/g)) out.keys.add(m[1].slice(1));
    for (const m of text.matchAll(/index\s+\.Values((?:\s+"[^"]+")+)/g)) {
      out.keys.add([...m[1].matchAll(/"([^"]+)"/g)].map((x) => x[1]).join("."));
    }
  }
  return out;
}

function chartMeta(dir: string): { name: string; version: string; appVersion?: string } {
  const meta: unknown = parseYaml(fs.readFileSync(path.join(dir, "Chart.yaml"), "utf8"));
  const m = (meta ?? {}) as { name?: unknown; version?: unknown; appVersion?: unknown };
  if (typeof m.name !== "string" || typeof m.version !== "string") throw new Error(`${dir}/Chart.yaml has no name/version`);
  return { name: m.name, version: m.version, appVersion: typeof m.appVersion === "string" ? m.appVersion : undefined };
}

const underAny = (key: string, roots: ReadonlySet<string>) => {
  for (let i = key.indexOf("."); i > 0; i = key.indexOf(".", i + 1)) if (roots.has(key.slice(0, i))) return true;
  return false;
};

export function deriveChartKeys(dir: string): ChartKeys {
  const raw = fs.existsSync(path.join(dir, "values-keys.txt")) ? fromKeyLists(dir) : fromChartDir(dir);
  const meta = chartMeta(dir);
  const candidates = new Set(raw.freeForm);
  for (const root of FREE_FORM_ROOTS) candidates.add(root);
  for (const key of raw.keys) if (PASS_THROUGH.has(key.slice(key.lastIndexOf(".") + 1))) candidates.add(key);
  for (const root of FREE_FORM_ROOTS) raw.keys.add(root);
  // A free-form map inside another one adds nothing.
  const freeForm = [...candidates].filter((k) => !underAny(k, candidates)).sort();
  return {
    chart: meta.name,
    version: meta.version,
    appVersion: meta.appVersion,
    $comment: "Generated by scripts/derive-chart-keys.ts from the chart's values.yaml and templates. Do not edit: re-run the script.",
    keys: [...raw.keys].sort(),
    freeForm,
  };
}

export function chartKeysFileName(keys: Pick<ChartKeys, "chart" | "version">): string {
  return `${keys.chart}-${keys.version}.json`;
}

export function chartKeysText(keys: ChartKeys): string {
  return `${JSON.stringify(keys, null, 2)}\n`;
}

export function main({ positionals: argv }: ParsedArgs): number {
  const dir = argv[0] ?? DEFAULT_CHART_REFERENCE;
  const outDir = argv[1] ?? CHART_KEYS_DIR;
  if (!fs.existsSync(path.join(dir, "Chart.yaml"))) {
    throw new UsageError(`${dir} holds no Chart.yaml: pass an unpacked chart (helm pull --untar) or the reference folder`);
  }
  const keys = deriveChartKeys(dir);
  fs.mkdirSync(outDir, { recursive: true });
  const out = path.join(outDir, chartKeysFileName(keys));
  fs.writeFileSync(out, chartKeysText(keys));
  console.log(`wrote ${path.relative(process.cwd(), out)}: ${keys.keys.length} keys, ${keys.freeForm.length} free-form maps`);
  return 0;
}

if (require.main === module) runAsCli("derive-chart-keys", main);
