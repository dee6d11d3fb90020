/**
 * Rule files of other systems, recognised by their content (one YAML or JSON document; a
 * multi-document file is read document by document):
 *   - a Prometheus rule file:            `groups: [{name, interval?, rules: [...]}]`;
 *   - a PrometheusRule manifest:         `apiVersion: monitoring.coreos.com/v1`, `kind: PrometheusRule`,
 *                                        `spec: {groups: ...}` (kube-prometheus, monitoring mixins);
 *   - a Grafana alert-rule export or provisioning file: `apiVersion: 1`, `groups: [{name, interval,
 *                                        rules: [{title, condition, data: [...]}]}]`.
 * Each group keeps its name and interval and lands in the folder of the file's
 * sub-directory. Fields are read as Prometheus and Grafana read them (prometheus/model/
 * rulefmt: unknown fields are errors; grafana/pkg/services/provisioning/alerting/
 * rules_types.go); what neither would accept is refused here, naming the file, the group
 * and the rule. Turning the rules into Grafana-managed rules is alerts/rule-chain.ts' job.
 */
import { z } from "zod";
import { EXPRESSION_DATASOURCE_UID, KnownDatasource } from "../catalog/datasource";
import { DatasourceMapping } from "../catalog/datasource-mapping";
import { formatRuleDuration, parsePrometheusDuration } from "../lib/durations";
import { Problem } from "../lib/errors";
import { closest } from "../lib/suggest";
import { zodProblems } from "../lib/zod-problems";
import { RULE_GROUP_INTERVAL_SECONDS } from "./rule-chain";
import { EXEC_ERR_STATES, GrafanaRule, ImportedRule, ImportedRuleGroup, NO_DATA_STATES, RuleData, RuleFileFormat } from "./types";

type ForeignFormat = Exclude<RuleFileFormat, "project">;
type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

/** YAML scalars where Prometheus and Grafana read strings (Go's yaml turns `1` into "1"). */
const text = z.union([z.string(), z.number(), z.boolean()]).transform(String);
const stringMap = z.record(z.string(), text).default({});
const duration = (what: string) => z.string().refine((v) => parsePrometheusDuration(v) !== undefined, { error: `expected a Prometheus duration such as 5m (${what})` });

// prometheus/model/rulefmt RuleNode and RuleGroup: strict, as Prometheus reads them.
const PROMETHEUS_RULE = z.strictObject({
  alert: z.string().min(1).optional(),
  record: z.string().min(1).optional(),
  expr: text.pipe(z.string().min(1, { error: "expected a PromQL expression" })),
  for: duration("for").optional(),
  keep_firing_for: duration("keep_firing_for").optional(),
  labels: stringMap,
  annotations: stringMap,
});
const PROMETHEUS_GROUP = z.strictObject({
  name: z.string().min(1),
  interval: duration("interval").optional(),
  query_offset: duration("query_offset").optional(),
  limit: z.number().int().min(0).optional(),
  labels: stringMap,
  rules: z.array(z.unknown()).default([]),
});

// Grafana's AlertRuleGroupV1 / AlertRuleV1 / QueryV1 (provisioning/alerting/rules_types.go).
const GRAFANA_QUERY = z.strictObject({
  refId: z.string().min(1),
  queryType: z.string().optional(),
  relativeTimeRange: z.strictObject({ from: z.number().int(), to: z.number().int() }).default({ from: 0, to: 0 }),
  datasourceUid: z.string().min(1),
  model: z.record(z.string(), z.unknown()),
});
const GRAFANA_RULE = z.strictObject({
  uid: z.string().optional(),
  title: z.string().min(1),
  condition: z.string().optional(),
  data: z.array(GRAFANA_QUERY).min(1),
  dashboardUid: z.string().optional(),
  dasboardUid: z.string().optional(),
  panelId: z.number().int().optional(),
  noDataState: z.enum(NO_DATA_STATES).default("NoData"),
  execErrState: z.enum(EXEC_ERR_STATES).default("Alerting"),
  for: duration("for").optional(),
  keepFiringFor: duration("keepFiringFor").optional(),
  missing_series_evals_to_resolve: z.number().int().min(0).optional(),
  annotations: stringMap,
  labels: stringMap,
  isPaused: z.boolean().default(false),
  notification_settings: z.unknown().optional(),
  record: z.strictObject({ metric: z.string().min(1), from: z.string().min(1), targetDatasourceUid: z.string().optional() }).optional(),
});
const GRAFANA_GROUP = z.strictObject({
  orgId: z.number().int().optional(),
  name: z.string().min(1),
  folder: z.string().optional(),
  interval: duration("interval"),
  rules: z.array(z.unknown()).default([]),
});

