/**
 * The digest map's projection: PCA vs UMAP, measured side by side in one run.
 *
 *   npx tsx bench/report.ts
 *
 * Quality: how much of each paper's neighbourhood survives on the 2-D map (the share of its
 * 10 nearest papers by cosine that are among its 10 nearest dots), and how often a dot's 10
 * nearest dots share its label — on listing-sized samples of the labelled eval corpus
 * (lexical embeddings fitted on each sample) and on the shipped listing (label = theme).
 * Cost: CPU time of each projection at 82, 1,000 and 3,313 papers.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { cpuUsage } from "node:process";
import { fileURLToPath } from "node:url";
import { LexicalEmbedder } from "../src/embed/lexical.js";
import { loadDefaultListing } from "../src/ingest/index.js";
import { PaperLibrary } from "../src/library.js";
import { paperText } from "../src/paper.js";
import { projectPca, projectUmap, seededRandom, type MapPoint } from "../src/report/projection.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const evalDir = process.env.PAPERMAP_EVAL_DIR ?? path.resolve(root, "../shared/eval");
const evalFile = path.join(evalDir, "arxiv-cs-2025.jsonl");

interface Labelled {
  title: string;
  abstract: string;
  label: string;
}

function nearest(points: ArrayLike<number>[], k: number, cosine: boolean): number[][] {
  return points.map((p, i) => {
    const d = points.map((q, j) => {
      let s = 0;
      for (let t = 0; t < p.length; t++) s += cosine ? -p[t] * q[t] : (p[t] - q[t]) ** 2;
      return { j, s: j === i ? Infinity : s };
    });
    return d
      .sort((a, b) => a.s - b.s)
      .slice(0, k)
      .map((x) => x.j);
  });
}

function quality(labels: string[], vectors: Float32Array[], map: MapPoint[]): [number, number] {
  const high = nearest(vectors, 10, true);
  const low = nearest(
    map.map((p) => [p.x, p.y]),
    10,
    false,
  );
  let kept = 0;
  let same = 0;
  high.forEach((h, i) => {
    const onMap = new Set(low[i]);
    kept += h.filter((j) => onMap.has(j)).length / 10;
    same += low[i].filter((j) => labels[j] === labels[i]).length / 10;
  });
  return [kept / labels.length, same / labels.length];
}

function cpuSeconds<T>(fn: () => T): [T, number] {
  const start = cpuUsage();
  const result = fn();
  const used = cpuUsage(start);
  return [result, (used.user + used.system) / 1e6];
}

const rows: string[] = [];
const timing: string[] = [];

async function measure(name: string, labels: string[], vectors: Float32Array[]): Promise<void> {
  const [pca, pcaTime] = cpuSeconds(() => projectPca(vectors));
  const [umap, umapTime] = cpuSeconds(() => projectUmap(vectors, { seed: 42 }));
  if (vectors.length <= 500) {
    const [pk, ps] = quality(labels, vectors, pca);
    const [uk, us] = quality(labels, vectors, umap);
    rows.push(`| ${name} | ${pk.toFixed(3)} | ${uk.toFixed(3)} | ${ps.toFixed(3)} | ${us.toFixed(3)} |`);
  }
  timing.push(`| ${name} | ${pcaTime.toFixed(2)} | ${umapTime.toFixed(2)} | ${(umapTime / pcaTime).toFixed(1)}× |`);
}

const library = await PaperLibrary.create(await loadDefaultListing(), { embedder: "lexical", onNotice: () => {} });
const themes = await library.themes();
const ids = library.papers().map((p) => p.id);
await measure(
  "shipped listing (82), label = theme",
  ids.map((id) => themes.assignments.get(id)!.themeId),
  ids.map((id) => library.vector(id)!),
);

if (existsSync(evalFile)) {
  const corpus = readFileSync(evalFile, "utf8")
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as Labelled);
  const sample = (labels: string[], per: number, seed: number): Labelled[] => {
    const random = seededRandom(seed);
    return labels.flatMap((label) => {
      const pool = corpus.filter((p) => p.label === label);
      return Array.from({ length: Math.min(per, pool.length) }, () => pool.splice(Math.floor(random() * pool.length), 1)[0]);
    });
  };
  const allLabels = [...new Set(corpus.map((p) => p.label))];
  const sets: [string, Labelled[]][] = [
    ["eval: 5 labels × 20", sample(["cs.CV", "cs.CL", "cs.SD", "cs.RO", "cs.CR"], 20, 1)],
    ["eval: 8 labels × 15", sample(["cs.CV", "cs.CL", "cs.SD", "cs.RO", "cs.CR", "cs.GT", "cs.IR", "eess.SY"], 15, 2)],
    ["eval: 18 labels × 20", sample(allLabels, 20, 3)],
    ["eval: 1,000 papers", sample(allLabels, 56, 4).slice(0, 1000)],
    ["eval: all 3,313 papers", corpus],
  ];
  for (const [name, papers] of sets) {
    const texts = papers.map((p) => paperText(p));
    const embedder = LexicalEmbedder.fit(texts);
    await measure(
      `${name} (${papers.length})`,
      papers.map((p) => p.label),
      await embedder.embed(texts),
    );
  }
} else {
  console.log(`(eval corpus not found at ${evalFile}: only the shipped listing is measured)`);
}

console.log("Map quality (higher is better)\n");
console.log("| papers | 10-NN kept, PCA | 10-NN kept, UMAP | map neighbours with the same label, PCA | same, UMAP |");
console.log("|---|---|---|---|---|");
console.log(rows.join("\n"));
console.log("\nProjection CPU time (s)\n");
console.log("| papers | PCA | UMAP | UMAP / PCA |");
console.log("|---|---|---|---|");
console.log(timing.join("\n"));
