/**
 * Grafana-managed rule groups as passed to grafana.alerting.RuleGroup: names, the data
 * chain (query -> reduce -> threshold, or math), states, durations, labels and
 * annotations, and every Prometheus query's PromQL.
 */
import { EXPRESSION_DATASOURCE_UID } from "../catalog/datasource";
import { EXEC_ERR_STATES, GrafanaRule, GrafanaRuleGroup, NO_DATA_STATES, RuleData, SEVERITIES as BUILT_SEVERITIES } from "../alerts/types";
import { Problem } from "../lib/errors";
import { promqlProblems } from "./query";
import { DEFAULT_DATASOURCES, KnownDatasource } from "./datasources";
import { parseRuleDuration } from "../lib/durations";
import { closest } from "../lib/suggest";
import { ContentRecord, EMPTY_RECORD, recorded, ruleDigest } from "../lib/content-record";
import { CheckMemo } from "./memo";
import { NO_VARIABLES } from "./variables";

/** Grafana's scheduler ticks every 10 s; a group interval must be a multiple of it. */
export const SCHEDULER_BASE_INTERVAL_SECONDS = 10;
/**
 * The severities of the rules built here, plus those of the monitoring mixins' rules
 * (kubernetes-mixin, kube-prometheus): "info", and "none" on Watchdog and InfoInhibitor.
 * The policy tree routes critical and warning; every other severity reaches the root
 * policy's receiver (alerts/notifications.ts). A typo would too, silently: it is refused.
 */
export const SEVERITIES = [...BUILT_SEVERITIES, "info", "none"] as const;
export const REQUIRED_ANNOTATIONS = ["summary", "runbook_url"] as const;
/** Every reducer Grafana knows; the rules built here use a subset (alerts/types.ts REDUCERS). */
const REDUCERS = ["last", "mean", "min", "max", "sum", "count", "median"];
const EVALUATOR_PARAMS: Readonly<Record<string, number>> = {
  gt: 1, lt: 1, gte: 1, lte: 1, eq: 1, ne: 1,
  within_range: 2, outside_range: 2, within_range_included: 2, outside_range_included: 2,
};

export interface RuleValidationOptions {
  /** Datasources the queries may use. Default: the chart's Prometheus. */
  readonly datasources?: readonly KnownDatasource[];
  /** Rules whose own checks already passed (the build's record); their checks are skipped. Default: none. */
  readonly record?: ContentRecord;
}

type Model = { readonly [key: string]: unknown };

interface Node {
  readonly data: RuleData;
  readonly where: string;
  readonly model?: Model;
  readonly isQuery: boolean;
  /** refIds this entry reads. */
  readonly deps: readonly string[];
}

const refName = (text: string) => text.trim().replace(/^\$\{?/, "").replace(/\}$/, "");

/** refIds a math expression reads: $A, ${A}, ${my query}. */
function mathRefs(expression: string): string[] {
  return [...expression.matchAll(/\$\{([^}]+)\}|\$([A-Za-z_][\w]*)/g)].map((m) => m[1] ?? m[2]);
}

/** Checks one expression model; returns the refIds it reads. */
function expressionDeps(model: Model, where: string, problems: Problem[]): string[] {
  const type = model.type;
  const expression = typeof model.expression === "string" ? model.expression : "";
  switch (type) {
    case "reduce":
    case "resample":
    case "threshold": {
      if (!expression) {
        problems.push({ where, message: `${type} expression has no "expression" (the refId it reads)`, fix: 'set expression to the refId of its input, e.g. "A"' });
        return [];
      }
      if (type === "reduce" && !REDUCERS.includes(String(model.reducer))) {
        problems.push({ where, message: `reduce: unknown reducer ${JSON.stringify(model.reducer)}`, fix: `use one of ${REDUCERS.join(", ")}` });
      }
      if (type === "threshold") thresholdProblems(model, where, problems);
      return [refName(expression)];
    }
    case "math":
      if (!expression) problems.push({ where, message: "math expression is empty", fix: 'write a formula over refIds, e.g. "$A > 1"' });
      return mathRefs(expression);
    case "classic_conditions": {
      const conditions = Array.isArray(model.conditions) ? model.conditions : [];
      return conditions.flatMap((c: unknown) => {
        const params = (c as { query?: { params?: unknown } } | null)?.query?.params;
        return Array.isArray(params) && typeof params[0] === "string" ? [params[0]] : [];
      });
    }
    case "sql":
      return [];
    default:
      problems.push({ where, message: `unknown expression type ${JSON.stringify(type)}`, fix: "use reduce, threshold, math, resample or classic_conditions" });
      return [];
  }
}

