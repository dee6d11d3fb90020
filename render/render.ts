/**
 * Offline render of one stack: runs the real program under Pulumi's mock engine with
 * the stack's config and writes what it would deploy to out/<stack>/, deterministic
 * and with every secret redacted, for review in a pull request.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { stringify } from "yaml";
import { RunError } from "@pulumi/pulumi/errors";
import { planStack, prometheusRulesOf } from "../components/plan";
import { DashboardModel } from "../dashboards/types";
import { InputError } from "../lib/errors";
import { stackObjectProblems } from "../validation/kubernetes";
import { renderStackObjects } from "./helm/stack-objects";
import { HELM_ENV, howToProvide } from "./helm/tools";
import { layoutSvg } from "./layout-svg";
import { manifestFiles } from "./manifests";
import { isSecretValue, RegisteredResource, runProgram } from "./mock-engine";
import { withSecretPlaceholders } from "./placeholders";
import { loadStackConfig, settingsFor, StackConfig, StackConfigOptions } from "./stack-config";
import { resourceTable } from "./summary";

export const REDACTED = "[secret]";

export interface RenderOptions {
  /** Folder that receives <stack>/ (default out/ under the project root). */
  readonly outRoot: string;
  readonly onProgress?: (message: string) => void;
  /** Changes to the stack's config, as `pulumi config set [--secret]` would make them (tests). */
  readonly config?: StackConfigOptions;
  /** Also draw every dashboard with data (previews/<uid>.svg and .png; needs Prometheus). */
  readonly withData?: boolean;
}

export interface RenderResult {
  readonly stack: string;
  readonly error?: unknown;
  readonly outDir: string;
  readonly files: string[];
  readonly resources: RegisteredResource[];
  /** Secret keys the render filled with placeholders. */
  readonly placeholders: string[];
  readonly summary: string;
  /** Set when the render failed and removed an earlier render of the stack from outDir. */
  readonly removedStale?: boolean;
  /** Set when the Kubernetes manifests could not be rendered (no Helm or chart): how to get them. */
  readonly manifestsHint?: string;
}

/**
 * Redacts secrets for review: every string holding a known secret value becomes
 * REDACTED. A secret marker may wrap a whole block (a Slack integration); inside it the
 * reviewer still sees the channel and title, and a secret holding no known value is
 * redacted whole.
 */
export function redact(value: unknown, secrets: readonly string[]): unknown {
  const hides = (text: string) => secrets.some((s) => text.includes(s));
  const holdsKnown = (v: unknown): boolean =>
    typeof v === "string" ? hides(v) : v !== null && typeof v === "object" && Object.values(v).some(holdsKnown);
  const walk = (v: unknown): unknown => {
    if (isSecretValue(v)) return holdsKnown(v.value) ? walk(v.value) : REDACTED;
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return typeof v === "string" && hides(v) ? REDACTED : v;
  };
  return walk(value);
}

/** A value as registered, unwrapped if secret: the caller redacts what it writes. */
const unwrapped = (value: unknown): unknown => (isSecretValue(value) ? value.value : value);

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
const yaml = (value: unknown) => stringify(value, { lineWidth: 0 });
const byName = (a: RegisteredResource, b: RegisteredResource) => a.name.localeCompare(b.name);

/** Folder uid -> path of folder uids from the root ("churn-api/churn-api-service"). */
function folderPaths(resources: readonly RegisteredResource[]): Map<string, string> {
  const parent = new Map<string, string | undefined>();
  for (const f of resources.filter((r) => r.type === "grafana:oss/folder:Folder")) {
    parent.set(String(f.inputs.uid), f.inputs.parentFolderUid as string | undefined);
  }
  const paths = new Map<string, string>();
  const resolve = (uid: string): string => {
    const up = parent.get(uid);
    return up ? `${resolve(up)}/${uid}` : uid;
  };
  for (const uid of parent.keys()) paths.set(uid, resolve(uid));
  return paths;
}

