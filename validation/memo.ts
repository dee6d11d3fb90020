/**
 * The own checks of a unit (a drop-in dashboard, a rule) remembered for the rest of the
 * process, by everything they depend on: `npm run validate` and the tests check every
 * stack, and every stack deploys the same drop-in files, so each is checked once.
 */
import { Problem } from "../lib/errors";

const LIMIT = 10_000;

export class CheckMemo {
  private readonly results = new Map<string, readonly Problem[]>();

  /** The problems `check` finds, computed once per `key` (which must capture every input of the check). */
  problems(key: string, check: () => readonly Problem[]): readonly Problem[] {
    const known = this.results.get(key);
    if (known) return known;
    const found = check();
    if (this.results.size >= LIMIT) this.results.clear();
    this.results.set(key, found);
    return found;
  }
}
