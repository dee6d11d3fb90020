import * as assert from "node:assert/strict";
import {
  ADMIN_PASSWORD,
  ADMIN_PASSWORD_KEEP_ON_CHANGE,
  generatorProblems,
  PASSWORD_POLICY,
  PasswordGeneratorSpec,
  passwordPolicyViolations,
} from "../../components/admin-password";
import { named, shippedStacks, TYPES } from "../support/stack";

type Values = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- Helm values are free-form JSON

describe("admin password and Grafana's password_policy", () => {
  it("the policy as Grafana documents it: 12+ characters with upper, lower, number and special", () => {
    assert.deepEqual(passwordPolicyViolations("Abcdefghij1!"), []);
    assert.deepEqual(passwordPolicyViolations("Abcdefghi1!"), ["shorter than 12 characters"]);
    assert.deepEqual(passwordPolicyViolations("abcdefghijk1!"), ["no uppercase character"]);
    assert.deepEqual(passwordPolicyViolations("ABCDEFGHIJK1!"), ["no lowercase character"]);
    assert.deepEqual(passwordPolicyViolations("Abcdefghijkl!"), ["no number character"]);
    assert.deepEqual(passwordPolicyViolations("Abcdefghijk12"), ["no special character"]);
  });

  it("the generator's guarantees imply the policy", () => {
    assert.deepEqual(generatorProblems(ADMIN_PASSWORD), []);
  });

  it("a generator that could miss a class is refused (the old one had special: false)", () => {
    const old: PasswordGeneratorSpec = { length: 32, special: false, overrideSpecial: "", minUpper: 0, minLower: 0, minNumeric: 0, minSpecial: 0 };
    const problems = generatorProblems(old).join("\n");
    for (const expected of [/special is false/, /minUpper is 0/, /minNumeric is 0/, /minSpecial is 0/]) assert.match(problems, expected);
    assert.match(generatorProblems({ ...ADMIN_PASSWORD, length: 8 }).join("\n"), /length 8 is below the policy's 12/);
    assert.match(generatorProblems({ ...ADMIN_PASSWORD, overrideSpecial: "-a" }).join("\n"), /characters Grafana does not count as special: a/);
  });

  it("every password the generator's alphabet and minimums can produce passes: its shortest, one of each required class", () => {
    // The weakest output: exactly the minimums, padded with one class only.
    const specials = [...ADMIN_PASSWORD.overrideSpecial];
    for (const special of specials) {
      const weakest = `${"A".repeat(ADMIN_PASSWORD.minUpper)}${"a".repeat(ADMIN_PASSWORD.minLower)}${"1".repeat(ADMIN_PASSWORD.minNumeric)}${special.repeat(ADMIN_PASSWORD.minSpecial)}`.padEnd(ADMIN_PASSWORD.length, "a");
      assert.deepEqual(passwordPolicyViolations(weakest), [], weakest);
    }
  });

  it("grafana.ini enables the policy the generator satisfies", async () => {
    const { dev, prod } = await shippedStacks();
    for (const run of [dev, prod]) {
      const values = named(run, TYPES.release, "grafana-release").inputs.values as Values;
      assert.equal(values["grafana.ini"]["auth.basic"].password_policy, PASSWORD_POLICY.enabled);
    }
  });

  it("the program generates the admin password with those arguments, and keeps an existing stack's password", async () => {
    const { prod } = await shippedStacks();
    const password = named(prod, TYPES.password, "grafana-admin-password");
    const registered = Object.fromEntries(Object.keys(ADMIN_PASSWORD).map((k) => [k, password.inputs[k]]));
    assert.deepEqual(registered, { ...ADMIN_PASSWORD });
    // A changed argument would replace the password, which Grafana read only on first start.
    assert.deepEqual([...password.ignoreChanges].sort(), [...ADMIN_PASSWORD_KEEP_ON_CHANGE].sort());
    assert.equal(password.protect, true);
  });
});
