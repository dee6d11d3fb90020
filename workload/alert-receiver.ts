/**
 * The demo's notification receiver: a small HTTP server that Grafana's webhook contact point
 * posts to (the dev stack's alertDemoReceiverUrl), printing each notification as it arrives:
 *
 *   npm run alert-receiver -- --host 0.0.0.0 --port 9095      (or node bin/workload/alert-receiver.js)
 *
 * It accepts Grafana's webhook JSON (workload/grafana-webhook.ts) on any path and answers
 * 200; a body of another shape is answered 400 and printed with what differs, so a
 * misconfigured contact point shows up here too. No credentials, no storage. See
 * docs/workload.md.
 */
import * as http from "node:http";
import { AddressInfo } from "node:net";
import { UsageError } from "../build/args";
import { ParsedArgs, runAsCli, stringOption } from "../lib/cli";
import { GrafanaWebhook, parseGrafanaWebhook } from "./grafana-webhook";

/** Grafana caps a notification at a few hundred alerts; 10 MiB is plenty and bounds memory. */
const MAX_BODY_BYTES = 10 * 1024 * 1024;

const indent = (text: string, by = "    "): string => text.replace(/\s+$/, "").replace(/^(?=.)/gm, by);
const labelText = (labels: Readonly<Record<string, string>> | null): string =>
  Object.entries(labels ?? {})
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(", ");

/** What the receiver prints for one notification: Grafana's rendered title and message, then each alert. */
export function formatNotification(p: GrafanaWebhook, at: Date = new Date()): string {
  const firing = p.alerts.filter((a) => a.status === "firing").length;
  const lines = [
    `--- ${at.toISOString()} ${p.status.toUpperCase()} (${firing} firing, ${p.alerts.length - firing} resolved${p.truncatedAlerts ? `, ${p.truncatedAlerts} truncated` : ""}) from contact point ${p.receiver}`,
    `  group: {${labelText(p.groupLabels)}}`,
    `  title: ${p.title}`,
    "  message:",
    indent(p.message),
    ...p.alerts.map((a) => `  - ${a.status} {${labelText(a.labels)}} since ${a.startsAt}${a.panelURL ? ` ${a.panelURL}` : ""}`),
  ];
  return `${lines.join("\n")}\n`;
}

export interface ReceiverOptions {
  readonly port: number;
  readonly host: string;
  /** Where notifications go (default: stdout). */
  readonly print?: (text: string) => void;
  /** Where refused bodies are reported (default: stderr). */
  readonly warn?: (text: string) => void;
}

export interface Receiver {
  readonly url: string;
  readonly close: () => Promise<void>;
}

function readBody(req: http.IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        resolve(undefined);
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function reply(res: http.ServerResponse, status: number, body: Record<string, unknown>): void {
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
}

export function startReceiver(options: ReceiverOptions): Promise<Receiver> {
  const print = options.print ?? ((t: string) => process.stdout.write(t));
  const warn = options.warn ?? ((t: string) => process.stderr.write(t));
  const server = http.createServer((req, res) => {
    if (req.method === "GET" && req.url === "/health") return reply(res, 200, { status: "ok" });
    if (req.method !== "POST") return reply(res, 405, { error: "POST Grafana's webhook JSON" });
    readBody(req).then(
      (body) => {
        if (body === undefined) return reply(res, 413, { error: `body larger than ${MAX_BODY_BYTES} bytes` });
        const parsed = parseGrafanaWebhook(body);
        if ("problems" in parsed) {
          warn(`--- refused a POST to ${req.url}: not Grafana's webhook JSON\n${parsed.problems.map((p) => `  ${p}`).join("\n")}\n`);
          return reply(res, 400, { error: "not Grafana's webhook JSON", problems: parsed.problems });
        }
        print(formatNotification(parsed.payload));
        reply(res, 200, { status: "received", alerts: parsed.payload.alerts.length });
      },
      (err: Error) => reply(res, 400, { error: err.message }),
    );
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => {
      const { address, port } = server.address() as AddressInfo;
      const host = address.includes(":") ? `[${address}]` : address;
      resolve({ url: `http://${host}:${port}/`, close: () => new Promise((done) => server.close(() => done())) });
    });
  });
}

/** Runs until SIGINT/SIGTERM (usage and --help: build/commands.js, "alert-receiver"). */
export async function main(args: ParsedArgs): Promise<number> {
  const portText = stringOption(args, "port") ?? process.env.PORT ?? "9095";
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535) throw new UsageError(`--port must be a port number, got ${portText}`);
  const receiver = await startReceiver({ port, host: stringOption(args, "host") ?? process.env.HOST ?? "127.0.0.1" });
  process.stdout.write(`Receiving Grafana notifications at ${receiver.url} (Ctrl-C stops)\n`);
  await new Promise<void>((stopped) => {
    const stop = () => void receiver.close().then(stopped);
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  return 0;
}

if (require.main === module) runAsCli("alert-receiver", main);
