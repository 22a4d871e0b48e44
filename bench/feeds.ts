/**
 * Feeds benchmark: a 500-paper day fetched from a loopback server in the shapes of the
 * Hugging Face Daily Papers API (pages of 100 with `limit` / `p`) and of the arXiv API
 * (Atom, pages of 100 with `start` / `max_results`, the polite 3-second spacing), parsed,
 * and added to a 5,000-paper library; time per stage. For arXiv the time spent waiting for
 * the polite spacing is reported apart.
 *
 * Papers: the library is 5,000 papers of the evaluation corpora (`arxiv-cs-2025.jsonl`,
 * then `arxiv-all-2007.jsonl`), the day 500 papers of the real daily listings
 * (`arxiv-days-2025-04/*.jsonl`) not in the library. The corpora are read from
 * `../shared/eval` beside the repository, or `$PAPERMAP_EVAL_DIR`.
 *
 * Run: `npm run bench:feeds`. Env: BENCH_SPACING_MS (default 3000, arXiv's), BENCH_ROUNDS
 * (hf-daily rounds, default 5).
 */
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { fetchListing } from "../src/feeds/index.js";
import { mergeIntoLibrary, writeDayDigest } from "../src/feeds/daily.js";
import { parseListing } from "../src/ingest/index.js";
import { PaperLibrary } from "../src/library.js";
import type { Paper } from "../src/paper.js";

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const EVAL_DIR = process.env.PAPERMAP_EVAL_DIR ?? path.resolve(REPO, "../shared/eval");
const SPACING = Number(process.env.BENCH_SPACING_MS ?? 3000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const DAY = "2025-04-30";
const LIBRARY_SIZE = 5000;
const DAY_SIZE = 500;
const PAGE = 100;

interface EvalRecord {
  id: string;
  title: string;
  abstract: string;
  authors?: string[];
}

async function readJsonl(file: string): Promise<EvalRecord[]> {
  return (await readFile(file, "utf8"))
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as EvalRecord);
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function ms(value: number): string {
  return value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${value.toFixed(1)} ms`;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function hfEntry(r: EvalRecord, i: number): Record<string, unknown> {
  return {
    paper: {
      id: r.id,
      authors: (r.authors ?? []).map((name, k) => ({ _id: `${i}-${k}`, name, hidden: false })),
      publishedAt: `${DAY}T09:00:00.000Z`,
      title: r.title,
      summary: r.abstract,
      upvotes: i % 40,
      ...(i % 5 === 0 ? { organization: { _id: "o", name: "org", fullname: "Some Lab" } } : {}),
    },
    publishedAt: `${DAY}T10:00:00.000Z`,
    title: r.title,
    numComments: i % 3,
    submittedBy: { _id: "u", fullname: "Submitter", name: "submitter", type: "user" },
  };
}

function atomEntry(r: EvalRecord): string {
  return `<entry><id>http://arxiv.org/abs/${r.id}v1</id><updated>${DAY}T12:00:00Z</updated><published>${DAY}T11:00:00Z</published>
<title>${escapeXml(r.title)}</title><summary>${escapeXml(r.abstract)}</summary>
${(r.authors ?? []).map((a) => `<author><name>${escapeXml(a)}</name></author>`).join("")}
<link href="http://arxiv.org/abs/${r.id}v1" rel="alternate" type="text/html"/><category term="cs.CV" scheme="http://arxiv.org/schemas/atom"/></entry>`;
}

function atomFeed(records: EvalRecord[], start: number, max: number): string {
  const page = records.slice(start, start + max);
  return `<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>ArXiv Query</title><id>http://arxiv.org/api/x</id><updated>${DAY}T00:00:00-05:00</updated>
<opensearch:totalResults xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">${records.length}</opensearch:totalResults>
<opensearch:startIndex xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">${start}</opensearch:startIndex>
<opensearch:itemsPerPage xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">${max}</opensearch:itemsPerPage>
${page.map(atomEntry).join("\n")}
</feed>`;
}

async function main(): Promise<void> {
  const base = [
    ...(await readJsonl(path.join(EVAL_DIR, "arxiv-cs-2025.jsonl"))),
    ...(await readJsonl(path.join(EVAL_DIR, "arxiv-all-2007.jsonl"))),
  ];
  const dayFiles = (await readdir(path.join(EVAL_DIR, "arxiv-days-2025-04")))
    .filter((f) => f.endsWith(".jsonl"))
    .sort()
    .reverse();
  const days: EvalRecord[] = [];
  for (const f of dayFiles) days.push(...(await readJsonl(path.join(EVAL_DIR, "arxiv-days-2025-04", f))));
  const dayIds = new Set<string>();
  const day: EvalRecord[] = [];
  for (const r of days) if (!dayIds.has(r.id) && day.length < DAY_SIZE) dayIds.add(r.id), day.push(r);
  const seen = new Set<string>();
  const libraryPapers: Paper[] = [];
  for (const r of base) {
    if (libraryPapers.length >= LIBRARY_SIZE || dayIds.has(r.id) || seen.has(r.id)) continue;
    seen.add(r.id);
    libraryPapers.push({ id: r.id, title: r.title, abstract: r.abstract, ...(r.authors ? { authors: r.authors } : {}) });
  }
  if (day.length < DAY_SIZE || libraryPapers.length < LIBRARY_SIZE) throw new Error(`not enough papers in ${EVAL_DIR}`);

  const hfPages = new Map<number, string>();
  for (let p = 0; p * PAGE <= DAY_SIZE; p++)
    hfPages.set(p, JSON.stringify(day.slice(p * PAGE, (p + 1) * PAGE).map((r, k) => hfEntry(r, p * PAGE + k))));
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    if (url.pathname.startsWith("/arxiv")) {
      const body = atomFeed(day, Number(url.searchParams.get("start")), Number(url.searchParams.get("max_results")));
      res.writeHead(200, { "Content-Type": "application/atom+xml" });
      res.end(body);
      return;
    }
    res.writeHead(200, { "Content-Type": "application/json" });
    res.end(hfPages.get(Number(url.searchParams.get("p"))) ?? "[]");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const tmp = await mkdtemp(path.join(os.tmpdir(), "papermap-bench-feeds-"));
  const env = { PAPERMAP_CACHE_DIR: path.join(tmp, "cache") };
  const quiet = { onNotice: () => undefined };

  try {
    // hf-daily: network (cold cache), parse only, cache
    const hfNet: number[] = [];
    const hfCache: number[] = [];
    let hfPapers: Paper[] = [];
    let hfRequests = 0;
    for (let r = 0; r < ROUNDS; r++) {
      const cacheDir = path.join(tmp, `hf-cache-${r}`);
      let t = performance.now();
      const listing = await fetchListing({ source: "hf-daily", date: DAY, endpoint: origin, cacheDir, pageSize: PAGE, env, ...quiet });
      hfNet.push(performance.now() - t);
      hfPapers = listing.papers;
      hfRequests = listing.pages;
      t = performance.now();
      const again = await fetchListing({ source: "hf-daily", date: DAY, endpoint: origin, cacheDir, pageSize: PAGE, env, ...quiet });
      hfCache.push(performance.now() - t);
      if (again.fromCache !== again.pages) throw new Error("the second fetch of a past day made requests");
    }
    const hfParse: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      const t = performance.now();
      for (const body of hfPages.values()) parseListing(body, { format: "hf-json", onWarning: () => undefined });
      hfParse.push(performance.now() - t);
    }

    // arXiv: one run (the polite spacing dominates)
    let waited = 0;
    let waits = 0;
    let t = performance.now();
    const arxiv = await fetchListing({
      source: "arxiv",
      categories: ["cs.CV", "cs.CL"],
      date: DAY,
      endpoint: `${origin}/arxiv/query`,
      cacheDir: path.join(tmp, "arxiv-cache"),
      pageSize: PAGE,
      spacingMs: SPACING,
      env,
      ...quiet,
      onProgress: (e) => {
        if (e.stage === "wait" && e.unit === "ms") {
          waited += e.done;
          waits++;
        }
      },
    });
    const arxivNet = performance.now() - t;
    const atomBodies = Array.from({ length: Math.ceil(DAY_SIZE / PAGE) }, (_, p) => atomFeed(day, p * PAGE, PAGE));
    const arxivParse: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      t = performance.now();
      for (const body of atomBodies) parseListing(body, { format: "arxiv-atom", onWarning: () => undefined });
      arxivParse.push(performance.now() - t);
    }
    t = performance.now();
    await fetchListing({
      source: "arxiv",
      categories: ["cs.CV", "cs.CL"],
      date: DAY,
      endpoint: `${origin}/arxiv/query`,
      cacheDir: path.join(tmp, "arxiv-cache"),
      pageSize: PAGE,
      spacingMs: SPACING,
      env,
      ...quiet,
    });
    const arxivCache = performance.now() - t;

    // Add to a 5,000-paper library (lexical embedder), save, digest
    t = performance.now();
    const base5k = await PaperLibrary.create(libraryPapers, { embedder: "lexical", cacheDir: false, ...quiet });
    const build = performance.now() - t;
    const libDir = path.join(tmp, "lib");
    await base5k.save(libDir);
    const adds: number[] = [];
    for (let r = 0; r < 3; r++) {
      const lib = await PaperLibrary.open(libDir, quiet);
      t = performance.now();
      await lib.add(hfPapers);
      adds.push(performance.now() - t);
    }
    t = performance.now();
    const merge = await mergeIntoLibrary(libDir, hfPapers, quiet);
    const mergeTotal = performance.now() - t;
    t = performance.now();
    const again = await mergeIntoLibrary(libDir, hfPapers, quiet);
    const mergeAgain = performance.now() - t;
    t = performance.now();
    const digest = await writeDayDigest(merge.library!, DAY, path.join(tmp, `digest-${DAY}.html`));
    const digestTime = performance.now() - t;

    console.log(
      `papermap feeds benchmark — a ${DAY_SIZE}-paper day (real papers of ${EVAL_DIR.includes("shared") ? "../shared/eval" : EVAL_DIR}), pages of ${PAGE}, loopback server`,
    );
    console.log(`hf-daily: medians of ${ROUNDS} rounds; arXiv: one run with ${SPACING} ms spacing.\n`);
    console.log("| stage | hf-daily | arxiv |");
    console.log("|---|---:|---:|");
    console.log(`| requests for the day | ${hfRequests} | ${arxiv.pages} |`);
    console.log(`| fetch + parse, cold cache | ${ms(median(hfNet))} | ${ms(arxivNet)} |`);
    console.log(`| … of which polite waits | 0 | ${ms(waited)} (${waits} waits, ${((100 * waited) / arxivNet).toFixed(1)} %) |`);
    console.log(`| … of which the rest (HTTP + parse + cache writes) | ${ms(median(hfNet))} | ${ms(arxivNet - waited)} |`);
    console.log(`| parse only (all pages) | ${ms(median(hfParse))} | ${ms(median(arxivParse))} |`);
    console.log(`| fetch again, past day from the cache (no request) | ${ms(median(hfCache))} | ${ms(arxivCache)} |`);
    console.log(`| papers | ${hfPapers.length} | ${arxiv.papers.length} |`);
    console.log("");
    console.log(`| library stage (lexical embedder, ${LIBRARY_SIZE}-paper library) | time |`);
    console.log("|---|---:|");
    console.log(`| build the ${LIBRARY_SIZE}-paper library (setup, once) | ${ms(build)} |`);
    console.log(`| add ${hfPapers.length} papers (embed + HNSW + BM25), median of 3 | ${ms(median(adds))} |`);
    console.log(`| open + merge + save atomically (mergeIntoLibrary: ${merge.added} new) | ${ms(mergeTotal)} |`);
    console.log(`| same day again (${again.unchanged} unchanged, saved: ${again.saved}) | ${ms(mergeAgain)} |`);
    console.log(`| day digest (${digest.papers} papers, ${digest.themes} themes, UMAP map, related in the library) | ${ms(digestTime)} |`);
  } finally {
    server.close();
    await rm(tmp, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
