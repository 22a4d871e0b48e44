/**
 * Benchmark of recommendations (`npm run bench:recommend`): which papers to read given the
 * ones a reader liked (and disliked), measured side by side with arxiv-sanity-lite's recipe.
 *
 * Protocol (arxiv-cs-2025.jsonl, 18 labels): for each label, 10 seeded trials of n liked
 * papers of that label (n = 1, 3, 5, 20); every other paper is ranked; P@20 = share of the
 * top 20 with the label, averaged over labels and trials; per label at 5 likes, next to half
 * of the label's papers liked (BENCH_ONLY="per label" for that table alone). Variant
 * "+2 disliked": two disliked papers from the neighbouring label (the label whose mean vector
 * is closest).
 * Day by day (arxiv-days-2025-04): 5 papers liked from the first 11 days, recommendations
 * among the last 11 days; label precision, and an author variant.
 *
 * Baseline re-implemented here: arxiv-sanity-lite's compute.py TF-IDF (word 1–2-grams,
 * 10,000 features, min_df 5, max_df 0.5, sublinear tf, l2 norm, English stopwords) and its
 * serve.py ranking, a LinearSVC (C = 0.1, class_weight "balanced", squared hinge, intercept)
 * trained on liked vs all, fitted here by dual coordinate descent (Hsieh et al., 2008).
 *
 * Env: PAPERMAP_EVAL_DIR (default ../shared/eval beside the repository);
 * BENCH_SECTIONS=quality,days,speed,100k (default all).
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PaperLibrary } from "../src/library.js";
import type { Embedder } from "../src/embed/types.js";
import { paperText, type Paper } from "../src/paper.js";
import { Bm25Index, type Bm25Query } from "../src/text/bm25.js";
import { gaussianSampler, seededRandom } from "../src/text/random.js";
import { ENGLISH_STOPWORDS } from "../src/text/stopwords.js";
import { authorKey } from "../src/recommend/model.js";
import { fmt, table } from "./common.js";

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const EVAL_DIR = process.env.PAPERMAP_EVAL_DIR ?? path.resolve(REPO, "../shared/eval");
const SECTIONS = new Set((process.env.BENCH_SECTIONS ?? "quality,days,speed,100k").split(","));
/** Seeded trials per label (BENCH_TRIALS, default 10). */
const TRIALS = Number(process.env.BENCH_TRIALS ?? 10);
const TOP = 20;
/** Only the models whose name matches this regular expression (all by default). */
const ONLY = process.env.BENCH_ONLY ? new RegExp(process.env.BENCH_ONLY) : undefined;
const only = <T extends [string, ...unknown[]]>(list: T[]): T[] => list.filter(([name]) => !ONLY || ONLY.test(name));

interface EvalPaper extends Paper {
  label: string;
  day?: string;
}

function loadJsonl(file: string): EvalPaper[] {
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => {
      const o = JSON.parse(l) as { id: string; title: string; abstract: string; label: string; authors?: string[] | string; day?: string };
      const authors = Array.isArray(o.authors) ? o.authors : typeof o.authors === "string" ? o.authors.split(/,\s*/) : undefined;
      return { id: String(o.id), title: o.title, abstract: o.abstract, label: o.label, authors, day: o.day };
    });
}

// ---------------------------------------------------------------- output helpers

