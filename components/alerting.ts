/**
 * Alerting: message template, contact points, mute timing, the notification policy
 * tree (one owner: it replaces Grafana's whole tree) and one rule group per folder.
 */
import * as pulumi from "@pulumi/pulumi";
// Sub-modules, not the package index, which sets up every Grafana resource type.
import * as alerting from "@pulumiverse/grafana/alerting";
import type * as oss from "@pulumiverse/grafana/oss";
import {
  CONTACT_POINT,
  GROUP_BY,
  MESSAGE_TEMPLATE,
  MESSAGE_TEMPLATE_BODY,
  MUTE_TIMING_NAME,
  POLICY_TIMINGS,
  severityRoutes,
  TEMPLATE_NAME,
  TITLE_TEMPLATE,
} from "../alerts/notifications";
import { GrafanaRuleGroup } from "../alerts/types";
import { AlertingSettings, ReceiverSettings, SlackSettings } from "./settings";

export interface AlertingArgs {
  readonly settings: AlertingSettings;
  readonly ruleGroups: readonly GrafanaRuleGroup[];
  /** Folder resources by uid: rule groups depend on them (and are deleted first). */
  readonly folders: ReadonlyMap<string, oss.Folder>;
}

/** Slack as Grafana's notifier takes it (grafana/alerting receivers/slack): a webhook URL, or a token and a recipient, never both. */
function slackIntegration(slack: SlackSettings): alerting.ContactPointArgs["slacks"] {
  const message = { title: TITLE_TEMPLATE, text: MESSAGE_TEMPLATE };
  return slack.mode === "webhook" ? [{ url: slack.webhookUrl, ...message }] : [{ token: slack.token, recipient: slack.channel, ...message }];
}

function notificationIntegrations(r: ReceiverSettings): alerting.ContactPointArgs {
  const webhooks = [r.webhook?.url, r.demoReceiver?.url].filter((url) => url !== undefined);
  if (!r.email && !r.slack && webhooks.length === 0) {
    // components/settings-receivers.ts refuses such a stack before anything is registered.
    throw new Error("no notification receiver: the policy tree's root would have no contact point");
  }
  return {
    name: CONTACT_POINT.notifications,
    emails: r.email ? [{ addresses: [...r.email.addresses], subject: TITLE_TEMPLATE, message: MESSAGE_TEMPLATE }] : undefined,
    slacks: r.slack ? slackIntegration(r.slack) : undefined,
    webhooks: webhooks.length > 0 ? webhooks.map((url) => ({ url, title: TITLE_TEMPLATE, message: MESSAGE_TEMPLATE })) : undefined,
  };
}

export class Alerting extends pulumi.ComponentResource {
  public readonly contactPoints: string[];

  constructor(name: string, args: AlertingArgs, opts?: pulumi.ComponentResourceOptions) {
    super("grafana-k8s:index:Alerting", name, {}, opts);
    const s = args.settings;
    const template = new alerting.MessageTemplate(
      "template-churn-api",
      { name: TEMPLATE_NAME, template: MESSAGE_TEMPLATE_BODY },
      { parent: this },
    );
    const contactPoints: alerting.ContactPoint[] = [];
    const contactPointNames: string[] = [];
    contactPoints.push(new alerting.ContactPoint("contact-point-notifications", notificationIntegrations(s.receivers), { parent: this, dependsOn: [template] }));
    contactPointNames.push(CONTACT_POINT.notifications);
    if (s.receivers.pagerduty) {
      contactPoints.push(
        new alerting.ContactPoint(
          "contact-point-paging",
          {
            name: CONTACT_POINT.paging,
            pagerduties: [
              {
                integrationKey: s.receivers.pagerduty.integrationKey,
                severity: "critical",
                class: "churn-api",
                component: "churn-api",
                summary: TITLE_TEMPLATE,
              },
            ],
          },
          { parent: this, dependsOn: [template] },
        ),
      );
      contactPointNames.push(CONTACT_POINT.paging);
    }
    const muteTimings: pulumi.Output<string>[] = [];
    if (s.maintenanceWindow) {
      const w = s.maintenanceWindow;
      const mute = new alerting.MuteTiming(
        "mute-timing-maintenance",
        {
          name: MUTE_TIMING_NAME,
          intervals: [{ weekdays: [...w.weekdays], times: [{ start: w.start, end: w.end }], location: w.timezone }],
        },
        { parent: this },
      );
      muteTimings.push(mute.name);
    }
    const { root, routes } = severityRoutes({ paging: Boolean(s.receivers.pagerduty) });
    new alerting.NotificationPolicy(
      "notification-policy",
      {
        contactPoint: root,
        groupBies: [...GROUP_BY],
        groupWait: POLICY_TIMINGS.groupWait,
        groupInterval: POLICY_TIMINGS.groupInterval,
        repeatInterval: POLICY_TIMINGS.repeatInterval.warning,
        policies: routes.map((r) => ({
          matchers: [{ label: "severity", match: "=", value: r.severity }],
          contactPoint: r.contactPoint,
          continue: r.continue,
          groupBies: [...GROUP_BY],
          repeatInterval: r.repeatInterval,
          muteTimings,
        })),
      },
      // The policy names contact points by string: they must exist first.
      { parent: this, dependsOn: contactPoints },
    );
    for (const group of args.ruleGroups) {
      const folder = args.folders.get(group.folderUid);
      new alerting.RuleGroup(
        `rule-group-${group.name}`,
        {
          name: group.name,
          folderUid: folder ? folder.uid : group.folderUid,
          intervalSeconds: group.intervalSeconds,
          rules: group.rules.map((rule) => ({
            ...rule,
            datas: rule.datas.map((d) => ({ ...d, relativeTimeRange: { ...d.relativeTimeRange } })),
            labels: { ...rule.labels },
            annotations: { ...rule.annotations },
          })),
        },
        { parent: this },
      );
    }
    this.contactPoints = contactPointNames;
    this.registerOutputs({ contactPoints: this.contactPoints });
  }
}
