import { fileDigest, sha256 } from "../hash.js";
import { open, readFile, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import hnswlib from "hnswlib-node";
import { IncompatibleIndexError, InvalidArgumentError, PapermapError } from "../errors.js";
import { type AtomicDirStep, replaceDirAtomically, resolveSavedDir } from "./atomic-dir.js";
import { seededRandom } from "../text/random.js";
import { clampSimilarity, FlatVectorStore, normalizeLikeHnswlib, normalizeVector, sortHits, toFloat32 } from "./exact.js";
import type { VectorHit, VectorIndex, VectorSearchOptions } from "./types.js";

type NativeIndex = InstanceType<typeof hnswlib.HierarchicalNSW>;

/**
 * Defaults, chosen by measurement (`npm run bench:index`: 384-d embedding-like unit vectors,
 * process CPU time). With them recall@10 is 1.0 / 0.9998 / 0.9985 at 1,000 / 10,000 / 100,000
 * vectors; at 100,000 a query takes about 0.9–1.4 ms, 20–33× less than the exact scan in
 * JavaScript and about 4–7× less than hnswlib's C++ brute force. ef 128 would be 9× faster
 * than the brute force but drops recall to 0.9925 at 100,000, with no margin left.
 */
export const HNSW_DEFAULTS = {
  /** Graph links per node (hnswlib's own default; M 32 measured no clear gain for 8% more memory). */
  M: 16,
  /** Candidate list size while inserting (about 1,000 inserts/s at 100,000 vectors). */
  efConstruction: 200,
  /**
   * Candidate list size while searching (raised to k when k is larger). Recall@10 at 100,000
   * vectors: ef 10 → 0.73, 64 → 0.97, 128 → 0.9925, 200 → 0.9985, 400 → 0.9995.
   */
  ef: 200,
  /**
   * Up to this many live vectors a search is an exact scan instead of a graph search: the
   * scan costs the same as the graph at about 250 vectors and 1.5× (0.1 ms) at 500, and its
   * answers are exact.
   */
  exactThreshold: 500,
  /**
   * A filtered search scans the accepted ids exactly when a sample says there are at most
   * `filteredExactFactor × √N` of them (N live vectors: 2,500 of 10,000, 7,900 of 100,000);
   * above that, walking the graph is cheaper. The cost model (exact: N filter calls plus one
   * dot product per accepted id; graph: grows as 1 / accepted share) puts the crossover at a
   * share ∝ 1/√N, and the benchmark's crossovers fit a factor of about 25.
   */
  filteredExactFactor: 25,
  /** Slots allocated up front; the index grows by doubling. */
  capacity: 1024,
  /** Seed of hnswlib's level generator: the same inserts build the same graph. */
  randomSeed: 100,
} as const;

/** Options of {@link HnswIndex.create}. */
export interface HnswIndexOptions {
  /** Length of every vector. */
  dimension: number;
  /** Id of the embedder that makes the vectors; {@link HnswIndex.open} checks it. */
  embedderId: string;
  /** Graph links per node (default {@link HNSW_DEFAULTS}.M). */
  M?: number;
  /** Candidate list size while inserting (default {@link HNSW_DEFAULTS}.efConstruction). */
  efConstruction?: number;
  /** Candidate list size while searching (default {@link HNSW_DEFAULTS}.ef); never below k. */
  ef?: number;
  /** Slots to allocate up front (default {@link HNSW_DEFAULTS}.capacity); grows automatically. */
  capacity?: number;
  /**
   * Up to this many live vectors, searches scan every vector exactly instead of walking
   * the graph (default {@link HNSW_DEFAULTS}.exactThreshold; 0 always uses the graph).
   */
  exactThreshold?: number;
}

/** What {@link HnswIndex.open} checks the saved index against. */
export interface HnswOpenExpectation {
  /** The embedder that will embed queries: must be the one the index was built with. */
  embedderId?: string;
  /** The dimension of that embedder's vectors. */
  dimension?: number;
}

/** Options of {@link HnswIndex.search}: those of every {@link VectorIndex}, plus a strategy. */
export interface HnswSearchOptions extends VectorSearchOptions {
  /**
   * `"auto"` (default) scans exactly when that is as fast as the graph (small index, selective
   * filter, or k covering every candidate) and walks the graph otherwise; `"exact"` always
   * scans (exact answer, cost grows with the index); `"graph"` always walks the graph
   * (approximate). Meant for benchmarks and diagnosis.
   */
  strategy?: "auto" | "exact" | "graph";
}

/** Options of {@link HnswIndex.save}. */
export interface HnswSaveOptions {
  /**
   * Called after each step of the atomic folder swap; lets tests simulate a crash.
   * @internal
   */
  onStep?: (step: AtomicDirStep) => void | Promise<void>;
}

/** Name of the hnswlib file inside a saved index folder. */
export const INDEX_FILE = "index.hnsw";
/** Name of the metadata file inside a saved index folder. */
export const META_FILE = "meta.json";
/** Marks a metadata file as ours. */
export const FORMAT_NAME = "papermap-hnsw-index";
/** Version of the saved format this code reads and writes. */
export const FORMAT_VERSION = 1;

const MAX_LABEL = 0xffff_ffff;
/** Ids on which a filter is tried to decide between the graph and an exact scan. */
const FILTER_SAMPLE = 256;
const REBUILD_HINT = "Rebuild it: create the library again from its papers (the saved index cannot be used).";

interface SavedMeta {
  format: typeof FORMAT_NAME;
  formatVersion: number;
  space: "cosine";
  dimension: number;
  M: number;
  efConstruction: number;
  ef: number;
  exactThreshold: number;
  embedderId: string;
  /** Live ids and their hnswlib labels, in parallel. */
  ids: string[];
  labels: number[];
  /** Labels of deleted slots still in the hnswlib file (reusable by later inserts). */
  deletedLabels: number[];
  nextLabel: number;
  counts: { live: number; deleted: number; slots: number; capacity: number };
  indexFile: { name: string; bytes: number; sha256: string };
}

function positiveInteger(value: unknown, name: string, min = 1): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min) {
    throw new InvalidArgumentError(`${name} must be an integer ≥ ${min} (got ${String(value)}).`);
  }
  return value;
}