function hashString(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

// ---------------------------------------------------------------- arxiv-sanity-lite baseline

/** Sparse l2-normalised row. */
interface SparseVec {
  idx: Int32Array;
  val: Float64Array;
}

/** scikit-learn's TfidfVectorizer as configured in arxiv-sanity-lite's compute.py. */
function sanityTfidf(texts: string[]): SparseVec[] {
  const docs = texts.map((t) => {
    const tokens = (
      t
        .normalize("NFKD")
        .replace(/[\u0300-\u036f]/g, "")
        .toLowerCase()
        .match(/\b[a-z_][a-z0-9_]+\b/g) ?? []
    ).filter((w) => !ENGLISH_STOPWORDS.has(w));
    const grams = [...tokens];
    for (let i = 0; i + 1 < tokens.length; i++) grams.push(tokens[i] + " " + tokens[i + 1]);
    const tf = new Map<string, number>();
    for (const g of grams) tf.set(g, (tf.get(g) ?? 0) + 1);
    return tf;
  });
  const n = docs.length;
  const df = new Map<string, number>();
  const cf = new Map<string, number>();
  for (const d of docs) for (const [g, c] of d) df.set(g, (df.get(g) ?? 0) + 1), cf.set(g, (cf.get(g) ?? 0) + c);
  const kept = [...df.entries()]
    .filter(([, d]) => d >= 5 && d <= 0.5 * n)
    .map(([g]) => g)
    .sort((a, b) => cf.get(b)! - cf.get(a)! || (a < b ? -1 : 1))
    .slice(0, 10_000);
  const col = new Map(kept.map((g, i) => [g, i]));
  const idf = kept.map((g) => Math.log((1 + n) / (1 + df.get(g)!)) + 1);
  return docs.map((d) => {
    const entries: Array<[number, number]> = [];
    for (const [g, c] of d) {
      const j = col.get(g);
      if (j !== undefined) entries.push([j, (1 + Math.log(c)) * idf[j]]);
    }
    entries.sort((a, b) => a[0] - b[0]);
    const norm = Math.hypot(...entries.map((e) => e[1])) || 1;
    return { idx: Int32Array.from(entries, (e) => e[0]), val: Float64Array.from(entries, (e) => e[1] / norm) };
  });
}

/**
 * sklearn's LinearSVC(C, class_weight="balanced"): L2-regularised squared-hinge loss with an
 * intercept (a constant feature 1, regularised like liblinear), solved in the dual by
 * coordinate descent. Returns the decision values of all rows.
 */
function linearSvc(X: SparseVec[], dims: number, positive: Set<number>, C: number): Float64Array {
  const n = X.length;
  const nPos = positive.size;
  const y = new Int8Array(n).map((_, i) => (positive.has(i) ? 1 : -1));
  const cPos = (C * n) / (2 * nPos);
  const cNeg = (C * n) / (2 * (n - nPos));
  const w = new Float64Array(dims + 1); // last entry: the intercept
  const alpha = new Float64Array(n);
  const qii = X.map((x) => x.val.reduce((s, v) => s + v * v, 0) + 1);
  const order = Int32Array.from({ length: n }, (_, i) => i);
  const rand = seededRandom(7);
  for (let epoch = 0; epoch < 100; epoch++) {
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    let maxPg = -Infinity;
    let minPg = Infinity;
    for (const i of order) {
      const x = X[i];
      const d = 1 / (2 * (y[i] > 0 ? cPos : cNeg));
      let wx = w[dims];
      for (let t = 0; t < x.idx.length; t++) wx += w[x.idx[t]] * x.val[t];
      const g = y[i] * wx - 1 + d * alpha[i];
      const pg = alpha[i] === 0 ? Math.min(g, 0) : g;
      maxPg = Math.max(maxPg, pg);
      minPg = Math.min(minPg, pg);
      if (pg === 0) continue;
      const old = alpha[i];
      alpha[i] = Math.max(0, old - g / (qii[i] + d));
      const delta = (alpha[i] - old) * y[i];
      if (delta === 0) continue;
      for (let t = 0; t < x.idx.length; t++) w[x.idx[t]] += delta * x.val[t];
      w[dims] += delta;
    }
    if (maxPg - minPg < 1e-3) break;
  }
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = X[i];
    let s = w[dims];
    for (let t = 0; t < x.idx.length; t++) s += w[x.idx[t]] * x.val[t];
    out[i] = s;
  }
  return out;
}

function sparseCentroidScores(X: SparseVec[], dims: number, liked: number[]): Float64Array {
  const c = new Float64Array(dims);
  for (const i of liked) X[i].idx.forEach((j, t) => (c[j] += X[i].val[t]));
  return Float64Array.from(X, (x) => {
    let s = 0;
    for (let t = 0; t < x.idx.length; t++) s += c[x.idx[t]] * x.val[t];
    return s;
  });
}

// ---------------------------------------------------------------- papermap-vector experiments

/** Dense unit vectors, row-major. */
class Matrix {
  constructor(
    readonly n: number,
    readonly d: number,
    readonly data: Float32Array,
  ) {}
  row(i: number): Float32Array {
    return this.data.subarray(i * this.d, (i + 1) * this.d);
  }
  /** Dot product of every row with q. */
  dots(q: ArrayLike<number>): Float64Array {
    const out = new Float64Array(this.n);
    const { d, data } = this;
    for (let i = 0; i < this.n; i++) {
      let s = 0;
      const o = i * d;
      for (let j = 0; j < d; j++) s += data[o + j] * q[j];
      out[i] = s;
    }
    return out;
  }
}

