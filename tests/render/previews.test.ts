/**
 * `npm run render -- --stack dev --with-data`: every dashboard drawn with data from a real
 * Prometheus. Read from the SVG: every panel of the built dashboards drew data marks (no
 * "No data"), units on the axes and legends from legendFormat; a panel with no data says so
 * with its query; a metric the workload does not export is named instead of queried; two
 * runs on the same data give the same picture; the README's images are what
 * `npm run previews` produces. Needs Prometheus (skips without it, fails under
 * REQUIRE_PROMETHEUS=1).
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { DASHBOARD_UID } from "../../dashboards/uids";
import { DashboardModel, PanelModel } from "../../dashboards/types";
import { fromRoot } from "../../lib/paths";
import { grafana } from "../../preview/grafana";
import { renderPreviews } from "../../preview";
import { renderStack, RenderResult } from "../../render/render";
import { README_PREVIEW_DIR, README_PREVIEW_STACK } from "../../scripts/readme-previews";
import { requirePrometheus } from "../prometheus/support/binaries";

const STACK = README_PREVIEW_STACK;
const BUILT = Object.values(DASHBOARD_UID);

/** Each panel's <g data-panel-id=...> element, up to the next panel's. */
function panelGroups(svg: string): Map<string, { type: string; content: string; body: string }> {
  const groups = new Map<string, { type: string; content: string; body: string }>();
  const starts = [...svg.matchAll(/<g transform="[^"]*" data-panel-id="([^"]*)" data-panel-type="([^"]*)" data-content="([^"]*)">/g)];
  starts.forEach((m, i) => groups.set(m[1], { type: m[2], content: m[3], body: svg.slice(m.index, starts[i + 1]?.index ?? svg.length) }));
  return groups;
}

const texts = (svg: string) => [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1].replace(/&amp;/g, "&").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"'));
const legendLabels = (body: string) => texts((body.match(/role-legend-label[\s\S]*?<\/g>/g) ?? []).join(""));

/** Every suffix Grafana writes for a unit across magnitudes ("ms", "s", "min" for seconds). */
function unitSuffixes(unit: string): string[] {
  const format = grafana().getValueFormat(unit);
  return [...new Set([1e-6, 1e-3, 0.5, 1, 90, 5e3, 1e6, 1e9].map((v) => (format(v).suffix ?? "").trim()).filter(Boolean))];
}

/** Data marks per panel type, as vega draws them (a path with points, a text, an arc). */
const DATA_MARK: Record<string, RegExp> = {
  timeseries: /class="mark-line role-mark[^"]*"[^>]*>\s*<path[^>]* d="M[-\d.]+,[-\d.]+L/,
  stat: /class="mark-text role-mark[^"]*"[^>]*>\s*<text/,
  gauge: /class="mark-arc role-mark[^"]*"[^>]*>\s*<path[^>]* d="M/,
  table: /class="mark-text role-mark[^"]*"[^>]*>\s*<text/,
  heatmap: /class="mark-rect role-mark[^"]*"[^>]*>\s*<path[^>]* d="M/,
  barchart: /class="mark-rect role-mark[^"]*"[^>]*>\s*<path[^>]* d="M/,
};

