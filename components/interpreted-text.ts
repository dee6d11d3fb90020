/**
 * Config values that end up in text another program interprets: Helm's `tpl`, Grafana's
 * ini loader and variable expander, its provisioning files, its alert templates, an HTTP
 * header. A value is accepted there only if it reaches that program as exactly what was
 * written: no template action, no expansion, no comment, no control character.
 */

/** Where a config value is interpreted, each with the source of the rule. */
export type Interpreter =
  /**
   * grafana.ini: the chart renders every string value through `tpl` (templates/_config.tpl,
   * chart 12.11.1); Grafana loads the file with gopkg.in/ini.v1's defaults, which cut a value
   * at `#` or `;` (inline comment), then expands `${VAR}` and `$__<provider>{...}`
   * (pkg/setting/expanders.go: `\$(|__\w+){([^}]+)}`).
   */
  | "grafana.ini"
  /**
   * A GF_<SECTION>_<KEY> environment variable (the chart's admin and smtp Secrets, our
   * database password): Grafana applies it as a config override before the same expansion.
   */
  | "grafana-env"
  /**
   * The datasource provisioning file: the chart renders it through `tpl`; Grafana expands
   * `$VAR`, `${VAR}` and `$__<provider>{...}` in provisioning values (a literal `$` is `$$`:
   * Grafana docs, "Provision Grafana", Use environment variables).
   */
  | "provisioning"
  /** A chart value the templates pass through `tpl` (ingress hosts, annotations, tls). */
  | "helm-tpl"
  /** A Grafana alert annotation: Grafana executes it as a Go text/template. */
  | "alert-template"
  /**
   * A contact point setting Grafana executes as a Go text/template for every notification:
   * the webhook notifier's url and Slack's recipient (grafana/alerting receivers/webhook and
   * receivers/slack: tmpl(settings.URL), tmpl(settings.Recipient)).
   */
  | "notification-template"
  /** Sent as an HTTP header value: Go's net/http refuses control characters there. */
  | "http-header";

export interface TextProblem {
  readonly message: string;
  readonly fix: string;
}

const TEMPLATE_ACTION = /\{\{|\}\}/;
/** Grafana's config expansion: `${VAR}` or `$__env{...}`, `$__file{...}`, `$__vault{...}`. */
const GRAFANA_EXPANSION = /\$(__\w+)?\{/;
const INI_COMMENT = /[#;]/;
/** Unicode control characters (category Cc: C0, DEL, C1), tab and newline included. */
const CONTROL = /\p{Cc}/u;

const TEMPLATE_READERS: Partial<Record<Interpreter, string>> = {
  "grafana.ini": "Helm's tpl (the chart templates every grafana.ini string)",
  provisioning: "Helm's tpl (the chart templates the datasource file)",
  "helm-tpl": "Helm's tpl (the chart templates this value)",
  "alert-template": "Grafana's alert templating (annotations are Go templates)",
  "notification-template": "Grafana's notification templating (it executes this contact point setting as a Go template)",
};

/** Why `value` would not reach its interpreters as written, or undefined when it would. */
export function interpretedTextProblem(value: string, reaches: readonly Interpreter[] = []): TextProblem | undefined {
  if (CONTROL.test(value)) {
    return {
      message: "contains a control character (a newline, tab or other non-printing character)",
      fix: "remove it: no config value needs one, and in grafana.ini a newline would start a new line or section",
    };
  }
  const templateReader = reaches.map((r) => TEMPLATE_READERS[r]).find((r) => r !== undefined);
  if (templateReader && TEMPLATE_ACTION.test(value)) {
    return {
      message: `contains "{{" or "}}", which ${templateReader} would execute as a template action`,
      fix: "remove the braces (in a URL, percent-encode them as %7B and %7D)",
    };
  }
  if (reaches.includes("provisioning") && value.includes("$")) {
    return {
      message: "contains \"$\", which Grafana expands in provisioning files ($VAR, ${VAR}, $__file{...})",
      fix: "remove it (in a URL, percent-encode it as %24)",
    };
  }
  if (reaches.some((r) => r === "grafana.ini" || r === "grafana-env") && GRAFANA_EXPANSION.test(value)) {
    return {
      message: "contains \"${\" or \"$__<name>{\", which Grafana expands when it loads its configuration (${VAR}, $__env{...}, $__file{...}, $__vault{...})",
      fix: "remove the expansion syntax: the value must be literal",
    };
  }
  if (reaches.includes("grafana.ini") && INI_COMMENT.test(value)) {
    return {
      message: "contains \"#\" or \";\", where Grafana's ini loader cuts the value (inline comment)",
      fix: "remove it (in a URL, percent-encode it as %23 or %3B)",
    };
  }
  return undefined;
}
