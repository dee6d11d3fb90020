/**
 * Finding the Prometheus binaries, and the one skip policy of every test that needs them:
 * without them a test is skipped with install instructions, unless REQUIRE_PROMETHEUS=1
 * (set in CI), in which case it fails with the same instructions.
 */
import { findOnPath, isExecutable } from "../../../lib/executables";

export interface PrometheusBinaries {
  readonly prometheus: string;
  readonly promtool: string;
}

/** Environment variables read here. */
export const ENV = {
  /** "1": a missing Prometheus fails the tests instead of skipping them. */
  require: "REQUIRE_PROMETHEUS",
  /** Path of the prometheus binary (default: looked up on PATH). */
  prometheusBin: "PROMETHEUS_BIN",
  /** Path of the promtool binary (default: looked up on PATH). */
  promtoolBin: "PROMTOOL_BIN",
} as const;

export const INSTALL_COMMAND = "sudo apt-get update && sudo apt-get install -y prometheus";

function locate(name: string, override: string): { path?: string; looked: string } {
  const explicit = process.env[override];
  if (explicit) return { path: isExecutable(explicit) ? explicit : undefined, looked: `${override}=${explicit}` };
  return { path: findOnPath(name), looked: "PATH" };
}

/** The binaries, or a message saying what is missing and how to install it. */
export function findPrometheusBinaries(): { binaries?: PrometheusBinaries; problem?: string } {
  const prometheus = locate("prometheus", ENV.prometheusBin);
  const promtool = locate("promtool", ENV.promtoolBin);
  if (prometheus.path && promtool.path) return { binaries: { prometheus: prometheus.path, promtool: promtool.path } };
  const missing = [
    prometheus.path ? undefined : `prometheus (looked in ${prometheus.looked})`,
    promtool.path ? undefined : `promtool (looked in ${promtool.looked})`,
  ].filter(Boolean);
  return {
    problem:
      `Prometheus integration tests need ${missing.join(" and ")}. ` +
      `Install them with: ${INSTALL_COMMAND} ` +
      `(or point ${ENV.prometheusBin} / ${ENV.promtoolBin} at the binaries).`,
  };
}

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