function mean(M: Matrix, rows: number[]): Float64Array {
  const c = new Float64Array(M.d);
  for (const i of rows) {
    const r = M.row(i);
    for (let j = 0; j < M.d; j++) c[j] += r[j] / rows.length;
  }
  return c;
}

function unit(v: Float64Array): Float64Array {
  const n = Math.hypot(...v) || 1;
  return v.map((x) => x / n);
}

function topIndices(scores: ArrayLike<number>, k: number, skip?: Set<number>): number[] {
  const idx: number[] = [];
  for (let i = 0; i < scores.length; i++) if (!skip?.has(i)) idx.push(i);
  idx.sort((a, b) => scores[b] - scores[a] || a - b);
  return idx.slice(0, k);
}

function softmaxSims(sims: Float64Array[], tau: number): Float64Array {
  const n = sims[0].length;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let m = -Infinity;
    for (const s of sims) m = Math.max(m, s[i]);
    let z = 0;
    for (const s of sims) z += Math.exp((s[i] - m) / tau);
    out[i] = m + tau * Math.log(z / sims.length);
  }
  return out;
}

function _minmax(a: Float64Array): Float64Array {
  let lo = Infinity;
  let hi = -Infinity;
  for (const x of a) (lo = Math.min(lo, x)), (hi = Math.max(hi, x));
  return a.map((x) => (hi > lo ? (x - lo) / (hi - lo) : 0));
}

/** Scaled by the maximum (keeps 0 at 0). */
function maxScale(a: Float64Array): Float64Array {
  let hi = 0;
  for (const x of a) hi = Math.max(hi, x);
  return a.map((x) => (hi > 0 ? x / hi : 0));
}

/** BM25 of the liked papers' characteristic words (union of their document queries). */
function _keywordScores(bm25: Bm25Index, ids: string[], liked: number[], terms = 30, maxDf = 0.1): Float64Array {
  const merged = new Map<string, { term: string; weight: number; surface: string }>();
  for (const i of liked) {
    const q = bm25.documentQuery(ids[i], terms, maxDf);
    for (const t of q?.terms ?? []) {
      const e = merged.get(t.term);
      if (e) e.weight += t.weight / liked.length;
      else merged.set(t.term, { ...t, weight: t.weight / liked.length });
    }
  }
  const query: Bm25Query = { terms: [...merged.values()] };
  const out = new Float64Array(ids.length);
  const pos = new Map(ids.map((id, i) => [id, i]));
  for (const h of bm25.search(query, { k: ids.length })) out[pos.get(h.id)!] = h.score;
  return maxScale(out);
}

/** Centroid moved towards its m nearest papers (alpha query expansion); scores or the vector. */
function prf(M: Matrix, liked: number[], m: number, beta: number, vectorOut = false): Float64Array {
  const c = unit(mean(M, liked));
  const s = M.dots(c);
  const top = topIndices(s, m, new Set(liked));
  const e = Float64Array.from(c);
  for (const j of top) {
    const r = M.row(j);
    const w = (beta * Math.max(0, s[j])) / m;
    for (let t = 0; t < M.d; t++) e[t] += w * r[t];
  }
  return vectorOut ? e : M.dots(e);
}

// ---------------------------------------------------------------- shared set-up

type Scorer = (liked: number[], disliked: number[]) => Float64Array | Promise<Float64Array>;
/** A ranker that returns the top ids directly (the library's own calls). */
type Lister = (liked: number[], disliked: number[], k: number) => Promise<number[]>;

interface Corpus {
  papers: EvalPaper[];
  ids: string[];
  labels: string[];
  lib: PaperLibrary;
  M: Matrix;
  position: Map<string, number>;
}

async function prepare(papers: EvalPaper[]): Promise<Corpus> {
  const lib = await PaperLibrary.create(papers, { embedder: "lexical", onNotice: () => {} });
  const M = new Matrix(papers.length, lib.dimension, new Float32Array(papers.length * lib.dimension));
  papers.forEach((p, i) => M.data.set(lib.vector(p.id)!, i * lib.dimension));
  return {
    papers,
    ids: papers.map((p) => p.id),
    labels: papers.map((p) => p.label),
    lib,
    M,
    position: new Map(papers.map((p, i) => [p.id, i])),
  };
}

