/**
 * Build step of the program (build/targets.js, after tsc, when the schema or the validators'
 * code changed): generates the dashboard schema's ajv validators as JavaScript (ajv
 * standalone), so the program does not compile them on every start. See
 * validation/dashboard-validators.ts.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import Ajv from "ajv";
import standaloneCode from "ajv/dist/standalone";
import { runAsCli } from "../lib/cli";
import { AJV_OPTIONS, COMPILED_VALIDATORS_FILE, compileValidators } from "../validation/dashboard-validators";

export function main(): number {
  const ajv = new Ajv({ ...AJV_OPTIONS, code: { source: true } });
  compileValidators(ajv);
  fs.mkdirSync(path.dirname(COMPILED_VALIDATORS_FILE), { recursive: true });
  fs.writeFileSync(COMPILED_VALIDATORS_FILE, standaloneCode(ajv, { strict: "strict", lenient: "lenient" }));
  return 0;
}

if (require.main === module) runAsCli("compile-schemas", main);
