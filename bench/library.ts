/**
 * Benchmark of PaperLibrary (`npm run bench:library`): quality of `related` and `search`,
 * and speed of create / open / search / related. One run measures every variant side by
 * side; the machine is shared and noisy, so read ratios within a table, not absolute times
 * across runs.
 *
 * Quality uses the default configuration offline: the built-in lexical embedder (what
 * `embedder: "auto"` falls back to when no neural model loads; forced here with
 * `"lexical"` so that no time goes into probing the network).
 *
 * 1. related: mean fraction of `related(id, { k: 10 })` sharing the paper's label, on
 *    arxiv-cs-2025.jsonl (18 arXiv categories) and arxiv-all-2007.jsonl (top-level field as
 *    label), for mode vector / keyword / hybrid, and ablations of the hybrid ranking.
 * 2. search: (a) topic queries — two queries per label written from the arXiv category
 *    descriptions (not from the papers): precision@10 of the label; (b) known-item — the
 *    first sentence of a paper's abstract, and its title words in reverse order (so that the
 *    exact-title lookup does not fire): mean reciprocal rank of that paper in the top 10.
 * 3. speed: create for the 82-paper shipped listing and the 3,313 eval papers, save / open,
 *    search and related latency p50 / p99 at 3,313 papers and at 100,000 (the eval papers
 *    of both corpora repeated with noise: each copy's vector is the original plus Gaussian
 *    noise, its abstract loses a few words).
 *
 * Env: PAPERMAP_EVAL_DIR (default ../shared/eval beside the repository);
 * BENCH_SECTIONS=quality,speed,100k,synthetic (default all four).
 *
 * 4. synthetic: 100,000 generated papers (no eval data needed) with a hashing embedder:
 *    create time, and whether search, exact-id lookup and a filtered `related` answer as
 *    they should at that size.
 */
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { LexicalEmbedder } from "../src/embed/lexical.js";
import type { Embedder, EmbedOptions } from "../src/embed/types.js";
import { loadDefaultListing } from "../src/ingest/index.js";
import { PaperLibrary } from "../src/library.js";
import { paperText, type Paper } from "../src/paper.js";
import { DEFAULT_TUNING, type SearchTuning } from "../src/search/engine.js";
import type { SearchMode } from "../src/search/types.js";
import { seededRandom } from "../src/text/random.js";
import { hashingEmbedder, syntheticPapers } from "../test/helpers/synthetic.js";
import { EVAL_DIR, fmt, loadEvalCorpus, table } from "./common.js";

const SECTIONS = new Set((process.env.BENCH_SECTIONS ?? "quality,speed,100k,synthetic").split(","));
const MODES: SearchMode[] = ["vector", "keyword", "hybrid"];

interface EvalPaper extends Paper {
  label: string;
}

function loadEval(file: string, topLevel: boolean): EvalPaper[] | undefined {
  return loadEvalCorpus(file, topLevel);
}

