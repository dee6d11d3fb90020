/** Polling helpers: wait for what a test needs instead of sleeping a fixed time. */
import { PrometheusHandle, seriesCount } from "./server";

export interface WaitOptions {
  /** Give up after this long (default 20 s). */
  readonly timeoutMs?: number;
  /** Poll interval (default 250 ms). */
  readonly intervalMs?: number;
}

/** Polls `check` until it returns true; on timeout throws with `describe()`'s account of what is missing. */
export async function waitUntil(
  check: () => Promise<boolean>,
  describe: () => string,
  options: WaitOptions = {},
): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 20_000);
  for (;;) {
    if (await check()) return;
    if (Date.now() >= deadline) throw new Error(`timed out after ${options.timeoutMs ?? 20_000} ms: ${describe()}`);
    await new Promise((r) => setTimeout(r, options.intervalMs ?? 250));
  }
}

/**
 * Waits until every expression returns at least `minSeries` series (default 1) in an
 * instant query. Expressions may be selectors or any PromQL (e.g. `x > 0.3`).
 */
export async function waitForSeries(
  prometheus: PrometheusHandle,
  exprs: readonly string[],
  options: WaitOptions & { readonly minSeries?: number } = {},
): Promise<void> {
  const min = options.minSeries ?? 1;
  let pending = [...exprs];
  const errors = new Map<string, string>();
  await waitUntil(
    async () => {
      const counts = await Promise.all(
        pending.map((e) =>
          prometheus.query(e).then(
            (d) => seriesCount(d),
            (err: Error) => (errors.set(e, err.message), 0),
          ),
        ),
      );
      pending = pending.filter((_, i) => counts[i] < min);
      return pending.length === 0;
    },
    () =>
      `${pending.length} expression(s) still without ${min} series:\n` +
      pending.map((e) => `  ${e}${errors.has(e) ? `  (${errors.get(e)})` : ""}`).join("\n"),
    options,
  );
}
