/**
 * One problem per real issue: a defect repeated across a dashboard's panels and targets
 * (the same undefined variable in twenty queries, the same unknown datasource on every
 * panel) is reported once, with the number of places, the first few of them, and one fix.
 */
import { Problem } from "../lib/errors";

/** Places listed by name in a collapsed problem; the rest are counted. */
const PLACES_SHOWN = 3;

/** The defect without the text it was found in (a query is quoted between backticks). */
const defectKey = (p: Problem): string => `${p.message.replace(/`[^`]*`/g, "``")}\u0000${p.fix ?? ""}`;

/**
 * `problems` (all of one dashboard, each `where` starting with `scope`) with repeats of
 * the same defect merged, in order of first occurrence.
 */
export function collapseRepeats(problems: readonly Problem[], scope: string): Problem[] {
  const groups = new Map<string, Problem[]>();
  for (const p of problems) {
    const key = defectKey(p);
    const group = groups.get(key);
    if (group) group.push(p);
    else groups.set(key, [p]);
  }
  return [...groups.values()].map((group) => {
    if (group.length === 1) return group[0];
    const [first] = group;
    const places = group.map((p) => (p.where.startsWith(`${scope}, `) ? p.where.slice(scope.length + 2) : p.where === scope ? "the dashboard" : p.where));
    const shown = places.slice(0, PLACES_SHOWN).join("; ");
    const more = places.length > PLACES_SHOWN ? ` and ${places.length - PLACES_SHOWN} more` : "";
    return { ...first, where: scope, message: `${first.message} (${group.length} places: ${shown}${more})` };
  });
}