/** Topic queries per label, written from the arXiv category descriptions. */
const TOPIC_QUERIES: Record<string, Record<string, string[]>> = {
  "arxiv-cs-2025.jsonl": {
    "cs.AI": ["artificial intelligence", "autonomous agents planning and reasoning with knowledge"],
    "cs.CE": ["computational engineering, finance and science", "numerical simulation of physical systems for engineering design"],
    "cs.CL": ["computation and language", "natural language processing with language models"],
    "cs.CV": ["computer vision and pattern recognition", "object detection and image segmentation"],
    "cs.GR": ["computer graphics", "rendering 3D meshes, shapes and animation"],
    "cs.GT": ["game theory", "equilibrium, mechanism design and auctions"],
    "cs.IT": ["information theory", "channel capacity and coding for communication"],
    "cs.LG": ["machine learning", "training neural networks and optimization theory"],
    "cs.RO": ["robotics", "robot manipulation, locomotion and motion planning"],
    "eess.IV": ["image and video processing", "medical image reconstruction and enhancement"],
    "cs.HC": ["human-computer interaction", "user study of interfaces and user experience"],
    "cs.IR": ["information retrieval", "recommender systems and search ranking"],
    "cs.SD": ["sound", "music and audio generation"],
    "cs.CR": ["cryptography and security", "attacks, privacy and malware detection"],
    "eess.SY": ["systems and control", "controller design and stability of dynamical systems"],
    "cs.CY": ["computers and society", "social impact, ethics and education"],
    "cs.SE": ["software engineering", "code generation, testing and program repair"],
    "eess.AS": ["audio and speech processing", "speech recognition and speech enhancement"],
  },
  "arxiv-all-2007.jsonl": {
    "astro-ph": ["astrophysics", "galaxies, stars and cosmological observations"],
    "cond-mat": ["condensed matter", "superconductivity, spin systems and electronic properties of materials"],
    math: ["mathematics", "theorem proof for algebraic groups and manifolds"],
    physics: ["general physics", "optics, fluid dynamics and applied physics experiments"],
    "hep-ph": ["high energy physics phenomenology", "collider signatures of the standard model and beyond"],
    "hep-th": ["high energy physics theory", "string theory, gauge theory and branes"],
    "quant-ph": ["quantum physics", "quantum entanglement, qubits and quantum information"],
    cs: ["computer science", "algorithms, networks and computational complexity"],
    "gr-qc": ["general relativity and quantum cosmology", "black holes, gravitational waves and spacetime"],
    "nucl-th": ["nuclear theory", "nuclear structure and heavy ion collisions"],
    "math-ph": ["mathematical physics", "integrable systems and operators in mathematical physics"],
    "hep-ex": ["high energy physics experiment", "measurement of cross sections at a collider detector"],
    nlin: ["nonlinear sciences", "chaos, solitons and pattern formation"],
    "nucl-ex": ["nuclear experiment", "measured nuclear reactions and decays"],
  },
};

// ---------------------------------------------------------------- helpers

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
}

async function latencies(n: number, run: (i: number) => Promise<unknown>): Promise<{ p50: number; p99: number }> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await run(i);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 0.5), p99: percentile(times, 0.99) };
}

async function timed<T>(f: () => Promise<T>): Promise<[T, number]> {
  const t = performance.now();
  const out = await f();
  return [out, performance.now() - t];
}

const rng = seededRandom;

function withTuning<T>(library: PaperLibrary, change: Partial<SearchTuning>, f: () => Promise<T>): Promise<T> {
  const tuning = library.tuning;
  const saved = { ...tuning };
  Object.assign(tuning, change);
  return f().finally(() => Object.assign(tuning, saved));
}

// ---------------------------------------------------------------- quality

async function relatedAgreement(library: PaperLibrary, papers: EvalPaper[], mode: SearchMode): Promise<number> {
  const label = new Map(papers.map((p) => [p.id, p.label]));
  let sum = 0;
  for (const p of papers) {
    const hits = await library.related(p.id, { k: 10, mode });
    sum += hits.filter((h) => label.get(h.paper.id) === p.label).length / 10;
  }
  return sum / papers.length;
}

async function searchQuality(
  library: PaperLibrary,
  papers: EvalPaper[],
  queries: Record<string, string[]>,
  mode: SearchMode,
): Promise<{ p10: number; mrrSentence: number; mrrTitle: number }> {
  const label = new Map(papers.map((p) => [p.id, p.label]));
  let p10 = 0;
  let nq = 0;
  for (const [lab, qs] of Object.entries(queries)) {
    for (const q of qs) {
      const hits = await library.search(q, { k: 10, mode });
      p10 += hits.filter((h) => label.get(h.paper.id) === lab).length / 10;
      nq++;
    }
  }
  let mrrSentence = 0;
  let mrrTitle = 0;
  let nk = 0;
  for (let i = 0; i < papers.length; i += 10) {
    const p = papers[i];
    const sentence = p.abstract
      .split(/(?<=[.!?])\s+/)[0]
      .split(/\s+/)
      .slice(0, 25)
      .join(" ");
    const titleWords = p.title.toLowerCase().split(/\s+/).reverse().join(" ");
    const rr = async (q: string) => {
      const r = (await library.search(q, { k: 10, mode })).findIndex((h) => h.paper.id === p.id);
      return r >= 0 ? 1 / (r + 1) : 0;
    };
    mrrSentence += await rr(sentence);
    mrrTitle += await rr(titleWords);
    nk++;
  }
  return { p10: p10 / nq, mrrSentence: mrrSentence / nk, mrrTitle: mrrTitle / nk };
}