let emulationChecked: boolean | undefined;

/**
 * Whether {@link normalizeLikeHnswlib} reproduces the native normalisation bit for bit on
 * this platform (a compiler may fuse multiply-adds; then the stored vectors are read back
 * from hnswlib instead, which is slower). Checked once per process.
 */
function emulationMatchesNative(): boolean {
  if (emulationChecked !== undefined) return emulationChecked;
  const random = seededRandom(0x9e3779b9);
  let ok = true;
  for (const d of [1, 3, 17, 384, 1024]) {
    const native = new hnswlib.HierarchicalNSW("cosine", d);
    native.initIndex(8);
    for (let i = 0; i < 8 && ok; i++) {
      const v = Float32Array.from({ length: d }, () => (random() - 0.5) * 10 ** (random() * 8 - 4));
      native.addPoint(Array.from(v), i);
      const stored = native.getPoint(i);
      const mine = normalizeLikeHnswlib(v);
      for (let j = 0; j < d; j++) if (Math.fround(stored[j]) !== mine[j]) ok = false;
    }
  }
  emulationChecked = ok;
  return ok;
}

/**
 * Vector index on an HNSW graph (hnswlib-node, cosine space), keyed by string ids.
 *
 * - Similarity is `1 − cosine distance` (higher is closer); zero vectors are allowed and
 *   are similar to nothing (similarity 0).
 * - Up to {@link HnswIndex.exactThreshold} live vectors, a search is an exact scan (the
 *   graph would not be faster there); above it, an HNSW graph search with `ef = max(ef, k)`.
 * - The index grows as vectors are added; `remove` marks the slot deleted and a later
 *   insert reuses it; adding an existing id replaces its vector.
 * - `save` writes the hnswlib file plus metadata atomically; `open` refuses a save made for
 *   another embedder or dimension, by another format version, or damaged on disk.
 * - Besides the graph (which holds its own copy of the vectors), the index keeps a Float32
 *   copy of every vector in JavaScript: `get` is a plain copy, and exact scans and filtered
 *   searches never call into the native code per item. It costs 4 × dimension bytes per
 *   vector (1.5 MB per 1,000 vectors of 384 dimensions).
 *
 * Not safe for concurrent use from several processes; within one process, calls may be
 * interleaved freely (saves are serialised).
 *
 * @example
 * ```ts
 * const index = HnswIndex.create({ dimension: 384, embedderId: model.id });
 * index.addMany(papers.map((p, i) => [p.id, vectors[i]] as const));
 * const hits = await index.search(queryVector, { k: 10, filter: (id) => !seen.has(id) });
 * await index.save("my-index");
 * const again = await HnswIndex.open("my-index", { embedderId: model.id, dimension: 384 });
 * ```
 */
