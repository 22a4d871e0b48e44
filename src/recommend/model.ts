/**
 * Recommendations from liked (and disliked) papers: which papers of a library to read next.
 *
 * The model, chosen by measurement in `bench/recommend.ts` (label precision of the top 20
 * on labelled arXiv papers, side by side with arxiv-sanity-lite's TF-IDF + linear SVM):
 *
 * 1. The liked papers are split into subjects (average-linkage groups of their vectors), so
 *    that likes in two unrelated fields give papers of both, not of the midpoint. From 3
 *    likes on, a group with a single like or under a quarter of the likes joins its nearest
 *    (one odd paper among likes of one field is not a subject of its own).
 * 2. Each subject is scored on its own. One or two likes and no dislikes: the cosine to the
 *    subject's centroid moved towards its 10 nearest papers (query expansion). Three likes or
 *    more (or any dislike): the subject's *whitened direction* — from the library's mean to the
 *    likes' mean, through the inverse of the library's covariance shrunk towards the identity
 *    (a shrunk linear discriminant between the likes and the library, closed form). Directions
 *    along which the whole library varies count less than the ones the likes stand out on.
 *    Disliked papers move the direction away from their mean (`dislikeShift`).
 * 3. The subjects' rankings are merged in proportion to how many likes each has.
 *
 * Candidates come from the vector index (the nearest papers to each subject's direction),
 * so the cost grows with the number of subjects, not with the size of the library.
 */
import { CholeskyDecomposition, Matrix } from "ml-matrix";
import { InvalidArgumentError, UnknownPaperError } from "../errors.js";
import type { Paper } from "../paper.js";
import { compileFilter, type PaperFilter } from "../search/filter.js";
import { mmrSelect, type MmrCandidate } from "../search/mmr.js";
import type { SearchHit } from "../search/types.js";
import { type Bm25Index, strongestTerms } from "../text/bm25.js";
import { seededRandom, seededSample } from "../text/random.js";
import { clamp01, cosine, isZero, norm, normalized } from "../vector-math.js";
import type { VectorHit } from "../vector-index/types.js";

/** What the model needs from a library. @internal */
export interface RecommendSource {
  readonly size: number;
  get(id: string): Paper | undefined;
  /** Unit vector of a held paper. */
  vector(id: string): Float32Array | undefined;
  /** Every held id. */
  ids(): string[];
  /** Nearest papers to a vector (approximate), best first. */
  search(vector: ArrayLike<number>, options: { k: number; filter?: (id: string) => boolean }): Promise<VectorHit[]>;
  readonly keywords: Bm25Index;
  /** A value derived from the held papers, kept until they change (computed on every call without it). */
  memo?<T>(key: string, compute: () => T): T;
}

/** Options of `PaperLibrary.recommend`. */
export interface RecommendOptions {
  /**
   * The papers the reader liked: ids, or `{ collection: name }`. Default: the collection
   * `"liked"` (filled by `papermap like`).
   */
  liked?: readonly string[] | { collection: string };
  /**
   * Papers the reader did not want: ids, or `{ collection: name }`. They push similar papers
   * down. Default: the collection `"disliked"` (filled by `papermap dislike`), if any. A paper
   * both liked and disliked counts as liked.
   */
  disliked?: readonly string[] | { collection: string };
  /** How many hits at most (default 10). Liked and disliked papers are never hits. */
  k?: number;
  /** Metadata conditions every hit must meet, e.g. `{ from: "2025-11-21" }` for one day's papers. */
  filter?: PaperFilter;
  /** Maximal-marginal-relevance trade-off in [0, 1] (0 = none; 0.3 is a good start). */
  diversity?: number;
}

/** One recommended paper and why. */
export interface RecommendHit extends SearchHit {
  why: {
    /** The liked papers it is closest to (the closest first; at most 3). */
    closestLiked: Array<{ id: string; title: string; similarity: number }>;
    /** Characteristic words of the closest liked paper that this paper shares (at most 8). */
    sharedWords: string[];
  };
}

