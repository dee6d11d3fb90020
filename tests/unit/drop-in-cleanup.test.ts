// Files the tests drop into the checkout (tests/support/drop-in.ts) go away also when a run is
// interrupted: left behind, third-party drop-ins would be deployed by the next `pulumi up`.
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { fromRoot } from "../../lib/paths";

const DROP_IN = path.join(__dirname, "..", "support", "drop-in.js");

/** Runs a process that drops `relative` in and then ends by `ending`; returns how it ended. */
function dropThenEnd(relative: string, ending: string) {
  const script = `const { DropIns } = require(${JSON.stringify(DROP_IN)});
new DropIns().write(${JSON.stringify(relative)}, "{}");
if (!require("node:fs").existsSync(${JSON.stringify(fromRoot(relative))})) process.exit(3);
${ending}`;
  return spawnSync(process.execPath, ["-e", script], { encoding: "utf8", timeout: 20_000 });
}

describe("drop-ins: removed when the run is interrupted", () => {
  for (const [how, ending, expected] of [
    ["Ctrl-C (SIGINT), the process still ending by the signal", `process.kill(process.pid, "SIGINT"); setTimeout(() => {}, 10000);`, { signal: "SIGINT" }],
    ["SIGTERM", `process.kill(process.pid, "SIGTERM"); setTimeout(() => {}, 10000);`, { signal: "SIGTERM" }],
    ["an early process.exit", "process.exit(7);", { status: 7 }],
  ] as const) {
    it(how, () => {
      const relative = `dashboards/imported/zz-interrupted-${process.pid}-${how.length}.json`;
      try {
        const run = dropThenEnd(relative, ending);
        if ("signal" in expected) assert.equal(run.signal, expected.signal, run.stderr);
        else assert.equal(run.status, expected.status, run.stderr);
        assert.ok(!fs.existsSync(fromRoot(relative)), `${relative} was left in the checkout`);
      } finally {
        fs.rmSync(fromRoot(relative), { force: true });
      }
    });
  }
});
