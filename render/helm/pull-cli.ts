/**
 * npm run chart:pull -- [--stack <name> ...]   (usage: build/commands.js)
 *
 * Makes the chart each stack pins available to the render and the tests: GRAFANA_CHART,
 * the reference copy in ../shared, the cache, or `helm pull` into the cache (the
 * pull-request workflow runs this once before the tests). Exits 1 when a chart cannot be had.
 */
import { listOption, ParsedArgs, runAsCli } from "../../lib/cli";
import { withSecretPlaceholders } from "../placeholders";
import { committedStacks, loadStackConfig, settingsFor } from "../stack-config";
import { helmTools } from "./tools";

export async function main(args: ParsedArgs): Promise<number> {
  const given = listOption(args, "stack");
  let failed = 0;
  for (const stack of given.length > 0 ? [...new Set(given)] : committedStacks()) {
    const chart = settingsFor(stack, withSecretPlaceholders(stack, loadStackConfig(stack)).config).deployment?.chart;
    if (!chart) {
      process.stdout.write(`- ${stack}: deploys no chart\n`);
      continue;
    }
    const tools = await helmTools(chart);
    if (tools.found) {
      process.stdout.write(`✓ ${stack}: ${chart.name} ${chart.version} from ${tools.found.chart.source} (${tools.found.chart.path}); Helm ${tools.found.helm.version} from ${tools.found.helm.source}\n`);
    } else {
      failed++;
      process.stderr.write(`✗ ${stack}: ${tools.problem}\n`);
    }
  }
  return failed === 0 ? 0 : 1;
}

if (require.main === module) runAsCli("chart:pull", main);
