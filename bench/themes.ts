/**
 * Themes benchmark: quality of the themes against arXiv categories, the choice of k, and time.
 *
 *   npx tsx bench/themes.ts            (about 15 minutes on a busy 2-core machine, most of it embedding and the k criteria)
 *
 * Everything is measured in one run with the default offline configuration: vectors from
 * `LexicalEmbedder.fit(texts)` + `embed`, texts = `paperText(paper)`.
 *
 * 1. The shipped listing: its themes (label, size, keywords, 3 representative titles).
 * 2. Fixed k = number of labels on `arxiv-cs-2025.jsonl` (18 categories) and
 *    `arxiv-all-2007.jsonl` (18 top-level fields): NMI / ARI of the default pipeline next to
 *    the representations and clusterers it was chosen over; and a small listing of four
 *    2007 fields (40 papers each) with k: 4 and "auto" (the bar the unit test this replaces used: NMI ≥ 0.6 for both).
 * 3. `k: "auto"` on the full corpora and on 60 listing-like samples (40–150 papers drawn from
 *    3–8 categories), next to other criteria for k.
 * 4. Time of `buildThemes` (after embedding) for 82, 3,313 and 10,000 papers.
 *
 * The corpora are read from ../shared/eval beside the repository (or PAPERMAP_EVAL_DIR); without
 * them only parts 1 and 4 (with the listing) run.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { LexicalEmbedder } from "../src/embed/lexical.js";
import { loadDefaultListing } from "../src/ingest/index.js";
import { paperText, type Paper } from "../src/paper.js";
import { buildThemes, defaultAutoMinSize } from "../src/themes/build.js";
import { bestKMeans } from "../src/themes/cluster.js";
import { nearestNeighbours, neighbourGraph, spectralEmbedding } from "../src/themes/graph.js";
import { createRandom } from "../src/themes/linalg.js";
import { ari, cosineSilhouette, nmi } from "../src/themes/metrics.js";
import { clusterVectors, defaultNeighbours } from "../src/themes/pipeline.js";
import { reduceDimensions } from "./pca.js";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const evalDir = process.env.PAPERMAP_EVAL_DIR ?? path.resolve(repoRoot, "../shared/eval");

interface Labelled {
  papers: Paper[];
  labels: string[];
}

function readCorpus(file: string, topLevel: boolean): Labelled | undefined {
  const full = path.join(evalDir, file);
  if (!existsSync(full)) return undefined;
  const rows = readFileSync(full, "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as { id: string; title: string; abstract: string; label: string });
  return {
    papers: rows.map((r) => ({ id: r.id, title: r.title, abstract: r.abstract })),
    labels: rows.map((r) => (topLevel ? r.label.split(".")[0] : r.label)),
  };
}

async function embed(papers: readonly Paper[]): Promise<Float32Array[]> {
  const texts = papers.map(paperText);
  return LexicalEmbedder.fit(texts).embed(texts);
}

const unit64 = (vs: readonly Float32Array[]) =>
  vs.map((v) => {
    const out = Float64Array.from(v);
    const l = Math.hypot(...out);
    if (l > 0) for (let i = 0; i < out.length; i++) out[i] /= l;
    return out;
  });

function time<T>(f: () => T): { value: T; ms: number } {
  const t = performance.now();
  const value = f();
  return { value, ms: performance.now() - t };
}

async function timeAsync<T>(f: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const t = performance.now();
  const value = await f();
  return { value, ms: performance.now() - t };
}

const fmt = (x: number, digits = 3) => x.toFixed(digits);
const sec = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function table(headers: string[], rows: (string | number)[][]): void {
  const cells = [headers, ...rows.map((r) => r.map(String))];
  const widths = headers.map((_, c) => Math.max(...cells.map((r) => r[c].length)));
  const line = (r: string[]) => `| ${r.map((x, c) => x.padEnd(widths[c])).join(" | ")} |`;
  console.log(line(headers));
  console.log(`|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`);
  for (const r of cells.slice(1)) console.log(line(r));
}

function themeLabels(model: Awaited<ReturnType<typeof buildThemes>>, papers: readonly Paper[]): string[] {
  return papers.map((p) => model.result.assignments.get(p.id)!.themeId);
}

/** Alternative criteria for k, for comparison with the default (modularity peak). */
function eigengapK(vectors: Float64Array[], maxK: number): number {
  const g = neighbourGraph(nearestNeighbours(vectors, defaultNeighbours(vectors.length)));
  const values = spectralEmbedding(g, maxK + 1).values;
  let best = 2;
  let bestGap = -Infinity;
  for (let k = 2; k <= Math.min(maxK, values.length - 1); k++) {
    const gap = values[k - 1] - values[k];
    if (gap > bestGap) {
      bestGap = gap;
      best = k;
    }
  }
  return best;
}

