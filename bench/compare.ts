/**
 * papermap's vector index side by side with the two JavaScript tools people would otherwise
 * pick for "related papers over a listing" (`npm run bench:compare`):
 *
 * - **papermap** `HnswIndex` with its defaults (hnswlib-node, M=16, efConstruction=200, ef=200);
 * - **LangChain.js** `HNSWLib` store (`@langchain/community`): the same hnswlib-node graph
 *   (M=16, efConstruction=200) but it never sets ef, so searches run at hnswlib's default
 *   ef=10 (max(ef, k) in practice). A query-only row shows the same loaded store with ef=200
 *   set by hand on its native index, to separate "ef" from "wrapper";
 * - **Vectra** `LocalIndex`: a JSON file holding every vector; a query scans every item in JS.
 *
 * The two other tools are installed at run time into a cache folder under the system temp
 * folder (see bench/compare-deps.ts); they are not dependencies of papermap.
 *
 * Data: (a) the eval corpora (arXiv cs 2025 + arXiv 2007) embedded with papermap's default
 * offline embedder (`LexicalEmbedder`), queried with the papers themselves (related-paper
 * queries: k=11, the paper itself dropped, 10 kept); (b) seeded 384-d clustered
 * "embedding-like" unit vectors at each N of BENCH_COMPARE_SIZES, queried with fresh draws
 * (k=10). Vectors are computed before anything is timed. Each tool gets its vectors in its
 * own input type (Float32Array for papermap, number[] for the others).
 *
 * Measured per tool and N, in one run, tools alternated: build, save (and bytes on disk),
 * load (open the saved store), per-query latency p50/p99 (query blocks interleaved across
 * tools), and recall@10 against an exact Float32 scan computed once (ties at the 10th
 * similarity count as hits). The machine is shared and noisy: read the ratios.
 *
 * Env: BENCH_COMPARE_SIZES=10000,50000 (synthetic sizes; the default), PAPERMAP_EVAL_DIR
 * (corpora folder). 100,000 is not in the default: on a busy 2-core machine the default run
 * takes about 7 minutes, and 100,000 (two HNSW builds of ~2 minutes each, Vectra's quadratic
 * inserts) would take it well past 10; add it with BENCH_COMPARE_SIZES=10000,50000,100000.
 */
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import v8 from "node:v8";
import vm from "node:vm";
import { LexicalEmbedder } from "../src/embed/lexical.js";
import { paperText } from "../src/paper.js";
import { HNSW_DEFAULTS, HnswIndex } from "../src/vector-index/hnsw.js";
import {
  COMPARE_CACHE_DIR,
  loadComparedTools,
  type LcDocument,
  type LcEmbeddings,
  type LcHnswStore,
  type VectraIndex,
} from "./compare-deps.js";
import { seededRandom } from "../src/text/random.js";
import { EVAL_DIR, embeddingLikeVectors, markdownTable } from "./common.js";

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const CORPORA = ["arxiv-cs-2025.jsonl", "arxiv-all-2007.jsonl"];
const SIZES = (process.env.BENCH_COMPARE_SIZES ?? "10000,50000")
  .split(",")
  .map((s) => Number(s.trim()))
  .filter((n) => Number.isInteger(n) && n > 0);
const D = 384;
const K = 10;
/** Query blocks: every tool runs block b before any tool runs block b + 1. */
const BLOCKS = 5;
/** Vectra's queries get at most this much time per data set (at least 100 queries). */
const VECTRA_QUERY_BUDGET_MS = 20_000;

v8.setFlagsFromString("--expose-gc");
const gc = vm.runInNewContext("gc") as () => void;
const now = () => performance.now();
const started = now();
const log = (line: string) => console.error(`[compare ${((now() - started) / 1000).toFixed(0)}s] ${line}`);

// ---------- seeded embedding-like vectors ----------
const rng = seededRandom;
/** Embedding-like unit vectors (see `embeddingLikeVectors`): 30 fields × 10 subtopics in a 48-d latent space. */
function clusteredGenerator(seed: number, dim = D): (n: number) => Float32Array[] {
  return embeddingLikeVectors(seed, { dimension: dim, latent: 48, fields: 30, subtopics: 10, spread: 1, noise: 0.5 });
}

