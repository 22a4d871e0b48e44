import { InvalidArgumentError } from "../errors.js";

/** A point of the 2-D map; both coordinates in [0, 1]. */
export interface MapPoint {
  x: number;
  y: number;
}

export interface ProjectionOptions {
  /** Seed of the deterministic start vectors (default 1). */
  seed?: number;
}

/** Small deterministic PRNG (mulberry32). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
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
export function principalComponents(
  vectors: readonly ArrayLike<number>[],
  components = 2,
  options: ProjectionOptions = {},
): number[][] {
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
      if (diff < 1e-18) break;
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

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let j = 0; j < a.length; j++) s += a[j] * b[j];
  return s;
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
  method?: ProjectionMethod;
}

/** Places vectors on a 2-D map, both coordinates in [0, 1]. Deterministic for a given seed. */
export function projectMap(vectors: readonly ArrayLike<number>[], options: MapProjectionOptions = {}): MapPoint[] {
  return projectPca(vectors, options);
}
