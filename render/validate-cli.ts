/**
 * npm run validate [-- --stack <name> ...]   (usage: build/commands.js)
 *
 * Checks each stack exactly as the program does before registering anything: its
 * config, every dashboard (built and imported), every PromQL expression, every alert
 * rule and the Helm values. Prints every problem and exits 1 if there is any.
 */
import { describeError } from "../build/args";
import { planStack } from "../components/plan";
import { allPanels } from "../dashboards";
import { listOption, ParsedArgs, runAsCli } from "../lib/cli";
import { withSecretPlaceholders } from "./placeholders";
import { committedStacks, loadStackConfig, settingsFor } from "./stack-config";

export function validateStack(stack: string): string {
  const { config } = withSecretPlaceholders(stack, loadStackConfig(stack));
  const plan = planStack(settingsFor(stack, config));
  const panels = plan.dashboards.reduce((n, d) => n + allPanels(d.model).length, 0);
  const rules = plan.ruleGroups.reduce((n, g) => n + g.rules.length, 0);
  return `${plan.dashboards.length} dashboards (${panels} panels), ${rules} alert rules${plan.chartValues ? ", chart values" : ""}`;
}

export function main(args: ParsedArgs): number {
  const given = listOption(args, "stack");
  let failed = 0;
  for (const stack of given.length > 0 ? [...new Set(given)] : committedStacks()) {
    try {
      process.stdout.write(`✓ ${stack}: ${validateStack(stack)} are valid\n`);
    } catch (err) {
      failed++;
      process.stderr.write(`✗ ${stack}: ${describeError(err)}\n`);
    }
  }
  return failed === 0 ? 0 : 1;
}

if (require.main === module) runAsCli("validate", main);
