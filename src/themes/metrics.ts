/**
 * External clustering-quality measures against reference labels: normalised mutual information
 * (arithmetic-mean normalisation, as scikit-learn's default) and the adjusted Rand index.
 */

function contingency(a: readonly (string | number)[], b: readonly (string | number)[]) {
  if (a.length !== b.length) throw new RangeError("label arrays differ in length");
  const ai = new Map<string | number, number>();
  const bi = new Map<string | number, number>();
  const codeA = a.map((x) => (ai.has(x) ? ai.get(x)! : (ai.set(x, ai.size), ai.size - 1)));
  const codeB = b.map((x) => (bi.has(x) ? bi.get(x)! : (bi.set(x, bi.size), bi.size - 1)));
  const table = new Map<number, number>();
  const rows = new Array<number>(ai.size).fill(0);
  const cols = new Array<number>(bi.size).fill(0);
  for (let i = 0; i < a.length; i++) {
    const key = codeA[i] * bi.size + codeB[i];
    table.set(key, (table.get(key) ?? 0) + 1);
    rows[codeA[i]]++;
    cols[codeB[i]]++;
  }
  return { table, rows, cols, n: a.length, width: bi.size };
}

/** Normalised mutual information in [0, 1] (1 = identical partitions). */
export function nmi(a: readonly (string | number)[], b: readonly (string | number)[]): number {
  const { table, rows, cols, n, width } = contingency(a, b);
  if (n === 0) return 1;
  const h = (xs: number[]) => -xs.reduce((s, x) => (x > 0 ? s + (x / n) * Math.log(x / n) : s), 0);
  const ha = h(rows);
  const hb = h(cols);
  if (ha === 0 && hb === 0) return 1;
  let mi = 0;
  for (const [key, nij] of table) {
    const i = Math.floor(key / width);
    const j = key % width;
    mi += (nij / n) * Math.log((n * nij) / (rows[i] * cols[j]));
  }
  const denom = (ha + hb) / 2;
  return denom > 0 ? Math.max(0, Math.min(1, mi / denom)) : 0;
}

/** Adjusted Rand index (1 = identical partitions, about 0 = chance). */
export function ari(a: readonly (string | number)[], b: readonly (string | number)[]): number {
  const { table, rows, cols, n } = contingency(a, b);
  const c2 = (x: number) => (x * (x - 1)) / 2;
  let index = 0;
  for (const v of table.values()) index += c2(v);
  const sa = rows.reduce((s, x) => s + c2(x), 0);
  const sb = cols.reduce((s, x) => s + c2(x), 0);
  const expected = n > 1 ? (sa * sb) / c2(n) : 0;
  const max = (sa + sb) / 2;
  if (max === expected) return 1;
  return (index - expected) / (max - expected);
}

/**
 * Mean silhouette of a clustering of unit vectors under cosine distance (1 − cos), computed
 * exactly in O(n·k·d) from per-cluster vector sums instead of O(n²·d) pairwise distances.
 * Points alone in their cluster score 0, as in scikit-learn.
 */
export function cosineSilhouette(vectors: readonly ArrayLike<number>[], labels: ArrayLike<number>): number {
  const n = vectors.length;
  if (n === 0) return 0;
  const d = vectors[0].length;
  let k = 0;
  for (let i = 0; i < n; i++) k = Math.max(k, labels[i] + 1);
  if (k < 2) return 0;
  const sums = Array.from({ length: k }, () => new Float64Array(d));
  const sizes = new Array<number>(k).fill(0);
  for (let i = 0; i < n; i++) {
    const s = sums[labels[i]];
    sizes[labels[i]]++;
    const v = vectors[i];
    for (let j = 0; j < d; j++) s[j] += v[j];
  }
  let total = 0;
  for (let i = 0; i < n; i++) {
    const v = vectors[i];
    const own = labels[i];
    if (sizes[own] <= 1) continue;
    let selfDot = 0;
    for (let j = 0; j < d; j++) selfDot += v[j] * v[j];
    let a = 0;
    let b = Infinity;
    for (let c = 0; c < k; c++) {
      if (sizes[c] === 0) continue;
      const s = sums[c];
      let dotSum = 0;
      for (let j = 0; j < d; j++) dotSum += v[j] * s[j];
      if (c === own) a = 1 - (dotSum - selfDot) / (sizes[c] - 1);
      else b = Math.min(b, 1 - dotSum / sizes[c]);
    }
    const m = Math.max(a, b);
    total += m > 0 ? (b - a) / m : 0;
  }
  return total / n;
}