export class HnswIndex implements VectorIndex {
  /** Id of the embedder whose vectors this index holds. */
  readonly embedderId: string;
  readonly dimension: number;
  /** Graph links per node. */
  readonly M: number;
  /** Candidate list size used while inserting. */
  readonly efConstruction: number;
  /** Up to this many live vectors a search is an exact scan. */
  readonly exactThreshold: number;

  #native: NativeIndex;
  #ef: number;
  #nativeEf = -1;
  #capacity: number;
  #labelOf = new Map<string, number>();
  #idOf = new Map<number, string>();
  #nextLabel = 0;
  /**
   * A Float32 copy of every live vector (as hnswlib stores it), tagged with its label: serves
   * `get` and exact scans without calling into the native code per item.
   */
  #flat: FlatVectorStore;
  /** Depth of running searches that may call a caller's filter: the index must not change then. */
  #inSearch = 0;
  #saving: Promise<void> = Promise.resolve();

  private constructor(
    native: NativeIndex,
    params: {
      dimension: number;
      embedderId: string;
      M: number;
      efConstruction: number;
      ef: number;
      exactThreshold: number;
      capacity: number;
    },
    rows = Math.min(params.capacity, 1 << 16),
  ) {
    this.#native = native;
    this.dimension = params.dimension;
    this.embedderId = params.embedderId;
    this.M = params.M;
    this.efConstruction = params.efConstruction;
    this.#ef = params.ef;
    this.exactThreshold = params.exactThreshold;
    this.#capacity = params.capacity;
    this.#flat = new FlatVectorStore(params.dimension, rows);
  }

  /** A new, empty index. */
  static create(options: HnswIndexOptions): HnswIndex {
    if (options === null || typeof options !== "object") {
      throw new InvalidArgumentError("HnswIndex.create needs an options object with dimension and embedderId.");
    }
    const dimension = positiveInteger(options.dimension, "dimension");
    if (typeof options.embedderId !== "string" || options.embedderId === "") {
      throw new InvalidArgumentError("embedderId must be a non-empty string (the id of the embedder that makes the vectors).");
    }
    const M = positiveInteger(options.M ?? HNSW_DEFAULTS.M, "M", 2);
    const efConstruction = positiveInteger(options.efConstruction ?? HNSW_DEFAULTS.efConstruction, "efConstruction");
    const ef = positiveInteger(options.ef ?? HNSW_DEFAULTS.ef, "ef");
    const capacity = positiveInteger(options.capacity ?? HNSW_DEFAULTS.capacity, "capacity");
    const exactThreshold = positiveInteger(options.exactThreshold ?? HNSW_DEFAULTS.exactThreshold, "exactThreshold", 0);
    const native = new hnswlib.HierarchicalNSW("cosine", dimension);
    native.initIndex(capacity, M, efConstruction, HNSW_DEFAULTS.randomSeed, true);
    return new HnswIndex(native, { dimension, embedderId: options.embedderId, M, efConstruction, ef, exactThreshold, capacity });
  }

