/**
 * Quality and speed of the built-in lexical embedder, with the variants that led to its
 * defaults, measured side by side in one run.
 *
 * Quality: on the labelled eval corpora, the mean fraction of a paper's 10 nearest other
 * papers (exact cosine) that share its label. arxiv-cs-2025: arXiv primary category;
 * arxiv-all-2007: the top-level field (label before the first ".").
 *
 *   npx tsx bench/embed-quality.ts            # everything
 *   npx tsx bench/embed-quality.ts --quick    # fewer variants
 *   npx tsx bench/embed-quality.ts --only cs|all|time   # one part
 *
 * The corpora are read from ../shared/eval beside the repository (or PAPERMAP_EVAL_DIR);
 * the script says so and exits when they are absent.
 */
import { LexicalEmbedder, type LexicalEmbedderOptions } from "../src/embed/lexical.js";
import { paperText } from "../src/paper.js";
import { analyze, type AnalyzerOptions } from "../src/text/analyze.js";
import type { SparseMatrix } from "../src/text/sparse.js";
import { TfidfModel, type TfidfOptions } from "../src/text/tfidf.js";
import { EVAL_DIR, loadEvalCorpus } from "./common.js";

const evalDir = EVAL_DIR;
const quick = process.argv.includes("--quick");
const onlyAt = process.argv.indexOf("--only");
const only = onlyAt >= 0 ? process.argv[onlyAt + 1] : undefined;

interface Row {
  title: string;
  abstract: string;
  label: string;
}

function loadCorpus(file: string, topLevel: boolean): Row[] | undefined {
  return loadEvalCorpus(file, topLevel);
}

/** Mean fraction of each item's k nearest others (by dot product of unit vectors) sharing its label. */
function agreementDense(vectors: readonly Float32Array[], labels: readonly string[], k = 10): number {
  const n = vectors.length;
  const d = vectors[0]?.length ?? 0;
  const flat = new Float32Array(n * d);
  vectors.forEach((v, i) => flat.set(v, i * d));
  const sims = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const oi = i * d;
    for (let j = 0; j < n; j++) {
      const oj = j * d;
      let s = 0;
      for (let c = 0; c < d; c++) s += flat[oi + c] * flat[oj + c];
      sims[j] = s;
    }
    total += topAgreement(sims, i, labels, k);
  }
  return total / n;
}

/** {@link agreementDense}, averaged only over the items `include` selects (neighbours from all items). */
function agreementDenseSubset(
  vectors: readonly Float32Array[],
  labels: readonly string[],
  include: (i: number) => boolean,
  k = 10,
): number {
  const n = vectors.length;
  const sims = new Float64Array(n);
  let total = 0;
  let count = 0;
  for (let i = 0; i < n; i++) {
    if (!include(i)) continue;
    const vi = vectors[i];
    for (let j = 0; j < n; j++) {
      const vj = vectors[j];
      let s = 0;
      for (let c = 0; c < vi.length; c++) s += vi[c] * vj[c];
      sims[j] = s;
    }
    total += topAgreement(sims, i, labels, k);
    count++;
  }
  return count > 0 ? total / count : 0;
}

/** The same measure on sparse unit rows (plain TF-IDF cosine), through an inverted index. */
function agreementSparse(x: SparseMatrix, labels: readonly string[], k = 10): number {
  const n = x.rows;
  const postings: { doc: number[]; val: number[] }[] = Array.from({ length: x.cols }, () => ({ doc: [], val: [] }));
  for (let i = 0; i < n; i++) {
    for (let p = x.indptr[i]; p < x.indptr[i + 1]; p++) {
      postings[x.indices[p]].doc.push(i);
      postings[x.indices[p]].val.push(x.values[p]);
    }
  }
  const sims = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    sims.fill(0);
    for (let p = x.indptr[i]; p < x.indptr[i + 1]; p++) {
      const a = x.values[p];
      const post = postings[x.indices[p]];
      for (let q = 0; q < post.doc.length; q++) sims[post.doc[q]] += a * post.val[q];
    }
    total += topAgreement(sims, i, labels, k);
  }
  return total / n;
}

