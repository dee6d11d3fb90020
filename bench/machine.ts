/** The machine a benchmark ran on, for the report. */
import * as fs from "node:fs";
import * as os from "node:os";

function osName(): string {
  try {
    const release = fs.readFileSync("/etc/os-release", "utf8");
    const pretty = /^PRETTY_NAME="?([^"\n]+)"?/m.exec(release);
    if (pretty) return `${pretty[1]}, ${os.type()} ${os.release()}`;
  } catch {
    // Not Linux: fall through.
  }
  return `${os.type()} ${os.release()}`;
}

export function machineDescription(): string {
  const cpus = os.cpus();
  const memory = (os.totalmem() / 1024 ** 3).toFixed(1);
  return [
    `CPU: ${cpus[0]?.model.trim() ?? "unknown"}, ${cpus.length} cores (os.cpus)`,
    `Memory: ${memory} GiB`,
    `Node.js ${process.version} (${process.arch})`,
    `OS: ${osName()}`,
  ].join("; ");
}