/** The library's recommend() as a lister, with optional tuning changes. */
function libraryLister(c: Corpus, tuning: Partial<PaperLibrary["recommendTuning"]> = {}): Lister {
  return async (liked, disliked, k) => {
    const saved = { ...c.lib.recommendTuning };
    Object.assign(c.lib.recommendTuning, tuning);
    try {
      const hits = await c.lib.recommend({ liked: liked.map((i) => c.ids[i]), disliked: disliked.map((i) => c.ids[i]), k });
      return hits.map((h) => c.position.get(h.paper.id)!);
    } finally {
      Object.assign(c.lib.recommendTuning, saved);
    }
  };
}

/** Variants of the subject split, run in the P@20 and the two-subject sections. */
function splitVariants(c: Corpus): Array<[string, Lister]> {
  const variants: Array<[string, Partial<PaperLibrary["recommendTuning"]>]> = [
    ["split factor -0.1, no min subject size", { splitThreshold: -0.1, minSubjectShare: -1 }],
    ["split factor -0.2, no min subject size", { splitThreshold: -0.2, minSubjectShare: -1 }],
    ["split factor -0.3, no min subject size", { splitThreshold: -0.3, minSubjectShare: -1 }],
    ["split factor -0.1, min subject size max(2, 0.25 × likes)", { splitThreshold: -0.1 }],
    ["previous default: split factor 0, no min subject size", { splitThreshold: 0, minSubjectShare: -1 }],
  ];
  return variants.map(([name, tuning]) => [`recommend(): ${name}`, libraryLister(c, tuning)]);
}

function scorerLister(score: Scorer): Lister {
  return async (liked, disliked, k) => topIndices(await score(liked, disliked), k, new Set([...liked, ...disliked]));
}

function pickLiked(members: number[], n: number, rand: () => number): number[] {
  const pool = [...members];
  const liked: number[] = [];
  while (liked.length < n && pool.length > 0) liked.push(pool.splice(Math.floor(rand() * pool.length), 1)[0]);
  return liked;
}

// ---------------------------------------------------------------- quality on arxiv-cs-2025

