/**
 * Reads a stack's config the way the Pulumi CLI hands it to a program: Pulumi.yaml's
 * declared defaults, overlaid with Pulumi.<stack>.yaml, every value a string
 * (lists as JSON). Used by the offline render and the tests; a deploy gets the same
 * map from the CLI.
 */
import * as fs from "node:fs";
import { parseDocument } from "yaml";
import { PROJECT } from "../components/config-keys";
import { parseSettings, rawConfigFrom, Settings } from "../components/settings";
import { InputError, Problem } from "../lib/errors";
import { fromRoot } from "../lib/paths";
import { numberNotationProblems } from "../lib/stack-file";

export interface StackConfig {
  /** Fully qualified key (`grafana-k8s:namespace`) -> string value. */
  readonly values: Record<string, string>;
  /** Fully qualified keys whose value is secret. */
  readonly secretKeys: string[];
  /** Keys stored as `secure:` ciphertext in the stack file (only the CLI can decrypt them). */
  readonly encryptedKeys: string[];
}

export type ConfigValue = string | number | boolean | readonly string[];

export interface StackConfigOptions {
  /** Extra or replacement plain values, by un-namespaced key. */
  readonly overrides?: Readonly<Record<string, ConfigValue>>;
  /** Secret values, by un-namespaced key, as `pulumi config set --secret` would store them. */
  readonly secrets?: Readonly<Record<string, string>>;
  /** Keys to drop after merging (to test a missing value). */
  readonly remove?: readonly string[];
  /** Read the stack file from this path instead of Pulumi.<stack>.yaml. */
  readonly stackFile?: string;
}

/** A stack-file value as the Pulumi CLI hands it to the program (null and an empty value: ""). */
export function asConfigString(value: unknown): string {
  if (typeof value === "string") return value;
  if (value === null || value === undefined) return "";
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value);
}

function readYaml(file: string, problems: Problem[]): Record<string, unknown> | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    problems.push({ where: file, message: "cannot be read", fix: "create it with `pulumi stack init` or check the stack name" });
    return undefined;
  }
  try {
    const parsed = parseDocument(text);
    if (parsed.errors.length > 0) throw parsed.errors[0];
    problems.push(...numberNotationProblems(parsed, file));
    const doc: unknown = parsed.toJS();
    if (doc === null || doc === undefined) return {};
    if (typeof doc !== "object" || Array.isArray(doc)) {
      problems.push({ where: file, message: "is not a YAML mapping", fix: "start it with `config:`" });
      return undefined;
    }
    return doc as Record<string, unknown>;
  } catch (err) {
    problems.push({ where: file, message: `is not valid YAML: ${(err as Error).message.split("\n")[0]}`, fix: "fix the YAML syntax" });
    return undefined;
  }
}

type Declarations = Readonly<Record<string, { type?: string; default?: unknown; description?: string }>>;
/** Parsed once per version of the file: the tests load a stack's config for every program run. */
let declarations: { readonly mtimeMs: number; readonly value: Declarations } | undefined;

/** Pulumi.yaml's `config:` declarations: key -> declaration (shared: do not modify). */
export function projectConfigDeclarations(): Declarations {
  const file = fromRoot("Pulumi.yaml");
  const mtimeMs = fs.statSync(file, { throwIfNoEntry: false })?.mtimeMs;
  if (mtimeMs !== undefined && declarations?.mtimeMs === mtimeMs) return declarations.value;
  const problems: Problem[] = [];
  const project = readYaml(file, problems);
  if (!project) throw new InputError("Cannot read Pulumi.yaml", problems);
  const value = (project.config ?? {}) as Declarations;
  if (mtimeMs !== undefined) declarations = { mtimeMs, value };
  return value;
}

/** Every stack with a stack file (Pulumi.<stack>.yaml), sorted. */
export function committedStacks(): string[] {
  return fs
    .readdirSync(fromRoot())
    .sort()
    .flatMap((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1] ?? []);
}

export function loadStackConfig(stack: string, options: StackConfigOptions = {}): StackConfig {
  const problems: Problem[] = [];
  const values: Record<string, string> = {};
  const secretKeys: string[] = [];
  const encryptedKeys: string[] = [];

  for (const [name, decl] of Object.entries(projectConfigDeclarations())) {
    if (decl && typeof decl === "object" && "default" in decl) values[`${PROJECT}:${name}`] = asConfigString(decl.default);
  }

  const stackFile = options.stackFile ?? fromRoot(`Pulumi.${stack}.yaml`);
  const doc = readYaml(stackFile, problems);
  if (doc) {
    const config = doc.config ?? {};
    if (typeof config !== "object" || Array.isArray(config)) {
      problems.push({ where: `${stackFile}: config`, message: "is not a mapping of key: value", fix: "write one `grafana-k8s:<key>: <value>` per line" });
    } else {
      for (const [key, value] of Object.entries(config as Record<string, unknown>)) {
        const fullKey = key.includes(":") ? key : `${PROJECT}:${key}`;
        if (value && typeof value === "object" && !Array.isArray(value) && "secure" in value) {
          encryptedKeys.push(fullKey);
          secretKeys.push(fullKey);
          continue;
        }
        values[fullKey] = asConfigString(value);
      }
    }
  }
  if (problems.length > 0) throw new InputError(`Cannot read the config of stack "${stack}"`, problems);

  for (const [key, value] of Object.entries(options.overrides ?? {})) values[`${PROJECT}:${key}`] = asConfigString(value);
  for (const [key, value] of Object.entries(options.secrets ?? {})) {
    values[`${PROJECT}:${key}`] = value;
    secretKeys.push(`${PROJECT}:${key}`);
  }
  for (const key of options.remove ?? []) delete values[`${PROJECT}:${key}`];
  return { values, secretKeys: [...new Set(secretKeys)], encryptedKeys };
}

/** The stack's Settings from its config, validated as the program validates them (throws an InputError). */
export function settingsFor(stack: string, config: StackConfig): Settings {
  const secretKeys = new Set(config.secretKeys);
  return parseSettings(rawConfigFrom(stack, config.values, (k) => secretKeys.has(k)));
}
