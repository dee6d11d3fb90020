/**
 * lib/durations.ts decides which pending periods (`for`) a stack, a drop-in rule or an
 * imported rule may use. It is checked here against the real chain a `for` travels, run in
 * Go (tests/go/duration-oracle: the provider's strfmt.ParseDuration, its JSON, Grafana's
 * model.Duration): every duration accepted here arrives in Grafana with the same value, and
 * nothing the chain refuses or garbles is accepted.
 */
import * as assert from "node:assert/strict";
import { formatRuleDuration, goDurationString, goParseDuration, parsePrometheusDuration, parseRuleDuration } from "../../lib/durations";
import { goProgram, requireGo, runGoProgram } from "../support/go";

interface Verdict {
  readonly input: string;
  readonly stage: "provider" | "grafana" | "accepted";
  readonly error?: string;
  readonly sent?: string;
  readonly ms: number;
  readonly goParses: boolean;
}

/** A deterministic corpus: hand-picked edge cases plus generated combinations of numbers, units, signs and spaces. */
function corpus(): string[] {
  const picked = [
    "5m", "1h30m", "0", "0s", "-0s", "+5m", "-5m", "1d", "2w", "1.5d", "0.5w", "1y", "1y2d", "1d12h", "12h1d", "2w3d",
    "10 minutes", "5 m", "2 days", "1500ms", "0.5s", "1.5s", "1µs", "1μs", "1us", "500ms", "999ms", "1000ms", "1.s", ".5m",
    "2562047h", "2562048h", "2562047h47m16s", "2562047h47m17s", "106751d", "106752d", "1.0000000001s", "0.0000000001h",
    "", " ", "5", "m", "5M", "5 ", " 5m", "1h 30m", "1e3s", "0x10s", "1_000s", "5mins", "1hour", "3600s", "86400s",
  ];
  const numbers = ["0", "1", "7", "15", "90", "1.5", ".5", "2.", "0.001", "1500", "2562047", "106751", "99999999999999999999", "1.0000000001"];
  const units = ["ns", "us", "µs", "μs", "ms", "s", "m", "h", "d", "w", "y", "min", "minutes", "hours", "day", ""];
  let seed = 20260501;
  const next = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  const generated = Array.from({ length: 1500 }, () => {
    const terms = 1 + next(3);
    const sign = ["", "", "", "-", "+"][next(5)];
    const text = Array.from({ length: terms }, () => `${numbers[next(numbers.length)]}${next(8) === 0 ? " " : ""}${units[next(units.length)]}`).join(next(10) === 0 ? " " : "");
    return `${sign}${text}`;
  });
  return [...new Set([...picked, ...generated])];
}

