/**
 * Every way a pull can fail gives one line on stderr and a non-zero exit status, never
 * echoes a credential, and writes nothing: run through the built CLI as a user runs it.
 */
import * as assert from "node:assert/strict";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { FOLDER_UID } from "../../dashboards";
import { scratchCheckout, snapshot } from "./support/checkout";
import { CliRun, cliEnv, runPullCli, runPullInProcess } from "./support/cli";
import { closedPort, RunningGrafana, startGrafanaApi } from "./support/grafana-api-server";

const AUTH = "admin:errors-test-password";

/** Exactly one non-empty line on stderr, which is returned. */
function oneErrorLine(run: CliRun): string {
  const lines = run.stderr.split("\n").filter((l) => l.trim() !== "");
  assert.equal(lines.length, 1, `expected one line on stderr, got:\n${run.stderr}`);
  return lines[0];
}

describe("npm run pull: failures", function () {
  this.timeout(60_000);
  let grafana: RunningGrafana;
  let checkout: ReturnType<typeof scratchCheckout>;

  before(async () => {
    grafana = await startGrafanaApi({ folders: [{ uid: FOLDER_UID.root, title: "Churn API" }], dashboards: [], ruleGroups: [] }, { auth: AUTH });
  });
  after(async () => grafana?.close());
  beforeEach(() => (checkout = scratchCheckout()));
  afterEach(() => checkout.remove());

  /** The command in this process; `process: true` runs the built CLI as its own process (exit status included). */
  const pullCli = async (args: readonly string[], env: Record<string, string> = { GRAFANA_AUTH: AUTH }, opts: { process?: boolean } = {}): Promise<CliRun> => {
    const before = snapshot(checkout.root);
    const run = await (opts.process ? runPullCli : runPullInProcess)([...args, "--root", checkout.root], cliEnv(env));
    assert.deepEqual(snapshot(checkout.root), before, "a failed pull must write nothing");
    return run;
  };

  it("401: names where the credentials came from, never the credentials", async () => {
    const run = await pullCli(["--folder", FOLDER_UID.root, "--url", grafana.url], { GRAFANA_AUTH: "admin:wrong-password" }, { process: true });
    assert.equal(run.status, 1);
    const line = oneErrorLine(run);
    assert.match(line, /refused the credentials from GRAFANA_AUTH \(401 Unauthorized\): Invalid username or password/);
    assert.ok(!`${run.stdout}${run.stderr}`.includes("wrong-password"));
  });

  it("404: an unknown dashboard, folder or alert folder names the uid", async () => {
    for (const [flag, what] of [["--dashboard", "dashboard"], ["--folder", "folder"], ["--alerts", "folder"]] as const) {
      const run = await pullCli([flag, "no-such-uid", "--url", grafana.url]);
      assert.equal(run.status, 1, `${flag}: ${run.stderr}`);
      assert.match(oneErrorLine(run), new RegExp(`${what} "no-such-uid" not found in Grafana at ${grafana.url} \\(404\\)`));
    }
  });

  it("connection refused: says Grafana cannot be reached at that URL", async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const run = await pullCli(["--folder", FOLDER_UID.root, "--url", url], { GRAFANA_AUTH: AUTH }, { process: true });
    assert.equal(run.status, 1);
    assert.equal(oneErrorLine(run), `pull: cannot reach Grafana at ${url}: connection refused (is Grafana running, and is the URL right?)`);
  });

  it("a slow server: gives up after --timeout and says so", async () => {
    const slow = await startGrafanaApi({ folders: [], dashboards: [], ruleGroups: [] }, { auth: AUTH, stall: /^\/api\/folders\// });
    try {
      const started = Date.now();
      const run = await pullCli(["--folder", FOLDER_UID.root, "--url", slow.url, "--timeout", "0.5"]);
      assert.equal(run.status, 1);
      assert.match(oneErrorLine(run), new RegExp(`Grafana at ${slow.url} did not answer GET /api/folders/churn-api within 0.5 s`));
      assert.ok(Date.now() - started < 20_000, "the timeout did not stop the wait");
    } finally {
      await slow.close();
    }
  });

  it("a server that is not Grafana's API (an HTML page): one line, not a parse error", async () => {
    const server = http.createServer((_req, res) => {
      res.writeHead(200, { "Content-Type": "text/html" });
      res.end("<!doctype html><title>Login</title>");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const run = await pullCli(["--folder", FOLDER_UID.root, "--url", url]);
      assert.equal(run.status, 1);
      assert.match(oneErrorLine(run), /answered GET \/api\/folders\/churn-api with something that is not JSON/);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it("credentials only from GRAFANA_AUTH: none on the command line or in the URL, and --url needs them", async () => {
    for (const given of [["--token", "glsa_secret"], ["--password=glsa_secret"]]) {
      const flag = await pullCli(["--folder", FOLDER_UID.root, "--url", grafana.url, ...given]);
      assert.equal(flag.status, 2);
      assert.match(oneErrorLine(flag), /--(token|password) is not an option of this command \(credentials are read from GRAFANA_AUTH only/);
      assert.ok(!flag.stderr.includes("glsa_secret"));
    }

    const inUrl = await pullCli(["--folder", FOLDER_UID.root, "--url", grafana.url.replace("http://", "http://admin:url-secret@")]);
    assert.equal(inUrl.status, 1);
    assert.match(oneErrorLine(inUrl), /--url holds credentials: put them in GRAFANA_AUTH/);
    assert.ok(!inUrl.stderr.includes("url-secret"));

    const missing = await pullCli(["--folder", FOLDER_UID.root, "--url", grafana.url], {});
    assert.equal(missing.status, 1);
    assert.match(oneErrorLine(missing), /--url needs credentials in GRAFANA_AUTH/);
  });

  it("bad arguments: exit status 2 with a pointer to --help; --help itself succeeds", async () => {
    for (const args of [[], ["--folder"], ["--bogus", "x"], ["--folder", "x", "--timeout", "soon"]]) {
      const run = await pullCli(args, { GRAFANA_AUTH: AUTH }, { process: args.length === 0 });
      assert.equal(run.status, 2, `${args.join(" ")}: ${run.stderr}`);
      assert.match(oneErrorLine(run), /\(see npm run pull -- --help\)$/);
    }
    const help = await pullCli(["--help"], {}, { process: true });
    assert.equal(help.status, 0);
    assert.match(help.stdout, /--dashboard <uid>/);
    assert.match(help.stdout, /GRAFANA_AUTH/);
  });

  it("an unknown stack: one line naming the committed stacks", async () => {
    const run = await pullCli(["--folder", FOLDER_UID.root, "--url", grafana.url, "--stack", "no-such-stack"]);
    assert.equal(run.status, 2);
    assert.match(oneErrorLine(run), /no stack "no-such-stack": the stacks are dev, prod/);
  });
});
