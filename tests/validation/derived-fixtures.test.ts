/**
 * The committed derived fixtures equal what the scripts derive from the upstream
 * reference data in ../shared/reference: skipped where it is absent, failed under CI.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { CHART_KEYS_DIR, DEFAULT_CHART_REFERENCE, chartKeysFileName, chartKeysText, deriveChartKeys } from "../../scripts/derive-chart-keys";
import { requireSharedData } from "../support/shared-data";
import { DEFAULT_SCHEMA_REFERENCE, SCHEMA_OUTPUT, deriveDashboardSchema, schemaText } from "../../scripts/derive-dashboard-schema";


describe("derive-chart-keys on an unpacked chart directory", () => {
  it("reads values.yaml keys, template .Values references and empty maps", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "chart-"));
    try {
      fs.mkdirSync(path.join(dir, "templates", "sub"), { recursive: true });
      fs.writeFileSync(path.join(dir, "Chart.yaml"), "apiVersion: v2\nname: grafana\nversion: 0.0.1-test\n");
      fs.writeFileSync(
        path.join(dir, "values.yaml"),
        "replicas: 1\npersistence:\n  enabled: false\n  accessModes: [ReadWriteOnce]\nextraThings: {}\n\"grafana.ini\":\n  server:\n    domain: x\n",
      );
      fs.writeFileSync(path.join(dir, "templates", "a.yaml"), '{{ .Values.persistence.storageClassName }} {{ $root.Values.service.port }}');
      fs.writeFileSync(path.join(dir, "templates", "sub", "b.tpl"), '{{ index .Values "grafana.ini" "server" }}');
      const keys = deriveChartKeys(dir);
      assert.equal(chartKeysFileName(keys), "grafana-0.0.1-test.json");
      for (const k of ["replicas", "persistence.enabled", "persistence.accessModes", "persistence.storageClassName", "service.port", "grafana.ini.server", "grafana.ini.server.domain", "extraThings"]) {
        assert.ok(keys.keys.includes(k), `missing ${k} in ${JSON.stringify(keys.keys)}`);
      }
      assert.ok(keys.freeForm.includes("extraThings") && keys.freeForm.includes("grafana.ini"), JSON.stringify(keys.freeForm));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("derived fixtures match the upstream reference", () => {
  let tmp: string;
  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "derive-"));
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it("chart-keys/grafana-12.11.1.json", function () {
    requireSharedData(this, DEFAULT_CHART_REFERENCE);
    const keys = deriveChartKeys(DEFAULT_CHART_REFERENCE);
    const out = path.join(tmp, chartKeysFileName(keys));
    fs.writeFileSync(out, chartKeysText(keys));
    assert.equal(fs.readFileSync(out, "utf8"), fs.readFileSync(path.join(CHART_KEYS_DIR, "grafana-12.11.1.json"), "utf8"));
    assert.ok(keys.keys.includes("persistence.storageClassName") && keys.keys.includes("grafana.ini.server.domain"));
    assert.ok(keys.freeForm.includes("grafana.ini") && keys.freeForm.includes("podDisruptionBudget"));
  });

  it("validation/schema/dashboard.schema.json", function () {
    requireSharedData(this, DEFAULT_SCHEMA_REFERENCE);
    const out = path.join(tmp, "dashboard.schema.json");
    fs.writeFileSync(out, schemaText(deriveDashboardSchema(DEFAULT_SCHEMA_REFERENCE)));
    assert.equal(fs.readFileSync(out, "utf8"), fs.readFileSync(SCHEMA_OUTPUT, "utf8"));
  });
});
