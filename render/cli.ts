/**
 * npm run render -- --stack <name> [--stack <name> ...] [--out <dir>]
 *
 * Renders each stack offline (no cluster, no Pulumi CLI, no credentials) to
 * out/<stack>/ and prints a summary of its resources. Bad input prints the validation
 * report and exits 1.
 */
import { InputError } from "../lib/errors";
import { fromRoot } from "../lib/paths";
import { renderStack } from "./render";
import { committedStacks } from "./stack-config";

export function parseArgs(argv: readonly string[]): { stacks: string[]; outRoot: string } {
  const stacks: string[] = [];
  let outRoot = fromRoot("out");
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--stack" || arg === "-s") stacks.push(...(argv[++i] ?? "").split(",").filter(Boolean));
    else if (arg.startsWith("--stack=")) stacks.push(...arg.slice("--stack=".length).split(",").filter(Boolean));
    else if (arg === "--out") outRoot = argv[++i] ?? outRoot;
    else throw new InputError("Bad arguments", [{ where: arg, message: "unknown argument", fix: "use --stack <name> [--out <dir>]" }]);
  }
  return { stacks: stacks.length > 0 ? stacks : committedStacks(), outRoot };
}

/** A progress line that rewrites itself on a terminal and stays quiet in logs. */
function progress(): { update: (message: string) => void; done: () => void } {
  const tty = process.stderr.isTTY;
  let last = "";
  return {
    update: (message) => {
      if (tty) process.stderr.write(`\r\x1b[K${message}`);
      else if (message.split(":")[0] !== last) process.stderr.write(`${message}\n`);
      last = message.split(":")[0];
    },
    done: () => {
      if (tty) process.stderr.write("\r\x1b[K");
    },
  };
}

async function main(): Promise<number> {
  const { stacks, outRoot } = parseArgs(process.argv.slice(2));
  let failed = 0;
  for (const stack of stacks) {
    const bar = progress();
    const started = Date.now();
    const result = await renderStack(stack, { outRoot, onProgress: bar.update });
    bar.done();
    if (result.error) {
      failed++;
      const message = result.error instanceof Error ? result.error.message : String(result.error);
      process.stderr.write(`\n✗ ${stack}: ${message}\n`);
      if (!(result.error instanceof InputError) && result.error instanceof Error) process.stderr.write(`${result.error.stack}\n`);
      continue;
    }
    process.stdout.write(`${result.summary}\n`);
    process.stdout.write(`✓ ${stack}: ${result.files.length} files in ${result.outDir} (${Date.now() - started} ms)\n\n`);
  }
  return failed === 0 ? 0 : 1;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}
