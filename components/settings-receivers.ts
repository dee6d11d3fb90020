/**
 * Config rules for the alert receivers: every stack routes its alerts to a contact point it
 * declares, and Slack is configured in a mode that does what its keys say.
 */
import { ConfigKey, ParsedConfig } from "./config-keys";
import { Problem } from "../lib/errors";

export interface ReceiverRule {
  /** Keys the rule reads: it is skipped when one of them failed on its own. */
  readonly keys: readonly ConfigKey[];
  readonly check: (c: ParsedConfig) => Omit<Problem, "where"> | undefined;
}

export const RECEIVER_RULES: readonly ReceiverRule[] = [
  {
    // The policy tree replaces Grafana's whole tree: its root needs a receiver the stack declares
    // (Grafana's built-in grafana-default-email has no address and no SMTP by default).
    keys: ["alertEmailEnabled", "alertSlackEnabled", "alertWebhookEnabled", "alertDemoReceiverUrl"],
    check: (c) =>
      !c.alertEmailEnabled && !c.alertSlackEnabled && !c.alertWebhookEnabled && !c.alertDemoReceiverUrl
        ? {
            message: "no alert receiver is enabled, so notifications would go nowhere (PagerDuty, when on, takes critical alerts only)",
            fix: "enable alertEmailEnabled, alertSlackEnabled or alertWebhookEnabled, or set alertDemoReceiverUrl (dev: the demo's receiver, docs/workload.md)",
          }
        : undefined,
  },
  {
    keys: ["alertSlackEnabled", "alertSlackWebhookUrl", "alertSlackToken"],
    check: (c) =>
      c.alertSlackEnabled && !c.alertSlackWebhookUrl && !c.alertSlackToken
        ? {
            message: "alertSlackEnabled is true but the secret alertSlackWebhookUrl is not set (nor alertSlackToken, for a bot)",
            fix: "pulumi config set --secret alertSlackWebhookUrl https://hooks.slack.com/services/... (or alertSlackToken xoxb-... with alertSlackChannel)",
            missingSecret: "alertSlackWebhookUrl",
          }
        : undefined,
  },
  {
    keys: ["alertSlackEnabled", "alertSlackWebhookUrl", "alertSlackToken"],
    check: (c) =>
      c.alertSlackEnabled && c.alertSlackWebhookUrl && c.alertSlackToken
        ? {
            message: "both alertSlackWebhookUrl and alertSlackToken are set: Grafana would post to the webhook and send the bot token along",
            fix: "keep one: pulumi config rm alertSlackToken (webhook) or pulumi config rm alertSlackWebhookUrl (bot)",
          }
        : undefined,
  },
  {
    // An incoming webhook posts to the channel it was created for; Slack ignores a channel in the payload.
    keys: ["alertSlackEnabled", "alertSlackToken", "alertSlackChannel"],
    check: (c) =>
      c.alertSlackEnabled && c.alertSlackChannel && !c.alertSlackToken
        ? {
            message: `alertSlackChannel ${c.alertSlackChannel} would be ignored: a Slack incoming webhook posts to the channel it was created for`,
            fix: "pulumi config rm alertSlackChannel (and create the webhook for that channel), or post as a bot: pulumi config set --secret alertSlackToken xoxb-...",
          }
        : undefined,
  },
  {
    // chat.postMessage needs a channel (Grafana refuses a token without a recipient).
    keys: ["alertSlackEnabled", "alertSlackToken", "alertSlackChannel"],
    check: (c) =>
      c.alertSlackEnabled && c.alertSlackToken && !c.alertSlackChannel
        ? { message: "alertSlackToken is set but alertSlackChannel is empty: a bot posts where it is told", fix: "pulumi config set alertSlackChannel '#churn-api-alerts' (invite the bot to that channel)" }
        : undefined,
  },
];
