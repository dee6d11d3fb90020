/**
 * prod-keeps-its-data: in production stacks the grafana Helm release is protected and
 * its values keep Grafana's database somewhere that outlives a pod.
 *
 * What a policy can see of resource options: @pulumi/policy 1.21 exposes `protect`,
 * `ignoreChanges`, `deleteBeforeReplace`, `aliases`, `customTimeouts`,
 * `additionalSecretOutputs` and `parent` (PolicyResourceOptions; the engine's
 * AnalyzerResourceOptions has no more). `retainOnDelete` is not visible, so only
 * `protect` is checked; the message still asks for both.
 */
import { ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import { isUnknown, rawGet, rawPath } from "../lib/props";
import { isGrafanaRelease, stackOfUrn } from "../lib/resources";

export const PROD_KEEPS_ITS_DATA = "prod-keeps-its-data";
/** Stacks whose name matches this are production. */
export const DEFAULT_PROD_STACK_PATTERN = "^prod";
/** grafana.ini `database.type` values that keep data outside the pod. */
export const EXTERNAL_DATABASE_TYPES: readonly string[] = ["postgres", "mysql"];

export interface ProdKeepsItsDataConfig {
  /** A JavaScript regular expression tested against the stack name. Default "^prod". */
  readonly prodStackPattern?: string;
}

function prodPattern(config: ProdKeepsItsDataConfig): RegExp {
  const source = config.prodStackPattern ?? DEFAULT_PROD_STACK_PATTERN;
  try {
    return new RegExp(source);
  } catch (err) {
    throw new Error(`${PROD_KEEPS_ITS_DATA}: config prodStackPattern "${source}" is not a valid regular expression: ${(err as Error).message}`);
  }
}

/**
 * What is wrong with how the values keep data, or [] when they do: persistence on
 * (one replica), or the HA mode (replicas > 1, persistence off, an external
 * postgres/mysql database). Values still unknown at preview are checked again at update.
 */
export function dataKeepingProblems(values: unknown): string[] {
  const replicasRaw = rawGet(values, "replicas");
  const persistenceRaw = rawPath(values, "persistence", "enabled");
  const dbTypeRaw = rawPath(values, "grafana.ini", "database", "type");
  if (isUnknown(values) || [replicasRaw, persistenceRaw, dbTypeRaw].some(isUnknown)) {
    return [];
  }
  // The chart's defaults: 1 replica, persistence off, SQLite.
  const replicas = typeof replicasRaw === "number" ? replicasRaw : 1;
  const persistence = persistenceRaw === true;
  const externalDb = typeof dbTypeRaw === "string" && EXTERNAL_DATABASE_TYPES.includes(dbTypeRaw);
  const modes =
    "either persistence (values.persistence.enabled: true, 1 replica, deploymentStrategy Recreate) " +
    `or HA (values.replicas > 1, values.persistence.enabled: false, values["grafana.ini"].database.type ${EXTERNAL_DATABASE_TYPES.join("|")}` +
    ' with its password as "$__env{GF_DATABASE_PASSWORD}")';

  if (replicas > 1 && !externalDb) {
    return [
      `values run ${replicas} replicas on Grafana's embedded SQLite database (values["grafana.ini"].database.type is not ` +
        `${EXTERNAL_DATABASE_TYPES.join("/")}): the replicas cannot share it and lose or split their data. Fix: use ${modes}.`,
    ];
  }
  if (!persistence && !externalDb) {
    return [
      "values keep Grafana's database on the pod's ephemeral disk (values.persistence.enabled is not true and there is no " +
        `external database): dashboards, users and alert state go with the pod. Fix: use ${modes}.`,
    ];
  }
  return [];
}

function validate(args: ResourceValidationArgs, report: (message: string) => void): void {
  if (!isGrafanaRelease(args.type, args.props)) {
    return;
  }
  const stack = stackOfUrn(args.urn);
  if (!prodPattern(args.getConfig<ProdKeepsItsDataConfig>()).test(stack)) {
    return;
  }
  const where = `Helm release "${args.name}" in production stack "${stack}"`;
  if (!args.opts.protect) {
    report(
      `${where} is not protected: \`pulumi destroy\` or a replacement would uninstall it, and Grafana's data with it. ` +
        "Fix: register it with resource options { protect: true, retainOnDelete: true } (config grafana-k8s:protectData: true).",
    );
  }
  for (const problem of dataKeepingProblems(rawGet(args.props, "values"))) {
    report(`${where}: ${problem}`);
  }
}

export const prodKeepsItsData: ResourceValidationPolicy = {
  name: PROD_KEEPS_ITS_DATA,
  description:
    "In production stacks the grafana Helm release is protected and keeps its data: persistence on, " +
    "or HA with replicas > 1, persistence off and an external postgres/mysql database.",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      prodStackPattern: {
        type: "string",
        default: DEFAULT_PROD_STACK_PATTERN,
        description: "JavaScript regular expression; stacks whose name matches are production.",
      },
    },
  },
  validateResource: validate,
};