/** Ranking knobs, measured in `bench/recommend.ts`; exposed for experiments, not a stable API. */
export interface RecommendTuning {
  /**
   * Subjects with at least this many likes (or any dislike) are scored along their whitened
   * direction (or the logistic regression, see `method`); fewer use the expanded centroid.
   */
  classifierMinLikes: number;
  /**
   * How a subject with enough likes is scored: `"whitened"` — the direction from the
   * library's mean to the liked papers' mean, through the inverse of the library's
   * covariance shrunk towards a multiple of the identity (shrunk linear discriminant);
   * `"logistic"` — a logistic regression of the likes against a sample of the library.
   */
  method: "whitened" | "logistic";
  /**
   * Shrinkage of the library covariance towards (trace / d) × I in the whitened direction, in
   * (0, 1]; 1 (no whitening: the plain difference of the means) in a library of fewer than 10
   * papers per dimension.
   */
  shrinkage: number;
  /** Weight of the direction away from the disliked papers' mean, relative to the direction towards the liked. */
  dislikeShift: number;
  /**
   * Papers the library's mean and covariance are estimated from at most (a seeded sample; fewer
   * for vectors wider than ~200 dimensions, never under 4 × the dimension).
   */
  statisticsSample: number;
  /** Nearest papers pulled into a subject's centroid (query expansion) and used as soft positives. */
  expansion: number;
  /** Weight of the expansion papers added to the unit centroid (times their similarity, averaged). */
  expansionWeight: number;
  /** Method "logistic": weight of each expansion paper as a soft positive, relative to a liked paper. */
  softPositiveWeight: number;
  /** Method "logistic": weight of a disliked paper as a negative, relative to an average sampled paper. */
  dislikeWeight: number;
  /** Method "logistic": library papers sampled as negatives. */
  negativeSample: number;
  /** Method "logistic": L2 penalty and gradient steps of the regression. */
  l2: number;
  iterations: number;
  /**
   * Two groups of likes stay separate subjects when their average similarity is below
   * background + splitThreshold × (neighbour − background), where background is the mean
   * similarity of random library papers and neighbour that of a paper to its nearest ones.
   */
  splitThreshold: number;
  /** At most this many subjects (the smallest are merged into their nearest). */
  maxSubjects: number;
  /**
   * From 3 likes on, a subject with fewer than max(2, minSubjectShare × likes) likes joins its
   * nearest subject (0 = only single likes do; negative = off), so that one odd paper among likes of one field
   * does not become a subject of its own.
   */
  minSubjectShare: number;
  /**
   * Bonus for a candidate that shares an author with a liked paper: score becomes
   * (score + authorWeight) / (1 + authorWeight) (0 = off; needs `Paper.authors`).
   */
  authorWeight: number;
  /** Candidates taken from the index per subject: max(candidatePool, candidateFactor · k). */
  candidatePool: number;
  candidateFactor: number;
}

export const DEFAULT_RECOMMEND_TUNING: RecommendTuning = {
  classifierMinLikes: 3,
  method: "whitened",
  shrinkage: 0.9,
  dislikeShift: 0.25,
  statisticsSample: 5000,
  expansion: 10,
  expansionWeight: 1,
  softPositiveWeight: 0.3,
  dislikeWeight: 10,
  negativeSample: 2000,
  l2: 1e-3,
  iterations: 60,
  splitThreshold: 0,
  maxSubjects: 6,
  minSubjectShare: 0.25,
  authorWeight: 0.3,
  candidatePool: 200,
  candidateFactor: 10,
};

/** Liked and disliked ids, already resolved and checked. @internal */
export interface RecommendInput {
  liked: readonly string[];
  disliked: readonly string[];
  k: number;
  filter?: PaperFilter;
  diversity: number;
}

/** Checks `k` and `diversity` the way search does. @internal */
export function checkRecommendOptions(options: RecommendOptions): { k: number; diversity: number } {
  if (options === null || typeof options !== "object") {
    throw new InvalidArgumentError(
      `recommend: options must be an object like { k: 20 }, got ${options === null ? "null" : typeof options}.`,
    );
  }
  const k = options.k ?? 10;
  if (typeof k !== "number" || !Number.isInteger(k) || k < 1)
    throw new InvalidArgumentError(`recommend: k must be a whole number ≥ 1, got ${JSON.stringify(k)}.`);
  const diversity = options.diversity ?? 0;
  if (typeof diversity !== "number" || !(diversity >= 0 && diversity <= 1)) {
    throw new InvalidArgumentError(`recommend: diversity must be a number in [0, 1] (0 = none), got ${JSON.stringify(diversity)}.`);
  }
  return { k, diversity };
}

