import { UMAP } from "umap-js";
import { seededRandom } from "../text/random.js";
import { InvalidArgumentError } from "../errors.js";
import { dot } from "../vector-math.js";

/** Small deterministic PRNG (mulberry32), shared with the text stage. */
export { seededRandom };

/** A point of the 2-D map; both coordinates in [0, 1]. */
export interface MapPoint {
  x: number;
  y: number;
}

export interface ProjectionOptions {
  /** Seed of the deterministic start vectors (default 1). */
  seed?: number;
}

function checkVectors(vectors: readonly ArrayLike<number>[]): number {
  if (vectors.length === 0) return 0;
  const d = vectors[0].length;
  vectors.forEach((v, i) => {
    if (v.length !== d) {
      throw new InvalidArgumentError(
        `Vector ${i} has length ${v.length} but vector 0 has length ${d}: all vectors of a map must have the same dimension.`,
      );
    }
    for (let j = 0; j < d; j++) {
      if (!Number.isFinite(v[j])) {
        throw new InvalidArgumentError(`Vector ${i} holds a non-finite value at position ${j}: cannot place it on the map.`);
      }
    }
  });
  return d;
}

/**
 * Principal-component projection: the coordinates of each (centred) vector along the
 * `components` directions of largest variance, found by power iteration with
 * orthogonal deflation from seeded start vectors. Deterministic: the same vectors give
 * the same coordinates (signs fixed so that the coordinates' third moment is positive).
 * Returns `vectors.length` rows of `components` numbers, not rescaled.
 */
export function principalComponents(vectors: readonly ArrayLike<number>[], components = 2, options: ProjectionOptions = {}): number[][] {
  const n = vectors.length;
  const d = checkVectors(vectors);
  if (n === 0) return [];
  const mean = new Float64Array(d);
  for (const v of vectors) for (let j = 0; j < d; j++) mean[j] += v[j] / n;
  const X = vectors.map((v) => {
    const row = new Float64Array(d);
    for (let j = 0; j < d; j++) row[j] = v[j] - mean[j];
    return row;
  });
  const random = seededRandom(options.seed ?? 1);
  const axes: Float64Array[] = [];
  const out: number[][] = Array.from({ length: n }, () => new Array<number>(components).fill(0));
  const xv = new Float64Array(n);
  for (let c = 0; c < components; c++) {
    let v = new Float64Array(d);
    for (let j = 0; j < d; j++) v[j] = random() - 0.5;
    let ok = orthonormalise(v, axes);
    for (let iter = 0; ok && iter < 500; iter++) {
      // w = Xᵀ (X v)
      for (let i = 0; i < n; i++) xv[i] = dot(X[i], v);
      const w = new Float64Array(d);
      for (let i = 0; i < n; i++) {
        const s = xv[i];
        if (s === 0) continue;
        const row = X[i];
        for (let j = 0; j < d; j++) w[j] += s * row[j];
      }
      ok = orthonormalise(w, axes);
      if (!ok) break;
      let diff = 0;
      for (let j = 0; j < d; j++) diff += (w[j] - v[j]) ** 2;
      v = w;
      if (diff < 1e-12) break; // direction stable to ~1e-6: plenty for a picture
    }
    if (!ok) break; // no variance left in any further direction: remaining coordinates stay 0
    axes.push(v);
    let third = 0;
    for (let i = 0; i < n; i++) {
      xv[i] = dot(X[i], v);
      third += xv[i] ** 3;
    }
    const sign = third < 0 ? -1 : 1;
    for (let i = 0; i < n; i++) out[i][c] = sign * xv[i] + 0; // "+ 0" turns -0 into 0
  }
  return out;
}

/** Removes the components along `axes` and scales to unit length; false when nothing is left. */
function orthonormalise(v: Float64Array, axes: readonly Float64Array[]): boolean {
  for (const a of axes) {
    const p = dot(v, a);
    for (let j = 0; j < v.length; j++) v[j] -= p * a[j];
  }
  const norm = Math.sqrt(dot(v, v));
  if (!(norm > 1e-12)) return false;
  for (let j = 0; j < v.length; j++) v[j] /= norm;
  return true;
}

/**
 * Shrinks empty bands along one axis: sorts the values and caps every gap between
 * neighbouring values at `factor` × the 90th-percentile gap, keeping the order and all
 * smaller gaps exactly. UMAP places groups that share no neighbours arbitrarily far apart;
 * without this, one distant group squeezes every other paper into a corner of the map.
 */
export function compressGaps(values: readonly number[], factor = 3): number[] {
  const n = values.length;
  if (n < 3) return [...values];
  const order = values.map((_, i) => i).sort((a, b) => values[a] - values[b] || a - b);
  const gaps = order.slice(1).map((idx, r) => values[idx] - values[order[r]]);
  const sorted = [...gaps].sort((a, b) => a - b);
  const cap = factor * sorted[Math.min(sorted.length - 1, Math.floor(0.9 * sorted.length))];
  if (!(cap > 0)) return [...values];
  const out = new Array<number>(n);
  let position = values[order[0]];
  out[order[0]] = position;
  for (let r = 1; r < n; r++) {
    position += Math.min(gaps[r - 1], cap);
    out[order[r]] = position;
  }
  return out;
}

