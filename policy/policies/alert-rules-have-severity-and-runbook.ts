/**
 * alert-rules-have-severity-and-runbook: every rule of every Grafana alert rule group
 * carries what the notification policy routes on and what the person paged needs:
 * labels.severity (critical|warning|info), annotations.summary and an http(s)
 * annotations.runbook_url.
 */
import { ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import { isNonEmptyString, isUnknown, rawArray, rawGet, rawPath } from "../lib/props";
import { TYPES } from "../lib/resources";

export const ALERT_RULES_HAVE_SEVERITY_AND_RUNBOOK = "alert-rules-have-severity-and-runbook";
export const SEVERITIES: readonly string[] = ["critical", "warning", "info"];

export function isHttpUrl(value: unknown): boolean {
  if (typeof value !== "string" || /\s/.test(value)) {
    return false;
  }
  try {
    const url = new URL(value);
    return (url.protocol === "http:" || url.protocol === "https:") && url.hostname !== "";
  } catch {
    return false;
  }
}

/** The problems of one rule, each naming the field and the fix. */
export function ruleProblems(rule: unknown): string[] {
  const problems: string[] = [];
  const severity = rawPath(rule, "labels", "severity");
  if (!isUnknown(severity) && !(typeof severity === "string" && SEVERITIES.includes(severity))) {
    problems.push(
      `${severity === undefined ? "has no labels.severity" : `has labels.severity ${JSON.stringify(severity)}`}. ` +
        `Fix: set labels.severity to one of ${SEVERITIES.join(", ")} (the notification policy routes on it).`,
    );
  }
  const summary = rawPath(rule, "annotations", "summary");
  if (!isUnknown(summary) && !isNonEmptyString(summary)) {
    problems.push("has no annotations.summary. Fix: add a one-line, static summary of what is wrong.");
  }
  const runbook = rawPath(rule, "annotations", "runbook_url");
  if (!isUnknown(runbook) && !isHttpUrl(runbook)) {
    problems.push(
      `${runbook === undefined ? "has no annotations.runbook_url" : "has an annotations.runbook_url that is not an http(s) URL"}. ` +
        "Fix: set annotations.runbook_url to the rule's runbook section (alerts/rule-chain.ts runbookUrl()).",
    );
  }
  return problems;
}

function validate(args: ResourceValidationArgs, report: (message: string) => void): void {
  if (args.type !== TYPES.ruleGroup) {
    return;
  }
  const groupName = rawGet(args.props, "name");
  const group = `rule group "${isNonEmptyString(groupName) ? groupName : args.name}"`;
  rawArray(rawGet(args.props, "rules")).forEach((rule, index) => {
    const ruleName = rawGet(rule, "name");
    const label = `Alert rule ${isNonEmptyString(ruleName) ? `"${ruleName}" ` : ""}(rules[${index}]) in ${group}`;
    for (const problem of ruleProblems(rule)) {
      report(`${label} ${problem}`);
    }
  });
}

export const alertRulesHaveSeverityAndRunbook: ResourceValidationPolicy = {
  name: ALERT_RULES_HAVE_SEVERITY_AND_RUNBOOK,
  description:
    "Every rule of every Grafana alert rule group has labels.severity (critical, warning or info), " +
    "annotations.summary and an http(s) annotations.runbook_url.",
  enforcementLevel: "mandatory",
  validateResource: validate,
};