function topAgreement(sims: Float64Array, self: number, labels: readonly string[], k: number): number {
  // Partial selection of the k best (ties broken by index), excluding the item itself.
  const top: number[] = [];
  for (let j = 0; j < sims.length; j++) {
    if (j === self) continue;
    if (top.length === k && sims[j] <= sims[top[k - 1]]) continue;
    let pos = top.length === k ? k - 1 : top.length;
    if (top.length < k) top.push(j);
    while (pos > 0 && sims[top[pos - 1]] < sims[j]) {
      top[pos] = top[pos - 1];
      pos--;
    }
    top[pos] = j;
  }
  let same = 0;
  for (const j of top) if (labels[j] === labels[self]) same++;
  return same / k;
}

const SKLEARN_LIKE: AnalyzerOptions = { stem: false, hyphens: "keep", ngramsAcrossGaps: true };

function plainTfidf(texts: readonly string[], analyzer: AnalyzerOptions, tfidf: TfidfOptions = {}): { x: SparseMatrix; ms: number } {
  const t0 = performance.now();
  const terms = texts.map((t) => analyze(t, analyzer));
  const model = TfidfModel.fit(terms, tfidf);
  const x = model.transform(terms);
  return { x, ms: performance.now() - t0 };
}

interface Variant {
  name: string;
  options: LexicalEmbedderOptions;
}

async function lexical(
  texts: readonly string[],
  options: LexicalEmbedderOptions,
): Promise<{ vectors: Float32Array[]; fitMs: number; embedMs: number; stateBytes: number; terms: number }> {
  const t0 = performance.now();
  const e = LexicalEmbedder.fit(texts, options);
  const t1 = performance.now();
  const vectors = await e.embed(texts);
  const t2 = performance.now();
  return { vectors, fitMs: t1 - t0, embedMs: t2 - t1, stateBytes: JSON.stringify(e.toJSON()).length, terms: e.vocabularySize };
}

function fmt(x: number): string {
  return x.toFixed(3);
}

function table(header: string[], rows: (string | number)[][]): void {
  const cells = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, c) => Math.max(...cells.map((r) => r[c].length)));
  const line = (r: string[]) => "| " + r.map((x, c) => (c === 0 ? x.padEnd(widths[c]) : x.padStart(widths[c]))).join(" | ") + " |";
  console.log(line(header));
  console.log("|" + widths.map((w, c) => (c === 0 ? "-".repeat(w + 2) : "-".repeat(w + 1) + ":")).join("|") + "|");
  for (const r of cells.slice(1)) console.log(line(r));
  console.log("");
}

