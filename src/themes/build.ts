/**
 * `buildThemes`: group papers into named themes from their embedding vectors, and assign new
 * papers to those themes later.
 */
import { InvalidArgumentError } from "../errors.js";
import type { Paper } from "../paper.js";
import { clamp01, dot } from "../vector-math.js";
import type { ProgressCallback } from "../progress.js";
import type { Clustering } from "./cluster.js";
import type { WeightedGraph } from "./graph.js";
import { labelThemes } from "./labels.js";
import { clusterVectors } from "./pipeline.js";
import type { Theme, ThemeAssignment, ThemeResult } from "./types.js";

export type { Theme, ThemeAssignment, ThemeResult } from "./types.js";

/** How {@link buildThemes} groups papers. */
export interface ThemeOptions {
  /**
   * Number of themes, or `"auto"` (the default) to let the papers decide: small clusters
   * are merged while merging raises the modularity of the papers' nearest-neighbour graph.
   * A number gives exactly that many themes (fewer only when fewer papers have distinct
   * vectors, or when `minSize` merges some); it must be between 1 and the number of papers.
   */
  k?: number | "auto";
  /** Seed of every random choice (default 1): the same input and seed give the same themes. */
  seed?: number;
  /**
   * Themes with fewer papers are merged into the theme they are most linked to (this wins
   * over `k`: you may get fewer themes than asked). Default with a fixed `k`: 2 (no
   * single-paper themes) when there are at least 4 papers per theme, else 1; with `"auto"`:
   * 2 for listings under 100 papers, then n/40, at most 5 (from 180 papers).
   */
  minSize?: number;
  /** Receives `{ stage: "themes", done, total: 3 }` as the work advances (clustering, confidence, labels). */
  onProgress?: ProgressCallback;
}

/** Themes found in a set of papers, and a way to place new papers among them. */
export interface ThemeModel {
  result: ThemeResult;
  /** The number of themes (`result.themes.length`). */
  readonly k: number;
  /**
   * The theme each new paper (given by its embedding vector, same embedder as the themes)
   * belongs to: the nearest theme in the space the themes were clustered in, with a
   * confidence. A vector identical to one of the grouped papers gets that paper's theme.
   */
  assign(vectors: readonly Float32Array[]): ThemeAssignment[];
}

const STAGE = "themes";

/**
 * Groups `papers` (with `vectors[i]` the embedding of `papers[i]`) into themes, names each
 * from the words of its papers, and returns them with a model that assigns new papers.
 *
 * Every paper gets a theme; `confidence` is low for papers far from their theme's centre or
 * whose nearest neighbours lie mostly in other themes. Deterministic for a given seed.
 *
 * @throws InvalidArgumentError when the vectors do not match the papers, contain non-finite
 *   numbers or differ in length, when paper ids repeat, or when `k`/`minSize`/`seed` are out of range.
 */
