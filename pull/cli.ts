/**
 * npm run pull -- [--dashboard <uid>]... [--folder <uid>]... [--alerts <folder-uid>]...
 *                 [--stack <name>] [--url <grafana>] [--dry-run] [--timeout <s>] [--root <dir>]
 * (usage: build/commands.js)
 *
 * Prints one line per dashboard or rule group; any failure is one line on stderr and a
 * non-zero exit status (1: the pull failed, 2: bad arguments).
 */
import { describeError } from "../build/args";
import { InputError } from "../lib/errors";
import { flagOption, listOption, ParsedArgs, runAsCli, stringOption } from "../lib/cli";
import { projectRoot } from "../lib/paths";
import { resolveConnection } from "./credentials";
import { changesFiles, describeItem, PullItem } from "./files";
import { GrafanaApi, PullError } from "./grafana-api";
import type { PullOptions } from "./index";

// The program's content (dashboards, stack config) loads only for a pull, not for bad arguments.
const loadPull = () => (require("./index") as typeof import("./index")).pull;

export interface PullCommand extends PullOptions {
  readonly url?: string;
  readonly timeoutMs: number;
}

const DEFAULT_STACK = "dev";
const DEFAULT_TIMEOUT_SECONDS = 30;

/** A mistake the argument spec cannot see: one line, exit status 2. */
class ArgumentError extends Error {}

/** The command from parsed arguments (build/args.js has checked the options and the stack). */
export function pullCommand(args: ParsedArgs): PullCommand {
  const timeoutText = stringOption(args, "timeout");
  const timeout = timeoutText === undefined ? DEFAULT_TIMEOUT_SECONDS : Number(timeoutText);
  if (!Number.isFinite(timeout) || timeout <= 0) throw new ArgumentError(`--timeout ${timeoutText}: expected a number of seconds above 0`);
  const command: PullCommand = {
    dashboards: listOption(args, "dashboard"),
    folders: listOption(args, "folder"),
    alerts: listOption(args, "alerts"),
    stack: stringOption(args, "stack") ?? DEFAULT_STACK,
    url: stringOption(args, "url"),
    dryRun: flagOption(args, "dry-run"),
    timeoutMs: Math.round(timeout * 1000),
    root: stringOption(args, "root") ?? projectRoot(),
  };
  if (command.dashboards.length + command.folders.length + command.alerts.length === 0) {
    throw new ArgumentError("nothing to pull: name at least one --dashboard, --folder or --alerts");
  }
  return command;
}

/** One line for any failure; an InputError (bad stack config) is reduced to its first problem. */
export function oneLine(err: unknown): string {
  if (err instanceof InputError) {
    const p = err.problems[0];
    return p ? `${err.title}: ${p.where}: ${p.message}${p.fix ? ` (${p.fix})` : ""}` : err.title;
  }
  // Grafana, bad input, the file system: one line; a bug keeps its stack.
  const expected = err instanceof PullError || (err as { code?: unknown }).code !== undefined;
  return expected ? (err as Error).message.split("\n")[0] : describeError(err);
}

export function summary(items: readonly PullItem[], dryRun: boolean): string {
  const changing = items.filter(changesFiles);
  const built = items.filter((i) => i.outcome === "built-changed");
  const lines: string[] = [];
  if (changing.length === 0) lines.push("Nothing to write: every file is up to date.");
  else lines.push(`${changing.length} item${changing.length === 1 ? "" : "s"} ${dryRun ? "would change" : "changed"} files${dryRun ? " (dry run: nothing written)" : ""}.`);
  if (built.length > 0) {
    lines.push(`${built.length} dashboard${built.length === 1 ? "" : "s"} built in TypeScript changed in Grafana: port the diff to the module, or the next pulumi up overwrites the change.`);
  }
  return lines.join("\n");
}

/** Where the command writes: the process's streams, or a test's buffers. */
export interface Output {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

const PROCESS_OUTPUT: Output = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) };

/** Runs the command; returns the exit status (0, 1: the pull failed, 2: bad arguments). */
export async function main(args: ParsedArgs, env: NodeJS.ProcessEnv = process.env, io: Output = PROCESS_OUTPUT): Promise<number> {
  let command: PullCommand;
  try {
    command = pullCommand(args);
  } catch (err) {
    if (!(err instanceof ArgumentError)) throw err;
    io.err(`npm run pull: ${err.message} (see npm run pull -- --help)\n`);
    return 2;
  }
  try {
    const connection = await resolveConnection({ url: command.url, stack: command.stack, timeoutMs: command.timeoutMs, env, projectDir: projectRoot() });
    io.out(`Pulling from ${connection.url} (compared with the ${command.stack} stack's program)${command.dryRun ? ", dry run" : ""}\n`);
    const items = await loadPull()(new GrafanaApi(connection), command);
    for (const item of items) io.out(`${describeItem(item, command.dryRun)}\n`);
    io.out(`${summary(items, command.dryRun)}\n`);
    return 0;
  } catch (err) {
    io.err(`pull: ${oneLine(err)}\n`);
    return 1;
  }
}

if (require.main === module) runAsCli("pull", main);
