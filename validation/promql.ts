/**
 * PromQL checks without a Prometheus server, in two passes:
 *  1. syntax: @prometheus-io/lezer-promql's parser (never throws; error nodes mark the
 *     problems, zero-width ones are missing tokens), plus a bracket scan and an
 *     unknown-function check for clearer messages;
 *  2. types and arity: @prometheus-io/codemirror-promql's static analyser (the same
 *     code as the Prometheus UI's linter), run headless on the tree of pass 1.
 * Pass 2 only runs on a syntactically valid expression: on a broken tree it reports
 * follow-on noise. Expressions holding Grafana variables must be interpolated first
 * (see interpolateForValidation in ./variables). Each expression is parsed once.
 */
import type { LRParser } from "@lezer/lr";
import type { SyntaxNode, Tree } from "@lezer/common";
import type { EditorState } from "@codemirror/state";
// The package's CommonJS build, by path: its ESM build does not resolve in Node. Only
// the analyser: the package's index also loads the editor (autocomplete, linter, client).
import { Parser as PromQLAnalyser } from "@prometheus-io/codemirror-promql/dist/cjs/parser";
import { closest } from "../lib/suggest";

// lezer-promql is an ES module package whose typings TypeScript will not let a CommonJS
// file import; its CommonJS build ("require" export) is typed by hand here.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const lezer: { readonly parser: LRParser } = require("@prometheus-io/lezer-promql");

export type PromQLIssueKind = "syntax" | "unknown-function" | "type";

/** One thing wrong with an expression; offsets are into the checked text. */
export interface PromQLIssue {
  readonly kind: PromQLIssueKind;
  readonly from: number;
  readonly to: number;
  /** 1-based column of `from`. */
  readonly column: number;
  /** Human message, position included ("at column 6: ..."). */
  readonly message: string;
  /** What to change. */
  readonly fix: string;
}

let functionNames: readonly string[] | undefined;
/** For "did you mean": loaded on the first unknown function only (it pulls in the editor's autocompletion). */
function knownFunctionNames(): readonly string[] {
  if (!functionNames) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const terms = require("@prometheus-io/codemirror-promql/dist/cjs/complete/promql.terms") as typeof import("@prometheus-io/codemirror-promql/dist/cjs/complete/promql.terms");
    functionNames = [...terms.functionIdentifierTerms.map((t) => t.label), ...terms.aggregateOpTerms.map((t) => t.label)];
  }
  return functionNames;
}
const FUNCTIONS_URL = "https://prometheus.io/docs/prometheus/latest/querying/functions/";

const CACHE_LIMIT = 20_000;
const cache = new Map<string, readonly PromQLIssue[]>();

/**
 * Every problem in one PromQL expression (no Grafana variables left in it). An empty
 * array means Prometheus would accept it. Results are cached per expression text.
 */
export function checkPromQL(expr: string): readonly PromQLIssue[] {
  const hit = cache.get(expr);
  if (hit) return hit;
  const issues = Object.freeze(analyse(expr));
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(expr, issues);
  return issues;
}

function analyse(expr: string): PromQLIssue[] {
  if (expr.trim() === "") {
    return [{ kind: "syntax", from: 0, to: 0, column: 1, message: "the expression is empty", fix: "write a PromQL expression" }];
  }
  const tree = lezer.parser.parse(expr);
  const syntax = syntaxIssues(expr, tree);
  if (syntax.length > 0) return syntax;
  return typeIssues(expr, tree);
}

function issue(kind: PromQLIssueKind, expr: string, from: number, to: number, what: string, fix: string): PromQLIssue {
  const near = expr.slice(from, Math.min(expr.length, Math.max(to, from + 1), from + 24));
  const at = from >= expr.trimEnd().length ? "at the end" : `at column ${from + 1}${near.trim() ? ` (near \`${near}\`)` : ""}`;
  return { kind, from, to, column: from + 1, message: `${what} ${at}`, fix };
}

// ---- pass 1: syntax -------------------------------------------------------------------

const CLOSING: Readonly<Record<string, string>> = { "(": ")", "[": "]", "{": "}" };

interface Bracket {
  readonly char: string;
  readonly at: number;
}

/** Unclosed or unmatched brackets, skipping string literals and comments. */
function bracketIssue(expr: string): PromQLIssue | undefined {
  const stack: Bracket[] = [];
  for (let i = 0; i < expr.length; i++) {
    const c = expr[i];
    if (c === '"' || c === "'" || c === "`") {
      const quote = c;
      for (i++; i < expr.length && expr[i] !== quote; i++) if (expr[i] === "\\" && quote !== "`") i++;
      continue;
    }
    if (c === "#") {
      while (i < expr.length && expr[i] !== "\n") i++;
      continue;
    }
    if (c in CLOSING) stack.push({ char: c, at: i });
    else if (c === ")" || c === "]" || c === "}") {
      const open = stack.pop();
      if (!open) return issue("syntax", expr, i, i + 1, `unexpected "${c}" with no matching opening bracket`, `remove the "${c}" or add its opening bracket`);
      if (CLOSING[open.char] !== c) {
        return issue("syntax", expr, i, i + 1, `"${c}" closes the "${open.char}" opened at column ${open.at + 1}`, `close it with "${CLOSING[open.char]}"`);
      }
    }
  }
  const open = stack.pop();
  if (open) {
    return issue("syntax", expr, open.at, open.at + 1, `unclosed "${open.char}"`, `add the missing "${CLOSING[open.char]}"`);
  }
  return undefined;
}

