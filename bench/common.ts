/**
 * Helpers shared by the benchmarks: where the evaluation corpora are, and seeded
 * embedding-like vectors.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { seededRandom } from "../src/text/random.js";

/** The repository root. */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** The evaluation corpora: `$PAPERMAP_EVAL_DIR`, else `../shared/eval` beside the repository. */
export const EVAL_DIR = process.env.PAPERMAP_EVAL_DIR ?? path.resolve(REPO_ROOT, "../shared/eval");

/** One labelled paper of an evaluation corpus. */
export interface EvalRecord {
  id: string;
  title: string;
  abstract: string;
  label: string;
}

/**
 * The records of `file` in {@link EVAL_DIR} (JSON lines), or undefined when it is absent.
 * `topLevel` keeps only the field of the label (before the first ".": "math.GT" → "math").
 */
export function loadEvalCorpus(file: string, topLevel = false): EvalRecord[] | undefined {
  const p = path.join(EVAL_DIR, file);
  if (!existsSync(p)) return undefined;
  return readFileSync(p, "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => {
      const o = JSON.parse(l) as EvalRecord;
      return { id: String(o.id), title: o.title, abstract: o.abstract, label: topLevel ? o.label.split(".")[0] : o.label };
    });
}

/** A standard normal sample (Box–Muller, one of the pair) from a uniform generator. */
export function gauss(r: () => number): number {
  return Math.sqrt(-2 * Math.log(r() || 1e-12)) * Math.cos(2 * Math.PI * r());
}

/** Shape of {@link embeddingLikeVectors}' data. */
export interface EmbeddingLikeShape {
  /** Output dimension. */
  dimension: number;
  /** Dimension of the latent topic space. Default 48. */
  latent?: number;
  /** Top-level fields, each with `subtopics` topics (Zipf-weighted). */
  fields: number;
  subtopics: number;
  /** Spread of a paper around its topic in the latent space. Default 1. */
  spread?: number;
  /** Isotropic noise added in the output space. Default 0.5. */
  noise?: number;
}

/**
 * A seeded generator of unit vectors shaped like text embeddings: a hierarchy of topics
 * (fields → subtopics, Zipf-weighted) in a latent space, mapped to `dimension` dimensions
 * by a fixed random matrix, plus isotropic noise. Nearest neighbours are close but not
 * trivially separated, so an HNSW graph needs a real ef. Each call draws `n` more vectors.
 */
export function embeddingLikeVectors(seed: number, shape: EmbeddingLikeShape): (n: number) => Float32Array[] {
  const dim = shape.dimension;
  const latent = shape.latent ?? 48;
  const spread = shape.spread ?? 1;
  const noise = shape.noise ?? 0.5;
  const r = seededRandom(seed);
  const map = Float64Array.from({ length: dim * latent }, () => gauss(r) / Math.sqrt(latent));
  const fields = Array.from({ length: shape.fields }, () => Float64Array.from({ length: latent }, () => gauss(r)));
  const topics = fields.flatMap((f) => Array.from({ length: shape.subtopics }, () => f.map((x) => x + 0.6 * gauss(r))));
  const weights = topics.map((_, i) => 1 / (i + 1) ** 0.7);
  const total = weights.reduce((a, b) => a + b, 0);
  let acc = 0;
  const cdf = weights.map((w) => (acc += w / total));
  const z = new Float64Array(latent);
  return (n) => {
    const out: Float32Array[] = [];
    for (let i = 0; i < n; i++) {
      const u = r();
      let t = cdf.findIndex((c) => c >= u);
      if (t < 0) t = topics.length - 1;
      const topic = topics[t];
      for (let j = 0; j < latent; j++) z[j] = topic[j] + spread * gauss(r);
      const v = new Float32Array(dim);
      let norm = 0;
      for (let d = 0; d < dim; d++) {
        let s = 0;
        const o = d * latent;
        for (let j = 0; j < latent; j++) s += map[o + j] * z[j];
        s += noise * gauss(r);
        v[d] = s;
        norm += s * s;
      }
      norm = Math.sqrt(norm);
      for (let d = 0; d < dim; d++) v[d] /= norm;
      out.push(v);
    }
    return out;
  };
}

/** Prints a Markdown table (cells as given), then a blank line. */
export function markdownTable(headers: string[], rows: (string | number)[][]): void {
  console.log(`| ${headers.join(" | ")} |`);
  console.log(`|${headers.map(() => "---").join("|")}|`);
  for (const r of rows) console.log(`| ${r.join(" | ")} |`);
  console.log();
}

/** Prints a titled Markdown table; numbers get 3 decimals below 10, 1 below 100, none above. */
export function table(title: string, header: string[], rows: (string | number)[][]): void {
  const cells = [header, ...rows.map((r) => r.map((c) => (typeof c === "number" ? fmt(c) : c)))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => String(r[i]).length)));
  console.log(`\n${title}`);
  cells.forEach((r, i) => {
    console.log("| " + r.map((c, j) => String(c).padEnd(widths[j])).join(" | ") + " |");
    if (i === 0) console.log("|" + widths.map((w) => "-".repeat(w + 2)).join("|") + "|");
  });
}

/** A number as the tables print it. */
export function fmt(x: number): string {
  return Math.abs(x) >= 100 ? x.toFixed(0) : Math.abs(x) >= 10 ? x.toFixed(1) : x.toFixed(3);
}
