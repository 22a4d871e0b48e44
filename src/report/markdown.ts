import { stripControlChars } from "../control-chars.js";
import type { Paper } from "../paper.js";
import { escapeMarkdown, markdownUrl } from "./escape.js";
import type { Digest, DigestPaper } from "./types.js";

/** Listing text as inline Markdown: control sequences removed first (escaping would split them), then escaped. */
function md(text: string): string {
  return escapeMarkdown(stripControlChars(text));
}

function plural(n: number, word: string): string {
  return n === 1 ? word : `${word}s`;
}

function paperMeta(paper: Paper): string {
  const parts: string[] = [];
  if (paper.published) parts.push(paper.published);
  if (paper.upvotes !== undefined) parts.push(`${paper.upvotes} ${plural(paper.upvotes, "upvote")}`);
  const authors = paper.authors?.length ? paper.authors.length : paper.authorCount;
  if (authors) parts.push(`${authors} ${plural(authors, "author")}`);
  if (paper.organization) parts.push(md(paper.organization));
  return parts.join(" · ");
}

function titleLink(paper: Paper): string {
  const title = md(paper.title);
  return paper.url && /^https?:\/\//i.test(paper.url) ? `[${title}](${markdownUrl(paper.url)})` : title;
}

function renderPaper(p: DigestPaper): string {
  const meta = paperMeta(p.paper);
  const lines = [`- **${titleLink(p.paper)}**${meta ? ` — ${meta}` : ""}`];
  if (p.related.length > 0) {
    const rel = p.related.map((r) => `${md(r.title)} (${r.score.toFixed(2)})`).join("; ");
    lines.push(`  Related: ${rel}`);
  }
  return lines.join("  \n");
}

/**
 * Renders a digest as Markdown (CommonMark): the same content as the HTML digest minus
 * the map — one section per theme with its keywords, and each paper with its date,
 * upvotes and top related papers. All text is escaped, and terminal control characters
 * (escape sequences from a hostile listing) are removed: the file is often read with `cat`.
 */
export function renderMarkdown(digest: Digest): string {
  return stripControlChars(markdownText(digest));
}

function markdownText(digest: Digest): string {
  const out: string[] = [];
  out.push(`# ${md(digest.title)}`, "");
  const meta = [
    `${digest.papers.length} ${plural(digest.papers.length, "paper")}`,
    `${digest.themes.length} ${plural(digest.themes.length, "theme")}`,
    digest.source ? `from ${md(digest.source)}` : "",
    `made ${digest.generatedAt.slice(0, 10)}`,
  ].filter(Boolean);
  out.push(meta.join(" · "), "");
  if (digest.themes.length === 0) {
    out.push("No papers.", "");
    return out.join("\n");
  }
  if (digest.recommended && digest.recommended.length > 0) {
    out.push("## Recommended for you today", "");
    digest.recommended.forEach((r, i) => {
      const like =
        r.closestLiked.length > 0
          ? ` — like ${r.closestLiked
              .slice(0, 2)
              .map((c) => md(c.title))
              .join("; ")}`
          : "";
      const words = r.sharedWords.length > 0 ? ` (shares ${r.sharedWords.slice(0, 5).map(md).join(", ")})` : "";
      out.push(`${i + 1}. **${md(r.title)}** ${r.score.toFixed(2)}${like}${words}`);
    });
    out.push("");
  }
  out.push("## Themes", "");
  digest.themes.forEach((t, i) => {
    out.push(`${i + 1}. ${md(t.label)} — ${t.size} ${plural(t.size, "paper")}`);
  });
  out.push("");
  const byTheme = new Map<string, DigestPaper[]>();
  for (const p of digest.papers) {
    const list = byTheme.get(p.themeId) ?? [];
    list.push(p);
    byTheme.set(p.themeId, list);
  }
  digest.themes.forEach((t, i) => {
    out.push(`## ${i + 1}. ${md(t.label)} (${t.size} ${plural(t.size, "paper")})`, "");
    if (t.subtopics && t.subtopics.length > 0) out.push(`**Sub-topics:** ${t.subtopics.map(md).join(" · ")}`, "");
    if (t.keywords.length > 0) out.push(`**Keywords:** ${t.keywords.map(md).join(", ")}`, "");
    for (const p of byTheme.get(t.id) ?? []) out.push(renderPaper(p));
    out.push("");
  });
  out.push(`---`, `Embeddings: \`${digest.embedderId.replace(/`/g, "'")}\` · made with papermap`, "");
  return out.join("\n");
}
