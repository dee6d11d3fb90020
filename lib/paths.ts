import * as fs from "node:fs";
import * as path from "node:path";

let cached: string | undefined;

/**
 * The project root (the folder holding Pulumi.yaml), whether code runs from the
 * TypeScript sources or from the compiled bin/ folder.
 */
export function projectRoot(): string {
  if (cached) return cached;
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, "Pulumi.yaml"))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`Pulumi.yaml not found above ${__dirname}`);
    dir = parent;
  }
  cached = dir;
  return dir;
}

export function fromRoot(...segments: string[]): string {
  return path.join(projectRoot(), ...segments);
}

/** A file's path relative to the project root, with forward slashes (for messages). */
export function projectRelative(file: string): string {
  return path.relative(projectRoot(), file).split(path.sep).join("/");
}