function silhouetteK(vectors: Float64Array[], ks: number[]): { k: number; labels: Int32Array } {
  let best: { k: number; labels: Int32Array; score: number } = { k: ks[0], labels: new Int32Array(vectors.length), score: -Infinity };
  for (const k of ks) {
    const labels = clusterVectors(vectors, { k, seed: 1, minSize: 1 }).labels;
    const score = cosineSilhouette(vectors, labels);
    if (score > best.score) best = { k, labels, score };
  }
  return best;
}

async function partListing(): Promise<void> {
  console.log('\n## 1. Themes of the shipped listing (k: "auto", lexical embedder)\n');
  const papers = await loadDefaultListing();
  const vectors = await embed(papers);
  const { value: model, ms } = await timeAsync(() => buildThemes(papers, vectors));
  console.log(`${papers.length} papers → ${model.k} themes in ${ms.toFixed(0)} ms\n`);
  for (const t of model.result.themes) {
    console.log(`### ${t.label} (${t.size} papers)`);
    console.log(`keywords: ${t.keywords.join("; ")}`);
    for (const p of t.representative) console.log(`- ${p.title}`);
    console.log("");
  }
  const confidences = [...model.result.assignments.values()].map((a) => a.confidence).sort((a, b) => a - b);
  console.log(
    `confidence: min ${fmt(confidences[0], 2)}, median ${fmt(confidences[confidences.length >> 1], 2)}, ` +
      `papers below 0.5: ${confidences.filter((c) => c < 0.5).length}`,
  );
}

async function partFixedK(name: string, corpus: Labelled, vectors: Float32Array[]): Promise<void> {
  const k = new Set(corpus.labels).size;
  const v64 = unit64(vectors);
  const rows: (string | number)[][] = [];
  const add = (variant: string, labels: ArrayLike<number | string>, ms: number) =>
    rows.push([variant, fmt(nmi(corpus.labels, Array.from(labels))), fmt(ari(corpus.labels, Array.from(labels))), sec(ms)]);

  const plain = time(() =>
    bestKMeans(
      v64.map((v) => Array.from(v)),
      k,
      { seed: 1, restarts: 5 },
    ),
  );
  add("k-means on the vectors (5 restarts)", plain.value.labels, plain.ms);
  const pca = time(() => {
    const reduced = reduceDimensions(v64, 64, { centre: true }).vectors;
    return bestKMeans(
      reduced.map((v) => Array.from(v)),
      k,
      { seed: 1, restarts: 5 },
    );
  });
  add("k-means on PCA-64 of the vectors", pca.value.labels, pca.ms);
  const spectral = time(() => clusterVectors(v64, { k, seed: 1, minSize: 1, overcluster: 1 }));
  add("spectral k-means (kNN graph, k eigenvectors)", spectral.value.labels, spectral.ms);
  const over2 = time(() => clusterVectors(v64, { k, seed: 1, minSize: 1, overcluster: 2 }));
  add("spectral, 2k clusters merged by modularity", over2.value.labels, over2.ms);
  for (const seed of [1, 2, 3]) {
    const r = await timeAsync(() => buildThemes(corpus.papers, vectors, { k, seed }));
    add(`**default** buildThemes({ k: ${k}, seed: ${seed} }) (3k merged)`, themeLabels(r.value, corpus.papers), r.ms);
  }
  console.log(`\n### ${name}: ${corpus.papers.length} papers, k = ${k} (number of labels)\n`);
  table(["variant", "NMI", "ARI", "time"], rows);
}