/** Throws {@link UnknownPaperError} for the first id the library does not hold. @internal */
export function checkKnown(source: Pick<RecommendSource, "get">, ids: readonly string[], what: string): void {
  for (const id of ids) {
    if (typeof id !== "string")
      throw new InvalidArgumentError(`recommend: ${what} papers must be ids (strings), got ${JSON.stringify(id)}.`);
    if (!source.get(id)) throw new UnknownPaperError(id, `recommend: every ${what} paper must be a paper of this library (see papers()).`);
  }
}

interface Subject {
  ids: string[];
  vectors: Float32Array[];
}

interface Scored {
  id: string;
  score: number;
}

/** Recommendations for already-checked liked / disliked ids; see `PaperLibrary.recommend`. @internal */
export async function recommendPapers(
  source: RecommendSource,
  input: RecommendInput,
  tuning: RecommendTuning = DEFAULT_RECOMMEND_TUNING,
): Promise<RecommendHit[]> {
  const { k, diversity } = input;
  const likedSet = new Set(input.liked);
  const dislikedIds = input.disliked.filter((id) => !likedSet.has(id));
  const excluded = new Set([...input.liked, ...dislikedIds]);
  const guard = compileFilter(input.filter, (id) => source.get(id));
  const accept = (id: string) => !excluded.has(id) && (!guard.accept || guard.accept(id));

  const likedVectors = new Map<string, Float32Array>();
  for (const id of input.liked) {
    const v = source.vector(id);
    if (v && !isZero(v)) likedVectors.set(id, v);
  }
  if (likedVectors.size === 0 || source.size <= excluded.size) return [];
  const disliked = dislikedIds.map((id) => source.vector(id)).filter((v): v is Float32Array => !!v && !isZero(v));

  const rand = seededRandom(hashIds([...likedVectors.keys()]));
  const threshold = await splitThreshold(source, likedVectors, rand, tuning.splitThreshold);
  const subjects = splitSubjects([...likedVectors.entries()], threshold, tuning.maxSubjects, tuning.minSubjectShare);
  const pool = Math.max(tuning.candidatePool, tuning.candidateFactor * k);
  const usesDirection = (subject: Subject) => disliked.length > 0 || subject.ids.length >= tuning.classifierMinLikes;
  const directed = subjects.some(usesDirection);
  const logistic = tuning.method === "logistic";
  const negatives = directed && logistic ? sampleNegatives(source, excluded, tuning, rand) : [];
  const statistics = directed && !logistic ? cachedStatistics(source, tuning) : undefined;
  const dislikedMean = disliked.length > 0 ? meanOf(disliked) : undefined;

  const likedAuthors = new Set(input.liked.flatMap((id) => (source.get(id)?.authors ?? []).map(authorKey)).filter((a) => a !== ""));
  const authorBonus = (id: string, score: number) => {
    if (tuning.authorWeight <= 0 || likedAuthors.size === 0) return score;
    const shared = (source.get(id)?.authors ?? []).some((a) => likedAuthors.has(authorKey(a)));
    return shared ? (score + tuning.authorWeight) / (1 + tuning.authorWeight) : score / (1 + tuning.authorWeight);
  };
  const rankings: Scored[][] = [];
  for (const subject of subjects) {
    const likedMean = meanOf(subject.vectors);
    const useDirection = usesDirection(subject);
    const useClassifier = useDirection && logistic;
    // The subject's 10 nearest papers: its query expansion, or the regression's soft positives.
    const near =
      !useDirection || useClassifier
        ? await source.search(normalized(likedMean), { k: tuning.expansion, filter: (id) => !excluded.has(id) })
        : [];
    let direction: Float64Array;
    let bias = 0;
    if (useClassifier) {
      const soft = near.map((h) => source.vector(h.id)!);
      ({ w: direction, b: bias } = logisticRegression(subject.vectors, soft, negatives, disliked, tuning));
    } else if (useDirection && statistics) {
      direction = whitenedDirection(statistics, likedMean, dislikedMean, tuning.dislikeShift);
    } else {
      direction = normalized(likedMean);
      for (const h of near) {
        const v = source.vector(h.id)!;
        const w = (tuning.expansionWeight * Math.max(0, h.similarity)) / Math.max(1, near.length);
        for (let j = 0; j < direction.length; j++) direction[j] += w * v[j];
      }
    }
    const query = Float32Array.from(normalized(direction));
    const hits = await source.search(query, { k: pool, filter: accept });
    guard.check();
    const length = norm(direction) || 1;
    const scored = hits.map((h) => ({
      id: h.id,
      score: authorBonus(h.id, useClassifier ? sigmoid(h.similarity * length + bias) : clamp01(h.similarity)),
    }));
    scored.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1));
    rankings.push(scored);
  }

  const merged = mergeRankings(
    rankings,
    subjects.map((s) => s.ids.length),
  );
  let chosen = merged;
  if (diversity > 0) {
    const candidates: MmrCandidate<Scored>[] = merged
      .slice(0, Math.max(5 * k, 50))
      .map((s) => ({ item: s, relevance: s.score, vector: source.vector(s.id) }));
    chosen = mmrSelect(candidates, k, diversity).map((c) => c.item);
  }
  return chosen.slice(0, k).map((s) => explain(source, s, likedVectors));
}

