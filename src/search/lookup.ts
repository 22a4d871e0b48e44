import { arxivIdFrom, type Paper } from "../paper.js";

/**
 * Exact lookups that must win over similarity: a paper's id or URL typed as the query
 * (an arXiv id with or without version or "arXiv:" prefix, an arxiv.org or
 * huggingface.co/papers URL), and a paper's name — its full title or the part of the
 * title before a colon ("ELECTRA: Pre-training Text Encoders…" → "electra").
 * arXiv ids are read by the one parser, {@link arxivIdFrom} (new and old style).
 */

/** Lower-case, punctuation to spaces, whitespace collapsed: the key names are compared by. */
export function normalizeName(text: string): string {
  return text
    .toLowerCase()
    .normalize("NFKC")
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

/** The names a paper answers to: its full title, and a short (≤ 5 word) title prefix before ":". */
export function paperNames(paper: Pick<Paper, "title">): string[] {
  const names = new Set<string>();
  const full = normalizeName(paper.title);
  if (full) names.add(full);
  const colon = paper.title.indexOf(":");
  if (colon > 0) {
    const head = normalizeName(paper.title.slice(0, colon));
    if (head && head.split(" ").length <= 5) names.add(head);
  }
  return [...names];
}

/** Finds papers by id, URL or exact name; kept up to date with add/remove. */
export class ExactLookup {
  private readonly byName = new Map<string, Set<string>>();
  private readonly byArxiv = new Map<string, Set<string>>();
  private readonly byId = new Map<string, string[]>();

  add(paper: Paper): void {
    this.remove(paper.id);
    const keys: string[] = [];
    for (const name of paperNames(paper)) {
      keys.push("n:" + name);
      addTo(this.byName, name, paper.id);
    }
    const arxiv = arxivIdFrom(paper.id) ?? (paper.url ? arxivIdFrom(paper.url) : undefined);
    if (arxiv) {
      keys.push("a:" + arxiv);
      addTo(this.byArxiv, arxiv, paper.id);
    }
    this.byId.set(paper.id, keys);
  }

  remove(id: string): void {
    const keys = this.byId.get(id);
    if (!keys) return;
    for (const key of keys) {
      const map = key.startsWith("n:") ? this.byName : this.byArxiv;
      const set = map.get(key.slice(2));
      set?.delete(id);
      if (set && set.size === 0) map.delete(key.slice(2));
    }
    this.byId.delete(id);
  }

  /**
   * Ids the query names exactly: the paper whose id is the query, papers with that
   * arXiv id or URL, or papers whose title / title prefix equals the query.
   */
  find(query: string): string[] {
    const q = query.trim();
    if (!q) return [];
    if (this.byId.has(q)) return [q];
    const arxiv = arxivIdFrom(q);
    if (arxiv) {
      const hits = this.byArxiv.get(arxiv);
      if (hits && hits.size > 0) return [...hits];
    }
    const name = normalizeName(q);
    const hits = name ? this.byName.get(name) : undefined;
    return hits ? [...hits] : [];
  }
}

function addTo(map: Map<string, Set<string>>, key: string, id: string): void {
  let set = map.get(key);
  if (!set) {
    set = new Set();
    map.set(key, set);
  }
  set.add(id);
}
