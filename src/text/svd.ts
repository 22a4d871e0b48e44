import { EigenvalueDecomposition, Matrix } from "ml-matrix";
import { gaussianSampler, seededRandom } from "./random.js";
import type { DenseMatrix } from "./sparse.js";
import { dot } from "../vector-math.js";

/**
 * Anything that can be multiplied by a dense matrix from the right, and whose transpose
 * can too: a {@link SparseMatrix}, or an implicit product of several matrices.
 */
export interface LinearOperator {
  readonly rows: number;
  readonly cols: number;
  /** `A × B` (B has `cols` rows). */
  multiplyDense(b: DenseMatrix): DenseMatrix;
  /** `Aᵀ × B` (B has `rows` rows). */
  transposeMultiplyDense(b: DenseMatrix): DenseMatrix;
}

/** A truncated singular value decomposition `A ≈ U · diag(s) · Vᵀ`. */
export interface TruncatedSvd {
  /** Left singular vectors, `rows × rank`, orthonormal columns. */
  readonly u: DenseMatrix;
  /** Singular values, non-increasing. */
  readonly s: Float64Array;
  /** Right singular vectors, `cols × rank`, orthonormal columns. */
  readonly v: DenseMatrix;
}

export interface RandomizedSvdOptions {
  /** Extra random directions sampled beyond `rank` (default 10). */
  oversamples?: number;
  /** Power (subspace) iterations; more sharpens the smaller components (default 4). */
  powerIterations?: number;
  /** Seed of the random test matrix; the same seed gives the same result (default 1). */
  seed?: number;
}

/**
 * The leading `rank` singular triplets of `a`, by the randomized range finder with power
 * iterations of Halko, Martinsson and Tropp (2011). Only products of `a` (and `aᵀ`) with
 * thin dense matrices are needed, so `a` can be a large sparse matrix. The small
 * `(rank + oversamples)`-sized eigenproblem is solved with ml-matrix.
 *
 * The rank returned is `min(rank, a.rows, a.cols)`. Components beyond the numerical rank
 * of `a` come back with singular value 0 and all-zero vectors. Signs are fixed so that the
 * largest-magnitude entry of each column of U is positive.
 */
export function randomizedSvd(a: LinearOperator, rank: number, options: RandomizedSvdOptions = {}): TruncatedSvd {
  if (!Number.isInteger(rank) || rank < 1) throw new RangeError(`rank must be a positive integer, got ${rank}`);
  const r = Math.min(rank, a.rows, a.cols);
  if (r === 0) {
    return {
      u: { rows: a.rows, cols: 0, data: new Float64Array(0) },
      s: new Float64Array(0),
      v: { rows: a.cols, cols: 0, data: new Float64Array(0) },
    };
  }
  const l = Math.min(r + (options.oversamples ?? 10), a.rows, a.cols);
  const iterations = options.powerIterations ?? 4;
  const gauss = gaussianSampler(seededRandom(options.seed ?? 1));

  const omega = new Float64Array(a.cols * l);
  for (let i = 0; i < omega.length; i++) omega[i] = gauss();
  // Intermediate bases only need to be well conditioned: one Gram–Schmidt pass; the last gets two.
  let q = orthonormalizeColumns(a.multiplyDense({ rows: a.cols, cols: l, data: omega }), iterations === 0 ? 2 : 1);
  for (let it = 0; it < iterations; it++) {
    q = orthonormalizeColumns(a.multiplyDense(a.transposeMultiplyDense(q)), it === iterations - 1 ? 2 : 1);
  }

  // B = Qᵀ A (l × cols). Its left singular vectors and values come from the l × l Gram
  // matrix B Bᵀ = Qᵀ (A (Aᵀ Q)), computed on the row side, which is cheap when cols ≫ rows.
  const gram = crossProduct(q, a.multiplyDense(a.transposeMultiplyDense(q)));
  const eig = new EigenvalueDecomposition(new Matrix(gram), { assumeSymmetric: true });
  const values = eig.realEigenvalues;
  const vectors = eig.eigenvectorMatrix;
  const order = values.map((_, i) => i).sort((x, y) => values[y] - values[x] || x - y);

  const s = new Float64Array(r);
  const w = new Float64Array(l * r); // l × r, row-major: eigenvectors of the kept components
  const top = Math.sqrt(Math.max(values[order[0]], 0));
  for (let j = 0; j < r; j++) {
    const e = order[j];
    const sv = Math.sqrt(Math.max(values[e], 0));
    if (sv <= top * 1e-7) continue; // beyond the numerical rank: leave zero
    s[j] = sv;
    for (let i = 0; i < l; i++) w[i * r + j] = vectors.get(i, e);
  }
  const u = multiplyDense(q, { rows: l, cols: r, data: w });
  // V = Aᵀ U diag(1/s): one more sparse product instead of a dense cols × l × r one.
  const scaled = new Float64Array(u.data.length);
  for (let i = 0; i < u.rows; i++) for (let j = 0; j < r; j++) scaled[i * r + j] = s[j] > 0 ? u.data[i * r + j] / s[j] : 0;
  const v = a.transposeMultiplyDense({ rows: u.rows, cols: r, data: scaled });
  for (let j = 0; j < r; j++) {
    // Sign convention: the largest-magnitude entry of u's column is positive.
    let best = 0;
    for (let i = 0; i < u.rows; i++) if (Math.abs(u.data[i * r + j]) > Math.abs(best)) best = u.data[i * r + j];
    if (best < 0) {
      for (let i = 0; i < u.rows; i++) u.data[i * r + j] = -u.data[i * r + j];
      for (let i = 0; i < v.rows; i++) v.data[i * r + j] = -v.data[i * r + j];
    }
  }
  return { u, s, v };
}

