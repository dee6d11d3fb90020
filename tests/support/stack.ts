/** Test helpers: run a stack's real program under the mock engine and inspect what it registered. */
import * as assert from "node:assert/strict";
import { InputError } from "../../lib/errors";
import { isSecretValue, ProgramRun, RegisteredResource, runProgram } from "../../render/mock-engine";
import { loadStackConfig, StackConfigOptions } from "../../render/stack-config";

/** Secret values the committed stack files need but cannot hold (set with --secret in real use). */
export const STACK_SECRETS: Record<string, Record<string, string>> = {
  dev: {},
  prod: {
    alertSlackWebhookUrl: "https://hooks.slack.com/services/T000TEST/B000TEST/slack-secret-under-test",
    alertPagerdutyIntegrationKey: "pagerdutysecretundertest0123456789",
  },
};

export interface RunOptions extends StackConfigOptions {
  readonly preview?: boolean;
}

export async function runStack(stack: string, options: RunOptions = {}): Promise<ProgramRun> {
  const config = loadStackConfig(stack, {
    ...options,
    secrets: { ...(STACK_SECRETS[stack] ?? {}), ...(options.secrets ?? {}) },
  });
  return runProgram(stack, config, { preview: options.preview });
}

/** Runs a stack that must succeed; fails the test with the program's error otherwise. */
export async function deployStack(stack: string, options: RunOptions = {}): Promise<ProgramRun> {
  const run = await runStack(stack, options);
  if (run.error) throw run.error;
  return run;
}

/** Runs a stack that must be rejected: returns the InputError, asserting nothing was registered. */
export async function rejectStack(stack: string, options: RunOptions = {}): Promise<InputError> {
  const run = await runStack(stack, options);
  assert.ok(run.error instanceof InputError, `expected an InputError, got ${String(run.error)}`);
  assert.deepEqual(run.resources.map((r) => `${r.type} ${r.name}`), [], "resources were registered before the error");
  return run.error;
}

let shipped: Promise<{ dev: ProgramRun; prod: ProgramRun }> | undefined;

/**
 * The committed dev and prod stacks, run once per test process: several test files
 * inspect the same two runs, and the runs are read-only.
 */
export function shippedStacks(): Promise<{ dev: ProgramRun; prod: ProgramRun }> {
  shipped ??= (async () => ({ dev: await deployStack("dev"), prod: await deployStack("prod") }))();
  return shipped;
}

export function ofType(run: ProgramRun, type: string): RegisteredResource[] {
  return run.resources.filter((r) => r.type === type);
}

export function single(run: ProgramRun, type: string): RegisteredResource {
  const found = ofType(run, type);
  assert.equal(found.length, 1, `expected one ${type}, found ${found.length}`);
  return found[0];
}

export function named(run: ProgramRun, type: string, name: string): RegisteredResource {
  const found = ofType(run, type).find((r) => r.name === name);
  assert.ok(found, `no ${type} named ${name}; found ${ofType(run, type).map((r) => r.name).join(", ")}`);
  return found;
}

/** The value inside a secret wrapper; fails when the value is not secret. */
export function revealSecret(value: unknown): unknown {
  assert.ok(isSecretValue(value), `expected a secret, got ${JSON.stringify(value)}`);
  return value.value;
}

export const TYPES = {
  namespace: "kubernetes:core/v1:Namespace",
  secret: "kubernetes:core/v1:Secret",
  certificate: "kubernetes:cert-manager.io/v1:Certificate",
  networkPolicy: "kubernetes:networking.k8s.io/v1:NetworkPolicy",
  release: "kubernetes:helm.sh/v3:Release",
  password: "random:index/randomPassword:RandomPassword",
  deployment: "grafana-k8s:index:GrafanaDeployment",
  content: "grafana-k8s:index:GrafanaContent",
  alerting: "grafana-k8s:index:Alerting",
  provider: "pulumi:providers:grafana",
  folder: "grafana:oss/folder:Folder",
  folderPermission: "grafana:oss/folderPermission:FolderPermission",
  dashboard: "grafana:oss/dashboard:Dashboard",
  contactPoint: "grafana:alerting/contactPoint:ContactPoint",
  messageTemplate: "grafana:alerting/messageTemplate:MessageTemplate",
  muteTiming: "grafana:alerting/muteTiming:MuteTiming",
  notificationPolicy: "grafana:alerting/notificationPolicy:NotificationPolicy",
  ruleGroup: "grafana:alerting/ruleGroup:RuleGroup",
} as const;
