/**
 * The commands a fix text tells the user to run, spelt the project's way. A bare
 * `pulumi config set` reaches whichever backend and stack the user's shell last used (the CLI's
 * stored login and selected stack), so fixes name `npm run pulumi -- … --stack <stack>`, which
 * uses the project's backend and always names the stack (scripts/pulumi.sh; README: "Run every Pulumi
 * command through npm"). The CLI takes flags anywhere on its command line (cobra), so `--stack`
 * goes right after the subcommand.
 */
import { Problem } from "../lib/errors";

const BARE_CONFIG_COMMAND = /(?<!npm run pulumi -- )\bpulumi config (set|rm)\b/g;

/** `text` with each bare `pulumi config set|rm` turned into the project's command for `stack`. */
export function withStackCommands(text: string, stack: string): string {
  return text.replace(BARE_CONFIG_COMMAND, `npm run pulumi -- config $1 --stack ${stack}`);
}

/** The problem with its fix spelt for `stack`. */
export function problemForStack(problem: Problem, stack: string): Problem {
  return problem.fix === undefined ? problem : { ...problem, fix: withStackCommands(problem.fix, stack) };
}
