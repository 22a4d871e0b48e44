/**
 * `buildThemes`: group papers into named themes from their embedding vectors, and assign new
 * papers to those themes later.
 */
import { InvalidArgumentError } from "../errors.js";
import type { Paper } from "../paper.js";
import { clamp01, dot, median } from "../vector-math.js";
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
  /**
   * Your own namer, off by default (the built-in namer works offline and is used when this is
   * absent). Called once per theme, in theme order, after the built-in naming (so the theme
   * already has its built-in `label`, `subtopics` and `keywords`, which you may use as hints);
   * the string it returns becomes the label. A repeated label gets " (2)", " (3)"…
   *
   * @example
   * ```ts
   * const model = await buildThemes(papers, vectors, {
   *   nameThemes: async (theme) => myLocalLlm(`Name this research theme in 2–4 words:\n${theme.papers.map((p) => p.title).join("\n")}`),
   * });
   * ```
   */
  nameThemes?: (theme: Theme) => Promise<string>;
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
  const { unit, clustering, groups, dimension, progress } = await clusterStep(papers, vectors, options);
  const fit = fitThemes(unit, groups, clustering, dimension);
  progress(2, "labels");
  const themes = describeThemes(papers, groups, fit);
  if (options.nameThemes) await renameThemes(themes, options.nameThemes);
  const assignments = new Map<string, ThemeAssignment>();
  for (let i = 0; i < papers.length; i++) {
    assignments.set(papers[i].id, { themeId: themes[fit.themeIndexOf[i]].id, confidence: fit.confidence[i] });
  }
  progress(3, "done");
  return themeModel({ themes, assignments }, unit, clustering, groups, fit, dimension);
}

/**
 * The grouping `buildThemes` makes, without centres or names: each theme's members (paper
 * indices, ascending; largest theme first, in `buildThemes`' theme order) and each paper's
 * neighbourhood share in its own theme (0 without a usable vector). Same checks and progress
 * as `buildThemes`. @internal
 */
export async function clusterThemes(
  papers: readonly Paper[],
  vectors: readonly Float32Array[],
  options: ThemeOptions = {},
): Promise<{ members: number[][]; share: Float64Array }> {
  const { clustering, groups, progress } = await clusterStep(papers, vectors, options);
  const share = neighbourShares(clustering, papers.length);
  progress(3, "done");
  return { members: groups.members, share };
}

/** Checks, unit vectors, clustering and grouping: the steps `buildThemes` and `clusterThemes` share. */
async function clusterStep(papers: readonly Paper[], vectors: readonly Float32Array[], options: ThemeOptions) {
  const n = papers.length;
  const { k, seed, onProgress } = checkOptions(options, n);
  const dimension = checkInput(papers, vectors);
  const minSize = options.minSize ?? (k === "auto" ? defaultAutoMinSize(n) : n >= 4 * k ? 2 : 1);
  const progress = (done: number, message: string) => onProgress?.({ stage: STAGE, done, total: 3, unit: "steps", message });

  const unit = vectors.map(toUnit);
  progress(0, "clustering: neighbour graph, spectral embedding, k-means, merging");
  const clustering = await clusterPapers(unit, { k, seed, minSize });
  progress(1, "centres and confidence");
  await tick();
  return { unit, clustering, groups: groupBySize(clustering), dimension, progress };
}

/** The clustering of the papers that have a usable vector. */
interface PaperClustering {
  /** Indices of papers with a usable (non-zero) vector, and of those without. */
  placed: number[];
  unplaced: number[];
  /** Cluster of each placed paper (aligned with `placed`). */
  themeOf: Int32Array;
  /** The spectral space the clusters were found in (undefined for trivial clusterings). */
  space?: ReducedSpace;
}

