/**
 * A project copy with stacks on a temporary file backend, driven by the real Pulumi CLI through
 * the project's own wrapper (scripts/pulumi.sh, what `npm run pulumi` runs), and previewed by
 * the real engine with the program inline (support/inline-preview.ts).
 */
import { spawnSync, SpawnSyncReturns } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { fromRoot } from "../../../lib/paths";
import { copyProject, ProjectCopy } from "../../support/project-copy";
import { cliEnv, tempDir, Toolchain, transcript } from "../../support/pulumi-toolchain";
import type { PreviewReport } from "./inline-preview";

export const PASSPHRASE = "e2e passphrase, not a secret";

export class RealStacks {
  readonly project: ProjectCopy;
  readonly env: NodeJS.ProcessEnv;
  private readonly scratch: string;

  constructor(toolchain: Toolchain, options: { backend?: "temporary" | "project-default" } = {}) {
    this.project = copyProject({ withBuild: true });
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
    return spawnSync("bash", [path.join(this.project.root, "scripts", "pulumi.sh"), ...args], {
      cwd: this.project.root,
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
    return fs.readFileSync(path.join(this.project.root, `Pulumi.${stack}.yaml`), "utf8");
  }

  /** The real engine's preview of `stack`, the program run inline (no language host plugin). */
  inlinePreview(stack: string, extraEnv: NodeJS.ProcessEnv = {}): PreviewReport {
    // The backend scripts/pulumi.sh uses when none is given.
    const backend = this.env.PULUMI_BACKEND_URL ?? `file://${path.join(this.project.root, ".pulumi-state")}`;
    const run = spawnSync(process.execPath, [fromRoot("bin", "tests", "e2e", "support", "inline-preview.js"), this.project.root, stack], {
      cwd: this.project.root,
      env: { ...this.env, PULUMI_BACKEND_URL: backend, ...extraEnv },
      encoding: "utf8",
      timeout: 5 * 60 * 1000,
    });
    if (run.status !== 0) throw new Error(`inline preview of ${stack} did not report\n${transcript(run)}`);
    return JSON.parse(run.stdout.trim().split("\n").pop() ?? "{}") as PreviewReport;
  }

  remove(): void {
    this.project.remove();
    fs.rmSync(this.scratch, { recursive: true, force: true });
  }
}
