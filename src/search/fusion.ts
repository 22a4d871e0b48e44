/**
 * Rank fusion of several ranked lists of ids.
 *
 * Two methods are provided and compared in `bench/library.ts`:
 * - {@link reciprocalRankFusion}: Σ 1 / (c + rank), scale-free (Cormack et al., 2009);
 * - {@link scoreFusion}: a weighted sum of per-list scores already on [0, 1].
 */

/** One ranked list: ids best first, each with an optional score on [0, 1]. */
export interface RankedList {
  hits: ReadonlyArray<{ id: string; score: number }>;
  /** Weight of this list in the fusion (default 1). */
  weight?: number;
}

export interface FusedHit {
  id: string;
  /** Fused score on [0, 1]. */
  score: number;
}

/**
 * Reciprocal-rank fusion, normalised to [0, 1] by the score of an id ranked first in
 * every list. `c` (default 60) damps the head of each list.
 */
export function reciprocalRankFusion(lists: readonly RankedList[], c = 60): FusedHit[] {
  const scores = new Map<string, number>();
  let max = 0;
  for (const list of lists) {
    const w = list.weight ?? 1;
    max += w / (c + 1);
    list.hits.forEach((h, rank) => {
      scores.set(h.id, (scores.get(h.id) ?? 0) + w / (c + rank + 1));
    });
  }
  return sortFused(scores, max);
}

/**
 * Weighted score fusion: Σ wᵢ · scoreᵢ / Σ wᵢ, where an id absent from a list scores
 * `missing(list)` there (default 0). Scores must already be on [0, 1].
 */
export function scoreFusion(lists: readonly RankedList[], missing?: (listIndex: number) => number): FusedHit[] {
  const totalWeight = lists.reduce((s, l) => s + (l.weight ?? 1), 0) || 1;
  const present = new Map<string, number[]>();
  lists.forEach((list, li) => {
    for (const h of list.hits) {
      let row = present.get(h.id);
      if (!row) {
        row = new Array<number>(lists.length).fill(Number.NaN);
        present.set(h.id, row);
      }
      row[li] = h.score;
    }
  });
  const scores = new Map<string, number>();
  for (const [id, row] of present) {
    let s = 0;
    row.forEach((v, li) => {
      const score = Number.isNaN(v) ? (missing?.(li) ?? 0) : v;
      s += (lists[li].weight ?? 1) * score;
    });
    scores.set(id, s);
  }
  return sortFused(scores, totalWeight);
}

function sortFused(scores: Map<string, number>, max: number): FusedHit[] {
  const out: FusedHit[] = [];
  for (const [id, s] of scores) out.push({ id, score: max > 0 ? Math.min(1, Math.max(0, s / max)) : 0 });
  // Stable: ties keep first-seen order (Map iteration order).
  return out
    .map((h, i) => ({ h, i }))
    .sort((a, b) => b.h.score - a.h.score || a.i - b.i)
    .map((x) => x.h);
}
