import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import { fromRoot } from "../../lib/paths";
import { loadStackConfig } from "../../render/stack-config";
import { setStackConfig } from "../../scripts/stack-config-set";

describe("stack-config-set (CI points a stack at its runner's Grafana URL)", () => {
  const file = fromRoot("Pulumi.zz-set-test.yaml");
  beforeEach(() => fs.writeFileSync(file, "# kept comment\nconfig:\n  grafana-k8s:environment: dev\n  grafana-k8s:grafanaUrl: http://localhost:3000\n"));
  afterEach(() => fs.rmSync(file, { force: true }));

  it("replaces a plain value and keeps the file's comments", () => {
    setStackConfig("zz-set-test", "grafanaUrl", "https://grafana-dev.example.com");
    assert.equal(loadStackConfig("zz-set-test").values["grafana-k8s:grafanaUrl"], "https://grafana-dev.example.com");
    assert.match(fs.readFileSync(file, "utf8"), /^# kept comment/);
  });

  it("refuses secret and unknown keys", () => {
    assert.throws(() => setStackConfig("zz-set-test", "grafanaAuth", "token"), /grafanaAuth is a secret/);
    assert.throws(() => setStackConfig("zz-set-test", "grafanaURL", "x"), /unknown config key grafanaURL/);
  });
});
