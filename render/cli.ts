/**
 * npm run render -- [--stack <name> ...] [--out <dir>]   (usage: build/commands.js)
 *
 * Renders each stack offline (no cluster, no Pulumi CLI, no credentials) to
 * <out>/<stack>/ and prints one line per stack; the full resource table is
 * <out>/<stack>/summary.md. Bad input prints the validation report, removes the stack's
 * earlier output (it must not pass for this render's) and exits 1.
 */
import * as path from "node:path";
import { flagOption, listOption, ParsedArgs, runAsCli, stringOption } from "../lib/cli";
import { describeError } from "../build/args";
import { fromRoot } from "../lib/paths";
import { RegisteredResource } from "./mock-engine";
import { renderStack } from "./render";
import { committedStacks } from "./stack-config";

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

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** "22 resources (4 dashboards, 5 alert rules)": what a reviewer checks first. */
export function resourceCounts(resources: readonly RegisteredResource[]): string {
  const dashboards = resources.filter((r) => r.type === "grafana:oss/dashboard:Dashboard").length;
  const rules = resources
    .filter((r) => r.type === "grafana:alerting/ruleGroup:RuleGroup")
    .reduce((n, g) => n + (Array.isArray(g.inputs.rules) ? g.inputs.rules.length : 0), 0);
  return `${plural(resources.length, "resource")} (${plural(dashboards, "dashboard")}, ${plural(rules, "alert rule")})`;
}

export async function main(args: ParsedArgs): Promise<number> {
  const given = listOption(args, "stack");
  const stacks = given.length > 0 ? [...new Set(given)] : committedStacks();
  const outRoot = path.resolve(stringOption(args, "out") ?? fromRoot("out"));
  let failed = 0;
  for (const stack of stacks) {
    const bar = progress();
    const started = Date.now();
    const result = await renderStack(stack, { outRoot, withData: flagOption(args, "with-data"), onProgress: bar.update });
    bar.done();
    const shown = path.relative(process.cwd(), result.outDir) || ".";
    if (result.error) {
      failed++;
      process.stderr.write(`✗ ${stack}: ${describeError(result.error)}\n`);
      if (result.removedStale) process.stderr.write(`  ${shown}/ removed: it held an earlier render of ${stack}\n`);
      continue;
    }
    // Without Helm or the chart (a failure under REQUIRE_HELM=1: render/render.ts).
    if (result.manifestsHint) process.stderr.write(`! ${stack}: ${result.manifestsHint}\n`);
    const secrets = result.placeholders.length > 0 ? `; placeholders for ${result.placeholders.join(", ")}` : "";
    process.stdout.write(
      `✓ ${stack}: ${resourceCounts(result.resources)} → ${shown}/ (${plural(result.files.length, "file")}; every resource in ${shown}/summary.md${secrets}) in ${Date.now() - started} ms\n`,
    );
  }
  return failed === 0 ? 0 : 1;
}

if (require.main === module) runAsCli("render", main);