/** Four well-separated fields of the 2007 corpus, 40 papers each: a small listing whose themes should be the fields. */
async function partFourFields(all: Labelled): Promise<void> {
  const fields = ["astro-ph", "math", "hep-ph", "quant-ph"];
  const picked = fields.flatMap((f) =>
    all.papers
      .map((p, i) => ({ p, label: all.labels[i] }))
      .filter((x) => x.label === f)
      .slice(0, 40),
  );
  const papers = picked.map((x) => x.p);
  const truth = picked.map((x) => x.label);
  const vectors = await embed(papers);
  const rows: (string | number)[][] = [];
  for (const k of [4, "auto"] as const) {
    const model = await buildThemes(papers, vectors, { k });
    const found = themeLabels(model, papers);
    rows.push([String(k), model.k, fmt(nmi(truth, found)), fmt(ari(truth, found))]);
  }
  console.log(`\n### arxiv-all-2007: 4 fields × 40 papers (${fields.join(", ")})\n`);
  table(["k asked", "themes", "NMI", "ARI"], rows);
}

async function partAutoFull(name: string, corpus: Labelled, vectors: Float32Array[]): Promise<void> {
  const v64 = unit64(vectors);
  const n = v64.length;
  const minSize = defaultAutoMinSize(n);
  const rows: (string | number)[][] = [];
  const add = (criterion: string, labels: ArrayLike<number | string>, ms: number) => {
    const k = new Set(Array.from(labels)).size;
    rows.push([criterion, k, fmt(nmi(corpus.labels, Array.from(labels))), fmt(ari(corpus.labels, Array.from(labels))), sec(ms)]);
  };
  const auto = await timeAsync(() => buildThemes(corpus.papers, vectors, { k: "auto" }));
  add("**default**: modularity peak, γ = 1.25", themeLabels(auto.value, corpus.papers), auto.ms);
  const g1 = time(() => clusterVectors(v64, { k: "auto", seed: 1, minSize, maxK: 30, resolution: 1 }));
  add("modularity peak, γ = 1", g1.value.labels, g1.ms);
  const gap = time(() => {
    const k = eigengapK(v64, 30);
    return clusterVectors(v64, { k, seed: 1, minSize: 1 });
  });
  add("largest eigengap (k ≤ 30)", gap.value.labels, gap.ms);
  const sil = time(() => silhouetteK(v64, [6, 10, 14, 18, 22, 30]));
  add("best cosine silhouette, k ∈ {6,10,14,18,22,30}", sil.value.labels, sil.ms);
  console.log(`\n### ${name}: k: "auto" (${new Set(corpus.labels).size} labels)\n`);
  table(["criterion", "k", "NMI", "ARI", "time"], rows);
}

