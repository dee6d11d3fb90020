/**
 * The one skip policy of tests that need something this machine may lack (Prometheus, Helm
 * and the chart, Go, the Pulumi CLI built from source, ../shared): locally they are skipped
 * with what to do, printed once; where the requirement is set they fail with the same
 * message, so a skipped check never passes as a green run. .ci/run sets every REQUIRE_*
 * variable and CI; GitHub Actions sets CI.
 */

export interface Requirement {
  /** What is missing and how to provide it (one sentence or more). */
  readonly message: string;
  /** The variable whose value 1 turns the skip into a failure (REQUIRE_HELM...). */
  readonly variable?: string;
  /** Also fail wherever CI is set (tests of data that CI always has). */
  readonly failUnderCi?: boolean;
}

const warned = new Set<string>();

const ciSet = (): boolean => {
  const ci = process.env.CI;
  return ci !== undefined && ci !== "" && ci !== "false" && ci !== "0";
};

/** What makes the requirement a failure here, if anything: `REQUIRE_HELM=1`, `CI`. */
function enforcedBy(r: Requirement): string | undefined {
  if (r.variable && process.env[r.variable] === "1") return `${r.variable}=1`;
  if (r.failUnderCi && ciSet()) return "CI";
  return undefined;
}

/** Skips the calling test or hook (mocha's `this`), or throws where the requirement is enforced. */
export function skipOrFail(ctx: Mocha.Context, requirement: Requirement): never {
  const by = enforcedBy(requirement);
  if (by) throw new Error(`${by} is set, so this is a failure: ${requirement.message}`);
  if (!warned.has(requirement.message)) {
    warned.add(requirement.message);
    const enforcers = [requirement.variable && `${requirement.variable}=1`, requirement.failUnderCi && "CI"].filter(Boolean).join(" or ");
    console.warn(`\n  SKIPPED: ${requirement.message} (${enforcers} makes this a failure; .ci/run sets it.)\n`);
  }
  ctx.skip();
  // mocha's skip() throws; this line is never reached.
  throw new Error("skipped");
}
