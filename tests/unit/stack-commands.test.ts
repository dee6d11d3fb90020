// Fix texts name the command that reaches the right backend and stack (issue: the README's
// direct `pulumi` commands reach a different backend): `npm run pulumi -- … --stack <stack>`.
import * as assert from "node:assert/strict";
import { withStackCommands } from "../../components/stack-commands";
import { rejectStack } from "../support/stack";

const BARE = /(?<!npm run pulumi -- )\bpulumi config (set|rm)\b/;

describe("fix texts: config commands for the stack at hand", () => {
  it("turns each bare config set/rm into the project's command, naming the stack", () => {
    assert.equal(
      withStackCommands("pulumi config set --secret alertWebhookUrl https://... (or pulumi config rm alertWebhookEnabled)", "prod"),
      "npm run pulumi -- config set --stack prod --secret alertWebhookUrl https://... (or npm run pulumi -- config rm --stack prod alertWebhookEnabled)",
    );
  });

  it("leaves commands already spelt the project's way, and other text, alone", () => {
    for (const text of ["npm run pulumi -- config set --stack dev replicas 1", "use a duration such as 5m", "pulumi config get grafanaAuth"]) {
      assert.equal(withStackCommands(text, "dev"), text);
    }
  });

  it("a rejected stack's report has no bare pulumi config command, in key and cross-key problems alike", async () => {
    const err = await rejectStack("prod", {
      overrides: { persistenceEnabled: false, alertWebhookUrl: "https://hooks.example.com/plain", prometheusURL: "http://x", alertSlackEnabled: true, prometheusUrl: "" },
    });
    const fixes = err.message.split("\n").filter((line) => line.trim().startsWith("fix:"));
    assert.ok(fixes.length >= 4, err.message);
    for (const fix of fixes) assert.doesNotMatch(fix, BARE, fix);
    assert.match(err.message, /fix: npm run pulumi -- config set --stack prod persistenceEnabled true/);
    assert.match(err.message, /fix: npm run pulumi -- config set --stack prod prometheusUrl http/);
  });
});
