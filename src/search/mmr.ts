import { cosine } from "../vector-math.js";

/** A candidate for {@link mmrSelect}: its relevance (higher is better) and its vector. */
export interface MmrCandidate<T> {
  item: T;
  relevance: number;
  /** Unit vector (or all zeros) used for redundancy; undefined counts as unrelated to everything. */
  vector: Float32Array | undefined;
}

/**
 * Maximal marginal relevance (Carbonell & Goldstein, 1998): picks `k` items one at a time,
 * each maximising `(1 − diversity) · relevance − diversity · max cosine to the items
 * already picked`. `diversity` 0 keeps the relevance order; 1 only avoids redundancy.
 * Relevance should be on a [0, 1] scale comparable with cosine similarity.
 * Ties keep the input order, so the result is deterministic.
 */
export function mmrSelect<T>(candidates: readonly MmrCandidate<T>[], k: number, diversity: number): MmrCandidate<T>[] {
  const n = candidates.length;
  const take = Math.min(k, n);
  if (diversity <= 0 || take <= 1) {
    return [...candidates]
      .map((c, i) => ({ c, i }))
      .sort((a, b) => b.c.relevance - a.c.relevance || a.i - b.i)
      .slice(0, take)
      .map((x) => x.c);
  }
  const lambda = 1 - diversity;
  const maxSim = new Float64Array(n).fill(-Infinity);
  const picked = new Uint8Array(n);
  const out: MmrCandidate<T>[] = [];
  for (let round = 0; round < take; round++) {
    let best = -1;
    let bestValue = -Infinity;
    for (let i = 0; i < n; i++) {
      if (picked[i]) continue;
      const redundancy = out.length === 0 ? 0 : Math.max(0, maxSim[i]);
      const value = lambda * candidates[i].relevance - diversity * redundancy;
      if (value > bestValue) {
        bestValue = value;
        best = i;
      }
    }
    picked[best] = 1;
    const chosen = candidates[best];
    out.push(chosen);
    for (let i = 0; i < n; i++) {
      if (picked[i]) continue;
      const s = cosine(chosen.vector, candidates[i].vector);
      if (s > maxSim[i]) maxSim[i] = s;
    }
  }
  return out;
}

export { cosine } from "../vector-math.js";
