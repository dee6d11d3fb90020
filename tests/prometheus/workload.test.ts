/**
 * The reference workload on its own (no Prometheus needed): it exports exactly the
 * catalog's metrics with the catalog's labels, and each injected fault moves the
 * metric it should.
 */
import * as assert from "node:assert/strict";
import { CHURN_API, KUBERNETES, LABEL, MetricSpec } from "../../catalog/metrics";
import { FEATURE_NAMES, FEATURES } from "../../workload/features";
import { psi } from "../../workload/drift";
import { SyntheticPods } from "../../workload/kube-metrics";
import { driveScenarios, runScenario, SCENARIOS } from "../../workload/load";
import { startWorkload, UNMATCHED_PATH, Workload, WorkloadOptions } from "../../workload/server";
import { Exposition, parseExposition, scrape, sumOf } from "../../lib/prometheus/exposition";
import { exposedNames } from "./support/stack";

const requests = CHURN_API.httpRequests.name;
const drift = CHURN_API.dataDriftScore.name;

/** Label names a sample of `name` must carry, per the catalog (undefined: not a catalog series). */
function expectedLabels(specs: readonly MetricSpec[], name: string): string[] | undefined {
  for (const spec of specs) {
    const names = exposedNames(spec);
    if (!names.includes(name)) continue;
    return name === names[0] && spec.kind === "histogram" ? [...spec.labels, "le"] : [...spec.labels];
  }
  return undefined;
}

function assertCatalogExposition(exposition: Exposition, specs: readonly MetricSpec[], where: string): void {
  for (const spec of specs) {
    assert.equal(exposition.type.get(spec.name), spec.kind, `${where}: TYPE of ${spec.name}`);
    assert.equal(exposition.help.get(spec.name), spec.help, `${where}: HELP of ${spec.name}`);
    for (const name of exposedNames(spec)) {
      assert.ok(exposition.samples.some((s) => s.name === name), `${where}: no sample of ${name}`);
    }
  }
  for (const s of exposition.samples) {
    const labels = expectedLabels(specs, s.name);
    assert.ok(labels, `${where}: unexpected series ${s.name}`);
    // cAdvisor's pod-level cgroup series has no container label: a subset is fine there.
    const allowed = new Set(labels);
    for (const l of Object.keys(s.labels)) assert.ok(allowed.has(l), `${where}: ${s.name} has unexpected label ${l}`);
  }
}