// ---------- exact ground truth (plain Float32 scan, computed once per data set) ----------
interface Truth {
  /** Rows of the K nearest neighbours (the query's own row excluded). */
  rows: Int32Array;
  /** Similarity of the K-th neighbour. */
  kth: number;
}
function unitRows(vectors: readonly Float32Array[], dim: number): Float32Array {
  const flat = new Float32Array(vectors.length * dim);
  vectors.forEach((v, i) => {
    let n = 0;
    for (let d = 0; d < dim; d++) n += v[d] * v[d];
    const s = n > 0 ? 1 / Math.sqrt(n) : 0;
    for (let d = 0; d < dim; d++) flat[i * dim + d] = v[d] * s;
  });
  return flat;
}
/** Dot product of row `row` of `flat` with `q` (dim a multiple of 4). */
function dotRow(flat: Float32Array, row: number, q: Float32Array, dim: number): number {
  const o = row * dim;
  let a = 0;
  let b = 0;
  let c = 0;
  let e = 0;
  for (let d = 0; d < dim; d += 4) {
    a += flat[o + d] * q[d];
    b += flat[o + d + 1] * q[d + 1];
    c += flat[o + d + 2] * q[d + 2];
    e += flat[o + d + 3] * q[d + 3];
  }
  return a + b + c + e;
}
function exactTopK(flat: Float32Array, dim: number, q: Float32Array, self: number): Truth {
  const count = flat.length / dim;
  const sims = new Float64Array(K).fill(-Infinity);
  const rows = new Int32Array(K).fill(-1);
  for (let i = 0; i < count; i++) {
    if (i === self) continue;
    const s = dotRow(flat, i, q, dim);
    if (s <= sims[K - 1]) continue;
    let j = K - 1;
    while (j > 0 && sims[j - 1] < s) {
      sims[j] = sims[j - 1];
      rows[j] = rows[j - 1];
      j--;
    }
    sims[j] = s;
    rows[j] = i;
  }
  return { rows, kth: sims[K - 1] };
}

// ---------- stats and printing ----------
function pct(values: readonly number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}
const fmtMs = (x: number) => (x < 1 ? x.toFixed(3) : x < 100 ? x.toFixed(2) : x.toFixed(0));
const fmtS = (ms: number) => (ms / 1000).toFixed(ms < 10_000 ? 2 : 1);
const fmtMB = (bytes: number) => (bytes / 1e6).toFixed(bytes < 10e6 ? 2 : 1);
const table = markdownTable;
async function dirBytes(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    total += entry.isDirectory() ? await dirBytes(p) : (await stat(p)).size;
  }
  return total;
}
function errorText(e: unknown): string {
  const name = e instanceof Error ? e.constructor.name : typeof e;
  const message = e instanceof Error ? e.message : String(e);
  const short = message.replace(/"[^"]*papermap-bench-compare-run[^"]*"/g, '"<dir>"');
  return `${name}: ${short.length > 140 ? `${short.slice(0, 137)}...` : short}`;
}

// ---------- the tools behind one small interface ----------
const tools = loadComparedTools(log);
/** The LangChain store is handed vectors, never texts: its embeddings object must not be called. */
const stubEmbeddings: LcEmbeddings = {
  embedDocuments: () => Promise.reject(new Error("the benchmark passes vectors, not texts")),
  embedQuery: () => Promise.reject(new Error("the benchmark passes vectors, not texts")),
};

interface DataSet {
  name: string;
  /** Vector length (a multiple of 4). */
  dimension: number;
  ids: string[];
  vectors: Float32Array[];
  /** The same vectors as number[] (what LangChain and Vectra take). */
  arrays: number[][];
  queries: Float32Array[];
  queryArrays: number[][];
  /** Row of each query in the data set (dropped from its results), or -1 for a fresh query. */
  querySelf: number[];
  embedderId: string;
}
interface Measured {
  tool: string;
  buildMs?: number;
  /** CPU time of the build (user + system, all threads): less disturbed by other processes than wall time. */
  buildCpuMs?: number;
  saveMs?: number;
  bytes?: number;
  loadMs?: number;
  times: number[];
  recallSum: number;
  failure?: string;
}
/** One tool on one data set: build it, save it, open the save, answer query i. */
interface ToolRun {
  name: string;
  build(): Promise<void>;
  save(dir: string): Promise<void>;
  load(dir: string): Promise<void>;
  /** Ids of the hits for query i, best first (k = K, or K + 1 when the query is a stored row). */
  query(i: number, k: number): Promise<string[]>;
  /** Sets the search ef of the loaded store's native index (LangChain only). */
  setEf?(ef: number): void;
  /** Drops the built instance (the loaded one is kept). */
  dropBuilt(): void;
}

