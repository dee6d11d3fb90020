/**
 * Records what a program registers, as the engine receives it (request inputs with
 * secrets still wrapped, parent, provider, dependencies, protect / retainOnDelete, the
 * aliases, version and secret outputs the provider SDKs add, component outputs, stack
 * outputs), for the floor program to replay.
 */
import * as fs from "node:fs";
import type { ProgramRun, RegisteredResource } from "../render/mock-engine";

/** What the floor replays: the real program's registrations, exactly as the mock engine recorded them. */
export type Registration = RegisteredResource;

export interface Recording {
  readonly resources: Registration[];
  readonly stackOutputs: Record<string, unknown>;
  readonly secretStackOutputs: readonly string[];
}

export function writeRecording(file: string, run: ProgramRun): void {
  const recording: Recording = { resources: run.resources, stackOutputs: run.outputs, secretStackOutputs: run.secretOutputs };
  fs.writeFileSync(file, JSON.stringify(recording));
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
