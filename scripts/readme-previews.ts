/**
 * The README's preview images: `npm run previews` renders the dev stack with data (the
 * same code as `npm run render -- --stack dev --with-data`) and copies each dashboard's
 * PNG to docs/previews/<uid>.png. Never edit those images by hand: a test renders the dev
 * previews and requires the committed images to be byte for byte what this produces.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { runAsCli } from "../lib/cli";
import { fromRoot } from "../lib/paths";
import { renderStack } from "../render/render";

export const README_PREVIEW_STACK = "dev";
/** Relative to the project root, as the README links them. */
export const README_PREVIEW_DIR = "docs/previews";

/** The uids whose previews a render of the stack wrote to `outDir`. */
export function previewUids(stackOutDir: string): string[] {
  const dir = path.join(stackOutDir, "previews");
  return fs.readdirSync(dir).filter((f) => f.endsWith(".png")).map((f) => f.slice(0, -4)).sort();
}

/** Copies the PNGs of a rendered stack to docs/previews/, removing images of dashboards that are gone. */
export function copyReadmePreviews(stackOutDir: string): string[] {
  const target = fromRoot(README_PREVIEW_DIR);
  fs.rmSync(target, { recursive: true, force: true });
  fs.mkdirSync(target, { recursive: true });
  return previewUids(stackOutDir).map((uid) => {
    fs.copyFileSync(path.join(stackOutDir, "previews", `${uid}.png`), path.join(target, `${uid}.png`));
    return `${README_PREVIEW_DIR}/${uid}.png`;
  });
}

export async function main(): Promise<number> {
  const outRoot = fs.mkdtempSync(path.join(os.tmpdir(), "readme-previews-"));
  try {
    const result = await renderStack(README_PREVIEW_STACK, { outRoot, withData: true, onProgress: (m) => process.stderr.write(`${m}\n`) });
    if (result.error) throw result.error;
    for (const file of copyReadmePreviews(result.outDir)) process.stdout.write(`${file}\n`);
    return 0;
  } finally {
    fs.rmSync(outRoot, { recursive: true, force: true });
  }
}

if (require.main === module) runAsCli("previews", main);