export async function buildThemes(
  papers: readonly Paper[],
  vectors: readonly Float32Array[],
  options: ThemeOptions = {},
): Promise<ThemeModel> {
  const n = papers.length;
  const { k, seed, onProgress } = checkOptions(options, n);
  if (vectors.length !== n) {
    throw new InvalidArgumentError(
      `buildThemes got ${n} papers but ${vectors.length} vectors; pass one embedding vector per paper, in the same order.`,
    );
  }
  const dimension = checkVectors(vectors, "buildThemes");
  const ids = new Set<string>();
  for (const p of papers) {
    if (ids.has(p.id)) {
      throw new InvalidArgumentError(`Paper id "${p.id}" appears twice; themes need unique paper ids.`);
    }
    ids.add(p.id);
  }
  const minSize = options.minSize ?? (k === "auto" ? defaultAutoMinSize(n) : n >= 4 * k ? 2 : 1);
  const progress = (done: number, message: string) => onProgress?.({ stage: STAGE, done, total: 3, unit: "steps", message });

  const unit = vectors.map(toUnit);
  const placed: number[] = [];
  const unplaced: number[] = [];
  unit.forEach((v, i) => (v ? placed : unplaced).push(i));

  // Theme of each placed paper, and what assign() needs to place new papers.
  let themeOf: Int32Array = new Int32Array(placed.length);
  let space: ReducedSpace | undefined;
  progress(0, "clustering: neighbour graph, spectral embedding, k-means, merging");
  if (placed.length > 0) {
    const wantK = k === "auto" ? "auto" : Math.min(k, placed.length);
    const trivial = wantK === 1 || placed.length <= 2 || (wantK === "auto" && placed.length < 2 * minSize);
    if (wantK === placed.length) {
      themeOf = Int32Array.from(placed, (_, i) => i);
    } else if (!trivial) {
      await tick();
      const result = clusterVectors(
        placed.map((i) => unit[i]!),
        {
          k: wantK,
          seed,
          minSize,
          maxK: wantK === "auto" ? autoMaxK(placed.length, minSize) : undefined,
        },
      );
      themeOf = result.labels;
      space = {
        graph: result.graph,
        micro: result.micro,
        microTheme: result.microTheme,
        eigenvalues: result.eigenvalues,
        eigenvectors: result.eigenvectors,
        degrees: result.degrees,
      };
    }
  }
  progress(1, "centres and confidence");
  await tick();

  // Themes, largest first; ties by first member.
  const members = new Map<number, number[]>();
  placed.forEach((paperIndex, i) => {
    const t = themeOf[i];
    if (!members.has(t)) members.set(t, []);
    members.get(t)!.push(paperIndex);
  });
  const order = [...members.keys()].sort(
    (a, b) => members.get(b)!.length - members.get(a)!.length || members.get(a)![0] - members.get(b)![0],
  );
  const groups = order.map((t) => members.get(t)!);
  if (unplaced.length > 0) {
    // Papers without a usable vector (no known term) join the largest theme, with confidence 0.
    if (groups.length === 0) groups.push([]);
    groups[0].push(...unplaced);
    groups[0].sort((a, b) => a - b);
  }

  const themeIndexOf = new Int32Array(n).fill(-1);
  groups.forEach((g, t) => g.forEach((i) => (themeIndexOf[i] = t)));
  const centres = groups.map((g) => centreOf(g.map((i) => unit[i]), dimension));
  const placedPosition = new Int32Array(n).fill(-1);
  placed.forEach((paperIndex, i) => (placedPosition[paperIndex] = i));

  // Closeness to the theme centre, relative to the theme's median member.
  const closenessRaw = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = unit[i];
    closenessRaw[i] = v ? Math.max(0, dot(v, centres[themeIndexOf[i]])) : 0;
  }
  const reference = groups.map((g) => median(g.filter((i) => unit[i]).map((i) => closenessRaw[i])) || 1);
  const share = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const pos = placedPosition[i];
    if (pos < 0) continue;
    share[i] = space ? neighbourShare(space.graph, pos, themeOf, 1) : 1;
  }
  const confidence = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (!unit[i]) continue;
    const closeness = Math.min(1, closenessRaw[i] / reference[themeIndexOf[i]]);
    confidence[i] = clamp01(closeness * share[i]);
  }

  progress(2, "labels");
  const names = labelThemes(papers, groups);
  const themes: Theme[] = groups.map((g, t) => {
    const byCloseness = [...g].sort((a, b) => closenessRaw[b] - closenessRaw[a] || a - b);
    const byTypicality = [...g].sort(
      (a, b) => closenessRaw[b] * share[b] - closenessRaw[a] * share[a] || a - b,
    );
    return {
      id: `theme-${t + 1}`,
      label: names[t].label,
      keywords: names[t].keywords,
      size: g.length,
      papers: byCloseness.map((i) => papers[i]),
      representative: byTypicality.slice(0, 3).map((i) => papers[i]),
    };
  });
  const assignments = new Map<string, ThemeAssignment>();
  for (let i = 0; i < n; i++) {
    assignments.set(papers[i].id, { themeId: themes[themeIndexOf[i]].id, confidence: confidence[i] });
  }
  progress(3, "done");

  const placedVectors = placed.map((i) => unit[i]!);
  const placedTheme = Int32Array.from(placed, (i) => themeIndexOf[i]);
  const placedConfidence = Float64Array.from(placed, (i) => confidence[i]);
  // Micro-cluster → final theme index (themes were re-ordered by size).
  const remap = new Map<number, number>();
  order.forEach((t, idx) => remap.set(t, idx));

  const model: ThemeModel = {
    result: { themes, assignments },
    k: themes.length,
    assign(newVectors) {
      checkVectors(newVectors, "assign", dimension);
      if (themes.length === 0) {
        throw new InvalidArgumentError("There are no themes to assign papers to: the themes were built from 0 papers.");
      }
      return newVectors.map((raw) => {
        const v = toUnit(raw);
        if (!v) return { themeId: themes[0].id, confidence: 0 };
        // Nearest grouped papers (cosine); an identical one decides outright.
        const neighbours = nearest(placedVectors, v, space ? knnOf(space.graph) : 5);
        if (neighbours.length === 0) return { themeId: themes[0].id, confidence: 0 };
        if (neighbours[0].similarity >= 1 - 1e-9) {
          const j = neighbours[0].index;
          return { themeId: themes[placedTheme[j]].id, confidence: placedConfidence[j] };
        }
        let t: number;
        if (space) {
          const micro = nearestMicro(space, neighbours);
          t = remap.get(space.microTheme[micro])!;
        } else {
          t = voteTheme(neighbours, placedTheme);
        }
        const closeness = Math.min(1, Math.max(0, dot(v, centres[t])) / reference[t]);
        let same = 0;
        let all = 0;
        for (const nb of neighbours) {
          const w = Math.max(0, nb.similarity);
          all += w;
          if (placedTheme[nb.index] === t) same += w;
        }
        const s = all > 0 ? same / all : 0;
        return { themeId: themes[t].id, confidence: clamp01(closeness * s) };
      });
    },
  };
  return model;
}

