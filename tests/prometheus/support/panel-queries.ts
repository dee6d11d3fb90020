/** Test reporting around the panel targets (preview/panel-targets.ts): fallbacks, shortened queries, tables. */
export { dashboardTargets, effectiveIntervalMs, panelName, runQuery } from "../../../preview/panel-targets";
export type { PanelTarget, QueryOutcome, SkippedTarget } from "../../../preview/panel-targets";

/**
 * The left operands of `X or vector(...)` fallbacks in an expression. Such a fallback keeps
 * a panel drawing 0 when X has no series, which also hides an X that can never have any
 * (a misspelt metric): X must return data on its own in the test setup.
 */
export function fallbackOperands(expr: string): string[] {
  const operands: string[] = [];
  const open: number[] = [];
  const fallback = /^or\s+(?:on\s*\([^)]*\)\s*)?vector\s*\(/;
  let quote: string | undefined;
  for (let i = 0; i < expr.length; i++) {
    const c = expr[i];
    if (quote) {
      if (c === "\\") i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'" || c === "`") quote = c;
    else if (c === "(") open.push(i);
    else if (c === ")") open.pop();
    else if (c === "o" && !/[\w:]/.test(expr[i - 1] ?? "") && fallback.test(expr.slice(i))) {
      const start = open.length > 0 ? open[open.length - 1] + 1 : 0;
      operands.push(expr.slice(start, i).trim());
    }
  }
  return operands;
}

/** Shortens a query for a table: label selectors collapse to {…}, then the text is cut. */
export function shortenQuery(expr: string, max = 72): string {
  const collapsed = expr.replace(/\{[^{}]*\}/g, "{…}").replace(/\s+/g, " ");
  return collapsed.length <= max ? collapsed : `${collapsed.slice(0, max - 1)}…`;
}

/** A plain-text table (first row: headers). */
export function formatTable(rows: readonly (readonly string[])[]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => (r[c] ?? "").length)));
  const line = (r: readonly string[]) => r.map((cell, c) => cell.padEnd(widths[c])).join(" | ").trimEnd();
  return [line(rows[0]), widths.map((w) => "-".repeat(w)).join("-|-"), ...rows.slice(1).map(line)].join("\n");
}
