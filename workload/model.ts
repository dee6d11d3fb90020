/**
 * The churn model: a logistic regression over the features in ./features. Two
 * coefficient sets exist, the "stable" model and a retrained "canary" challenger, so a
 * service can serve two versions side by side; version names are configuration.
 */
import { Customer } from "./features";

export type ModelRole = "stable" | "canary";

interface Coefficients {
  readonly intercept: number;
  /** Per year of tenure. */
  readonly tenureYears: number;
  /** Per 30 currency units of monthly charges above 65. */
  readonly monthlyCharges: number;
  readonly supportCalls: number;
  readonly senior: number;
  readonly contract: Readonly<Record<string, number>>;
  readonly internet: Readonly<Record<string, number>>;
  readonly payment: Readonly<Record<string, number>>;
}

const COEFFICIENTS: Record<ModelRole, Coefficients> = {
  stable: {
    intercept: -0.4,
    tenureYears: -0.55,
    monthlyCharges: 0.5,
    supportCalls: 0.35,
    senior: 0.3,
    contract: { month_to_month: 0.9, one_year: -0.6, two_year: -1.6 },
    internet: { dsl: -0.1, fiber_optic: 0.55, none: -0.7 },
    payment: { electronic_check: 0.45, mailed_check: -0.1, bank_transfer: -0.25, credit_card: -0.3 },
  },
  canary: {
    intercept: -0.5,
    tenureYears: -0.6,
    monthlyCharges: 0.45,
    supportCalls: 0.42,
    senior: 0.25,
    contract: { month_to_month: 1.0, one_year: -0.5, two_year: -1.7 },
    internet: { dsl: -0.15, fiber_optic: 0.6, none: -0.8 },
    payment: { electronic_check: 0.5, mailed_check: -0.05, bank_transfer: -0.3, credit_card: -0.3 },
  },
};

/** Temperature of the calibrated sigmoid (below 1: sharper, more confident predictions). */
const TEMPERATURE = 0.5;

export interface Model {
  readonly version: string;
  readonly role: ModelRole;
  /** Probability that the customer churns. */
  predict(customer: Customer): number;
}

export function createModel(version: string, role: ModelRole): Model {
  const c = COEFFICIENTS[role];
  return {
    version,
    role,
    predict(x: Customer): number {
      const z =
        c.intercept +
        c.tenureYears * (Number(x.tenure) / 12) +
        c.monthlyCharges * ((Number(x.monthly_charges) - 65) / 30) +
        c.supportCalls * Number(x.support_calls) +
        (x.senior_citizen === "true" ? c.senior : 0) +
        (c.contract[String(x.contract)] ?? 0) +
        (c.internet[String(x.internet_service)] ?? 0) +
        (c.payment[String(x.payment_method)] ?? 0);
      return 1 / (1 + Math.exp(-z / TEMPERATURE));
    },
  };
}

/** Confidence of a binary prediction: the probability of the predicted class (0.5-1). */
export function confidenceOf(probability: number): number {
  return Math.max(probability, 1 - probability);
}

/** A degraded model's output: the probability pulled towards 0.5 (confidence collapses). */
export function degrade(probability: number): number {
  return 0.5 + (probability - 0.5) * 0.15;
}
