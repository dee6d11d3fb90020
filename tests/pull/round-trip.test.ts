/**
 * Round trip: what each committed stack deploys, served back as Grafana returns it
 * (id, version and meta added, keys sorted), pulled into a scratch checkout, changes
 * nothing: every drop-in file stays byte for byte, every built dashboard has an empty
 * diff, and the program's own rule groups are not written back.
 */
import * as assert from "node:assert/strict";
import { GrafanaApi, pull } from "../../pull";
import { ProgramRun } from "../../render/mock-engine";
import { ofType, shippedStacks, TYPES } from "../support/stack";
import { deployedContent, scratchCheckout, snapshot } from "./support/checkout";
import { RunningGrafana, startGrafanaApi } from "./support/grafana-api-server";

const AUTH = "admin:round-trip-password";

for (const stack of ["dev", "prod"] as const) {
  describe(`pull round trip of the ${stack} stack`, function () {
    this.timeout(120_000);
    let run: ProgramRun;
    let grafana: RunningGrafana;
    let checkout: ReturnType<typeof scratchCheckout>;

    before(async () => {
      run = (await shippedStacks())[stack];
      grafana = await startGrafanaApi(deployedContent(run), { auth: AUTH });
      checkout = scratchCheckout();
    });
    after(async () => {
      await grafana?.close();
      checkout?.remove();
    });

    it("changes no file, writes no diff, and names every deployed dashboard", async () => {
      const content = grafana.content;
      const topFolders = content.folders.filter((f) => !f.parentUid).map((f) => f.uid);
      const ruleFolders = [...new Set(content.ruleGroups.map((g) => g.folderUid))];
      const before = snapshot(checkout.root);
      const items = await pull(new GrafanaApi({ url: grafana.url, auth: AUTH, authSource: "test", timeoutMs: 10_000 }), {
        dashboards: [],
        folders: topFolders,
        alerts: ruleFolders,
        stack,
        dryRun: false,
        root: checkout.root,
      });

      assert.deepEqual(snapshot(checkout.root), before, "the pull changed the checkout");
      const changing = items.filter((i) => i.writes.length > 0 || i.removes.length > 0);
      assert.deepEqual(changing.map((i) => `${i.outcome} ${i.subject}`), []);

      const deployed = ofType(run, TYPES.dashboard).map((d) => String(JSON.parse(String(d.inputs.configJson)).uid));
      assert.ok(deployed.length > 0);
      for (const uid of deployed) {
        const item = items.find((i) => i.subject.startsWith(`dashboard "${uid}"`));
        assert.ok(item, `dashboard ${uid} was not pulled`);
        assert.ok(["unchanged", "built-unchanged"].includes(item.outcome), `${uid}: ${item.outcome} ${item.detail ?? ""}`);
        // A drop-in was compared with the very file the program deploys it from.
        if (item.outcome === "unchanged") assert.ok(item.file && before.has(item.file), `${uid}: compared with ${item.file}`);
      }
      assert.ok(items.some((i) => i.outcome === "unchanged"), "no drop-in dashboard was compared");
      assert.ok(items.some((i) => i.outcome === "built-unchanged"), "no built dashboard was compared");
      // The program's own rule groups are code: never written back.
      for (const group of content.ruleGroups) {
        const item = items.find((i) => i.subject === `rule group "${group.name}" of folder "${group.folderUid}"`);
        assert.equal(item?.outcome, "program-rules", `rule group ${group.name}`);
      }
    });
  });
}