async function partAutoSamples(cs: Labelled | undefined, all: Labelled | undefined): Promise<void> {
  // The two 2025 pairs that are the same field under two archive names count as one label.
  const same: Record<string, string> = { "eess.AS": "cs.SD", "eess.IV": "cs.CV" };
  const random = createRandom(42);
  interface Sample {
    group: string;
    labels: string[];
    L: number;
    papers: Paper[];
    vectors: Float32Array[];
  }
  const samples: Sample[] = [];
  for (const [tag, corpus] of [
    ["cs-2025", cs],
    ["all-2007", all],
  ] as const) {
    if (!corpus) continue;
    const labels = corpus.labels.map((l) => same[l] ?? l);
    const byLabel = new Map<string, number[]>();
    labels.forEach((l, i) => {
      if (!byLabel.has(l)) byLabel.set(l, []);
      byLabel.get(l)!.push(i);
    });
    const big = [...byLabel]
      .filter(([, v]) => v.length >= 60)
      .map(([l]) => l)
      .sort();
    for (const n of [40, 80, 150]) {
      for (let trial = 0; trial < 10; trial++) {
        const L = 3 + Math.floor(random() * 6);
        const chosen = [...big].sort(() => random() - 0.5).slice(0, L);
        const weights = chosen.map(() => 0.3 + random());
        const total = weights.reduce((a, b) => a + b, 0);
        const idx: number[] = [];
        chosen.forEach((l, j) => {
          const pool = [...byLabel.get(l)!].sort(() => random() - 0.5);
          idx.push(...pool.slice(0, Math.max(3, Math.round((n * weights[j]) / total))));
        });
        const papers = idx.map((i) => corpus.papers[i]);
        samples.push({ group: `${tag}, n≈${n}`, labels: idx.map((i) => labels[i]), L, papers, vectors: await embed(papers) });
      }
    }
  }
  if (samples.length === 0) return;
  const criteria: [string, (s: Sample) => Promise<ArrayLike<number | string>>][] = [
    ["k = number of labels (oracle)", async (s) => themeLabels(await buildThemes(s.papers, s.vectors, { k: s.L }), s.papers)],
    ["**default** auto: modularity peak, γ = 1.25", async (s) => themeLabels(await buildThemes(s.papers, s.vectors), s.papers)],
    [
      "modularity peak, γ = 1",
      async (s) => {
        const n = s.papers.length;
        const minSize = defaultAutoMinSize(n);
        return clusterVectors(unit64(s.vectors), {
          k: "auto",
          seed: 1,
          minSize,
          maxK: Math.min(30, Math.floor(n / (2 * minSize))),
          resolution: 1,
        }).labels;
      },
    ],
    [
      "largest eigengap",
      async (s) => {
        const v = unit64(s.vectors);
        const maxK = Math.min(30, Math.floor(v.length / (2 * defaultAutoMinSize(v.length))));
        return clusterVectors(v, { k: eigengapK(v, maxK), seed: 1, minSize: 1 }).labels;
      },
    ],
    [
      "best cosine silhouette",
      async (s) => {
        const v = unit64(s.vectors);
        const maxK = Math.min(30, Math.floor(v.length / (2 * defaultAutoMinSize(v.length))));
        return silhouetteK(
          v,
          Array.from({ length: maxK - 1 }, (_, i) => i + 2),
        ).labels;
      },
    ],
  ];
  const groups = [...new Set(samples.map((s) => s.group))];
  const rows: (string | number)[][] = [];
  for (const [name, run] of criteria) {
    const perGroup: string[] = [];
    let nmiSum = 0;
    let ariSum = 0;
    let errSum = 0;
    for (const g of groups) {
      const members = samples.filter((s) => s.group === g);
      let gn = 0;
      let gk = 0;
      let gl = 0;
      for (const s of members) {
        const found = await run(s);
        const k = new Set(Array.from(found)).size;
        const a = nmi(s.labels, Array.from(found));
        gn += a;
        gk += k;
        gl += s.L;
        nmiSum += a;
        ariSum += ari(s.labels, Array.from(found));
        errSum += Math.abs(k - s.L);
      }
      perGroup.push(`${fmt(gn / members.length)} (k ${(gk / members.length).toFixed(1)} / ${(gl / members.length).toFixed(1)})`);
    }
    rows.push([name, fmt(nmiSum / samples.length), fmt(ariSum / samples.length), (errSum / samples.length).toFixed(2), ...perGroup]);
  }
  console.log(`\n### k: "auto" on ${samples.length} listing-like samples (3–8 categories each)\n`);
  console.log("Per group: mean NMI (mean k found / mean number of labels).\n");
  table(["criterion", "NMI", "ARI", "mean |k − labels|", ...groups], rows);
}

