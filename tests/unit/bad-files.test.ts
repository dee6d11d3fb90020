/**
 * The bad-input corpus, files: drop-in dashboards and rule files shaped to break a
 * reader (malformed, deep, huge, not UTF-8, symlinked, misplaced, not files at all),
 * each fed to `validate`, `render` and the program (preview and up under the mock
 * engine). Every one yields exactly one problem naming the file, and none a raw
 * JavaScript error, a stack trace or a registered resource.
 */
import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { readImportedDashboards } from "../../dashboards/imported";
import { InputError } from "../../lib/errors";
import { fromRoot } from "../../lib/paths";
import { renderStack } from "../../render/render";
import { validateStack } from "../../render/validate-cli";
import { DropIns } from "../support/drop-in";
import { rejectStack } from "../support/stack";

// A declared folder (the Imported folder): the reader refuses a sub-folder nobody declared.
const DASHBOARDS = "dashboards/imported";
const RULES = "alerts/rules/zz-files";
const OUTSIDE = fs.mkdtempSync(path.join(os.tmpdir(), "outside-repo-"));
/** What the cases put into the project: removed after each, and nothing else (a contributor's files stay). */
const drops = new DropIns();

const dashboard = (extra: Record<string, unknown> = {}) => JSON.stringify({ uid: "zz-files", title: "Files", schemaVersion: 39, panels: [], ...extra });

interface FileCase {
  readonly name: string;
  /** Creates the files; returns the project-relative path the one problem must name. */
  readonly setup: () => string;
  readonly expect: RegExp;
  /** Needs a tool this machine may lack. */
  readonly needs?: string;
}

const CASES: readonly FileCase[] = [
  { name: "malformed JSON", setup: () => write(DASHBOARDS, "broken.json", '{"uid": "zz-files", "panels": ['), expect: /is not valid JSON/ },
  { name: "JSON that is not an object", setup: () => write(DASHBOARDS, "list.json", "[1, 2]"), expect: /is not a dashboard \(the JSON is not an object\)/ },
  { name: "an empty dashboard file", setup: () => write(DASHBOARDS, "empty.json", ""), expect: /is not valid JSON/ },
  { name: "panels that are an object", setup: () => write(DASHBOARDS, "object.json", dashboard({ panels: { a: 1 } })), expect: /panels: is an object, not a list of panels/ },
  { name: "null and strings among the panels", setup: () => write(DASHBOARDS, "nulls.json", dashboard({ panels: [null, "x"] })), expect: /panels\[0\]: is null, not a panel object/ },
  { name: "a row whose panels are not a list", setup: () => write(DASHBOARDS, "row.json", dashboard({ panels: [{ id: 1, type: "row", panels: "x" }] })), expect: /panels\[0\]\.panels: is a string, not a list of panels/ },
  {
    name: "JSON nested a few thousand levels deep",
    setup: () => write(DASHBOARDS, "deep.json", dashboard({ description: "x" }).replace(/}$/, `, "deep": ${"[".repeat(5000)}${"]".repeat(5000)}}`)),
    expect: /nests objects and lists more than 64 levels deep/,
  },
  { name: "a file over the size limit", setup: () => write(DASHBOARDS, "huge.json", dashboard({ description: "x".repeat(9 * 1024 * 1024) })), expect: /is \d+ bytes, more than the 8388608 a dashboard may have/ },
  {
    name: "invalid UTF-8",
    setup: () => write(DASHBOARDS, "latin1.json", Buffer.concat([Buffer.from('{"uid":"zz-files","title":"Caf'), Buffer.from([0xe9]), Buffer.from('","panels":[]}')])),
    expect: /is not valid UTF-8 text/,
  },
  { name: "a dashboard with a wrong-case extension", setup: () => write(DASHBOARDS, "upper.JSON", dashboard()), expect: /has the extension \.JSON: only \.json files are read \(the case matters\)[\s\S]*rename it to upper\.json/ },
  {
    name: "a dashboard in a nested sub-folder",
    setup: () => (write(`${DASHBOARDS}/deeper`, "nested.json", dashboard()), `${DASHBOARDS}/deeper`),
    expect: /holds dashboards in a folder too deep/,
  },
  { name: "a dashboard symlinked to a file outside the repository", setup: () => link(DASHBOARDS, "outside.json", outside("d.json", dashboard())), expect: /is a symbolic link to .*, outside the repository/ },
  { name: "a directory named like a rule file", setup: () => drops.folder(`${RULES}/dir.yaml`), expect: /is a directory, not a rule file/ },
  { name: "a broken symbolic link named like a rule file", setup: () => link(RULES, "gone.yaml", path.join(OUTSIDE, "does-not-exist.yaml")), expect: /is a broken symbolic link/ },
  { name: "a rule file symlinked to a file outside the repository", setup: () => link(RULES, "outside.yaml", outside("r.yaml", "[]")), expect: /is a symbolic link to .*, outside the repository/ },
  { name: "a rule file in a nested sub-folder", setup: () => (write(`${RULES}/sub`, "r.yaml", "[]"), `${RULES}/sub`), expect: /holds rule files in a folder too deep/ },
  { name: "a rule file with a wrong-case extension", setup: () => write(RULES, "r.Yaml", "[]"), expect: /has the extension \.Yaml/ },
  { name: "a rule file nested beyond the YAML parser's depth", setup: () => write(RULES, "deep.yaml", `- name: ${"[".repeat(500)}${"]".repeat(500)}\n`), expect: /is not valid YAML: nesting exceeded maxDepth/ },
  {
    name: "a named pipe called like a dashboard (reading it would block)",
    needs: "mkfifo",
    setup: () => {
      execFileSync("mkfifo", [drops.claim(`${DASHBOARDS}/pipe.json`)]);
      return `${DASHBOARDS}/pipe.json`;
    },
    expect: /is not a regular file/,
  },
];

