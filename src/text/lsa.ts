import { Matrix, solve } from "ml-matrix";
import { seededRandom } from "./random.js";
import type { SparseMatrix } from "./sparse.js";
import { randomizedSvd } from "./svd.js";

/** How a TF-IDF matrix becomes a dense projection (see {@link fitLsaProjection}). */
export interface LsaOptions {
  /** Output dimension (at most; fewer when the matrix has a lower rank). */
  dimension: number;
  /** Leading components to leave out. */
  dropComponents: number;
  /** Components are scaled by their singular value to this power. */
  singularValuePower: number;
  /** Neighbour smoothing strength β (0 turns it off). */
  smoothing: number;
  /** Neighbours per document in the smoothing graph. */
  smoothingNeighbors: number;
  /** LSA components the smoothed map is fitted on (≥ dimension). */
  smoothingComponents: number;
  /** Documents used for the smoothing graph at most (a seeded sample when there are more). */
  smoothingMaxDocuments: number;
  powerIterations: number;
  seed: number;
}

/** A linear map from TF-IDF vectors to dense vectors: `terms × components`, row-major. */
export interface LsaProjection {
  components: number;
  projection: Float32Array;
}

/**
 * Fits the projection of the lexical embedder on the TF-IDF rows `x` of a corpus.
 *
 * 1. Latent semantic analysis: the leading singular triplets of `x` (randomized SVD);
 *    after the dropped components, a document's base vector is `U · diag(s^p)`.
 * 2. Neighbour smoothing, distilled into the projection (when `smoothing > 0`): each
 *    document's base vector plus `β ×` the similarity-weighted mean of its nearest
 *    neighbours' gives a target `T`; the linear map from the leading
 *    `smoothingComponents` LSA coordinates that best reproduces `T` (least squares) is
 *    folded into the projection. New texts therefore get the same treatment as the
 *    fitted ones, with no neighbour search at embedding time.
 *
 * A text is embedded as `tfidf(text) · projection`, then scaled to unit length.
 */
export function fitLsaProjection(x: SparseMatrix, o: LsaOptions): LsaProjection {
  const terms = x.cols;
  const smoothing = o.smoothing > 0 && x.rows > o.smoothingNeighbors + 1;
  const rank = Math.min(o.dropComponents + (smoothing ? Math.max(o.dimension, o.smoothingComponents) : o.dimension), x.rows, x.cols);
  if (rank <= o.dropComponents) return { components: 0, projection: new Float32Array(0) };
  const svd = randomizedSvd(x, rank, { seed: o.seed, powerIterations: o.powerIterations });
  const kept: number[] = [];
  for (let j = o.dropComponents; j < svd.s.length; j++) if (svd.s[j] > 0) kept.push(j);
  const d = Math.min(o.dimension, kept.length);
  const r = kept.length;
  const uCols = svd.u.cols;
  const vCols = svd.v.cols;
  const U = (i: number, c: number) => svd.u.data[i * uCols + kept[c]];

  if (!smoothing || d === 0) {
    // Document vector = x · V · diag(s^(p−1)): for a fitted document, U · diag(s^p).
    const projection = new Float32Array(terms * d);
    for (let c = 0; c < d; c++) {
      const j = kept[c];
      const scale = svd.s[j] ** (o.singularValuePower - 1);
      for (let t = 0; t < terms; t++) projection[t * d + c] = svd.v.data[t * vCols + j] * scale;
    }
    return { components: d, projection };
  }

  // Base vectors of (a sample of) the fitted documents, unit length.
  const docs = sampleIndices(x.rows, o.smoothingMaxDocuments, o.seed);
  const n = docs.length;
  const base = new Float64Array(n * d);
  for (let a = 0; a < n; a++) {
    let sq = 0;
    for (let c = 0; c < d; c++) {
      const v = U(docs[a], c) * svd.s[kept[c]] ** o.singularValuePower;
      base[a * d + c] = v;
      sq += v * v;
    }
    const inv = sq > 0 ? 1 / Math.sqrt(sq) : 0;
    for (let c = 0; c < d; c++) base[a * d + c] *= inv;
  }
  const target = smoothTargets(base, n, d, o.smoothingNeighbors, o.smoothing);

  // M (r × d) minimising ‖U_S M − T‖; with every document, UᵀU = I and M = Uᵀ T.
  const utt = new Float64Array(r * d);
  for (let a = 0; a < n; a++) {
    for (let q = 0; q < r; q++) {
      const u = U(docs[a], q);
      if (u === 0) continue;
      for (let c = 0; c < d; c++) utt[q * d + c] += u * target[a * d + c];
    }
  }
  let map = utt;
  if (n < x.rows) {
    const gram = new Matrix(r, r);
    for (let a = 0; a < n; a++) {
      for (let p = 0; p < r; p++) {
        const up = U(docs[a], p);
        if (up === 0) continue;
        for (let q = p; q < r; q++) gram.set(p, q, gram.get(p, q) + up * U(docs[a], q));
      }
    }
    for (let p = 0; p < r; p++) {
      for (let q = 0; q < p; q++) gram.set(p, q, gram.get(q, p));
      gram.set(p, p, gram.get(p, p) + 1e-6);
    }
    const rhs = new Matrix(r, d);
    for (let q = 0; q < r; q++) for (let c = 0; c < d; c++) rhs.set(q, c, utt[q * d + c]);
    const m = solve(gram, rhs);
    map = Float64Array.from(m.to1DArray());
  }

  // projection = V_r · diag(1/s) · M  (a fitted document's LSA coordinates are x · V · diag(1/s) = U).
  const projection = new Float32Array(terms * d);
  const row = new Float64Array(d);
  for (let t = 0; t < terms; t++) {
    row.fill(0);
    for (let q = 0; q < r; q++) {
      const j = kept[q];
      const v = svd.v.data[t * vCols + j] / svd.s[j];
      if (v === 0) continue;
      for (let c = 0; c < d; c++) row[c] += v * map[q * d + c];
    }
    for (let c = 0; c < d; c++) projection[t * d + c] = row[c];
  }
  return { components: d, projection };
}