/** Relative path -> file content of everything the stack would deploy. */
function renderFiles(
  resources: readonly RegisteredResource[],
  config: StackConfig,
  stack: string,
  secrets: readonly string[],
): Map<string, string> {
  const files = new Map<string, string>();
  const hide = (value: unknown) => redact(value, secrets);
  const of = (type: string) => resources.filter((r) => r.type === type).sort(byName);
  const folders = folderPaths(resources);

  for (const d of of("grafana:oss/dashboard:Dashboard")) {
    // A dashboard holding a value set with --secret arrives sealed: written redacted.
    const model = hide(JSON.parse(String(unwrapped(d.inputs.configJson)))) as DashboardModel;
    const folder = folders.get(String(d.inputs.folder)) ?? String(d.inputs.folder ?? "general");
    files.set(`dashboards/${folder}/${model.uid}.json`, json(model));
    files.set(`layout/${model.uid}.svg`, layoutSvg(model));
  }
  for (const l of of("grafana:oss/libraryPanel:LibraryPanel")) {
    const folder = folders.get(String(l.inputs.folderUid)) ?? String(l.inputs.folderUid ?? "general");
    files.set(`library-panels/${folder}/${String(l.inputs.uid)}.json`, json({ uid: l.inputs.uid, name: l.inputs.name, model: JSON.parse(String(l.inputs.modelJson)) as unknown }));
  }
  for (const r of of("kubernetes:helm.sh/v3:Release")) {
    files.set("helm/values.yaml", yaml(hide(r.inputs.values)));
  }
  for (const g of of("grafana:alerting/ruleGroup:RuleGroup")) {
    const rules = (g.inputs.rules as Record<string, unknown>[]).map((rule) => ({
      ...rule,
      // Models travel as JSON strings; parsed, a reviewer reads them as YAML.
      datas: (rule.datas as Record<string, unknown>[]).map((d) => ({ ...d, model: JSON.parse(String(unwrapped(d.model))) as unknown })),
    }));
    files.set(`alerting/rule-groups/${g.inputs.name}.yaml`, yaml(hide({ ...g.inputs, rules })));
  }
  for (const c of of("grafana:alerting/contactPoint:ContactPoint")) {
    files.set(`alerting/contact-points/${c.inputs.name}.yaml`, yaml(hide(c.inputs)));
  }
  for (const p of of("grafana:alerting/notificationPolicy:NotificationPolicy")) {
    files.set("alerting/notification-policy.yaml", yaml(hide(p.inputs)));
  }
  for (const m of of("grafana:alerting/muteTiming:MuteTiming")) {
    files.set(`alerting/mute-timings/${m.inputs.name}.yaml`, yaml(hide(m.inputs)));
  }
  for (const t of of("grafana:alerting/messageTemplate:MessageTemplate")) {
    files.set(`alerting/templates/${t.inputs.name}.tmpl`, String(t.inputs.template));
  }
  // The same alert rules for Prometheus (reviewable, and checked by promtool in the tests).
  const plan = planStack(settingsFor(stack, config));
  files.set("prometheus/alerts.rules.yml", yaml(hide(prometheusRulesOf(plan))));
  return files;
}

/** Every secret value the render knows of (config secrets, secret outputs): none may appear in its output. */
function knownSecrets(config: StackConfig, outputs: Record<string, unknown>, secretOutputs: readonly string[]): string[] {
  const values = [...config.secretKeys.map((k) => config.values[k]), ...secretOutputs.map((k) => outputs[k])];
  return values.filter((v): v is string => typeof v === "string" && v.length > 0);
}

export async function renderStack(stack: string, options: RenderOptions): Promise<RenderResult> {
  const outDir = path.join(options.outRoot, stack);
  try {
    const result = await renderToFiles(stack, outDir, options);
    if (result.error) return { ...result, removedStale: removeEarlierRender(outDir) };
    return result;
  } catch (error) {
    removeEarlierRender(outDir);
    throw error;
  }
}

/** A failed render must not leave an earlier render looking current: removes it; whether there was one. */
function removeEarlierRender(outDir: string): boolean {
  const existed = fs.existsSync(outDir);
  fs.rmSync(outDir, { recursive: true, force: true });
  return existed;
}

