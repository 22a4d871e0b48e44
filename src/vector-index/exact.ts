import { InvalidArgumentError } from "../errors.js";
import type { VectorHit } from "./types.js";

/** Throws {@link InvalidArgumentError} unless `vector` is an array-like of `dimension` entries. */
function checkLength(vector: ArrayLike<number>, dimension: number, what: string): void {
  if (vector === null || typeof vector !== "object" || typeof vector.length !== "number") {
    throw new InvalidArgumentError(`The ${what} must be an array of ${dimension} numbers.`);
  }
  if (vector.length !== dimension) {
    throw new InvalidArgumentError(
      `The ${what} has ${vector.length} components but the index holds ${dimension}-dimensional vectors; ` +
        `embed it with the same embedder the index was built with.`,
    );
  }
}

/**
 * Checks that `vector` has `dimension` finite components and returns a unit-length
 * Float32 copy of it (a zero vector stays zero: it is similar to nothing).
 */
export function normalizeVector(vector: ArrayLike<number>, dimension: number, what = "vector"): Float32Array {
  checkLength(vector, dimension, what);
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

/**
 * Checks that `vector` has `dimension` components that are finite as 32-bit floats and
 * returns them as a Float32Array (not normalised).
 */
export function toFloat32(vector: ArrayLike<number>, dimension: number, what = "vector"): Float32Array {
  checkLength(vector, dimension, what);
  const out = new Float32Array(dimension);
  for (let i = 0; i < dimension; i++) {
    const x = vector[i];
    if (typeof x !== "number") {
      throw new InvalidArgumentError(`The ${what} has a non-finite component at position ${i} (${String(x)}).`);
    }
    out[i] = x;
    if (!Number.isFinite(out[i])) {
      throw new InvalidArgumentError(`The ${what} has a non-finite component at position ${i} (${String(x)} as a 32-bit float).`);
    }
  }
  return out;
}

/**
 * Normalises a Float32 vector in place with exactly hnswlib-node's float arithmetic
 * (float accumulator, float square root, float division), so that the result equals, bit
 * for bit, what its cosine space stores. Returns the vector.
 */
export function normalizeLikeHnswlib(v: Float32Array): Float32Array {
  const fround = Math.fround;
  let acc = 0;
  for (let i = 0; i < v.length; i++) acc = fround(acc + fround(v[i] * v[i]));
  const norm = fround(Math.sqrt(acc));
  if (norm > 0) for (let i = 0; i < v.length; i++) v[i] = v[i] / norm;
  return v;
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
  return s > 1 ? 1 : Math.max(s, -1);
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
 * scan. {@link HnswIndex} keeps one beside its graph: it answers `get`, small indexes,
 * selective filters and "everything" requests exactly, and the benchmark uses it as the
 * ground truth. Each row may carry a numeric tag (the index stores its hnswlib label).
 */
export class FlatVectorStore {
  readonly dimension: number;
  #data: Float32Array;
  #tags: Uint32Array;
  #ids: string[] = [];
  #rowOf = new Map<string, number>();

  constructor(dimension: number, initialCapacity = 64) {
    this.dimension = dimension;
    const rows = Math.max(1, initialCapacity);
    this.#data = new Float32Array(rows * dimension);
    this.#tags = new Uint32Array(rows);
  }

  get size(): number {
    return this.#ids.length;
  }

  /** Bytes allocated for the vectors and tags. */
  get byteLength(): number {
    return this.#data.byteLength + this.#tags.byteLength;
  }

  has(id: string): boolean {
    return this.#rowOf.has(id);
  }

  ids(): string[] {
    return this.#ids.slice();
  }

  /** Id stored in row `row` (rows are 0 … size−1, in no meaningful order). */
  idAt(row: number): string {
    return this.#ids[row];
  }

  /** Tag stored in row `row`. */
  tagAt(row: number): number {
    return this.#tags[row];
  }

  /** Tag stored with `id`. */
  tagOf(id: string): number | undefined {
    const row = this.#rowOf.get(id);
    return row === undefined ? undefined : this.#tags[row];
  }

  /**
   * Stores `unitVector` (already normalised, e.g. by {@link normalizeVector}) and `tag`
   * under `id`, replacing whatever was stored under it.
   */
  set(id: string, unitVector: ArrayLike<number>, tag = 0): void {
    const d = this.dimension;
    let row = this.#rowOf.get(id);
    if (row === undefined) {
      row = this.#ids.length;
      if (row >= this.#tags.length) {
        const rows = Math.max(2 * this.#tags.length, row + 1);
        const data = new Float32Array(rows * d);
        data.set(this.#data);
        this.#data = data;
        const tags = new Uint32Array(rows);
        tags.set(this.#tags);
        this.#tags = tags;
      }
      this.#ids.push(id);
      this.#rowOf.set(id, row);
    }
    this.#data.set(unitVector, row * d);
    this.#tags[row] = tag;
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
      this.#tags[row] = this.#tags[last];
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
   * The rows whose id `filter` accepts (truthy result). `filter` runs in plain JavaScript:
   * whatever it throws propagates to the caller.
   */
  rowsWhere(filter: (id: string) => boolean): Int32Array {
    const n = this.#ids.length;
    const rows = new Int32Array(n);
    let m = 0;
    for (let row = 0; row < n; row++) if (filter(this.#ids[row])) rows[m++] = row;
    return rows.subarray(0, m);
  }

  /**
   * The exact `k` nearest stored vectors to the unit vector `query`, best first; only
   * among `rows` when given (e.g. from {@link FlatVectorStore.rowsWhere}).
   */
  search(query: Float32Array, k: number, rows?: ArrayLike<number>): VectorHit[] {
    const top = new TopK(k);
    const d = this.dimension;
    const data = this.#data;
    const ids = this.#ids;
    const n = rows ? rows.length : ids.length;
    for (let i = 0; i < n; i++) {
      const row = rows ? rows[i] : i;
      const similarity = clampSimilarity(dotRow(query, data, row, d));
      if (similarity >= top.threshold) top.offer({ id: ids[row], similarity });
    }
    return top.result();
  }
}
