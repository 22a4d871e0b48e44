import { InvalidArgumentError } from "../errors.js";
import type { VectorHit } from "./types.js";

/**
 * Checks that `vector` has `dimension` finite components and returns a unit-length
 * Float32 copy of it (a zero vector stays zero: it is similar to nothing).
 */
export function normalizeVector(vector: ArrayLike<number>, dimension: number, what = "vector"): Float32Array {
  if (vector === null || typeof vector !== "object" || typeof vector.length !== "number") {
    throw new InvalidArgumentError(`The ${what} must be an array of ${dimension} numbers.`);
  }
  if (vector.length !== dimension) {
    throw new InvalidArgumentError(
      `The ${what} has ${vector.length} components but the index holds ${dimension}-dimensional vectors; ` +
        `embed it with the same embedder the index was built with.`,
    );
  }
  const out = new Float32Array(dimension);
  let norm = 0;
  for (let i = 0; i < dimension; i++) {
    const x = vector[i];
    if (typeof x !== "number" || !Number.isFinite(x)) {
      throw new InvalidArgumentError(`The ${what} has a non-finite component at position ${i} (${String(x)}).`);
    }
    out[i] = x;
    norm += x * x;
  }
  if (norm > 0) {
    const inv = 1 / Math.sqrt(norm);
    for (let i = 0; i < dimension; i++) out[i] *= inv;
  }
  return out;
}

/** Dot product of `a` with row `row` of the packed matrix `data` (4 accumulators: ~2× a naive loop). */
export function dotRow(a: Float32Array, data: Float32Array, row: number, dimension: number): number {
  const o = row * dimension;
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let i = 0;
  const end = dimension - (dimension % 4);
  for (; i < end; i += 4) {
    s0 += a[i] * data[o + i];
    s1 += a[i + 1] * data[o + i + 1];
    s2 += a[i + 2] * data[o + i + 2];
    s3 += a[i + 3] * data[o + i + 3];
  }
  for (; i < dimension; i++) s0 += a[i] * data[o + i];
  return s0 + s1 + s2 + s3;
}

/** Cosine similarity clamped to [-1, 1] (rounding can push a unit-vector dot slightly past 1). */
export function clampSimilarity(s: number): number {
  return s > 1 ? 1 : s < -1 ? -1 : s;
}

/** True when hit `a` ranks before hit `b`: higher similarity first, then smaller id (deterministic ties). */
export function ranksBefore(a: VectorHit, b: VectorHit): boolean {
  return a.similarity > b.similarity || (a.similarity === b.similarity && a.id < b.id);
}

/** Sorts hits best first (similarity descending, ties by id). */
export function sortHits(hits: VectorHit[]): VectorHit[] {
  return hits.sort((a, b) => (ranksBefore(a, b) ? -1 : ranksBefore(b, a) ? 1 : 0));
}

/**
 * Keeps the best `k` hits offered to it (a binary heap whose root is the worst kept hit).
 */
export class TopK {
  readonly #k: number;
  readonly #heap: VectorHit[] = [];

  constructor(k: number) {
    this.#k = k;
  }

  /** The similarity a new hit must beat to be kept (−∞ until k hits are held). */
  get threshold(): number {
    return this.#heap.length < this.#k ? -Infinity : this.#heap[0].similarity;
  }

  offer(hit: VectorHit): void {
    const h = this.#heap;
    if (h.length < this.#k) {
      h.push(hit);
      let i = h.length - 1;
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (!ranksBefore(h[p], h[i])) break;
        [h[p], h[i]] = [h[i], h[p]];
        i = p;
      }
      return;
    }
    if (this.#k === 0 || !ranksBefore(hit, h[0])) return;
    h[0] = hit;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let worst = i;
      if (l < h.length && ranksBefore(h[worst], h[l])) worst = l;
      if (r < h.length && ranksBefore(h[worst], h[r])) worst = r;
      if (worst === i) break;
      [h[worst], h[i]] = [h[i], h[worst]];
      i = worst;
    }
  }

  /** The kept hits, best first. */
  result(): VectorHit[] {
    return sortHits(this.#heap.slice());
  }
}

/**
 * Unit vectors packed row by row in one growable Float32Array, searched by an exact
 * scan. Used by {@link HnswIndex} while the index is small (an exact scan is then as
 * fast as the graph and always returns the exact answer), and by the benchmark as
 * the ground truth.
 */
export class FlatVectorStore {
  readonly dimension: number;
  #data: Float32Array;
  #ids: string[] = [];
  #rowOf = new Map<string, number>();

  constructor(dimension: number, initialCapacity = 64) {
    this.dimension = dimension;
    this.#data = new Float32Array(Math.max(1, initialCapacity) * dimension);
  }

  get size(): number {
    return this.#ids.length;
  }

  /** Approximate bytes held by the vectors. */
  get byteLength(): number {
    return this.#data.byteLength;
  }

  has(id: string): boolean {
    return this.#rowOf.has(id);
  }

  ids(): string[] {
    return this.#ids.slice();
  }

  /**
   * Stores `unitVector` (already normalised, e.g. by {@link normalizeVector}) under `id`,
   * replacing any vector stored under it.
   */
  set(id: string, unitVector: Float32Array): void {
    const d = this.dimension;
    let row = this.#rowOf.get(id);
    if (row === undefined) {
      row = this.#ids.length;
      if ((row + 1) * d > this.#data.length) {
        const grown = new Float32Array(Math.max(2 * this.#data.length, (row + 1) * d));
        grown.set(this.#data);
        this.#data = grown;
      }
      this.#ids.push(id);
      this.#rowOf.set(id, row);
    }
    this.#data.set(unitVector, row * d);
  }

  /** Removes `id` (the last row moves into its place). Returns whether it was present. */
  delete(id: string): boolean {
    const row = this.#rowOf.get(id);
    if (row === undefined) return false;
    const last = this.#ids.length - 1;
    const d = this.dimension;
    if (row !== last) {
      const lastId = this.#ids[last];
      this.#data.copyWithin(row * d, last * d, (last + 1) * d);
      this.#ids[row] = lastId;
      this.#rowOf.set(lastId, row);
    }
    this.#ids.pop();
    this.#rowOf.delete(id);
    return true;
  }

  /** A copy of the stored (unit) vector. */
  get(id: string): Float32Array | undefined {
    const row = this.#rowOf.get(id);
    if (row === undefined) return undefined;
    const d = this.dimension;
    return this.#data.slice(row * d, (row + 1) * d);
  }

  /** Cosine similarity between the stored vector of `id` and the unit vector `query`. */
  similarity(id: string, query: Float32Array): number | undefined {
    const row = this.#rowOf.get(id);
    return row === undefined ? undefined : clampSimilarity(dotRow(query, this.#data, row, this.dimension));
  }

  /**
   * The exact `k` nearest stored vectors to the unit vector `query`, best first.
   * `filter` runs in plain JavaScript: whatever it throws propagates to the caller.
   */
  search(query: Float32Array, k: number, filter?: (id: string) => boolean): VectorHit[] {
    const top = new TopK(k);
    const n = this.#ids.length;
    const d = this.dimension;
    const data = this.#data;
    const ids = this.#ids;
    for (let row = 0; row < n; row++) {
      const similarity = clampSimilarity(dotRow(query, data, row, d));
      if (similarity < top.threshold) continue;
      const id = ids[row];
      if (filter && !filter(id)) continue;
      top.offer({ id, similarity });
    }
    return top.result();
  }
}