function thresholdProblems(model: Model, where: string, problems: Problem[]): void {
  const conditions = Array.isArray(model.conditions) ? model.conditions : [];
  if (conditions.length === 0) {
    problems.push({ where, message: "threshold has no conditions", fix: 'add conditions: [{evaluator: {type: "gt", params: [N]}}]' });
  }
  conditions.forEach((c: unknown, i) => {
    const evaluator = (c as { evaluator?: { type?: unknown; params?: unknown } } | null)?.evaluator;
    const at = conditions.length > 1 ? ` (condition ${i + 1})` : "";
    const type = String(evaluator?.type);
    const expected = EVALUATOR_PARAMS[type];
    if (expected === undefined) {
      problems.push({ where, message: `threshold${at}: unknown evaluator type ${JSON.stringify(evaluator?.type)}`, fix: `use one of ${Object.keys(EVALUATOR_PARAMS).join(", ")}` });
      return;
    }
    const params = Array.isArray(evaluator?.params) ? evaluator.params : [];
    const bad = params.filter((p: unknown) => typeof p !== "number" || !Number.isFinite(p));
    if (bad.length > 0 || params.length < expected) {
      problems.push({
        where,
        message: `threshold${at}: ${type} needs ${expected} numeric param(s), got ${JSON.stringify(evaluator?.params)}`,
        fix: `set params to ${expected === 1 ? "[<number>]" : "[<low>, <high>]"} (numbers, not strings)`,
      });
    }
  });
}

function parseModel(data: RuleData, where: string, problems: Problem[]): Model | undefined {
  try {
    const parsed: unknown = JSON.parse(data.model);
    if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) return parsed as Model;
    problems.push({ where, message: "model is not a JSON object", fix: "pass JSON.stringify({...}) of the query or expression model" });
  } catch (e) {
    problems.push({ where, message: `model is not valid JSON: ${(e as Error).message}`, fix: "pass JSON.stringify({...}) of the query or expression model" });
  }
  return undefined;
}

function dataNodes(rule: GrafanaRule, where: string, known: ReadonlySet<string>, problems: Problem[]): Map<string, Node> {
  const nodes = new Map<string, Node>();
  for (const data of Array.isArray(rule.datas) ? rule.datas : []) {
    const at = `${where}, data ${data.refId || "(no refId)"}`;
    if (!data.refId) problems.push({ where: at, message: "data entry has no refId", fix: 'set refId ("A", "B", ...)' });
    else if (nodes.has(data.refId)) problems.push({ where: at, message: `duplicate refId "${data.refId}"`, fix: "give each data entry its own refId" });
    const model = parseModel(data, at, problems);
    if (model && typeof model.refId === "string" && model.refId !== data.refId) {
      problems.push({ where: at, message: `model.refId "${model.refId}" differs from refId "${data.refId}"`, fix: "use the same refId in both" });
    }
    const isQuery = data.datasourceUid !== EXPRESSION_DATASOURCE_UID;
    let deps: string[] = [];
    if (isQuery) {
      if (!known.has(data.datasourceUid)) {
        const guess = closest(data.datasourceUid ?? "", known);
        problems.push({ where: at, message: `unknown datasourceUid "${data.datasourceUid}"`, fix: guess ? `did you mean "${guess}"?` : `use one of ${[...known].join(", ")} or "${EXPRESSION_DATASOURCE_UID}"` });
      }
      const range = data.relativeTimeRange;
      const ok = range && Number.isInteger(range.from) && Number.isInteger(range.to) && range.to >= 0 && range.from > range.to;
      if (!ok) {
        problems.push({ where: at, message: `relativeTimeRange ${JSON.stringify(range)} is not a window into the past (from > to ≥ 0, in seconds)`, fix: "e.g. {from: 600, to: 0} for the last 10 minutes" });
      }
      if (model) {
        if (typeof model.expr !== "string" || model.expr.trim() === "") {
          problems.push({ where: at, message: "query model has no expr", fix: "set model.expr to a PromQL query" });
        } else {
          problems.push(...promqlProblems(model.expr, NO_VARIABLES, at, "alert rules (they have no dashboard variables)"));
        }
      }
    } else if (model) {
      deps = expressionDeps(model, at, problems);
    }
    if (data.refId && !nodes.has(data.refId)) nodes.set(data.refId, { data, where: at, model, isQuery, deps });
  }
  return nodes;
}

