/**
 * Runs the shell lines of a documented procedure (a ```bash block after an HTML comment marker
 * in README.md or docs/) as a user would type them: one shell, in order, so an `export` holds
 * for the lines after it, in a terminal (util-linux `script` gives the shell a pseudo-terminal,
 * as `npm run deploy` expects one to confirm an update). Each line's output and exit status
 * are recorded separately.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

export interface StepResult {
  readonly line: string;
  readonly status: number;
  /** stdout and stderr together, as the terminal showed them, without colour codes. */
  readonly output: string;
}

/** The command lines of the ```bash block that follows `<!-- <marker>` in a Markdown file. */
export function documentedSteps(markdownFile: string, marker: string): string[] {
  const text = fs.readFileSync(markdownFile, "utf8");
  const at = text.indexOf(`<!-- ${marker}`);
  if (at < 0) throw new Error(`${path.basename(markdownFile)} has no <!-- ${marker} marker`);
  const block = /```bash\n([\s\S]*?)\n\s*```/.exec(text.slice(at));
  if (!block) throw new Error(`no \`\`\`bash block after <!-- ${marker} in ${path.basename(markdownFile)}`);
  return block[1]
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith("#"));
}

/** Every command line of every ```bash block in a Markdown file. */
export function allShellLines(markdownFile: string): string[] {
  const text = fs.readFileSync(markdownFile, "utf8");
  return [...text.matchAll(/```bash\n([\s\S]*?)\n\s*```/g)].flatMap((block) =>
    block[1]
      .split("\n")
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith("#")),
  );
}

const ESCAPES = /\u001b\[[0-9;?]*[A-Za-z]|\u001b[()][A-Z0-9]|\r/g;

/** Runs `lines` in one bash in `cwd`, in a pseudo-terminal, and returns one result per line run. */
export function runSteps(lines: readonly string[], cwd: string, env: NodeJS.ProcessEnv, timeoutMs: number): StepResult[] {
  const marker = `@@step-${process.pid}`;
  const script = path.join(cwd, `.doc-steps-${process.pid}.sh`);
  fs.writeFileSync(
    script,
    lines.map((line, i) => `printf '\\n${marker} ${i} start\\n'\n${line}\nprintf '\\n${marker} ${i} exit %d\\n' $?\n`).join(""),
  );
  try {
    // A user's terminal: the CLI treats TERM=dumb or a CI variable as non-interactive.
    const terminal: NodeJS.ProcessEnv = { ...env, TERM: "xterm", COLUMNS: "400" };
    for (const name of ["CI", "GITHUB_ACTIONS", "BUILD_NUMBER", "TF_BUILD"]) delete terminal[name];
    const run = spawnSync("script", ["--quiet", "--return", "--command", `bash ${JSON.stringify(script)}`, "/dev/null"], {
      cwd,
      env: terminal,
      encoding: "utf8",
      timeout: timeoutMs,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const out = (run.stdout ?? "").replace(ESCAPES, "");
    const results: StepResult[] = [];
    for (const [i, line] of lines.entries()) {
      const start = out.indexOf(`${marker} ${i} start\n`);
      const end = new RegExp(`${marker} ${i} exit (\\d+)\\n`).exec(out);
      if (start < 0 || !end) break;
      results.push({ line, status: Number(end[1]), output: out.slice(start + `${marker} ${i} start\n`.length, end.index).trim() });
    }
    return results;
  } finally {
    fs.rmSync(script, { force: true });
  }
}