/** Step 1: clusters the papers with a usable vector (trivially when there are too few). */
async function clusterPapers(
  unit: readonly (Float64Array | undefined)[],
  { k, seed, minSize }: { k: number | "auto"; seed: number; minSize: number },
): Promise<PaperClustering> {
  const placed: number[] = [];
  const unplaced: number[] = [];
  unit.forEach((v, i) => (v ? placed : unplaced).push(i));
  const out: PaperClustering = { placed, unplaced, themeOf: new Int32Array(placed.length) };
  if (placed.length === 0) return out;
  const wantK = k === "auto" ? "auto" : Math.min(k, placed.length);
  const trivial = wantK === 1 || placed.length <= 2 || (wantK === "auto" && placed.length < 2 * minSize);
  if (wantK === placed.length) {
    out.themeOf = Int32Array.from(placed, (_, i) => i);
  } else if (!trivial) {
    await tick();
    const result = clusterVectors(
      placed.map((i) => unit[i]!),
      { k: wantK, seed, minSize, maxK: wantK === "auto" ? autoMaxK(placed.length, minSize) : undefined },
    );
    out.themeOf = result.labels;
    out.space = {
      graph: result.graph,
      micro: result.micro,
      microTheme: result.microTheme,
      eigenvalues: result.eigenvalues,
      eigenvectors: result.eigenvectors,
      degrees: result.degrees,
    };
  }
  return out;
}

/** The themes' members (paper indices), largest theme first (ties: by first member); cluster ids in that order. */
interface Groups {
  members: number[][];
  /** Cluster id of each theme, aligned with `members`. */
  clusterIds: number[];
}

/**
 * Step 2: the themes as lists of papers, largest first; papers without a usable vector (no
 * known term) join the largest theme.
 */
function groupBySize(clustering: PaperClustering): Groups {
  const byCluster = new Map<number, number[]>();
  clustering.placed.forEach((paperIndex, i) => {
    const t = clustering.themeOf[i];
    if (!byCluster.has(t)) byCluster.set(t, []);
    byCluster.get(t)!.push(paperIndex);
  });
  const clusterIds = [...byCluster.keys()].sort(
    (a, b) => byCluster.get(b)!.length - byCluster.get(a)!.length || byCluster.get(a)![0] - byCluster.get(b)![0],
  );
  const members = clusterIds.map((t) => byCluster.get(t)!);
  if (clustering.unplaced.length > 0) {
    if (members.length === 0) members.push([]);
    members[0].push(...clustering.unplaced);
    members[0].sort((a, b) => a - b);
  }
  return { members, clusterIds };
}

/** Where each paper sits in its theme. */
interface ThemeFit {
  /** Theme index of each paper. */
  themeIndexOf: Int32Array;
  /** Unit centre of each theme. */
  centres: Float64Array[];
  /** Cosine of each paper to its theme centre (0 without a vector). */
  closeness: Float64Array;
  /** Median closeness of each theme's members (1 when 0). */
  reference: number[];
  /** Share of each paper's neighbourhood in its own theme (1 without a graph). */
  share: Float64Array;
  /** In [0, 1]: relative closeness × neighbourhood share. */
  confidence: Float64Array;
}

/** Step 3: centres, closeness, neighbourhood share and confidence of every paper. */
function fitThemes(unit: readonly (Float64Array | undefined)[], groups: Groups, clustering: PaperClustering, dimension: number): ThemeFit {
  const n = unit.length;
  const themeIndexOf = new Int32Array(n).fill(-1);
  groups.members.forEach((g, t) => g.forEach((i) => (themeIndexOf[i] = t)));
  const centres = groups.members.map((g) =>
    centreOf(
      g.map((i) => unit[i]),
      dimension,
    ),
  );
  // Closeness to the theme centre, relative to the theme's median member.
  const closeness = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = unit[i];
    closeness[i] = v ? Math.max(0, dot(v, centres[themeIndexOf[i]])) : 0;
  }
  const reference = groups.members.map((g) => median(g.filter((i) => unit[i]).map((i) => closeness[i])) || 1);
  const share = neighbourShares(clustering, n);
  const confidence = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (!unit[i]) continue;
    confidence[i] = clamp01(Math.min(1, closeness[i] / reference[themeIndexOf[i]]) * share[i]);
  }
  return { themeIndexOf, centres, closeness, reference, share, confidence };
}