function papermapRun(data: DataSet): ToolRun {
  let built: HnswIndex | undefined;
  let loaded: HnswIndex | undefined;
  return {
    name: "papermap HnswIndex",
    async build() {
      built = HnswIndex.create({ dimension: data.dimension, embedderId: data.embedderId });
      built.addMany(data.ids.map((id, i) => [id, data.vectors[i]] as const));
    },
    async save(dir) {
      await built!.save(dir);
    },
    async load(dir) {
      loaded = await HnswIndex.open(dir, { embedderId: data.embedderId, dimension: data.dimension });
    },
    async query(i, k) {
      return (await loaded!.search(data.queries[i], { k })).map((h) => h.id);
    },
    dropBuilt() {
      built = undefined;
    },
  };
}

function langchainRun(data: DataSet): ToolRun {
  let built: LcHnswStore | undefined;
  let loaded: LcHnswStore | undefined;
  return {
    name: "LangChain HNSWLib",
    async build() {
      const docs: LcDocument[] = data.ids.map((id) => new tools.Document({ pageContent: id, metadata: {} }));
      built = new tools.HNSWLib(stubEmbeddings, { space: "cosine", numDimensions: data.dimension });
      await built.addVectors(data.arrays, docs);
    },
    async save(dir) {
      await built!.save(dir);
    },
    async load(dir) {
      loaded = await tools.HNSWLib.load(dir, stubEmbeddings);
    },
    async query(i, k) {
      return (await loaded!.similaritySearchVectorWithScore(data.queryArrays[i], k)).map(([doc]) => doc.pageContent);
    },
    setEf(ef) {
      loaded!.index.setEf(ef);
    },
    dropBuilt() {
      built = undefined;
    },
  };
}

function vectraRun(data: DataSet, folder: string): ToolRun {
  let built: VectraIndex | undefined;
  let loaded: VectraIndex | undefined;
  return {
    name: "Vectra LocalIndex",
    // Vectra's index lives in a folder from the start: createIndex writes an empty index.json,
    // inserts happen in memory inside beginUpdate/endUpdate, and endUpdate writes the file.
    async build() {
      built = new tools.LocalIndex(folder);
      await built.createIndex({ version: 1, deleteIfExists: true });
      await built.beginUpdate();
      for (let i = 0; i < data.ids.length; i++) await built.insertItem({ id: data.ids[i], vector: data.arrays[i], metadata: {} });
    },
    async save() {
      await built!.endUpdate();
    },
    async load() {
      loaded = new tools.LocalIndex(folder);
      await loaded.getIndexStats(); // reads and parses index.json
    },
    async query(i, k) {
      return (await loaded!.queryItems(data.queryArrays[i], "", k)).map((h) => h.item.id);
    },
    dropBuilt() {
      built = undefined;
    },
  };
}