async function post(w: Workload, path: string, body: unknown): Promise<Response> {
  return fetch(w.url + path, { method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json" } });
}

describe("workload: the instrumented churn API", function () {
  this.timeout(20_000);
  const running: Workload[] = [];
  async function workload(options: WorkloadOptions = {}): Promise<Workload> {
    const w = await startWorkload({ canaryVersion: "v2", canaryShare: 0.3, ...options });
    running.push(w);
    return w;
  }
  after(async () => {
    await Promise.all(running.map((w) => w.close()));
  });

  describe("after every scenario", function () {
    let w: Workload;
    let metrics: Exposition;
    before(async function () {
      w = await workload();
      await driveScenarios([w.url], SCENARIOS, { seed: 7 });
      metrics = await scrape(`${w.url}/metrics`);
    });

    it("exports every catalog metric with the catalog's help, type and label names, and nothing else", () => {
      assertCatalogExposition(metrics, Object.values(CHURN_API), "/metrics");
      for (const s of metrics.samples) {
        const labels = expectedLabels(Object.values(CHURN_API), s.name) ?? [];
        assert.deepEqual(Object.keys(s.labels).sort(), [...labels].sort(), `labels of ${s.name}`);
      }
    });

    it("uses the catalog's histogram buckets", () => {
      for (const spec of Object.values(CHURN_API).filter((m) => m.kind === "histogram")) {
        const les = new Set(metrics.samples.filter((s) => s.name === `${spec.name}_bucket`).map((s) => s.labels.le));
        assert.deepEqual([...les].sort(), [...(spec.buckets ?? []).map(String), "+Inf"].sort(), spec.name);
      }
    });

    it("labels requests by method, route template and status (unknown routes share one value)", () => {
      const paths = new Set(metrics.samples.filter((s) => s.name === requests).map((s) => s.labels[LABEL.path]));
      for (const p of ["/predict", "/predict/batch", "/health", UNMATCHED_PATH]) assert.ok(paths.has(p), `path ${p}`);
      assert.ok(![...paths].some((p) => p.startsWith("/v1")), "raw unknown paths must not become label values");
      for (const status of ["200", "400", "404", "405", "500"]) {
        assert.ok(sumOf(metrics, requests, { [LABEL.status]: status }) > 0, `status ${status}`);
      }
    });

    it("serves two model versions, each with model_info = 1 and predictions", () => {
      for (const v of ["v1", "v2"]) {
        assert.equal(sumOf(metrics, CHURN_API.modelInfo.name, { [LABEL.modelVersion]: v }), 1);
        assert.ok(sumOf(metrics, CHURN_API.predictions.name, { [LABEL.modelVersion]: v }) > 0, `predictions of ${v}`);
      }
      const classes = new Set(metrics.samples.filter((s) => s.name === CHURN_API.predictions.name).map((s) => s.labels[LABEL.prediction]));
      assert.deepEqual([...classes].sort(), ["churn", "no_churn"]);
    });

    it("reports a drift score for every feature and counts missing features by feature", () => {
      const features = metrics.samples.filter((s) => s.name === drift).map((s) => s.labels[LABEL.feature]);
      assert.deepEqual(features.sort(), [...FEATURE_NAMES].sort());
      assert.ok(sumOf(metrics, CHURN_API.missingFeatures.name) > 0);
      // The drift scenario ran last: its shifted features stand out.
      assert.ok(sumOf(metrics, drift, { [LABEL.feature]: "tenure" }) > 0.3);
    });
  });

  describe("fault injection", function () {
    it("errorRate: injected failures are answered and counted as 5xx", async () => {
      const w = await workload();
      w.setFaults({ errorRate: 1 });
      const before = sumOf(await scrape(`${w.url}/metrics`), requests, { [LABEL.status]: "500" });
      const report = await runScenario(w.url, "normal", { requests: 20, faults: { errorRate: 1 } });
      const after = sumOf(await scrape(`${w.url}/metrics`), requests, { [LABEL.status]: "500" });
      assert.ok((report.byStatus["500"] ?? 0) > 0);
      assert.equal(after - before, report.byStatus["500"]);
    });

    it("drift: corrupted inputs push the drift score above 0.3; normal inputs stay low", async () => {
      const w = await workload();
      await runScenario(w.url, "normal", { requests: 150, seed: 3 });
      const customer = { monthly_charges: 70, contract: "one_year", internet_service: "dsl", payment_method: "credit_card", senior_citizen: false, support_calls: 1 };
      // Batches fill the 500-input window quickly.
      const batch = (n: number) => ({ instances: Array.from({ length: n }, (_, i) => ({ ...customer, tenure: (i * 7) % 73 })) });
      const healthy = await scrape(`${w.url}/metrics`);
      assert.ok(sumOf(healthy, drift, { [LABEL.feature]: "tenure" }) < 0.1, "normal traffic has a low drift score");
      w.setFaults({ drift: 1 });
      for (let i = 0; i < 6; i++) assert.equal((await post(w, "/predict/batch", batch(100))).status, 200);
      const drifted = await scrape(`${w.url}/metrics`);
      assert.ok(sumOf(drifted, drift, { [LABEL.feature]: "tenure" }) > 0.3, "tenure drifts");
      assert.ok(sumOf(drifted, drift, { [LABEL.feature]: "monthly_charges" }) > 0.3, "charges drift");
    });

    it("lowConfidence: collapsed predictions are counted as low-confidence", async () => {
      const w = await workload();
      const count = async () => sumOf(await scrape(`${w.url}/metrics`), CHURN_API.lowConfidencePredictions.name);
      const before = await count();
      const report = await runScenario(w.url, "low-confidence", { requests: 20 });
      assert.ok(report.instances >= 20);
      assert.ok((await count()) - before >= report.instances, "every prediction was low-confidence");
      assert.equal(w.faults().lowConfidence, 0, "the scenario restored the faults");
    });

    it("extraLatencyMs: slow requests land in the upper latency buckets and show in flight", async () => {
      const w = await workload();
      w.setFaults({ extraLatencyMs: 600 });
      const customer = { tenure: 5, monthly_charges: 90, contract: "month_to_month", internet_service: "fiber_optic", payment_method: "electronic_check", senior_citizen: true, support_calls: 3 };
      const inFlight = Promise.all(Array.from({ length: 5 }, () => post(w, "/predict", customer)));
      await new Promise((r) => setTimeout(r, 200));
      const during = await scrape(`${w.url}/metrics`);
      assert.equal(sumOf(during, CHURN_API.httpRequestsInFlight.name), 5);
      await inFlight;
      const after = await scrape(`${w.url}/metrics`);
      const name = `${CHURN_API.httpRequestDuration.name}_bucket`;
      const sel = { [LABEL.path]: "/predict", [LABEL.method]: "POST" };
      assert.equal(sumOf(after, name, { ...sel, le: "0.5" }), 0);
      assert.equal(sumOf(after, name, { ...sel, le: "1" }), 5);
      assert.equal(sumOf(after, CHURN_API.httpRequestsInFlight.name), 0);
    });

    it("missing features are imputed, reported in the response and counted by feature", async () => {
      const w = await workload();
      const res = await post(w, "/predict", { tenure: 12, contract: "two_year", payment_method: null });
      assert.equal(res.status, 200);
      const body = (await res.json()) as { missing_features: string[]; model_version: string; probability: number };
      assert.deepEqual(body.missing_features.sort(), ["internet_service", "monthly_charges", "payment_method", "senior_citizen", "support_calls"]);
      assert.ok(body.probability >= 0 && body.probability <= 1);
      const m = await scrape(`${w.url}/metrics`);
      assert.equal(sumOf(m, CHURN_API.missingFeatures.name, { [LABEL.feature]: "payment_method" }), 1);
      assert.equal(sumOf(m, CHURN_API.missingFeatures.name, { [LABEL.feature]: "tenure" }), 0);
    });

    it("rejects invalid faults and invalid features with 400", async () => {
      const w = await workload();
      assert.equal((await post(w, "/admin/faults", { errorRate: 2 })).status, 400);
      assert.equal((await post(w, "/admin/faults", { teapot: true })).status, 400);
      assert.equal((await post(w, "/predict", { contract: "weekly" })).status, 400);
      assert.equal((await fetch(`${w.url}/admin/faults`, { method: "DELETE" })).status, 200);
    });
  });

  describe("PSI", function () {
    it("is 0 for the reference distribution and grows with the shift", () => {
      const ref = FEATURES[0].reference;
      assert.ok(psi(ref, ref.map((p) => p * 1000)) < 1e-9);
      const shifted = [300, 250, 200, 100, 50, 40, 30, 10, 10, 10];
      assert.ok(psi(ref, shifted) > 0.3);
    });
  });
});

describe("workload: synthetic Kubernetes metrics", function () {
  it("exports every KUBERNETES catalog metric for each pod, with counters that only grow", () => {
    let now = 1_700_000_000_000;
    const pods = new SyntheticPods({ namespace: "churn-api", pods: ["churn-api-0", "churn-api-1"], now: () => now });
    const first = parseExposition(pods.render());
    assertCatalogExposition(first, Object.values(KUBERNETES), "kube exporter");
    for (const spec of Object.values(KUBERNETES)) {
      for (const pod of ["churn-api-0", "churn-api-1"]) {
        assert.ok(first.samples.some((s) => s.name === spec.name && s.labels.pod === pod && s.labels.namespace === "churn-api"), `${spec.name} ${pod}`);
      }
    }
    pods.restart("churn-api-1");
    const series = (e: Exposition) => new Map(e.samples.map((s) => [`${s.name}${JSON.stringify(s.labels)}`, s.value]));
    let previous = series(first);
    for (let step = 0; step < 120; step++) {
      now += 1000;
      const current = series(parseExposition(pods.render()));
      for (const spec of Object.values(KUBERNETES).filter((m) => m.kind === "counter")) {
        for (const [key, value] of current) {
          if (!key.startsWith(`${spec.name}{`)) continue;
          assert.ok(value >= (previous.get(key) ?? 0), `${key} decreased`);
        }
      }
      previous = current;
    }
    const restarts = parseExposition(pods.render(["kube-state-metrics"]));
    assert.equal(sumOf(restarts, KUBERNETES.containerRestarts.name, { pod: "churn-api-1" }), 1);
    assert.ok(!restarts.samples.some((s) => s.name === KUBERNETES.containerCpu.name), "kube-state-metrics path serves only its own series");
  });
});
