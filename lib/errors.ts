// The SDK's errors module alone: the build and the tools load it without the whole SDK.
import { RunError } from "@pulumi/pulumi/errors";

/** One thing wrong with the input, and where. */
export interface Problem {
  /** File, config key, dashboard/panel or rule the problem is in. */
  readonly where: string;
  readonly message: string;
  /** What to do about it. */
  readonly fix?: string;
  /** Set when the problem is only that this secret config key has no value (the offline render fills such gaps with placeholders). */
  readonly missingSecret?: string;
}

export function formatProblem(p: Problem): string {
  return `  - ${p.where}: ${p.message}${p.fix ? `\n      fix: ${p.fix}` : ""}`;
}

/**
 * Bad input found before anything was registered. A RunError, so Pulumi prints the
 * message without a stack trace and exits non-zero with nothing deployed.
 */
export class InputError extends RunError {
  constructor(
    readonly title: string,
    readonly problems: readonly Problem[],
  ) {
    super(
      `${title}: ${problems.length} problem${problems.length === 1 ? "" : "s"}; nothing was deployed.\n` +
        problems.map(formatProblem).join("\n"),
    );
    this.name = "InputError";
  }
}
