/**
 * k-means (ml-kmeans, k-means++ start) with several seeded restarts, keeping the lowest inertia.
 */
import { kmeans } from "ml-kmeans";
import { createRandom } from "./linalg.js";

export interface Clustering {
  /** Cluster of each point, 0..k-1, renumbered so that clusters appear in order of first member. */
  labels: Int32Array;
  /** Centre of each cluster (mean of its points). */
  centres: number[][];
  /** Sum of squared distances of the points to their centres. */
  inertia: number;
  k: number;
}

export interface KMeansOptions {
  seed: number;
  restarts: number;
  maxIterations?: number;
}

/** Best of `restarts` k-means runs (seeds derived from `seed`), ties broken by restart order. */
export function bestKMeans(points: number[][], k: number, options: KMeansOptions): Clustering {
  const n = points.length;
  if (k <= 1 || n <= 1) return single(points);
  if (k >= n) return each(points);
  let best: Clustering | undefined;
  for (let r = 0; r < Math.max(1, options.restarts); r++) {
    const random = createRandom((options.seed * 1_000_003 + r * 7919) >>> 0);
    const result = kmeans(points, k, {
      initialization: kmeansPlusPlus(points, k, random),
      maxIterations: options.maxIterations ?? 100,
    });
    const c = finish(points, Int32Array.from(result.clusters), k);
    if (!best || c.inertia < best.inertia - 1e-9) best = c;
  }
  return best!;
}

function single(points: number[][]): Clustering {
  return finish(points, new Int32Array(points.length), Math.min(1, points.length));
}

function each(points: number[][]): Clustering {
  return finish(
    points,
    Int32Array.from(points, (_, i) => i),
    points.length,
  );
}

/** Renumber labels by first appearance, drop empty clusters, recompute centres and inertia. */
export function finish(points: number[][], labels: Int32Array, k: number): Clustering {
  const n = points.length;
  const d = n > 0 ? points[0].length : 0;
  const map = new Int32Array(Math.max(k, 1)).fill(-1);
  let next = 0;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const l = labels[i];
    if (map[l] < 0) map[l] = next++;
    out[i] = map[l];
  }
  const centres = Array.from({ length: next }, () => new Array<number>(d).fill(0));
  const sizes = new Array<number>(next).fill(0);
  for (let i = 0; i < n; i++) {
    const c = centres[out[i]];
    sizes[out[i]]++;
    const p = points[i];
    for (let j = 0; j < d; j++) c[j] += p[j];
  }
  for (let c = 0; c < next; c++) for (let j = 0; j < d; j++) centres[c][j] /= sizes[c];
  let inertia = 0;
  for (let i = 0; i < n; i++) {
    const c = centres[out[i]];
    const p = points[i];
    for (let j = 0; j < d; j++) inertia += (p[j] - c[j]) ** 2;
  }
  return { labels: out, centres, inertia, k: next };
}

/**
 * Greedy k-means++ seeding (Arthur & Vassilvitskii 2007; the variant of scikit-learn and
 * ml-kmeans: 2 + ⌊ln k⌋ candidates per step, keep the one that lowers the potential most),
 * written over flat typed arrays: ml-kmeans' own seeding allocates a row per distance and
 * dominates its run time on thousands of points.
 */
export function kmeansPlusPlus(points: number[][], k: number, random: () => number): number[][] {
  const n = points.length;
  const d = n > 0 ? points[0].length : 0;
  const flat = new Float64Array(n * d);
  for (let i = 0; i < n; i++) flat.set(points[i], i * d);
  const dist2 = (i: number, c: number) => {
    let s = 0;
    const a = i * d;
    const b = c * d;
    for (let j = 0; j < d; j++) {
      const x = flat[a + j] - flat[b + j];
      s += x * x;
    }
    return s;
  };
  const trials = 2 + Math.floor(Math.log(k));
  const chosen: number[] = [Math.min(n - 1, Math.floor(random() * n))];
  let closest = new Float64Array(n);
  let potential = 0;
  for (let i = 0; i < n; i++) {
    closest[i] = dist2(i, chosen[0]);
    potential += closest[i];
  }
  const candidateDist = new Float64Array(n);
  let bestDist = new Float64Array(n);
  while (chosen.length < k) {
    let bestPotential = Infinity;
    let bestCandidate = -1;
    for (let t = 0; t < trials; t++) {
      const candidate = sample(closest, potential, random);
      let p = 0;
      for (let i = 0; i < n; i++) {
        const v = Math.min(closest[i], dist2(i, candidate));
        candidateDist[i] = v;
        p += v;
      }
      if (p < bestPotential) {
        bestPotential = p;
        bestCandidate = candidate;
        bestDist.set(candidateDist);
      }
    }
    chosen.push(bestCandidate);
    const swap = closest;
    closest = bestDist;
    bestDist = swap;
    potential = bestPotential;
  }
  return chosen.map((i) => points[i].slice());
}

/** An index drawn with probability proportional to `weights` (uniform when they are all 0). */
function sample(weights: Float64Array, total: number, random: () => number): number {
  const n = weights.length;
  if (!(total > 0)) return Math.min(n - 1, Math.floor(random() * n));
  let r = random() * total;
  for (let i = 0; i < n; i++) {
    r -= weights[i];
    if (r < 0) return i;
  }
  for (let i = n - 1; i >= 0; i--) if (weights[i] > 0) return i;
  return n - 1;
}