// ---------- one data set, every tool ----------
async function measure(data: DataSet, rotation: number, work: string): Promise<Measured[]> {
  const dim = data.dimension;
  const flat = unitRows(data.vectors, dim);
  const unitQueries = unitRows(data.queries, dim);
  const queryOf = (i: number) => unitQueries.subarray(i * dim, (i + 1) * dim);
  const rowOf = new Map(data.ids.map((id, i) => [id, i] as const));
  let t = now();
  const truth = data.queries.map((_, i) => exactTopK(flat, dim, queryOf(i), data.querySelf[i]));
  log(`${data.name}: exact top-${K} of ${data.queries.length} queries in ${((now() - t) / 1000).toFixed(1)} s`);

  const dirs = { pm: path.join(work, "papermap"), lc: path.join(work, "langchain"), vx: path.join(work, "vectra") };
  const main = [papermapRun(data), langchainRun(data), vectraRun(data, dirs.vx)];
  const dirOf = new Map<ToolRun, string>([
    [main[0], dirs.pm],
    [main[1], dirs.lc],
    [main[2], dirs.vx],
  ]);
  const order = main.map((_, i) => main[(i + rotation) % main.length]);
  const results = new Map<ToolRun, Measured>(main.map((r) => [r, { tool: r.name, times: [], recallSum: 0 }]));

  for (const run of order) {
    const m = results.get(run)!;
    try {
      gc();
      log(`${data.name}: ${run.name} build`);
      t = now();
      const cpu = process.cpuUsage();
      await run.build();
      m.buildMs = now() - t;
      const used = process.cpuUsage(cpu);
      m.buildCpuMs = (used.user + used.system) / 1000;
      t = now();
      await run.save(dirOf.get(run)!);
      m.saveMs = now() - t;
      m.bytes = await dirBytes(dirOf.get(run)!);
    } catch (e) {
      m.failure = errorText(e);
      log(`${data.name}: ${run.name} failed: ${m.failure}`);
    }
    run.dropBuilt();
  }
  for (const run of order) {
    const m = results.get(run)!;
    if (m.failure) continue;
    try {
      gc();
      t = now();
      await run.load(dirOf.get(run)!);
      m.loadMs = now() - t;
    } catch (e) {
      m.failure = errorText(e);
    }
  }

  const queryRuns = order.filter((r) => !results.get(r)!.failure);
  const selfQuery = data.querySelf[0] >= 0;
  const k = selfQuery ? K + 1 : K;
  const answer = async (run: ToolRun, i: number): Promise<{ ms: number; ids: string[] }> => {
    const t0 = now();
    const ids = await run.query(i, k);
    return { ms: now() - t0, ids };
  };
  // Warm-up (untimed), and Vectra's query count from its warm-up speed.
  let vectraQueries = data.queries.length;
  for (const run of queryRuns) {
    t = now();
    for (let i = 0; i < 10; i++) await answer(run, data.queries.length - 1 - i);
    if (run === main[2])
      vectraQueries = Math.min(data.queries.length, Math.max(100, Math.floor(VECTRA_QUERY_BUDGET_MS / ((now() - t) / 10))));
  }
  const efRow: Measured = { tool: `LangChain HNSWLib, ef=${HNSW_DEFAULTS.ef} set by hand (query only)`, times: [], recallSum: 0 };
  const perBlock = Math.ceil(data.queries.length / BLOCKS);
  for (let b = 0; b < BLOCKS; b++) {
    const from = b * perBlock;
    const to = Math.min(data.queries.length, from + perBlock);
    for (const run of queryRuns) {
      const m = results.get(run)!;
      const end = run === main[2] ? Math.min(to, from + Math.ceil(vectraQueries / BLOCKS)) : to;
      const variants: [Measured, number | undefined][] =
        run === main[1]
          ? [
              [m, undefined],
              [efRow, HNSW_DEFAULTS.ef],
            ]
          : [[m, undefined]];
      for (const [row, ef] of variants) {
        if (ef !== undefined) run.setEf!(ef);
        for (let i = from; i < end; i++) {
          const { ms, ids } = await answer(run, i);
          row.times.push(ms);
          row.recallSum += recallOf(ids, i);
        }
        if (ef !== undefined) run.setEf!(10); // hnswlib's default, where LangChain leaves it
      }
    }
  }
  return [...main.map((r) => results.get(r)!), ...(results.get(main[1])!.failure ? [] : [efRow])];

  function recallOf(ids: string[], i: number): number {
    const self = data.querySelf[i];
    const kept = ids.filter((id) => rowOf.get(id) !== self).slice(0, K);
    const q = queryOf(i);
    const tr = truth[i];
    const truthSet = new Set(tr.rows);
    let hits = 0;
    for (const id of new Set(kept)) {
      const row = rowOf.get(id);
      if (row === undefined) continue;
      // A hit is in the true top K, or ties with its K-th similarity.
      if (truthSet.has(row) || dotRow(flat, row, q, dim) >= tr.kth - 1e-5) hits++;
    }
    return hits / K;
  }
}

