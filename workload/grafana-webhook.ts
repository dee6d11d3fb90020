/**
 * The JSON body Grafana's webhook contact point posts, as its source defines it:
 * grafana/alerting receivers/webhook/v1/webhook.go (webhookMessage: the template data plus
 * version, groupKey, truncatedAlerts, orgId, title, state, message) and
 * templates/template_data.go (ExtendedData, ExtendedAlert); documented with an example at
 * https://grafana.com/docs/grafana/latest/alerting/configure-notifications/manage-contact-points/integrations/webhook-notifier/.
 *
 * `title` and `message` are the contact point's templates as Grafana rendered them (here:
 * alerts/notifications.ts). Fields Grafana adds in later releases are kept, not refused.
 * Go encodes a nil map as null, hence the nullable label maps.
 */
import { z } from "zod";

/** Go's map[string]string (alertmanager template.KV); nil encodes as null. */
const kv = z.record(z.string(), z.string()).nullable();
/** RFC 3339 as Go's time.Time marshals it; a zero time is 0001-01-01T00:00:00Z. */
const time = z.string().refine((t) => !Number.isNaN(Date.parse(t)), { error: "not an RFC 3339 time" });

export const GRAFANA_ALERT = z.looseObject({
  status: z.enum(["firing", "resolved"]),
  labels: kv,
  annotations: kv,
  startsAt: time,
  endsAt: time,
  generatorURL: z.string(),
  fingerprint: z.string(),
  silenceURL: z.string(),
  dashboardURL: z.string(),
  panelURL: z.string(),
  /** The rule's expression results by refId (map[string]float64); nil encodes as null. */
  values: z.record(z.string(), z.number()).nullable(),
  valueString: z.string(),
  imageURL: z.string().optional(),
  orgId: z.number().int().optional(),
});

export const GRAFANA_WEBHOOK = z.looseObject({
  receiver: z.string(),
  status: z.enum(["firing", "resolved"]),
  alerts: z.array(GRAFANA_ALERT),
  groupLabels: kv,
  commonLabels: kv,
  commonAnnotations: kv,
  externalURL: z.string(),
  /** The webhook protocol version: "1". */
  version: z.literal("1"),
  groupKey: z.string(),
  truncatedAlerts: z.number().int().nonnegative(),
  orgId: z.number().int(),
  title: z.string(),
  /** "alerting" when any alert fires, else "ok". */
  state: z.enum(["alerting", "ok"]),
  message: z.string(),
});

export type GrafanaWebhook = z.infer<typeof GRAFANA_WEBHOOK>;
export type GrafanaAlert = z.infer<typeof GRAFANA_ALERT>;

/** The payload, or every way the body differs from Grafana's shape (path: message). */
export function parseGrafanaWebhook(body: string): { payload: GrafanaWebhook } | { problems: string[] } {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (err) {
    return { problems: [`not JSON: ${(err as Error).message}`] };
  }
  const result = GRAFANA_WEBHOOK.safeParse(json);
  if (result.success) return { payload: result.data };
  return { problems: result.error.issues.map((i) => `${i.path.join(".") || "(body)"}: ${i.message}`) };
}
