/**
 * The README's config reference, generated from Pulumi.yaml (types, defaults,
 * descriptions) and the stack files (what each stack sets), so it cannot drift.
 *   node bin/scripts/config-table.js   print the table
 * `npm run docs` writes it into README.md (scripts/readme-sections.ts).
 */
import { PROJECT } from "../components/config-keys";
import { runAsCli } from "../lib/cli";
import { asConfigString, loadStackConfig, projectConfigDeclarations } from "../render/stack-config";

export const STACKS = ["dev", "prod"] as const;

const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");
const shown = (value: unknown) =>
  value === undefined ? "" : value === "" ? '`""`' : `\`${typeof value === "string" ? value : JSON.stringify(value)}\``;

export function configTable(): string {
  const declarations = projectConfigDeclarations();
  const stackValues = STACKS.map((stack) => loadStackConfig(stack).values);
  const rows = Object.entries(declarations).map(([key, decl]) => {
    const fallback = "default" in decl ? asConfigString(decl.default) : undefined;
    // A stack column shows only what that stack changes.
    const perStack = stackValues.map((values) => {
      const value = values[`${PROJECT}:${key}`];
      return value !== fallback ? shown(value) : "";
    });
    const def = "default" in decl ? shown(decl.default) : "**required**";
    return `| \`${key}\` | ${decl.type ?? ""} | ${cell(def)} | ${perStack.map(cell).join(" | ")} | ${cell(decl.description ?? "")} |`;
  });
  return [
    `| Key | Type | Default | ${STACKS.join(" | ")} | Description |`,
    `| --- | --- | --- | ${STACKS.map(() => "---").join(" | ")} | --- |`,
    ...rows,
  ].join("\n");
}

export function main(): number {
  process.stdout.write(`${configTable()}\n`);
  return 0;
}

if (require.main === module) runAsCli("config-table", main);
