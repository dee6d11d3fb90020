/**
 * Last-resort cleanup: child processes and temp dirs registered here are removed when
 * the test process exits or is told to stop (SIGINT/SIGTERM/SIGHUP), even when a test
 * failed before its `after` hook could run. Normal teardown unregisters first.
 */
const tasks = new Set<() => void>();
let installed = false;

function runAll(): void {
  for (const task of [...tasks]) {
    tasks.delete(task);
    try {
      task();
    } catch {
      // Best effort: the process is going away.
    }
  }
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on("exit", runAll);
  for (const [signal, code] of [["SIGINT", 130], ["SIGTERM", 143], ["SIGHUP", 129]] as const) {
    process.on(signal, () => {
      runAll();
      // Exit only when nobody else (e.g. mocha) handles the signal.
      if (process.listenerCount(signal) === 1) process.exit(code);
    });
  }
}

/** Registers a synchronous cleanup task; returns a function that unregisters it. */
export function onExit(task: () => void): () => void {
  install();
  tasks.add(task);
  return () => void tasks.delete(task);
}