interface ReducedSpace {
  graph: WeightedGraph;
  micro: Clustering;
  microTheme: Int32Array;
  eigenvalues: number[];
  eigenvectors: Float64Array[];
  degrees: Float64Array;
}

function checkOptions(options: ThemeOptions, n: number): { k: number | "auto"; seed: number; onProgress?: ProgressCallback } {
  const k = options.k ?? "auto";
  if (k !== "auto") {
    if (typeof k !== "number" || !Number.isInteger(k) || k < 1) {
      throw new InvalidArgumentError(`Theme count k must be a whole number ≥ 1 or "auto"; got ${String(k)}.`);
    }
    if (k > Math.max(n, 1)) {
      throw new InvalidArgumentError(
        `Cannot make ${k} themes from ${n} paper${n === 1 ? "" : "s"}: ask for at most ${Math.max(n, 1)}, or use k: "auto".`,
      );
    }
  }
  const seed = options.seed ?? 1;
  if (typeof seed !== "number" || !Number.isFinite(seed)) {
    throw new InvalidArgumentError(`Theme seed must be a finite number; got ${String(seed)}.`);
  }
  if (options.minSize !== undefined && (!Number.isInteger(options.minSize) || options.minSize < 1)) {
    throw new InvalidArgumentError(`minSize must be a whole number ≥ 1; got ${String(options.minSize)}.`);
  }
  return { k, seed, onProgress: options.onProgress };
}

/** Checks shape and finiteness; returns the common dimension. */
function checkVectors(vectors: readonly Float32Array[], where: string, expected?: number): number {
  let dimension = expected ?? (vectors.length > 0 ? vectors[0].length : 0);
  for (let i = 0; i < vectors.length; i++) {
    const v = vectors[i];
    if (!v || typeof v.length !== "number") {
      throw new InvalidArgumentError(`${where}: vector ${i} is missing; pass one Float32Array per paper.`);
    }
    if (v.length !== dimension) {
      throw new InvalidArgumentError(
        `${where}: vector ${i} has ${v.length} dimensions but ${dimension} were expected; all vectors must come from the same embedder.`,
      );
    }
    for (let j = 0; j < v.length; j++) {
      if (!Number.isFinite(v[j])) {
        throw new InvalidArgumentError(`${where}: vector ${i} holds a non-finite number at position ${j}.`);
      }
    }
  }
  if (expected === undefined && vectors.length === 0) dimension = 0;
  return dimension;
}

/** Default minimum theme size for "auto": 2 under 100 papers, then n/40, at most 5. */
export function defaultAutoMinSize(n: number): number {
  return Math.max(2, Math.min(5, Math.round(n / 40)));
}

