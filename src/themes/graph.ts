/**
 * A cosine k-nearest-neighbour graph over unit vectors and the spectral embedding of its
 * (regularised) normalised adjacency — the space the themes are clustered in.
 */
import { topEigenpairs, type SymmetricOperator } from "./linalg.js";

/** For each point, its `k` most similar other points (descending similarity, ties by index). */
export interface NeighbourLists {
  indices: Int32Array[];
  similarities: Float64Array[];
}

/**
 * Exact cosine k-nearest neighbours (the vectors are assumed unit length; a zero vector has
 * similarity 0 to everything). O(n²·d) but each pair is computed once.
 */
export function nearestNeighbours(vectors: readonly ArrayLike<number>[], k: number): NeighbourLists {
  const n = vectors.length;
  const d = n > 0 ? vectors[0].length : 0;
  const kk = Math.max(0, Math.min(k, n - 1));
  const flat = new Float64Array(n * d);
  for (let i = 0; i < n; i++) flat.set(vectors[i], i * d);
  const heaps = Array.from({ length: n }, () => new TopK(kk));
  // Rows are processed in blocks so that each other row, once loaded, serves the whole block
  // (the scan is memory-bound otherwise). Every pair (i < j) is computed once.
  const block = 32;
  const sims = new Float64Array(block * n);
  const d4 = d - (d % 4);
  for (let start = 0; start < n; start += block) {
    const end = Math.min(n, start + block);
    for (let j = start + 1; j < n; j++) {
      const b = j * d;
      const last = Math.min(end, j);
      for (let i = start; i < last; i++) {
        const a = i * d;
        let s0 = 0;
        let s1 = 0;
        let s2 = 0;
        let s3 = 0;
        let t = 0;
        for (; t < d4; t += 4) {
          s0 += flat[a + t] * flat[b + t];
          s1 += flat[a + t + 1] * flat[b + t + 1];
          s2 += flat[a + t + 2] * flat[b + t + 2];
          s3 += flat[a + t + 3] * flat[b + t + 3];
        }
        for (; t < d; t++) s0 += flat[a + t] * flat[b + t];
        sims[(i - start) * n + j] = s0 + s1 + s2 + s3;
      }
    }
    for (let i = start; i < end; i++) {
      const hi = heaps[i];
      const base = (i - start) * n;
      for (let j = i + 1; j < n; j++) {
        const s = sims[base + j];
        if (hi.open || s >= hi.floor) hi.push(j, s);
        const hj = heaps[j];
        if (hj.open || s >= hj.floor) hj.push(i, s);
      }
    }
  }
  const indices: Int32Array[] = [];
  const similarities: Float64Array[] = [];
  for (const h of heaps) {
    const { idx, sim } = h.sorted();
    indices.push(idx);
    similarities.push(sim);
  }
  return { indices, similarities };
}

/** A bounded min-heap keeping the k largest (similarity, index) pairs; ties prefer the lower index. */
class TopK {
  private readonly idx: Int32Array;
  private readonly sim: Float64Array;
  private size = 0;
  /** Smallest similarity kept once full (a candidate must reach it to enter). */
  floor = -Infinity;
  /** Whether fewer than k pairs are held yet. */
  open = true;
  constructor(private readonly k: number) {
    this.open = k > 0;
    this.idx = new Int32Array(k);
    this.sim = new Float64Array(k);
  }
  /** a is "worse" than b. */
  private worse(sa: number, ia: number, sb: number, ib: number): boolean {
    return sa < sb || (sa === sb && ia > ib);
  }
  push(i: number, s: number): void {
    const k = this.k;
    if (k === 0) return;
    if (this.size < k) {
      let c = this.size++;
      this.idx[c] = i;
      this.sim[c] = s;
      while (c > 0) {
        const p = (c - 1) >> 1;
        if (!this.worse(this.sim[c], this.idx[c], this.sim[p], this.idx[p])) break;
        this.swap(c, p);
        c = p;
      }
      if (this.size === k) {
        this.open = false;
        this.floor = this.sim[0];
      }
      return;
    }
    if (!this.worse(this.sim[0], this.idx[0], s, i)) return;
    this.idx[0] = i;
    this.sim[0] = s;
    let c = 0;
    for (;;) {
      const l = 2 * c + 1;
      const r = l + 1;
      let m = c;
      if (l < k && this.worse(this.sim[l], this.idx[l], this.sim[m], this.idx[m])) m = l;
      if (r < k && this.worse(this.sim[r], this.idx[r], this.sim[m], this.idx[m])) m = r;
      if (m === c) break;
      this.swap(c, m);
      c = m;
    }
    this.floor = this.sim[0];
  }
  private swap(a: number, b: number): void {
    const ti = this.idx[a];
    this.idx[a] = this.idx[b];
    this.idx[b] = ti;
    const ts = this.sim[a];
    this.sim[a] = this.sim[b];
    this.sim[b] = ts;
  }
  sorted(): { idx: Int32Array; sim: Float64Array } {
    const order = Array.from({ length: this.size }, (_, j) => j).sort((a, b) => this.sim[b] - this.sim[a] || this.idx[a] - this.idx[b]);
    return {
      idx: Int32Array.from(order, (j) => this.idx[j]),
      sim: Float64Array.from(order, (j) => this.sim[j]),
    };
  }
}

