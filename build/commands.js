// @ts-check
/**
 * Every command a user runs: its usage, options, the build targets it needs and the
 * compiled module whose `main(args)` runs it. One table for the launcher (npm run <name>:
 * build/run.js parses the arguments, answers --help, then builds only `targets`) and for
 * the compiled CLIs run directly (node bin/...: build/args.js runCli with the same spec).
 */
"use strict";

/** @typedef {import("./args").CommandSpec} CommandSpec */

/**
 * @typedef {object} LaunchedCommand
 * @property {readonly string[]} targets build targets (build/targets.js) it needs
 * @property {string} entry compiled module (under bin/, without .js) exporting main(args)
 * @property {Readonly<Record<string, readonly string[]>>} [flagTargets] more targets a boolean option needs when given
 */

/** @type {import("./args").OptionSpec} */
const STACK = {
  type: "string",
  short: "s",
  value: "stack",
  multiple: true,
  commaList: true,
  kind: "stack",
  help: "a stack (repeat, or comma-separate, for several); default: every stack",
};

/** Why npm run pull takes no credential option. */
const PULL_CREDENTIALS = "credentials are read from GRAFANA_AUTH only: a command-line argument lands in shell history";

/** @type {Readonly<Record<string, CommandSpec & Partial<LaunchedCommand>>>} */
const COMMANDS = {
  build: {
    invocation: "npm run build --",
    about:
      "Builds what changed, and only that: each target is skipped when its inputs (by content) and the targets it builds on are as at its last build. Targets: program, policy, workload, preview, bench, tests, record (default: all). npm run validate, render, docs and bench build only what they need.",
    options: {},
    positionals: [{ name: "target", optional: true, variadic: true, help: "a build target to bring up to date (default: all)" }],
  },
  validate: {
    invocation: "npm run validate --",
    about: "Checks each stack exactly as the program does before registering anything: its config, every dashboard (built and drop-in), every PromQL expression, every alert rule and the Helm values. Prints every problem; exits 1 if there is any.",
    options: { stack: STACK },
    refuses: { out: "validate writes no files: npm run render -- --out <dir> does" },
    targets: ["program"],
    entry: "render/validate-cli",
  },
  render: {
    invocation: "npm run render --",
    about:
      "Renders each stack offline (no cluster, no Pulumi CLI, no credentials) to <out>/<stack>/ for review: dashboards, their layout, Helm values, the Kubernetes manifests (the chart rendered by real Helm and every object checked; one line on how to get Helm and the chart when they are missing), alerting, Prometheus rules, and summary.md listing every resource. Prints a short summary per stack. A stack that fails leaves no <out>/<stack>/ behind.",
    options: {
      stack: STACK,
      out: { type: "string", value: "dir", help: "folder that receives <stack>/ (default: out/)" },
      "with-data": {
        type: "boolean",
        help: "also draw every dashboard with data from a real Prometheus (Debian's prometheus package): <out>/<stack>/previews/<uid>.svg and .png (docs/previews.md)",
      },
    },
    targets: ["program"],
    // Only a render with previews needs the workload and the drawing code built.
    flagTargets: { "with-data": ["workload", "preview"] },
    entry: "render/cli",
  },
  pull: {
    invocation: "npm run pull --",
    about:
      "Pulls what people edited in Grafana's UI back into code. A drop-in dashboard is written where the program reads it from (dashboards/<folder-uid>/<slug>.json), normalised like an import; a dashboard built in TypeScript is never overwritten: what changed in Grafana goes, panel by panel, to out/pull/dashboards/<uid>.diff.json. --alerts writes a folder's rule groups made in the UI as Grafana's alert-rule export (alerts/rules/<folder-uid>/). Grafana is the stack's (its grafanaApiUrl and admin credentials, read with the Pulumi CLI) or --url, with the credentials in GRAFANA_AUTH (a service-account token or user:password), never on the command line. Nothing is written unless every request succeeded.",
    options: {
      dashboard: { type: "string", value: "uid", multiple: true, help: "a dashboard (repeat for several)" },
      folder: { type: "string", value: "uid", multiple: true, help: "every dashboard in a folder and in its nested folders (repeat for several)" },
      alerts: { type: "string", value: "folder-uid", multiple: true, help: "the folder's alert rules, as Grafana's export (repeat for several)" },
      stack: {
        type: "string",
        short: "s",
        value: "stack",
        kind: "stack",
        help: "the stack whose program the content is compared with, and whose Grafana URL and credentials are used (default: dev, as npm run deploy)",
      },
      url: { type: "string", value: "grafana", help: "Grafana's root URL instead of the stack's; credentials from GRAFANA_AUTH" },
      "dry-run": { type: "boolean", help: "print what would change, write nothing" },
      timeout: { type: "string", value: "seconds", help: "how long to wait for each answer from Grafana, default 30" },
      root: { type: "string", value: "dir", help: "the checkout to write into (default: this one)" },
    },
    refuses: {
      auth: PULL_CREDENTIALS,
      token: PULL_CREDENTIALS,
      password: PULL_CREDENTIALS,
      user: PULL_CREDENTIALS,
      "api-key": PULL_CREDENTIALS,
    },
    targets: ["program"],
    entry: "pull/cli",
  },
  "chart:pull": {
    invocation: "npm run chart:pull --",
    about:
      "Makes the grafana chart each stack pins available to npm run render and the tests: GRAFANA_CHART, ../shared/reference, the cache (~/.cache/grafana-k8s), or helm pull into that cache. Exits 1 when a chart cannot be had.",
    options: { stack: STACK },
    targets: ["program"],
    entry: "render/helm/pull-cli",
  },
  previews: {
    invocation: "npm run previews --",
    about:
      "Regenerates the README's preview images: renders the dev stack with data (as npm run render -- --stack dev --with-data) and copies each dashboard's PNG to docs/previews/<uid>.png. Needs Debian's prometheus package.",
    options: {},
    targets: ["program", "workload", "preview"],
    entry: "scripts/readme-previews",
  },
  docs: {
    invocation: "npm run docs --",
    about: "Regenerates README.md's generated sections: the configuration reference (from Pulumi.yaml and the stack files) and the folder list (from dashboards/folders.ts).",
    options: {},
    targets: ["program"],
    entry: "scripts/readme-sections",
  },
  bench: {
    invocation: "npm run bench --",
    about:
      "Measures the program against the floor (same registrations, no project logic) under Pulumi's mock engine, and the edit loop (npm run validate after no change, a drop-in JSON edit and a dashboard-module edit) against node -e \"require('@pulumi/pulumi')\"; writes docs/performance.md. Use \"none\" for an empty list. Quick look: npm run bench -- --runs 1 --sizes 10 --runner none --unbounded none --unrecorded none --no-write",
    options: {
      runs: { type: "string", value: "n", kind: "count", help: "measured runs per figure (median), default 5" },
      warmup: { type: "string", value: "n", kind: "count", help: "runs before measuring, default 1" },
      parts: { type: "string", value: "list", multiple: true, commaList: true, help: "startup, edit-loop, previews, tests (default startup,edit-loop,previews; tests times the test layers into docs/testing.md)" },
      stacks: { type: "string", value: "list", multiple: true, commaList: true, help: "stacks measured as they are, default dev,prod" },
      sizes: { type: "string", value: "list", multiple: true, commaList: true, help: "synthetic dashboards added to dev, default 10,100,1000" },
      "per-folder": { type: "string", value: "n", kind: "count", help: "synthetic dashboards per Grafana folder, default 10" },
      runner: { type: "string", value: "list", multiple: true, commaList: true, help: "cases also run as Pulumi's runner does (ts-node vs JS), default dev,1000" },
      unbounded: { type: "string", value: "list", multiple: true, commaList: true, help: "cases also run with node's default stack limit and mocha's, default 1000" },
      unrecorded: { type: "string", value: "list", multiple: true, commaList: true, help: "cases also run without the build's content record, default dev,1000" },
      project: { type: "string", value: "dir", help: "project the edit loop copies and edits (default: this one; another checkout gives before figures)" },
      out: { type: "string", value: "file", help: "report file, default docs/performance.md" },
      "no-write": { type: "boolean", help: "print the report only" },
      keep: { type: "boolean", help: "keep the temporary copies" },
    },
    // The previews part renders with data: the workload and the drawing code must be built.
    targets: ["program", "bench", "workload", "preview"],
    entry: "bench/run",
  },
  "alert-receiver": {
    invocation: "npm run alert-receiver --",
    about:
      "The demo's notification receiver: prints each notification Grafana's webhook contact point posts (the dev stack's alertDemoReceiverUrl), answers 400 with what differs to anything else. Runs until Ctrl-C. See docs/workload.md.",
    options: {
      host: { type: "string", value: "address", help: "address to bind: 0.0.0.0 so that Grafana in a kind cluster reaches it (default 127.0.0.1, or $HOST)" },
      port: { type: "string", value: "port", help: "port to listen on (default 9095, or $PORT)" },
    },
    targets: ["workload"],
    entry: "workload/alert-receiver",
  },
  "config-table": {
    invocation: "node bin/scripts/config-table.js",
    about: "Prints README.md's configuration reference table, generated from Pulumi.yaml and the stack files (npm run docs writes it into README.md).",
    options: {},
  },
  "readme-sections": {
    invocation: "node bin/scripts/readme-sections.js",
    about: "Rewrites README.md's generated sections (what npm run docs runs).",
    options: {},
  },
  "stack-config-set": {
    invocation: "node bin/scripts/stack-config-set.js",
    about: "Sets one plain config value in Pulumi.<stack>.yaml without the Pulumi CLI, keeping the file's comments (CI points a stack at the Grafana URL its runner reaches). Secret keys are refused: use pulumi config set --secret.",
    options: {},
    positionals: [
      { name: "stack", kind: "stack", help: "a committed stack" },
      { name: "key", help: "a config key declared in Pulumi.yaml, without the project prefix" },
      { name: "value", help: "the value to store" },
    ],
  },
  "derive-chart-keys": {
    invocation: "node bin/scripts/derive-chart-keys.js",
    about: "Derives chart-keys/<chart>-<version>.json (every values key the Grafana chart knows) from the reference folder or an unpacked chart.",
    options: {},
    positionals: [
      { name: "chart-or-reference-dir", optional: true, help: "default ../shared/reference/grafana-chart-12.11.1" },
      { name: "out-dir", optional: true, help: "default chart-keys/" },
    ],
  },
  "derive-dashboard-schema": {
    invocation: "node bin/scripts/derive-dashboard-schema.js",
    about: "Derives validation/schema/dashboard.schema.json from Grafana's published JSON Schemas.",
    options: {},
    positionals: [
      { name: "reference-dir", optional: true, help: "default ../shared/reference/grafana-foundation-jsonschema" },
      { name: "out-file", optional: true, help: "default validation/schema/dashboard.schema.json" },
    ],
  },
  "compile-schemas": {
    invocation: "node bin/scripts/compile-schemas.js",
    about: "Build step: generates the dashboard schema's ajv validators (bin/validation/schema/dashboard-validators.js).",
    options: {},
  },
  "compile-dashboards": {
    invocation: "node bin/scripts/compile-dashboards.js",
    about: "Build step: writes the dashboards the modules build to bin/dashboards/built.json.",
    options: {},
  },
  "compile-content": {
    invocation: "node bin/scripts/compile-content.js",
    about: "Build step: records the drop-in files converted and every dashboard and rule of the committed stacks that passes its checks (bin/lib/content-record.json).",
    options: {},
  },
};

module.exports = { COMMANDS };
