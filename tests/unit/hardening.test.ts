import * as assert from "node:assert/strict";
import { validateChartValues } from "../../validation";
import { ProgramRun } from "../../render/mock-engine";
import { deployStack, named, ofType, rejectStack, revealSecret, shippedStacks, single, TYPES } from "../support/stack";

type Values = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- Helm values are free-form JSON
const valuesOf = (run: ProgramRun) => single(run, TYPES.release).inputs.values as Values;

/** prod turned into the HA mode: 3 replicas sharing PostgreSQL, no volume. */
const HA = {
  overrides: { replicas: 3, persistenceEnabled: false, databaseType: "postgres", databaseHost: "grafana-db.internal:5432" },
  secrets: { databasePassword: "db-password-under-test" },
} as const;

describe("production hardening", () => {
  const runs: Record<string, ProgramRun> = {};
  before(async () => {
    Object.assign(runs, await shippedStacks());
    runs.ha = await deployStack("prod", HA);
  });

  describe("least privilege", () => {
    for (const stack of ["dev", "prod", "ha"]) {
      it(`${stack}: non-root pod, no privilege escalation, all capabilities dropped, RuntimeDefault seccomp`, () => {
        const v = valuesOf(runs[stack]);
        assert.deepEqual(v.securityContext, { runAsNonRoot: true, runAsUser: 472, runAsGroup: 472, fsGroup: 472, seccompProfile: { type: "RuntimeDefault" } });
        assert.deepEqual(v.containerSecurityContext, {
          allowPrivilegeEscalation: false,
          privileged: false,
          readOnlyRootFilesystem: true,
          capabilities: { drop: ["ALL"] },
          seccompProfile: { type: "RuntimeDefault" },
        });
      });
    }

    it("hardens logins as Grafana recommends", () => {
      const ini = valuesOf(runs.prod)["grafana.ini"];
      assert.equal(ini["auth.anonymous"].enabled, false);
      assert.equal(ini.users.allow_sign_up, false);
      assert.equal(ini.users.allow_org_create, false);
      assert.equal(ini["auth.basic"].password_policy, true);
      assert.equal(ini.security.cookie_secure, true);
      assert.equal(ini.security.cookie_samesite, "lax", "links in notifications must arrive logged in");
      assert.equal(ini.security.strict_transport_security, true);
      assert.equal(valuesOf(runs.dev)["grafana.ini"].security.cookie_secure, false, "dev serves plain HTTP");
    });

    it("generates Grafana's secret_key and delivers it from a Secret", () => {
      for (const stack of ["dev", "prod"]) {
        const v = valuesOf(runs[stack]);
        assert.equal(v["grafana.ini"].security.secret_key, "$__env{GF_SECURITY_SECRET_KEY}");
        assert.deepEqual(v.envValueFrom.GF_SECURITY_SECRET_KEY, { secretKeyRef: { name: "grafana-secret-key", key: "secret-key" } });
        const secret = named(runs[stack], TYPES.secret, "grafana-secret-key");
        const data = revealSecret(secret.inputs.stringData) as Record<string, string>;
        assert.equal(data["secret-key"], "mock-password-for-grafana-secret-key");
        assert.equal(named(runs[stack], TYPES.password, "grafana-secret-key").inputs.length, 48);
      }
    });

    it("disables the chart's root chown init container (fsGroup owns the volume)", () => {
      for (const run of Object.values(runs)) assert.deepEqual(valuesOf(run).initChownData, { enabled: false });
    });

    it("prod: the program requests the certificate from cert-manager and the provider waits until it is Ready", () => {
      const certificate = single(runs.prod, TYPES.certificate);
      const inputs = certificate.inputs as Values;
      assert.equal(inputs.metadata.annotations["pulumi.com/waitFor"], "condition=Ready");
      assert.deepEqual(inputs.spec, {
        secretName: "grafana-tls",
        dnsNames: ["grafana.example.com"],
        issuerRef: { name: "letsencrypt-prod", kind: "ClusterIssuer", group: "cert-manager.io" },
      });
      // One owner: ingress-shim would create the same Certificate outside Pulumi's view.
      assert.equal(valuesOf(runs.prod).ingress.annotations, undefined);
      const provider = single(runs.prod, TYPES.provider);
      assert.ok(provider.dependencies.includes(certificate.urn), "the provider waits for the certificate");
      assert.ok(provider.dependencies.includes(single(runs.prod, TYPES.release).urn), "and for the release");
      assert.deepEqual(ofType(runs.dev, TYPES.certificate), [], "dev has no ingress");
    });

    it("a ClusterIssuer without a TLS Secret name is refused before anything is registered", async () => {
      const error = await rejectStack("prod", { overrides: { ingressTlsSecretName: "" } });
      assert.match(error.message, /ingressClusterIssuer is set but ingressTlsSecretName is empty/);
    });

    it("keeps the chart's leaked-secret assertion on", () => {
      for (const run of Object.values(runs)) assert.notEqual(valuesOf(run).assertNoLeakedSecrets, false);
    });

    it("prod: a NetworkPolicy admits only the ingress controller and Prometheus", () => {
      const policy = single(runs.prod, TYPES.networkPolicy);
      const spec = policy.inputs.spec as Values;
      assert.deepEqual(spec.podSelector, { matchLabels: { "app.kubernetes.io/name": "grafana", "app.kubernetes.io/instance": "grafana" } });
      assert.deepEqual(spec.policyTypes, ["Ingress"]);
      assert.deepEqual(
        spec.ingress.map((rule: Values) => rule.from[0].namespaceSelector?.matchLabels["kubernetes.io/metadata.name"]),
        ["ingress-nginx", "monitoring"],
      );
      for (const rule of spec.ingress) assert.deepEqual(rule.ports, [{ protocol: "TCP", port: 3000 }]);
      assert.deepEqual(ofType(runs.dev, TYPES.networkPolicy), [], "dev's NodePort would be cut off");
    });
  });

  describe("high availability", () => {
    it("runs several replicas on the external database, without a volume", () => {
      const v = valuesOf(runs.ha);
      assert.equal(v.replicas, 3);
      assert.deepEqual(v.persistence, { enabled: false });
      assert.deepEqual(v.deploymentStrategy, { type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } });
      assert.deepEqual(v["grafana.ini"].database, {
        type: "postgres",
        host: "grafana-db.internal:5432",
        name: "grafana",
        user: "grafana",
        password: "$__env{GF_DATABASE_PASSWORD}",
        ssl_mode: "require",
      });
    });

    it("takes a database host without a port as written (Grafana fills in the engine's default port)", async () => {
      const bare = await deployStack("prod", { overrides: { ...HA.overrides, databaseHost: "grafana-db.internal" }, secrets: HA.secrets });
      assert.equal(valuesOf(bare)["grafana.ini"].database.host, "grafana-db.internal");
    });

    it("delivers the database password from a Secret, never through the values", () => {
      const v = valuesOf(runs.ha);
      assert.deepEqual(v.envValueFrom.GF_DATABASE_PASSWORD, { secretKeyRef: { name: "grafana-database", key: "password" } });
      const data = revealSecret(named(runs.ha, TYPES.secret, "grafana-database").inputs.stringData) as Record<string, string>;
      assert.equal(data.password, "db-password-under-test");
      assert.doesNotMatch(JSON.stringify(v), /db-password-under-test/);
    });

    it("de-duplicates notifications over gossip through the headless service", () => {
      const v = valuesOf(runs.ha);
      assert.equal(v.headlessService, true);
      assert.deepEqual(v["grafana.ini"].unified_alerting, {
        enabled: true,
        ha_peers: "grafana-headless.grafana.svc.cluster.local:9094",
        ha_listen_address: "$__env{POD_IP}:9094",
        ha_advertise_address: "$__env{POD_IP}:9094",
      });
      // The chart sets POD_IP itself (templates/_pod.tpl); a second definition breaks updates.
      assert.equal(v.envValueFrom.POD_IP, undefined);
      const gossip = (single(runs.ha, TYPES.networkPolicy).inputs.spec as Values).ingress[2];
      assert.deepEqual(gossip.ports, [
        { protocol: "TCP", port: 9094 },
        { protocol: "UDP", port: 9094 },
      ]);
      assert.ok(gossip.from[0].podSelector, "gossip only between Grafana pods");
    });

    it("keeps a replica up through disruptions and spreads replicas across nodes", () => {
      const v = valuesOf(runs.ha);
      assert.deepEqual(v.podDisruptionBudget, { minAvailable: 1 });
      assert.deepEqual(v.topologySpreadConstraints.map((c: Values) => c.topologyKey), ["kubernetes.io/hostname", "topology.kubernetes.io/zone"]);
      assert.ok(v.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution.length > 0);
      for (const run of [runs.dev, runs.prod]) {
        assert.equal(valuesOf(run).podDisruptionBudget, undefined, "one replica cannot keep a budget");
        assert.equal(valuesOf(run)["grafana.ini"].unified_alerting, undefined);
      }
    });

    it("uses only real keys of the pinned chart", () => {
      for (const run of Object.values(runs)) assert.deepEqual(validateChartValues(valuesOf(run), "12.11.1"), []);
    });

    const refused: [string, Parameters<typeof rejectStack>[1], RegExp][] = [
      ["several replicas on SQLite", { overrides: { replicas: 2, persistenceEnabled: false } }, /replicas is 2: several Grafana pods cannot share SQLite/],
      ["HA without the database password", { overrides: { ...HA.overrides } }, /databaseType is an external database but the secret databasePassword is not set/],
      ["HA with a database host given as a socket path", { overrides: { ...HA.overrides, databaseHost: "/var/run/postgresql" }, secrets: HA.secrets }, /databaseHost: "\/var\/run\/postgresql" is invalid: a Unix socket path/],
      ["HA without a database host", { overrides: { ...HA.overrides, databaseHost: "" }, secrets: HA.secrets }, /databaseType is postgres but databaseHost is empty/],
      ["HA on a shared ReadWriteOnce volume", { overrides: { ...HA.overrides, persistenceEnabled: true }, secrets: HA.secrets }, /pods sharing a ReadWriteOnce volume deadlock/],
      ["prod without persistence or database", { overrides: { persistenceEnabled: false } }, /persistence is off in prod and no external database is set/],
      ["a NetworkPolicy with a NodePort service", { overrides: { serviceType: "NodePort" } }, /NodePort traffic would be dropped/],
    ];
    for (const [what, options, expected] of refused) {
      it(`refuses ${what}`, async () => assert.match((await rejectStack("prod", options)).message, expected));
    }
  });
});
