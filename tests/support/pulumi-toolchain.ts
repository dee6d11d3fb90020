/**
 * The real Pulumi CLI, built from its Go module by scripts/toolchain/build.sh, for the tests
 * that run it. The script also records, per piece the end-to-end suite needs, whether it was
 * built or what the Go module proxy answered (components.tsv in the toolchain's cache).
 *
 * Locally a missing CLI skips the suite with the command that builds it; REQUIRE_PULUMI_TOOLCHAIN=1
 * (set by .ci/run) builds it when missing and turns any failure to get it into a test failure.
 */
import { spawnSync, SpawnSyncReturns } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { fromRoot } from "../../lib/paths";
import { skipOrFail } from "./skip-policy";

export const REQUIRE_TOOLCHAIN = "REQUIRE_PULUMI_TOOLCHAIN";
export const BUILD_COMMAND = "bash scripts/toolchain/build.sh";

export type ComponentStatus = "built" | "refused" | "served" | "skipped";
export interface Component {
  readonly name: string;
  /** module@version */
  readonly module: string;
  readonly status: ComponentStatus;
  /** The binary's path, or the proxy's answer word for word, or why it was not attempted. */
  readonly detail: string;
}

export interface Toolchain {
  readonly dir: string;
  /** Folder holding the `pulumi` binary (goes first on PATH). */
  readonly binDir: string;
  readonly components: ReadonlyMap<string, Component>;
}

function readComponents(dir: string): Map<string, Component> {
  const lines = fs.readFileSync(path.join(dir, "components.tsv"), "utf8").split("\n").filter(Boolean);
  return new Map(
    lines.map((line) => {
      const [name, module, status, detail] = line.split("\t");
      return [name, { name, module, status: status as ComponentStatus, detail }];
    }),
  );
}

/**
 * For a `before` hook: the toolchain, or the suite skipped (locally) / failed (CI) with why.
 * Building cold takes minutes (docs/testing.md), so only REQUIRE_PULUMI_TOOLCHAIN builds.
 */
export function requireToolchain(ctx: Mocha.Context): Toolchain {
  const required = process.env[REQUIRE_TOOLCHAIN] === "1";
  if (required) ctx.timeout(60 * 60 * 1000);
  const run = spawnSync("bash", [fromRoot("scripts", "toolchain", "build.sh"), ...(required ? [] : ["--cached-only"])], {
    cwd: fromRoot(),
    encoding: "utf8",
  });
  if (run.status === 0) {
    const dir = run.stdout.trim().split("\n").pop() ?? "";
    return { dir, binDir: path.join(dir, "bin"), components: readComponents(dir) };
  }
  const why = (run.stderr || run.error?.message || `exit ${run.status}`).trim();
  return skipOrFail(ctx, { message: `The Pulumi CLI built from source is not available: ${why}\nBuild it with: ${BUILD_COMMAND}`, variable: REQUIRE_TOOLCHAIN });
}

/** An environment for the real CLI: its own PULUMI_HOME, no plugin downloads, no update check. */
export function cliEnv(toolchain: Toolchain, home: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: `${toolchain.binDir}${path.delimiter}${process.env.PATH ?? ""}`,
    PULUMI_HOME: home,
    PULUMI_SKIP_UPDATE_CHECK: "true",
    // The CLI would otherwise try to download a missing plugin from the internet.
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    ...extra,
  };
  // Whatever the developer's shell points at must not leak into a test's stack.
  for (const name of ["PULUMI_BACKEND_URL", "PULUMI_ACCESS_TOKEN", "PULUMI_CONFIG_PASSPHRASE_FILE", "KUBECONFIG"]) {
    if (!(name in extra)) delete env[name];
  }
  return env;
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** stdout and stderr of a finished command, for assertion messages. */
export function transcript(run: SpawnSyncReturns<string>): string {
  return `exit ${run.status}\n--- stdout\n${run.stdout}\n--- stderr\n${run.stderr}`;
}

/** What the toolchain could not obtain, one line per piece with the recorded answer (for a suite's header). */
export function unobtainable(toolchain: Toolchain): string[] {
  return [...toolchain.components.values()]
    .filter((piece) => piece.status === "refused" || piece.status === "skipped")
    .map((piece) => `${piece.name} (${piece.module}): ${piece.status}: ${piece.detail}`);
}

/**
 * For a test of a part that needs pieces the Go module proxy does not serve: reported as
 * pending (the suite's header prints why). Once a piece is served (or built), the part is no
 * longer blocked and this fails, so the skip cannot outlive its reason.
 */
export function blockedBy(ctx: Mocha.Context, toolchain: Toolchain, names: readonly string[]): never {
  for (const name of names) {
    const piece = toolchain.components.get(name);
    if (!piece) throw new Error(`scripts/toolchain/build.sh recorded nothing for ${name}`);
    if (piece.status === "built" || piece.status === "served") {
      throw new Error(`${name} (${piece.module}) is ${piece.status} now: this part of the suite can run, write it`);
    }
  }
  ctx.skip();
}