async function quality(): Promise<void> {
  const file = path.join(EVAL_DIR, "arxiv-cs-2025.jsonl");
  if (!existsSync(file)) return void console.log(`\n(eval corpus not found in ${EVAL_DIR}: quality sections skipped)`);
  const t0 = performance.now();
  const c = await prepare(loadJsonl(file));
  const { M, labels, ids } = c;
  const X = sanityTfidf(c.papers.map((p) => `${p.title} ${p.abstract}`));
  const bm25 = new Bm25Index();
  for (const p of c.papers) bm25.add(p.id, { title: p.title, abstract: p.abstract });
  console.log(`prepared ${M.n} papers in ${fmt((performance.now() - t0) / 1000)} s (lexical library, arxiv-sanity TF-IDF, BM25)`);

  const byLabel = new Map<string, number[]>();
  labels.forEach((l, i) => byLabel.set(l, [...(byLabel.get(l) ?? []), i]));
  const labelList = [...byLabel.keys()].sort();
  const centroids = new Map(labelList.map((l) => [l, unit(mean(M, byLabel.get(l)!))]));
  const labelSim = (a: string, b: string) => centroids.get(a)!.reduce((acc, x, j) => acc + x * centroids.get(b)![j], 0);
  const nearest = new Map(labelList.map((l) => [l, labelList.filter((o) => o !== l).sort((a, b) => labelSim(l, b) - labelSim(l, a))[0]]));
  const farthest = new Map(labelList.map((l) => [l, labelList.filter((o) => o !== l).sort((a, b) => labelSim(l, a) - labelSim(l, b))[0]]));

  const sanity: Lister = scorerLister((liked) => linearSvc(X, 10_000, new Set(liked), 0.1));
  const centroid: Lister = scorerLister((liked) => M.dots(mean(M, liked)));
  const related: Lister = async (liked, _d, k) => {
    if (liked.length !== 1) return [];
    return (await c.lib.related(ids[liked[0]], { k })).map((h) => c.position.get(h.paper.id)!);
  };
  const models: Array<[string, Lister]> = [
    ["arxiv-sanity-lite: TF-IDF + LinearSVC(C=0.1, balanced)", sanity],
    ["TF-IDF centroid", scorerLister((liked) => sparseCentroidScores(X, 10_000, liked))],
    ["papermap vectors: centroid", centroid],
    [
      "papermap vectors: max over liked",
      scorerLister((liked) =>
        softmaxSims(
          liked.map((i) => M.dots(M.row(i))),
          1e-4,
        ),
      ),
    ],
    ["centroid + query expansion (10 nearest)", scorerLister((liked) => prf(M, liked, 10, 1))],
    ["related() of the liked paper (1 like only)", related],
    ["recommend(): expanded centroid only (no whitened direction)", libraryLister(c, { classifierMinLikes: 1e9 })],
    ["recommend(): logistic regression from 3 likes (previous default)", libraryLister(c, { method: "logistic" })],
    ["recommend(): whitened direction from 1 like", libraryLister(c, { classifierMinLikes: 1 })],
    ["recommend(): whitened direction from 2 likes", libraryLister(c, { classifierMinLikes: 2 })],
    ["recommend(): whitened, shrinkage 0.8", libraryLister(c, { shrinkage: 0.8 })],
    ["recommend(): whitened, shrinkage 0.95", libraryLister(c, { shrinkage: 0.95 })],
    ["recommend(): no subject split", libraryLister(c, { splitThreshold: -1e9 })],
    ["recommend(): split factor 0.25", libraryLister(c, { splitThreshold: 0.25 })],
    ...splitVariants(c),
    ["recommend() (default: split factor 0, min subject size max(2, 0.25 × likes), classifier from 3 likes)", libraryLister(c)],
  ];

  /** P@20 of `list` for `label` in each of TRIALS seeded draws of `n` liked papers of that label. */
  const trialPrecisions = async (list: Lister, label: string, n: number): Promise<number[]> => {
    const out: number[] = [];
    for (let trial = 0; trial < TRIALS; trial++) {
      const liked = pickLiked(byLabel.get(label)!, n, seededRandom(hashString(`${label}/${trial}/${n}`)));
      const top = await list(liked, [], TOP);
      out.push(top.filter((i) => labels[i] === label).length / TOP);
    }
    return out;
  };
  const labelPrecision = async (list: Lister, label: string, n: number): Promise<number> =>
    (await trialPrecisions(list, label, n)).reduce((a, b) => a + b, 0) / TRIALS;

  // 1. P@20 by number of likes.
  const counts = (process.env.BENCH_COUNTS ?? "1,3,5,20").split(",").map(Number);
  const rows: (string | number)[][] = [];
  for (const [name, list] of only(models)) {
    const row: (string | number)[] = [name];
    const t1 = performance.now();
    for (const n of counts) {
      if (name.includes("1 like only") && n !== 1) {
        row.push("–");
        continue;
      }
      let sum = 0;
      let trials = 0;
      for (const label of labelList) {
        for (const p of await trialPrecisions(list, label, n)) {
          sum += p;
          trials++;
        }
      }
      row.push(sum / trials);
    }
    row.push((performance.now() - t1) / 1000);
    rows.push(row);
    console.log(
      `  … ${name}: ${row
        .slice(1)
        .map((x) => (typeof x === "number" ? fmt(x) : x))
        .join(" ")}`,
    );
  }
  table(
    `P@20 by number of liked papers (arxiv-cs-2025, ${labelList.length} labels × ${TRIALS} seeded trials)`,
    ["model", ...counts.map((n) => `${n} liked`), "s"],
    rows,
  );

  // 1b. Where the misses are: P@20 per label at 5 likes, next to what half of the label's papers
  // liked gives (the other half still to find): how far these vectors go with many likes.
  if (!ONLY || ONLY.test("per label")) {
    const lrows: (string | number)[][] = [];
    const totals = [0, 0, 0, 0];
    for (const label of labelList) {
      const half = Math.floor(byLabel.get(label)!.length / 2);
      const row = [
        await labelPrecision(libraryLister(c), label, 5),
        await labelPrecision(centroid, label, 5),
        await labelPrecision(sanity, label, 5),
        await labelPrecision(libraryLister(c), label, half),
      ];
      row.forEach((x, i) => (totals[i] += x / labelList.length));
      lrows.push([label, String(byLabel.get(label)!.length), ...row, nearest.get(label)!]);
    }
    lrows.push(["mean", String(M.n), ...totals, ""]);
    table(
      "P@20 per label: 5 liked, and half of the label liked (arxiv-cs-2025)",
      ["label", "papers", "recommend(), 5 liked", "centroid, 5 liked", "arxiv-sanity, 5 liked", "recommend(), half liked", "nearest label"],
      lrows,
    );
  }

  // 2. Dislikes: 5 liked + 2 disliked from the nearest label.
  const dislikeModels: Array<[string, Lister, boolean]> = [
    ["papermap vectors: centroid (dislikes ignored)", centroid, false],
    [
      "Rocchio: centroid − 0.5 × disliked centroid",
      scorerLister((liked, disliked) => {
        const a = mean(M, liked);
        const b = mean(M, disliked);
        return M.dots(a.map((x, j) => x - 0.5 * b[j]));
      }),
      true,
    ],
    ["recommend() without the dislikes", libraryLister(c), false],
    ["recommend() with the dislikes", libraryLister(c), true],
    ["recommend() with the dislikes, shift 0.5", libraryLister(c, { dislikeShift: 0.5 }), true],
    ["recommend() with the dislikes, shift 1", libraryLister(c, { dislikeShift: 1 }), true],
    ["recommend() with the dislikes, logistic (previous default)", libraryLister(c, { method: "logistic" }), true],
  ];
  const drows: (string | number)[][] = [];
  for (const [name, list, useDislikes] of only(dislikeModels)) {
    let p = 0;
    let neighbour = 0;
    let trials = 0;
    for (const label of labelList) {
      const near = nearest.get(label)!;
      for (let trial = 0; trial < TRIALS; trial++) {
        const rand = seededRandom(hashString(`${label}/${trial}/dislike`));
        const liked = pickLiked(byLabel.get(label)!, 5, rand);
        const disliked = pickLiked(byLabel.get(near)!, 2, rand);
        const top = (await list(liked, useDislikes ? disliked : [], TOP + 2)).filter((i) => !disliked.includes(i)).slice(0, TOP);
        p += top.filter((i) => labels[i] === label).length / TOP;
        neighbour += top.filter((i) => labels[i] === near).length / TOP;
        trials++;
      }
    }
    drows.push([name, p / trials, neighbour / trials]);
  }
  table(
    "5 liked + 2 disliked papers of the nearest label (arxiv-cs-2025)",
    ["model", "P@20", "share of the disliked label in the top 20"],
    drows,
  );

  // 3. Two unrelated subjects: 3 liked papers of a label and 3 of the label farthest from it.
  const twoModels: Array<[string, Lister]> = [
    ["papermap vectors: centroid", centroid],
    ["arxiv-sanity-lite SVM", sanity],
    ["recommend(): no subject split", libraryLister(c, { splitThreshold: -1e9 })],
    ["recommend(), split factor 0.25", libraryLister(c, { splitThreshold: 0.25 })],
    ...splitVariants(c),
    ["recommend() (default split factor)", libraryLister(c)],
  ];
  const trows: (string | number)[][] = [];
  for (const [name, list] of only(twoModels)) {
    let either = 0;
    let balance = 0;
    let trials = 0;
    for (const label of labelList) {
      const other = farthest.get(label)!;
      for (let trial = 0; trial < TRIALS; trial++) {
        const rand = seededRandom(hashString(`${label}/${trial}/two`));
        const liked = [...pickLiked(byLabel.get(label)!, 3, rand), ...pickLiked(byLabel.get(other)!, 3, rand)];
        const top = await list(liked, [], TOP);
        const a = top.filter((i) => labels[i] === label).length;
        const b = top.filter((i) => labels[i] === other).length;
        either += (a + b) / TOP;
        balance += Math.min(a, b) / (TOP / 2);
        trials++;
      }
    }
    trows.push([name, either / trials, balance / trials]);
  }
  table(
    "Two unrelated subjects: 3 liked papers of a label + 3 of the label farthest from it (arxiv-cs-2025)",
    ["model", "P@20 (either label)", "balance: min(share) / half"],
    trows,
  );
}

