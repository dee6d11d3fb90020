/**
 * A copy of the project root in a temporary folder, for what must not touch the real one:
 * the benchmark's workspaces and tests that add content or edit sources. The copy has
 * bin/ (stamps and all: timestamps are kept, so the build stays fresh) and links
 * node_modules; lib/paths.ts's projectRoot() resolves to the copy for code run from it.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { isMap, isScalar, parseDocument } from "yaml";
import { projectRoot } from "./paths";

export interface ProjectCopyOptions {
  /** The project to copy: this one by default (another copy, for tests of a repository's state). */
  readonly from?: string;
  /** Top-level entries left out besides node_modules (linked), out/, .git and other dot-entries. */
  readonly skip?: readonly string[];
  /** Keep bin/tests/ (left out by default: only the tests themselves need it). */
  readonly withCompiledTests?: boolean;
  /**
   * Drop from every Pulumi.<stack>.yaml what ties it to the team's secrets provider
   * (withoutTeamEncryption): for tests that create stacks with their own passphrase.
   */
  readonly withoutTeamEncryption?: boolean;
}

/**
 * The top-level keys of a stack file the CLI writes for its secrets provider (pkg/workspace's
 * ProjectStack: `secretsprovider`, `encryptedkey`, `encryptionsalt`). With a passphrase the
 * salt holds the check value that `stack init` and every decryption verify the passphrase
 * against ("incorrect passphrase").
 */
const SECRETS_PROVIDER_KEYS = ["secretsprovider", "encryptedkey", "encryptionsalt"] as const;

/**
 * A stack file's text without its secrets provider (SECRETS_PROVIDER_KEYS) and without its
 * `secure:` config values: once the team has followed docs/ci-first-run.md, the committed
 * stack files carry the team's salt and values encrypted with the team's passphrase, which a
 * test's own passphrase can neither reuse nor decrypt. Comments and every other value are
 * kept as written; a file with nothing to drop is returned unchanged.
 */
export function withoutTeamEncryption(stackFileText: string): string {
  const doc = parseDocument(stackFileText);
  let dropped = false;
  for (const key of SECRETS_PROVIDER_KEYS) dropped = doc.delete(key) || dropped;
  const config = doc.get("config");
  if (isMap(config)) {
    for (const pair of [...config.items]) {
      if (isMap(pair.value) && pair.value.has("secure")) {
        config.delete(isScalar(pair.key) ? pair.key.value : pair.key);
        dropped = true;
      }
    }
  }
  return dropped ? doc.toString() : stackFileText;
}

/** Pulumi.<stack>.yaml (not the project file, Pulumi.yaml). */
const isStackFile = (name: string) => /^Pulumi\..+\.ya?ml$/.test(name);

const COPY_PREFIX = "grafana-k8s-copy-";

/**
 * Copies the project to `dir` and returns it. By default `dir` is <tmp>/grafana-k8s-copy-X/project
 * with ../shared linked beside it when the project has one (tests read it from there).
 */
export function copyProject(dir?: string, options: ProjectCopyOptions = {}): string {
  const root = options.from ?? projectRoot();
  if (dir === undefined) {
    const base = fs.mkdtempSync(path.join(os.tmpdir(), COPY_PREFIX));
    const shared = path.join(root, "..", "shared");
    if (fs.existsSync(shared)) fs.symlinkSync(fs.realpathSync(shared), path.join(base, "shared"), "dir");
    return copyProject(path.join(base, "project"), options);
  }
  const skip = new Set(["node_modules", "out", ...(options.skip ?? [])]);
  const compiledTests = path.join(root, "bin", "tests");
  fs.mkdirSync(dir, { recursive: true });
  for (const entry of fs.readdirSync(root)) {
    if (skip.has(entry) || entry.startsWith(".")) continue;
    fs.cpSync(path.join(root, entry), path.join(dir, entry), {
      recursive: true,
      preserveTimestamps: true,
      verbatimSymlinks: true,
      filter: (src) => options.withCompiledTests === true || !(src === compiledTests || src.startsWith(`${compiledTests}${path.sep}`)),
    });
  }
  fs.symlinkSync(path.join(root, "node_modules"), path.join(dir, "node_modules"), "dir");
  if (options.withoutTeamEncryption === true) {
    for (const name of fs.readdirSync(dir).filter(isStackFile)) {
      const file = path.join(dir, name);
      fs.writeFileSync(file, withoutTeamEncryption(fs.readFileSync(file, "utf8")));
    }
  }
  return dir;
}

/** Removes a copy made by copyProject, with the temporary folder around it when it made one. */
export function removeProjectCopy(dir: string): void {
  const base = path.dirname(dir);
  fs.rmSync(path.basename(base).startsWith(COPY_PREFIX) ? base : dir, { recursive: true, force: true });
}