/** Metric names an expression selects by name (`foo{...}`; a `{__name__=...}` matcher is not resolved). */
export function selectedMetricNames(expr: string): string[] {
  const names = new Set<string>();
  lezer.parser.parse(expr).iterate({
    enter(ref) {
      if (ref.name !== "VectorSelector") return;
      const id = ref.node.firstChild;
      if (id?.name === "Identifier") names.add(expr.slice(id.from, id.to));
    },
  });
  return [...names];
}

/** `foo(...)` where foo is not a PromQL function: lezer parses foo as a metric name. */
function unknownFunctions(expr: string, tree: Tree): PromQLIssue[] {
  const found: PromQLIssue[] = [];
  tree.iterate({
    enter(ref) {
      if (ref.name !== "VectorSelector") return;
      const id = ref.node.firstChild;
      if (!id || id.name !== "Identifier") return;
      if (!/^\s*(\(|(by|without)\s*\()/.test(expr.slice(id.to))) return;
      const name = expr.slice(id.from, id.to);
      const guess = closest(name, knownFunctionNames());
      found.push(
        issue("unknown-function", expr, id.from, id.to, `unknown function "${name}"`,
          guess ? `did you mean ${guess}()? (functions: ${FUNCTIONS_URL})` : `use a PromQL function (${FUNCTIONS_URL})`),
      );
    },
  });
  return found;
}

/** What a missing token (zero-width error node) means, by the node it is missing from. */
const MISSING: Readonly<Record<string, string>> = {
  UnquotedLabelMatcher: 'a label matcher is incomplete (expected name="value")',
  QuotedLabelMatcher: 'a label matcher is incomplete (expected name="value")',
  LabelMatchers: 'a label matcher is incomplete (expected name="value")',
  BinaryExpr: "a binary operator has no right-hand operand",
  AggregateExpr: "the aggregation has no argument: expected (expression)",
  FunctionCallBody: "a function argument is missing",
  MatrixSelector: "the range is incomplete: expected a duration such as [5m]",
  SubqueryExpr: "the subquery range is incomplete: expected e.g. [1h:1m]",
  OffsetExpr: "offset needs a duration, e.g. offset 5m",
};

function syntaxIssues(expr: string, tree: Tree): PromQLIssue[] {
  const errors: SyntaxNode[] = [];
  tree.iterate({
    enter(ref) {
      if (ref.type.isError) errors.push(ref.node);
    },
  });
  if (errors.length === 0) return [];
  const unknown = unknownFunctions(expr, tree);
  if (unknown.length > 0) return unknown;
  const brackets = bracketIssue(expr);
  if (brackets) return [brackets];
  // One issue per expression: later error nodes are usually consequences of the first.
  const first = errors[0];
  if (first.from === first.to) {
    const at = first.from;
    const hint = MISSING[first.parent?.name ?? ""];
    const what = hint ?? (at >= expr.trimEnd().length ? "the expression ends too early: an operand or token is missing" : "a token is missing");
    return [issue("syntax", expr, at, at, what, "complete the expression (check operators, arguments and label matchers)")];
  }
  const text = expr.slice(first.from, first.to);
  return [issue("syntax", expr, first.from, first.to, `unexpected "${text}"`, "correct the PromQL syntax")];
}

// ---- pass 2: types and arity (codemirror-promql) ---------------------------------------

/**
 * codemirror-promql's analyser on the tree of pass 1. It reads only the tree and
 * `state.sliceDoc`, so a minimal document stands in for an EditorState: building one
 * per query would parse every expression a second time (and load the editor).
 */
function analyserFor(expr: string, tree: Tree): PromQLAnalyser {
  const doc = { field: () => undefined, sliceDoc: (from = 0, to = expr.length) => expr.slice(from, to) };
  const analyser = new PromQLAnalyser(doc as unknown as EditorState);
  if (!Reflect.has(analyser, "tree")) throw new Error("codemirror-promql's Parser no longer keeps its tree in `tree`: update validation/promql.ts");
  Reflect.set(analyser, "tree", tree);
  return analyser;
}

function typeFix(message: string): string {
  const range = /expected type matrix in call to function "(\w+)", got vector/.exec(message);
  if (range) return `${range[1]}() needs a range vector: add a range to the selector, e.g. metric[$__rate_interval]`;
  const arity = /expected (.+) argument\(s\) in call to "(\w+)"/.exec(message);
  if (arity) return `call ${arity[2]}() with ${arity[1]} argument(s) (${FUNCTIONS_URL}#${arity[2]})`;
  const argument = /expected type (\w+) in call to function "(\w+)", got (\w+)/.exec(message);
  if (argument) return `pass ${argument[2]}() a ${argument[1]} there, not a ${argument[3]} (${FUNCTIONS_URL}#${argument[2]})`;
  if (/BOOL modifier/.test(message)) return "add `bool` after the comparison operator, e.g. `x > bool 1`";
  if (/binary expression must contain only scalar and instant vector/.test(message)) {
    return "use scalars or instant vectors on both sides (no strings; wrap range vectors in a function such as rate())";
  }
  return "fix the argument and operand types";
}

function typeIssues(expr: string, tree: Tree): PromQLIssue[] {
  const analyser = analyserFor(expr, tree);
  analyser.analyze();
  const diagnostics = analyser.getDiagnostics().filter((d) => d.severity === "error");
  // A call with the wrong number of arguments also gets type errors for the ones it has.
  const wrongArity = new Set(diagnostics.map((d) => /argument\(s\) in call to "(\w+)"/.exec(d.message)?.[1]).filter(Boolean));
  const seen = new Set<string>();
  const out: PromQLIssue[] = [];
  for (const d of diagnostics) {
    const typeOfCall = /in call to function "(\w+)"/.exec(d.message)?.[1];
    if (typeOfCall && wrongArity.has(typeOfCall)) continue;
    const key = `${d.from}:${d.to}:${d.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(issue("type", expr, d.from, d.to, d.message, typeFix(d.message)));
  }
  return out;
}

// ---- selectors ---------------------------------------------------------------------------

/** A label matcher of a vector selector: `name op "value"`. */
export interface LabelMatcherInfo {
  readonly label: string;
  readonly op: "=" | "!=" | "=~" | "!~";
  readonly value: string;
}

/** A vector selector of an expression: its metric name (when written before the braces) and its label matchers. */
export interface VectorSelectorInfo {
  readonly metric?: string;
  readonly labels: readonly string[];
  readonly matchers: readonly LabelMatcherInfo[];
}

/** The text of a string literal ("...", '...' or `...`), escapes resolved as PromQL reads them. */
function stringValue(literal: string): string {
  if (literal.startsWith("`")) return literal.slice(1, -1);
  const body = literal.slice(1, -1);
  return body.replace(/\\(.)/g, (_, c: string) => ({ n: "\n", t: "\t", r: "\r" })[c] ?? c);
}

/** Every vector selector of a syntactically valid expression, in order. */
export function vectorSelectors(expr: string): VectorSelectorInfo[] {
  const out: VectorSelectorInfo[] = [];
  lezer.parser.parse(expr).iterate({
    enter(ref) {
      if (ref.name !== "VectorSelector") return;
      const node = ref.node;
      const id = node.getChild("Identifier");
      const matchers: LabelMatcherInfo[] = [];
      const list = node.getChild("LabelMatchers");
      for (let m = list?.firstChild; m; m = m.nextSibling) {
        const name = m.getChild("LabelName") ?? m.getChild("QuotedLabelName");
        const op = m.getChild("MatchOp");
        const value = m.getChildren("StringLiteral").at(-1);
        if (!name || !op || !value) continue;
        const label = name.name === "QuotedLabelName" ? stringValue(expr.slice(name.from, name.to)) : expr.slice(name.from, name.to);
        matchers.push({ label, op: expr.slice(op.from, op.to) as LabelMatcherInfo["op"], value: stringValue(expr.slice(value.from, value.to)) });
      }
      out.push({ metric: id ? expr.slice(id.from, id.to) : undefined, labels: matchers.map((m) => m.label), matchers });
      return false;
    },
  });
  return out;
}

/**
 * Label names an expression groups or matches on and keeps: `by (...)`, `on (...)`,
 * `group_left/group_right (...)`; not `without`/`ignoring`, which drop them, nor matchers.
 */
export function groupingLabelNames(expr: string): string[] {
  const names = new Set<string>();
  lezer.parser.parse(expr).iterate({
    enter(ref) {
      if (ref.name !== "GroupingLabels") return;
      const keyword = ref.node.prevSibling?.name;
      if (keyword === "Without" || keyword === "Ignoring") return false;
      for (let l = ref.node.firstChild; l; l = l.nextSibling) if (l.name === "LabelName") names.add(expr.slice(l.from, l.to));
      return false;
    },
  });
  return [...names];
}
