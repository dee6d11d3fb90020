/**
 * The dashboard schema's two ajv validators: strict (built dashboards) and lenient
 * (imported dashboards: what Grafana accepts on import, validation/lenient-schema.ts). Compiling them costs about 100 ms, which every
 * program start would pay: `npm run build` generates their code once
 * (scripts/compile-schemas.ts, ajv standalone) next to the compiled module, and the
 * program loads that. Running from the sources (ts-node), they are compiled here.
 * The schema file is in the build stamp, so a changed schema cannot go unbuilt.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type Ajv from "ajv";
import type { Options, ValidateFunction } from "ajv";
import { fromRoot } from "../lib/paths";
import { lenientSchema } from "./lenient-schema";

export const DASHBOARD_SCHEMA_FILE = fromRoot("validation", "schema", "dashboard.schema.json");
/** Where the build writes the generated validators (bin/validation/schema/). */
export const COMPILED_VALIDATORS_FILE = path.join(__dirname, "schema", "dashboard-validators.js");
export const AJV_OPTIONS: Options = { allErrors: true, verbose: true, strict: true, allowUnionTypes: true };

type SchemaNode = { [key: string]: unknown };

export interface DashboardValidators {
  readonly strict: ValidateFunction;
  readonly lenient: ValidateFunction;
}

/** Adds both schemas to `ajv` (created with AJV_OPTIONS) under the keys "strict" and "lenient", and compiles them. */
export function compileValidators(ajv: Ajv): DashboardValidators {
  const schema = JSON.parse(fs.readFileSync(DASHBOARD_SCHEMA_FILE, "utf8")) as SchemaNode;
  ajv.addSchema(schema, "strict").addSchema(lenientSchema(schema), "lenient");
  return { strict: ajv.getSchema("strict")!, lenient: ajv.getSchema("lenient")! };
}

let validators: DashboardValidators | undefined;

/** The build's generated validators, else compiled now; once per process. ajv itself is loaded only then. */
export function dashboardValidators(): DashboardValidators {
  if (!validators) {
    if (fs.existsSync(COMPILED_VALIDATORS_FILE)) {
      validators = require(COMPILED_VALIDATORS_FILE) as DashboardValidators;
    } else {
      const { default: AjvClass } = require("ajv") as typeof import("ajv");
      validators = compileValidators(new AjvClass(AJV_OPTIONS));
    }
  }
  return validators;
}
