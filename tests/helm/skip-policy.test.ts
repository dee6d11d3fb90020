import * as assert from "node:assert/strict";
import { HELM_ENV } from "../../render/helm/tools";
import { withEnv } from "../support/env";
import { skipOrFail } from "./support";

/** A mocha context whose skip() is observable. */
function context(): { ctx: Mocha.Context; skipped: () => boolean } {
  let skipped = false;
  const ctx = { skip: () => { skipped = true; throw new Error("skipped"); } } as unknown as Mocha.Context;
  return { ctx, skipped: () => skipped };
}

describe("Helm tests: skip locally, fail in CI", () => {
  it("skip with how to provide Helm and the chart when neither REQUIRE_HELM nor CI is set", async () => {
    const { ctx, skipped } = context();
    const warnings: string[] = [];
    const warn = console.warn;
    console.warn = (message: string) => warnings.push(message);
    try {
      await withEnv({ [HELM_ENV.require]: undefined, CI: undefined }, () => assert.throws(() => skipOrFail(ctx, "no helm (test)"), /skipped/));
    } finally {
      console.warn = warn;
    }
    assert.ok(skipped());
    assert.match(warnings.join("\n"), /SKIPPED: Kubernetes manifests not rendered: no helm \(test\)\. Provide Helm .* Set REQUIRE_HELM=1/);
  });

  for (const env of [{ [HELM_ENV.require]: "1", CI: undefined }, { [HELM_ENV.require]: undefined, CI: "true" }]) {
    it(`fail with ${Object.entries(env).filter(([, v]) => v).map(([k, v]) => `${k}=${v}`).join("")}`, async () => {
      const { ctx, skipped } = context();
      await withEnv(env, () => assert.throws(() => skipOrFail(ctx, "no helm"), /this is a failure: Kubernetes manifests not rendered: no helm/));
      assert.ok(!skipped());
    });
  }
});
