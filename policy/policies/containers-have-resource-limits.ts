/**
 * containers-have-resource-limits: the grafana release's values and every container
 * and initContainer of a workload declare resources.limits.cpu and .memory.
 */
import { ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import { formatPath, isUnknown, PathSegment, rawArray, rawGet, rawPath } from "../lib/props";
import { isGrafanaRelease, TYPES } from "../lib/resources";

export const CONTAINERS_HAVE_RESOURCE_LIMITS = "containers-have-resource-limits";
export const REQUIRED_LIMITS: readonly string[] = ["cpu", "memory"];

/** Where each workload kind keeps its pod spec. */
export const POD_SPEC_PATHS: Readonly<Record<string, readonly string[]>> = {
  [TYPES.deployment]: ["spec", "template", "spec"],
  [TYPES.statefulSet]: ["spec", "template", "spec"],
  [TYPES.daemonSet]: ["spec", "template", "spec"],
  [TYPES.replicaSet]: ["spec", "template", "spec"],
  [TYPES.job]: ["spec", "template", "spec"],
  [TYPES.cronJob]: ["spec", "jobTemplate", "spec", "template", "spec"],
  [TYPES.pod]: ["spec"],
};

/** A quantity is set: "500m", "1Gi", 2 — or computed (known at update). */
function isQuantity(value: unknown): boolean {
  return isUnknown(value) || (typeof value === "string" && value.trim() !== "") || (typeof value === "number" && value > 0);
}

/** The limits missing from a `resources` block, as `resources.limits.<name>`. */
export function missingLimits(resources: unknown): string[] {
  if (isUnknown(resources) || isUnknown(rawGet(resources, "limits"))) {
    return [];
  }
  return REQUIRED_LIMITS.filter((name) => !isQuantity(rawPath(resources, "limits", name))).map(
    (name) => `resources.limits.${name}`,
  );
}

const FIX = "Fix: set resources.limits.cpu and resources.limits.memory (for example cpu \"500m\", memory \"512Mi\").";

function validateGrafanaRelease(args: ResourceValidationArgs, report: (message: string) => void): void {
  const values = rawGet(args.props, "values");
  if (isUnknown(values)) {
    return;
  }
  const missing = missingLimits(rawGet(values, "resources"));
  if (missing.length > 0) {
    report(
      `Helm release "${args.name}" (chart grafana) has no ${missing.map((m) => `values.${m}`).join(" or ")}: ` +
        "an unbounded Grafana pod can starve its node. Fix: set values.resources.limits.cpu and .memory " +
        "(config grafana-k8s:cpuLimit and grafana-k8s:memoryLimit).",
    );
  }
}

function validateWorkload(args: ResourceValidationArgs, podSpecPath: readonly string[], report: (message: string) => void): void {
  const kind = args.type.split(":").pop() ?? args.type;
  const podSpec = rawPath(args.props, ...podSpecPath);
  for (const list of ["initContainers", "containers"]) {
    rawArray(rawGet(podSpec, list)).forEach((container, index) => {
      const missing = missingLimits(rawGet(container, "resources"));
      if (missing.length === 0) {
        return;
      }
      const name = rawGet(container, "name");
      const path: PathSegment[] = [...podSpecPath, list, index];
      report(
        `${kind} "${args.name}" ${list === "containers" ? "container" : "initContainer"} ` +
          `${typeof name === "string" ? `"${name}" ` : ""}(${formatPath("", path)}) has no ${missing.join(" or ")}. ${FIX}`,
      );
    });
  }
}

function validate(args: ResourceValidationArgs, report: (message: string) => void): void {
  if (isGrafanaRelease(args.type, args.props)) {
    validateGrafanaRelease(args, report);
    return;
  }
  const podSpecPath = POD_SPEC_PATHS[args.type];
  if (podSpecPath) {
    validateWorkload(args, podSpecPath, report);
  }
}

export const containersHaveResourceLimits: ResourceValidationPolicy = {
  name: CONTAINERS_HAVE_RESOURCE_LIMITS,
  description:
    "The grafana release's values and every container and initContainer of a Deployment, StatefulSet, DaemonSet, " +
    "ReplicaSet, Job, CronJob or Pod set resources.limits.cpu and resources.limits.memory.",
  enforcementLevel: "mandatory",
  validateResource: validate,
};