// ---------------------------------------------------------------- day by day, with authors

async function days(): Promise<void> {
  const dir = path.join(EVAL_DIR, "arxiv-days-2025-04");
  if (!existsSync(dir)) return void console.log(`\n(${dir} not found: day-by-day section skipped)`);
  const files = readdirSync(dir)
    .filter((f) => f.endsWith(".jsonl"))
    .sort();
  const papers = files.flatMap((f) => loadJsonl(path.join(dir, f)).map((p) => ({ ...p, published: p.day ?? f.slice(0, 10) })));
  const dayList = [...new Set(papers.map((p) => p.published!))].sort();
  const split = dayList[Math.floor(dayList.length / 2)];
  const c = await prepare(papers);
  const { labels } = c;
  const early = (i: number) => c.papers[i].published! < split;
  const late = (i: number) => !early(i);
  const byLabel = new Map<string, number[]>();
  labels.forEach((l, i) => byLabel.set(l, [...(byLabel.get(l) ?? []), i]));
  const labelList = [...byLabel.keys()]
    .filter((l) => byLabel.get(l)!.filter(early).length >= 10 && byLabel.get(l)!.filter(late).length >= 20)
    .sort();
  const authorsOf = c.papers.map((p) => new Set((p.authors ?? []).map(authorKey).filter((a) => a !== "")));

  /** recommend() on the later days, with tuning changes. */
  const lister =
    (tuning: Partial<PaperLibrary["recommendTuning"]>): Lister =>
    async (liked, _d, k) => {
      const saved = { ...c.lib.recommendTuning };
      Object.assign(c.lib.recommendTuning, tuning);
      try {
        const hits = await c.lib.recommend({ liked: liked.map((i) => c.ids[i]), k, filter: { from: split } });
        return hits.map((h) => c.position.get(h.paper.id)!);
      } finally {
        Object.assign(c.lib.recommendTuning, saved);
      }
    };
  const centroid: Lister = scorerLister((liked) => {
    const s = c.M.dots(mean(c.M, liked));
    return s.map((x, i) => (late(i) ? x : -Infinity));
  });
  const models: Array<[string, Lister]> = [
    ["papermap vectors: centroid", centroid],
    ["recommend(): no author signal", lister({ authorWeight: 0 })],
    ["recommend(): no author signal, no subject split", lister({ authorWeight: 0, splitThreshold: -1e9 })],
    ["recommend(): logistic regression (previous default)", lister({ method: "logistic" })],
    ["recommend(): no author signal, no whitened direction", lister({ authorWeight: 0, classifierMinLikes: 1e9 })],
    ["recommend(): author weight 0.1", lister({ authorWeight: 0.1 })],
    ["recommend() (default: author weight 0.3)", lister({})],
  ];

  // Authors with papers on both sides of the split: like their earlier papers, find their later ones.
  const byAuthor = new Map<string, number[]>();
  authorsOf.forEach((set, i) => set.forEach((a) => byAuthor.set(a, [...(byAuthor.get(a) ?? []), i])));
  const followed = [...byAuthor.entries()]
    .filter(([, list]) => list.filter(early).length >= 2 && list.filter(late).length >= 2)
    .sort((a, b) => (a[0] < b[0] ? -1 : 1));
  const sample = followed.filter((_, i) => i % Math.max(1, Math.floor(followed.length / 60)) === 0).slice(0, 60);

  const rows: (string | number)[][] = [];
  for (const [name, list] of only(models)) {
    let p = 0;
    let trials = 0;
    for (const label of labelList) {
      for (let trial = 0; trial < TRIALS; trial++) {
        const liked = pickLiked(byLabel.get(label)!.filter(early), 5, seededRandom(hashString(`${label}/${trial}/days`)));
        const top = await list(liked, [], TOP);
        p += top.filter((i) => labels[i] === label).length / TOP;
        trials++;
      }
    }
    let recall = 0;
    for (const [, list2] of sample) {
      const liked = list2.filter(early);
      const wanted = new Set(list2.filter(late));
      const top = await list(liked, [], TOP);
      recall += top.filter((i) => wanted.has(i)).length / Math.min(TOP, wanted.size);
    }
    rows.push([name, p / trials, sample.length > 0 ? recall / sample.length : Number.NaN]);
  }
  table(
    `Day by day (arxiv-days-2025-04, ${c.papers.length} papers): liked papers from ${dayList[0]}…${dayList[dayList.indexOf(split) - 1]}, recommendations among ${split}…${dayList[dayList.length - 1]}`,
    [
      "model",
      `P@20 (5 liked of a label; ${labelList.length} labels × ${TRIALS})`,
      `author recall@20 (${sample.length} authors: their earlier papers liked, their later ones found)`,
    ],
    rows,
  );
}