/** An instant query's result, or math over instant results only: one number per series. */
function isInstant(node: Node | undefined, nodes: ReadonlyMap<string, Node>, seen: Set<string> = new Set()): boolean {
  if (!node || seen.has(node.data.refId)) return false;
  seen.add(node.data.refId);
  if (node.isQuery) return node.model?.instant === true;
  return node.model?.type === "math" && node.deps.length > 0 && node.deps.every((d) => isInstant(nodes.get(d), nodes, seen));
}

/**
 * Grafana reduces an instant query's single number per series as itself (pkg/expr/
 * commands.go, ReduceCommand; classic conditions likewise): any reducer but `last` then
 * promises a window the rule does not have.
 */
function instantReducerProblems(nodes: ReadonlyMap<string, Node>, problems: Problem[]): void {
  const refuse = (node: Node, reducer: string, input: string) =>
    problems.push({
      where: node.where,
      message: `reducer "${reducer}" over the instant query ${input} reduces one value per series to itself: the window it promises does not exist`,
      fix: `make ${input} a range query over the window (model.range: true, instant: false; relativeTimeRange.from = the window), or use reducer "last" with the window in the PromQL (e.g. max_over_time(...[5m]))`,
    });
  for (const node of nodes.values()) {
    const model = node.model;
    if (!model || node.isQuery) continue;
    if (model.type === "reduce" && model.reducer !== "last" && isInstant(nodes.get(node.deps[0]), nodes)) refuse(node, String(model.reducer), node.deps[0]);
    if (model.type === "classic_conditions" && Array.isArray(model.conditions)) {
      for (const c of model.conditions as { query?: { params?: unknown[] }; reducer?: { type?: unknown } }[]) {
        const input = c?.query?.params?.[0];
        const reducer = c?.reducer?.type;
        if (typeof input === "string" && typeof reducer === "string" && reducer !== "last" && isInstant(nodes.get(input), nodes)) refuse(node, reducer, input);
      }
    }
  }
}