  /**
   * Opens an index written by {@link HnswIndex.save}. If `dir` is missing but a save that
   * crashed midway left its backup, the backup (the previous save) is restored first.
   *
   * @throws IncompatibleIndexError when the folder holds no index, the index was built for
   *   another embedder or dimension, by another format version, or its files are damaged.
   */
  static async open(dir: string, expect: HnswOpenExpectation = {}): Promise<HnswIndex> {
    const where = await resolveSavedDir(dir);
    const meta = await readMeta(where);
    checkExpectation(meta, expect, where);

    const file = path.join(where, meta.indexFile.name);
    await checkIndexHeader(file, meta, where);

    // hnswlib loads the file on a worker thread while this thread reads it again to verify
    // its checksum and copy the vectors; nothing touches the native index before both end,
    // and a file that fails the checksum is never searched.
    const native = new hnswlib.HierarchicalNSW("cosine", meta.dimension);
    const loading = native.readIndex(file, true).then(
      () => undefined,
      (error: unknown) => ({ error }),
    );
    let bytes: Buffer;
    try {
      bytes = await readVerified(file, meta, where);
    } finally {
      await loading;
    }
    const failed = await loading;
    if (failed) {
      const message = failed.error instanceof Error ? failed.error.message : String(failed.error);
      throw new IncompatibleIndexError(`The vector index in "${where}" could not be loaded (${message}). ${REBUILD_HINT}`, {
        cause: failed.error,
      });
    }
    const slots = native.getCurrentCount();
    const present = native.getIdsList();
    if (slots !== meta.counts.slots || present.length !== meta.counts.slots) {
      throw new IncompatibleIndexError(
        `The vector index in "${where}" holds ${slots} vectors but its metadata lists ${meta.counts.slots}. ${REBUILD_HINT}`,
      );
    }
    const presentSet = new Set(present);
    for (const label of [...meta.labels, ...meta.deletedLabels]) {
      if (!presentSet.has(label)) {
        throw new IncompatibleIndexError(
          `The vector index in "${where}" does not match its metadata (label ${label} is missing). ${REBUILD_HINT}`,
        );
      }
    }

    const index = new HnswIndex(
      native,
      {
        dimension: meta.dimension,
        embedderId: meta.embedderId,
        M: meta.M,
        efConstruction: meta.efConstruction,
        ef: meta.ef,
        exactThreshold: meta.exactThreshold,
        capacity: native.getMaxElements(),
      },
      meta.counts.live,
    );
    for (let i = 0; i < meta.ids.length; i++) {
      index.#labelOf.set(meta.ids[i], meta.labels[i]);
      index.#idOf.set(meta.labels[i], meta.ids[i]);
    }
    index.#loadVectors(bytes, where);
    index.#nextLabel = meta.nextLabel;
    index.#applyEf(meta.ef);
    return index;
  }

  /** Live vectors (deleted ones are not counted). */
  get size(): number {
    return this.#labelOf.size;
  }

  /** Slots currently allocated in the graph (grows by doubling). */
  get capacity(): number {
    return this.#capacity;
  }

  /** Candidate list size for graph searches; each search uses `max(ef, k)`. */
  get ef(): number {
    return this.#ef;
  }

  set ef(value: number) {
    this.#ef = positiveInteger(value, "ef");
  }

  has(id: string): boolean {
    return this.#labelOf.has(id);
  }

