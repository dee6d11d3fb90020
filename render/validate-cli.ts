/**
 * npm run validate [-- --stack <name> ...]
 *
 * Checks each stack exactly as the program does before registering anything: its
 * config, every dashboard (built and imported), every PromQL expression, every alert
 * rule and the Helm values. Prints every problem and exits 1 if there is any.
 */
import { planStack } from "../components/plan";
import { allPanels } from "../dashboards";
import { InputError } from "../lib/errors";
import { parseArgs } from "./cli";
import { withSecretPlaceholders } from "./placeholders";
import { loadStackConfig, settingsFor } from "./stack-config";

export function validateStack(stack: string): string {
  const { config } = withSecretPlaceholders(stack, loadStackConfig(stack));
  const plan = planStack(settingsFor(stack, config));
  const panels = plan.dashboards.reduce((n, d) => n + allPanels(d.model).length, 0);
  const rules = plan.ruleGroups.reduce((n, g) => n + g.rules.length, 0);
  return `${plan.dashboards.length} dashboards (${panels} panels), ${rules} alert rules${plan.chartValues ? ", chart values" : ""}`;
}

if (require.main === module) {
  let failed = 0;
  for (const stack of parseArgs(process.argv.slice(2)).stacks) {
    try {
      process.stdout.write(`✓ ${stack}: ${validateStack(stack)} are valid\n`);
    } catch (err) {
      failed++;
      process.stderr.write(`✗ ${stack}: ${err instanceof InputError ? err.message : String(err)}\n`);
      if (!(err instanceof InputError) && err instanceof Error) process.stderr.write(`${err.stack}\n`);
    }
  }
  process.exit(failed === 0 ? 0 : 1);
}