/** Rescales each column of `coords` to [0, 1]; a constant column becomes 0.5. */
export function rescaleToUnit(coords: readonly (readonly number[])[]): MapPoint[] {
  const bounds = [0, 1].map((c) => {
    let lo = Infinity;
    let hi = -Infinity;
    for (const row of coords) {
      lo = Math.min(lo, row[c]);
      hi = Math.max(hi, row[c]);
    }
    return { lo, span: hi - lo };
  });
  const scale = (value: number, c: number) => {
    const { lo, span } = bounds[c];
    return span > 1e-12 ? (value - lo) / span : 0.5;
  };
  return coords.map((row) => ({ x: scale(row[0], 0), y: scale(row[1], 1) }));
}

/**
 * Places vectors on a 2-D map by PCA: the first two principal components, each
 * rescaled to [0, 1]. Deterministic. 0 vectors give `[]`; a single vector (or identical
 * vectors) sits at the centre (0.5, 0.5).
 */
export function projectPca(vectors: readonly ArrayLike<number>[], options: ProjectionOptions = {}): MapPoint[] {
  return rescaleToUnit(principalComponents(vectors, 2, options));
}

/** How papers are placed on the map. */
export type ProjectionMethod = "pca" | "umap";

export interface MapProjectionOptions extends ProjectionOptions {
  /** "umap" (default) or "pca". */
  method?: ProjectionMethod;
}

/** Below this many vectors UMAP has no neighbourhood graph worth the name: PCA is used. */
const UMAP_MIN_POINTS = 5;
/** Up to this many vectors the UMAP neighbour graph is computed exactly (O(n²·d)). */
const EXACT_KNN_MAX = 2000;

/** Cosine distance of two vectors (1 when either is all zeros). */
function cosineDistance(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let j = 0; j < a.length; j++) {
    ab += a[j] * b[j];
    aa += a[j] * a[j];
    bb += b[j] * b[j];
  }
  return aa > 0 && bb > 0 ? Math.max(0, 1 - ab / Math.sqrt(aa * bb)) : 1;
}

/** Exact k nearest neighbours by cosine distance, each list starting with the point itself. */
function exactNeighbours(vectors: readonly ArrayLike<number>[], k: number): { indices: number[][]; distances: number[][] } {
  const n = vectors.length;
  const d = vectors[0].length;
  const unit = vectors.map((v) => {
    let norm = 0;
    for (let j = 0; j < d; j++) norm += v[j] * v[j];
    norm = Math.sqrt(norm);
    const u = new Float64Array(d);
    if (norm > 0) for (let j = 0; j < d; j++) u[j] = v[j] / norm;
    return u;
  });
  const indices: number[][] = [];
  const distances: number[][] = [];
  const dist = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const a = unit[i];
    for (let m = 0; m < n; m++) {
      const b = unit[m];
      let dot = 0;
      for (let j = 0; j < d; j++) dot += a[j] * b[j];
      dist[m] = Math.max(0, 1 - dot);
    }
    // The point itself first, then the k − 1 nearest others by (distance, index): an
    // insertion into a short sorted list, O(n·k), deterministic.
    const best: number[] = [];
    for (let m = 0; m < n; m++) {
      if (m === i) continue;
      if (best.length === k - 1 && !(dist[m] < dist[best[k - 2]])) continue;
      let at = best.length === k - 1 ? k - 2 : best.length;
      if (best.length < k - 1) best.push(m);
      while (at > 0 && dist[best[at - 1]] > dist[m]) {
        best[at] = best[at - 1];
        at--;
      }
      best[at] = m;
    }
    indices.push([i, ...best]);
    distances.push([0, ...best.map((m) => dist[m])]);
  }
  return { indices, distances };
}

/**
 * Places vectors on a 2-D map by UMAP (umap-js) over cosine distance, seeded: the same
 * vectors and seed give the same map. The neighbour graph (15 neighbours) is exact up to
 * 2,000 vectors, umap-js's approximate nearest-neighbour descent beyond. Fewer than 5
 * vectors are placed by PCA. Wide empty bands between groups are narrowed (see
 * {@link compressGaps}); coordinates rescaled to [0, 1].
 */
export function projectUmap(vectors: readonly ArrayLike<number>[], options: ProjectionOptions = {}): MapPoint[] {
  const n = vectors.length;
  checkVectors(vectors);
  if (n < UMAP_MIN_POINTS) return projectPca(vectors, options);
  const k = Math.min(15, n - 1);
  const umap = new UMAP({
    nComponents: 2,
    nNeighbors: k,
    minDist: 0.1,
    // Optimisation rounds: umap-js uses 400–500 at these sizes; past 500 points 200 give
    // the same picture at less than half the cost.
    nEpochs: n <= 500 ? 500 : 200,
    distanceFn: cosineDistance,
    random: seededRandom(options.seed ?? 1),
  });
  if (n <= EXACT_KNN_MAX) {
    const { indices, distances } = exactNeighbours(vectors, k);
    umap.setPrecomputedKNN(indices, distances);
  }
  const coords = umap.fit(vectors.map((v) => Array.from(v)));
  if (!coords.every((row) => Number.isFinite(row[0]) && Number.isFinite(row[1]))) return projectPca(vectors, options);
  const xs = compressGaps(coords.map((row) => row[0]));
  const ys = compressGaps(coords.map((row) => row[1]));
  return rescaleToUnit(xs.map((x, i) => [x, ys[i]]));
}

/**
 * Places vectors on a 2-D map, both coordinates in [0, 1]. Deterministic for a given seed.
 * UMAP (the default) keeps each paper's neighbours around it and spreads groups apart; PCA
 * is faster but crowds most papers into one corner on text embeddings.
 */
export function projectMap(vectors: readonly ArrayLike<number>[], options: MapProjectionOptions = {}): MapPoint[] {
  return (options.method ?? "umap") === "pca" ? projectPca(vectors, options) : projectUmap(vectors, options);
}
