/** The JSON Grafana receives for a dashboard: as the build recorded it, else its model's. */
export function dashboardJson(spec: { readonly configJson?: string; readonly model: object }): string {
  return spec.configJson ?? JSON.stringify(spec.model);
}

/** Everything a dashboard's own checks read: its JSON and the library panels it shows (the build's record digests it). */
export function dashboardCheckedText(spec: { readonly configJson?: string; readonly model: object; readonly libraryPanels?: readonly object[] }): string {
  const json = dashboardJson(spec);
  return spec.libraryPanels && spec.libraryPanels.length > 0 ? `${json}\u0000${JSON.stringify(spec.libraryPanels)}` : json;
}