/**
 * Average-linkage grouping of the liked papers: two groups merge while their average
 * similarity is at least `threshold`; then the smallest groups are merged into their
 * nearest until at most `maxSubjects` remain. Beyond 200 likes, the first 200 are grouped
 * and each other like joins the group whose centroid is closest.
 */
function splitSubjects(liked: Array<[string, Float32Array]>, threshold: number, maxSubjects: number, minShare = -1): Subject[] {
  const head = liked.slice(0, 200);
  const n = head.length;
  // sums[a][b]: sum of similarities between the members of groups a and b.
  const sums = head.map(([, x]) => head.map(([, y]) => cosine(x, y)));
  const members: number[][] = head.map((_, i) => [i]);
  const alive = new Array<boolean>(n).fill(true);
  let count = n;
  const linkage = (a: number, b: number) => sums[a][b] / (members[a].length * members[b].length);
  while (count > 1) {
    let best = -Infinity;
    let bi = -1;
    let bj = -1;
    for (let i = 0; i < n; i++) {
      if (!alive[i]) continue;
      for (let j = i + 1; j < n; j++) {
        if (!alive[j]) continue;
        const s = linkage(i, j);
        if (s > best) (best = s), (bi = i), (bj = j);
      }
    }
    if (best < threshold) {
      let small = -1;
      for (let i = 0; i < n; i++) if (alive[i] && (small < 0 || members[i].length < members[small].length)) small = i;
      const tooSmall = n >= 3 && minShare >= 0 && members[small].length < Math.max(2, minShare * n);
      if (count <= maxSubjects && !tooSmall) break;
      // Too many subjects, or one too small: the smallest joins its nearest.
      let near = -Infinity;
      bi = small;
      for (let j = 0; j < n; j++) {
        if (!alive[j] || j === small) continue;
        const s = linkage(small, j);
        if (s > near) (near = s), (bj = j);
      }
    }
    // Merge bj into bi.
    for (let t = 0; t < n; t++) {
      sums[bi][t] += sums[bj][t];
      sums[t][bi] = sums[bi][t];
    }
    sums[bi][bi] += sums[bj][bj];
    members[bi].push(...members[bj]);
    alive[bj] = false;
    count--;
  }
  const groups: Subject[] = [];
  for (let i = 0; i < n; i++) {
    if (!alive[i]) continue;
    groups.push({ ids: members[i].map((m) => head[m][0]), vectors: members[i].map((m) => head[m][1]) });
  }
  if (liked.length > n) {
    const centroids = groups.map((g) => normalized(meanOf(g.vectors)));
    for (const [id, v] of liked.slice(n)) {
      let best = 0;
      let bestSim = -Infinity;
      centroids.forEach((c, i) => {
        let s = 0;
        for (let j = 0; j < c.length; j++) s += c[j] * v[j];
        if (s > bestSim) (bestSim = s), (best = i);
      });
      groups[best].ids.push(id);
      groups[best].vectors.push(v);
    }
  }
  // Larger subjects first; ties by their first liked paper, for determinism.
  return groups.sort((a, b) => b.ids.length - a.ids.length || (a.ids[0] < b.ids[0] ? -1 : 1));
}

/**
 * The split threshold on this library's similarity scale: background (mean similarity of
 * random pairs of papers) + factor × (similarity of a liked paper to its nearest papers −
 * background).
 */
