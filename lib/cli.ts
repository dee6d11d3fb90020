/**
 * The compiled CLIs' side of build/args.js: each CLI exports main(args) (which the
 * launcher, build/run.js, calls after building) and runs it with runAsCli when started
 * directly, so both ways answer --help and refuse bad arguments the same way.
 */
import { ParsedArgs, runCli } from "../build/args";
import { COMMANDS } from "../build/commands";
import { projectRoot } from "./paths";

export type { ParsedArgs };
export type CommandName = keyof typeof COMMANDS;

/** Runs `main` as this process's command, with the arguments it was started with. */
export function runAsCli(command: CommandName, main: (args: ParsedArgs) => number | Promise<number>): void {
  runCli(COMMANDS[command], main, projectRoot());
}

/** A repeatable option's values (empty when not given). */
export const listOption = (args: ParsedArgs, name: string): string[] => {
  const value = args.values[name];
  return Array.isArray(value) ? value : typeof value === "string" ? [value] : [];
};

export const stringOption = (args: ParsedArgs, name: string): string | undefined => {
  const value = args.values[name];
  return typeof value === "string" ? value : undefined;
};

export const flagOption = (args: ParsedArgs, name: string): boolean => args.values[name] === true;
