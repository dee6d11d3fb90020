// .ci/run says what it runs: every command that does the work is printed before it runs.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import { fromRoot } from "../../lib/paths";

const script = fs.readFileSync(fromRoot(".ci", "run"), "utf8");

describe(".ci/run", () => {
  it("prints each command before running it (step), the install, npm ci and npm test included", () => {
    assert.match(script, /^step\(\) \{\n  printf '==> %s\\n' "\$\*"\n  "\$@"\n\}$/m);
    for (const command of ["apt-get update", "apt-get install", "npm ci", "npm test"]) {
      const lines = script.split("\n").filter((l) => l.includes(command) && !l.trimStart().startsWith("#") && !l.trimStart().startsWith("echo"));
      assert.ok(lines.length > 0, `${command} is not run`);
      for (const line of lines) assert.match(line.trim(), /^step /, `not printed first: ${line.trim()}`);
    }
  });
});
