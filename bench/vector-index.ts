/**
 * Benchmark of the HNSW vector index (`npm run bench:index`).
 *
 * Data: 384-d unit vectors with the structure of text embeddings — a seeded hierarchy of
 * topics (24 fields → 12 subtopics each → papers, Zipf-weighted) in a 48-dimensional latent
 * space, mapped into 384-d by a fixed random linear map, plus isotropic noise (chosen so that
 * the graph needs a real ef: at ef=10 recall@10 is well below 0.99). Queries are fresh draws from the same
 * distribution (not in the index). Everything is measured in one run. Latencies are process CPU
 * time (other processes on a shared machine cannot inflate it); still, compare ratios within a
 * table rather than absolute times across runs.
 *
 * Sections: (1) exact scan vs graph crossover, (2) per-N build / save / open / query for the
 * defaults, with exact baselines (plain-JS scan and hnswlib's C++ BruteforceSearch) and an ef
 * sweep, (3) filtered search (exact scan of the accepted ids vs graph) at 10,000 and 100,000,
 * (4) M / efConstruction at 10,000, (5) open-then-query vs rebuild-then-query at 10,000.
 *
 * Env: BENCH_SIZES=1000,10000,100000 (default) to choose the sizes of section 2.
 */
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdtemp, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import v8 from "node:v8";
import vm from "node:vm";
import hnswlib from "hnswlib-node";
import { FlatVectorStore } from "../src/vector-index/exact.js";
import { HNSW_DEFAULTS, HnswIndex, INDEX_FILE, META_FILE } from "../src/vector-index/hnsw.js";
import type { VectorHit } from "../src/vector-index/types.js";
import { seededRandom } from "../src/text/random.js";
import { embeddingLikeVectors, markdownTable } from "./common.js";

const D = 384;
const LATENT = 48;
const SPREAD = 1.0;
const NOISE = 0.5;
const K = 10;
const SIZES = (process.env.BENCH_SIZES ?? "1000,10000,100000").split(",").map(Number);
const MAX_N = Math.max(...SIZES, 10_000);
const EF_SWEEP = [10, 16, 32, 64, 96, 128, 200, 256, 400];

// ---------- seeded data ----------
const rng = seededRandom;

/** A generator of embedding-like unit vectors: 24 fields × 12 subtopics, Zipf-weighted. */
function embeddingLike(seed: number): (n: number) => Float32Array[] {
  return embeddingLikeVectors(seed, { dimension: D, latent: LATENT, fields: 24, subtopics: 12, spread: SPREAD, noise: NOISE });
}

// ---------- helpers ----------
v8.setFlagsFromString("--expose-gc");
const gc = vm.runInNewContext("gc") as () => void;
/**
 * Process CPU time (user + system, all threads) in ms: the machine is shared, and CPU time is
 * what other processes cannot inflate. Wall time is kept for the total and for save/open.
 */
const now = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const wall = () => performance.now();
function pct(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}
const ms = (x: number) => (x < 1 ? x.toFixed(3) : x < 100 ? x.toFixed(2) : x.toFixed(0));
const mb = (bytes: number) => (bytes / 1e6).toFixed(1);
function recall(found: VectorHit[], truth: VectorHit[]): number {
  const t = new Set(truth.map((h) => h.id));
  return found.filter((h) => t.has(h.id)).length / Math.max(1, truth.length);
}
const table = markdownTable;
async function sha256(file: string): Promise<string> {
  const h = createHash("sha256");
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 22 })) h.update(chunk as Buffer);
  return h.digest("hex");
}
function buildGraph(vectors: Float32Array[], opts: { M?: number; efConstruction?: number } = {}) {
  const t = now();
  const index = HnswIndex.create({ dimension: D, embedderId: "bench", capacity: vectors.length, ...opts });
  index.addMany(vectors.map((v, i) => [`p${i}`, v] as const));
  return { index, seconds: (now() - t) / 1000 };
}
function flatOf(vectors: Float32Array[]): FlatVectorStore {
  const flat = new FlatVectorStore(D, vectors.length);
  vectors.forEach((v, i) => flat.set(`p${i}`, v));
  return flat;
}
async function timeQueries(index: HnswIndex, queries: Float32Array[], truth: VectorHit[][]) {
  const times: number[] = [];
  let r = 0;
  for (let i = 0; i < queries.length; i++) {
    const t = now();
    const hits = await index.search(queries[i], { k: K, strategy: "graph" });
    times.push(now() - t);
    r += recall(hits, truth[i]);
  }
  return { p50: pct(times, 50), p99: pct(times, 99), recall: r / queries.length };
}

