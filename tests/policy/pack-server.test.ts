/**
 * The pack as the Pulumi CLI runs it, minus the CLI: the CLI's `pulumi-analyzer-policy`
 * script resolves `@pulumi/pulumi/cmd/run-policy-pack` from the pack's folder and runs
 * `node <run-policy-pack> <engine-address> .` there; the pack prints its gRPC port and
 * the engine calls the Analyzer service. This test does the same and speaks the
 * Analyzer protocol with @pulumi/pulumi's own generated client (its dependencies
 * @grpc/grpc-js and google-protobuf are installed with it).
 *
 * Needs the build (bin/policy/index.js), which `npm test` runs first.
 */
import * as assert from "node:assert/strict";
import { ChildProcess, spawn } from "node:child_process";
import * as path from "node:path";
import * as grpc from "@grpc/grpc-js";
import { AnalyzerClient } from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import {
  AnalyzeDiagnostic,
  AnalyzeRequest,
  AnalyzerInfo,
  AnalyzerResourceOptions,
  AnalyzeResponse,
  ConfigureAnalyzerRequest,
  EnforcementLevel,
  PolicyConfig,
} from "@pulumi/pulumi/proto/analyzer_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { JavaScriptValue, Struct } from "google-protobuf/google/protobuf/struct_pb";
import { PACK_NAME, policies } from "../../policy/policies";
import { grafanaRelease, haValues, persistentValues, UNKNOWN_STRING } from "./fixtures";

const POLICY_DIR = path.resolve(__dirname, "../../../policy");
/** How the engine marks a secret on the wire (@pulumi/pulumi runtime/rpc specialSigKey / specialSecretSig). */
const SECRET_SIG = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270" };

function startPack(): Promise<{ child: ChildProcess; port: number }> {
  const runner = require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [POLICY_DIR] });
  const child = spawn(process.execPath, [runner, "127.0.0.1:0", "."], { cwd: POLICY_DIR, stdio: ["ignore", "pipe", "pipe"] });
  return new Promise((resolve, reject) => {
    let stdout = "";
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout?.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      const port = /^(\d+)\s*$/m.exec(stdout);
      if (port) {
        resolve({ child, port: Number(port[1]) });
      }
    });
    child.on("exit", (code) => reject(new Error(`policy pack exited (${code}) before printing its port:\n${stdout}\n${stderr}`)));
  });
}

function call<Req, Res>(method: (req: Req, cb: (err: grpc.ServiceError | null, res: Res) => void) => unknown, req: Req): Promise<Res> {
  return new Promise((resolve, reject) => method(req, (err, res) => (err ? reject(err) : resolve(res))));
}

function policyConfig(properties: Record<string, JavaScriptValue>): PolicyConfig {
  return new PolicyConfig().setEnforcementlevel(EnforcementLevel.MANDATORY).setProperties(Struct.fromJavaScript(properties));
}

describe("policy pack served as the CLI runs it", function () {
  this.timeout(30000);
  let child: ChildProcess | undefined;
  let client: AnalyzerClient;

  before(async () => {
    const started = await startPack();
    child = started.child;
    client = new AnalyzerClient(`127.0.0.1:${started.port}`, grpc.credentials.createInsecure());
    // What the engine sends for a local pack: schema defaults, reconciled with --policy-pack-config.
    const configure = new ConfigureAnalyzerRequest();
    configure.getPolicyconfigMap().set("prod-keeps-its-data", policyConfig({ prodStackPattern: "^prod" }));
    configure.getPolicyconfigMap().set("no-plaintext-secrets-in-helm-values", policyConfig({ allowComputedPaths: [] }));
    for (const name of ["containers-have-resource-limits", "alert-rules-have-severity-and-runbook", "dashboards-have-uid-and-folder"]) {
      configure.getPolicyconfigMap().set(name, policyConfig({}));
    }
    await call(client.configure.bind(client), configure);
  });

  after(() => {
    client?.close();
    child?.kill();
  });

  async function analyze(input: ReturnType<typeof grafanaRelease>, protect: boolean): Promise<AnalyzeDiagnostic[]> {
    const name = input.name ?? "grafana-release";
    const request = new AnalyzeRequest()
      .setType(input.type)
      .setName(name)
      .setUrn(`urn:pulumi:${input.stack ?? "dev"}::grafana-k8s::grafana-k8s:index:GrafanaDeployment$${input.type}::${name}`)
      .setProperties(Struct.fromJavaScript(input.props as Record<string, JavaScriptValue>))
      .setOptions(new AnalyzerResourceOptions().setProtect(protect));
    const response: AnalyzeResponse = await call(client.analyze.bind(client), request);
    return response.getDiagnosticsList();
  }

  it("describes itself: name, version from policy/package.json, the five mandatory policies, configurable", async () => {
    const info: AnalyzerInfo = await call(client.getAnalyzerInfo.bind(client), new Empty());
    assert.equal(info.getName(), PACK_NAME);
    assert.equal(info.getVersion(), "0.1.0");
    assert.equal(info.getSupportsconfig(), true);
    assert.deepEqual(
      info.getPoliciesList().map((p) => [p.getName(), p.getEnforcementlevel()]),
      policies.map((p) => [p.name, EnforcementLevel.MANDATORY]),
    );
  });

  it("passes a protected prod release in the HA mode", async () => {
    assert.deepEqual(await analyze(grafanaRelease(haValues(), { stack: "prod" }), true), []);
  });

  it("blocks an unprotected prod release that keeps no data and carries secrets, as mandatory violations", async () => {
    const values = {
      ...persistentValues(),
      persistence: { enabled: false },
      // Unknown during preview (e.g. a RandomPassword created in the same update) ...
      "grafana.ini": { database: { type: "sqlite3", password: UNKNOWN_STRING } },
      // ... and a known Pulumi secret, which the SDK unwraps before validation: caught by its key.
      smtp: { user: "grafana", password: { ...SECRET_SIG, value: "hunter2" } },
    };
    const diagnostics = await analyze(grafanaRelease(values, { stack: "prod" }), false);
    assert.deepEqual(
      diagnostics.map((d) => d.getPolicyname()),
      ["prod-keeps-its-data", "prod-keeps-its-data", "no-plaintext-secrets-in-helm-values", "no-plaintext-secrets-in-helm-values"],
    );
    assert.ok(diagnostics.every((d) => d.getEnforcementlevel() === EnforcementLevel.MANDATORY));
    const messages = diagnostics.map((d) => d.getMessage());
    assert.match(messages[0], /is not protected/);
    assert.match(messages[1], /ephemeral disk/);
    assert.match(messages[2], /values\["grafana\.ini"\]\.database\.password is computed at preview/);
    assert.match(messages[3], /values\.smtp\.password holds a plain-text secret/);
    assert.ok(messages.every((m) => !m.includes("hunter2")));
  });
});