  /** Live ids, in no particular order. */
  ids(): string[] {
    return [...this.#labelOf.keys()];
  }

  /**
   * The stored vector of `id`, normalised to unit length (cosine space stores unit
   * vectors; an embedder's unit vectors come back unchanged up to float rounding).
   */
  get(id: string): Float32Array | undefined {
    return this.#flat.get(id);
  }

  /** Adds `vector` under `id`, or replaces the vector already stored under `id`. */
  add(id: string, vector: ArrayLike<number>): void {
    this.addMany([[id, vector]]);
  }

  /**
   * Adds or replaces several vectors. Every item is checked before any is added, so a bad
   * item leaves the index unchanged.
   */
  addMany(items: Iterable<readonly [string, ArrayLike<number>]>): void {
    this.#assertNotInSearch("add vectors");
    const checked: [string, Float32Array][] = [];
    const seen = new Set<string>();
    let fresh = 0;
    for (const item of items) {
      const [id, vector] = item;
      if (typeof id !== "string") throw new InvalidArgumentError(`Vector ids must be strings (got ${typeof id}).`);
      checked.push([id, toFloat32(vector, this.dimension, `vector of "${id}"`)]);
      if (!this.#labelOf.has(id) && !seen.has(id)) fresh++;
      seen.add(id);
    }
    if (this.#nextLabel + fresh - 1 > MAX_LABEL) {
      throw new PapermapError(
        `This index has used up its 2^32 internal labels (every add of a new or re-added id takes one). ` +
          `Build a fresh index from the current vectors.`,
      );
    }
    this.#reserve(fresh);
    const emulate = emulationMatchesNative();
    for (const [id, values] of checked) {
      const point = Array.from(values);
      let label = this.#labelOf.get(id);
      if (label !== undefined) {
        // Live id: hnswlib replaces the vector in place and repairs the links.
        this.#native.addPoint(point, label, false);
      } else {
        label = this.#nextLabel++;
        // replaceDeleted: reuse a deleted slot when there is one.
        this.#native.addPoint(point, label, true);
        this.#labelOf.set(id, label);
        this.#idOf.set(label, id);
      }
      // The copy holds exactly what hnswlib stored (after its own float32 normalisation), the
      // values that open() reads back from the file: results are identical after a reload.
      this.#flat.set(id, emulate ? normalizeLikeHnswlib(values) : this.#native.getPoint(label), label);
    }
  }

  /** Removes `id`. Returns false (and does nothing) when the index does not hold it. */
  remove(id: string): boolean {
    this.#assertNotInSearch("remove vectors");
    const label = this.#labelOf.get(id);
    if (label === undefined) return false;
    this.#native.markDelete(label);
    this.#labelOf.delete(id);
    this.#idOf.delete(label);
    this.#flat.delete(id);
    return true;
  }

  /**
   * The `k` stored vectors most similar to `vector`, best first. A `k` larger than the
   * index (or than the ids the filter accepts) returns all of them, exactly.
   *
   * `filter` must be a pure predicate on ids: it may be called any number of times per id.
   * Whatever it throws rejects the returned promise (it is caught before it can reach the
   * native search, where an exception would abort the process), and it must not add or
   * remove vectors. With `strategy: "auto"` the filter is first tried on a fixed pseudo-random
   * sample of ids: when it accepts many (see {@link HNSW_DEFAULTS}.filteredExactFactor), the
   * graph is searched and the filter consulted only for the nodes visited; otherwise (or when
   * the graph finds fewer than `k` accepted ids) every id is tested and the accepted ones are
   * scanned exactly.
   */
  async search(vector: ArrayLike<number>, options: HnswSearchOptions): Promise<VectorHit[]> {
    if (options === null || typeof options !== "object") throw new InvalidArgumentError("search needs options with k.");
    const requested = positiveInteger(options.k, "k");
    const filter = options.filter;
    if (filter !== undefined && typeof filter !== "function") {
      throw new InvalidArgumentError("filter must be a function from id to boolean.");
    }
    const strategy = options.strategy ?? "auto";
    if (strategy !== "auto" && strategy !== "exact" && strategy !== "graph") {
      throw new InvalidArgumentError(`strategy must be "auto", "exact" or "graph" (got ${String(strategy)}).`);
    }
    const query = normalizeVector(vector, this.dimension, "query vector");
    const live = this.size;
    if (live === 0) return [];
    const k = Math.min(requested, live);

    if (!filter) {
      if (strategy === "graph" || (strategy === "auto" && k < live && live > this.exactThreshold)) return this.#graphSearch(query, k);
      return this.#flat.search(query, k);
    }
    if (strategy === "graph") return this.#graphSearch(query, k, filter);
    if (
      strategy === "auto" &&
      k < live &&
      live > this.exactThreshold &&
      this.#sampleShare(filter) * live > Math.max(this.exactThreshold, HNSW_DEFAULTS.filteredExactFactor * Math.sqrt(live))
    ) {
      const hits = this.#graphSearch(query, k, filter);
      if (hits.length === k) return hits;
      // Fewer than k accepted ids were found: perhaps fewer exist, perhaps the walk missed
      // some. The exact scan below settles it.
    }
    const rows = this.#guarded(() => this.#flat.rowsWhere(filter));
    return rows.length === 0 ? [] : this.#flat.search(query, Math.min(k, rows.length), rows);
  }

  /**
   * Writes the index into the folder `dir` (created if needed) as `index.hnsw` (hnswlib's
   * file) and `meta.json` (format version, dimension, space, parameters, embedder id, id map,
   * deleted slots, counts, byte length and SHA-256 of the index file). The folder is
   * replaced atomically: a crash at any moment leaves the previous save usable.
   *
   * @throws InvalidArgumentError when `dir` is a non-empty folder that is not a saved index.
   */
  async save(dir: string, options: HnswSaveOptions = {}): Promise<void> {
    const run = this.#saving.then(() =>
      replaceDirAtomically(
        dir,
        async (temp) => {
          // The hnswlib file and the metadata are captured together, synchronously, so that
          // they describe the same state even if the index changes while the save goes on.
          const file = path.join(temp, INDEX_FILE);
          this.#native.writeIndexSync(file);
          const meta = this.#snapshot();
          meta.indexFile = { name: INDEX_FILE, ...(await fileDigest(file)) };
          await writeFile(path.join(temp, META_FILE), JSON.stringify(meta));
        },
        { canReplace: isSavedIndexDir, what: "a vector index", onStep: options.onStep },
      ),
    );
    this.#saving = run.catch(() => undefined);
    return run;
  }

  #snapshot(): SavedMeta {
    const ids = [...this.#labelOf.keys()];
    const labels = ids.map((id) => this.#labelOf.get(id) as number);
    const present = this.#native.getIdsList();
    const deletedLabels = present.filter((label) => !this.#idOf.has(label));
    return {
      format: FORMAT_NAME,
      formatVersion: FORMAT_VERSION,
      space: "cosine",
      dimension: this.dimension,
      M: this.M,
      efConstruction: this.efConstruction,
      ef: this.#ef,
      exactThreshold: this.exactThreshold,
      embedderId: this.embedderId,
      ids,
      labels,
      deletedLabels,
      nextLabel: this.#nextLabel,
      counts: { live: ids.length, deleted: deletedLabels.length, slots: present.length, capacity: this.#capacity },
      indexFile: { name: INDEX_FILE, bytes: 0, sha256: "" },
    };
  }

  /** Runs `work` (which calls the caller's filter) with changes to the index refused. */
  #guarded<T>(work: () => T): T {
    this.#inSearch++;
    try {
      return work();
    } finally {
      this.#inSearch--;
    }
  }

  /** Share of a fixed pseudo-random sample of live ids (with replacement) that `filter` accepts. */
  #sampleShare(filter: (id: string) => boolean): number {
    const flat = this.#flat;
    const n = flat.size;
    const samples = Math.min(FILTER_SAMPLE, n);
    const random = seededRandom(0x2545f491);
    let accepted = 0;
    this.#guarded(() => {
      for (let i = 0; i < samples; i++) {
        if (filter(flat.idAt(Math.floor(random() * n)))) accepted++;
      }
    });
    return accepted / samples;
  }