describe("durations: rule durations (pending periods)", () => {
  it("accepts Go durations that reach Grafana whole, and single day or week terms", () => {
    const accepted: [string, number][] = [
      ["5m", 300_000], ["1h30m", 5_400_000], ["0", 0], ["0s", 0], ["+5m", 300_000], ["10m5h", 18_600_000], [".5m", 30_000],
      ["500ms", 500], ["0.5s", 500], ["1d", 86_400_000], ["1.5d", 129_600_000], ["2w", 1_209_600_000], ["2562047h", 9_223_369_200_000],
    ];
    for (const [text, ms] of accepted) assert.deepEqual(parseRuleDuration(text), { ok: true, ms }, text);
  });

  it("refuses what the provider or Grafana refuses or misreads, naming the fix", () => {
    const refused: [string, RegExp, RegExp][] = [
      ["1y", /years/, /"8760h"/],
      ["1d12h", /days or weeks with other terms/, /"36h"/],
      ["10 minutes", /not a duration/, /"10m"/],
      ["1500ms", /reaches Grafana as "1.5s"/, /"1s" or "2s"/],
      ["-5m", /negative/, /0s or a positive/],
      ["2562048h", /longer than a Go duration/, /shorter/],
      ["106752d", /longer than a Go duration/, /shorter/],
      ["", /not a duration/, /"5m"/],
      ["5", /not a duration/, /"5m"/],
    ];
    for (const [text, problem, fix] of refused) {
      const parsed = parseRuleDuration(text);
      assert.ok(!parsed.ok, `${JSON.stringify(text)} was accepted`);
      assert.match(parsed.problem, problem, text);
      assert.match(parsed.fix, fix, text);
    }
  });

  it("formats durations in a spelling Go, the provider and Prometheus all read", () => {
    for (const ms of [0, 1, 500, 1000, 90_000, 5_400_000, 86_400_000, 9_223_372_036_000]) {
      const text = formatRuleDuration(ms);
      assert.deepEqual(parseRuleDuration(text), { ok: true, ms }, text);
      assert.equal(parsePrometheusDuration(text), ms, text);
    }
  });

  it("prints durations as Go's time.Duration.String() does", () => {
    const cases: [bigint, string][] = [[0n, "0s"], [86_400_000_000_000n, "24h0m0s"], [1_500_000_000n, "1.5s"], [1_500_000n, "1.5ms"], [1_000n, "1µs"], [999n, "999ns"], [-90_000_000_000n, "-1m30s"]];
    for (const [ns, printed] of cases) assert.equal(goDurationString(ns), printed);
    assert.equal(goParseDuration("1h1m1.5s"), 3_661_500_000_000n);
  });

  describe("against the real chain (Go: provider's strfmt, its JSON, Grafana's model.Duration)", function () {
    this.timeout(180_000);
    let verdicts: Verdict[] = [];

    before(async function () {
      const go = requireGo(this);
      const oracle = await goProgram(go, "duration-oracle");
      const inputs = corpus();
      const output = await runGoProgram(oracle, [], inputs.map((t) => JSON.stringify(t)).join("\n") + "\n");
      verdicts = output.trim().split("\n").map((line) => JSON.parse(line) as Verdict);
      assert.equal(verdicts.length, inputs.length);
    });

    it("every duration accepted here reaches Grafana with the same value", () => {
      const wrong = verdicts.flatMap((v) => {
        const ours = parseRuleDuration(v.input);
        if (!ours.ok) return [];
        return v.stage === "accepted" && v.ms === ours.ms ? [] : [`${JSON.stringify(v.input)}: here ${ours.ms} ms, real chain ${v.stage} ${v.error ?? `${v.ms} ms`}`];
      });
      assert.deepEqual(wrong, []);
      assert.ok(verdicts.filter((v) => v.stage === "accepted").length > 100, "the corpus exercises accepted durations");
    });

    it("everything the provider or Grafana refuses is refused here", () => {
      const leaked = verdicts.filter((v) => v.stage !== "accepted" && parseRuleDuration(v.input).ok).map((v) => v.input);
      assert.deepEqual(leaked, []);
      for (const stage of ["provider", "grafana"]) assert.ok(verdicts.some((v) => v.stage === stage), `the corpus has cases refused by the ${stage}`);
    });

    it("refuses only spellings outside Go's syntax that the provider reads through its fallback", () => {
      const refusedGo = verdicts.filter((v) => v.stage === "accepted" && v.goParses && !parseRuleDuration(v.input).ok).map((v) => v.input);
      assert.deepEqual(refusedGo, [], "Go durations that arrive intact must be accepted");
    });

    it("shows why multi-term day spellings are refused: the provider reads 1d12h as 24h", () => {
      const v = verdicts.find((x) => x.input === "1d12h");
      assert.ok(v);
      assert.deepEqual([v.stage, v.sent], ["accepted", "24h0m0s"]);
    });
  });
});

describe("durations: Prometheus durations", () => {
  it("reads units y w d h m s ms, largest first", () => {
    assert.equal(parsePrometheusDuration("1y"), 365 * 86_400_000);
    assert.equal(parsePrometheusDuration("1h30m"), 5_400_000);
    assert.equal(parsePrometheusDuration("0"), 0);
    assert.equal(parsePrometheusDuration("30m1h"), undefined);
    assert.equal(parsePrometheusDuration("1.5h"), undefined);
  });
});