async function quality(): Promise<void> {
  for (const [file, topLevel, reference] of [
    ["arxiv-cs-2025.jsonl", false, "plain TF-IDF 0.470, TF-IDF + 128-d LSA 0.518"],
    ["arxiv-all-2007.jsonl", true, "plain TF-IDF 0.594, LSA 0.624"],
  ] as const) {
    const papers = loadEval(file, topLevel);
    if (!papers) {
      console.log(`\n(${file} not found in ${EVAL_DIR}: quality section skipped)`);
      continue;
    }
    const [library, createMs] = await timed(() => PaperLibrary.create(papers, { embedder: "lexical", onNotice: () => {} }));
    console.log(`\n## ${file}: ${papers.length} papers, embedder ${library.embedderId} (created in ${fmt(createMs / 1000)} s)`);

    const related: (string | number)[][] = [];
    for (const mode of MODES) related.push([`${mode}`, await relatedAgreement(library, papers, mode)]);
    table(`related(id, { k: 10 }) — label agreement (reference: ${reference})`, ["mode", "agreement@10"], related);

    const ablations: Array<[string, Partial<SearchTuning>]> = [
      ["default hybrid (score fusion, vector weight 0.7, 30 terms, expansion 10 neighbours)", {}],
      ["without neighbour expansion of the source vector", { expansionNeighbours: 0 }],
      ["expansion with 20 neighbours", { expansionNeighbours: 20 }],
      ["vector weight 0.5", { relatedVectorWeight: 0.5 }],
      ["vector weight 0.9", { relatedVectorWeight: 0.9 }],
      ["keyword query of 100 terms", { relatedQueryTerms: 100 }],
      ["reciprocal-rank fusion (c=60) instead of score fusion", { fusion: "rrf" }],
    ];
    const rows: (string | number)[][] = [];
    for (const [name, change] of ablations) {
      rows.push([name, await withTuning(library, change, () => relatedAgreement(library, papers, "hybrid"))]);
    }
    table("related, hybrid variants — label agreement@10", ["variant", "agreement@10"], rows);

    const queries = TOPIC_QUERIES[file];
    const searchRows: (string | number)[][] = [];
    for (const mode of MODES) {
      const q = await searchQuality(library, papers, queries, mode);
      searchRows.push([
        mode === "hybrid" ? "hybrid (default: score fusion 0.5/0.5, feedback from 3 best hits)" : mode,
        q.p10,
        q.mrrSentence,
        q.mrrTitle,
      ]);
    }
    for (const [name, change] of [
      ["hybrid, vector weight 0.3", { searchVectorWeight: 0.3 }],
      ["hybrid, vector weight 0.7", { searchVectorWeight: 0.7 }],
      ["hybrid, reciprocal-rank fusion (c=60)", { fusion: "rrf" }],
      ["hybrid without pseudo-relevance feedback", { searchFeedback: 0 }],
      ["hybrid, pseudo-relevance feedback from 10 best hits", { searchFeedback: 10 }],
    ] as Array<[string, Partial<SearchTuning>]>) {
      const q = await withTuning(library, change, () => searchQuality(library, papers, queries, "hybrid"));
      searchRows.push([name, q.p10, q.mrrSentence, q.mrrTitle]);
    }
    table(
      `search — topic queries (${Object.values(queries).flat().length}) precision@10; known-item MRR@10 (every 10th paper)`,
      ["mode / variant", "topic P@10", "MRR first sentence", "MRR reversed title"],
      searchRows,
    );
  }
  console.log(`\nDefaults: ${JSON.stringify(DEFAULT_TUNING)}`);
}

// ---------------------------------------------------------------- speed

