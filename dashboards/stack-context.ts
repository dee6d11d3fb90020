/**
 * The per-stack values of the built dashboards: the current selection of the environment
 * and namespace variables. Applied to the stack-independent build (built.ts) on every run;
 * plain JSON, no builder library.
 */
import { VAR } from "./queries";
import { DashboardContext, DashboardModel, VariableModel } from "./types";

/** A copy of `model` whose environment and namespace variables select the stack's values. */
export function applyStackContext(model: DashboardModel, ctx: DashboardContext): DashboardModel {
  const current: Readonly<Record<string, string>> = { [VAR.environment]: ctx.environment, [VAR.namespace]: ctx.churnApiNamespace };
  const list = model.templating?.list;
  if (!Array.isArray(list)) return model;
  const withCurrent = (v: VariableModel): VariableModel =>
    typeof v.name === "string" && Object.hasOwn(current, v.name) ? { ...v, current: { text: current[v.name], value: current[v.name] } } : v;
  return { ...model, templating: { ...model.templating, list: list.map(withCurrent) } };
}
