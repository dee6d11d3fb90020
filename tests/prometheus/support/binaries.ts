/**
 * The one skip policy of every test that needs Prometheus: without the binaries a test is
 * skipped with install instructions, unless REQUIRE_PROMETHEUS=1 (set in CI), in which
 * case it fails with the same instructions.
 */
import { ENV, findPrometheusBinaries, PrometheusBinaries } from "../../../lib/prometheus/binaries";

export { ENV, INSTALL_COMMAND, findPrometheusBinaries } from "../../../lib/prometheus/binaries";
export type { PrometheusBinaries } from "../../../lib/prometheus/binaries";

const warned = new Set<string>();

/**
 * Call first in a `before` hook (or test) that needs Prometheus, with mocha's `this`.
 * Returns the binaries; otherwise skips (prints why once) or, with REQUIRE_PROMETHEUS=1, throws.
 */
export function requirePrometheus(ctx: Mocha.Context): PrometheusBinaries {
  const { binaries, problem } = findPrometheusBinaries();
  if (binaries) return binaries;
  const message = problem ?? "Prometheus not found";
  if (process.env[ENV.require] === "1") {
    throw new Error(`${ENV.require}=1 but Prometheus is not installed. ${message}`);
  }
  if (!warned.has(message)) {
    warned.add(message);
    console.warn(`\n  SKIPPED: ${message} Set ${ENV.require}=1 to make this a failure (CI does).\n`);
  }
  return ctx.skip();
}
