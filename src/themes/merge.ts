/**
 * Graph quantities over a clustering of a {@link WeightedGraph}: modularity, and greedy
 * agglomeration of clusters by modularity gain (Clauset–Newman–Moore on a coarse graph).
 */
import type { WeightedGraph } from "./graph.js";

/** Newman's modularity of a partition of a weighted undirected graph. */
export function modularity(graph: WeightedGraph, labels: ArrayLike<number>): number {
  let total = 0;
  let inside = 0;
  const volume = new Map<number, number>();
  for (let i = 0; i < graph.size; i++) {
    const nb = graph.neighbours[i];
    const wt = graph.weights[i];
    for (let t = 0; t < nb.length; t++) {
      total += wt[t];
      if (labels[i] === labels[nb[t]]) inside += wt[t];
    }
    let d = 0;
    for (let t = 0; t < wt.length; t++) d += wt[t];
    volume.set(labels[i], (volume.get(labels[i]) ?? 0) + d);
  }
  if (total <= 0) return 0;
  let q = inside / total;
  for (const v of volume.values()) q -= (v / total) ** 2;
  return q;
}

export interface MergeStep {
  /** Number of clusters after this merge. */
  clusters: number;
  /** Modularity gain of the merge (can be negative once merging stops helping). */
  gain: number;
}

export interface MergeResult {
  /** Cluster of each point after merging, numbered 0.. in order of first appearance. */
  labels: Int32Array;
  /** The merges done, in order. */
  steps: MergeStep[];
}

/**
 * Merges clusters pairwise, always the pair whose union raises modularity most, until
 * `target` clusters remain — or, with `target: "peak"`, until no merge raises modularity
 * (bounded by `min`/`max` clusters). `protect(size)` can forbid nothing; clusters below
 * `minSize` members are merged first, into their best-linked neighbour.
 */
export function mergeByModularity(
  graph: WeightedGraph,
  labels: ArrayLike<number>,
  options: { target: number | "peak"; min?: number; max?: number; minSize?: number; resolution?: number },
): MergeResult {
  const n = graph.size;
  let count = 0;
  for (let i = 0; i < n; i++) count = Math.max(count, labels[i] + 1);
  // Coarse graph: link weight between clusters, and cluster volumes.
  const link: Float64Array[] = Array.from({ length: count }, () => new Float64Array(count));
  const volume = new Float64Array(count);
  const size = new Int32Array(count);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const a = labels[i];
    size[a]++;
    const nb = graph.neighbours[i];
    const wt = graph.weights[i];
    for (let t = 0; t < nb.length; t++) {
      link[a][labels[nb[t]]] += wt[t];
      volume[a] += wt[t];
      total += wt[t];
    }
  }
  const alive = new Set<number>();
  for (let c = 0; c < count; c++) if (size[c] > 0) alive.add(c);
  const parent = Int32Array.from({ length: count }, (_, c) => c);
  const steps: MergeStep[] = [];
  const min = Math.max(1, options.min ?? 1);
  const max = options.max ?? Infinity;
  const minSize = options.minSize ?? 1;
  const m = total > 0 ? total : 1;
  // Resolution γ (Reichardt–Bornholdt): above 1 favours more, smaller clusters.
  const gamma = options.resolution ?? 1;
  const gainOf = (a: number, b: number) => (2 * link[a][b]) / m - (gamma * 2 * volume[a] * volume[b]) / (m * m);

  for (;;) {
    if (alive.size <= min) break;
    const small = [...alive].filter((c) => size[c] < minSize);
    let bestA = -1;
    let bestB = -1;
    let bestGain = -Infinity;
    const consider = (a: number, b: number) => {
      const g = gainOf(a, b);
      if (g > bestGain + 1e-15) {
        bestGain = g;
        bestA = Math.min(a, b);
        bestB = Math.max(a, b);
      }
    };
    if (small.length > 0) {
      // Too-small clusters first: each must join its best neighbour.
      for (const a of small) for (const b of alive) if (a !== b) consider(a, b);
    } else {
      const target = options.target;
      if (target === "peak") {
        for (const a of alive) for (const b of alive) if (a < b) consider(a, b);
        if (alive.size <= max && !(bestGain > 0)) break;
      } else {
        if (alive.size <= target) break;
        for (const a of alive) for (const b of alive) if (a < b) consider(a, b);
      }
    }
    if (bestA < 0) break;
    // Merge bestB into bestA.
    for (const c of alive) {
      link[bestA][c] += link[bestB][c];
      link[c][bestA] += link[c][bestB];
    }
    link[bestA][bestA] += link[bestB][bestB];
    volume[bestA] += volume[bestB];
    size[bestA] += size[bestB];
    alive.delete(bestB);
    parent[bestB] = bestA;
    steps.push({ clusters: alive.size, gain: bestGain });
  }
  const root = (c: number): number => {
    while (parent[c] !== c) c = parent[c];
    return c;
  };
  const renumber = new Map<number, number>();
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const r = root(labels[i]);
    if (!renumber.has(r)) renumber.set(r, renumber.size);
    out[i] = renumber.get(r)!;
  }
  return { labels: out, steps };
}
