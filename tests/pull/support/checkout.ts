/** Test helpers for the pull: a scratch checkout, and Grafana holding what a stack deployed. */
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { fromRoot } from "../../../lib/paths";
import type { ProgramRun } from "../../../render/mock-engine";
import { ofType, TYPES } from "../../support/stack";
import type { GrafanaContent, StoredRule } from "./grafana-api-server";

/** A scratch copy of the checkout's content (dashboards/, alerts/rules/) that a pull may write into. */
export function scratchCheckout(): { root: string; remove: () => void } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "pull-checkout-"));
  fs.cpSync(fromRoot("dashboards"), path.join(root, "dashboards"), { recursive: true });
  if (fs.existsSync(fromRoot("alerts", "rules"))) fs.cpSync(fromRoot("alerts", "rules"), path.join(root, "alerts", "rules"), { recursive: true });
  return { root, remove: () => fs.rmSync(root, { recursive: true, force: true }) };
}

/** Every file under `dir` with a digest of its bytes, by path relative to `dir`. */
export function snapshot(dir: string): Map<string, string> {
  const found = new Map<string, string>();
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, e.name);
      if (e.isSymbolicLink()) found.set(path.relative(dir, full), `-> ${fs.readlinkSync(full)}`);
      else if (e.isDirectory()) walk(full);
      else found.set(path.relative(dir, full), crypto.createHash("sha256").update(fs.readFileSync(full)).digest("hex"));
    }
  };
  if (fs.existsSync(dir)) walk(dir);
  return found;
}

const asString = (v: unknown): string => (typeof v === "string" ? v : "");

/** What Grafana holds after `pulumi up` of a run: its folders, dashboards (configJson as posted) and rule groups. */
export function deployedContent(run: ProgramRun): GrafanaContent {
  return {
    folders: ofType(run, TYPES.folder).map((f) => ({
      uid: asString(f.inputs.uid),
      title: asString(f.inputs.title),
      ...(f.inputs.parentFolderUid ? { parentUid: asString(f.inputs.parentFolderUid) } : {}),
    })),
    dashboards: ofType(run, TYPES.dashboard).map((d) => ({
      json: JSON.parse(asString(d.inputs.configJson)) as Record<string, unknown>,
      folderUid: asString(d.inputs.folder),
    })),
    ruleGroups: ofType(run, TYPES.ruleGroup).map((g) => ({
      name: asString(g.inputs.name),
      folderUid: asString(g.inputs.folderUid),
      intervalSeconds: Number(g.inputs.intervalSeconds),
      rules: g.inputs.rules as StoredRule[],
    })),
  };
}