// ---------- behaviour, checked live on a small store ----------
interface Behaviour {
  files: string;
  otherDimension: string;
  otherModel: string;
  scores: string;
  ef: string;
  resave: string;
}
async function behaviour(work: string): Promise<Record<string, Behaviour>> {
  const n = 300;
  const modelA = clusteredGenerator(1)(n);
  const [modelB, added] = clusteredGenerator(2)(2); // same dimension, another "model"; `added` is stored by the re-save check
  const other256 = clusteredGenerator(3, 256)(1)[0]; // another model with 256 dimensions
  const ids = modelA.map((_, i) => `a${i}`);
  const arrays = modelA.map((v) => Array.from(v));
  const tryIt = async (f: () => Promise<string>) => {
    try {
      return await f();
    } catch (e) {
      return `throws ${errorText(e)}`;
    }
  };
  const inode = async (file: string) => (await stat(file)).ino;
  const listing = async (dir: string) => (await readdir(dir)).sort().join(", ");
  const resaved = (before: number, after: number) =>
    before === after ? "rewrites its files in place (same inode)" : "writes new files and renames them into place (new inode)";
  const kind = (id: string, score: number) =>
    `${Math.abs(score - 1) < 1e-3 ? "similarity" : Math.abs(score) < 1e-3 ? "distance" : "score"} (query = stored vector ${id}: ${score.toFixed(3)})`;
  const answered = (count: number, top: number) => `opens and answers: ${count} hits, top score ${top.toFixed(3)}, no error`;
  const out: Record<string, Behaviour> = {};

  {
    const dir = path.join(work, "behaviour-papermap");
    const index = HnswIndex.create({ dimension: D, embedderId: "model-a" });
    index.addMany(ids.map((id, i) => [id, modelA[i]] as const));
    await index.save(dir);
    const before = await inode(path.join(dir, "index.hnsw"));
    index.add("extra", added);
    await index.save(dir);
    const after = await inode(path.join(dir, "index.hnsw"));
    const opened = await HnswIndex.open(dir);
    const self = (await opened.search(modelA[0], { k: 1 }))[0];
    out.papermap = {
      files: await listing(dir),
      otherDimension: await tryIt(async () => {
        await HnswIndex.open(dir, { dimension: 256 });
        return "opens";
      }),
      otherModel: await tryIt(async () => {
        await HnswIndex.open(dir, { embedderId: "model-b", dimension: D });
        return "opens";
      }),
      scores: kind(self.id, self.similarity),
      ef: `${opened.ef} (saved with the index)`,
      resave: resaved(before, after),
    };
  }
  {
    const dir = path.join(work, "behaviour-langchain");
    const store = new tools.HNSWLib(stubEmbeddings, { space: "cosine", numDimensions: D });
    await store.addVectors(
      arrays,
      ids.map((id) => new tools.Document({ pageContent: id, metadata: {} })),
    );
    await store.save(dir);
    const before = await inode(path.join(dir, "hnswlib.index"));
    await store.addVectors([Array.from(added)], [new tools.Document({ pageContent: "extra", metadata: {} })]);
    await store.save(dir);
    const after = await inode(path.join(dir, "hnswlib.index"));
    const opened = await tools.HNSWLib.load(dir, stubEmbeddings);
    const [doc, score] = (await opened.similaritySearchVectorWithScore(arrays[0], 1))[0];
    const argsKeys = Object.keys(JSON.parse(await readFile(path.join(dir, "args.json"), "utf8")) as object).join(", ");
    out.langchain = {
      files: `${await listing(dir)} (args.json keys: ${argsKeys})`,
      otherDimension: await tryIt(async () => {
        const s = await tools.HNSWLib.load(dir, stubEmbeddings);
        const hits = await s.similaritySearchVectorWithScore(Array.from(other256), K);
        return `opens; query ${answered(hits.length, hits[0][1])}`;
      }).then((r) => (r.startsWith("throws") ? `opens (nothing to check); the query ${r}` : r)),
      otherModel: await tryIt(async () => {
        const s = await tools.HNSWLib.load(dir, stubEmbeddings);
        const hits = await s.similaritySearchVectorWithScore(Array.from(modelB), K);
        return answered(hits.length, hits[0][1]);
      }),
      scores: kind(doc.pageContent, score),
      ef: `${opened.index.getEf()} (hnswlib's default; LangChain never sets it)`,
      resave: resaved(before, after),
    };
  }
  {
    const dir = path.join(work, "behaviour-vectra");
    const index = new tools.LocalIndex(dir);
    await index.createIndex({ version: 1, deleteIfExists: true });
    await index.beginUpdate();
    for (let i = 0; i < n; i++) await index.insertItem({ id: ids[i], vector: arrays[i], metadata: {} });
    await index.endUpdate();
    const before = await inode(path.join(dir, "index.json"));
    await index.insertItem({ id: "extra", vector: Array.from(added), metadata: {} });
    const after = await inode(path.join(dir, "index.json"));
    const opened = new tools.LocalIndex(dir);
    const self = (await opened.queryItems(arrays[0], "", 1))[0];
    const topKeys = Object.keys(JSON.parse(await readFile(path.join(dir, "index.json"), "utf8")) as object).join(", ");
    out.vectra = {
      files: `${await listing(dir)} (index.json keys: ${topKeys})`,
      otherDimension: await tryIt(async () => {
        const hits = await new tools.LocalIndex(dir).queryItems(Array.from(other256), "", K);
        return answered(hits.length, hits[0].score);
      }),
      otherModel: await tryIt(async () => {
        const hits = await new tools.LocalIndex(dir).queryItems(Array.from(modelB), "", K);
        return answered(hits.length, hits[0].score);
      }),
      scores: kind(self.item.id, self.score),
      ef: "n/a (every query scans every item)",
      resave: resaved(before, after),
    };
  }
  return out;
}

