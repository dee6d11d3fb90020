/**
 * The one skip policy of every test that needs Prometheus: without the binaries a test is
 * skipped with install instructions, unless REQUIRE_PROMETHEUS=1 (set in CI), in which
 * case it fails with the same instructions.
 */
import { ENV, findPrometheusBinaries, PrometheusBinaries } from "../../../lib/prometheus/binaries";
import { skipOrFail } from "../../support/skip-policy";

export { ENV, INSTALL_COMMAND, findPrometheusBinaries } from "../../../lib/prometheus/binaries";
export type { PrometheusBinaries } from "../../../lib/prometheus/binaries";

/**
 * Call first in a `before` hook (or test) that needs Prometheus, with mocha's `this`.
 * Returns the binaries; otherwise skips (prints why once) or, with REQUIRE_PROMETHEUS=1, throws.
 */
export function requirePrometheus(ctx: Mocha.Context): PrometheusBinaries {
  const { binaries, problem } = findPrometheusBinaries();
  if (binaries) return binaries;
  return skipOrFail(ctx, { message: `Prometheus is not installed: ${problem ?? "Prometheus not found"}`, variable: ENV.require });
}