/** A symmetric sparse weighted graph in adjacency-list form. */
export interface WeightedGraph {
  size: number;
  neighbours: Int32Array[];
  weights: Float64Array[];
}

export interface GraphOptions {
  /** How mutual edges are merged: "max" keeps an edge found from either side, "mean" halves one-sided edges. */
  symmetrise?: "max" | "mean";
  /** Exponent applied to the (clipped) cosine similarity. */
  power?: number;
}

/** The symmetric kNN graph with weights max(0, cos)^power. */
export function neighbourGraph(lists: NeighbourLists, options: GraphOptions = {}): WeightedGraph {
  const n = lists.indices.length;
  const power = options.power ?? 1;
  const mode = options.symmetrise ?? "max";
  const maps: Map<number, number>[] = Array.from({ length: n }, () => new Map());
  for (let i = 0; i < n; i++) {
    const idx = lists.indices[i];
    const sim = lists.similarities[i];
    for (let t = 0; t < idx.length; t++) {
      const j = idx[t];
      const w = Math.max(0, sim[t]) ** power;
      if (w <= 0) continue;
      for (const [a, b] of [
        [i, j],
        [j, i],
      ] as const) {
        const m = maps[a];
        const prev = m.get(b);
        if (mode === "max") m.set(b, Math.max(prev ?? 0, w));
        else m.set(b, (prev ?? 0) + w / 2);
      }
    }
  }
  const neighbours: Int32Array[] = [];
  const weights: Float64Array[] = [];
  for (const m of maps) {
    const keys = [...m.keys()].sort((a, b) => a - b);
    neighbours.push(Int32Array.from(keys));
    weights.push(Float64Array.from(keys, (k) => m.get(k)!));
  }
  return { size: n, neighbours, weights };
}

export interface SpectralEmbedding {
  /** Eigenvalues of the regularised normalised adjacency, largest first (the first is 1). */
  values: number[];
  /** `vectors[j][i]`: coordinate j of point i (eigenvector j of the normalised adjacency). */
  vectors: Float64Array[];
  /** Regularised degree of each point. */
  degrees: Float64Array;
  /** The regulariser τ added (spread as τ/n over every pair). */
  tau: number;
}

/**
 * The top `count` eigenvectors of D^-1/2 (W + τ/n·11ᵀ) D^-1/2 — regularised spectral
 * clustering (Qin & Rohe 2013): τ joins every point weakly to all others, so the graph is
 * connected and the top eigenvalue is simple. The default τ is 1% of the mean degree: the
 * paper's τ = mean degree blurred topics on our corpora (NMI 0.45 vs 0.47).
 */
export function spectralEmbedding(
  graph: WeightedGraph,
  count: number,
  options: { tau?: number; tauFraction?: number; seed?: number } = {},
): SpectralEmbedding {
  const n = graph.size;
  const raw = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (const w of graph.weights[i]) s += w;
    raw[i] = s;
  }
  let mean = 0;
  for (let i = 0; i < n; i++) mean += raw[i];
  mean = n > 0 ? mean / n : 0;
  const tau = options.tau ?? (mean > 0 ? mean * (options.tauFraction ?? 0.01) : 1);
  const degrees = new Float64Array(n);
  const invSqrt = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    degrees[i] = raw[i] + tau;
    invSqrt[i] = 1 / Math.sqrt(degrees[i]);
  }
  const y = new Float64Array(n);
  const op: SymmetricOperator = {
    size: n,
    apply(x, out) {
      let s = 0;
      for (let i = 0; i < n; i++) {
        y[i] = x[i] * invSqrt[i];
        s += y[i];
      }
      const c = (tau / n) * s;
      for (let i = 0; i < n; i++) {
        const nb = graph.neighbours[i];
        const wt = graph.weights[i];
        let acc = c;
        for (let t = 0; t < nb.length; t++) acc += wt[t] * y[nb[t]];
        out[i] = acc * invSqrt[i];
      }
    },
  };
  const pairs = topEigenpairs(op, count, { seed: options.seed });
  return { values: pairs.values, vectors: pairs.vectors, degrees, tau };
}