  #graphSearch(query: Float32Array, k: number, filter?: (id: string) => boolean): VectorHit[] {
    const idOf = this.#idOf;
    let failure: { error: unknown } | undefined;
    // hnswlib calls this for the nodes it visits. An exception thrown inside it would abort
    // the process, so the caller's filter is wrapped: its error is kept and rethrown once the
    // native search has returned (returning true from then on lets that search end quickly).
    const accept = filter
      ? (label: number): boolean => {
          if (failure) return true;
          const id = idOf.get(label);
          if (id === undefined) return false;
          try {
            return Boolean(filter(id));
          } catch (error) {
            failure = { error };
            return true;
          }
        }
      : undefined;
    this.#applyEf(Math.max(this.#ef, k));
    const q = Array.from(query);
    const result = this.#guarded(() => (accept ? this.#native.searchKnn(q, k, accept) : this.#native.searchKnn(q, k)));
    if (failure) throw failure.error;
    const hits: VectorHit[] = [];
    for (let i = 0; i < result.neighbors.length; i++) {
      const id = idOf.get(result.neighbors[i]);
      if (id !== undefined) hits.push({ id, similarity: clampSimilarity(1 - result.distances[i]) });
    }
    return sortHits(hits);
  }

  /** Fills the Float32 copy from the bytes of the hnswlib file (its level-0 records). */
  #loadVectors(bytes: Buffer, dir: string): void {
    const slots = Number(bytes.readBigUInt64LE(16));
    const perElement = Number(bytes.readBigUInt64LE(24));
    const labelOffset = Number(bytes.readBigUInt64LE(32));
    const dataOffset = Number(bytes.readBigUInt64LE(40));
    const d = this.dimension;
    const row = new Float32Array(d);
    const aligned = os.endianness() === "LE" && (bytes.byteOffset + HEADER_BYTES + dataOffset) % 4 === 0 && perElement % 4 === 0;
    let found = 0;
    for (let i = 0; i < slots; i++) {
      const base = HEADER_BYTES + i * perElement;
      const label = Number(bytes.readBigUInt64LE(base + labelOffset));
      const id = this.#idOf.get(label);
      if (id === undefined) continue;
      // hnswlib keeps the "deleted" mark in the third byte of the level-0 link header.
      if ((bytes[base + 2] & 1) !== 0) {
        throw new IncompatibleIndexError(`The vector index in "${dir}" marks the live id "${id}" as deleted. ${REBUILD_HINT}`);
      }
      if (aligned) {
        this.#flat.set(id, new Float32Array(bytes.buffer, bytes.byteOffset + base + dataOffset, d), label);
      } else {
        for (let j = 0; j < d; j++) row[j] = bytes.readFloatLE(base + dataOffset + 4 * j);
        this.#flat.set(id, row, label);
      }
      found++;
    }
    if (found !== this.#labelOf.size) {
      throw new IncompatibleIndexError(`The vector index in "${dir}" lacks vectors listed in its metadata. ${REBUILD_HINT}`);
    }
  }

  #applyEf(ef: number): void {
    if (ef !== this.#nativeEf) {
      this.#native.setEf(ef);
      this.#nativeEf = ef;
    }
  }

  /** Makes room for `fresh` new ids (deleted slots are reused first). */
  #reserve(fresh: number): void {
    const slots = this.#native.getCurrentCount();
    const vacant = slots - this.#labelOf.size;
    const needed = slots + Math.max(0, fresh - vacant);
    if (needed <= this.#capacity) return;
    const capacity = Math.max(needed, 2 * this.#capacity);
    this.#native.resizeIndex(capacity);
    this.#capacity = capacity;
  }

  #assertNotInSearch(action: string): void {
    if (this.#inSearch > 0) {
      throw new InvalidArgumentError(`Cannot ${action} from inside a search filter: the index must not change while it is searched.`);
    }
  }
}

