/**
 * Principal-component reduction of unit vectors: the "k-means on PCA-64" baseline of
 * bench/themes.ts (the library itself clusters in a spectral embedding instead).
 */
import { topEigenpairs, type SymmetricOperator } from "../src/themes/linalg.js";

export interface Reduction {
  /** Reduced vectors, unit length (a vector that projects to zero stays zero). */
  vectors: Float64Array[];
  /** The mean removed before projecting (length d), or undefined when not centred. */
  mean?: Float64Array;
  /** Principal directions (each of length d), strongest first. */
  components: Float64Array[];
}

/**
 * Projects unit vectors onto their `dimensions` leading principal components (centred when
 * `centre` is true) and scales the results to unit length.
 */
export function reduceDimensions(
  vectors: readonly Float64Array[],
  dimensions: number,
  options: { centre?: boolean; seed?: number } = {},
): Reduction {
  const n = vectors.length;
  const d = n > 0 ? vectors[0].length : 0;
  const p = Math.max(1, Math.min(dimensions, d, n));
  const mean = options.centre ? new Float64Array(d) : undefined;
  if (mean) {
    for (const v of vectors) for (let j = 0; j < d; j++) mean[j] += v[j] / n;
  }
  const x = vectors.map((v) => {
    if (!mean) return v;
    const c = new Float64Array(d);
    for (let j = 0; j < d; j++) c[j] = v[j] - mean[j];
    return c;
  });
  let components: Float64Array[];
  if (n < d) {
    // Gram side: eigenvectors u of X·Xᵀ give directions Xᵀu / √λ.
    const op: SymmetricOperator = {
      size: n,
      apply(a, out) {
        const t = new Float64Array(d);
        for (let i = 0; i < n; i++) {
          const ai = a[i];
          if (ai === 0) continue;
          const xi = x[i];
          for (let j = 0; j < d; j++) t[j] += ai * xi[j];
        }
        for (let i = 0; i < n; i++) {
          const xi = x[i];
          let s = 0;
          for (let j = 0; j < d; j++) s += xi[j] * t[j];
          out[i] = s;
        }
      },
    };
    const pairs = topEigenpairs(op, p, { seed: options.seed });
    components = pairs.vectors.map((u) => {
      const c = new Float64Array(d);
      for (let i = 0; i < n; i++) {
        const ui = u[i];
        if (ui === 0) continue;
        const xi = x[i];
        for (let j = 0; j < d; j++) c[j] += ui * xi[j];
      }
      let s = 0;
      for (let j = 0; j < d; j++) s += c[j] * c[j];
      const l = Math.sqrt(s);
      if (l > 0) for (let j = 0; j < d; j++) c[j] /= l;
      return c;
    });
  } else {
    // Covariance side: eigenvectors of Xᵀ·X directly.
    const op: SymmetricOperator = {
      size: d,
      apply(a, out) {
        out.fill(0);
        for (let i = 0; i < n; i++) {
          const xi = x[i];
          let s = 0;
          for (let j = 0; j < d; j++) s += xi[j] * a[j];
          if (s === 0) continue;
          for (let j = 0; j < d; j++) out[j] += s * xi[j];
        }
      },
    };
    components = topEigenpairs(op, p, { seed: options.seed }).vectors;
  }
  return { vectors: x.map((v) => project(v, components)), mean, components };
}

function project(x: ArrayLike<number>, components: readonly Float64Array[]): Float64Array {
  const out = new Float64Array(components.length);
  let s = 0;
  for (let c = 0; c < components.length; c++) {
    const comp = components[c];
    let t = 0;
    for (let j = 0; j < comp.length; j++) t += comp[j] * x[j];
    out[c] = t;
    s += t * t;
  }
  const l = Math.sqrt(s);
  if (l > 1e-12) for (let c = 0; c < out.length; c++) out[c] /= l;
  else out.fill(0);
  return out;
}
