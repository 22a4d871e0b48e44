/**
 * Responses in the shapes the sources document: Hugging Face `GET /api/daily_papers`
 * entries (`{ paper: { id, authors: [{ name }], publishedAt, title, summary, upvotes,
 * organization? }, publishedAt, title, numComments, submittedBy, ... }`) and arXiv API Atom
 * feeds (`<feed>` with `opensearch:totalResults`, one `<entry>` per paper with a versioned
 * `<id>`, `<published>`, `<title>`, `<summary>`, `<author><name>`, categories and links).
 */

const TOPICS = [
  ["visual tokens", "vision-language models", "token pruning", "image understanding", "multimodal"],
  ["speech", "audio tokenizer", "speech synthesis", "spoken language", "acoustic units"],
  ["reinforcement learning", "reasoning", "policy optimisation", "reward models", "chain of thought"],
  ["diffusion", "image generation", "denoising", "text-to-image", "latent diffusion"],
  ["retrieval", "dense retrieval", "search engines", "question answering", "re-ranking"],
];

/** A paper's text on one of five topics, varied by its number. */
export function paperText(i: number): { title: string; summary: string } {
  const topic = TOPICS[i % TOPICS.length];
  const a = topic[i % topic.length];
  const b = topic[(i + 2) % topic.length];
  return {
    title: `Study ${i}: ${a} meets ${b}`,
    summary: `We study ${a} and ${b}. Our method improves ${topic[(i + 1) % topic.length]} on standard benchmarks for ${topic[(i + 3) % topic.length]}, and we release code (variant ${i}).`,
  };
}

/** The arXiv id of paper `i` of a day (`2511.0xxxx`). */
export function arxivId(i: number): string {
  return `2511.${String(10000 + i).padStart(5, "0")}`;
}

/** One `GET /api/daily_papers` entry. */
export function hfEntry(i: number, day: string, extra: { organization?: boolean } = {}): Record<string, unknown> {
  const { title, summary } = paperText(i);
  const paper: Record<string, unknown> = {
    id: arxivId(i),
    authors: [
      { _id: `a${i}`, name: `Ada Author${i}`, hidden: false },
      { _id: `b${i}`, name: `Ben Writer${i}`, hidden: false },
    ],
    publishedAt: `${day}T09:00:00.000Z`,
    submittedOnDailyAt: `${day}T10:00:00.000Z`,
    title,
    summary,
    upvotes: (i * 7) % 50,
    discussionId: `d${i}`,
  };
  if (extra.organization) paper.organization = { _id: "org", name: "naver-ai", fullname: "NAVER AI Lab" };
  return {
    paper,
    publishedAt: `${day}T10:00:00.000Z`,
    title,
    thumbnail: `https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/${arxivId(i)}.png`,
    numComments: i % 4,
    submittedBy: { _id: "u", avatarUrl: "", fullname: "Submitter", name: "submitter", type: "user" },
    isAuthorParticipating: false,
  };
}

/** A day of `count` entries, served as pages of `limit` with 0-based page `p`. */
export function hfPage(day: string, count: number, limit: number, p: number): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (let i = p * limit; i < Math.min(count, (p + 1) * limit); i++) out.push(hfEntry(i, day, { organization: i % 3 === 0 }));
  return out;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** One arXiv Atom `<entry>`. */
export function atomEntry(i: number, day: string, options: { version?: number; categories?: string[] } = {}): string {
  const { title, summary } = paperText(i);
  const v = options.version ?? 1;
  const id = `${arxivId(i)}v${v}`;
  const cats = options.categories ?? ["cs.CV"];
  return `  <entry>
    <id>http://arxiv.org/abs/${id}</id>
    <updated>${day}T12:00:00Z</updated>
    <published>${day}T11:00:00Z</published>
    <title>${escapeXml(title)}</title>
    <summary>  ${escapeXml(summary)}
</summary>
    <author>
      <name>Ada Author${i}</name>
    </author>
    <author>
      <name>Ben Writer${i}</name>
    </author>
    <link href="http://arxiv.org/abs/${id}" rel="alternate" type="text/html"/>
    <link title="pdf" href="http://arxiv.org/pdf/${id}" rel="related" type="application/pdf"/>
    <arxiv:primary_category xmlns:arxiv="http://arxiv.org/schemas/atom" term="${cats[0]}" scheme="http://arxiv.org/schemas/atom"/>
${cats.map((c) => `    <category term="${c}" scheme="http://arxiv.org/schemas/atom"/>`).join("\n")}
  </entry>`;
}

/** An arXiv API Atom feed. */
export function atomFeed(entries: string[], total: number, start: number, perPage: number): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <link href="http://arxiv.org/api/query?search_query%3D&amp;id_list%3D&amp;start%3D${start}&amp;max_results%3D${perPage}" rel="self" type="application/atom+xml"/>
  <title type="html">ArXiv Query: search_query=&amp;id_list=&amp;start=${start}&amp;max_results=${perPage}</title>
  <id>http://arxiv.org/api/cHxbiOdZaP56ODnBPIenZhzg5f8</id>
  <updated>2025-11-22T00:00:00-05:00</updated>
  <opensearch:totalResults xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">${total}</opensearch:totalResults>
  <opensearch:startIndex xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">${start}</opensearch:startIndex>
  <opensearch:itemsPerPage xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">${perPage}</opensearch:itemsPerPage>
${entries.join("\n")}
</feed>
`;
}

/** A day of `count` submissions, paged by `start` / `max_results`. */
export function atomDayPage(day: string, count: number, start: number, maxResults: number): string {
  const entries: string[] = [];
  for (let i = start; i < Math.min(count, start + maxResults); i++)
    entries.push(atomEntry(i, day, { categories: i % 4 === 0 ? ["cs.CL", "cs.CV"] : ["cs.CV"] }));
  return atomFeed(entries, count, start, maxResults);
}

/** An HTML error page, as a proxy or CDN sends with status 200. */
export const HTML_ERROR_PAGE = `<!DOCTYPE html>
<html><head><title>503 Service Temporarily Unavailable</title></head>
<body><h1>Service Temporarily Unavailable</h1><p>Please try again later.</p></body></html>
`;