async function renderToFiles(stack: string, outDir: string, options: RenderOptions): Promise<RenderResult> {
  const empty = { stack, outDir, files: [], resources: [], placeholders: [], summary: "" };
  let config: StackConfig;
  let placeholders: string[];
  try {
    ({ config, placeholders } = withSecretPlaceholders(stack, loadStackConfig(stack, options.config)));
  } catch (error) {
    return { ...empty, error };
  }
  options.onProgress?.(`${stack}: running the program under the mock engine`);
  const run = await runProgram(stack, config, {
    onRegister: (_, count) => options.onProgress?.(`${stack}: ${count} resources registered`),
  });
  if (run.error) return { ...empty, placeholders, resources: run.resources, error: run.error };

  const secrets = knownSecrets(config, run.outputs, run.secretOutputs);
  const files = renderFiles(run.resources, config, stack, secrets);
  let manifestsHint: string | undefined;
  try {
    options.onProgress?.(`${stack}: rendering the chart with Helm`);
    const rendered = await renderStackObjects(stack, run.resources);
    if (rendered.found) {
      // Checked before anything is written: a stack whose objects a cluster would refuse, or
      // that break its policy, renders nothing (as the program deploys nothing on bad input).
      const problems = await stackObjectProblems(rendered.found.objects);
      if (problems.length > 0) throw new InputError(`The Kubernetes objects of stack "${stack}" fail their checks`, problems);
      for (const [file, content] of manifestFiles(rendered.found, (v) => redact(v, secrets), REDACTED)) files.set(file, content);
    } else if (process.env[HELM_ENV.require] === "1") {
      // CI publishes the manifests: there a render without them is a failure, and like any
      // failed render it writes nothing and removes an earlier one.
      throw new RunError(`${HELM_ENV.require}=1, but ${howToProvide(rendered.problem)}`);
    } else {
      manifestsHint = howToProvide(rendered.problem);
    }
  } catch (error) {
    return { ...empty, placeholders, resources: run.resources, error };
  }
  const summary = resourceTable(stack, run.resources, placeholders);
  files.set("summary.md", summary);

  for (const [file, content] of files) {
    const leaked = secrets.find((s) => content.includes(s));
    if (leaked !== undefined) throw new Error(`render bug: a secret value would be written to ${file}; nothing was written`);
  }

  // Written next to the target, then swapped in: an interrupted render leaves no mix of two renders.
  const staging = `${outDir}.rendering-${process.pid}`;
  fs.rmSync(staging, { recursive: true, force: true });
  const names = [...files.keys()].sort();
  try {
    for (const name of names) {
      const file = path.join(staging, name);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, files.get(name)!);
    }
    if (options.withData) names.push(...(await writePreviews(stack, run.resources, config, staging, options.onProgress)));
  } catch (error) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw error;
  }
  fs.rmSync(outDir, { recursive: true, force: true });
  fs.renameSync(staging, outDir);
  return { stack, outDir, files: names, resources: run.resources, placeholders, summary, manifestsHint };
}

/** What preview/index.ts provides (it implements this type, so the two cannot drift apart). */
export interface PreviewModule {
  renderPreviews(
    dashboards: readonly DashboardModel[],
    target: { readonly environment: string; readonly namespace: string },
    onProgress?: (message: string) => void,
  ): Promise<readonly { readonly uid: string; readonly svg: string; readonly png: Buffer }[]>;
}
const PREVIEW_MODULE = "../preview/index.js";

/** out/<stack>/previews/<uid>.svg and .png of every dashboard the stack deploys, drawn with data (preview/). */
async function writePreviews(
  stack: string,
  resources: readonly RegisteredResource[],
  config: StackConfig,
  outDir: string,
  onProgress?: (message: string) => void,
): Promise<string[]> {
  // A separate build target (it runs the workload's code), loaded only here: the plain render never pays for it.
  const { renderPreviews } = (await import(PREVIEW_MODULE)) as PreviewModule;
  const settings = settingsFor(stack, config);
  const models = resources.filter((r) => r.type === "grafana:oss/dashboard:Dashboard").sort(byName).map((d) => JSON.parse(String(d.inputs.configJson)) as DashboardModel);
  const previews = await renderPreviews(models, { environment: settings.environment, namespace: settings.content.churnApiNamespace }, (m) => onProgress?.(`${stack}: ${m}`));
  const written: string[] = [];
  for (const p of previews) {
    for (const [name, content] of [[`previews/${p.uid}.svg`, p.svg], [`previews/${p.uid}.png`, p.png]] as const) {
      fs.mkdirSync(path.join(outDir, "previews"), { recursive: true });
      fs.writeFileSync(path.join(outDir, name), content);
      written.push(name);
    }
  }
  return written;
}