const KEYS = {
  prometheusRule: Object.keys(PROMETHEUS_RULE.shape),
  prometheusGroup: Object.keys(PROMETHEUS_GROUP.shape),
  grafanaRule: Object.keys(GRAFANA_RULE.shape),
  grafanaGroup: Object.keys(GRAFANA_GROUP.shape),
};

/** What a rule file's content is, or undefined when it is none of the formats. */
export function detectFormat(doc: unknown): RuleFileFormat | undefined {
  if (Array.isArray(doc)) return "project";
  if (!isObject(doc)) return undefined;
  if (doc.kind === "PrometheusRule" || (typeof doc.apiVersion === "string" && doc.apiVersion.startsWith("monitoring.coreos.com/"))) return "prometheus-rule";
  if (doc.apiVersion === 1 || doc.apiVersion === "1") return "grafana";
  if (Array.isArray(doc.groups)) return "prometheus";
  return undefined;
}

export interface ForeignContext {
  readonly source: string;
  readonly folderUid: string;
  /** Datasources provisioned here and the mapping of foreign ones (Grafana exports name datasources by uid). */
  readonly datasources: readonly KnownDatasource[];
  readonly mapping: DatasourceMapping;
}

const seconds = (d: string | undefined): number | undefined => (d === undefined ? undefined : parsePrometheusDuration(d)! / 1000);
const groupWhere = (c: ForeignContext, i: number, name?: unknown) => `${c.source}: group ${typeof name === "string" && name ? `"${name}"` : i + 1}`;
const fieldPath = (path: readonly PropertyKey[]) => (path.length ? ` field ${path.join(".")}` : "");

/** Groups of a Prometheus rule file or PrometheusRule manifest (`groups` is the file's or the manifest's spec's). */
export function prometheusGroups(doc: Json, format: ForeignFormat, c: ForeignContext, problems: Problem[]): ImportedRuleGroup[] {
  let groups: unknown = doc.groups;
  if (format === "prometheus-rule") {
    if (doc.kind !== "PrometheusRule") {
      problems.push({ where: c.source, message: `is a ${String(doc.kind)} manifest, not a PrometheusRule`, fix: "keep only PrometheusRule manifests under alerts/rules/" });
      return [];
    }
    groups = isObject(doc.spec) ? doc.spec.groups : undefined;
  }
  if (!Array.isArray(groups)) {
    problems.push({ where: c.source, message: `has no list of rule groups${format === "prometheus-rule" ? " in spec.groups" : ""}`, fix: "see the formats in alerts/rule-files.ts" });
    return [];
  }
  const fix = "see https://prometheus.io/docs/prometheus/latest/configuration/recording_rules/";
  const names = new Set<string>();
  return groups.flatMap((raw, gi): ImportedRuleGroup[] => {
    const parsed = PROMETHEUS_GROUP.safeParse(raw);
    const where = groupWhere(c, gi, isObject(raw) ? raw.name : undefined);
    if (!parsed.success) {
      problems.push(...zodProblems(parsed.error, raw, { where: (p) => `${where}${fieldPath(p)}`, fix, knownKeys: () => KEYS.prometheusGroup }));
      return [];
    }
    const g = parsed.data;
    if (names.has(g.name)) problems.push({ where, message: "repeats a group name of this file (Prometheus refuses it)", fix: "give each group its own name" });
    names.add(g.name);
    if (g.limit) problems.push({ where, message: `limit ${g.limit}: Grafana-managed rules have no per-group limit`, fix: "remove limit (Grafana evaluates every series)" });
    const rules = g.rules.flatMap((r, ri) => prometheusRule(r, `${where}, rule ${ruleName(r, ri)}`, g.labels, problems, fix));
    return [{ name: g.name, folderUid: c.folderUid, intervalSeconds: seconds(g.interval) ?? RULE_GROUP_INTERVAL_SECONDS, queryOffsetSeconds: seconds(g.query_offset) ?? 0, source: c.source, format, rules }];
  });
}

