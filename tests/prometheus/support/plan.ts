/**
 * A stack's plan (dashboards, alerts, rule groups) exactly as `npm run validate` computes
 * it, pointed at the test Prometheus' namespace. Synchronous, so mocha can generate one
 * test per panel target or alert at describe time.
 */
import { planStack, StackPlan } from "../../../components/plan";
import { withSecretPlaceholders } from "../../../render/placeholders";
import { loadStackConfig, settingsFor } from "../../../render/stack-config";

/** The namespace label the test Prometheus gives the churn API (see prometheus.ts). */
export const TEST_NAMESPACE = "churn-api";

const plans = new Map<string, StackPlan>();

/** The plan of `stack` (dev, prod) with churnApiNamespace = the test namespace; cached. */
export function testStackPlan(stack: string, churnApiNamespace = TEST_NAMESPACE): StackPlan {
  const key = `${stack}\u0000${churnApiNamespace}`;
  let plan = plans.get(key);
  if (!plan) {
    const { config } = withSecretPlaceholders(stack, loadStackConfig(stack, { overrides: { churnApiNamespace } }));
    plan = planStack(settingsFor(stack, config));
    plans.set(key, plan);
  }
  return plan;
}
