/** Shared by the validation tests: fixtures and an exact-problem assertion. */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import { GrafanaRuleGroup } from "../../alerts/types";
import { DashboardModel, DashboardSpec, PanelModel, TargetModel } from "../../dashboards/types";
import { Problem } from "../../lib/errors";
import { fromRoot } from "../../lib/paths";

export function fixture<T>(name: string): T {
  return JSON.parse(fs.readFileSync(fromRoot("tests", "fixtures", "validation", name), "utf8")) as T;
}

/** A fresh copy of the valid dashboard fixture as a built dashboard's spec. */
export function validDashboard(source = "dashboards/overview.ts"): DashboardSpec {
  const model = fixture<DashboardModel>("dashboard-valid.json");
  return { uid: String(model.uid), title: String(model.title), folderUid: "churn", source, model };
}

export function importedDashboard(source = "dashboards/platform/node-exporter.json"): DashboardSpec {
  const model = fixture<DashboardModel>("dashboard-imported.json");
  return { uid: String(model.uid), title: String(model.title), folderUid: "platform", source, model };
}

export function validRuleGroup(): GrafanaRuleGroup {
  return fixture<GrafanaRuleGroup>("rule-group-valid.json");
}

/** The panel with this id, at top level or inside a row. */
export function panel(spec: DashboardSpec, id: number): PanelModel {
  const all = (spec.model.panels ?? []).flatMap((p) => [p, ...(p.panels ?? [])]);
  const found = all.find((p) => p.id === id);
  if (!found) throw new Error(`fixture has no panel ${id}`);
  return found;
}

/** First target of a panel. */
export function target(spec: DashboardSpec, panelId: number): TargetModel {
  const t = panel(spec, panelId).targets?.[0];
  if (!t) throw new Error(`panel ${panelId} has no target`);
  return t;
}

/** Sets a field to a value of the wrong type (what a schema check must catch). */
export function setRaw(object: object, key: string, value: unknown): void {
  (object as Record<string, unknown>)[key] = value;
}

export interface Expected {
  /** Exact `where`. */
  readonly where: string;
  /** Words the message must contain. */
  readonly words: readonly string[];
  /** Words the fix must contain. */
  readonly fix?: readonly string[];
}

const show = (problems: readonly Problem[]) => problems.map((p) => `\n    ${p.where}: ${p.message} [fix: ${p.fix ?? ""}]`).join("");

/** The problems are exactly the expected ones, in any order. */
export function assertProblems(problems: readonly Problem[], expected: readonly Expected[]): void {
  assert.equal(problems.length, expected.length, `expected ${expected.length} problem(s), got ${problems.length}:${show(problems)}`);
  const left = [...problems];
  for (const e of expected) {
    const i = left.findIndex(
      (p) => p.where === e.where && e.words.every((w) => p.message.includes(w)) && (e.fix ?? []).every((w) => (p.fix ?? "").includes(w)),
    );
    assert.ok(i >= 0, `no problem at\n    ${e.where}\n  with message words ${JSON.stringify(e.words)}${e.fix ? ` and fix words ${JSON.stringify(e.fix)}` : ""}; got:${show(problems)}`);
    left.splice(i, 1);
  }
}
