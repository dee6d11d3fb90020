/**
 * Vega-Lite specifications to SVG, in Node, headless: compiled by vega-lite, rendered by
 * vega's SVG renderer (no canvas: text widths are estimated, the PNG then draws the real
 * font). Both are ES modules, loaded on first use. Axis labels format values through a
 * `grafanaUnit(value, unit)` expression function backed by Grafana's unit formatter.
 */
import { formatValue } from "./grafana";
import type { VegaLiteSpec } from "./charts/common";

type Vega = typeof import("vega", { with: { "resolution-mode": "import" } });
type VegaLite = typeof import("vega-lite", { with: { "resolution-mode": "import" } });

let engines: Promise<{ vega: Vega; vegaLite: VegaLite }> | undefined;

function load(): Promise<{ vega: Vega; vegaLite: VegaLite }> {
  return (engines ??= (async () => {
    const [vega, vegaLite] = await Promise.all([import("vega"), import("vega-lite")]);
    vega.expressionFunction("grafanaUnit", (value: number, unit: string) => formatValue(value, unit));
    return { vega, vegaLite };
  })());
}

/** An SVG document of the chart, `prefix` making its element ids unique within a dashboard. */
export async function chartSvg(spec: VegaLiteSpec, prefix: string): Promise<string> {
  const { vega, vegaLite } = await load();
  const compiled = vegaLite.compile(spec as unknown as Parameters<VegaLite["compile"]>[0]).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: "none" });
  const svg = await view.toSVG();
  view.finalize();
  // Clip paths and gradients are referenced by id; several charts share one document.
  return svg.replace(/\bid="([^"]+)"/g, `id="${prefix}-$1"`).replace(/url\(#([^)]+)\)/g, `url(#${prefix}-$1)`).replace(/href="#([^"]+)"/g, `href="#${prefix}-$1"`);
}
