/**
 * Checks of the Kubernetes objects a stack applies (render/helm/stack-objects.ts renders
 * them): OpenAPI schemas, references across objects, and policy; plus what several
 * stacks in one cluster must not share.
 */
import { Problem } from "../../lib/errors";
import { crossObjectProblems } from "./cross-object";
import { StackObjects } from "./objects";
import { policyProblems } from "./policy";
import { stackSchemaProblems } from "./schemas";

export { clusterProblems } from "./cluster";
export { crossObjectProblems } from "./cross-object";
export { policyProblems, CLUSTER_SCOPED_KINDS, imageParts } from "./policy";
export { schemaProblems, stackSchemaProblems, schemaSource } from "./schemas";
export * from "./objects";

/** Every problem of one stack's objects. */
export async function stackObjectProblems(stack: StackObjects): Promise<Problem[]> {
  return [...(await stackSchemaProblems(stack)), ...crossObjectProblems(stack), ...policyProblems(stack)];
}
