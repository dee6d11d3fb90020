/**
 * out/<stack>/manifests/: the objects Helm would apply plus the program's own, one file
 * each, deterministic, Secrets redacted; one line on how to get them when Helm or the
 * chart is missing.
 */
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseAllDocuments } from "yaml";
import { fromRoot } from "../../lib/paths";
import { HELM_ENV } from "../../render/helm/tools";
import { renderStack } from "../../render/render";
import { KubeObject } from "../../validation/kubernetes";
import { shippedStacks } from "../support/stack";
import { requireRenderedStack } from "./support";

const manifestsOf = (outDir: string): Map<string, string> => {
  const dir = path.join(outDir, "manifests");
  return new Map(fs.readdirSync(dir).sort().map((f) => [f, fs.readFileSync(path.join(dir, f), "utf8")]));
};

const cli = (args: string[], env: Record<string, string | undefined>) =>
  spawnSync(process.execPath, [fromRoot("bin", "render", "cli.js"), ...args], {
    cwd: fromRoot(),
    encoding: "utf8",
    env: { ...process.env, [HELM_ENV.require]: undefined, ...env },
  });

describe("rendered manifests (out/<stack>/manifests/)", function () {
  this.timeout(120_000);
  let outRoot: string;
  before(() => (outRoot = fs.mkdtempSync(path.join(os.tmpdir(), "manifests-test-"))));
  after(() => fs.rmSync(outRoot, { recursive: true, force: true }));

  it("npm run render -- --stack prod writes one file per object the stack applies, Secrets redacted, the same twice", async function () {
    const { prod } = await shippedStacks();
    const expected = await requireRenderedStack(this, "prod", prod);
    const first = await renderStack("prod", { outRoot: path.join(outRoot, "a") });
    const second = await renderStack("prod", { outRoot: path.join(outRoot, "b") });
    assert.equal(first.error, undefined, String(first.error));
    const files = manifestsOf(first.outDir);
    assert.deepEqual([...files.entries()], [...manifestsOf(second.outDir).entries()], "a second render differs");
    assert.equal(files.size, expected.objects.manifests.length);
    for (const [file, text] of files) {
      const docs = parseAllDocuments(text);
      assert.equal(docs.length, 1, `${file} holds one object`);
      const object = docs[0].toJS() as KubeObject;
      assert.equal(file, `${object.kind.toLowerCase()}-${object.metadata.name}.yaml`);
      assert.match(text, /^# Source: /);
      if (object.kind === "Secret") {
        for (const value of Object.values((object.stringData ?? object.data ?? {}) as Record<string, string>)) assert.equal(value, "[secret]", file);
      }
    }
    for (const kind of ["deployment-grafana.yaml", "service-grafana.yaml", "ingress-grafana.yaml", "certificate-grafana-tls.yaml", "namespace-grafana.yaml"]) {
      assert.ok(files.has(kind), `${kind} missing`);
    }
    assert.match(files.get("deployment-grafana.yaml")!, /# Source: grafana\/templates\/deployment.yaml \(chart grafana 12\.11\.1, Helm v\d+/);
    // The README shows reviewers an excerpt: it must be what the render writes.
    const readme = fs.readFileSync(fromRoot("README.md"), "utf8");
    const excerpt = readme.slice(readme.indexOf("<!-- manifest excerpt -->")).split("```")[1].replace(/^yaml\n/, "");
    assert.ok(excerpt.split("\n").length > 20, "README has no manifest excerpt");
    assert.ok(files.get("deployment-grafana.yaml")!.includes(excerpt), "README's manifest excerpt differs from manifests/deployment-grafana.yaml");
  });

  it("without Helm or the chart: one line on how to get them, the rest of the render still written", () => {
    const out = path.join(outRoot, "hint");
    const run = cli(["--stack", "dev", "--out", out], { [HELM_ENV.chart]: path.join(outRoot, "no-such-chart") });
    assert.equal(run.status, 0, run.stderr);
    const hints = run.stderr.split("\n").filter((l) => l.includes("Kubernetes manifests not rendered"));
    assert.equal(hints.length, 1, run.stderr);
    assert.match(hints[0], /GRAFANA_CHART=<chart dir or \.tgz>/);
    assert.ok(!fs.existsSync(path.join(out, "dev", "manifests")));
    assert.ok(fs.existsSync(path.join(out, "dev", "summary.md")));
  });

  it("with REQUIRE_HELM=1 (CI) a missing Helm or chart fails the render", () => {
    const run = cli(["--stack", "dev", "--out", path.join(outRoot, "required")], { [HELM_ENV.chart]: path.join(outRoot, "no-such-chart"), [HELM_ENV.require]: "1" });
    assert.equal(run.status, 1);
    assert.match(run.stderr, /Kubernetes manifests not rendered/);
  });
});
