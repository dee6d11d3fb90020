/**
 * Dashboards, built and imported, checked before anything is registered: schema (ajv),
 * uids (present, Grafana's pattern and length, unique across all dashboards), titles,
 * grid layout and explicit panel ids of built dashboards, datasource references, variable
 * references, every PromQL target and library panels. Imported dashboards are checked as
 * Grafana shows them (after its migrations: dashboard-migration.ts) against the import
 * schema (lenient-schema.ts), and a defect repeated across their panels is one problem
 * (collapse.ts). The one owner of these checks: dashboards/ only builds and converts.
 * Linear in the number of dashboards and panels.
 */
import { DashboardModel, DashboardSpec, LibraryPanelSpec, PanelModel, TargetModel, VariableModel } from "../dashboards/types";
import { Problem } from "../lib/errors";
import { referencedVariables } from "../lib/grafana-interpolate";
import { dashboardCheckedText } from "../lib/json-text";
import { collapseRepeats } from "./collapse";
import { layoutProblems } from "./dashboard-layout";
import { migratedForValidation, needsMigration } from "./dashboard-migration";
import { libraryPanelProblems } from "./library-panels";
import { CheckMemo } from "./memo";
import { schemaProblems } from "./dashboard-schema";
import { DatasourceKind, DatasourceResolver, KnownDatasource } from "./datasources";
import { promqlProblems } from "./query";
import { closest } from "../lib/suggest";
import { UID_RULE, uidFormatProblems } from "../lib/grafana-uid";
import { ContentRecord, dashboardDigest, EMPTY_RECORD, recorded } from "../lib/content-record";
import { DashboardVariables, dashboardVariables } from "./variables";
import { dashboardWhere, panelLabel, targetLabel } from "./where";

export interface DashboardValidationOptions {
  /**
   * Check the schema with additionalProperties: false. One value for all dashboards, or
   * per dashboard. Default: strict for built dashboards, lenient for imported JSON files
   * (source ending in .json), whose real exports carry extra keys.
   */
  readonly strictSchema?: boolean | ((dashboard: DashboardSpec) => boolean);
  /** Datasources provisioned in Grafana. Default: the chart's Prometheus. */
  readonly datasources?: readonly KnownDatasource[];
  /** Dashboards whose own checks already passed (the build's record); their checks are skipped. Default: none. */
  readonly record?: ContentRecord;
}

const IMPORTED_CHECKS = new CheckMemo();

/** Imported exports come from JSON files; every other dashboard is built by a module. */
export const isImported = (d: DashboardSpec) => d.source.toLowerCase().endsWith(".json");

/** Per-dashboard state shared by the checks below. */
interface Scope {
  readonly where: string;
  readonly uid: string;
  readonly vars: DashboardVariables;
  readonly resolver: DatasourceResolver;
  readonly problems: Problem[];
}

function undefinedVariableProblem(s: Scope, where: string, name: string, field: string): Problem {
  const guess = closest(name, s.vars.types.keys());
  const defined = [...s.vars.types.keys()];
  return {
    where,
    message: `${field}: $${name} is not defined in dashboard "${s.uid}"`,
    fix: guess
      ? `did you mean $${guess}?`
      : `add a variable named "${name}" to templating.list${defined.length ? ` (defined: ${defined.map((n) => `$${n}`).join(", ")})` : ""}`,
  };
}

/** `$var` references in free text (titles, legends, variable queries). */
function checkText(s: Scope, where: string, field: string, text: unknown): void {
  if (typeof text !== "string" || !text.includes("$") && !text.includes("[[")) return;
  for (const name of referencedVariables(text)) {
    if (/^\d+$/.test(name) || s.vars.types.has(name)) continue;
    s.problems.push(undefinedVariableProblem(s, where, name, field));
  }
}

function checkDatasource(s: Scope, where: string, ref: PanelModel["datasource"]): DatasourceKind {
  const r = s.resolver.resolve(ref, s.vars);
  if (r.problem) s.problems.push({ where, message: r.problem.message, fix: r.problem.fix });
  return r.kind;
}

function checkTarget(s: Scope, where: string, target: TargetModel, panelKind: DatasourceKind): void {
  const kind = target.datasource !== undefined && target.datasource !== null ? checkDatasource(s, where, target.datasource) : panelKind === "mixed" ? "prometheus" : panelKind;
  checkText(s, where, "legendFormat", target.legendFormat);
  checkText(s, where, "interval", target.interval);
  if (kind !== "prometheus") return;
  if (typeof target.expr !== "string" || target.expr.trim() === "") {
    s.problems.push({ where, message: "Prometheus target has no expr", fix: "set expr to a PromQL query, or remove the target" });
    return;
  }
  s.problems.push(...promqlProblems(target.expr, s.vars, where, `dashboard "${s.uid}"`));
}