/** True when `dir` holds a metadata file of a saved index (so a new save may replace it). */
async function isSavedIndexDir(dir: string): Promise<boolean> {
  try {
    const meta = JSON.parse(await readFile(path.join(dir, META_FILE), "utf8")) as { format?: unknown };
    return meta.format === FORMAT_NAME;
  } catch {
    return false;
  }
}

function isIntArray(v: unknown, max = Number.MAX_SAFE_INTEGER): v is number[] {
  return Array.isArray(v) && v.every((x) => Number.isInteger(x) && x >= 0 && x <= max);
}

async function readMeta(dir: string): Promise<SavedMeta> {
  let text: string;
  try {
    text = await readFile(path.join(dir, META_FILE), "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") {
      const dirExists = await stat(dir).then(
        (s) => s.isDirectory(),
        () => false,
      );
      throw new IncompatibleIndexError(
        dirExists
          ? `"${dir}" is not a saved vector index: its ${META_FILE} is missing. ${REBUILD_HINT}`
          : `No saved vector index at "${dir}" (the folder does not exist). Check the path, or build the library again from its papers.`,
        { cause: e },
      );
    }
    throw new IncompatibleIndexError(`Cannot read the vector index metadata in "${dir}": ${(e as Error).message}. ${REBUILD_HINT}`, {
      cause: e,
    });
  }
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(text) as Record<string, unknown>;
  } catch (e) {
    throw new IncompatibleIndexError(`The vector index metadata in "${dir}" is damaged (not valid JSON). ${REBUILD_HINT}`, { cause: e });
  }
  if (raw === null || typeof raw !== "object" || raw.format !== FORMAT_NAME) {
    throw new IncompatibleIndexError(`"${dir}" does not hold a papermap vector index (unrecognised ${META_FILE}). ${REBUILD_HINT}`);
  }
  if (raw.formatVersion !== FORMAT_VERSION) {
    throw new IncompatibleIndexError(
      `The vector index in "${dir}" uses format version ${String(raw.formatVersion)}, but this version of papermap ` +
        `reads format ${FORMAT_VERSION}. ${REBUILD_HINT}`,
    );
  }
  if (raw.space !== "cosine") {
    throw new IncompatibleIndexError(
      `The vector index in "${dir}" uses the "${String(raw.space)}" space; only "cosine" is supported. ${REBUILD_HINT}`,
    );
  }
  const counts = raw.counts as SavedMeta["counts"] | undefined;
  const indexFile = raw.indexFile as SavedMeta["indexFile"] | undefined;
  const ok =
    Number.isInteger(raw.dimension) &&
    (raw.dimension as number) > 0 &&
    Number.isInteger(raw.M) &&
    (raw.M as number) >= 2 &&
    Number.isInteger(raw.efConstruction) &&
    (raw.efConstruction as number) > 0 &&
    Number.isInteger(raw.ef) &&
    (raw.ef as number) > 0 &&
    Number.isInteger(raw.exactThreshold) &&
    (raw.exactThreshold as number) >= 0 &&
    typeof raw.embedderId === "string" &&
    Array.isArray(raw.ids) &&
    raw.ids.every((x) => typeof x === "string") &&
    isIntArray(raw.labels, MAX_LABEL) &&
    raw.labels.length === raw.ids.length &&
    new Set(raw.ids).size === raw.ids.length &&
    isIntArray(raw.deletedLabels, MAX_LABEL) &&
    Number.isInteger(raw.nextLabel) &&
    (raw.nextLabel as number) >= 0 &&
    (raw.nextLabel as number) <= MAX_LABEL + 1 &&
    [...raw.labels, ...raw.deletedLabels].every((l) => l < (raw.nextLabel as number)) &&
    new Set([...raw.labels, ...raw.deletedLabels]).size === raw.labels.length + raw.deletedLabels.length &&
    counts !== null &&
    typeof counts === "object" &&
    counts.live === raw.ids.length &&
    counts.deleted === raw.deletedLabels.length &&
    counts.slots === counts.live + counts.deleted &&
    indexFile !== null &&
    typeof indexFile === "object" &&
    indexFile.name === INDEX_FILE &&
    Number.isInteger(indexFile.bytes) &&
    typeof indexFile.sha256 === "string";
  if (!ok) {
    throw new IncompatibleIndexError(`The vector index metadata in "${dir}" is incomplete or inconsistent. ${REBUILD_HINT}`);
  }
  return raw as unknown as SavedMeta;
}

