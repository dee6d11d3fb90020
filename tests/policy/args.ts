/**
 * Hand-made arguments for calling a policy's validateResource directly, shaped like
 * what @pulumi/policy 1.21's analyzer server builds (node_modules/@pulumi/policy/server.js).
 */
import * as policySdk from "@pulumi/policy";
import { PolicyResourceOptions, ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";

export interface ResourceInput {
  readonly type: string;
  readonly props: Record<string, unknown>;
  /** The Pulumi resource name. Default "test-resource". */
  readonly name?: string;
  /** The stack, written into the URN as the engine does. Default "dev". */
  readonly stack?: string;
  readonly opts?: Partial<PolicyResourceOptions>;
  /** What args.getConfig() returns for this policy (the CLI fills in schema defaults; tests pass them explicitly). */
  readonly config?: object;
  /** Wrap props in the SDK's unknown-checking proxy, as the analyzer server does. */
  readonly proxied?: boolean;
}

/**
 * The SDK's proxy factory. index.js exports it, but its declaration file re-exports it
 * from a module whose typings are empty, so it is typed here.
 */
const unknownCheckingProxy = (policySdk as unknown as { unknownCheckingProxy<T extends object>(target: T): T }).unknownCheckingProxy;

export function resourceArgs(input: ResourceInput): ResourceValidationArgs {
  const name = input.name ?? "test-resource";
  const stack = input.stack ?? "dev";
  const config = input.config ?? {};
  return {
    type: input.type,
    props: input.proxied ? unknownCheckingProxy(input.props) : input.props,
    urn: `urn:pulumi:${stack}::grafana-k8s::${input.type}::${name}`,
    name,
    opts: {
      protect: false,
      ignoreChanges: [],
      aliases: [],
      customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
      additionalSecretOutputs: [],
      ...input.opts,
    },
    stackTags: new Map<string, string>(),
    isType: () => {
      throw new Error("isType is not used by this pack's policies");
    },
    asType: () => {
      throw new Error("asType is not used by this pack's policies");
    },
    getConfig: <T extends object>() => config as T,
    notApplicable: (reason?: string) => {
      throw new Error(`notApplicable: ${reason ?? ""}`);
    },
  };
}

/** Runs every validateResource of the policy with a reportViolation spy; returns what it reported. */
export async function violations(policy: ResourceValidationPolicy, args: ResourceValidationArgs): Promise<string[]> {
  const reported: string[] = [];
  const spy = (message: string, urn?: string) => {
    if (urn !== undefined) {
      reported.push(`${message} [urn ${urn}]`);
    } else {
      reported.push(message);
    }
  };
  const validations = policy.validateResource === undefined ? [] : [policy.validateResource].flat();
  for (const validate of validations) {
    await validate(args, spy);
  }
  return reported;
}
