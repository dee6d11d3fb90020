/**
 * Vega-Lite specifications to SVG, in Node, headless: compiled by vega-lite, rendered by
 * vega's SVG renderer (no canvas: text widths are estimated, the PNG then draws the real
 * font). Both are ES modules, loaded on first use. Axis labels format values through a
 * `grafanaUnit(value, unit)` expression function backed by Grafana's unit formatter.
 */
import { formatValue, grafana } from "./grafana";
import type { VegaLiteSpec } from "./charts/common";

type Vega = typeof import("vega", { with: { "resolution-mode": "import" } });
type VegaLite = typeof import("vega-lite", { with: { "resolution-mode": "import" } });

/**
 * Decimals the tick step needs in the unit's own scale (0.5 req/s -> 1, 0.2 s = "200 ms" -> 0);
 * a step that is not round in that scale (decimal ticks in MiB) leaves them to Grafana.
 */
function stepDecimals(step: number, unit: string): number | undefined {
  const text = grafana().getValueFormat(unit || "none")(step, 6).text;
  const decimals = (text.split(".")[1] ?? "").replace(/\D.*$/, "").replace(/0+$/, "").length;
  return decimals <= 3 ? decimals : undefined;
}

let engines: Promise<{ vega: Vega; vegaLite: VegaLite }> | undefined;

function load(): Promise<{ vega: Vega; vegaLite: VegaLite }> {
  return (engines ??= (async () => {
    const [vega, vegaLite] = await Promise.all([import("vega"), import("vega-lite")]);
    // As many decimals as the tick step shows in the unit's own scale ("200 ms", "0.5 req/s").
    vega.expressionFunction("grafanaUnit", (value: number, unit: string, step: number) => formatValue(value, unit, step > 0 ? stepDecimals(step, unit) : undefined));
    return { vega, vegaLite };
  })());
}

/** An SVG document of the chart, `prefix` making its element ids unique within a dashboard. */
export async function chartSvg(spec: VegaLiteSpec, prefix: string): Promise<string> {
  const { vega, vegaLite } = await load();
  // Errors only: layered specs trip merge warnings (shared scale domains) that change nothing drawn.
  const compiled = vegaLite.compile(spec as unknown as Parameters<VegaLite["compile"]>[0], { logger: vega.logger(vega.Error) }).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: "none" });
  const svg = await view.toSVG();
  view.finalize();
  // Clip paths and gradients are referenced by id, and vega numbers them with process-wide
  // counters: renumber them per chart so a chart's SVG depends on nothing but its spec and
  // data, and prefix them so several charts can share one document.
  const ids = new Map<string, string>();
  const rename = (id: string) => ids.get(id) ?? (ids.set(id, `${prefix}-${ids.size + 1}`), ids.get(id)!);
  return svg
    .replace(/\bid="([^"]+)"/g, (_, id: string) => `id="${rename(id)}"`)
    .replace(/url\(#([^)]+)\)/g, (_, id: string) => `url(#${rename(id)})`)
    .replace(/href="#([^"]+)"/g, (_, id: string) => `href="#${rename(id)}"`);
}
