/**
 * The edit loop: what `npm run validate` costs right after no change, after editing a
 * drop-in dashboard's JSON, and after editing one dashboard module, each as a ratio to one
 * `node -e "require('@pulumi/pulumi')"` (what any command that loads the SDK pays).
 *
 * It runs in a copy of a project (this one, or --project DIR: another checkout, e.g. of the
 * commit before the fast build, for the before figures), built once first. Each round runs
 * the floor, then validate with nothing changed, then validate after an edit of the drop-in
 * JSON, then after an edit of a panel description in the module, so every edit is new to
 * the build. Wall time from spawn to exit; CPU (user + system of the whole process tree)
 * from bash's `times`.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { median, Sample, timedCommand } from "./measure";

/** The drop-in dashboard edited (its description changes each round). */
export const EDITED_JSON = "dashboards/churn-api/churn-api-slo.json";
/** The dashboard module edited (a panel's description changes each round). */
export const EDITED_MODULE = "dashboards/performance.ts";
const MODULE_ANCHOR = /(\.description\("Requests being served right now)[^"]*"\)/;

export interface EditLoopResult {
  readonly project: string;
  readonly floor: Sample;
  readonly noChange: Sample;
  readonly jsonEdited: Sample;
  readonly moduleEdited: Sample;
}

const log = (message: string) => process.stderr.write(`${message}\n`);

/** Top-level entries not copied: outputs and state; node_modules is linked. */
const SKIP = new Set(["node_modules", "out", ".git", ".pulumi-state"]);

/** A copy of `project` in `dir` (its bin/ included), node_modules linked from the project or, if it has none, from this one. */
function copyForEditing(project: string, dir: string, fallbackModules: string): void {
  fs.mkdirSync(dir, { recursive: true });
  for (const entry of fs.readdirSync(project)) {
    if (SKIP.has(entry)) continue;
    fs.cpSync(path.join(project, entry), path.join(dir, entry), { recursive: true, preserveTimestamps: true, verbatimSymlinks: true });
  }
  const modules = fs.existsSync(path.join(project, "node_modules")) ? path.join(project, "node_modules") : fallbackModules;
  fs.symlinkSync(fs.realpathSync(modules), path.join(dir, "node_modules"), "dir");
}

function editJson(root: string, round: number): void {
  const file = path.join(root, EDITED_JSON);
  const model = JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, unknown>;
  model.description = `Edited by the benchmark, round ${round}.`;
  fs.writeFileSync(file, `${JSON.stringify(model, null, 2)}\n`);
}

function editModule(root: string, round: number): void {
  const file = path.join(root, EDITED_MODULE);
  const text = fs.readFileSync(file, "utf8");
  if (!MODULE_ANCHOR.test(text)) throw new Error(`${EDITED_MODULE} no longer has the panel description the benchmark edits (${MODULE_ANCHOR})`);
  fs.writeFileSync(file, text.replace(MODULE_ANCHOR, `$1 (round ${round})")`));
}

export async function measureEditLoop(project: string, dir: string, fallbackModules: string, runs: number, warmup: number): Promise<EditLoopResult> {
  copyForEditing(project, dir, fallbackModules);
  log(`  edit loop: building the copy of ${project}`);
  const build = spawnSync("npm", ["run", "--silent", "build"], { cwd: dir, encoding: "utf8" });
  if (build.status !== 0) throw new Error(`npm run build in ${dir} failed:\n${build.stdout}${build.stderr}`);
  const validate = ["npm", "run", "--silent", "validate"];
  const samples: Record<"floor" | "noChange" | "jsonEdited" | "moduleEdited", Sample[]> = { floor: [], noChange: [], jsonEdited: [], moduleEdited: [] };
  for (let round = -warmup; round < runs; round++) {
    const keep = <T>(list: T[], sample: T) => round >= 0 && list.push(sample);
    keep(samples.floor, await timedCommand(dir, [process.execPath, "-e", "require('@pulumi/pulumi')"]));
    keep(samples.noChange, await timedCommand(dir, validate));
    editJson(dir, round + warmup);
    keep(samples.jsonEdited, await timedCommand(dir, validate));
    editModule(dir, round + warmup);
    keep(samples.moduleEdited, await timedCommand(dir, validate));
    log(`  edit loop: ${round < 0 ? "warm-up" : `run ${round + 1}/${runs}`} done`);
  }
  return {
    project,
    floor: median(samples.floor),
    noChange: median(samples.noChange),
    jsonEdited: median(samples.jsonEdited),
    moduleEdited: median(samples.moduleEdited),
  };
}