function ruleName(r: unknown, i: number): string {
  const name = isObject(r) ? (r.alert ?? r.record ?? r.title) : undefined;
  return typeof name === "string" && name !== "" ? `"${name}"` : String(i + 1);
}

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

function prometheusRule(raw: unknown, where: string, groupLabels: Record<string, string>, problems: Problem[], fix: string): ImportedRule[] {
  const parsed = PROMETHEUS_RULE.safeParse(raw);
  if (!parsed.success) {
    problems.push(...zodProblems(parsed.error, raw, { where: (p) => `${where}${fieldPath(p)}`, fix, knownKeys: () => KEYS.prometheusRule }));
    return [];
  }
  const r = parsed.data;
  const before = problems.length;
  if ((r.alert === undefined) === (r.record === undefined)) problems.push({ where, message: "needs exactly one of alert and record", fix: "name an alerting rule with alert:, a recording rule with record:" });
  for (const name of Object.keys(r.labels)) {
    if (!LABEL_NAME.test(name)) problems.push({ where: `${where} label ${name}`, message: "is not a valid label name", fix: "use letters, digits and _ (not starting with a digit)" });
  }
  const labels = { ...groupLabels, ...r.labels };
  if (r.record !== undefined) {
    if (!METRIC_NAME.test(r.record)) problems.push({ where, message: `record "${r.record}" is not a valid metric name`, fix: "use letters, digits, _ and :" });
    for (const key of ["for", "keep_firing_for", "annotations"] as const) {
      const present = key === "annotations" ? Object.keys(r.annotations).length > 0 : r[key] !== undefined;
      if (present) problems.push({ where, message: `a recording rule has no ${key} (Prometheus refuses it)`, fix: `remove ${key}` });
    }
    return problems.length > before ? [] : [{ kind: "recording", record: r.record, expr: r.expr, labels }];
  }
  return problems.length > before ? [] : [{ kind: "alerting", name: r.alert!, expr: r.expr, for: r.for, keepFiringFor: r.keep_firing_for, labels, annotations: r.annotations }];
}

/** Grafana's expression pseudo-datasource, by its current and its legacy uid. */
const EXPRESSION_UIDS = new Set([EXPRESSION_DATASOURCE_UID, "-100"]);

/** Groups of a Grafana alert-rule export or provisioning file. */
export function grafanaGroups(doc: Json, c: ForeignContext, problems: Problem[]): ImportedRuleGroup[] {
  const fix = "see https://grafana.com/docs/grafana/latest/alerting/set-up/provision-alerting-resources/file-provisioning/";
  for (const key of Object.keys(doc).filter((k) => k !== "apiVersion" && k !== "groups")) {
    problems.push({
      where: `${c.source}: ${key}`,
      message: key === "deleteRules" ? "deletes rules, which a declarative project does by removing them" : "is not alert rules: only rule groups are imported from a Grafana file (contact points, policies and templates are this project's: components/alerting.ts)",
      fix: `remove ${key}`,
    });
  }
  if (!Array.isArray(doc.groups)) {
    problems.push({ where: c.source, message: "has no list of rule groups", fix });
    return [];
  }
  return doc.groups.flatMap((raw, gi): ImportedRuleGroup[] => {
    const parsed = GRAFANA_GROUP.safeParse(raw);
    const where = groupWhere(c, gi, isObject(raw) ? raw.name : undefined);
    if (!parsed.success) {
      problems.push(...zodProblems(parsed.error, raw, { where: (p) => `${where}${fieldPath(p)}`, fix, knownKeys: () => KEYS.grafanaGroup }));
      return [];
    }
    const g = parsed.data;
    const rules = g.rules.flatMap((r, ri) => grafanaRule(r, `${where}, rule ${ruleName(r, ri)}`, c, problems, fix));
    return [{ name: g.name, folderUid: c.folderUid, intervalSeconds: seconds(g.interval)!, queryOffsetSeconds: 0, source: c.source, format: "grafana", rules }];
  });
}

