/**
 * Small Go programs under tests/go/ stand in for the real systems where their behaviour is
 * Go code: Go's text/template (Grafana's notification templates) and the provider's and
 * Grafana's duration parsers. Tests that need Go skip with install instructions when it is
 * absent, unless REQUIRE_GO=1 (set by .ci/run), which turns the skip into a failure.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { findOnPath } from "../../lib/executables";
import { fromRoot } from "../../lib/paths";
import { skipOrFail } from "./skip-policy";

const run = promisify(execFile);

export const REQUIRE_GO = "REQUIRE_GO";
const INSTALL = "install Go (https://go.dev/dl/, or sudo apt-get install -y golang-go)";


/** The go binary; otherwise skips the test (or, with REQUIRE_GO=1, fails it). */
export function requireGo(ctx: Mocha.Context): string {
  return findOnPath("go") ?? skipOrFail(ctx, { message: `this test runs a Go program under tests/go/ and needs Go on PATH: ${INSTALL}.`, variable: REQUIRE_GO });
}

const built = new Map<string, Promise<string>>();

/**
 * Builds tests/go/<name> once per test process into a temp folder and returns the binary.
 * A module with dependencies fetches them through the Go module proxy on first use.
 */
export function goProgram(go: string, name: string): Promise<string> {
  let binary = built.get(name);
  if (!binary) {
    binary = (async () => {
      const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), `go-${name}-`)), name);
      process.once("exit", () => fs.rmSync(path.dirname(out), { recursive: true, force: true }));
      try {
        await run(go, ["build", "-o", out, "."], { cwd: fromRoot("tests", "go", name), env: { ...process.env, GOFLAGS: "-mod=readonly" } });
      } catch (err) {
        const e = err as { stderr?: string; message: string };
        throw new Error(`go build tests/go/${name} failed: ${e.stderr || e.message}`);
      }
      return out;
    })();
    built.set(name, binary);
  }
  return binary;
}

/** Runs a built program with `input` on stdin; resolves with stdout, rejects with stderr. */
export function runGoProgram(binary: string, args: readonly string[], input: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(binary, [...args], { maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${path.basename(binary)} ${args.join(" ")} failed: ${stderr || err.message}`));
      else resolve(stdout);
    });
    child.stdin?.end(input);
  });
}
