/**
 * Runs the real program under the Pulumi SDK's mock engine: no CLI, no plugins, no
 * cluster. Records every registered resource as the engine receives it: inputs (secrets
 * still wrapped) and options, including those the provider SDKs add (the benchmark's
 * floor replays them), and components' registered outputs.
 */
import * as pulumi from "@pulumi/pulumi";
import { fromRoot } from "../lib/paths";
import { StackConfig } from "./stack-config";

export interface RegisteredResource {
  readonly type: string;
  readonly name: string;
  readonly urn: string;
  /** Inputs as the engine received them; secrets stay wrapped (see isSecretValue). */
  readonly inputs: Record<string, unknown>;
  readonly custom: boolean;
  readonly parent: string;
  readonly provider: string;
  readonly dependencies: readonly string[];
  readonly protect: boolean;
  readonly retainOnDelete: boolean;
  /** Input properties whose changes the engine ignores (the ignoreChanges option). */
  readonly ignoreChanges: readonly string[];
  /** Options the provider SDKs' generated classes add. */
  readonly aliasTypes: readonly string[];
  readonly version: string;
  readonly pluginDownloadURL: string;
  readonly additionalSecretOutputs: readonly string[];
  /** registerOutputs of a component, when it called it. */
  outputs?: Record<string, unknown>;
}

export interface ProgramRun {
  /** What the program threw (an InputError for bad input); resources registered before it are still listed. */
  readonly error?: unknown;
  readonly resources: RegisteredResource[];
  readonly outputs: Record<string, unknown>;
  /** Output names whose value is a Pulumi secret. */
  readonly secretOutputs: string[];
}

/** A secret as it travels to the engine: the SDK's wire marker and the value. */
export function isSecretValue(value: unknown): value is { value: unknown } {
  return typeof value === "object" && value !== null && (value as Record<string, unknown>)[pulumi.runtime.specialSigKey] === pulumi.runtime.specialSecretSig;
}

/** Plausible provider-computed state for the few resources whose outputs the program reads. */
function mockState(type: string, name: string, inputs: Record<string, unknown>): Record<string, unknown> {
  switch (type) {
    case "random:index/randomPassword:RandomPassword":
      return { ...inputs, result: `mock-password-for-${name}` };
    case "kubernetes:helm.sh/v3:Release":
      return { ...inputs, status: { name: inputs.name, namespace: inputs.namespace, status: "deployed" } };
    default:
      return inputs;
  }
}

interface Struct {
  toJavaScript(): Record<string, unknown>;
}
interface RegisterRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getCustom(): boolean;
  getProvider(): string;
  getDependenciesList(): string[];
  getProtect(): boolean | undefined;
  getRetainondelete(): boolean | undefined;
  getIgnorechangesList(): string[];
  getObject(): Struct | undefined;
  getAliasesList(): { getSpec(): { getType(): string } | undefined }[];
  getVersion(): string;
  getPlugindownloadurl(): string;
  getAdditionalsecretoutputsList(): string[];
}
type Callback = (err: Error | null, response: unknown) => void;
interface MonitorLike {
  registerResource(req: RegisterRequest, callback: Callback): Promise<void>;
  registerResourceOutputs(req: { getUrn(): string; getOutputs(): Struct | undefined }, callback: Callback): void;
}

/** What a register request carries; the urn comes with the engine's answer. */
function registration(req: RegisterRequest, urn: string): RegisteredResource {
  return {
    type: req.getType(),
    name: req.getName(),
    urn,
    inputs: req.getObject()?.toJavaScript() ?? {},
    custom: req.getCustom(),
    parent: req.getParent(),
    provider: req.getProvider(),
    dependencies: req.getDependenciesList(),
    protect: req.getProtect() === true,
    retainOnDelete: req.getRetainondelete() === true,
    ignoreChanges: req.getIgnorechangesList(),
    aliasTypes: req.getAliasesList().map((a) => a.getSpec()?.getType() ?? "").filter((t) => t !== ""),
    version: req.getVersion(),
    pluginDownloadURL: req.getPlugindownloadurl(),
    additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
  };
}

const runtime = pulumi.runtime as unknown as {
  getMonitor(): MonitorLike;
  waitForRPCs(): Promise<void>;
  setAllConfig(config: Record<string, string>, secretKeys?: string[]): void;
};

async function settle(value: unknown): Promise<{ value: unknown; secret: boolean }> {
  if (pulumi.Output.isInstance(value)) {
    const secret = await pulumi.isSecret(value as pulumi.Output<unknown>);
    const resolved = await new Promise<unknown>((resolve) => (value as pulumi.Output<unknown>).apply((v) => resolve(v)));
    return { value: resolved, secret };
  }
  return { value, secret: false };
}

/**
 * Runs bin/index.js (the compiled entry point, exactly what `pulumi up` runs) with the
 * given config. Never throws for a program error: it is returned in `error`, with
 * whatever was registered before it.
 */
export interface RunOptions {
  readonly preview?: boolean;
  /** Called after each resource registration, e.g. for a progress line. */
  readonly onRegister?: (resource: RegisteredResource, count: number) => void;
}

export async function runProgram(stack: string, config: StackConfig, options: RunOptions = {}): Promise<ProgramRun> {
  const registered = new Map<string, RegisteredResource>();
  const order: string[] = [];
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        const state = mockState(args.type, args.name, args.inputs as Record<string, unknown>);
        return { id: args.custom === false ? undefined : `${args.name}-id`, state };
      },
      call: (args) => args.inputs as Record<string, unknown>,
    },
    "grafana-k8s",
    stack,
    options.preview ?? false,
  );
  runtime.setAllConfig(config.values, config.secretKeys);

  const monitor = runtime.getMonitor();
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, callback) =>
    register(req, (err, response) => {
      if (!err && response) {
        const resource = registration(req, (response as { getUrn(): string }).getUrn());
        registered.set(resource.urn, resource);
        order.push(resource.urn);
        options.onRegister?.(resource, order.length);
      }
      callback(err, response);
    });
  const registerOutputs = monitor.registerResourceOutputs.bind(monitor);
  monitor.registerResourceOutputs = (req, callback) => {
    const resource = registered.get(req.getUrn());
    if (resource) resource.outputs = req.getOutputs()?.toJavaScript() ?? {};
    registerOutputs(req, callback);
  };

  const entry = fromRoot("bin", "index.js");
  delete require.cache[require.resolve(entry)];
  // The program lowers Error.stackTraceLimit for its process (lib/stack-traces.ts); a
  // caller such as mocha gets its own limit back after the run.
  const stackTraceLimit = Error.stackTraceLimit;
  const outputs: Record<string, unknown> = {};
  const secretOutputs: string[] = [];
  let error: unknown;
  try {
    const exported = require(entry) as Record<string, unknown>;
    for (const [key, value] of Object.entries(exported)) {
      const settled = await settle(value);
      outputs[key] = settled.value;
      if (settled.secret) secretOutputs.push(key);
    }
  } catch (err) {
    error = err;
  }
  await runtime.waitForRPCs();
  Error.stackTraceLimit = stackTraceLimit;
  return { error, resources: order.map((urn) => registered.get(urn)!), outputs, secretOutputs };
}
