/**
 * JSON.stringify once per object: a dashboard model is serialised for its digest
 * (lib/content-record.ts) and again as the configJson Grafana receives. The
 * objects must not change after the first call (plans are built, then only read).
 */
const texts = new WeakMap<object, string>();

export function jsonText(value: object): string {
  let text = texts.get(value);
  if (text === undefined) {
    text = JSON.stringify(value);
    texts.set(value, text);
  }
  return text;
}

/** The JSON Grafana receives for a dashboard: as the build recorded it, else its model's, serialised once. */
export function dashboardJson(spec: { readonly configJson?: string; readonly model: object }): string {
  return spec.configJson ?? jsonText(spec.model);
}
