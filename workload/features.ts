/**
 * The churn model's input features and the distribution of its training data.
 *
 * The reference distribution is stated as bins with their share of the training set
 * (deciles for the continuous features), which is what the drift monitor compares the
 * live window against. The load driver samples "normal" customers from exactly this
 * distribution, so a healthy run shows a drift score near 0 and a drifted one a high PSI.
 */
import { pickWeighted, randomInt, Rng } from "./random";

export interface NumericFeature {
  readonly kind: "numeric";
  readonly name: string;
  readonly integer: boolean;
  /** Bin edges (n + 1 of them); the outer bins are open-ended when binning live values. */
  readonly edges: readonly number[];
  /** Share of the training data in each bin (sums to 1). */
  readonly reference: readonly number[];
  /** Value imputed when a request lacks the feature (training median). */
  readonly impute: number;
}

export interface CategoricalFeature {
  readonly kind: "categorical";
  readonly name: string;
  readonly categories: readonly string[];
  readonly reference: readonly number[];
  /** Accepts JSON booleans (and 0/1) for the categories "false"/"true". */
  readonly boolean?: boolean;
  /** Value imputed when a request lacks the feature (training mode). */
  readonly impute: string;
}

export type Feature = NumericFeature | CategoricalFeature;

export const FEATURES = [
  {
    kind: "numeric",
    name: "tenure",
    integer: true,
    edges: [0, 2, 5, 10, 17, 26, 35, 45, 56, 66, 73],
    reference: [0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1],
    impute: 29,
  },
  {
    kind: "numeric",
    name: "monthly_charges",
    integer: false,
    edges: [18, 20, 25, 45, 58, 70, 79, 85, 94, 103, 119],
    reference: [0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1],
    impute: 70.35,
  },
  {
    kind: "numeric",
    name: "support_calls",
    integer: true,
    edges: [0, 1, 2, 3, 5, 11],
    reference: [0.35, 0.25, 0.18, 0.14, 0.08],
    impute: 1,
  },
  {
    kind: "categorical",
    name: "contract",
    categories: ["month_to_month", "one_year", "two_year"],
    reference: [0.55, 0.21, 0.24],
    impute: "month_to_month",
  },
  {
    kind: "categorical",
    name: "internet_service",
    categories: ["dsl", "fiber_optic", "none"],
    reference: [0.34, 0.44, 0.22],
    impute: "fiber_optic",
  },
  {
    kind: "categorical",
    name: "payment_method",
    categories: ["electronic_check", "mailed_check", "bank_transfer", "credit_card"],
    reference: [0.34, 0.23, 0.22, 0.21],
    impute: "electronic_check",
  },
  {
    kind: "categorical",
    name: "senior_citizen",
    categories: ["false", "true"],
    reference: [0.84, 0.16],
    boolean: true,
    impute: "false",
  },
] as const satisfies readonly Feature[];

export type FeatureName = (typeof FEATURES)[number]["name"];
export const FEATURE_NAMES: readonly FeatureName[] = FEATURES.map((f) => f.name);

/** A customer as the model sees it: numbers for numeric features, category names otherwise. */
export type Customer = Record<FeatureName, number | string>;
/** A customer as sent over the wire (JSON). */
export type CustomerInput = Partial<Record<FeatureName, number | string | boolean>>;

export interface ParsedCustomer {
  /** Complete features, missing ones imputed. */
  readonly customer: Customer;
  readonly missing: FeatureName[];
}

export class FeatureError extends Error {}

function parseValue(f: Feature, raw: unknown): number | string {
  if (f.kind === "numeric") {
    if (typeof raw !== "number" || !Number.isFinite(raw) || raw < 0) {
      throw new FeatureError(`${f.name} must be a non-negative number`);
    }
    return raw;
  }
  let value = raw;
  if (f.boolean && (typeof raw === "boolean" || raw === 0 || raw === 1)) value = String(Boolean(raw));
  if (typeof value !== "string" || !f.categories.includes(value)) {
    throw new FeatureError(`${f.name} must be one of ${f.categories.join(", ")}`);
  }
  return value;
}

/** Validates one request instance; null/absent features are imputed and reported as missing. */
export function parseCustomer(input: unknown): ParsedCustomer {
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    throw new FeatureError("an instance must be a JSON object of features");
  }
  const record = input as Record<string, unknown>;
  const customer: Partial<Customer> = {};
  const missing: FeatureName[] = [];
  for (const f of FEATURES) {
    const raw = record[f.name];
    if (raw === undefined || raw === null) {
      missing.push(f.name);
      customer[f.name] = f.impute;
    } else {
      customer[f.name] = parseValue(f, raw);
    }
  }
  return { customer: customer as Customer, missing };
}

/** Index of the reference bin a value falls in (outer bins open-ended). */
export function binOf(f: Feature, value: number | string): number {
  if (f.kind === "categorical") return Math.max(0, f.categories.indexOf(String(value)));
  const v = Number(value);
  const last = f.reference.length - 1;
  for (let i = 0; i < last; i++) if (v < f.edges[i + 1]) return i;
  return last;
}

/** Alternative bin weights per feature: a shifted population. */
export type Population = Partial<Record<FeatureName, readonly number[]>>;

/**
 * A population unlike the training data: new, short-tenure customers on expensive
 * month-to-month plans paying by electronic check (e.g. after a marketing campaign).
 */
export const DRIFTED_POPULATION: Population = {
  tenure: [0.3, 0.25, 0.2, 0.1, 0.05, 0.04, 0.03, 0.01, 0.01, 0.01],
  monthly_charges: [0, 0, 0.02, 0.03, 0.05, 0.1, 0.1, 0.2, 0.25, 0.25],
  contract: [0.85, 0.1, 0.05],
  payment_method: [0.6, 0.15, 0.15, 0.1],
};

function sampleFeature(rng: Rng, f: Feature, weights: readonly number[]): number | string {
  const bin = pickWeighted(rng, weights);
  if (f.kind === "categorical") return f.categories[bin];
  const lo = f.edges[bin];
  const hi = f.edges[bin + 1];
  return f.integer ? randomInt(rng, lo, hi) : Math.round((lo + rng() * (hi - lo)) * 100) / 100;
}

/** A customer drawn from the training distribution, or from a shifted population. */
export function sampleCustomer(rng: Rng, population: Population = {}): Customer {
  const out: Partial<Customer> = {};
  for (const f of FEATURES) out[f.name] = sampleFeature(rng, f, population[f.name] ?? f.reference);
  return out as Customer;
}

/** The JSON a client sends for a customer (booleans as JSON booleans). */
export function toInput(customer: Customer): CustomerInput {
  const input: CustomerInput = {};
  for (const f of FEATURES) {
    const v = customer[f.name];
    input[f.name] = "boolean" in f && f.boolean ? v === "true" : v;
  }
  return input;
}

/**
 * An upstream data bug, applied by the server's drift fault: tenure arrives in years
 * instead of months and charges include 40% tax. Returns a new customer.
 */
export function corrupt(customer: Customer): Customer {
  return {
    ...customer,
    tenure: Math.floor(Number(customer.tenure) / 12),
    monthly_charges: Math.round(Number(customer.monthly_charges) * 140) / 100,
  };
}