async function splitThreshold(
  source: RecommendSource,
  liked: Map<string, Float32Array>,
  rand: () => number,
  factor: number,
): Promise<number> {
  const ids = source.ids();
  let background = 0;
  const pairs = Math.min(200, ids.length);
  for (let i = 0; i < pairs; i++) {
    const a = source.vector(ids[Math.floor(rand() * ids.length)]);
    const b = source.vector(ids[Math.floor(rand() * ids.length)]);
    background += cosine(a, b) / pairs;
  }
  // The nearest-neighbour similarity only matters with a factor and two likes or more.
  if (factor === 0 || liked.size < 2) return background;
  let neighbour = 0;
  const probe = [...liked.entries()].slice(0, 10);
  for (const [id, v] of probe) {
    const hits = await source.search(v, { k: 4, filter: (x) => x !== id });
    neighbour += (hits.length > 0 ? hits.reduce((s, h) => s + h.similarity, 0) / hits.length : background) / probe.length;
  }
  return background + factor * (neighbour - background);
}

/** Mean and shrunk covariance of the library's vectors, the inverse of which whitens a direction. */
interface LibraryStatistics {
  mean: Float64Array;
  /** Cholesky decomposition of (1 − s) Σ + s (trace Σ / d) I; none when the covariance is not used. */
  covariance?: CholeskyDecomposition;
}

/** {@link libraryStatistics}, computed once per state of the library when the source can keep it. */
function cachedStatistics(source: RecommendSource, tuning: RecommendTuning): LibraryStatistics {
  const compute = () => libraryStatistics(source, tuning);
  return source.memo ? source.memo(`recommend-statistics/${tuning.shrinkage}/${tuning.statisticsSample}`, compute) : compute();
}

/** The library's mean and shrunk covariance, from a seeded sample of at most `statisticsSample` papers. */
function libraryStatistics(source: RecommendSource, tuning: RecommendTuning): LibraryStatistics {
  const ids = source.ids();
  const d = source.vector(ids[0])!.length;
  // The covariance costs take × d² / 2: wide vectors get a smaller sample, never under 4 × d papers.
  const take = Math.min(tuning.statisticsSample, Math.max(4 * d, Math.round(2e8 / (d * d))));
  const rows = seededSample(ids, take, seededRandom(0x5eed))
    .map((id) => source.vector(id))
    .filter((v): v is Float32Array => !!v);
  const mean = meanOf(rows);
  // Below 10 papers per dimension the covariance is not trusted (in a small library its largest
  // directions are the few subjects it holds, which whitening would discount): no whitening.
  const s = Math.min(1, Math.max(tuning.shrinkage, 1e-6));
  if (ids.length < 10 * d || s === 1) return { mean };
  const low = new Float64Array(d * d); // lower triangle of Σ, row-major
  const x = new Float64Array(d);
  for (const r of rows) {
    for (let a = 0; a < d; a++) x[a] = r[a] - mean[a];
    for (let a = 0; a < d; a++) {
      const xa = x[a] / rows.length;
      if (xa === 0) continue;
      const o = a * d;
      for (let b = 0; b <= a; b++) low[o + b] += xa * x[b];
    }
  }
  let trace = 0;
  for (let a = 0; a < d; a++) trace += low[a * d + a];
  const ridge = s * (trace / d) + 1e-9;
  const cov = new Matrix(d, d);
  for (let a = 0; a < d; a++) {
    for (let b = 0; b < a; b++) {
      const v = (1 - s) * low[a * d + b];
      cov.set(a, b, v);
      cov.set(b, a, v);
    }
    cov.set(a, a, (1 - s) * low[a * d + a] + ridge);
  }
  return { mean, covariance: new CholeskyDecomposition(cov) };
}

/**
 * The subject's whitened direction: A⁻¹ ((liked mean − library mean) − shift × (disliked mean − library mean)),
 * A the shrunk covariance (a linear discriminant between the likes and the library); without
 * a covariance, that difference itself.
 */
function whitenedDirection(stats: LibraryStatistics, liked: Float64Array, disliked: Float64Array | undefined, shift: number): Float64Array {
  const target = liked.map((x, j) => x - stats.mean[j] - (disliked ? shift * (disliked[j] - stats.mean[j]) : 0));
  return stats.covariance ? Float64Array.from(stats.covariance.solve(Matrix.columnVector(target)).to1DArray()) : target;
}

function sampleNegatives(source: RecommendSource, excluded: Set<string>, tuning: RecommendTuning, rand: () => number): Float32Array[] {
  const ids = source.ids().filter((id) => !excluded.has(id));
  return seededSample(ids, tuning.negativeSample, rand)
    .map((id) => source.vector(id))
    .filter((v): v is Float32Array => !!v);
}

/**
 * Balanced, L2-regularised logistic regression by full-batch gradient descent: positives
 * (liked, plus soft positives at a reduced weight) carry half the weight, the negatives
 * (sampled papers, disliked ones weighted more) the other half.
 */