async function partTime(
  listing: { papers: Paper[]; vectors: Float32Array[] },
  cs?: { papers: Paper[]; vectors: Float32Array[] },
  extra?: { papers: Paper[]; vectors: Float32Array[] },
): Promise<void> {
  const rows: (string | number)[][] = [];
  const measure = async (label: string, papers: Paper[], vectors: Float32Array[]) => {
    for (const k of papers.length > 5000 ? (["auto"] as const) : (["auto", 18] as const)) {
      const r = await timeAsync(() => buildThemes(papers, vectors, { k }));
      rows.push([label, papers.length, String(k), r.value.k, sec(r.ms)]);
    }
  };
  await measure("shipped listing", listing.papers, listing.vectors);
  if (cs) await measure("arxiv-cs-2025", cs.papers, cs.vectors);
  if (cs && extra) {
    // 10,000 papers: both corpora, then copies of them with their vectors slightly perturbed.
    const random = createRandom(7);
    const base = [...cs.papers.map((p, i) => ({ p, v: cs.vectors[i] })), ...extra.papers.map((p, i) => ({ p, v: extra.vectors[i] }))];
    const papers: Paper[] = [];
    const vectors: Float32Array[] = [];
    for (let i = 0; papers.length < 10_000; i++) {
      const { p, v } = base[i % base.length];
      const copy = Math.floor(i / base.length);
      papers.push(copy === 0 ? p : { ...p, id: `${p.id}#${copy}` });
      vectors.push(copy === 0 ? v : v.map((x) => x + 0.01 * (random() - 0.5)));
    }
    await measure("both corpora + perturbed copies", papers, vectors);
  }
  console.log("\n## 4. Time of buildThemes (after embedding)\n");
  table(["input", "papers", "k asked", "themes", "time"], rows);
}

async function main(): Promise<void> {
  console.log("# papermap themes benchmark\n");
  console.log(`Node ${process.version}; default offline configuration (LexicalEmbedder vectors).`);
  await partListing();

  const cs = readCorpus("arxiv-cs-2025.jsonl", false);
  const all = readCorpus("arxiv-all-2007.jsonl", true);
  const listingPapers = await loadDefaultListing();
  const listing = { papers: listingPapers, vectors: await embed(listingPapers) };
  if (!cs && !all) {
    console.log(`\nEvaluation corpora not found in ${evalDir} (set PAPERMAP_EVAL_DIR): quality parts skipped.`);
    await partTime(listing);
    return;
  }
  const embedded: Record<string, Float32Array[]> = {};
  for (const [name, corpus] of [
    ["arxiv-cs-2025", cs],
    ["arxiv-all-2007", all],
  ] as const) {
    if (!corpus) continue;
    const e = await timeAsync(() => embed(corpus.papers));
    embedded[name] = e.value;
    console.log(`\n(embedded ${name}: ${corpus.papers.length} papers in ${sec(e.ms)}, not counted below)`);
  }
  console.log("\n## 2. Fixed k: NMI / ARI against the labels");
  if (cs) await partFixedK("arxiv-cs-2025 (primary category)", cs, embedded["arxiv-cs-2025"]);
  if (all) await partFixedK("arxiv-all-2007 (top-level field)", all, embedded["arxiv-all-2007"]);
  if (all) await partFourFields(all);
  console.log('\n## 3. k: "auto"');
  if (cs) await partAutoFull("arxiv-cs-2025", cs, embedded["arxiv-cs-2025"]);
  if (all) await partAutoFull("arxiv-all-2007", all, embedded["arxiv-all-2007"]);
  await partAutoSamples(cs, all);
  await partTime(
    listing,
    cs ? { papers: cs.papers, vectors: embedded["arxiv-cs-2025"] } : undefined,
    all ? { papers: all.papers, vectors: embedded["arxiv-all-2007"] } : undefined,
  );
}

await main();