// ---------------------------------------------------------------- speed

/** Answers document texts from a table of precomputed vectors. */
class TableEmbedder implements Embedder {
  readonly id = "bench-table";
  constructor(
    readonly dimension: number,
    private readonly table: Map<string, Float32Array>,
  ) {}
  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    return texts.map((t) => this.table.get(t) ?? new Float32Array(this.dimension));
  }
}

async function speed(sizes: number[]): Promise<void> {
  const file = path.join(EVAL_DIR, "arxiv-cs-2025.jsonl");
  if (!existsSync(file)) return;
  const base = loadJsonl(file);
  const c = await prepare(base);
  const rows: (string | number)[][] = [];
  for (const N of sizes) {
    const r = seededRandom(11);
    const gauss = gaussianSampler(r);
    const table = new Map<string, Float32Array>();
    const papers: Paper[] = [];
    for (let i = 0; i < N; i++) {
      const src = base[i % base.length];
      const copy = Math.floor(i / base.length);
      const abstract = copy === 0 ? src.abstract : `${src.abstract} (${copy})`;
      const paper: Paper = { id: copy === 0 ? src.id : `${src.id}#${copy}`, title: src.title, abstract };
      const v = Float32Array.from(c.lib.vector(src.id)!, (x) => x + (copy === 0 ? 0 : 0.04 * gauss()));
      const n = Math.hypot(...v) || 1;
      table.set(
        paperText(paper),
        v.map((x) => x / n),
      );
      papers.push(paper);
    }
    const t0 = performance.now();
    const lib = await PaperLibrary.create(papers, { embedder: new TableEmbedder(c.lib.dimension, table), onNotice: () => {} });
    const createMs = performance.now() - t0;
    const byLabel = new Map<string, string[]>();
    base.forEach((p) => byLabel.set(p.label, [...(byLabel.get(p.label) ?? []), p.id]));
    const labelList = [...byLabel.keys()].sort();
    for (const [what, make] of [
      ["1 like", (l: string, rand: () => number) => pickIds(byLabel.get(l)!, 1, rand)],
      ["5 likes", (l: string, rand: () => number) => pickIds(byLabel.get(l)!, 5, rand)],
      ["20 likes", (l: string, rand: () => number) => pickIds(byLabel.get(l)!, 20, rand)],
      [
        "3 + 3 likes, two labels",
        (l: string, rand: () => number) => [
          ...pickIds(byLabel.get(l)!, 3, rand),
          ...pickIds(byLabel.get(labelList[(labelList.indexOf(l) + 9) % labelList.length])!, 3, rand),
        ],
      ],
      [
        "100 likes",
        (_l: string, rand: () => number) =>
          pickIds(
            base.map((p) => p.id),
            100,
            rand,
          ),
      ],
    ] as const) {
      for (const changed of what === "5 likes" ? [false, true] : [false]) {
        const times: number[] = [];
        for (let t = 0; t < 18; t++) {
          const liked = make(labelList[t % labelList.length], seededRandom(hashString(`${what}/${t}`)));
          if (changed) {
            // Remove and add back one paper (not liked): the library's statistics are computed again.
            const other = papers[(t * 7919) % papers.length];
            if (!liked.includes(other.id)) {
              await lib.remove(other.id);
              await lib.add([other]);
            }
          }
          const t1 = performance.now();
          await lib.recommend({ liked, k: 20 });
          times.push(performance.now() - t1);
        }
        times.sort((a, b) => a - b);
        const name = changed ? `${what}, each right after the library changed (its mean and covariance computed again)` : what;
        rows.push([`${N}`, name, times[Math.floor(times.length / 2)], times[times.length - 1]]);
      }
    }
    rows.push([`${N}`, "(create the library, vectors precomputed)", createMs, "–"]);
  }
  table(
    "Time per recommend({ k: 20 }) (lexical vectors of the eval papers, repeated with noise; 18 calls each)",
    ["papers", "liked", "p50 ms", "max ms"],
    rows,
  );
}

function pickIds(list: string[], n: number, rand: () => number): string[] {
  const pool = [...list];
  const out: string[] = [];
  while (out.length < n && pool.length > 0) out.push(pool.splice(Math.floor(rand() * pool.length), 1)[0]);
  return out;
}

// ---------------------------------------------------------------- main

console.log(`papermap recommendation benchmark — ${new Date().toISOString()} — node ${process.version}, ${os.cpus().length} CPUs`);
if (SECTIONS.has("quality")) await quality();
if (SECTIONS.has("days")) await days();
const sizes = [...(SECTIONS.has("speed") ? [5_000] : []), ...(SECTIONS.has("100k") ? [100_000] : [])];
if (sizes.length > 0) await speed(sizes);
