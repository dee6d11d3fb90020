/**
 * Grafana's table panel after the panel's transformations: the remaining fields as
 * columns under their (renamed) names, one row per record, numbers right-aligned and
 * formatted with the column's unit and decimals, cells coloured by thresholds where the
 * column's cell type asks for it (color-text).
 */
import type { DataFrame, Field } from "@grafana/data";
import { displayName, theme } from "../grafana";
import { chartFrame, format, valueColor, VegaLiteSpec } from "./common";

const HEADER = 32;
const ROW = 36;

interface CellOptions {
  readonly cellOptions?: { readonly type?: string };
  readonly hidden?: boolean;
}

function cellText(field: Field, i: number): string {
  const v = field.values[i];
  if (field.type === "number") return format(typeof v === "number" ? v : null, field.config);
  if (field.type === "time") return new Date(Number(v)).toISOString().replace("T", " ").slice(0, 19);
  return v === null || v === undefined ? "" : String(v);
}

export function tableSpec(frames: DataFrame[], box: { width: number; height: number }): VegaLiteSpec {
  const t = theme();
  const frame = frames[0];
  const fields = frame.fields.filter((f) => !((f.config.custom ?? {}) as CellOptions).hidden);
  const width = box.width / Math.max(1, fields.length);
  const rows = Math.min(frame.length, Math.max(0, Math.floor((box.height - HEADER) / ROW)));
  const texts: Record<string, unknown>[] = [];
  fields.forEach((field, c) => {
    const right = field.type === "number";
    const x = right ? (c + 1) * width - 10 : c * width + 10;
    const align = right ? "right" : "left";
    texts.push({ x, y: HEADER / 2, text: displayName(field, frame, frames), color: t.colors.text.primary, weight: 500, align });
    for (let r = 0; r < rows; r++) {
      const v = field.values[r];
      const colored = ((field.config.custom ?? {}) as CellOptions).cellOptions?.type === "color-text" && typeof v === "number";
      texts.push({ x, y: HEADER + r * ROW + ROW / 2, text: cellText(field, r), color: colored ? valueColor(field.config, v, t.colors.text.primary) : t.colors.text.primary, weight: 400, align });
    }
  });
  const lines = Array.from({ length: rows + 1 }, (_, r) => ({ y: HEADER + r * ROW }));
  const px = (field: string) => ({ field, type: "quantitative", scale: null });
  // Alignment and weight are mark properties in Vega-Lite: one text layer per combination.
  const layer = (align: string, weight: number) => ({
    data: { values: texts.filter((x) => x.align === align && x.weight === weight) },
    mark: { type: "text", baseline: "middle", fontSize: 13, align, fontWeight: weight },
    encoding: { x: px("x"), y: px("y"), text: { field: "text" }, color: { field: "color", type: "nominal", scale: null, legend: null } },
  });
  return {
    ...chartFrame(box),
    layer: [
      { data: { values: lines }, mark: { type: "rule", color: t.colors.border.weak }, encoding: { y: px("y"), x: { value: 0 }, x2: { value: box.width } } },
      layer("left", 500),
      layer("right", 500),
      layer("left", 400),
      layer("right", 400),
    ],
  };
}