// ---------- data sets ----------
function asDataSet(
  name: string,
  ids: string[],
  vectors: Float32Array[],
  queries: Float32Array[],
  querySelf: number[],
  embedderId: string,
): DataSet {
  return {
    name,
    dimension: vectors[0].length,
    ids,
    vectors,
    arrays: vectors.map((v) => Array.from(v)),
    queries,
    queryArrays: queries.map((v) => Array.from(v)),
    querySelf,
    embedderId,
  };
}

/**
 * The eval corpora embedded with papermap's default offline embedder. The vectors are cached
 * in the compare cache folder, keyed by the corpora and the embedder's source files, because
 * fitting takes about a minute on a busy machine and is not what is compared.
 */
async function realDataSet(): Promise<{ data: DataSet; note: string } | undefined> {
  const files = CORPORA.map((f) => path.join(EVAL_DIR, f));
  if (!files.every((f) => existsSync(f))) return undefined;
  const texts: string[] = [];
  const ids: string[] = [];
  const key = createHash("sha256");
  for (const file of files) {
    const text = await readFile(file, "utf8");
    key.update(text);
    for (const line of text.split("\n")) {
      if (!line.trim()) continue;
      const p = JSON.parse(line) as { id: string; title: string; abstract: string };
      ids.push(p.id);
      texts.push(paperText(p));
    }
  }
  const sources = [path.join(REPO, "src/paper.ts"), path.join(REPO, "src/embed/lexical.ts")];
  for (const dir of [path.join(REPO, "src/text")]) for (const f of (await readdir(dir)).sort()) sources.push(path.join(dir, f));
  for (const f of sources) if (f.endsWith(".ts")) key.update(await readFile(f));
  const cacheFile = path.join(COMPARE_CACHE_DIR, `lexical-vectors-${key.digest("hex").slice(0, 16)}.bin`);
  let vectors: Float32Array[];
  let embedderId: string;
  let dim: number;
  let note: string;
  if (existsSync(cacheFile) && existsSync(`${cacheFile}.json`)) {
    ({ embedderId, dimension: dim } = JSON.parse(await readFile(`${cacheFile}.json`, "utf8")) as { embedderId: string; dimension: number });
    const bytes = await readFile(cacheFile);
    const all = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
    vectors = ids.map((_, i) => all.slice(i * dim, (i + 1) * dim));
    note = `${embedderId}, ${dim}-d (vectors from the cache of an earlier run with the same corpora and embedder sources)`;
  } else {
    log(`real: fitting LexicalEmbedder on ${texts.length} papers`);
    const t = now();
    const embedder = LexicalEmbedder.fit(texts);
    vectors = await embedder.embed(texts);
    embedderId = embedder.id;
    dim = embedder.dimension;
    note = `${embedderId}, ${dim}-d (fitted and embedded in ${((now() - t) / 1000).toFixed(0)} s)`;
    const all = new Float32Array(vectors.length * dim);
    vectors.forEach((v, i) => all.set(v, i * dim));
    await writeFile(cacheFile, Buffer.from(all.buffer));
    await writeFile(`${cacheFile}.json`, JSON.stringify({ embedderId, dimension: dim }));
  }
  // Queries: up to 500 papers (seeded sample, skipping all-zero vectors) asking for their related papers.
  const r = rng(11);
  const candidates = ids.map((_, i) => i).filter((i) => vectors[i].some((x) => x !== 0));
  for (let i = candidates.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [candidates[i], candidates[j]] = [candidates[j], candidates[i]];
  }
  const rows = candidates.slice(0, 500);
  return {
    data: asDataSet(
      `arXiv eval, ${dim}-d`,
      ids,
      vectors,
      rows.map((i) => vectors[i]),
      rows,
      embedderId,
    ),
    note,
  };
}