async function speed(): Promise<void> {
  const listing = await loadDefaultListing();
  const rows: (string | number)[][] = [];
  const [small, listingMs] = await timed(() => PaperLibrary.create(listing, { embedder: "lexical" }));
  rows.push([`create, shipped listing (${listing.length} papers)`, listingMs]);
  const papers = loadEval("arxiv-cs-2025.jsonl", false);
  if (!papers) {
    table("create", ["step", "ms"], rows);
    console.log(`\n(eval corpus not found in ${EVAL_DIR}: the 3,313-paper timings are skipped)`);
    return;
  }
  const [library, createMs] = await timed(() => PaperLibrary.create(papers, { embedder: "lexical" }));
  rows.push([`create, arxiv-cs-2025 (${papers.length} papers)`, createMs]);
  const dir = await mkdtemp(path.join(os.tmpdir(), "papermap-bench-"));
  try {
    const [, saveMs] = await timed(() => library.save(path.join(dir, "lib")));
    rows.push([`save (${papers.length} papers)`, saveMs]);
    const [opened, openMs] = await timed(() => PaperLibrary.open(path.join(dir, "lib")));
    rows.push([`open (${papers.length} papers)`, openMs]);
    rows.push(["open / create", `${fmt(openMs / createMs)}×`]);
    const same =
      JSON.stringify(await opened.search("speech recognition", { k: 10 })) ===
      JSON.stringify(await library.search("speech recognition", { k: 10 }));
    rows.push(["re-opened library answers the same", same ? "yes" : "NO"]);
    void small;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  table("create / save / open (lexical embedder; create = fit + embed + index)", ["step", "ms"], rows);

  await latencyTable(library, papers, `${papers.length} papers`);
}

async function latencyTable(library: PaperLibrary, papers: readonly Paper[], label: string, count = 200): Promise<void> {
  const queries = Object.values(TOPIC_QUERIES["arxiv-cs-2025.jsonl"]).flat();
  const r = rng(7);
  const ids = Array.from({ length: count }, () => papers[Math.floor(r() * papers.length)].id);
  const rows: (string | number)[][] = [];
  for (const mode of MODES) {
    const s = await latencies(count, (i) => library.search(queries[i % queries.length], { k: 10, mode }));
    rows.push([`search, ${mode}`, s.p50, s.p99]);
  }
  const d = await latencies(count, (i) => library.search(queries[i % queries.length], { k: 10, diversity: 0.3 }));
  rows.push(["search, hybrid + diversity 0.3", d.p50, d.p99]);
  for (const mode of MODES) {
    const s = await latencies(count, (i) => library.related(ids[i], { k: 10, mode }));
    rows.push([`related, ${mode}`, s.p50, s.p99]);
  }
  const f = await latencies(count, (i) =>
    library.related(ids[i], { k: 10, filter: { where: (p) => p.id.charCodeAt(p.id.length - 1) % 2 === 0 } }),
  );
  rows.push(["related, hybrid + predicate filter (half the papers)", f.p50, f.p99]);
  table(`latency per call at ${label} (${count} calls each, k = 10)`, ["call", "p50 ms", "p99 ms"], rows);
}

/** Answers document texts from a table of precomputed vectors; queries go to a real embedder. */
class TableEmbedder implements Embedder {
  readonly id: string;
  readonly dimension: number;
  constructor(
    private readonly table: Map<string, Float32Array>,
    private readonly queries: Embedder,
  ) {
    this.id = `bench-table/${queries.id}`;
    this.dimension = queries.dimension;
  }
  async embed(texts: readonly string[], options: EmbedOptions = {}): Promise<Float32Array[]> {
    if (options.kind === "query") return this.queries.embed(texts, options);
    const missing = texts.filter((t) => !this.table.has(t));
    const fresh = missing.length > 0 ? await this.queries.embed(missing, options) : [];
    missing.forEach((t, i) => this.table.set(t, fresh[i]));
    return texts.map((t) => this.table.get(t)!);
  }
}

async function large(): Promise<void> {
  const cs = loadEval("arxiv-cs-2025.jsonl", false);
  const all = loadEval("arxiv-all-2007.jsonl", true);
  if (!cs || !all) {
    console.log(`\n(eval corpora not found in ${EVAL_DIR}: the 100,000-paper section is skipped)`);
    return;
  }
  const base = [...cs, ...all];
  const N = 100_000;
  const [lexical, fitMs] = await timed(async () => LexicalEmbedder.fit(base.map(paperText)));
  const [baseVectors, embedMs] = await timed(() => lexical.embed(base.map(paperText), { kind: "document" }));
  const r = rng(11);
  const gauss = () => Math.sqrt(-2 * Math.log(r() || 1e-12)) * Math.cos(2 * Math.PI * r());
  const vectors = new Map<string, Float32Array>();
  const papers: Paper[] = [];
  const t0 = performance.now();
  for (let i = 0; i < N; i++) {
    const src = base[i % base.length];
    const copy = Math.floor(i / base.length);
    const words = src.abstract.split(" ");
    const abstract = copy === 0 ? src.abstract : words.filter(() => r() > 0.05).join(" ");
    const paper: Paper = { id: copy === 0 ? src.id : `${src.id}#${copy}`, title: src.title, abstract, upvotes: Math.floor(r() * 20) };
    const v = Float32Array.from(baseVectors[i % base.length], (x) => x + (copy === 0 ? 0 : 0.04 * gauss()));
    const n = Math.hypot(...v) || 1;
    vectors.set(
      paperText(paper),
      v.map((x) => x / n),
    );
    papers.push(paper);
  }
  const prepMs = performance.now() - t0;
  const embedder = new TableEmbedder(vectors, lexical);
  const [library, createMs] = await timed(() => PaperLibrary.create(papers, { embedder }));
  const rows: (string | number)[][] = [
    [`fit lexical embedder on ${base.length} eval papers`, fitMs],
    [`embed ${base.length} papers`, embedMs],
    [`prepare ${N} noisy copies (texts + vectors)`, prepMs],
    [`create library of ${N} papers (index + keywords; vectors precomputed)`, createMs],
  ];
  const dir = await mkdtemp(path.join(os.tmpdir(), "papermap-bench-"));
  try {
    const [, saveMs] = await timed(() => library.save(path.join(dir, "lib")));
    rows.push([`save ${N}`, saveMs]);
    const [opened, openMs] = await timed(() => PaperLibrary.open(path.join(dir, "lib"), { embedder }));
    rows.push([`open ${N}`, openMs], ["open / create", `${fmt(openMs / createMs)}×`]);
    void opened;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  table(`${N} papers`, ["step", "ms"], rows);
  await latencyTable(library, papers, `${N} papers`, 100);
}

// ---------------------------------------------------------------- synthetic 100,000

async function synthetic(): Promise<void> {
  const n = 100_000;
  const papers = syntheticPapers(n);
  const [lib, createMs] = await timed(() =>
    PaperLibrary.create(papers, { embedder: hashingEmbedder(16), index: { M: 6, efConstruction: 16 } }),
  );
  const [hits, searchMs] = await timed(() => lib.search("speech codec", { k: 10 }));
  const [byId, idMs] = await timed(() => lib.search("p31337"));
  const [related, relatedMs] = await timed(() => lib.related("p123", { k: 10, filter: { minUpvotes: 9 } }));
  const sorted = hits.every((h, i) => i === 0 || h.score <= hits[i - 1].score);
  const rows: (string | number)[][] = [
    [`create (${lib.size} papers, 16-d hashing embedder, M 6, efConstruction 16)`, createMs, lib.size === n ? "yes" : "NO"],
    [
      'search "speech codec": 10 hits, scores in [0, 1], sorted',
      searchMs,
      hits.length === 10 && sorted && hits.every((h) => h.score >= 0 && h.score <= 1) ? "yes" : "NO",
    ],
    ['search "p31337": that paper first', idMs, byId[0]?.paper.id === "p31337" ? "yes" : "NO"],
    [
      "related p123, minUpvotes 9: 10 hits, all with 9 upvotes, not p123",
      relatedMs,
      related.length === 10 && related.every((h) => h.paper.upvotes === 9 && h.paper.id !== "p123") ? "yes" : "NO",
    ],
  ];
  table(`${n} synthetic papers`, ["step", "ms", "as expected"], rows);
}

// ---------------------------------------------------------------- main

console.log(`papermap library benchmark — ${new Date().toISOString()} — node ${process.version}, ${os.cpus().length} CPUs`);
if (SECTIONS.has("quality")) await quality();
if (SECTIONS.has("speed")) await speed();
if (SECTIONS.has("100k")) await large();
if (SECTIONS.has("synthetic")) await synthetic();
