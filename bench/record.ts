/**
 * Records what a program registers, as the engine receives it (request inputs with
 * secrets still wrapped, parent, provider, dependencies, protect / retainOnDelete, the
 * aliases, version and secret outputs the provider SDKs add, component outputs, stack
 * outputs), for the floor program to replay.
 */
import * as fs from "node:fs";
import type { ProgramRun } from "../render/mock-engine";

export interface Registration {
  readonly type: string;
  readonly name: string;
  urn: string;
  readonly custom: boolean;
  readonly parent: string;
  /** "<provider urn>::<id>", or "" for the default provider. */
  readonly provider: string;
  readonly dependencies: readonly string[];
  readonly protect: boolean;
  readonly retainOnDelete: boolean;
  readonly inputs: Record<string, unknown>;
  /** Options the provider SDKs' generated classes add: the floor passes them too. */
  readonly aliasTypes: readonly string[];
  readonly version: string;
  readonly pluginDownloadURL: string;
  readonly additionalSecretOutputs: readonly string[];
  /** registerOutputs of a component, when it called it. */
  outputs?: Record<string, unknown>;
}

export interface Recording {
  readonly resources: Registration[];
  readonly stackOutputs: Record<string, unknown>;
  readonly secretStackOutputs: readonly string[];
}

interface Struct {
  toJavaScript(): Record<string, unknown>;
}
interface Request {
  getType(): string;
  getName(): string;
  getParent(): string;
  getCustom(): boolean;
  getProvider(): string;
  getDependenciesList(): string[];
  getProtect(): boolean | undefined;
  getRetainondelete(): boolean | undefined;
  getObject(): Struct | undefined;
  getAliasesList(): { getSpec(): { getType(): string } | undefined }[];
  getVersion(): string;
  getPlugindownloadurl(): string;
  getAdditionalsecretoutputsList(): string[];
}
type Callback = (err: unknown, response: unknown) => void;
interface MonitorPrototype {
  registerResource(this: unknown, req: Request, callback: Callback): Promise<void>;
  registerResourceOutputs(this: unknown, req: { getUrn(): string; getOutputs(): Struct | undefined }, callback: Callback): void;
}

/** Patches the SDK's MockMonitor (the instance `root`'s mock engine will create) to record. */
export function startRecording(root: string): { write(file: string, run: ProgramRun): void } {
  const mocks = require(require.resolve("@pulumi/pulumi/runtime/mocks", { paths: [root] })) as { MockMonitor: { prototype: MonitorPrototype } };
  const proto = mocks.MockMonitor.prototype;
  const resources: Registration[] = [];
  const byUrn = new Map<string, Registration>();
  const register = proto.registerResource;
  proto.registerResource = function (req, callback) {
    const entry: Registration = {
      type: req.getType(),
      name: req.getName(),
      urn: "",
      custom: req.getCustom(),
      parent: req.getParent(),
      provider: req.getProvider(),
      dependencies: req.getDependenciesList(),
      protect: req.getProtect() === true,
      retainOnDelete: req.getRetainondelete() === true,
      inputs: req.getObject()?.toJavaScript() ?? {},
      aliasTypes: req.getAliasesList().map((a) => a.getSpec()?.getType() ?? "").filter((t) => t !== ""),
      version: req.getVersion(),
      pluginDownloadURL: req.getPlugindownloadurl(),
      additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
    };
    resources.push(entry);
    return register.call(this, req, (err, response) => {
      if (!err && response) {
        entry.urn = (response as { getUrn(): string }).getUrn();
        byUrn.set(entry.urn, entry);
      }
      callback(err, response);
    });
  };
  const registerOutputs = proto.registerResourceOutputs;
  proto.registerResourceOutputs = function (req, callback) {
    const entry = byUrn.get(req.getUrn());
    if (entry) entry.outputs = req.getOutputs()?.toJavaScript() ?? {};
    return registerOutputs.call(this, req, callback);
  };
  return {
    write(file, run) {
      const recording: Recording = { resources, stackOutputs: run.outputs, secretStackOutputs: run.secretOutputs };
      fs.writeFileSync(file, JSON.stringify(recording));
    },
  };
}

/** Differences between two recordings' registrations (dependency order ignored); empty when the same. */
export function recordingDifferences(a: Recording, b: Recording): string[] {
  const key = (r: Registration) => JSON.stringify({ ...r, dependencies: [...r.dependencies].sort(), outputs: undefined });
  const differences: string[] = [];
  if (a.resources.length !== b.resources.length) differences.push(`${a.resources.length} vs ${b.resources.length} resources`);
  const other = new Map(b.resources.map((r) => [r.urn, key(r)]));
  for (const r of a.resources) {
    if (other.get(r.urn) !== key(r)) differences.push(`${r.urn} differs`);
  }
  return differences;
}
