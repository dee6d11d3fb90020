/**
 * Files a test drops into the project as a contributor would (dashboards/, alerts/rules/),
 * removed again afterwards: exactly what the test created. A contributor's own files and the
 * folders that held them before the test stay (tests/unit/new-content.test.ts runs the
 * content suites next to such files and checks they survive).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { fromRoot } from "../../lib/paths";

/** Instances holding files now: removed also when the run is interrupted (Ctrl-C) or exits early. */
const holding = new Set<DropIns>();
let hooked = false;

/**
 * Removes every instance's files on exit and on SIGINT/SIGTERM/SIGHUP: left behind in the
 * checkout, third-party drop-ins would be deployed by the next `pulumi up`. After cleaning up,
 * a signal nobody else handles is raised again, so the process still ends as it would have.
 */
function removeOnInterrupt(): void {
  if (hooked) return;
  hooked = true;
  const removeEverything = () => holding.forEach((d) => d.removeAll());
  process.once("exit", removeEverything);
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.once(signal, () => {
      removeEverything();
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    });
  }
}

export class DropIns {
  /** Files, links and folders this instance made, absolute. */
  private readonly created: string[] = [];

  /** Writes a file at a project-relative path (an object as JSON), making its folders; returns the path. */
  write(relative: string, content: string | Buffer | object): string {
    const file = this.claim(relative);
    fs.writeFileSync(file, typeof content === "string" || Buffer.isBuffer(content) ? content : JSON.stringify(content));
    return relative;
  }

  /** A symbolic link at a project-relative path to `target`; returns the path. */
  link(relative: string, target: string): string {
    fs.symlinkSync(target, this.claim(relative));
    return relative;
  }

  /** A folder at a project-relative path; returns the path. */
  folder(relative: string): string {
    fs.mkdirSync(this.claim(relative));
    return relative;
  }

  /**
   * The absolute path for an entry the caller makes at `relative` (a named pipe, say), its
   * folders made: removed with the rest. Refuses a path that exists: it is someone's file.
   */
  claim(relative: string): string {
    const target = fromRoot(relative);
    if (fs.lstatSync(target, { throwIfNoEntry: false })) throw new Error(`${relative} exists already: the test would overwrite or remove it`);
    const missing: string[] = [];
    for (let dir = path.dirname(target); !fs.existsSync(dir); dir = path.dirname(dir)) missing.push(dir);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    this.created.push(...missing, target);
    holding.add(this);
    removeOnInterrupt();
    return target;
  }

  /** Removes what was made, deepest first; a folder only when nothing else is left in it. */
  removeAll(): void {
    holding.delete(this);
    for (const entry of this.created.splice(0).sort((a, b) => b.length - a.length)) {
      const stat = fs.lstatSync(entry, { throwIfNoEntry: false });
      if (!stat) continue;
      if (!stat.isDirectory()) fs.rmSync(entry, { force: true });
      else if (fs.readdirSync(entry).length === 0) fs.rmdirSync(entry);
    }
  }
}