function logisticRegression(
  liked: readonly Float32Array[],
  soft: readonly Float32Array[],
  sampled: readonly Float32Array[],
  disliked: readonly Float32Array[],
  tuning: RecommendTuning,
): { w: Float64Array; b: number } {
  const rows: Float32Array[] = [];
  const y: number[] = [];
  const weight: number[] = [];
  const posW = 0.5 / liked.length;
  for (const v of liked) rows.push(v), y.push(1), weight.push(posW);
  for (const v of soft) rows.push(v), y.push(1), weight.push(tuning.softPositiveWeight * posW);
  const negW = 0.5 / Math.max(1, sampled.length + disliked.length);
  for (const v of sampled) rows.push(v), y.push(0), weight.push(negW);
  for (const v of disliked) rows.push(v), y.push(0), weight.push(tuning.dislikeWeight * negW);
  const d = liked[0].length;
  const w = new Float64Array(d);
  let b = 0;
  const rate = 2;
  const g = new Float64Array(d);
  for (let it = 0; it < tuning.iterations; it++) {
    g.fill(0);
    let gb = 0;
    for (let i = 0; i < rows.length; i++) {
      const x = rows[i];
      let z = b;
      for (let j = 0; j < d; j++) z += w[j] * x[j];
      const r = weight[i] * (sigmoid(z) - y[i]);
      for (let j = 0; j < d; j++) g[j] += r * x[j];
      gb += r;
    }
    for (let j = 0; j < d; j++) w[j] -= rate * (g[j] + tuning.l2 * w[j]);
    b -= rate * gb;
  }
  return { w, b };
}

/**
 * Merges per-subject rankings in proportion to their weights (weighted round robin: the
 * next place goes to the subject with the fewest places per weight so far, the larger
 * subject on ties); a paper already placed is skipped.
 */
function mergeRankings(rankings: Scored[][], weights: number[]): Scored[] {
  if (rankings.length === 1) return rankings[0];
  const placed = new Set<string>();
  const taken = rankings.map(() => 0);
  const next = rankings.map(() => 0);
  const out: Scored[] = [];
  for (;;) {
    let g = -1;
    for (let i = 0; i < rankings.length; i++) {
      while (next[i] < rankings[i].length && placed.has(rankings[i][next[i]].id)) next[i]++;
      if (next[i] >= rankings[i].length) continue;
      if (g < 0 || (taken[i] + 1) / weights[i] < (taken[g] + 1) / weights[g]) g = i;
    }
    if (g < 0) return out;
    const s = rankings[g][next[g]++];
    placed.add(s.id);
    taken[g]++;
    out.push(s);
  }
}

function explain(source: RecommendSource, s: Scored, liked: Map<string, Float32Array>): RecommendHit {
  const v = source.vector(s.id);
  const close = [...liked.entries()].map(([id, lv]) => ({ id, similarity: cosine(v, lv) })).sort((a, b) => b.similarity - a.similarity);
  const top = close.length > 0 ? close[0].similarity : 0;
  const closestLiked = close
    .filter((c, i) => i === 0 || c.similarity >= 0.9 * top)
    .slice(0, 3)
    .map((c) => ({ id: c.id, title: source.get(c.id)!.title, similarity: c.similarity }));
  const query = closestLiked.length > 0 ? source.keywords.documentQuery(closestLiked[0].id, 30, 0.5) : undefined;
  const hit = query ? source.keywords.score(query, [s.id]).get(s.id) : undefined;
  const sharedWords = hit ? strongestTerms(hit, true) : [];
  return {
    paper: source.get(s.id)!,
    score: s.score,
    similarity: closestLiked[0]?.similarity ?? 0,
    matchedTerms: sharedWords,
    why: { closestLiked, sharedWords },
  };
}

/** An author name compared loosely: lower case, letters only, single spaces. */
export function authorKey(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z ]+/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}

function meanOf(vectors: readonly Float32Array[]): Float64Array {
  const out = new Float64Array(vectors[0].length);
  for (const v of vectors) for (let j = 0; j < out.length; j++) out[j] += v[j] / vectors.length;
  return out;
}

function sigmoid(z: number): number {
  return 1 / (1 + Math.exp(-z));
}

function hashIds(ids: readonly string[]): number {
  let h = 2166136261;
  for (const id of ids) for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 16777619);
  return h >>> 0;
}
