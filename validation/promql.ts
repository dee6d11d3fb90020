/**
 * PromQL checks without a Prometheus server, in two passes:
 *  1. syntax: @prometheus-io/lezer-promql's parser (never throws; error nodes mark the
 *     problems, zero-width ones are missing tokens), plus a bracket scan and an
 *     unknown-function check for clearer messages;
 *  2. types and arity: @prometheus-io/codemirror-promql's static analyser (the same
 *     code as the Prometheus UI's linter), run headless on a CodeMirror EditorState.
 * Pass 2 only runs on a syntactically valid expression: on a broken tree it reports
 * follow-on noise. Expressions holding Grafana variables must be interpolated first
 * (see interpolateForValidation in ./variables).
 */
import type { LRParser } from "@lezer/lr";
import type { SyntaxNode, Tree } from "@lezer/common";
import { EditorState } from "@codemirror/state";
import { syntaxTreeAvailable } from "@codemirror/language";
import { LanguageType, promQLLanguage } from "@prometheus-io/codemirror-promql";
// The package's CommonJS build, by path: its ESM build does not resolve in Node.
import { Parser as PromQLAnalyser } from "@prometheus-io/codemirror-promql/dist/cjs/parser";
import { aggregateOpTerms, functionIdentifierTerms } from "@prometheus-io/codemirror-promql/dist/cjs/complete/promql.terms";
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

// Built once per process: the CodeMirror language extension and the function names.
const LANGUAGE = promQLLanguage(LanguageType.PromQL);
const FUNCTION_NAMES: readonly string[] = [
  ...functionIdentifierTerms.map((t) => t.label),
  ...aggregateOpTerms.map((t) => t.label),
];
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
      const guess = closest(name, FUNCTION_NAMES);
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
 * Runs codemirror-promql's analyser on an EditorState built with its language. The
 * state's parse is budgeted (3,000 characters / 20 ms up front), so for longer input
 * the analyser is handed the complete lezer tree instead of a partial one.
 */
function analyserFor(expr: string, tree: Tree): PromQLAnalyser {
  const state = EditorState.create({ doc: expr, extensions: LANGUAGE });
  const analyser = new PromQLAnalyser(state);
  if (!syntaxTreeAvailable(state, expr.length)) {
    if (!Reflect.has(analyser, "tree")) throw new Error("codemirror-promql's Parser no longer keeps its tree in `tree`: update validation/promql.ts");
    Reflect.set(analyser, "tree", tree);
  }
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
