/**
 * The pack's public API: its name, its policies, and each policy object (tests call
 * their validateResource directly). policy/index.ts only hands these to PolicyPack.
 */
import { EnforcementLevel, ResourceValidationPolicy } from "@pulumi/policy";
import { alertRulesHaveSeverityAndRunbook } from "./alert-rules-have-severity-and-runbook";
import { containersHaveResourceLimits } from "./containers-have-resource-limits";
import { dashboardsHaveUidAndFolder } from "./dashboards-have-uid-and-folder";
import { noPlaintextSecretsInHelmValues } from "./no-plaintext-secrets-in-helm-values";
import { prodKeepsItsData } from "./prod-keeps-its-data";

export { ALERT_RULES_HAVE_SEVERITY_AND_RUNBOOK, alertRulesHaveSeverityAndRunbook } from "./alert-rules-have-severity-and-runbook";
export { CONTAINERS_HAVE_RESOURCE_LIMITS, containersHaveResourceLimits } from "./containers-have-resource-limits";
export { DASHBOARDS_HAVE_UID_AND_FOLDER, dashboardsHaveUidAndFolder } from "./dashboards-have-uid-and-folder";
export {
  NO_PLAINTEXT_SECRETS_IN_HELM_VALUES,
  NoPlaintextSecretsConfig,
  noPlaintextSecretsInHelmValues,
} from "./no-plaintext-secrets-in-helm-values";
export { DEFAULT_PROD_STACK_PATTERN, PROD_KEEPS_ITS_DATA, ProdKeepsItsDataConfig, prodKeepsItsData } from "./prod-keeps-its-data";

/** Policy pack names may hold only letters, digits, "-", "_" and "." (checked by @pulumi/policy). */
export const PACK_NAME = "grafana-k8s-guardrails";
export const PACK_DESCRIPTION =
  "Guardrails for the grafana-k8s program: production keeps its data, containers are bounded, Helm values hold no " +
  "secrets, alert rules are actionable, dashboards are addressable.";
/** The pack-wide default; every policy also sets it explicitly. */
export const PACK_ENFORCEMENT_LEVEL: EnforcementLevel = "mandatory";

/** All policies of the pack, in the order they are reported. */
export const policies: readonly ResourceValidationPolicy[] = [
  prodKeepsItsData,
  containersHaveResourceLimits,
  noPlaintextSecretsInHelmValues,
  alertRulesHaveSeverityAndRunbook,
  dashboardsHaveUidAndFolder,
];
