/**
 * Without --url, the pull reads the stack's Grafana URL and credentials through the Pulumi
 * CLI (`pulumi stack output --json --show-secrets`, `pulumi config get grafanaAuth`). The
 * CLI cannot run here (no backend, no plugins), so a stand-in `pulumi` on PATH prints what
 * those commands print for a deployed stack (components/stack.ts names the outputs) and
 * records how it was called.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { FOLDER_UID } from "../../dashboards";
import { fromRoot } from "../../lib/paths";
import { scratchCheckout } from "./support/checkout";
import { cliEnv, runPullCli, runPullInProcess } from "./support/cli";
import { RunningGrafana, startGrafanaApi } from "./support/grafana-api-server";

const STAND_IN = `#!/usr/bin/env node
const fs = require("node:fs");
const args = process.argv.slice(2);
fs.appendFileSync(process.env.STAND_IN_LOG, JSON.stringify({ args, backend: process.env.PULUMI_BACKEND_URL, cwd: process.cwd() }) + "\\n");
if (process.env.STAND_IN_FAIL) { process.stderr.write(process.env.STAND_IN_FAIL + "\\n"); process.exit(255); }
if (args[0] === "stack" && args[1] === "output") process.stdout.write(process.env.STAND_IN_OUTPUTS);
else if (args[0] === "config" && args[1] === "get" && args[2] === "grafanaAuth") process.stdout.write(process.env.STAND_IN_GRAFANA_AUTH + "\\n");
else { process.stderr.write("error: unexpected command " + args.join(" ") + "\\n"); process.exit(1); }
`;

describe("npm run pull: the stack's URL and credentials", function () {
  this.timeout(60_000);
  let bin: string;
  let log: string;
  let checkout: ReturnType<typeof scratchCheckout>;
  const servers: RunningGrafana[] = [];

  before(() => {
    bin = fs.mkdtempSync(path.join(os.tmpdir(), "pull-pulumi-"));
    fs.writeFileSync(path.join(bin, "pulumi"), STAND_IN, { mode: 0o755 });
    log = path.join(bin, "calls.log");
  });
  after(async () => {
    for (const s of servers) await s.close();
    fs.rmSync(bin, { recursive: true, force: true });
  });
  beforeEach(() => {
    checkout = scratchCheckout();
    fs.rmSync(log, { force: true });
  });
  afterEach(() => checkout.remove());

  const grafanaAccepting = async (auth: string): Promise<RunningGrafana> => {
    const server = await startGrafanaApi({ folders: [{ uid: FOLDER_UID.root, title: "Churn API" }], dashboards: [], ruleGroups: [] }, { auth });
    servers.push(server);
    return server;
  };
  const calls = (): { args: string[]; backend: string; cwd: string }[] =>
    fs.readFileSync(log, "utf8").trim().split("\n").map((l) => JSON.parse(l) as { args: string[]; backend: string; cwd: string });
  const env = (extra: Record<string, string>) => cliEnv({ PATH: `${bin}${path.delimiter}${process.env.PATH ?? ""}`, STAND_IN_LOG: log, ...extra });

  it("a deployed stack: its grafanaApiUrl and generated admin credentials, from the project's default backend", async () => {
    const grafana = await grafanaAccepting("admin:generated-admin-password");
    const outputs = JSON.stringify({ environment: "dev", grafanaApiUrl: grafana.url, adminUser: "admin", adminPassword: "generated-admin-password" });
    const run = await runPullCli(["--folder", FOLDER_UID.root, "--dry-run", "--root", checkout.root], env({ STAND_IN_OUTPUTS: outputs }));
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, new RegExp(`Pulling from ${grafana.url} \\(compared with the dev stack's program\\)`));
    assert.ok(!`${run.stdout}${run.stderr}`.includes("generated-admin-password"));
    const [call] = calls();
    assert.deepEqual(call.args, ["stack", "output", "--json", "--show-secrets", "--stack", "dev"]);
    assert.equal(call.backend, `file://${fromRoot()}/.pulumi-state`, "the backend scripts/deploy.sh uses");
    assert.equal(fs.realpathSync(call.cwd), fs.realpathSync(fromRoot()));
  });

  it("a bring-your-own stack: its grafanaAuth secret (a token)", async () => {
    const grafana = await grafanaAccepting("glsa_stack_token");
    const outputs = JSON.stringify({ environment: "prod", grafanaApiUrl: grafana.url });
    const backend = `file://${path.join(bin, "team-state")}`;
    const run = await runPullInProcess(
      ["--folder", FOLDER_UID.root, "--stack", "prod", "--dry-run", "--root", checkout.root],
      env({ STAND_IN_OUTPUTS: outputs, STAND_IN_GRAFANA_AUTH: "glsa_stack_token", PULUMI_BACKEND_URL: backend }),
    );
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(calls().map((c) => c.args.slice(0, 3).join(" ")), ["stack output --json", "config get grafanaAuth"]);
    assert.deepEqual([...new Set(calls().map((c) => c.backend))], [backend], "the team's backend, as PULUMI_BACKEND_URL names it");
    assert.ok(!`${run.stdout}${run.stderr}`.includes("glsa_stack_token"));
  });

  it("GRAFANA_AUTH wins over the stack's credentials (the URL still comes from the stack)", async () => {
    const grafana = await grafanaAccepting("glsa_personal_token");
    const outputs = JSON.stringify({ grafanaApiUrl: grafana.url, adminUser: "admin", adminPassword: "not-this-one" });
    const run = await runPullInProcess(["--folder", FOLDER_UID.root, "--dry-run", "--root", checkout.root], env({ STAND_IN_OUTPUTS: outputs, GRAFANA_AUTH: "glsa_personal_token" }));
    assert.equal(run.status, 0, run.stderr);
  });

  it("follows npm run pulumi's rules (scripts/pulumi-stack.sh): prod only on an explicit backend", async () => {
    const run = await runPullInProcess(["--folder", FOLDER_UID.root, "--stack", "prod", "--dry-run", "--root", checkout.root], env({ STAND_IN_OUTPUTS: "{}" }));
    assert.equal(run.status, 1);
    assert.match(run.stderr.trim(), /^pull: Stack 'prod' is a prod stack: set PULUMI_BACKEND_URL to the team's state backend first \(.*\)\. \(.*or pass --url and set GRAFANA_AUTH\)$/);
    assert.ok(!fs.existsSync(log), "the CLI ran on the local default backend");
  });

  it("the Pulumi CLI failing or missing: one line saying what to do", async () => {
    const failing = await runPullInProcess(["--folder", FOLDER_UID.root, "--root", checkout.root], env({ STAND_IN_FAIL: "error: no stack named 'dev' found" }));
    assert.equal(failing.status, 1);
    assert.equal(failing.stderr.trim(), "pull: npm run pulumi -- stack output --stack dev failed: error: no stack named 'dev' found");

    // The machine's own PATH without any directory that holds a pulumi.
    const withoutPulumi = (process.env.PATH ?? "").split(path.delimiter).filter((dir) => dir !== "" && !fs.existsSync(path.join(dir, "pulumi"))).join(path.delimiter);
    const missing = await runPullInProcess(["--folder", FOLDER_UID.root, "--root", checkout.root], cliEnv({ PATH: withoutPulumi }));
    assert.equal(missing.status, 1);
    assert.match(missing.stderr.trim(), /^pull: The Pulumi CLI is not installed: \S+ \(it reads the dev stack's Grafana URL and credentials; or pass --url and set GRAFANA_AUTH\)$/);
  });
});