function checkExpectation(meta: SavedMeta, expect: HnswOpenExpectation, dir: string): void {
  if (expect.embedderId !== undefined && expect.embedderId !== meta.embedderId) {
    throw new IncompatibleIndexError(
      `The vector index in "${dir}" was built with the embedder "${meta.embedderId}", but "${expect.embedderId}" ` +
        `is in use now; their vectors are not comparable. Open it with the original embedder, or rebuild the ` +
        `library from its papers with the new one.`,
    );
  }
  if (expect.dimension !== undefined && expect.dimension !== meta.dimension) {
    throw new IncompatibleIndexError(
      `The vector index in "${dir}" holds ${meta.dimension}-dimensional vectors, but the embedder in use makes ` +
        `${expect.dimension}-dimensional ones. Open it with the original embedder, or rebuild the library from its papers.`,
    );
  }
}

/** hnswlib's header: 6 size_t, int maxlevel, uint32 entry point, 3 size_t, double mult, size_t efConstruction. */
const HEADER_BYTES = 6 * 8 + 4 + 4 + 3 * 8 + 8 + 8;

/**
 * Checks the hnswlib file's length and header against the metadata (the file records
 * neither its dimension nor its space, but its record layout implies the dimension).
 */
async function checkIndexHeader(file: string, meta: SavedMeta, dir: string): Promise<void> {
  let size: number;
  try {
    size = (await stat(file)).size;
  } catch (e) {
    throw new IncompatibleIndexError(`The vector index in "${dir}" is missing its ${INDEX_FILE} file. ${REBUILD_HINT}`, { cause: e });
  }
  if (size !== meta.indexFile.bytes || size < HEADER_BYTES) {
    throw new IncompatibleIndexError(
      `The vector index file in "${dir}" is ${size < meta.indexFile.bytes ? "truncated" : "damaged"} ` +
        `(${size} bytes, expected ${meta.indexFile.bytes}). ${REBUILD_HINT}`,
    );
  }
  const header = Buffer.alloc(HEADER_BYTES);
  const handle = await open(file, "r");
  try {
    await handle.read(header, 0, HEADER_BYTES, 0);
  } finally {
    await handle.close();
  }
  const slots = Number(header.readBigUInt64LE(16));
  const bytesPerElement = Number(header.readBigUInt64LE(24));
  const labelOffset = Number(header.readBigUInt64LE(32));
  const dataOffset = Number(header.readBigUInt64LE(40));
  const M = Number(header.readBigUInt64LE(72));
  const efConstruction = Number(header.readBigUInt64LE(88));
  const links0 = 2 * meta.M * 4 + 4;
  if (
    slots !== meta.counts.slots ||
    bytesPerElement !== links0 + meta.dimension * 4 + 8 ||
    dataOffset !== links0 ||
    labelOffset !== links0 + meta.dimension * 4 ||
    M !== meta.M ||
    efConstruction !== meta.efConstruction ||
    HEADER_BYTES + slots * bytesPerElement > size
  ) {
    throw new IncompatibleIndexError(
      `The vector index file in "${dir}" does not match its metadata (dimension ${meta.dimension}, M ${meta.M}, ` +
        `${meta.counts.slots} vectors). ${REBUILD_HINT}`,
    );
  }
}

/** Reads the hnswlib file and checks its SHA-256 against the metadata. */
async function readVerified(file: string, meta: SavedMeta, dir: string): Promise<Buffer> {
  const bytes = await readFile(file);
  if (bytes.length !== meta.indexFile.bytes || sha256(bytes) !== meta.indexFile.sha256) {
    throw new IncompatibleIndexError(`The vector index file in "${dir}" is damaged (its checksum does not match). ${REBUILD_HINT}`);
  }
  return bytes;
}
