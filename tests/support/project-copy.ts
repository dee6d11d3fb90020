/**
 * A throw-away copy of the project, as a fresh clone would have it, for tests that run the
 * README's commands: they create stack files and a .pulumi-state/ folder, which must not
 * land in the working tree. node_modules is linked, not copied.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { fromRoot } from "../../lib/paths";
import { tempDir } from "./pulumi-toolchain";

/** Never copied: installed, built or generated, or local state. */
const LEFT_OUT = new Set(["node_modules", ".git", "bin", "out", ".pulumi-state"]);

export interface ProjectCopy {
  readonly root: string;
  remove(): void;
}

/** `withBuild`: also copy bin/ (timestamps kept, so the build stays fresh against the sources). */
export function copyProject(options: { withBuild: boolean }): ProjectCopy {
  const parent = tempDir("grafana-k8s-project-");
  const root = path.join(parent, "grafana-k8s");
  fs.mkdirSync(root);
  for (const entry of fs.readdirSync(fromRoot())) {
    if (LEFT_OUT.has(entry)) continue;
    fs.cpSync(fromRoot(entry), path.join(root, entry), { recursive: true, preserveTimestamps: true });
  }
  fs.symlinkSync(fromRoot("node_modules"), path.join(root, "node_modules"), "dir");
  if (options.withBuild) fs.cpSync(fromRoot("bin"), path.join(root, "bin"), { recursive: true, preserveTimestamps: true });
  return { root, remove: () => fs.rmSync(parent, { recursive: true, force: true }) };
}