// The path from scikit-learn-style LSA to the defaults, one change at a time, then
// single changes away from the defaults.
const LSA_SKLEARN: LexicalEmbedderOptions = {
  analyzer: SKLEARN_LIKE,
  tfidf: { minDf: 2, maxDf: 1, maxFeatures: 1_000_000, idf: "smooth" },
  singularValuePower: 1,
  dropComponents: 0,
  smoothing: 0,
};
const steps: Variant[] = [
  { name: "LSA-128, scikit-learn-like terms (min_df 2)", options: LSA_SKLEARN },
  { name: "+ Porter2 stemming", options: { ...LSA_SKLEARN, analyzer: { ...SKLEARN_LIKE, stem: true } } },
  { name: "+ bigrams only within a clause", options: { ...LSA_SKLEARN, analyzer: { stem: true, hyphens: "keep" } } },
  {
    name: "+ min_df 3, max_df 0.5, ≤ 20k terms",
    options: { tfidf: { idf: "smooth" }, singularValuePower: 1, dropComponents: 0, smoothing: 0 },
  },
  { name: "+ drop the first component", options: { tfidf: { idf: "smooth" }, singularValuePower: 1, smoothing: 0 } },
  { name: "+ components scaled by s²", options: { tfidf: { idf: "smooth" }, smoothing: 0 } },
  { name: "+ neighbour smoothing β = 2", options: { tfidf: { idf: "smooth" } } },
  { name: "+ BM25 idf (= default)", options: {} },
];
const DEFAULT: LexicalEmbedderOptions = {};
const around: Variant[] = [
  { name: "default, smoothing β = 1", options: { ...DEFAULT, smoothing: 1 } },
  { name: "default, smoothing β = 4", options: { ...DEFAULT, smoothing: 4 } },
  { name: "default, smoothing map read from 128 components", options: { ...DEFAULT, smoothingComponents: 128 } },
  { name: "default without smoothing", options: { ...DEFAULT, smoothing: 0 } },
  { name: "default, 64-d", options: { ...DEFAULT, dimension: 64 } },
  { name: "default, 256-d", options: { ...DEFAULT, dimension: 256 } },
  { name: "default, components scaled by s (classic)", options: { ...DEFAULT, singularValuePower: 1 } },
  { name: "default, drop 2 components", options: { ...DEFAULT, dropComponents: 2 } },
  { name: "default, hyphen parts added as terms", options: { ...DEFAULT, analyzer: { hyphens: "both" } } },
  { name: "default, words only (no bigrams)", options: { ...DEFAULT, analyzer: { maxNgram: 1 } } },
  { name: "default, min_df 2", options: { ...DEFAULT, tfidf: { minDf: 2 } } },
  { name: "default, title terms weighted 2", options: { ...DEFAULT, titleWeight: 2 } },
  { name: "default, BM25 tf saturation", options: { ...DEFAULT, tfidf: { tf: "bm25" } } },
  { name: "default, smooth idf (scikit-learn's)", options: { ...DEFAULT, tfidf: { idf: "smooth" } } },
  { name: "default, 1 power iteration", options: { ...DEFAULT, powerIterations: 1 } },
  { name: "default, another seed", options: { ...DEFAULT, seed: 7 } },
];

