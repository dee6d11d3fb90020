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
import { CONFIG_KEYS, ConfigKey, PROJECT } from "../components/config-keys";
import { fromRoot } from "../lib/paths";

export function setStackConfig(stack: string, key: string, value: string): void {
  if (!(key in CONFIG_KEYS)) throw new Error(`unknown config key ${key}`);
  if ("secret" in CONFIG_KEYS[key as ConfigKey]) throw new Error(`${key} is a secret: use pulumi config set --secret ${key}`);
  const file = fromRoot(`Pulumi.${stack}.yaml`);
  const doc = parseDocument(fs.readFileSync(file, "utf8"));
  doc.setIn(["config", `${PROJECT}:${key}`], value);
  fs.writeFileSync(file, doc.toString());
}

if (require.main === module) {
  const [stack, key, value] = process.argv.slice(2);
  if (!stack || !key || value === undefined) {
    process.stderr.write("usage: node bin/scripts/stack-config-set.js <stack> <key> <value>\n");
    process.exit(2);
  }
  try {
    setStackConfig(stack, key, value);
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exit(1);
  }
}
