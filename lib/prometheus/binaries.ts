/**
 * Finding the Prometheus binaries (Debian's `prometheus` package: server and promtool),
 * for the tests and the previews of `npm run render -- --with-data`.
 */
import { findOnPath, isExecutable } from "../executables";

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
      `This needs ${missing.join(" and ")}. ` +
      `Install them with: ${INSTALL_COMMAND} ` +
      `(or point ${ENV.prometheusBin} / ${ENV.promtoolBin} at the binaries).`,
  };
}