function checkPanel(s: Scope, panel: PanelModel, index: number, prefix: string): void {
  if (!panel || typeof panel !== "object") return;
  const label = `${prefix}${panelLabel(panel, index)}`;
  const where = `${s.where}, ${label}`;
  checkText(s, where, "title", panel.title);
  if (typeof panel.repeat === "string" && panel.repeat !== "" && !s.vars.types.has(panel.repeat)) {
    s.problems.push(undefinedVariableProblem(s, where, panel.repeat, "repeat"));
  }
  const kind = checkDatasource(s, where, panel.datasource);
  if (Array.isArray(panel.targets)) {
    panel.targets.forEach((t, i) => {
      if (t && typeof t === "object") checkTarget(s, `${where}, ${targetLabel(t, i)}`, t, kind);
    });
  }
  if (Array.isArray(panel.panels)) panel.panels.forEach((p, i) => checkPanel(s, p, i, `${label}, `));
}

function checkVariable(s: Scope, v: VariableModel, index: number): void {
  if (!v || typeof v !== "object") return;
  const where = `${s.where}, variable ${typeof v.name === "string" && v.name ? `"${v.name}"` : `#${index + 1}`}`;
  if (typeof v.name !== "string" || v.name === "") {
    s.problems.push({ where, message: "variable has no name", fix: "set name (queries refer to it as $name)" });
  }
  if (v.type !== "datasource") checkDatasource(s, where, v.datasource);
  const query = v.query && typeof v.query === "object" ? (v.query as { query?: unknown }).query : v.query;
  checkText(s, where, "query", query);
}

function checkAnnotations(s: Scope, model: DashboardModel): void {
  const annotations = model.annotations as { list?: unknown } | undefined;
  const list = annotations && Array.isArray(annotations.list) ? annotations.list : [];
  list.forEach((a: unknown, i) => {
    if (!a || typeof a !== "object") return;
    const ann = a as { name?: unknown; datasource?: PanelModel["datasource"]; expr?: unknown };
    const where = `${s.where}, annotation ${typeof ann.name === "string" ? `"${ann.name}"` : `#${i + 1}`}`;
    const kind = checkDatasource(s, where, ann.datasource);
    if (kind === "prometheus" && typeof ann.expr === "string" && ann.expr.trim() !== "") {
      s.problems.push(...promqlProblems(ann.expr, s.vars, where, `dashboard "${s.uid}"`));
    }
  });
}

function uidProblems(declaredUid: string, model: DashboardModel, where: string): Problem[] {
  const modelUid = model.uid;
  const uid = typeof modelUid === "string" && modelUid !== "" ? modelUid : declaredUid;
  if (!uid) {
    return [
      {
        where,
        message: "dashboard has no uid: Grafana would generate a new one on every deploy",
        fix: `set a stable uid (${UID_RULE}): changing it later replaces the dashboard`,
      },
    ];
  }
  const problems: Problem[] = [];
  if (typeof modelUid === "string" && modelUid !== "" && declaredUid && modelUid !== declaredUid) {
    problems.push({ where, message: `model uid "${modelUid}" differs from the declared uid "${declaredUid}"`, fix: "use one uid in both places" });
  }
  problems.push(...uidFormatProblems(uid, where));
  return problems;
}

/**
 * Built dashboards set every panel id explicitly (from their module's *_PANELS constant),
 * unique in the dashboard: links and alert rules point at them, so they must not follow
 * panel order. Imported exports keep the ids Grafana gave them and are not checked.
 */
export function builtPanelIdProblems(panels: readonly PanelModel[] | undefined, where: string): Problem[] {
  const problems: Problem[] = [];
  const seen = new Map<number, string>();
  const visit = (list: readonly PanelModel[], prefix: string): void =>
    list.forEach((panel, i) => {
      if (!panel || typeof panel !== "object") return;
      const label = `${prefix}${panelLabel(panel, i)}`;
      const id = panel.id;
      if (typeof id !== "number" || !Number.isInteger(id) || id <= 0) {
        problems.push({
          where: `${where}, ${label}`,
          message: "has no explicit panel id",
          fix: "call .id() with a new entry of the module's *_PANELS constant",
        });
      } else if (seen.has(id)) {
        problems.push({ where: `${where}, ${label}`, message: `reuses panel id ${id} of ${seen.get(id)}`, fix: "give it an unused id" });
      } else {
        seen.set(id, label);
      }
      if (Array.isArray(panel.panels)) visit(panel.panels, `${label}, `);
    });
  if (Array.isArray(panels)) visit(panels, "");
  return problems;
}

