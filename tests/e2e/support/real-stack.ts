/**
 * A project copy with stacks on a temporary file backend, driven by the real Pulumi CLI through
 * the project's own wrapper (scripts/pulumi.sh, what `npm run pulumi` runs), and previewed by
 * the real engine with the program inline (support/inline-preview.ts).
 */
import { spawnSync, SpawnSyncReturns } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { fromRoot } from "../../../lib/paths";
import { copyProject, removeProjectCopy } from "../../../lib/project-copy";
import { cliEnv, tempDir, Toolchain, transcript } from "../../support/pulumi-toolchain";
import type { PreviewReport } from "./inline-preview";

export const PASSPHRASE = "e2e passphrase, not a secret";

export class RealStacks {
  /** The project copy: its own stack files and .pulumi-state/. */
  readonly root: string;
  readonly env: NodeJS.ProcessEnv;
  private readonly scratch: string;

  /** `from`: the project to copy (this one by default). */
  constructor(toolchain: Toolchain, options: { backend?: "temporary" | "project-default"; from?: string } = {}) {
    // The stacks are the test's, made with its passphrase: not the salt and secure values a
    // team that followed docs/ci-first-run.md committed (tests/e2e/committed-salt.test.ts).
    this.root = copyProject(undefined, { withoutTeamEncryption: true, from: options.from });
    this.scratch = tempDir("grafana-k8s-e2e-");
    const backend: Record<string, string> = {};
    if (options.backend !== "project-default") {
      fs.mkdirSync(path.join(this.scratch, "state"));
      backend.PULUMI_BACKEND_URL = `file://${path.join(this.scratch, "state")}`;
    }
    this.env = cliEnv(toolchain, path.join(this.scratch, "pulumi-home"), { ...backend, PULUMI_CONFIG_PASSPHRASE: PASSPHRASE });
  }

  /** `npm run pulumi -- <args>` in the copy, without npm's start-up. */
  pulumi(args: string[], extraEnv: NodeJS.ProcessEnv = {}): SpawnSyncReturns<string> {
    return spawnSync("bash", [path.join(this.root, "scripts", "pulumi.sh"), ...args], {
      cwd: this.root,
      env: { ...this.env, ...extraEnv },
      encoding: "utf8",
    });
  }

  /** Like pulumi(), failing the test with the transcript when the command fails. */
  ok(args: string[]): string {
    const run = this.pulumi(args);
    if (run.status !== 0) throw new Error(`pulumi ${args.join(" ")}\n${transcript(run)}`);
    return run.stdout;
  }

  stackFile(stack: string): string {
    return fs.readFileSync(path.join(this.root, `Pulumi.${stack}.yaml`), "utf8");
  }

  /** The real engine's preview of `stack`, the program run inline (no language host plugin). */
  inlinePreview(stack: string, extraEnv: NodeJS.ProcessEnv = {}): PreviewReport {
    // The backend scripts/pulumi.sh uses when none is given.
    const backend = this.env.PULUMI_BACKEND_URL ?? `file://${path.join(this.root, ".pulumi-state")}`;
    const run = spawnSync(process.execPath, [fromRoot("bin", "tests", "e2e", "support", "inline-preview.js"), this.root, stack], {
      cwd: this.root,
      env: { ...this.env, PULUMI_BACKEND_URL: backend, ...extraEnv },
      encoding: "utf8",
      timeout: 5 * 60 * 1000,
    });
    if (run.status !== 0) throw new Error(`inline preview of ${stack} did not report\n${transcript(run)}`);
    return JSON.parse(run.stdout.trim().split("\n").pop() ?? "{}") as PreviewReport;
  }

  remove(): void {
    removeProjectCopy(this.root);
    fs.rmSync(this.scratch, { recursive: true, force: true });
  }
}
