/**
 * A real Prometheus scraping two workload instances (two pods) and the synthetic
 * Kubernetes exporter: every catalog metric arrives with the target labels the
 * dashboards filter on, and every load scenario leaves its mark.
 *
 * Needs prometheus + promtool (skipped with install instructions otherwise; fails
 * instead when REQUIRE_PROMETHEUS=1).
 */
import * as assert from "node:assert/strict";
import { ALL_METRICS, CHURN_API, CHURN_API_JOB, KUBERNETES, TARGET_LABEL } from "../../catalog/metrics";
import { asVector } from "../../lib/prometheus";
import { exposedNames, scenarioEvidence, withLoadedPrometheus } from "./support/stack";

describe("prometheus: scraping the workload", function () {
  this.timeout(30_000);
  const stack = withLoadedPrometheus();
  const sel = () => `${TARGET_LABEL.namespace}="${stack().labels.namespace}", ${TARGET_LABEL.environment}="${stack().labels.environment}"`;

  it(`scrapes both churn API pods: up{job="${CHURN_API_JOB}"} == 1`, async () => {
    const up = asVector(await stack().prometheus.query(`up{${TARGET_LABEL.job}="${CHURN_API_JOB}"}`));
    assert.deepEqual(up.map((s) => s.metric.pod).sort(), [...stack().labels.pods]);
    for (const s of up) {
      assert.equal(s.value[1], "1", `up of ${s.metric.pod}`);
      assert.equal(s.metric.namespace, stack().labels.namespace);
      assert.equal(s.metric.environment, stack().labels.environment);
    }
  });

  it("has every catalog series with namespace, environment and pod labels, for every pod", async () => {
    for (const name of ALL_METRICS.flatMap(exposedNames)) {
      const series = asVector(await stack().prometheus.query(`${name}{${sel()}}`));
      assert.ok(series.length > 0, `no series of ${name}`);
      for (const s of series) {
        for (const label of [TARGET_LABEL.namespace, TARGET_LABEL.environment, TARGET_LABEL.pod]) {
          assert.ok(s.metric[label], `${name} series without ${label}: ${JSON.stringify(s.metric)}`);
        }
      }
      assert.deepEqual([...new Set(series.map((s) => s.metric.pod))].sort(), [...stack().labels.pods], `pods of ${name}`);
    }
  });

  it("keeps the exporter's own Kubernetes labels (honor_labels) under the kubelet and kube-state-metrics jobs", async () => {
    const cpu = asVector(await stack().prometheus.query(`${KUBERNETES.containerCpu.name}{${TARGET_LABEL.container}="churn-api"}`));
    assert.ok(cpu.length > 0);
    for (const s of cpu) assert.equal(s.metric.job, "kubelet");
    const restarts = asVector(await stack().prometheus.query(KUBERNETES.containerRestarts.name));
    assert.ok(restarts.every((s) => s.metric.job === "kube-state-metrics"));
  });

  it("shows every load scenario's effect (errors, 404s, slow, low confidence, drift, missing features, two model versions)", async () => {
    for (const [scenario, expr] of Object.entries(scenarioEvidence(sel()))) {
      assert.ok(asVector(await stack().prometheus.query(expr)).length > 0, `${scenario}: ${expr}`);
    }
  });

  it("answers rate() over Grafana's shortest $__rate_interval (4 scrape intervals) for every counter", async () => {
    const window = `${4 * stack().prometheus.scrapeIntervalSeconds}s`;
    for (const spec of ALL_METRICS.filter((m) => m.kind !== "gauge")) {
      const name = exposedNames(spec)[0];
      const rates = asVector(await stack().prometheus.query(`sum by (pod) (rate(${name}{${sel()}}[${window}]))`));
      assert.equal(rates.length, stack().labels.pods.length, `rate of ${name}`);
    }
    // Background traffic keeps requests flowing while the tests run.
    const rps = asVector(await stack().prometheus.query(`sum(rate(${CHURN_API.httpRequests.name}{${sel()}}[${window}]))`));
    assert.ok(Number(rps[0]?.value[1]) > 0, "requests per second > 0");
  });
});