/** Share of each placed paper's neighbourhood in its own cluster (1 without a graph; 0 for unplaced papers). */
function neighbourShares(clustering: PaperClustering, n: number): Float64Array {
  const share = new Float64Array(n);
  const { space, themeOf } = clustering;
  clustering.placed.forEach((paperIndex, pos) => {
    share[paperIndex] = space ? neighbourShare(space.graph, pos, themeOf, 1) : 1;
  });
  return share;
}

/** Step 4: names, members by closeness, and representatives of each theme. */
function describeThemes(papers: readonly Paper[], groups: Groups, fit: ThemeFit): Theme[] {
  const names = labelThemes(papers, groups.members);
  const { closeness, share } = fit;
  return groups.members.map((g, t) => {
    const byCloseness = [...g].sort((a, b) => closeness[b] - closeness[a] || a - b);
    const byTypicality = [...g].sort((a, b) => closeness[b] * share[b] - closeness[a] * share[a] || a - b);
    return {
      id: `theme-${t + 1}`,
      label: names[t].label,
      subtopics: names[t].subtopics,
      keywords: names[t].keywords,
      size: g.length,
      papers: byCloseness.map((i) => papers[i]),
      representative: byTypicality.slice(0, 3).map((i) => papers[i]),
    };
  });
}

/**
 * Optional step 5: labels from the caller's namer, one theme at a time in theme order. A
 * label equal to an earlier theme's gets " (2)", " (3)"… so that labels stay unique.
 */
async function renameThemes(themes: Theme[], nameThemes: NonNullable<ThemeOptions["nameThemes"]>): Promise<void> {
  const seen = new Map<string, number>();
  for (const theme of themes) {
    const name = await nameThemes(theme);
    if (typeof name !== "string" || name.trim() === "") {
      throw new InvalidArgumentError(
        `nameThemes returned ${typeof name === "string" ? "an empty label" : `a ${typeof name}`} for ${theme.id} ("${theme.label}"); return a non-empty string.`,
      );
    }
    let label = name.trim();
    const key = label.toLowerCase();
    const count = (seen.get(key) ?? 0) + 1;
    seen.set(key, count);
    if (count > 1) label = `${label} (${count})`;
    theme.label = label;
  }
}

/** The model: the result and a way to place new vectors among its themes. */
function themeModel(
  result: ThemeResult,
  unit: readonly (Float64Array | undefined)[],
  clustering: PaperClustering,
  groups: Groups,
  fit: ThemeFit,
  dimension: number,
): ThemeModel {
  const { themes } = result;
  const { placed, space } = clustering;
  const { centres, reference } = fit;
  const placedVectors = placed.map((i) => unit[i]!);
  const placedTheme = Int32Array.from(placed, (i) => fit.themeIndexOf[i]);
  const placedConfidence = Float64Array.from(placed, (i) => fit.confidence[i]);
  // Cluster id → final theme index (themes were re-ordered by size).
  const remap = new Map<number, number>();
  groups.clusterIds.forEach((t, idx) => remap.set(t, idx));
  return {
    result,
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
        const t = space ? remap.get(space.microTheme[nearestMicro(space, neighbours)])! : voteTheme(neighbours, placedTheme);
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
}

/** Checks that vectors fit the papers and ids are unique; returns the vectors' dimension. */
function checkInput(papers: readonly Paper[], vectors: readonly Float32Array[]): number {
  if (vectors.length !== papers.length) {
    throw new InvalidArgumentError(
      `buildThemes got ${papers.length} papers but ${vectors.length} vectors; pass one embedding vector per paper, in the same order.`,
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
  return dimension;
}

interface ReducedSpace {
  graph: WeightedGraph;
  micro: Clustering;
  microTheme: Int32Array;
  eigenvalues: number[];
  eigenvectors: Float64Array[];
  degrees: Float64Array;
}

function checkOptions(
  options: ThemeOptions,
  n: number,
): { k: number | "auto"; seed: number; onProgress?: ProgressCallback; nameThemes?: ThemeOptions["nameThemes"] } {
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
  if (options.nameThemes !== undefined && typeof options.nameThemes !== "function") {
    throw new InvalidArgumentError(`nameThemes must be a function (theme) => Promise<string>; got ${typeof options.nameThemes}.`);
  }
  return { k, seed, onProgress: options.onProgress, nameThemes: options.nameThemes };
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