// ---------- run ----------
const cell = (s: string) => s.replace(/\|/g, "\\|");
const work = await mkdtemp(path.join(os.tmpdir(), "papermap-bench-compare-run-"));
try {
  console.log(`# papermap vs LangChain.js HNSWLib vs Vectra: related-paper search\n`);
  console.log(
    `Versions: ${Object.entries(tools.versions)
      .map(([n, v]) => `${n} ${v}`)
      .join(
        ", ",
      )}; papermap HnswIndex defaults M=${HNSW_DEFAULTS.M}, efConstruction=${HNSW_DEFAULTS.efConstruction}, ef=${HNSW_DEFAULTS.ef}. ` +
      `Node ${process.version}, ${os.cpus().length} cores, load average at start ${os.loadavg()[0].toFixed(1)}` +
      `${tools.installSeconds > 0 ? `; installing the compared packages took ${tools.installSeconds.toFixed(0)} s` : ""}.\n`,
  );

  log("behaviour checks");
  const b = await behaviour(work);

  const plans: { label: string; make: () => Promise<{ data: DataSet; note: string } | undefined> }[] = [
    { label: "real", make: realDataSet },
  ];
  if (SIZES.length > 0) {
    const maxN = Math.max(...SIZES);
    let pool: Float32Array[] | undefined;
    let queries: Float32Array[] | undefined;
    for (const n of SIZES) {
      plans.push({
        label: `synthetic ${n}`,
        make: async () => {
          if (!pool) {
            const t = now();
            const draw = clusteredGenerator(42);
            pool = draw(maxN);
            queries = draw(400);
            log(`generated ${maxN} + 400 synthetic vectors in ${((now() - t) / 1000).toFixed(1)} s`);
          }
          const q = queries!.slice(0, n >= 100_000 ? 300 : 400);
          const ids = Array.from({ length: n }, (_, i) => `v${i}`);
          return {
            data: asDataSet(
              `synthetic, ${D}-d`,
              ids,
              pool.slice(0, n),
              q,
              q.map(() => -1),
              "synthetic",
            ),
            note: "seeded clustered unit vectors; queries are fresh draws (not in the index)",
          };
        },
      });
    }
  }

  const sections: { data: DataSet; note: string; rows: Measured[] }[] = [];
  for (let p = 0; p < plans.length; p++) {
    const made = await plans[p].make();
    if (!made) {
      log(`${plans[p].label}: skipped (eval corpora not found in ${EVAL_DIR}; set PAPERMAP_EVAL_DIR)`);
      continue;
    }
    const dir = path.join(work, `set-${p}`);
    await mkdir(dir, { recursive: true });
    const rows = await measure(made.data, p, dir);
    await rm(dir, { recursive: true, force: true });
    sections.push({ data: made.data, note: made.note, rows });
    log(`${made.data.name} N=${made.data.ids.length}: done`);
    gc();
  }

  console.log(`## Build, save, load, query (k=${K})\n`);
  console.log(
    "Build = insert the precomputed vectors (wall time, and CPU time of the process, which other load disturbs less); " +
      "save = write to disk (papermap: to a temporary folder, fsynced, renamed into place; LangChain: its three files in place; " +
      "Vectra: `endUpdate`, which writes index.json in place); load = open the save; latency per query on the loaded store " +
      "(query blocks interleaved across tools); recall@10 against an exact Float32 scan, a tie with the 10th similarity counting as a hit. " +
      "Real data: each query is a paper asking for its related papers (k=11, itself dropped).\n",
  );
  for (const s of sections) console.log(`- ${s.data.name}, N=${s.data.ids.length}: ${s.note}`);
  console.log();
  const resultRows: (string | number)[][] = [];
  for (const s of sections) {
    for (const m of s.rows) {
      const q = m.times.length;
      resultRows.push([
        s.data.name,
        s.data.ids.length,
        m.tool,
        m.buildMs === undefined ? "–" : fmtS(m.buildMs),
        m.buildCpuMs === undefined ? "–" : fmtS(m.buildCpuMs),
        m.saveMs === undefined ? "–" : fmtMs(m.saveMs),
        m.bytes === undefined ? "–" : fmtMB(m.bytes),
        m.loadMs === undefined ? "–" : fmtMs(m.loadMs),
        q,
        q ? fmtMs(pct(m.times, 50)) : "–",
        q ? fmtMs(pct(m.times, 99)) : "–",
        q ? (m.recallSum / q).toFixed(3) : m.failure ? cell(`failed: ${m.failure}`) : "–",
      ]);
    }
  }
  table(
    ["data", "N", "tool", "build s", "build CPU s", "save ms", "on disk MB", "load ms", "queries", "p50 ms", "p99 ms", "recall@10"],
    resultRows,
  );

  console.log(`## Ratios: other tool ÷ papermap (above 1: papermap is faster / smaller)\n`);
  const ratio = (a: number | undefined, b: number | undefined) =>
    a === undefined || b === undefined ? "–" : `${(a / b).toFixed(a / b < 10 ? 2 : 0)}×`;
  const ratioRows: (string | number)[][] = [];
  for (const s of sections) {
    const pm = s.rows[0];
    for (const m of s.rows.slice(1)) {
      const queried = m.times.length > 0 && pm.times.length > 0;
      ratioRows.push([
        s.data.name,
        s.data.ids.length,
        m.tool,
        ratio(m.buildMs, pm.buildMs),
        ratio(m.buildCpuMs, pm.buildCpuMs),
        ratio(m.saveMs, pm.saveMs),
        ratio(m.bytes, pm.bytes),
        ratio(m.loadMs, pm.loadMs),
        queried ? ratio(pct(m.times, 50), pct(pm.times, 50)) : "–",
        queried ? ratio(pct(m.times, 99), pct(pm.times, 99)) : "–",
        queried ? `${(pm.recallSum / pm.times.length).toFixed(3)} vs ${(m.recallSum / m.times.length).toFixed(3)}` : "–",
      ]);
    }
  }
  table(
    ["data", "N", "other tool", "build", "build CPU", "save", "on disk", "load", "p50", "p99", "recall@10 papermap vs other"],
    ratioRows,
  );

  console.log(`## Behaviour (checked live on a ${300}-vector ${D}-d store saved by model "model-a")\n`);
  const cols = [b.papermap, b.langchain, b.vectra];
  table(
    ["", "papermap HnswIndex", "LangChain HNSWLib", "Vectra LocalIndex"],
    [
      ["Opened by code whose embedder makes 256-d vectors", ...cols.map((c) => cell(c.otherDimension))],
      ['Opened by code using another model ("model-b", same 384 dimensions)', ...cols.map((c) => cell(c.otherModel))],
      ["Scores in results", ...cols.map((c) => cell(c.scores))],
      ["Search ef after opening", ...cols.map((c) => cell(c.ef))],
      ["Saving again after adding one vector", ...cols.map((c) => cell(c.resave))],
      ["Files of a save", ...cols.map((c) => cell(c.files))],
    ],
  );
  console.log(`Total run time ${((now() - started) / 1000).toFixed(0)} s (load average now ${os.loadavg()[0].toFixed(1)}).`);
} finally {
  await rm(work, { recursive: true, force: true });
}
