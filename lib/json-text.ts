/**
 * JSON.stringify once per object: a dashboard model is serialised for its digest
 * (validation/validated-content.ts) and again as the configJson Grafana receives. The
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
