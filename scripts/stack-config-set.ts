/**
 * node bin/scripts/stack-config-set.js <stack> <key> <value>
 *
 * Sets one plain config value in Pulumi.<stack>.yaml without the Pulumi CLI, keeping the
 * file's comments: CI uses it to point a stack at the Grafana URL reachable from its
 * runner (the dev stack's http://localhost:3000 only works next to a kind cluster).
 * Secret keys are refused: they belong in `pulumi config set --secret`.
 */
import * as fs from "node:fs";
import { parseDocument } from "yaml";
import { UsageError } from "../build/args";
import { CONFIG_KEYS, ConfigKey, PROJECT } from "../components/config-keys";
import { ParsedArgs, runAsCli } from "../lib/cli";
import { fromRoot } from "../lib/paths";
import { closest } from "../lib/suggest";

const suggestion = (key: string) => {
  const near = closest(key, Object.keys(CONFIG_KEYS));
  return near ? `: did you mean ${near}?` : "";
};

export function setStackConfig(stack: string, key: string, value: string): void {
  if (!(key in CONFIG_KEYS)) throw new UsageError(`stack-config-set: unknown config key ${key}${suggestion(key)} (the keys are declared in Pulumi.yaml)`);
  if ("secret" in CONFIG_KEYS[key as ConfigKey]) throw new UsageError(`stack-config-set: ${key} is a secret: use pulumi config set --secret ${key}`);
  const file = fromRoot(`Pulumi.${stack}.yaml`);
  const doc = parseDocument(fs.readFileSync(file, "utf8"));
  doc.setIn(["config", `${PROJECT}:${key}`], value);
  fs.writeFileSync(file, doc.toString());
}

export function main(args: ParsedArgs): number {
  const [stack, key, value] = args.positionals;
  setStackConfig(stack, key, value);
  return 0;
}

if (require.main === module) runAsCli("stack-config-set", main);
