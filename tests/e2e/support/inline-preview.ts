/**
 * node bin/tests/e2e/support/inline-preview.js <project dir> <stack>
 *
 * `pulumi preview` of one stack by the real Pulumi CLI and engine, with the project's program
 * (<project dir>/bin/index.js) run in this process through the Automation API's inline
 * program: the SDK serves the language-host protocol itself (`pulumi preview --client=...`),
 * which is how the program runs here without the Node.js language host plugin
 * (pulumi-language-nodejs, which the Go module proxy does not serve). The CLI reads the
 * project (Pulumi.yaml, its config defaults) and the stack file as for any preview.
 *
 * Prints one JSON line (PreviewReport) on stdout. Run in a child process: the program
 * registers resources on @pulumi/pulumi's global runtime state.
 */
import * as path from "node:path";
import { EngineEvent, LocalWorkspace } from "@pulumi/pulumi/automation";

export interface PreviewReport {
  readonly ok: boolean;
  /** The error the Automation API raised (the CLI's stderr, with the engine's diagnostics). */
  readonly error?: string;
  /** Type tokens of the resources the engine began a step for, in order. */
  readonly registered: string[];
  /** Error diagnostics the engine reported: the type of the resource each is about, and its text. */
  readonly diagnostics: { type: string; message: string }[];
}

/** urn:pulumi:<stack>::<project>::<parent types$>...<type>::<name> -> <type> */
const typeOf = (urn: string) => urn.split("::")[2]?.split("$").pop() ?? "";

async function preview(workDir: string, stackName: string): Promise<PreviewReport> {
  const registered: string[] = [];
  const diagnostics: { type: string; message: string }[] = [];
  const onEvent = (event: EngineEvent) => {
    const pre = event.resourcePreEvent?.metadata;
    if (pre) registered.push(pre.type);
    const diag = event.diagnosticEvent;
    if (diag && diag.severity === "error") {
      diagnostics.push({ type: typeOf(diag.urn ?? ""), message: diag.message.replace(/\u001b\[[0-9;]*m|<\{%[^%]*%\}>/g, "").trim() });
    }
  };
  const stack = await LocalWorkspace.selectStack(
    {
      stackName,
      projectName: "grafana-k8s",
      // The same module `pulumi preview` would start: index.ts's export is the stack's outputs.
      program: async () => require(path.join(workDir, "bin", "index.js")) as Record<string, unknown>,
    },
    { workDir },
  );
  try {
    await stack.preview({ onEvent });
    return { ok: true, registered, diagnostics };
  } catch (err) {
    return { ok: false, error: (err as Error).message, registered, diagnostics };
  }
}

if (require.main === module) {
  const [workDir, stackName] = process.argv.slice(2);
  preview(path.resolve(workDir), stackName).then(
    (report) => process.stdout.write(`${JSON.stringify(report)}\n`),
    (err: Error) => {
      process.stderr.write(`${err.stack ?? err.message}\n`);
      process.exit(1);
    },
  );
}
