/**
 * Where `npm run pull` reaches Grafana, and with which credentials:
 * - `--url <grafana>`: credentials from the GRAFANA_AUTH environment variable (a
 *   service-account token or `user:password`), never from a command-line argument, which
 *   would land in shell history and process listings;
 * - otherwise the stack's own outputs, read with the Pulumi CLI like `npm run pulumi -- stack
 *   output --json --show-secrets --stack <stack>` (components/stack.ts: grafanaApiUrl, adminUser, adminPassword),
 *   or, for a bring-your-own stack, its `grafanaAuth` secret. GRAFANA_AUTH, when set,
 *   takes precedence over the stack's credentials.
 * Credentials are never printed, not even in errors.
 */
import { execFile } from "node:child_process";
import * as path from "node:path";
import { promisify } from "node:util";
import { findOnPath } from "../lib/executables";
import { GrafanaConnection, PullError } from "./grafana-api";

const run = promisify(execFile);

export const AUTH_VARIABLE = "GRAFANA_AUTH";

export interface ConnectionOptions {
  readonly url?: string;
  readonly stack: string;
  readonly timeoutMs: number;
  readonly env: NodeJS.ProcessEnv;
  /** The project (holds Pulumi.yaml): where the Pulumi CLI runs. */
  readonly projectDir: string;
}

/** Checks a Grafana URL without ever echoing it when it holds credentials. */
export function grafanaUrl(raw: string, origin: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new PullError(`${origin} is not a URL: expected http(s)://host[:port][/sub-path]`);
  }
  if (url.username || url.password) {
    throw new PullError(`${origin} holds credentials: put them in ${AUTH_VARIABLE}, not in the URL`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new PullError(`${origin} must start with http:// or https://`);
  if (url.search || url.hash) throw new PullError(`${origin} must be Grafana's root URL, without ?query or #fragment`);
  return url.toString().replace(/\/+$/, "");
}

/** What scripts/pulumi-stack.sh prints on stderr before running the command (not an error). */
const STACK_BANNER = /^Stack \S+ on \S+$/;

/**
 * Runs a Pulumi CLI command on the stack the project's way, through scripts/pulumi.sh: the
 * same backend, stack and prod rules as `npm run pulumi` and `npm run deploy` (one place for
 * them: scripts/pulumi-stack.sh).
 */
async function pulumi(args: readonly string[], opts: ConnectionOptions): Promise<string> {
  // Found on the pull's own PATH: the child gets opts.env, whose PATH may lack a pulumi (or be empty).
  const bash = findOnPath("bash") ?? "/bin/bash";
  const script = path.join(opts.projectDir, "scripts", "pulumi.sh");
  const shown = `npm run pulumi -- ${args.slice(0, 2).join(" ")} --stack ${opts.stack}`;
  try {
    const { stdout } = await run(bash, [script, ...args], { cwd: opts.projectDir, env: opts.env, timeout: 120_000, maxBuffer: 16 * 1024 * 1024 });
    return stdout;
  } catch (err) {
    const e = err as { code?: unknown; stderr?: string; killed?: boolean };
    if (e.killed) throw new PullError(`${shown} did not finish within 120 s`);
    const first = (e.stderr ?? "").split("\n").map((l) => l.trim()).find((l) => l !== "" && !STACK_BANNER.test(l)) ?? `exit status ${String(e.code)}`;
    // Exit status 2: scripts/pulumi-stack.sh refused before the CLI ran (no such stack, prod without its backend, no CLI).
    if (e.code === 2) throw new PullError(`${first.slice(0, 300)} (it reads the ${opts.stack} stack's Grafana URL and credentials; or pass --url and set ${AUTH_VARIABLE})`);
    throw new PullError(`${shown} failed: ${first.slice(0, 300)}`);
  }
}

interface StackOutputs {
  readonly grafanaApiUrl?: unknown;
  readonly adminUser?: unknown;
  readonly adminPassword?: unknown;
}

/** The stack's Grafana URL and, unless `withAuth` is false, its credentials. */
async function fromStack(opts: ConnectionOptions, withAuth: boolean): Promise<{ url: string; auth?: string; authSource: string }> {
  let outputs: StackOutputs;
  try {
    outputs = JSON.parse(await pulumi(["stack", "output", "--json", "--show-secrets", "--stack", opts.stack], opts)) as StackOutputs;
  } catch (err) {
    if (err instanceof PullError) throw err;
    throw new PullError(`npm run pulumi -- stack output --stack ${opts.stack} did not print JSON`);
  }
  if (typeof outputs.grafanaApiUrl !== "string" || outputs.grafanaApiUrl === "") {
    throw new PullError(`the ${opts.stack} stack has no grafanaApiUrl output (deploy it first with npm run deploy -- ${opts.stack}), or pass --url`);
  }
  const url = grafanaUrl(outputs.grafanaApiUrl, `the ${opts.stack} stack's grafanaApiUrl`);
  if (!withAuth) return { url, authSource: AUTH_VARIABLE };
  if (typeof outputs.adminUser === "string" && typeof outputs.adminPassword === "string" && outputs.adminPassword !== "") {
    return { url, auth: `${outputs.adminUser}:${outputs.adminPassword}`, authSource: `the ${opts.stack} stack's admin credentials` };
  }
  // Bring-your-own Grafana: the stack holds the credentials as its grafanaAuth secret.
  const auth = (await pulumi(["config", "get", "grafanaAuth", "--stack", opts.stack], opts)).replace(/\r?\n$/, "");
  if (auth === "") throw new PullError(`the ${opts.stack} stack has neither admin credentials nor grafanaAuth: set ${AUTH_VARIABLE}`);
  return { url, auth, authSource: `the ${opts.stack} stack's grafanaAuth` };
}

export async function resolveConnection(opts: ConnectionOptions): Promise<GrafanaConnection> {
  const envAuth = opts.env[AUTH_VARIABLE];
  if (opts.url !== undefined) {
    const url = grafanaUrl(opts.url, "--url");
    if (envAuth === undefined || envAuth === "") {
      throw new PullError(
        `--url needs credentials in ${AUTH_VARIABLE} (a service-account token or user:password; "anonymous" for none); they are never taken from the command line`,
      );
    }
    return { url, auth: envAuth, authSource: AUTH_VARIABLE, timeoutMs: opts.timeoutMs };
  }
  if (envAuth) return { url: (await fromStack(opts, false)).url, auth: envAuth, authSource: AUTH_VARIABLE, timeoutMs: opts.timeoutMs };
  return { ...(await fromStack(opts, true)), timeoutMs: opts.timeoutMs };
}
