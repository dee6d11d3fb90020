/**
 * Time as the churn API measures it. The service runs on the real clock; the preview
 * history (preview/history.ts) runs the same code on a virtual one, so six hours
 * of traffic, slow requests included, take seconds and give the same data every time.
 */
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";

export interface Clock {
  /** Milliseconds; only differences are meaningful. */
  now(): number;
  /** Resolves once `ms` milliseconds of this clock have passed. */
  sleep(ms: number): Promise<void>;
}

export const REAL_CLOCK: Clock = {
  now: () => performance.now(),
  sleep: (ms) => sleep(ms),
};
