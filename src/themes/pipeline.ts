/**
 * The clustering behind themes, on unit vectors:
 *
 * 1. a cosine k-nearest-neighbour graph;
 * 2. its spectral embedding (top eigenvectors of the normalised adjacency, rows scaled to
 *    unit length, as in Ng–Jordan–Weiss);
 * 3. k-means (ml-kmeans, k-means++ seeding, several seeded restarts) into three times as many
 *    small clusters as themes wanted;
 * 4. those clusters merged greedily by modularity gain on the graph, down to k themes — or,
 *    for `k: "auto"`, until no merge raises modularity (then redone for that k).
 *
 * Step 4 is what lifts quality over plain spectral k-means: k-means cuts big topics into
 * equal-sized pieces and lumps small ones together; merging pieces that the graph links
 * strongly undoes the first without causing the second.
 */
import { bestKMeans, type Clustering } from "./cluster.js";
import { nearestNeighbours, neighbourGraph, spectralEmbedding, type SpectralEmbedding, type WeightedGraph } from "./graph.js";
import { mergeByModularity } from "./merge.js";

export interface PipelineOptions {
  k: number | "auto";
  seed: number;
  /** Clusters with fewer members are merged into their best-linked neighbour. */
  minSize: number;
  /** Bounds for "auto". */
  minK?: number;
  maxK?: number;
  /** Neighbours per point in the graph (default: from n). */
  neighbours?: number;
  /** k-means restarts (default 5). */
  restarts?: number;
  /** Small clusters per theme before merging (default 3). */
  overcluster?: number;
  /** Spectral dimensions: a count, or relative to k (default: k). */
  dimensions?: number;
  /** Modularity resolution for "auto" (default {@link AUTO_RESOLUTION}). */
  resolution?: number;
}

export interface PipelineResult {
  /** Theme of each point, 0..k-1. */
  labels: Int32Array;
  k: number;
  graph: WeightedGraph;
  /** Spectral coordinates (unit rows) of each point, as used by k-means. */
  rows: number[][];
  /** The small clusters before merging, and which theme each became. */
  micro: Clustering;
  microTheme: Int32Array;
  /** Eigenvalues of the normalised adjacency, largest first. */
  eigenvalues: number[];
  /** Eigenvectors (`eigenvectors[j][i]`: coordinate j of point i), before row scaling. */
  eigenvectors: Float64Array[];
  /** Degree of each point in the (regularised) graph. */
  degrees: Float64Array;
}

/** Neighbours per point: 10 up to 240 papers, then 0.65·√n (29 at 2,000 papers), at most 40. */
export function defaultNeighbours(n: number): number {
  return Math.max(10, Math.min(40, Math.round(0.65 * Math.sqrt(n))));
}

/** Modularity resolution used by "auto": a little above 1, measured on labelled listings. */
export const AUTO_RESOLUTION = 1.25;

/**
 * Themes of unit vectors (see the module comment). With `k: "auto"` the small clusters are
 * made for `maxK` themes and merged while modularity (at resolution
 * {@link AUTO_RESOLUTION}) rises; the clustering is then redone for the number of themes
 * found, exactly as for a fixed k.
 */
export function clusterVectors(vectors: readonly Float64Array[], options: PipelineOptions): PipelineResult {
  const n = vectors.length;
  const knn = Math.min(n - 1, options.neighbours ?? defaultNeighbours(n));
  const graph = neighbourGraph(nearestNeighbours(vectors, knn));
  const restarts = options.restarts ?? 5;
  const over = options.overcluster ?? 3;
  const minSize = Math.max(1, options.minSize);
  // The top eigenvectors do not depend on how many are asked for: compute once, reuse.
  let spectral: SpectralEmbedding | undefined;
  const embedding = (m: number): SpectralEmbedding => {
    if (!spectral || spectral.vectors.length < m) spectral = spectralEmbedding(graph, m, { seed: options.seed });
    return { ...spectral, values: spectral.values.slice(0, m), vectors: spectral.vectors.slice(0, m) };
  };

  const run = (k: number, target: number | "peak", dims: number) => {
    const m = Math.max(1, Math.min(n, dims));
    const emb = embedding(m);
    const rows = unitRows(emb.vectors, n);
    const k0 = Math.max(1, Math.min(n, Math.round(over * k)));
    const micro = bestKMeans(rows, k0, { seed: options.seed, restarts });
    const merged = mergeByModularity(graph, micro.labels, {
      target,
      min: options.minK,
      max: options.maxK,
      minSize,
      resolution: target === "peak" ? (options.resolution ?? AUTO_RESOLUTION) : undefined,
    });
    const microTheme = new Int32Array(micro.k);
    for (let i = 0; i < n; i++) microTheme[micro.labels[i]] = merged.labels[i];
    let k1 = 0;
    for (let i = 0; i < n; i++) k1 = Math.max(k1, merged.labels[i] + 1);
    return {
      labels: merged.labels,
      k: k1,
      graph,
      rows,
      micro,
      microTheme,
      eigenvalues: emb.values,
      eigenvectors: emb.vectors,
      degrees: emb.degrees,
    };
  };

  if (options.k !== "auto") {
    const k = Math.min(options.k, n);
    return run(k, k, options.dimensions ?? k);
  }
  const maxK = Math.max(1, Math.min(options.maxK ?? 30, n));
  const first = run(maxK, "peak", options.dimensions ?? maxK);
  // Refit with as many spectral dimensions as themes found, as for a fixed k.
  return run(first.k, first.k, first.k);
}

function unitRows(vectors: readonly Float64Array[], n: number): number[][] {
  const m = vectors.length;
  const rows: number[][] = [];
  for (let i = 0; i < n; i++) {
    const r = new Array<number>(m);
    let s = 0;
    for (let j = 0; j < m; j++) {
      r[j] = vectors[j][i];
      s += r[j] * r[j];
    }
    const l = Math.sqrt(s);
    if (l > 0) for (let j = 0; j < m; j++) r[j] /= l;
    rows.push(r);
  }
  return rows;
}