/**
 * Each unit row plus `beta ×` the similarity-weighted mean of its `k` nearest other rows
 * (cosine, exact, negative similarities ignored), scaled back to unit length.
 */
export function smoothTargets(rows: Float64Array, n: number, d: number, k: number, beta: number): Float64Array {
  const out = new Float64Array(rows);
  const sims = new Float64Array(n);
  const top = new Int32Array(k);
  for (let i = 0; i < n; i++) {
    const oi = i * d;
    for (let j = 0; j < n; j++) {
      if (j === i) {
        sims[j] = -Infinity;
        continue;
      }
      const oj = j * d;
      let s = 0;
      for (let c = 0; c < d; c++) s += rows[oi + c] * rows[oj + c];
      sims[j] = s;
    }
    const found = topK(sims, k, top);
    let ws = 0;
    for (let t = 0; t < found; t++) ws += Math.max(sims[top[t]], 0);
    if (ws > 0) {
      for (let t = 0; t < found; t++) {
        const j = top[t];
        const f = (beta * Math.max(sims[j], 0)) / ws;
        if (f === 0) continue;
        for (let c = 0; c < d; c++) out[oi + c] += f * rows[j * d + c];
      }
    }
    let sq = 0;
    for (let c = 0; c < d; c++) sq += out[oi + c] * out[oi + c];
    const inv = sq > 0 ? 1 / Math.sqrt(sq) : 0;
    for (let c = 0; c < d; c++) out[oi + c] *= inv;
  }
  return out;
}

/** Indices of the k largest finite values (ties: lower index first), best first; returns how many. */
function topK(values: Float64Array, k: number, out: Int32Array): number {
  let size = 0;
  for (let j = 0; j < values.length; j++) {
    const v = values[j];
    if (v === -Infinity) continue;
    if (size === k && v <= values[out[k - 1]]) continue;
    let pos = size === k ? k - 1 : size++;
    while (pos > 0 && values[out[pos - 1]] < v) {
      out[pos] = out[pos - 1];
      pos--;
    }
    out[pos] = j;
  }
  return size;
}

/** All of 0..n−1 when n ≤ max, else a seeded sample of max of them, in increasing order. */
function sampleIndices(n: number, max: number, seed: number): number[] {
  const all = Array.from({ length: n }, (_, i) => i);
  if (n <= max) return all;
  const rand = seededRandom(seed ^ 0x5bd1e995);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [all[i], all[j]] = [all[j], all[i]];
  }
  return all.slice(0, max).sort((a, b) => a - b);
}
