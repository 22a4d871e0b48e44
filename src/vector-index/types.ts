/** One nearest-neighbour hit. */
export interface VectorHit {
  id: string;
  /** Cosine similarity, 1 − cosine distance: higher is closer. */
  similarity: number;
}

export interface VectorSearchOptions {
  k: number;
  /**
   * Keep only ids for which this returns true. It must be a pure predicate (an engine may call
   * it any number of times per id, or not at all for ids it never reaches) and must not
   * change the index. Exceptions it throws reject the search.
   */
  filter?: (id: string) => boolean;
}

/**
 * A store of unit vectors keyed by paper id. Small on purpose so that another engine
 * (e.g. a server-backed one) can be dropped in without touching callers.
 */
export interface VectorIndex {
  readonly dimension: number;
  /** Live items (deleted ones are not counted). */
  readonly size: number;
  add(id: string, vector: ArrayLike<number>): void;
  addMany(items: Iterable<readonly [string, ArrayLike<number>]>): void;
  remove(id: string): void;
  has(id: string): boolean;
  ids(): string[];
  /** The stored vector of an id (undefined when absent). */
  get(id: string): Float32Array | undefined;
  /** At most k hits, best first. */
  search(vector: ArrayLike<number>, options: VectorSearchOptions): Promise<VectorHit[]>;
  /** Writes the index and its metadata to `dir` atomically. */
  save(dir: string): Promise<void>;
}
