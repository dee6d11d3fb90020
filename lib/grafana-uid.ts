/**
 * Grafana's rule for folder and dashboard uids: letters, digits, '-' and '_', at most
 * 40 characters. The one place that states it: validation checks dashboard uids with it,
 * the importer checks sub-folder names (which become folder uids) with it.
 */
import { Problem } from "./errors";

export const UID_PATTERN = /^[A-Za-z0-9_-]+$/;
export const MAX_UID_LENGTH = 40;

/** What a uid may hold, for fixes. */
export const UID_RULE = `letters, digits, "-" and "_", at most ${MAX_UID_LENGTH} characters`;

/** Length and character problems of a non-empty uid; whether one is required is the caller's concern. */
export function uidFormatProblems(uid: string, where: string): Problem[] {
  const problems: Problem[] = [];
  if (uid.length > MAX_UID_LENGTH) {
    problems.push({
      where,
      message: `uid "${uid}" is ${uid.length} characters long; Grafana allows at most ${MAX_UID_LENGTH}`,
      fix: `shorten it to ${MAX_UID_LENGTH} characters or fewer`,
    });
  }
  if (!UID_PATTERN.test(uid)) {
    problems.push({ where, message: `uid "${uid}" may hold only letters, digits, "-" and "_"`, fix: "remove the other characters" });
  }
  return problems;
}
