/** The render's summary: every resource the stack would register, as a Markdown table. */
import { RegisteredResource } from "./mock-engine";

/** `pkg:module/sub:Type` -> `Type (pkg:module)` reads better in a table. */
function shortType(type: string): string {
  const [pkg, module, name] = type.split(":");
  return name ? `${name} (${pkg}:${module.split("/")[0]})` : type;
}

export function resourceTable(stack: string, resources: readonly RegisteredResource[], placeholders: readonly string[]): string {
  const rows = resources
    .map((r) => {
      const notes = [r.protect ? "protect" : "", r.retainOnDelete ? "retainOnDelete" : ""].filter(Boolean).join(", ");
      const parent = r.parent ? r.parent.split("::").pop() ?? "" : "";
      return { type: shortType(r.type), name: r.name, parent, notes };
    })
    .sort((a, b) => a.type.localeCompare(b.type) || a.name.localeCompare(b.name));
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
  const lines = [
    `# Stack ${stack}: ${resources.length} resources`,
    "",
    "| Type | Name | Parent | Data protection |",
    "| --- | --- | --- | --- |",
    ...rows.map((r) => `| ${r.type} | ${r.name} | ${r.parent} | ${r.notes} |`),
    "",
    "| Type | Count |",
    "| --- | --- |",
    ...[...counts.entries()].map(([type, n]) => `| ${type} | ${n} |`),
    "",
  ];
  if (placeholders.length > 0) {
    lines.push(
      `Rendered with placeholders for secrets the render cannot read: ${placeholders.map((p) => `\`${p}\``).join(", ")}.`,
      "Secrets appear as `[secret]`.",
      "",
    );
  }
  return lines.join("\n");
}
