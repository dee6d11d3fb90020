/**
 * What the Pulumi CLI makes of a stack file's scalars, checked against what was written.
 * The CLI (sdk/go/common/resource/config, gopkg.in/yaml.v3) decodes each value and hands
 * the program its JSON text: `0x10` arrives as "16", `010` as "8" (YAML 1.1 octal),
 * `1e3` as "1000", `null` and an empty value as "", `.inf` fails (checked with the SDK
 * 3.276.0 config package). A number the program would see in another form than the one
 * written is refused, so nobody deploys 8 replicas for "010"; null becomes "" exactly as
 * the CLI passes it (render/stack-config.ts).
 */
import * as fs from "node:fs";
import type { Document, Scalar } from "yaml";
import { Problem } from "./errors";
import { showName } from "./shown-value";

/**
 * Plain scalars the CLI reads as numbers in another notation than decimal: hexadecimal,
 * octal (0o17 and a leading zero, YAML 1.1), binary, digit separators, exponents,
 * infinity and NaN (yaml.v3's resolve uses strconv.ParseInt(s, 0, 64) after removing "_").
 */
const OTHER_NOTATIONS = [
  /^[-+]?0[xX][0-9a-fA-F_]+$/,
  /^[-+]?0[oO][0-7_]+$/,
  /^[-+]?0[bB][01_]+$/,
  /^[-+]?0[0-7_]+$/,
  /^[-+]?[0-9][0-9_]*_[0-9_]*$/,
  /^[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)[eE][-+]?[0-9]+$/,
  /^[-+]?\.(inf|Inf|INF)$|^\.(nan|NaN|NAN)$/,
];
/** A cheap look at the raw text first: the program parses the file only when this matches. */
// A mapping value follows ": " (YAML needs the space), so "02:00" inside a value does not match.
const MAY_HOLD = /:[ \t]+[-+]?(0[xob0-9]|[0-9][0-9_]*_|\.(inf|nan)\b|([0-9]+(\.[0-9]*)?|\.[0-9]+)e[-+]?[0-9])/i;

/** Problems with the notation of the values under `config:` in a parsed stack file. */
export function numberNotationProblems(doc: Document, file: string): Problem[] {
  const yaml = require("yaml") as typeof import("yaml");
  const config = doc.get("config", true);
  if (!yaml.isMap(config)) return [];
  const problems: Problem[] = [];
  for (const pair of config.items) {
    const value = pair.value;
    if (!yaml.isScalar(value) || value.type !== "PLAIN") continue;
    const written = (value as Scalar & { source?: string }).source ?? String(value.value);
    if (!OTHER_NOTATIONS.some((n) => n.test(written))) continue;
    const key = showName(yaml.isScalar(pair.key) ? String(pair.key.value) : String(pair.key));
    problems.push({
      where: `${file}: ${key}`,
      message:
        `${written} is a number in another notation than plain decimal, which the Pulumi CLI converts before the program ` +
        "sees it (0x10 becomes 16, 010 becomes 8, 1e3 becomes 1000; .inf and .nan fail)",
      fix: `write the decimal number you mean, or quote it ("${written}") to pass the text as written`,
    });
  }
  return problems;
}

/** The stack file's number-notation problems; parses it only when the raw text suggests one. */
export function stackFileNumberProblems(file: string, displayName: string): Problem[] {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    return []; // No stack file (config from the CLI or environment only): nothing to check.
  }
  if (!MAY_HOLD.test(text)) return [];
  // Loaded only here: the yaml package costs tens of milliseconds of every program start.
  const { parseDocument } = require("yaml") as typeof import("yaml");
  return numberNotationProblems(parseDocument(text), displayName);
}