// ---------- run ----------
const started = wall();
const tmp = await mkdtemp(path.join(os.tmpdir(), "papermap-bench-index-"));
console.log(`# Vector index benchmark (hnswlib-node ${"3.0.0"}, ${D}-d, k=${K}, ${os.cpus().length} cores, Node ${process.version})\n`);
console.log("Times are process CPU time (user + system, all threads), not wall time, unless marked: the machine is shared and noisy.\n");
console.log(
  `Defaults under test: M=${HNSW_DEFAULTS.M}, efConstruction=${HNSW_DEFAULTS.efConstruction}, ef=${HNSW_DEFAULTS.ef}, exactThreshold=${HNSW_DEFAULTS.exactThreshold}\n`,
);

const t0 = wall();
const draw = embeddingLike(42);
const pool = draw(MAX_N);
const queryPool = draw(500);
console.log(`Generated ${MAX_N} + 500 vectors in ${((wall() - t0) / 1000).toFixed(1)} s (wall).`);
{
  // Describe the data so the reader can judge how "embedding-like" it is.
  const flat = flatOf(pool.slice(0, 10_000));
  const q = queryPool.slice(0, 100);
  const top = q.map((v) => flat.search(v, K));
  const r = rng(7);
  let random = 0;
  for (let i = 0; i < 1000; i++) {
    const a = pool[Math.floor(r() * 10_000)];
    const b = pool[Math.floor(r() * 10_000)];
    let s = 0;
    for (let d = 0; d < D; d++) s += a[d] * b[d];
    random += s / 1000;
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  console.log(
    `Data at N=10,000: mean cosine of a query's nearest neighbour ${mean(top.map((h) => h[0].similarity)).toFixed(3)}, ` +
      `of its 10th ${mean(top.map((h) => h[K - 1].similarity)).toFixed(3)}, of a random pair ${random.toFixed(3)}.\n`,
  );
}

// (1) Crossover: exact JS scan vs graph search at the default ef.
console.log("## 1. Exact scan vs graph search at small N (p50 per query, interleaved)\n");
{
  const rows: (string | number)[][] = [];
  const queries = queryPool.slice(0, 300);
  for (const n of [100, 250, 500, 1000, 2000, 4000]) {
    const vectors = pool.slice(0, n);
    const { index } = buildGraph(vectors);
    const flat = flatOf(vectors);
    const g: number[] = [];
    const e: number[] = [];
    let r = 0;
    for (const q of queries) {
      let t = now();
      const truth = flat.search(q, K);
      e.push(now() - t);
      t = now();
      const hits = await index.search(q, { k: K, strategy: "graph" });
      g.push(now() - t);
      r += recall(hits, truth);
    }
    const ratio = pct(e, 50) / pct(g, 50);
    rows.push([n, ms(pct(e, 50)), ms(pct(g, 50)), ratio.toFixed(2), (r / queries.length).toFixed(4)]);
  }
  table(["N", "exact JS scan p50 ms", `graph (ef=${HNSW_DEFAULTS.ef}) p50 ms`, "scan / graph", "graph recall@10"], rows);
}

// (2) Per N: build, save, open, query, baselines, ef sweep; filtered search at 10k and 100k.
const defaultsRows: (string | number)[][] = [];
const buildRows: (string | number)[][] = [];
const sweepRows: (string | number)[][] = [];
const filterRows: (string | number)[][] = [];
let tenK: { index: HnswIndex; vectors: Float32Array[]; queries: Float32Array[]; truth: VectorHit[][] } | undefined;
for (const n of SIZES) {
  console.error(`[bench] N=${n}: building...`);
  const vectors = pool.slice(0, n);
  const queries = queryPool.slice(0, n >= 100_000 ? 200 : 500);
  gc();
  const rss0 = process.memoryUsage().rss;
  const { index, seconds } = buildGraph(vectors);
  gc();
  const rssIndex = process.memoryUsage().rss - rss0;

  const dir = path.join(tmp, `n${n}`);
  let t = now();
  let w = wall();
  await index.save(dir);
  const saveMs = now() - t;
  const saveWall = wall() - w;
  const fileBytes = (await stat(path.join(dir, INDEX_FILE))).size;
  const metaBytes = (await stat(path.join(dir, META_FILE))).size;
  t = now();
  await sha256(path.join(dir, INDEX_FILE));
  const hashMs = now() - t;
  t = now();
  w = wall();
  const reopened = await HnswIndex.open(dir, { embedderId: "bench", dimension: D });
  const openMs = now() - t;
  const openWall = wall() - w;
  buildRows.push([
    n.toLocaleString("en"),
    seconds.toFixed(1),
    Math.round(n / seconds).toLocaleString("en"),
    mb(fileBytes),
    mb(metaBytes),
    rssIndex > 0 ? mb(rssIndex) : "n/a",
    mb(n * D * 4),
    `${ms(saveMs)} / ${ms(saveWall)}`,
    `${ms(openMs)} / ${ms(openWall)}`,
    ms(hashMs),
  ]);

  // Exact baselines, interleaved with the index so that they share the machine's noise.
  const flat = flatOf(vectors);
  const bf = new hnswlib.BruteforceSearch("cosine", D);
  bf.initIndex(n);
  vectors.forEach((v, i) => bf.addPoint(Array.from(v), i));
  // Ground truth first, then the three methods in alternating blocks of 25 queries, so that
  // each sees the machine's noise alike and runs with its own data in cache.
  const truth = queries.map((q) => flat.search(q, K));
  const tj: number[] = [];
  const tb: number[] = [];
  const tg: number[] = [];
  let rg = 0;
  let same = 0;
  for (let from = 0; from < queries.length; from += 25) {
    const block = queries.slice(from, from + 25);
    for (const q of block) {
      t = now();
      flat.search(q, K);
      tj.push(now() - t);
    }
    for (const q of block) {
      const a = Array.from(q);
      t = now();
      bf.searchKnn(a, K);
      tb.push(now() - t);
    }
    for (let i = 0; i < block.length; i++) {
      t = now();
      const hits = await index.search(block[i], { k: K });
      tg.push(now() - t);
      rg += recall(hits, truth[from + i]);
    }
  }
  for (const q of queries.slice(0, 50)) {
    if (JSON.stringify(await reopened.search(q, { k: K })) === JSON.stringify(await index.search(q, { k: K }))) same++;
  }
  defaultsRows.push([
    n.toLocaleString("en"),
    n <= HNSW_DEFAULTS.exactThreshold ? "exact scan" : `graph, ef=${HNSW_DEFAULTS.ef}`,
    ms(pct(tg, 50)),
    ms(pct(tg, 99)),
    (rg / queries.length).toFixed(4),
    ms(pct(tj, 50)),
    ms(pct(tb, 50)),
    (pct(tj, 50) / pct(tg, 50)).toFixed(1),
    (pct(tb, 50) / pct(tg, 50)).toFixed(1),
    `${same}/50`,
  ]);

  for (const ef of EF_SWEEP) {
    index.ef = ef;
    const r = await timeQueries(index, queries, truth);
    sweepRows.push([
      n.toLocaleString("en"),
      ef,
      ms(r.p50),
      ms(r.p99),
      r.recall.toFixed(4),
      (pct(tj, 50) / r.p50).toFixed(1),
      (pct(tb, 50) / r.p50).toFixed(1),
    ]);
  }
  index.ef = HNSW_DEFAULTS.ef;

  if (n >= 10_000) {
    console.error(`[bench] N=${n}: filtered search...`);
    const fq = queries.slice(0, n >= 100_000 ? 30 : 100);
    const exactUpTo = Math.max(HNSW_DEFAULTS.exactThreshold, HNSW_DEFAULTS.filteredExactFactor * Math.sqrt(n));
    for (const share of [0.9, 0.5, 0.3, 0.2, 0.1, 0.05, 0.02, 0.01, 0.001]) {
      const every = Math.round(1 / share);
      const filter = (id: string) => Number(id.slice(1)) % every === 0;
      const truths = fq.map((q) => flat.search(q, K, flat.rowsWhere(filter)));
      const cells: string[] = [];
      for (const strategy of ["auto", "graph", "exact"] as const) {
        const times: number[] = [];
        let r = 0;
        for (let i = 0; i < fq.length; i++) {
          t = now();
          const hits = await index.search(fq[i], { k: K, filter, strategy });
          times.push(now() - t);
          r += recall(hits, truths[i]);
        }
        cells.push(ms(pct(times, 50)));
        if (strategy !== "exact") cells.push((r / fq.length).toFixed(4));
      }
      filterRows.push([n.toLocaleString("en"), `${share * 100}%`, Math.round(n / every) <= exactUpTo ? "exact" : "graph", ...cells]);
    }
  }

  if (n === 10_000) tenK = { index, vectors, queries, truth };
  await rm(dir, { recursive: true, force: true });
  console.error(`[bench] N=${n} done at ${((wall() - started) / 1000).toFixed(0)} s`);
}

console.log("## 2. Build, save and open (defaults)\n");
table(
  [
    "N",
    "build s",
    "inserts/s",
    "index file MB",
    "meta.json MB",
    "RSS growth MB (graph + Float32 copy)",
    "raw vectors MB",
    "save ms (CPU / wall)",
    "open ms (CPU / wall)",
    "SHA-256 alone ms",
  ],
  buildRows,
);
console.log(`## 3. Query with all defaults (exact baselines measured in the same loop)\n`);
table(
  [
    "N",
    "path",
    "p50 ms",
    "p99 ms",
    "recall@10",
    "JS scan p50 ms",
    "C++ brute force p50 ms",
    "× vs JS scan",
    "× vs brute force",
    "reopened = built",
  ],
  defaultsRows,
);
console.log("## 4. ef sweep (graph only; built with the default M / efConstruction)\n");
table(["N", "ef", "p50 ms", "p99 ms", "recall@10", "× vs JS scan", "× vs brute force"], sweepRows);
if (filterRows.length) {
  console.log(
    `## 5. Filtered search (p50 ms; each strategy over all queries in turn; "auto" scans exactly when at most ` +
      `max(${HNSW_DEFAULTS.exactThreshold}, ${HNSW_DEFAULTS.filteredExactFactor}·√N) ids pass, judged on a 256-id sample)\n`,
  );
  table(
    ["N", "ids passing", "auto path (by share)", "auto p50", "auto recall@10", "graph p50", "graph recall@10", "exact p50"],
    filterRows,
  );
}

if (tenK) {
  // (4) M / efConstruction at 10k.
  console.error("[bench] parameter sweep at 10k...");
  const { vectors, queries, truth } = tenK;
  const rows: (string | number)[][] = [];
  for (const [M, efConstruction] of [
    [8, 200],
    [16, 100],
    [16, 200],
    [32, 100],
    [32, 200],
  ]) {
    const { index, seconds } = buildGraph(vectors, { M, efConstruction });
    const dir = path.join(tmp, `m${M}-${efConstruction}`);
    await index.save(dir);
    const bytes = (await stat(path.join(dir, INDEX_FILE))).size;
    await rm(dir, { recursive: true, force: true });
    const cells: string[] = [];
    for (const ef of [32, 64, 128]) {
      index.ef = ef;
      const r = await timeQueries(index, queries, truth);
      cells.push(`${r.recall.toFixed(4)} / ${ms(r.p50)}`);
    }
    rows.push([M, efConstruction, seconds.toFixed(1), Math.round(vectors.length / seconds).toLocaleString("en"), mb(bytes), ...cells]);
  }
  console.log("## 6. M and efConstruction at N=10,000 (recall@10 / p50 ms)\n");
  table(["M", "efConstruction", "build s", "inserts/s", "file MB", "ef=32", "ef=64", "ef=128"], rows);

  // (5) open-then-query vs rebuild-then-query.
  console.error("[bench] open vs rebuild at 10k...");
  const dir = path.join(tmp, "reopen");
  await tenK.index.save(dir);
  const q = queries.slice(0, 100);
  const reps: (string | number)[][] = [];
  for (let rep = 0; rep < 3; rep++) {
    let t = now();
    const opened = await HnswIndex.open(dir, { embedderId: "bench", dimension: D });
    const openMs = now() - t;
    await opened.search(q[0], { k: K });
    const openFirst = now() - t;
    for (const x of q.slice(1)) await opened.search(x, { k: K });
    const open100 = now() - t;
    t = now();
    const { index: rebuilt } = buildGraph(vectors);
    const buildMs = now() - t;
    await rebuilt.search(q[0], { k: K });
    const buildFirst = now() - t;
    for (const x of q.slice(1)) await rebuilt.search(x, { k: K });
    const build100 = now() - t;
    reps.push([
      rep + 1,
      ms(openMs),
      ms(openFirst),
      ms(open100),
      ms(buildMs),
      ms(buildFirst),
      ms(build100),
      (buildFirst / openFirst).toFixed(0),
    ]);
  }
  await rm(dir, { recursive: true, force: true });
  console.log("## 7. Open-then-query vs rebuild-then-query at N=10,000 (ms)\n");
  table(
    [
      "run",
      "open",
      "open + 1st query",
      "open + 100 queries",
      "rebuild",
      "rebuild + 1st query",
      "rebuild + 100 queries",
      "rebuild / open (1st query)",
    ],
    reps,
  );

  // get(): a copy from the Float32 store vs hnswlib's getPoint.
  const ids = Array.from({ length: 2000 }, (_, i) => `p${i}`);
  let t = now();
  for (const id of ids) tenK.index.get(id);
  const getUs = ((now() - t) / ids.length) * 1000;
  const native = new hnswlib.HierarchicalNSW("cosine", D);
  native.initIndex(2000);
  vectors.slice(0, 2000).forEach((v, i) => native.addPoint(Array.from(v), i));
  t = now();
  for (let i = 0; i < 2000; i++) Float32Array.from(native.getPoint(i));
  const pointUs = ((now() - t) / 2000) * 1000;
  console.log(
    `get(id): ${getUs.toFixed(1)} µs per call from the Float32 copy; hnswlib getPoint → Float32Array would take ${pointUs.toFixed(1)} µs.\n`,
  );
}

await rm(tmp, { recursive: true, force: true });
console.log(`Total bench time: ${((wall() - started) / 1000).toFixed(0)} s (wall).`);