async function main(): Promise<void> {
  const csAll = loadCorpus("arxiv-cs-2025.jsonl", false);
  const cs = only === undefined || only === "cs" ? csAll : undefined;
  const all = only === undefined || only === "all" ? loadCorpus("arxiv-all-2007.jsonl", true) : undefined;
  if (!csAll && !all) {
    console.log(`No eval corpora in ${evalDir} (set PAPERMAP_EVAL_DIR): nothing to measure.`);
    return;
  }
  console.log(`# Lexical embedder quality (10-NN label agreement, exact cosine)\n`);

  for (const [name, rows, variants] of [
    ["arxiv-cs-2025 (3,313 papers, 18 categories)", cs, quick ? [steps[0], steps[7]] : [...steps, ...around]],
    [
      "arxiv-all-2007 (1,975 papers, top-level field)",
      all,
      quick ? [steps[0], steps[7]] : [...steps, around[0], around[1], around[3], around[4], around[5]],
    ],
  ] as const) {
    if (!rows) {
      if (only === undefined) console.log(`(${name}: file absent, skipped)\n`);
      continue;
    }
    const texts = rows.map((r) => paperText(r));
    const labels = rows.map((r) => r.label);
    console.log(`## ${name}\n`);
    const out: (string | number)[][] = [];
    const plain = plainTfidf(texts, SKLEARN_LIKE);
    out.push(["plain TF-IDF cosine (scikit-learn-like, all terms)", fmt(agreementSparse(plain.x, labels)), plain.x.cols, "–"]);
    const plainStem = plainTfidf(texts, { stem: true, hyphens: "keep" }, { minDf: 3, maxDf: 0.5 });
    out.push(["plain TF-IDF cosine, default terms (stems, min_df 3)", fmt(agreementSparse(plainStem.x, labels)), plainStem.x.cols, "–"]);
    for (const v of variants) {
      const r = await lexical(texts, v.options);
      out.push([v.name, fmt(agreementDense(r.vectors, labels)), r.terms, `${(r.stateBytes / 1e6).toFixed(1)} MB`]);
      process.stderr.write(`  ${v.name}: done\n`);
    }
    table(["variant", "10-NN agreement", "terms", "saved state"], out);
    if (rows === cs) {
      // The floor this corpus is held to (it was a unit test; it is a measurement).
      const d = await lexical(texts, DEFAULT);
      const agreement = agreementDense(d.vectors, labels);
      console.log(
        `Default lexical embedder on arxiv-cs-2025: 10-NN agreement ${fmt(agreement)} (floor 0.53: ${agreement >= 0.53 ? "met" : "NOT MET"})\n`,
      );
    }

    // Generalisation: fit on every other paper, embed all of them (half are new to the embedder).
    const half = texts.filter((_, i) => i % 2 === 0);
    const held: (string | number)[][] = [];
    for (const [label, options] of [
      ["LSA-128, scikit-learn-like terms", LSA_SKLEARN],
      ["default without smoothing", { ...DEFAULT, smoothing: 0 }],
      ["default with smooth idf", { ...DEFAULT, tfidf: { idf: "smooth" } }],
      ["default", DEFAULT],
    ] as const) {
      const e = LexicalEmbedder.fit(half, options);
      const vectors = await e.embed(texts);
      const newOnly = (k: number) => k % 2 === 1;
      held.push([label, fmt(agreementDense(vectors, labels)), fmt(agreementDenseSubset(vectors, labels, newOnly))]);
    }
    table(["fitted on half the papers", "10-NN agreement, all papers", "papers not fitted on"], held);
  }

  if (csAll && (only === undefined || only === "time")) {
    const cs = csAll;
    console.log(`## Fit + embed time, arxiv-cs-2025 (3,313 papers)\n`);
    const texts = cs.map((r) => paperText(r));
    const rows: (string | number)[][] = [];
    const repeats = quick ? 1 : 2;
    const best = (xs: number[]) => Math.min(...xs);
    const plainMs: number[] = [];
    const fitMs: number[] = [];
    const embedMs: number[] = [];
    const lsaSklearnMs: number[] = [];
    const noSmoothMs: number[] = [];
    for (let r = 0; r < repeats; r++) {
      plainMs.push(plainTfidf(texts, SKLEARN_LIKE).ms);
      const d = await lexical(texts, {});
      fitMs.push(d.fitMs);
      embedMs.push(d.embedMs);
      const s = await lexical(texts, LSA_SKLEARN);
      lsaSklearnMs.push(s.fitMs + s.embedMs);
      const ns = await lexical(texts, { smoothing: 0 });
      noSmoothMs.push(ns.fitMs + ns.embedMs);
    }
    const base = best(plainMs);
    rows.push(["plain TF-IDF (analyze + fit + transform)", base.toFixed(0), "1.0×"]);
    rows.push([
      "LSA-128, scikit-learn-like terms: fit + embed",
      best(lsaSklearnMs).toFixed(0),
      `${(best(lsaSklearnMs) / base).toFixed(1)}×`,
    ]);
    rows.push(["default without smoothing: fit + embed", best(noSmoothMs).toFixed(0), `${(best(noSmoothMs) / base).toFixed(1)}×`]);
    rows.push(["LexicalEmbedder default: fit", best(fitMs).toFixed(0), `${(best(fitMs) / base).toFixed(1)}×`]);
    rows.push(["LexicalEmbedder default: embed all papers", best(embedMs).toFixed(0), `${(best(embedMs) / base).toFixed(1)}×`]);
    rows.push([
      "LexicalEmbedder default: fit + embed",
      (best(fitMs) + best(embedMs)).toFixed(0),
      `${((best(fitMs) + best(embedMs)) / base).toFixed(1)}×`,
    ]);
    table([`best of ${repeats}`, "ms", "vs plain TF-IDF"], rows);
  }
}

await main();
