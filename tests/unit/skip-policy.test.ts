// The one skip policy (tests/support/skip-policy.ts): skipped locally with what to do, a
// failure wherever the requirement is enforced, so a skip never passes as a green CI run.
import * as assert from "node:assert/strict";
import { HELM_ENV } from "../../render/helm/tools";
import { skipOrFailWithoutHelm } from "../helm/support";
import { withEnv } from "../support/env";
import { Requirement, skipOrFail } from "../support/skip-policy";

/** A mocha context whose skip() is observable. */
function context(): { ctx: Mocha.Context; skipped: () => boolean } {
  let skipped = false;
  const ctx = { skip: () => { skipped = true; throw new Error("skipped"); } } as unknown as Mocha.Context;
  return { ctx, skipped: () => skipped };
}

/** What the policy does under `env`: "skip" (with the warning printed) or the failure's message. */
async function outcome(env: Record<string, string | undefined>, call: (ctx: Mocha.Context) => never): Promise<{ result: string; warning: string }> {
  const { ctx, skipped } = context();
  const warnings: string[] = [];
  const warn = console.warn;
  console.warn = (message: string) => warnings.push(message);
  try {
    return await withEnv(env, () => {
      try {
        call(ctx);
      } catch (err) {
        return { result: skipped() ? "skip" : (err as Error).message, warning: warnings.join("\n") };
      }
      return { result: "returned", warning: "" };
    });
  } finally {
    console.warn = warn;
  }
}

const VARIABLE = "REQUIRE_SKIP_POLICY_TEST";
const neither = { [VARIABLE]: undefined, CI: undefined };

describe("skip policy: skip locally, fail where required", () => {
  it("skips, saying what is missing and what makes it a failure, when nothing requires it", async () => {
    const requirement: Requirement = { message: "Widget not found: install it (skip test 1).", variable: VARIABLE, failUnderCi: true };
    const { result, warning } = await outcome(neither, (ctx) => skipOrFail(ctx, requirement));
    assert.equal(result, "skip");
    assert.match(warning, /SKIPPED: Widget not found: install it \(skip test 1\)\. \(REQUIRE_SKIP_POLICY_TEST=1 or CI makes this a failure; \.ci\/run sets it\.\)/);
  });

  it("fails under its variable, and under CI only where the requirement says so", async () => {
    const message = "Widget not found (skip test 2).";
    const cases: [Requirement, Record<string, string | undefined>, string][] = [
      [{ message, variable: VARIABLE }, { [VARIABLE]: "1", CI: undefined }, `${VARIABLE}=1 is set, so this is a failure: ${message}`],
      [{ message, variable: VARIABLE }, { [VARIABLE]: undefined, CI: "true" }, "skip"],
      [{ message, failUnderCi: true }, { CI: "true" }, `CI is set, so this is a failure: ${message}`],
      [{ message, failUnderCi: true }, { CI: "false" }, "skip"],
    ];
    for (const [requirement, env, expected] of cases) {
      assert.equal((await outcome(env, (ctx) => skipOrFail(ctx, requirement))).result, expected, JSON.stringify({ requirement, env }));
    }
  });

  it("Helm: says how to provide Helm and the chart; fails under REQUIRE_HELM=1 or CI", async () => {
    const skipped = await outcome({ [HELM_ENV.require]: undefined, CI: undefined }, (ctx) => skipOrFailWithoutHelm(ctx, "no helm (test)"));
    assert.equal(skipped.result, "skip");
    assert.match(skipped.warning, /SKIPPED: Kubernetes manifests not rendered: no helm \(test\)\. Provide Helm .* \(REQUIRE_HELM=1 or CI makes this a failure/);
    for (const env of [{ [HELM_ENV.require]: "1", CI: undefined }, { [HELM_ENV.require]: undefined, CI: "true" }]) {
      assert.match((await outcome(env, (ctx) => skipOrFailWithoutHelm(ctx, "no helm"))).result, /is set, so this is a failure: Kubernetes manifests not rendered: no helm/);
    }
  });
});