/** Writes a file into the project; returns its project-relative path. */
const write = (dir: string, name: string, content: string | Buffer) => drops.write(`${dir}/${name}`, content);
const link = (dir: string, name: string, target: string) => drops.link(`${dir}/${name}`, target);

/** Writes a file outside the repository; returns its absolute path. */
function outside(name: string, content: string): string {
  const file = path.join(OUTSIDE, name);
  fs.writeFileSync(file, content);
  return file;
}

const hasTool = (tool: string) => {
  try {
    execFileSync("sh", ["-c", `command -v ${tool}`], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
};

/** Lines of a problem report that name `source`. */
const problemsNaming = (message: string, source: string) => message.split("\n").filter((l) => l.startsWith(`  - ${source}`));

function assertOneClearProblem(message: string, source: string, expect: RegExp, via: string): void {
  const named = problemsNaming(message, source);
  assert.equal(named.length, 1, `${via}: expected one problem naming ${source}, got:\n${message.slice(0, 3000)}`);
  assert.match(message, expect, via);
  assert.doesNotMatch(message, /\n\s+at .+:\d+:\d+/, `${via}: stack trace in the message`);
  assert.doesNotMatch(message, /TypeError|RangeError|Maximum call stack|EISDIR|ENOENT|Cannot read properties/, `${via}: raw JavaScript error`);
  assert.match(message, /fix: /, `${via}: no fix given`);
}

describe("bad-input corpus: files no reader may choke on (validate, render, preview, up)", () => {
  let out: string;
  before(() => (out = fs.mkdtempSync(path.join(os.tmpdir(), "bad-files-render-"))));
  after(() => {
    fs.rmSync(out, { recursive: true, force: true });
    fs.rmSync(OUTSIDE, { recursive: true, force: true });
  });
  afterEach(() => drops.removeAll());

  let ran = 0;
  for (const c of CASES) {
    it(`reports ${c.name}`, async function () {
      if (c.needs && !hasTool(c.needs)) {
        if (process.env.CI) assert.fail(`${c.needs} is missing, and CI must run every case`);
        return this.skip();
      }
      ran++;
      const source = c.setup();

      let validateError: unknown;
      try {
        validateStack("dev");
      } catch (err) {
        validateError = err;
      }
      assert.ok(validateError instanceof InputError, `validate: expected an InputError, got ${String(validateError)}`);
      assertOneClearProblem(validateError.message, source, c.expect, "validate");

      const rendered = await renderStack("dev", { outRoot: out });
      assert.ok(rendered.error instanceof InputError, `render: expected an InputError, got ${String(rendered.error)}`);
      assertOneClearProblem(rendered.error.message, source, c.expect, "render");
      assert.ok(!fs.existsSync(path.join(out, "dev")), "render wrote output despite the error");

      for (const preview of [true, false]) {
        const err = await rejectStack("dev", { preview });
        assertOneClearProblem(err.message, source, c.expect, preview ? "preview" : "up");
      }
    });
  }

  it("ran every case that this machine can run (counted as run)", () => {
    const runnable = CASES.filter((c) => !c.needs || hasTool(c.needs)).length;
    assert.equal(ran, runnable);
  });

  it("follows a symbolic link that stays inside the repository (not every link is refused)", () => {
    const source = link(DASHBOARDS, "linked.json", fromRoot("tests", "fixtures", "dashboards", "valid", "top-level.json"));
    const { dashboards, problems } = readImportedDashboards();
    assert.deepEqual(problems.filter((p) => p.where.startsWith(source)), []);
    assert.ok(dashboards.some((d) => d.source === source && d.uid === "fixture-top-level"), "the linked dashboard was not read");
  });
});
