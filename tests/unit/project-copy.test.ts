// lib/project-copy.ts's withoutTeamEncryption: the committed stack files, as a team that followed
// docs/ci-first-run.md has them, made usable by a test's own passphrase. The salted shape is the
// one the Pulumi CLI writes (tests/e2e/committed-salt.test.ts makes it with the real CLI).
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import { fromRoot } from "../../lib/paths";
import { withoutTeamEncryption } from "../../lib/project-copy";

const committed = (stack: string) => fs.readFileSync(fromRoot(`Pulumi.${stack}.yaml`), "utf8");
const SALT = "encryptionsalt: v1:3RAKZDCP7mc=:v1:YC9pO+TEPtPezA1t:K3KzSfdvDe+AXk6Uu7REbaszo3RD9Q==\n";
const secure = (key: string) => `  grafana-k8s:${key}:\n    secure: v1:J5i+P+J6wLFT/sEJ:kMocEwljby4MN2AL8pBXDKD1Xna=\n`;

describe("withoutTeamEncryption (e2e project copies)", () => {
  for (const stack of ["dev", "prod"]) {
    it(`drops Pulumi.${stack}.yaml's salt and secure values and keeps every comment and other value as written`, () => {
      // The repository's file before the first-run procedure, whether or not the team ran it since.
      const text = withoutTeamEncryption(committed(stack));
      assert.doesNotMatch(text, /^encryptionsalt:|^ +secure:/m);
      // The CLI writes new keys after the existing ones, and the salt either before config or after it.
      const salted = `${SALT}${text}${secure("alertWebhookUrl")}  grafana-k8s:zz: kept\n${secure("smtpPassword")}`;
      assert.equal(withoutTeamEncryption(salted), `${text}  grafana-k8s:zz: kept\n`);
      assert.equal(withoutTeamEncryption(`${text}${secure("alertWebhookUrl")}${SALT}`), text);
    });
  }

  it("drops a cloud secrets provider's keys too (secretsprovider, encryptedkey)", () => {
    const text = "secretsprovider: awskms://alias/team\nencryptedkey: AQICAHh=\nconfig:\n  grafana-k8s:environment: dev\n";
    assert.equal(withoutTeamEncryption(text), "config:\n  grafana-k8s:environment: dev\n");
  });

  it("returns a file with nothing to drop byte for byte", () => {
    const text = "config:\n  grafana-k8s:environment:   dev   # spacing kept\n";
    assert.equal(withoutTeamEncryption(text), text);
  });
});
