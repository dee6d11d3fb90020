/** A Grafana query's PromQL as a list of Problems: variables first, then syntax and types. */
import { Problem } from "../lib/errors";
import { closest } from "../lib/suggest";
import { CATALOG_PREFIX, catalogIssues, variableMatchers } from "./catalog-metrics";
import { DashboardVariables, interpolateForValidation } from "./variables";

// The PromQL parser and analyser (lezer, codemirror-promql) load on the first query that is
// checked: a run whose content the build already validated never needs them.
let promql: typeof import("./promql") | undefined;
const promqlModule = () => (promql ??= require("./promql") as typeof import("./promql"));
const checkPromQL = (expr: string) => promqlModule().checkPromQL(expr);

const KIND_LABEL = { syntax: "syntax error", "unknown-function": "error", type: "type error" } as const;

/**
 * Problems of one PromQL query as Grafana would send it: undefined variables and
 * unknown built-ins (each its own problem; the PromQL is not parsed then), else every
 * issue checkPromQL finds in the interpolated text. `scopeName` completes
 * "$x is not defined in ...".
 */
export function promqlProblems(expr: string, vars: DashboardVariables, where: string, scopeName: string): Problem[] {
  const interp = interpolateForValidation(expr, vars);
  const problems: Problem[] = [];
  for (const name of interp.undefinedVariables) {
    const guess = closest(name, vars.types.keys());
    problems.push({
      where,
      message: `$${name} is not defined in ${scopeName}: \`${expr}\``,
      fix: guess ? `did you mean $${guess}?` : `define the variable "${name}" or remove the reference`,
    });
  }
  for (const name of interp.unknownBuiltIns) {
    problems.push({
      where,
      message: `$${name} is not a Grafana built-in variable: \`${expr}\``,
      fix: "use $__rate_interval, $__interval, $__range (or their _ms/_s forms)",
    });
  }
  if (problems.length > 0) return problems;
  const shown = interp.expr === expr ? `\`${expr}\`` : `\`${interp.expr}\` (written \`${expr}\`)`;
  for (const issue of checkPromQL(interp.expr)) {
    problems.push({ where, message: `PromQL ${KIND_LABEL[issue.kind]}: ${issue.message} in ${shown}`, fix: issue.fix });
  }
  // The catalog's metrics, by name and label (only queries that name one are parsed again).
  if (problems.length === 0 && interp.expr.includes(CATALOG_PREFIX)) {
    const promql = promqlModule();
    // Matchers whose written value names a variable are left to the value Grafana gives it.
    const fromVariables = interp.expr === expr ? new Set<string>() : variableMatchers(promql.vectorSelectors(expr));
    for (const issue of catalogIssues(promql.vectorSelectors(interp.expr), fromVariables)) problems.push({ where, message: `${issue.message}: ${shown}`, fix: issue.fix });
  }
  return problems;
}
