/** Runs the built `npm run pull` entry point (bin/pull/cli.js) as a user would, without the build step. */
import { execFile } from "node:child_process";
import { fromRoot } from "../../../lib/paths";
import { parseCommandLine, UsageError, usageText } from "../../../build/args";
import { COMMANDS } from "../../../build/commands";
import { main } from "../../../pull/cli";

export interface CliRun {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Asynchronous on purpose: the test's Grafana server answers from this process's event loop. */
export function runPullCli(args: readonly string[], env: NodeJS.ProcessEnv): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(process.execPath, [fromRoot("bin", "pull", "cli.js"), ...args], { env, cwd: fromRoot(), timeout: 60_000 }, (err, stdout, stderr) => {
      const code = err ? (err as { code?: unknown }).code : 0;
      resolve({ status: typeof code === "number" ? code : -1, stdout, stderr });
    });
  });
}

/** The environment of a user's shell, with only the variables a test sets about Grafana. */
export function cliEnv(extra: Readonly<Record<string, string>>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  if (!("GRAFANA_AUTH" in extra)) delete env.GRAFANA_AUTH;
  return env;
}

/**
 * The same command in this process (no Node start-up per run), its arguments parsed as
 * the CLI parses them (build/args.js runCli): what it printed and its exit status.
 */
export async function runPullInProcess(args: readonly string[], env: NodeJS.ProcessEnv): Promise<CliRun> {
  let parsed;
  try {
    parsed = parseCommandLine(COMMANDS.pull, args, fromRoot());
  } catch (err) {
    if (err instanceof UsageError) return { status: 2, stdout: "", stderr: `${err.message}\n` };
    throw err;
  }
  if (parsed.help) return { status: 0, stdout: usageText(COMMANDS.pull, fromRoot()), stderr: "" };
  let stdout = "";
  let stderr = "";
  const status = await main(parsed, env, { out: (t) => (stdout += t), err: (t) => (stderr += t) });
  return { status, stdout, stderr };
}
