/**
 * Last step of `npm run build` (after tsc and the schema validators succeeded): writes
 * bin/build-stamp.json, the list of build inputs and the build time that
 * lib/startup.ts checks at start-up.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { BUILD_STAMP, BuildStamp } from "../lib/build-stamp";
import { projectRoot } from "../lib/paths";

/** Folders that hold no compiled program source. */
const SKIP = new Set(["node_modules", "bin", "tests", "out"]);

/**
 * TypeScript sources, the dashboard schema the build compiles into validators, and the
 * lock file: the build's dashboards and content record were made with the installed
 * foundation-sdk and PromQL parser, so new dependencies need a new build.
 */
const isBuildInput = (rel: string) =>
  (rel.endsWith(".ts") && !rel.endsWith(".d.ts")) || (rel.startsWith("validation/schema/") && rel.endsWith(".json")) || rel === "package-lock.json";

export function compiledSources(root: string, dir = ""): string[] {
  const found: string[] = [];
  for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
    const rel = dir ? `${dir}/${entry.name}` : entry.name;
    if (entry.isDirectory()) {
      if (!SKIP.has(entry.name) && !entry.name.startsWith(".")) found.push(...compiledSources(root, rel));
    } else if (isBuildInput(rel)) {
      found.push(rel);
    }
  }
  return found.sort();
}

if (require.main === module) {
  const root = projectRoot();
  const stamp: BuildStamp = { builtAt: Date.now(), sources: compiledSources(root) };
  fs.writeFileSync(path.join(root, BUILD_STAMP), `${JSON.stringify(stamp, null, 1)}\n`);
}