/** Upper bound on "auto" themes: no more than n / (2·minSize), and at most 30. */
function autoMaxK(n: number, minSize: number): number {
  return Math.max(1, Math.min(30, Math.floor(n / (2 * minSize))));
}

function toUnit(v: Float32Array): Float64Array | undefined {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] * v[i];
  if (!(s > 1e-24)) return undefined;
  const l = Math.sqrt(s);
  const out = new Float64Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = v[i] / l;
  return out;
}

function centreOf(vs: (Float64Array | undefined)[], dimension: number): Float64Array {
  const c = new Float64Array(dimension);
  for (const v of vs) if (v) for (let j = 0; j < dimension; j++) c[j] += v[j];
  let s = 0;
  for (let j = 0; j < dimension; j++) s += c[j] * c[j];
  const l = Math.sqrt(s);
  if (l > 0) for (let j = 0; j < dimension; j++) c[j] /= l;
  return c;
}

function median(xs: number[]): number {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Share of a point's neighbourhood weight (itself counted with weight `self`) in its own theme. */
function neighbourShare(graph: WeightedGraph, i: number, themeOf: Int32Array, self: number): number {
  let same = self;
  let all = self;
  const nb = graph.neighbours[i];
  const wt = graph.weights[i];
  for (let t = 0; t < nb.length; t++) {
    all += wt[t];
    if (themeOf[nb[t]] === themeOf[i]) same += wt[t];
  }
  return all > 0 ? same / all : 0;
}

function knnOf(graph: WeightedGraph): number {
  let max = 0;
  for (const nb of graph.neighbours) max = Math.max(max, nb.length);
  // The graph is symmetrised, so lists can exceed k; the median list length is near k.
  const lengths = graph.neighbours.map((nb) => nb.length).sort((a, b) => a - b);
  return Math.max(1, Math.min(max, lengths[lengths.length >> 1] || 1));
}

interface Neighbour {
  index: number;
  similarity: number;
}

function nearest(vectors: readonly Float64Array[], v: Float64Array, k: number): Neighbour[] {
  const all: Neighbour[] = vectors.map((u, index) => ({ index, similarity: dot(u, v) }));
  all.sort((a, b) => b.similarity - a.similarity || a.index - b.index);
  return all.slice(0, Math.max(1, k));
}

/**
 * The small cluster nearest to a new point in the spectral space, by the Nyström extension
 * of the embedding: coordinate j is (1/λ_j)·Σ w·u_j / √(d_new·d) over the point's graph
 * neighbours (edge weight w = cosine), then the row is scaled to unit length as the
 * clustered rows were.
 */
function nearestMicro(space: ReducedSpace, neighbours: Neighbour[]): number {
  const m = space.eigenvectors.length;
  const row = new Float64Array(m);
  for (const nb of neighbours) {
    const w = Math.max(0, nb.similarity);
    if (w === 0) continue;
    const scale = w / Math.sqrt(space.degrees[nb.index]);
    for (let j = 0; j < m; j++) row[j] += scale * space.eigenvectors[j][nb.index];
  }
  let s = 0;
  for (let j = 0; j < m; j++) {
    row[j] /= Math.max(1e-3, space.eigenvalues[j] ?? 1);
    s += row[j] * row[j];
  }
  const l = Math.sqrt(s) || 1;
  let best = 0;
  let bestDistance = Infinity;
  space.micro.centres.forEach((c, idx) => {
    let d = 0;
    for (let j = 0; j < m; j++) d += (row[j] / l - c[j]) ** 2;
    if (d < bestDistance - 1e-15) {
      bestDistance = d;
      best = idx;
    }
  });
  return best;
}

function voteTheme(neighbours: Neighbour[], themeOf: Int32Array): number {
  const votes = new Map<number, number>();
  for (const nb of neighbours) votes.set(themeOf[nb.index], (votes.get(themeOf[nb.index]) ?? 0) + Math.max(0, nb.similarity) + 1e-9);
  let best = -1;
  let bestVotes = -1;
  for (const [t, v] of [...votes].sort((a, b) => a[0] - b[0])) {
    if (v > bestVotes) {
      bestVotes = v;
      best = t;
    }
  }
  return best;
}

function tick(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