describe(`previews with data (npm run render -- --stack ${STACK} --with-data)`, function () {
  this.timeout(300_000);
  let outRoot: string;
  let result: RenderResult;
  let models: DashboardModel[];
  const svg = (uid: string) => fs.readFileSync(path.join(result.outDir, "previews", `${uid}.svg`), "utf8");

  before(async function () {
    requirePrometheus(this);
    outRoot = fs.mkdtempSync(path.join(os.tmpdir(), "previews-test-"));
    result = await renderStack(STACK, { outRoot, withData: true });
    assert.equal(result.error, undefined, String(result.error));
    const dir = path.join(result.outDir, "dashboards");
    models = fs.readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".json")).sort().map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), "utf8")) as DashboardModel);
  });
  after(() => outRoot && fs.rmSync(outRoot, { recursive: true, force: true }));

  it("writes an SVG and a PNG per dashboard the stack deploys, drop-in ones included", () => {
    const uids = models.map((m) => String(m.uid));
    assert.ok(uids.some((u) => !BUILT.includes(u as (typeof BUILT)[number])), "the committed drop-in dashboard is rendered too");
    for (const uid of uids) {
      assert.ok(result.files.includes(`previews/${uid}.svg`) && result.files.includes(`previews/${uid}.png`), uid);
      const png = fs.readFileSync(path.join(result.outDir, "previews", `${uid}.png`));
      assert.equal(png.subarray(1, 4).toString(), "PNG", `${uid}.png is a PNG`);
      // IHDR width: the PNG is the SVG drawn at its own size.
      assert.equal(png.readUInt32BE(16), Number(/<svg[^>]* width="(\d+)"/.exec(svg(uid))?.[1]), uid);
    }
  });

  for (const uid of BUILT) {
    it(`${uid}: every panel drew data marks, with its unit and legend`, () => {
      const model = models.find((m) => m.uid === uid);
      assert.ok(model, `${uid} is deployed by ${STACK}`);
      const groups = panelGroups(svg(uid));
      const panels = (model.panels ?? []).filter((p: PanelModel) => p.type !== "row");
      assert.ok(panels.length > 0);
      for (const panel of panels) {
        const where = `${uid} panel ${panel.id} "${panel.title}" (${panel.type})`;
        const group = groups.get(String(panel.id));
        assert.ok(group, `${where} is drawn`);
        assert.equal(group.content, "chart", `${where} shows ${group.content}: ${texts(group.body).slice(1).join(" | ")}`);
        assert.match(group.body, DATA_MARK[group.type] ?? /role-mark/, `${where} has data marks`);
        const unit = (panel.fieldConfig as { defaults?: { unit?: string } } | undefined)?.defaults?.unit;
        if (panel.type === "timeseries" && unit && !["none", "short"].includes(unit)) {
          const suffixes = unitSuffixes(unit);
          assert.ok(texts(group.body).some((t) => suffixes.some((s) => t.endsWith(s))), `${where}: axis labels in ${unit} (${suffixes.join(", ")})`);
        }
        if (panel.type === "timeseries") {
          const labels = legendLabels(group.body);
          assert.ok(labels.length > 0, `${where} has a legend`);
          assert.ok(labels.every((l) => !l.includes("{{")), `${where}: legendFormat rendered (${labels.join(", ")})`);
          for (const t of (panel.targets ?? []) as { legendFormat?: string }[]) {
            if (t.legendFormat && !t.legendFormat.includes("{{") && t.legendFormat !== "__auto") assert.ok(labels.includes(t.legendFormat), `${where}: legend "${t.legendFormat}"`);
          }
        }
      }
    });
  }

  describe("a second run on the same data", () => {
    const probe: DashboardModel = {
      uid: "preview-probe",
      title: "Probe",
      time: { from: "now-1h", to: "now" },
      panels: [
        { id: 1, type: "timeseries", title: "Nothing matches", gridPos: { x: 0, y: 0, w: 12, h: 8 }, targets: [{ refId: "A", expr: 'sum(rate(churn_api_http_requests_total{status="599"}[5m]))' }] },
        { id: 2, type: "stat", title: "Not exported", gridPos: { x: 12, y: 0, w: 12, h: 8 }, targets: [{ refId: "A", expr: "sum(rate(checkout_orders_total[5m]))" }] },
      ],
    };
    let second: Map<string, string>;
    before(async function () {
      requirePrometheus(this);
      const previews = await renderPreviews([...models, probe], { environment: STACK, namespace: "churn-api" });
      second = new Map(previews.map((p) => [p.uid, p.svg]));
    });

    it("draws the same picture", () => {
      for (const m of models) assert.ok(second.get(String(m.uid)) === svg(String(m.uid)), `${m.uid}: the second run's SVG differs from the first`);
    });

    it('draws a panel whose query returns nothing as a loud "No data" with its query', () => {
      const group = panelGroups(second.get("preview-probe")!).get("1")!;
      assert.equal(group.content, "no-data");
      assert.ok(texts(group.body).includes("No data"));
      assert.ok(texts(group.body).some((t) => t.includes('status="599"')), "the query is shown");
    });

    it("names the metrics the reference workload does not export instead of failing", () => {
      const group = panelGroups(second.get("preview-probe")!).get("2")!;
      assert.equal(group.content, "not-exported");
      assert.ok(texts(group.body).some((t) => t.includes("checkout_orders_total")));
    });
  });

  it(`README images are the PNGs npm run previews copies from the ${STACK} render`, () => {
    const readme = fs.readFileSync(fromRoot("README.md"), "utf8");
    assert.match(readme, /npm run previews/, "the README names the script that makes its images");
    const linked = new Set([...readme.matchAll(new RegExp(`${README_PREVIEW_DIR}/([A-Za-z0-9_-]+)\\.png`, "g"))].map((m) => m[1]));
    // The seed's built dashboards are shown; a drop-in dashboard may be (npm run previews draws
    // it too) but need not be, so adding one never turns this red.
    for (const uid of Object.values(DASHBOARD_UID)) assert.ok(linked.has(uid), `README shows ${README_PREVIEW_DIR}/${uid}.png`);
    const deployed = new Set(models.map((m) => String(m.uid)));
    for (const uid of linked) {
      const committed = fromRoot(README_PREVIEW_DIR, `${uid}.png`);
      assert.ok(deployed.has(uid), `README shows ${README_PREVIEW_DIR}/${uid}.png, but the ${STACK} stack deploys no dashboard ${uid}`);
      assert.ok(fs.existsSync(committed), `${committed} is missing: run npm run previews`);
      const fresh = fs.readFileSync(path.join(result.outDir, "previews", `${uid}.png`));
      assert.ok(fs.readFileSync(committed).equals(fresh), `${README_PREVIEW_DIR}/${uid}.png is not what the render draws: run npm run previews`);
    }
  });
});
