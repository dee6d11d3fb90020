/**
 * Notification design, as data: the message template, contact point names and the
 * policy tree that routes by the `severity` label. Pure; components/alerting.ts turns
 * it into provider resources.
 */
import { Severity } from "./types";

export const TEMPLATE_NAME = "churn-api";
export const TITLE_TEMPLATE = `{{ template "churn-api.title" . }}`;
export const MESSAGE_TEMPLATE = `{{ template "churn-api.message" . }}`;

/** Grafana notification template (Go templates); the contact points call both definitions. */
export const MESSAGE_TEMPLATE_BODY = `{{ define "churn-api.title" -}}
[{{ .Status | toUpper }}{{ if eq .Status "firing" }}:{{ .Alerts.Firing | len }}{{ end }}] {{ .CommonLabels.alertname }}{{ if .CommonLabels.namespace }} ({{ .CommonLabels.namespace }}){{ end }}
{{- end }}

{{ define "churn-api.message" -}}
{{ range .Alerts -}}
{{ if eq .Status "firing" }}FIRING{{ else }}RESOLVED{{ end }} [{{ .Labels.severity }}] {{ .Annotations.summary }}
{{ .Annotations.description }}
Runbook: {{ .Annotations.runbook_url }}
{{ if .DashboardURL }}Dashboard: {{ .DashboardURL }}
{{ end }}{{ if .PanelURL }}Panel: {{ .PanelURL }}
{{ end }}
{{ end -}}
{{- end }}
`;

export const CONTACT_POINT = {
  /** Chat, email, webhooks and the demo's receiver: every alert; the policy tree's root. */
  notifications: "churn-api-notifications",
  /** Paging: critical alerts. */
  paging: "churn-api-paging",
} as const;

export const MUTE_TIMING_NAME = "churn-api-maintenance-window";

export const POLICY_TIMINGS = {
  /** Wait for related alerts before the first notification of a group. */
  groupWait: "30s",
  /** Minimum time between notifications about changes in a group. */
  groupInterval: "5m",
  /** Re-send a still-firing group. */
  repeatInterval: { critical: "1h", warning: "4h" },
} as const;

export const GROUP_BY = ["alertname", "namespace"] as const;

export interface Route {
  readonly severity: Severity;
  readonly contactPoint: string;
  /** Keep matching later routes too (critical goes to paging AND chat). */
  readonly continue: boolean;
  readonly repeatInterval: string;
}

/**
 * Routes by severity: critical -> paging (and chat), warning -> chat/email. Without a
 * paging receiver, critical alerts go to chat. The root, and everything unmatched, goes to
 * the stack's own notification contact point (every stack declares one: config refuses a
 * stack without a receiver).
 */
export function severityRoutes(receivers: { readonly paging: boolean }): {
  readonly root: string;
  readonly routes: readonly Route[];
} {
  const chat = CONTACT_POINT.notifications;
  const routes: Route[] = [];
  if (receivers.paging) {
    routes.push({ severity: "critical", contactPoint: CONTACT_POINT.paging, continue: true, repeatInterval: POLICY_TIMINGS.repeatInterval.critical });
  }
  routes.push({ severity: "critical", contactPoint: chat, continue: false, repeatInterval: POLICY_TIMINGS.repeatInterval.critical });
  routes.push({ severity: "warning", contactPoint: chat, continue: false, repeatInterval: POLICY_TIMINGS.repeatInterval.warning });
  return { root: chat, routes };
}