/** Every problem in the dashboards, each naming file, dashboard, panel and target. */
export function validateDashboards(dashboards: readonly DashboardSpec[], opts: DashboardValidationOptions = {}): Problem[] {
  const problems: Problem[] = [];
  const resolver = new DatasourceResolver(opts.datasources);
  const record = opts.record ?? EMPTY_RECORD;
  const byUid = new Map<string, { where: string; source: string }>();
  const byTitle = new Map<string, string>();
  for (const spec of dashboards) {
    const imported = isImported(spec);
    const strict = typeof opts.strictSchema === "function" ? opts.strictSchema(spec) : opts.strictSchema ?? !imported;
    // Checked at build time, byte for byte (lib/content-record.ts): its own checks (uid and
    // title included) would pass again, so its model is not even read; the uid and title
    // are the spec's, which every producer takes from the model.
    const isRecorded = !opts.datasources && recorded(record.validDashboards, () => dashboardDigest(dashboardCheckedText(spec), strict, imported));
    const model: DashboardModel = isRecorded ? {} : spec.model && typeof spec.model === "object" ? spec.model : {};
    // Named as the checks name it: by the model's uid and title, which a recorded dashboard's spec repeats.
    const named: DashboardModel = isRecorded ? { uid: spec.uid, title: spec.title } : model;
    const where = dashboardWhere(spec, named);
    const uid = typeof named.uid === "string" && named.uid !== "" ? named.uid : spec.uid;
    const title = typeof named.title === "string" && named.title.trim() !== "" ? named.title : typeof spec.title === "string" ? spec.title.trim() : "";
    if (uid) {
      const first = byUid.get(uid);
      if (first) {
        // Grafana would let the later one overwrite the earlier.
        problems.push({
          where,
          message: `duplicate uid "${uid}": also used by ${first.where}`,
          fix: `give one of ${first.source} and ${spec.source} a different uid`,
        });
      } else byUid.set(uid, { where, source: spec.source });
    }
    if (title) {
      const key = `${spec.folderUid}\u0000${title.toLowerCase()}`;
      const first = byTitle.get(key);
      if (first) problems.push({ where, message: `title "${title}" is also used by ${first} in folder "${spec.folderUid}"; Grafana rejects the second`, fix: "give each dashboard in a folder its own title" });
      else byTitle.set(key, where);
    }
    if (!isRecorded) {
      const content = { model, declaredUid: spec.uid, declaredTitle: spec.title, where, uid: uid || spec.title, strict, imported, resolver, libraryPanels: spec.libraryPanels };
      // A drop-in file is the same in every stack: its own checks run once per process.
      const memoKey = imported && !opts.datasources ? `${where}\u0000${spec.uid}\u0000${dashboardDigest(dashboardCheckedText(spec), strict, imported)}` : undefined;
      problems.push(...(memoKey ? IMPORTED_CHECKS.problems(memoKey, () => dashboardContentProblems(content)) : dashboardContentProblems(content)));
    }
  }
  problems.push(...libraryPanelProblems(dashboards));
  return problems;
}

export interface DashboardContent {
  readonly model: DashboardModel;
  /** The uid and title it is deployed under (DashboardSpec's), used when the model has none. */
  readonly declaredUid: string;
  readonly declaredTitle: string;
  /** How problems name the dashboard. */
  readonly where: string;
  /** How "$x is not defined in dashboard ..." names it. */
  readonly uid: string;
  readonly strict: boolean;
  readonly imported: boolean;
  readonly resolver: DatasourceResolver;
  /** Library panels the dashboard uses: checked in its place, as Grafana shows them. */
  readonly libraryPanels?: readonly LibraryPanelSpec[];
}

/** The checks of one dashboard on its own (everything but uniqueness across dashboards). */
export function dashboardContentProblems(d: DashboardContent): Problem[] {
  const { where } = d;
  // Imported: checked as Grafana shows it (legacy rows upgraded, defaults, library panels).
  const model = d.imported && needsMigration(d.model) ? migratedForValidation(d.model, d.libraryPanels) : d.model;
  const problems: Problem[] = [...uidProblems(d.declaredUid, model, where)];
  const title = typeof model.title === "string" && model.title.trim() !== "" ? model.title : typeof d.declaredTitle === "string" ? d.declaredTitle.trim() : "";
  if (!title) problems.push({ where, message: "dashboard has no title", fix: "set title" });
  problems.push(...schemaProblems(model, d.strict, where));
  const panels = Array.isArray(model.panels) ? model.panels : undefined;
  // Grafana places a panel without gridPos and reflows overlaps (react-grid-layout's
  // vertical compaction): only the dashboards built here must lay out exactly.
  if (!d.imported) {
    problems.push(...layoutProblems(panels, where));
    problems.push(...builtPanelIdProblems(panels, where));
  }

  const s: Scope = { where, uid: d.uid, vars: dashboardVariables(model), resolver: d.resolver, problems };
  checkText(s, where, "title", model.title);
  const list = model.templating?.list;
  if (Array.isArray(list)) list.forEach((v, i) => checkVariable(s, v, i));
  if (Array.isArray(model.panels)) model.panels.forEach((p, i) => checkPanel(s, p, i, ""));
  checkAnnotations(s, model);
  return d.imported ? collapseRepeats(problems, where) : problems;
}
