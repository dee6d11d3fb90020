/**
 * Build step after tsc: generates the dashboard schema's ajv validators as JavaScript
 * (ajv standalone), so the program does not compile them on every start. See
 * validation/dashboard-validators.ts.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import Ajv from "ajv";
import standaloneCode from "ajv/dist/standalone";
import { AJV_OPTIONS, COMPILED_VALIDATORS_FILE, compileValidators } from "../validation/dashboard-validators";

if (require.main === module) {
  const ajv = new Ajv({ ...AJV_OPTIONS, code: { source: true } });
  compileValidators(ajv);
  fs.mkdirSync(path.dirname(COMPILED_VALIDATORS_FILE), { recursive: true });
  fs.writeFileSync(COMPILED_VALIDATORS_FILE, standaloneCode(ajv, { strict: "strict", lenient: "lenient" }));
}