function grafanaRule(raw: unknown, where: string, c: ForeignContext, problems: Problem[], fix: string): ImportedRule[] {
  const parsed = GRAFANA_RULE.safeParse(raw);
  if (!parsed.success) {
    problems.push(...zodProblems(parsed.error, raw, { where: (p) => `${where}${fieldPath(p)}`, fix, knownKeys: () => KEYS.grafanaRule }));
    return [];
  }
  const r = parsed.data;
  const before = problems.length;
  if (r.notification_settings !== undefined) {
    problems.push({ where, message: "routes its alerts to a contact point of its own (notification_settings)", fix: "remove notification_settings: this project routes every alert through its policy tree (by severity)" });
  }
  if (!r.condition && !r.record) problems.push({ where, message: "has no condition (Grafana refuses it)", fix: "set condition to the refId of the final expression" });
  const known = new Map(c.datasources.map((d) => [d.uid, d]));
  const datas: RuleData[] = r.data.map((q) => {
    if (EXPRESSION_UIDS.has(q.datasourceUid)) return { refId: q.refId, datasourceUid: EXPRESSION_DATASOURCE_UID, relativeTimeRange: q.relativeTimeRange, model: JSON.stringify(q.model) };
    const ds = known.get(q.datasourceUid) ?? c.mapping.targets.get(q.datasourceUid);
    if (!ds) {
      const guess = closest(q.datasourceUid, known.keys());
      problems.push({
        where: `${where}, data ${q.refId}`,
        message: `queries datasource uid "${q.datasourceUid}", which this Grafana does not have`,
        fix: `${guess ? `did you mean "${guess}"? otherwise ` : ""}map it in ${c.mapping.file} (${q.datasourceUid}: ${c.datasources[0]?.uid ?? "prometheus"})`,
      });
      return { refId: q.refId, datasourceUid: q.datasourceUid, relativeTimeRange: q.relativeTimeRange, model: JSON.stringify(q.model) };
    }
    const model = isObject(q.model.datasource) ? { ...q.model, datasource: { ...q.model.datasource, type: ds.type, uid: ds.uid } } : q.model;
    return { refId: q.refId, datasourceUid: ds.uid, relativeTimeRange: q.relativeTimeRange, model: JSON.stringify(model) };
  });
  if (problems.length > before) return [];
  const dashboardUid = r.dashboardUid || r.dasboardUid;
  const links: Record<string, string> = dashboardUid ? { __dashboardUid__: dashboardUid, __panelId__: String(r.panelId ?? 0) } : {};
  const target = r.record?.targetDatasourceUid;
  const rule: GrafanaRule = {
    ...(r.uid ? { uid: r.uid } : {}),
    name: r.title,
    condition: r.condition ?? r.record?.from ?? "",
    datas,
    for: formatRuleDuration(parsePrometheusDuration(r.for ?? "0s") ?? 0),
    ...(r.keepFiringFor ? { keepFiringFor: formatRuleDuration(parsePrometheusDuration(r.keepFiringFor)!) } : {}),
    ...(r.missing_series_evals_to_resolve !== undefined ? { missingSeriesEvalsToResolve: r.missing_series_evals_to_resolve } : {}),
    noDataState: r.noDataState,
    execErrState: r.execErrState,
    labels: r.labels,
    annotations: { ...r.annotations, ...links },
    isPaused: r.isPaused,
    ...(r.record
      ? { record: { metric: r.record.metric, from: r.record.from, ...(target ? { targetDatasourceUid: (known.get(target) ?? c.mapping.targets.get(target))?.uid ?? target } : {}) } }
      : {}),
  };
  return [{ kind: "grafana", rule }];
}
