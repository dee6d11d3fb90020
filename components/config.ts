/**
 * The only reader of Pulumi config: collects this stack's raw values for the project
 * namespace and hands them to parseSettings, which validates everything at once.
 */
import * as pulumi from "@pulumi/pulumi";
import { parseSettings, RawConfig, rawConfigFrom, Settings } from "./settings";
import { fromRoot } from "../lib/paths";
import { stackFileNumberProblems } from "../lib/stack-file";

/**
 * Whether a key was set with `--secret`. The SDK's own check is internal (not in its
 * typings), so it is looked up defensively; the language host also exposes the list
 * in PULUMI_CONFIG_SECRET_KEYS, which is the fallback.
 */
function secretKeyTest(): (fullKey: string) => boolean {
  const internal = (pulumi.runtime as unknown as { isConfigSecret?: (k: string) => boolean }).isConfigSecret;
  if (typeof internal === "function") return internal;
  const listed = new Set<string>(JSON.parse(process.env.PULUMI_CONFIG_SECRET_KEYS ?? "[]") as string[]);
  return (fullKey) => listed.has(fullKey);
}

export function readRawConfig(): RawConfig {
  return rawConfigFrom(pulumi.getStack(), pulumi.runtime.allConfig(), secretKeyTest());
}

/**
 * Reads and validates the stack config; throws an InputError before anything is
 * registered. The stack file is also read for what the CLI rewrote on the way (a number
 * such as 0x10 or 010 arrives as "16" or "8"; lib/stack-file.ts).
 */
export function loadSettings(): Settings {
  const raw = readRawConfig();
  const stackFile = `Pulumi.${raw.stack}.yaml`;
  return parseSettings(raw, stackFileNumberProblems(fromRoot(stackFile), stackFile));
}
