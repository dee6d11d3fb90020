import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { RULE_FILES } from "../../alerts/imported";
import { CONFIG_KEYS, CONFIG_VALUE_MAX_LENGTH, HELM_RELEASE_NAME_MAX } from "../../components/config-keys";
import { DASHBOARD_FILES } from "../../dashboards/imported";
import { SHOWN_MAX_LENGTH } from "../../lib/shown-value";
import { fromRoot } from "../../lib/paths";
import { renderStack } from "../../render/render";
import { FOLDERS, IMPORTED_FOLDER } from "../../dashboards/folders";
import { configTable } from "../../scripts/config-table";
import { folderTable, readmeWithSections } from "../../scripts/readme-sections";

const readme = fs.readFileSync(fromRoot("README.md"), "utf8");
const scripts = (JSON.parse(fs.readFileSync(fromRoot("package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;

describe("README tells the truth", () => {
  it("carries the current config reference table (npm run docs)", () => {
    assert.ok(readme.includes(configTable()), "README's config table is stale: run npm run docs");
  });

  it("lists every folder uid dashboards/folders.ts declares, where drop-in files go (npm run docs)", () => {
    assert.ok(readme.includes(folderTable()), "README's folder list is stale: run npm run docs");
    for (const f of [...FOLDERS, IMPORTED_FOLDER]) {
      assert.match(readme, new RegExp(`^\\| \`${f.uid}\` \\| .* \\| (.* )?\`dashboards/${f.uid}/\` \\| \`alerts/rules/${f.uid}/\` \\|$`, "m"), f.uid);
    }
    assert.equal(readmeWithSections(readme), readme, "every generated section is current");
  });

  it("mentions only npm scripts that exist", () => {
    const used = [...readme.matchAll(/npm run (?:--silent )?([a-z:-]+)/g)].map((m) => m[1]);
    assert.ok(used.length >= 4);
    for (const name of used) assert.ok(name in scripts, `README mentions npm run ${name}, which package.json lacks`);
    assert.ok(/npm test/.test(readme) && "test" in scripts);
  });

  it("sets only config keys the program reads", () => {
    const keys = [...readme.matchAll(/config set (?:--secret )?([A-Za-z]+)/g)].map((m) => m[1]);
    assert.ok(keys.length >= 8);
    for (const key of keys) assert.ok(key in CONFIG_KEYS, `README sets unknown key ${key}`);
  });

  it("states the bad-input limits the code enforces", () => {
    const section = readme.slice(readme.indexOf("### Bad input"), readme.indexOf("## High availability")).replace(/\s+/g, " ");
    const mib = (bytes: number) => `${bytes / 1024 / 1024} MiB`;
    const stated = [
      `over ${CONFIG_VALUE_MAX_LENGTH.toLocaleString("en")} characters`,
      `Helm release names over ${HELM_RELEASE_NAME_MAX} characters`,
      `at most ${SHOWN_MAX_LENGTH} characters of a value`,
      `over ${mib(DASHBOARD_FILES.maxBytes)} (dashboard) or ${mib(RULE_FILES.maxBytes)} (rule file)`,
      `nested more than ${DASHBOARD_FILES.maxDepth} levels`,
    ];
    for (const text of stated) assert.ok(section.includes(text), `README's bad-input section does not say "${text}"`);
  });

  it("runs every Pulumi command through npm run pulumi, naming its stack (the project's backend, never the last selected stack)", () => {
    // The config reference table quotes Pulumi.yaml's descriptions; everything else is prose or commands.
    const text = readme.split("\n").filter((line) => !line.startsWith("| `")).join("\n");
    const bare = [...text.matchAll(/(?<!npm run (?:--silent )?)\bpulumi (?:config|stack|state|preview|up|destroy|refresh) [^`\n]*/g)].map((m) => m[0]);
    assert.deepEqual(bare, [], "README tells users to run the CLI directly");
    const wrapped = [...text.matchAll(/npm run (?:--silent )?pulumi -- [^`\n]*/g)].map((m) => m[0]);
    assert.ok(wrapped.length >= 10);
    for (const command of wrapped) assert.match(command, /--stack (?:[a-z][a-z0-9-]*|<stack>)(?:\s|$)/, command);
  });

  it("shows a summary excerpt that the prod render really produces", async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "readme-render-"));
    try {
      const { summary } = await renderStack("prod", { outRoot: out });
      const excerpt = readme.slice(readme.indexOf("An excerpt of `summary.md`"));
      const rows = excerpt.split("```")[1].split("\n").filter((l) => l.startsWith("| ") && !l.startsWith("| Type") && !l.startsWith("| ---"));
      assert.ok(rows.length >= 3);
      for (const row of rows) assert.ok(summary.includes(row), `summary.md has no row ${row}`);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });
});
