/**
 * Every rule's runbook_url must lead somewhere: a rule linking into the project's runbook
 * page (docs/runbooks.md, published at runbookBaseUrl) needs its section there; a rule that
 * brings its own URL (a drop-in rule's runbookUrl, an imported rule's annotation) is taken
 * as it is.
 */
import { GrafanaRuleGroup } from "../alerts/types";
import { Problem } from "../lib/errors";

export interface RunbookPage {
  /** The URL the derived links start with (the stack's runbookBaseUrl). */
  readonly baseUrl: string;
  /** The page's anchors (markdownAnchors of docs/runbooks.md). */
  readonly anchors: ReadonlySet<string>;
  /** Where the page's source lives, for messages. */
  readonly source: string;
}

/** Whether runbookBaseUrl points at a published copy of this project's runbook page (so its anchors can be checked here). */
export function isProjectRunbookPage(baseUrl: string, pagePath = "docs/runbooks.md"): boolean {
  try {
    return new URL(baseUrl).pathname.endsWith(`/${pagePath}`);
  } catch {
    return false;
  }
}

/**
 * The anchors GitHub gives a Markdown page's headings (lower case, punctuation dropped,
 * spaces to hyphens, -1/-2 for repeats), plus explicit <a id|name="..."> anchors.
 */
export function markdownAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  let fenced = false;
  for (const line of markdown.split("\n")) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    if (fenced) continue;
    for (const m of line.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) anchors.add(m[1]);
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!heading) continue;
    const slug = heading[1].toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, "").replace(/\s/g, "-");
    const n = seen.get(slug) ?? 0;
    seen.set(slug, n + 1);
    anchors.add(n === 0 ? slug : `${slug}-${n}`);
  }
  return anchors;
}

export function runbookProblems(groups: readonly GrafanaRuleGroup[], page: RunbookPage): Problem[] {
  const prefix = `${page.baseUrl}#`;
  const problems: Problem[] = [];
  for (const group of groups) {
    for (const rule of group.rules) {
      const url = rule.annotations.runbook_url;
      if (typeof url !== "string" || !url.startsWith(prefix)) continue;
      const anchor = decodeURIComponent(url.slice(prefix.length));
      if (page.anchors.has(anchor)) continue;
      problems.push({
        where: `rule group ${group.name}: rule ${rule.name}`,
        message: `runbook_url ${url} leads to no section: ${page.source} has no heading "${anchor}"`,
        fix: `add a section "## ${anchor}" to ${page.source}, or give the rule its own runbook URL (runbookUrl in a drop-in rule file)`,
      });
    }
  }
  return problems;
}
