/**
 * npm run pull -- [--dashboard <uid>]... [--folder <uid>]... [--alerts <folder-uid>]...
 *                 [--stack <name>] [--url <grafana>] [--dry-run] [--timeout <s>] [--root <dir>]
 *
 * Prints one line per dashboard or rule group; any failure is one line on stderr and a
 * non-zero exit status (1: the pull failed, 2: bad arguments).
 */
import { parseArgs } from "node:util";
import { InputError } from "../lib/errors";
import { projectRoot } from "../lib/paths";
import { AUTH_VARIABLE, resolveConnection } from "./credentials";
import { changesFiles, describeItem, PullItem } from "./files";
import { GrafanaApi, PullError } from "./grafana-api";

// The program's content (dashboards, stack config) loads only for a pull, not for --help or bad arguments.
const loadPull = () => (require("./index") as typeof import("./index")).pull;

export const HELP = `Pull what people edited in Grafana's UI back into code.

Usage: npm run pull -- [selection] [options]

Selection (at least one, each repeatable):
  --dashboard <uid>      a dashboard
  --folder <uid>         every dashboard in a folder and in its nested folders
  --alerts <folder-uid>  the folder's alert rules, as Grafana's export (alerts/rules/<folder-uid>/)

Options:
  --stack <name>     the stack whose program the content is compared with, and whose
                     grafanaApiUrl and admin credentials are used (default: dev, as npm run deploy)
  --url <grafana>    Grafana's root URL instead of the stack's; credentials from ${AUTH_VARIABLE}
  --dry-run          print what would change, write nothing
  --timeout <s>      seconds to wait for each answer from Grafana (default: 30)
  --root <dir>       the checkout to write into (default: this one)
  -h, --help         this text

Credentials come from ${AUTH_VARIABLE} (a service-account token or user:password), else from
the stack (pulumi stack output); never from the command line.

Drop-in dashboards are written to dashboards/<folder-uid>/<slug>.json, normalised like an
import; a dashboard built in TypeScript is never overwritten: what changed in Grafana goes
to out/pull/dashboards/<uid>.diff.json, panel by panel.`;

export interface CliOptions {
  readonly dashboards: string[];
  readonly folders: string[];
  readonly alerts: string[];
  readonly stack: string;
  readonly url?: string;
  readonly dryRun: boolean;
  readonly timeoutMs: number;
  readonly root: string;
  readonly help: boolean;
}

/** Bad arguments: exit status 2. */
export class UsageError extends Error {}

const CREDENTIAL_FLAG = /^--?(auth|token|password|pass|user|username|api-key|key)(=|$)/i;
const DEFAULT_TIMEOUT_SECONDS = 30;

export function parseCli(argv: readonly string[]): CliOptions {
  const credentialFlag = argv.find((a) => CREDENTIAL_FLAG.test(a));
  if (credentialFlag) {
    throw new UsageError(`${credentialFlag.split("=")[0]}: credentials are read from ${AUTH_VARIABLE} only (a command-line argument lands in shell history)`);
  }
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        dashboard: { type: "string", multiple: true },
        folder: { type: "string", multiple: true },
        alerts: { type: "string", multiple: true },
        stack: { type: "string", short: "s" },
        url: { type: "string" },
        "dry-run": { type: "boolean" },
        timeout: { type: "string" },
        root: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (err) {
    throw new UsageError((err as Error).message.split("\n")[0]);
  }
  const timeout = values.timeout === undefined ? DEFAULT_TIMEOUT_SECONDS : Number(values.timeout);
  if (!Number.isFinite(timeout) || timeout <= 0) throw new UsageError(`--timeout ${values.timeout}: expected a number of seconds above 0`);
  const options: CliOptions = {
    dashboards: values.dashboard ?? [],
    folders: values.folder ?? [],
    alerts: values.alerts ?? [],
    stack: values.stack ?? "dev",
    url: values.url,
    dryRun: values["dry-run"] ?? false,
    timeoutMs: Math.round(timeout * 1000),
    root: values.root ?? projectRoot(),
    help: values.help ?? false,
  };
  const empty = [...options.dashboards, ...options.folders, ...options.alerts].find((v) => v.trim() === "");
  if (empty !== undefined) throw new UsageError("an empty uid: --dashboard, --folder and --alerts each take a uid");
  if (!options.help && options.dashboards.length + options.folders.length + options.alerts.length === 0) {
    throw new UsageError("nothing to pull: name at least one --dashboard, --folder or --alerts");
  }
  return options;
}

/** One line for any failure; an InputError (bad stack config) is reduced to its first problem. */
export function oneLine(err: unknown): string {
  if (err instanceof InputError) {
    const p = err.problems[0];
    return p ? `${err.title}: ${p.where}: ${p.message}${p.fix ? ` (${p.fix})` : ""}` : err.title;
  }
  const message = err instanceof Error ? err.message : String(err);
  return message.split("\n")[0];
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

/** Where the CLI writes: the process's streams, or a test's buffers. */
export interface Output {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

const PROCESS_OUTPUT: Output = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) };

/** Runs the command; returns the exit status (0, 1: the pull failed, 2: bad arguments). */
export async function main(argv: readonly string[], env: NodeJS.ProcessEnv = process.env, io: Output = PROCESS_OUTPUT): Promise<number> {
  let options: CliOptions;
  try {
    options = parseCli(argv);
  } catch (err) {
    io.err(`pull: ${oneLine(err)}; see npm run pull -- --help\n`);
    return 2;
  }
  if (options.help) {
    io.out(`${HELP}\n`);
    return 0;
  }
  try {
    const connection = await resolveConnection({ url: options.url, stack: options.stack, timeoutMs: options.timeoutMs, env, projectDir: projectRoot() });
    io.out(`Pulling from ${connection.url} (compared with the ${options.stack} stack's program)${options.dryRun ? ", dry run" : ""}\n`);
    const items = await loadPull()(new GrafanaApi(connection), options);
    for (const item of items) io.out(`${describeItem(item, options.dryRun)}\n`);
    io.out(`${summary(items, options.dryRun)}\n`);
    return 0;
  } catch (err) {
    io.err(`pull: ${oneLine(err)}\n`);
    // A bug (not bad input, not Grafana, not the file system): its stack helps more than one line.
    const expected = err instanceof PullError || err instanceof InputError || (err as { code?: unknown }).code !== undefined;
    if (!expected && err instanceof Error) io.err(`${err.stack}\n`);
    return 1;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`pull: ${oneLine(err)}\n`);
      process.exit(1);
    },
  );
}
