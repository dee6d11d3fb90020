/**
 * A zod parse failure of a content file as Problems, one per mistake: a misspelt key is
 * one "did you mean" (not an "unrecognized key" plus a second, misleading "expected one
 * of ..." for the required key it was meant to be).
 */
import type { z } from "zod";
import { Problem } from "./errors";
import { closest } from "./suggest";

type Path = readonly PropertyKey[];

const at = (value: unknown, path: Path): unknown =>
  path.reduce<unknown>((v, k) => (v !== null && typeof v === "object" ? (v as Record<PropertyKey, unknown>)[k] : undefined), value);
const isMissing = (input: unknown, path: Path): boolean => {
  const parent = at(input, path.slice(0, -1));
  return parent !== null && typeof parent === "object" && !Object.hasOwn(parent, path[path.length - 1]);
};
const same = (a: Path, b: Path) => a.length === b.length && a.every((k, i) => k === b[i]);

export interface ZodProblemOptions {
  /** How a path inside the file is named in `where` ("rule 2 field severity"). */
  readonly where: (path: Path) => string;
  /** The fix of a problem with no better one (e.g. where the format is described). */
  readonly fix: string;
  /** Keys the object at `path` may have, to suggest for a misspelt one that is not a missing required key. */
  readonly knownKeys?: (path: Path) => readonly string[];
}

export function zodProblems(error: z.ZodError, input: unknown, opts: ZodProblemOptions): Problem[] {
  const issues = error.issues;
  const missing = issues.filter((i) => i.code !== "unrecognized_keys" && i.path.length > 0 && isMissing(input, i.path));
  const explained = new Set<(typeof issues)[number]>();
  const problems: Problem[] = [];
  for (const issue of issues) {
    if (issue.code !== "unrecognized_keys") continue;
    for (const key of issue.keys) {
      const missingHere = missing.filter((m) => same(m.path.slice(0, -1), issue.path) && !explained.has(m));
      const meant = closest(key, missingHere.map((m) => String(m.path[m.path.length - 1])));
      if (meant !== undefined) {
        explained.add(missingHere.find((m) => String(m.path[m.path.length - 1]) === meant)!);
        problems.push({ where: opts.where([...issue.path, key]), message: `unknown key "${key}"`, fix: `did you mean "${meant}"?` });
        continue;
      }
      const guess = closest(key, opts.knownKeys?.(issue.path) ?? []);
      problems.push({ where: opts.where([...issue.path, key]), message: `unknown key "${key}"`, fix: guess ? `did you mean "${guess}"?` : `remove it (${opts.fix})` });
    }
  }
  for (const issue of issues) {
    if (issue.code === "unrecognized_keys" || explained.has(issue)) continue;
    const message = missing.includes(issue) ? `missing (${issue.message.replace(/^Invalid (input|option): /, "")})` : issue.message;
    problems.push({ where: opts.where(issue.path), message, fix: opts.fix });
  }
  return problems;
}
