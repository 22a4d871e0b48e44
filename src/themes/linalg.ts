/**
 * Small numeric helpers for the themes stage: a seeded PRNG, dense vector helpers and a
 * symmetric eigen-solver (dense for small inputs, Lanczos with full re-orthogonalisation for
 * large ones). Everything here is deterministic: same input, same output, on every machine.
 */
import { EigenvalueDecomposition, Matrix } from "ml-matrix";
import { seededRandom } from "../text/random.js";
import { dot, norm } from "../vector-math.js";

/** A seeded 32-bit PRNG (mulberry32): returns floats in [0, 1). */
export function createRandom(seed: number): () => number {
  return seededRandom((Math.floor(seed) ^ 0x9e3779b9) >>> 0);
}

export { dot, norm, normalized } from "../vector-math.js";

/** A symmetric linear operator on R^n, given by its matrix–vector product. */
export interface SymmetricOperator {
  readonly size: number;
  /** Writes `A·x` into `out`. */
  apply(x: Float64Array, out: Float64Array): void;
}

export interface EigenPairs {
  /** Largest first. */
  values: number[];
  /** `vectors[j]` is the unit eigenvector of `values[j]`. */
  vectors: Float64Array[];
}

/**
 * The `count` largest eigenpairs of a symmetric operator. Below `denseLimit` rows the operator
 * is materialised and decomposed exactly; above it, Lanczos with full re-orthogonalisation
 * (continued from a fresh random direction if the Krylov space is exhausted) and a
 * Rayleigh–Ritz step. Like any single-vector Lanczos it may return an exactly repeated
 * eigenvalue only once; the themes graph is regularised so that its top eigenvalues are simple.
 */
export function topEigenpairs(
  op: SymmetricOperator,
  count: number,
  options: { seed?: number; denseLimit?: number; steps?: number } = {},
): EigenPairs {
  const n = op.size;
  const want = Math.min(count, n);
  if (want <= 0) return { values: [], vectors: [] };
  if (n <= (options.denseLimit ?? 400)) return denseTop(op, want);
  return lanczosTop(op, want, options.seed ?? 1, options.steps);
}

function denseTop(op: SymmetricOperator, want: number): EigenPairs {
  const n = op.size;
  const m = new Matrix(n, n);
  const e = new Float64Array(n);
  const col = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    e.fill(0);
    e[j] = 1;
    op.apply(e, col);
    for (let i = 0; i < n; i++) m.set(i, j, col[i]);
  }
  // Symmetrise away rounding noise.
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const v = (m.get(i, j) + m.get(j, i)) / 2;
      m.set(i, j, v);
      m.set(j, i, v);
    }
  }
  const evd = new EigenvalueDecomposition(m, { assumeSymmetric: true });
  return pickTop(evd.realEigenvalues, evd.eigenvectorMatrix, want, (k) => {
    const v = new Float64Array(n);
    for (let i = 0; i < n; i++) v[i] = evd.eigenvectorMatrix.get(i, k);
    return v;
  });
}

function pickTop(values: number[], _vectors: Matrix, want: number, vector: (k: number) => Float64Array): EigenPairs {
  const order = values.map((_, i) => i).sort((a, b) => values[b] - values[a] || a - b);
  const chosen = order.slice(0, want);
  return {
    values: chosen.map((k) => values[k]),
    vectors: chosen.map((k) => fixSign(vector(k))),
  };
}

/** Eigenvectors are defined up to sign: make the largest-magnitude entry positive. */
function fixSign(v: Float64Array): Float64Array {
  let best = 0;
  for (let i = 1; i < v.length; i++) if (Math.abs(v[i]) > Math.abs(v[best]) + 1e-12) best = i;
  if (v[best] < 0) for (let i = 0; i < v.length; i++) v[i] = -v[i];
  return v;
}

function lanczosTop(op: SymmetricOperator, want: number, seed: number, steps?: number): EigenPairs {
  const n = op.size;
  const m = Math.min(n, steps ?? Math.max(3 * want + 40, 2 * want + 80));
  const random = createRandom(seed);
  const basis: Float64Array[] = [];
  const alpha: number[] = [];
  const beta: number[] = [];
  const w = new Float64Array(n);

  const randomUnitOrthogonal = (): Float64Array | undefined => {
    for (let attempt = 0; attempt < 5; attempt++) {
      const v = new Float64Array(n);
      for (let i = 0; i < n; i++) v[i] = random() - 0.5;
      orthogonalise(v, basis);
      orthogonalise(v, basis);
      const l = norm(v);
      if (l > 1e-8) {
        for (let i = 0; i < n; i++) v[i] /= l;
        return v;
      }
    }
    return undefined;
  };

  let q = randomUnitOrthogonal();
  let prevBeta = 0;
  while (q && basis.length < m) {
    basis.push(q);
    op.apply(q, w);
    const a = dot(w, q);
    alpha.push(a);
    const j = basis.length - 1;
    for (let i = 0; i < n; i++) w[i] -= a * q[i];
    if (j > 0) {
      const p = basis[j - 1];
      for (let i = 0; i < n; i++) w[i] -= prevBeta * p[i];
    }
    orthogonalise(w, basis);
    orthogonalise(w, basis);
    const b = norm(w);
    if (basis.length >= m) break;
    if (b < 1e-10) {
      // Invariant subspace found: continue from a fresh direction (beta = 0 decouples the blocks).
      beta.push(0);
      prevBeta = 0;
      q = randomUnitOrthogonal();
    } else {
      beta.push(b);
      prevBeta = b;
      const next = new Float64Array(n);
      for (let i = 0; i < n; i++) next[i] = w[i] / b;
      q = next;
    }
  }

  // Rayleigh–Ritz on the tridiagonal matrix.
  const size = basis.length;
  const t = new Matrix(size, size);
  for (let i = 0; i < size; i++) {
    t.set(i, i, alpha[i]);
    if (i + 1 < size) {
      t.set(i, i + 1, beta[i]);
      t.set(i + 1, i, beta[i]);
    }
  }
  const evd = new EigenvalueDecomposition(t, { assumeSymmetric: true });
  const y = evd.eigenvectorMatrix;
  return pickTop(evd.realEigenvalues, y, Math.min(want, size), (k) => {
    const v = new Float64Array(n);
    for (let s = 0; s < size; s++) {
      const c = y.get(s, k);
      if (c === 0) continue;
      const b = basis[s];
      for (let i = 0; i < n; i++) v[i] += c * b[i];
    }
    const l = norm(v);
    if (l > 0) for (let i = 0; i < n; i++) v[i] /= l;
    return v;
  });
}

function orthogonalise(v: Float64Array, basis: readonly Float64Array[]): void {
  const n = v.length;
  for (const b of basis) {
    const c = dot(v, b);
    if (c !== 0) for (let i = 0; i < n; i++) v[i] -= c * b[i];
  }
}