/** Missing references, cycles, and whether the condition is fed by a query. */
function chainProblems(rule: GrafanaRule, where: string, nodes: ReadonlyMap<string, Node>, problems: Problem[]): void {
  const refIds = [...nodes.keys()];
  for (const node of nodes.values()) {
    for (const dep of node.deps) {
      if (!nodes.has(dep)) {
        const guess = closest(dep, refIds);
        const type = node.model?.type;
        problems.push({
          where: node.where,
          message: `${String(type)} expression refers to "${dep}", which is not a refId of this rule (refIds: ${refIds.join(", ")})`,
          fix: guess ? `did you mean "${guess}"?` : "point it at an existing refId",
        });
      }
    }
  }
  if (!rule.condition) {
    problems.push({ where, message: "rule has no condition", fix: "set condition to the refId of the final expression (e.g. the threshold)" });
    return;
  }
  if (!nodes.has(rule.condition)) {
    const guess = closest(rule.condition, refIds);
    problems.push({
      where,
      message: `condition "${rule.condition}" is not a refId of this rule (refIds: ${refIds.join(", ") || "none"})`,
      fix: guess ? `did you mean "${guess}"?` : "set condition to the refId of the final expression",
    });
    return;
  }
  // Depth-first from the condition: cycles, and whether a query feeds it. A chain already
  // reported as broken (missing refId, unparsable model, cycle) is not reported again.
  const state = new Map<string, "visiting" | "done">();
  let fedByQuery = false;
  let broken = false;
  const visit = (refId: string, path: string[]): void => {
    const node = nodes.get(refId);
    if (!node) {
      broken = true;
      return;
    }
    if (state.get(refId) === "visiting") {
      const cycle = [...path.slice(path.indexOf(refId)), refId].join(" → ");
      problems.push({ where, message: `the data chain has a cycle: ${cycle}`, fix: "make every expression read an earlier entry (query → reduce → threshold)" });
      broken = true;
      return;
    }
    if (state.get(refId) === "done") return;
    state.set(refId, "visiting");
    if (node.isQuery) fedByQuery = true;
    else if (!node.model) broken = true;
    for (const dep of node.deps) visit(dep, [...path, refId]);
    state.set(refId, "done");
  };
  visit(rule.condition, []);
  if (!fedByQuery && !broken) {
    problems.push({ where, message: `condition "${rule.condition}" is not computed from any Prometheus query`, fix: "chain it to a query: query → reduce → threshold" });
  }
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

/** A recording rule writes its `from` query as `metric` (Grafana's models.Record): no condition, severity or annotations needed. */
function recordProblems(rule: GrafanaRule & { record: NonNullable<GrafanaRule["record"]> }, where: string, nodes: ReadonlyMap<string, Node>, known: ReadonlySet<string>, problems: Problem[]): void {
  const { metric, from, targetDatasourceUid } = rule.record;
  if (!METRIC_NAME.test(metric)) problems.push({ where, message: `record metric "${metric}" is not a valid metric name`, fix: "use letters, digits, _ and :" });
  if (!nodes.has(from)) problems.push({ where, message: `record.from "${from}" is not a refId of this rule`, fix: `use one of ${[...nodes.keys()].join(", ")}` });
  if (targetDatasourceUid !== undefined && !known.has(targetDatasourceUid)) {
    problems.push({ where, message: `record.targetDatasourceUid "${targetDatasourceUid}" is not a datasource of this Grafana`, fix: `use one of ${[...known].join(", ")}` });
  }
}

function metadataProblems(rule: GrafanaRule, where: string, imported: boolean, problems: Problem[]): void {
  const pending = typeof rule.for === "string" ? parseRuleDuration(rule.for) : undefined;
  if (!pending?.ok) {
    problems.push({
      where,
      message: `for ${JSON.stringify(rule.for)} ${pending?.problem ?? "is not a string"}`,
      fix: pending?.fix ?? 'use a duration such as "5m", "1h30m" or "0s"',
    });
  }
  if (rule.keepFiringFor !== undefined) {
    const keep = parseRuleDuration(rule.keepFiringFor);
    if (!keep.ok) problems.push({ where, message: `keepFiringFor ${JSON.stringify(rule.keepFiringFor)} ${keep.problem}`, fix: keep.fix });
  }
  if (!(NO_DATA_STATES as readonly string[]).includes(rule.noDataState)) {
    problems.push({ where, message: `noDataState ${JSON.stringify(rule.noDataState)} is not valid`, fix: `use one of ${NO_DATA_STATES.join(", ")}` });
  }
  if (!(EXEC_ERR_STATES as readonly string[]).includes(rule.execErrState)) {
    problems.push({ where, message: `execErrState ${JSON.stringify(rule.execErrState)} is not valid`, fix: `use one of ${EXEC_ERR_STATES.join(", ")}` });
  }
  if (rule.record) return;
  const severity = rule.labels?.severity;
  if (severity === undefined) {
    problems.push({ where, message: "missing label severity", fix: `add labels.severity: one of ${SEVERITIES.join(", ")} (notification routing uses it)` });
  } else if (!(SEVERITIES as readonly string[]).includes(severity)) {
    const guess = closest(severity, SEVERITIES);
    problems.push({ where, message: `label severity "${severity}" is not one of ${SEVERITIES.join(", ")}`, fix: guess ? `did you mean "${guess}"?` : `use one of ${SEVERITIES.join(", ")}` });
  }
  // A foreign rule need not carry a summary (Prometheus and Grafana do not ask for one); every alert has a runbook link.
  for (const key of imported ? (["runbook_url"] as const) : REQUIRED_ANNOTATIONS) {
    const value = rule.annotations?.[key];
    if (typeof value !== "string" || value.trim() === "") {
      problems.push({ where, message: `missing annotation ${key}`, fix: key === "runbook_url" ? "add annotations.runbook_url (derived from the runbook base URL and the alert name)" : "add annotations.summary: one static sentence" });
    } else if (key === "runbook_url" && !/^https?:\/\/\S+$/.test(value)) {
      problems.push({ where, message: `runbook_url ${JSON.stringify(value)} is not an http(s) URL`, fix: "use an absolute http(s) URL" });
    }
  }
}

const IMPORTED_CHECKS = new CheckMemo();

const DEFAULT_DATASOURCE_UIDS: ReadonlySet<string> = new Set(DEFAULT_DATASOURCES.map((d) => d.uid));

/**
 * The checks of one rule on its own: its data chain, every PromQL query, states, labels and
 * annotations. `imported`: a rule of another system's file (no summary required).
 */
export function ruleContentProblems(rule: GrafanaRule, where: string, known: ReadonlySet<string> = DEFAULT_DATASOURCE_UIDS, imported = false): Problem[] {
  const problems: Problem[] = [];
  const nodes = dataNodes(rule, where, known, problems);
  if (rule.record) recordProblems({ ...rule, record: rule.record }, where, nodes, known, problems);
  else {
    chainProblems(rule, where, nodes, problems);
    instantReducerProblems(nodes, problems);
  }
  metadataProblems(rule, where, imported, problems);
  return problems;
}

/** Every problem in the rule groups, each naming group, rule and refId. */
export function validateRuleGroups(groups: readonly GrafanaRuleGroup[], opts: RuleValidationOptions = {}): Problem[] {
  const problems: Problem[] = [];
  const known = opts.datasources ? new Set(opts.datasources.map((d) => d.uid)) : DEFAULT_DATASOURCE_UIDS;
  const record = opts.record ?? EMPTY_RECORD;
  const groupNames = new Set<string>();
  for (const group of groups) {
    const gWhere = `rule group "${group.name}" (folder "${group.folderUid}")`;
    if (!group.name) problems.push({ where: gWhere, message: "rule group has no name", fix: "set name" });
    const key = `${group.folderUid}\u0000${group.name}`;
    if (groupNames.has(key)) problems.push({ where: gWhere, message: `duplicate rule group name "${group.name}" in folder "${group.folderUid}"`, fix: "give each group in a folder its own name" });
    groupNames.add(key);
    if (!Number.isInteger(group.intervalSeconds) || group.intervalSeconds <= 0 || group.intervalSeconds % SCHEDULER_BASE_INTERVAL_SECONDS !== 0) {
      problems.push({
        where: gWhere,
        message: `intervalSeconds ${group.intervalSeconds} must be a positive multiple of ${SCHEDULER_BASE_INTERVAL_SECONDS} (Grafana's scheduler interval)`,
        fix: `use e.g. ${Math.max(SCHEDULER_BASE_INTERVAL_SECONDS, Math.round((group.intervalSeconds || 60) / SCHEDULER_BASE_INTERVAL_SECONDS) * SCHEDULER_BASE_INTERVAL_SECONDS)}`,
      });
    }
    // Grafana >= 12 lets rules share a title (grafana/grafana#102067), and the mixins use
    // that (one alert name for several windows or severities, one recorded metric from
    // several expressions): in an imported group only the same rule twice is a mistake.
    // The project's own rules are named uniquely: runbook anchors and tests key on the name.
    const ruleNames = new Set<string>();
    const file = group.imported ? `${group.imported.source}: ` : "";
    for (const rule of group.rules ?? []) {
      const where = `${file}${gWhere}, rule "${rule.name}"`;
      const identity = group.imported ? JSON.stringify(rule) : rule.name;
      if (!rule.name) problems.push({ where, message: "rule has no name", fix: "set name" });
      else if (ruleNames.has(identity)) {
        problems.push(
          group.imported
            ? { where, message: `duplicate rule "${rule.name}" in the group: the same rule twice`, fix: "remove one of them" }
            : { where, message: `duplicate rule name "${rule.name}" in the group`, fix: "give each rule its own name" },
        );
      }
      ruleNames.add(identity);
      // Checked at build time, byte for byte (lib/content-record.ts): the same checks would pass again.
      if (!opts.datasources && recorded(record.validRules, () => ruleDigest(rule))) continue;
      // An imported rule is the same in every stack: its own checks run once per process.
      const check = () => ruleContentProblems(rule, where, known, group.imported !== undefined);
      problems.push(...(group.imported && !opts.datasources ? IMPORTED_CHECKS.problems(`${where}\u0000${ruleDigest(rule)}`, check) : check()));
    }
  }
  return problems;
}