/** `A × B` for dense row-major matrices. */
export function multiplyDense(a: DenseMatrix, b: DenseMatrix): DenseMatrix {
  if (a.cols !== b.rows) throw new RangeError(`cannot multiply ${a.rows}×${a.cols} by ${b.rows}×${b.cols}`);
  const n = b.cols;
  const out = new Float64Array(a.rows * n);
  for (let i = 0; i < a.rows; i++) {
    const o = i * n;
    for (let k = 0; k < a.cols; k++) {
      const x = a.data[i * a.cols + k];
      if (x === 0) continue;
      const r = k * n;
      for (let c = 0; c < n; c++) out[o + c] += x * b.data[r + c];
    }
  }
  return { rows: a.rows, cols: n, data: out };
}

/** `Aᵀ B` (both with the same number of rows), symmetrised, as an array of rows (for ml-matrix). */
function crossProduct(a: DenseMatrix, b: DenseMatrix): number[][] {
  const k = a.cols;
  const g = new Float64Array(k * k);
  for (let i = 0; i < a.rows; i++) {
    const o = i * k;
    for (let p = 0; p < k; p++) {
      const x = a.data[o + p];
      if (x === 0) continue;
      const gp = p * k;
      for (let c = 0; c < k; c++) g[gp + c] += x * b.data[o + c];
    }
  }
  const out: number[][] = [];
  for (let p = 0; p < k; p++) {
    const row = new Array<number>(k);
    for (let c = 0; c < k; c++) row[c] = (g[p * k + c] + g[c * k + p]) / 2;
    out.push(row);
  }
  return out;
}

/**
 * An orthonormal basis of the column space of `y` (same shape), by modified Gram–Schmidt
 * (by default applied twice, which makes the columns orthogonal to working precision).
 * Columns that are (numerically) dependent on earlier ones become zero.
 */
export function orthonormalizeColumns(y: DenseMatrix, passes = 2): DenseMatrix {
  const { rows: n, cols: k } = y;
  // Work column-major: column j is cols[j].
  const cols: Float64Array[] = [];
  for (let j = 0; j < k; j++) {
    const c = new Float64Array(n);
    for (let i = 0; i < n; i++) c[i] = y.data[i * k + j];
    cols.push(c);
  }
  for (let j = 0; j < k; j++) {
    const c = cols[j];
    const before = Math.sqrt(dot(c, c));
    if (before === 0) continue;
    for (let pass = 0; pass < passes; pass++) {
      for (let p = 0; p < j; p++) {
        const b = cols[p];
        const d = dot(b, c);
        if (d === 0) continue;
        for (let i = 0; i < n; i++) c[i] -= d * b[i];
      }
    }
    const after = Math.sqrt(dot(c, c));
    if (after <= before * 1e-10) {
      c.fill(0);
    } else {
      const inv = 1 / after;
      for (let i = 0; i < n; i++) c[i] *= inv;
    }
  }
  const out = new Float64Array(n * k);
  for (let j = 0; j < k; j++) {
    const c = cols[j];
    for (let i = 0; i < n; i++) out[i * k + j] = c[i];
  }
  return { rows: n, cols: k, data: out };
}
