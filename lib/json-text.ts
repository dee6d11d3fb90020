/** The JSON Grafana receives for a dashboard: as the build recorded it, else its model's. */
export function dashboardJson(spec: { readonly configJson?: string; readonly model: object }): string {
  return spec.configJson ?? JSON.stringify(spec.model);
}
