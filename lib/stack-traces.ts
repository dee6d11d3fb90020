/**
 * The Pulumi SDK creates Errors (debuggable promises, pre-allocated RPC errors) several
 * times per registered resource, and Pulumi's runner registers source-map-support,
 * which maps every captured frame through the SDK's source maps. At 1,000+ resources
 * that capture is most of the run time, and it grows with Error.stackTraceLimit
 * (mocha sets Infinity). The SDK's source positions are unaffected: it raises the limit
 * itself for that one capture.
 *
 * Trade-off: with limit 0 an unexpected exception is reported with its message but no
 * frames. Input problems are RunErrors, which Pulumi prints without a stack anyway. To
 * debug a crash, run with NODE_OPTIONS=--stack-trace-limit=50: an explicit limit is kept.
 */
export const PROGRAM_STACK_TRACE_LIMIT = 0;

function explicitLimit(): boolean {
  const flag = "--stack-trace-limit";
  return process.execArgv.some((a) => a.startsWith(flag)) || (process.env.NODE_OPTIONS ?? "").includes(flag);
}

/** Lowers Error.stackTraceLimit for the rest of the process, unless the user set one. */
export function boundStackTraces(): void {
  if (!explicitLimit()) Error.stackTraceLimit = PROGRAM_STACK_TRACE_LIMIT;
}
