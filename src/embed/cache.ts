import { createHash, randomBytes } from "node:crypto";
import { mkdir, open, readdir, readFile, rename, rm, unlink } from "node:fs/promises";
import { endianness } from "node:os";
import { join, resolve } from "node:path";
import { InvalidArgumentError } from "../errors.js";
import { defaultNotice, type NoticeCallback } from "../progress.js";
import type { EmbedKind, EmbedOptions, Embedder } from "./types.js";

/** Options of an {@link EmbeddingCache}. */
export interface EmbeddingCacheOptions {
  /** Receives warnings (a corrupt or foreign cache file was ignored; the cache could not be written). Default: stderr. */
  onNotice?: NoticeCallback;
  /** Files per embedder before they are merged into one. Default 8. */
  maxFiles?: number;
}

const MAGIC = Buffer.from("PMEC", "latin1");
const FORMAT_VERSION = 1;
const KEY_BYTES = 16;
const CHECKSUM_BYTES = 32;
const FILE_SUFFIX = ".vectors";

interface Store {
  dimension: number;
  folder: string;
  vectors: Map<string, Float32Array>;
  /** Files whose vectors are in `vectors` (merged away on compaction). */
  files: Set<string>;
}

class BadFile extends Error {
  constructor(
    message: string,
    readonly foreign: boolean,
  ) {
    super(message);
  }
}

function folderName(embedderId: string): string {
  const slug = embedderId
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 48);
  const hash = createHash("sha256").update(embedderId).digest("hex").slice(0, 16);
  return `${slug || "embedder"}-${hash}`;
}

/**
 * Embedding vectors on disk, keyed by (embedder id, hash of the kind and text), so a text
 * already embedded by the same embedder with the same settings is never embedded again.
 *
 * Layout: one folder per embedder id under `dir`, holding `*.vectors` files. Each write
 * adds one file, written to a temporary name and renamed into place (atomic); when there
 * are more than `maxFiles`, they are merged into one. Every file carries its embedder id,
 * dimension and a SHA-256 checksum: a damaged file, or one written for another embedder,
 * is ignored with a warning (a damaged one is also deleted) and its vectors are computed
 * again — cached data is never trusted unchecked.
 */
export class EmbeddingCache {
  /** The cache folder (absolute). */
  readonly dir: string;
  private readonly onNotice: NoticeCallback;
  private readonly maxFiles: number;
  private readonly stores = new Map<string, Promise<Store>>();
  private writeWarned = false;

  constructor(dir: string, options: EmbeddingCacheOptions = {}) {
    if (typeof dir !== "string" || dir.trim() === "") throw new InvalidArgumentError("EmbeddingCache needs a folder path.");
    this.dir = resolve(dir);
    this.onNotice = options.onNotice ?? defaultNotice;
    this.maxFiles = Math.max(1, options.maxFiles ?? 8);
  }

  /** The cache key of a text: a 128-bit SHA-256 prefix (hex) of the kind and the text. */
  static key(kind: EmbedKind, text: string): string {
    return createHash("sha256")
      .update(kind)
      .update("\n")
      .update(text)
      .digest("hex")
      .slice(0, KEY_BYTES * 2);
  }

  /** Cached vectors for `keys` (undefined where missing), for the embedder `embedderId` of `dimension`. */
  async get(embedderId: string, dimension: number, keys: readonly string[]): Promise<Array<Float32Array | undefined>> {
    const store = await this.store(embedderId, dimension);
    return keys.map((k) => {
      const v = store.vectors.get(k);
      return v && Float32Array.from(v); // A copy: callers may modify what they get.
    });
  }

  /** How many vectors are cached for this embedder. */
  async count(embedderId: string, dimension: number): Promise<number> {
    return (await this.store(embedderId, dimension)).vectors.size;
  }

  /**
   * Adds vectors (written atomically as one new file). A failure to write is reported
   * once through `onNotice` and otherwise ignored: the cache only saves time.
   */
  async put(embedderId: string, dimension: number, entries: ReadonlyArray<{ key: string; vector: Float32Array }>): Promise<void> {
    const store = await this.store(embedderId, dimension);
    const fresh = entries.filter((e) => {
      if (!/^[0-9a-f]{32}$/.test(e.key))
        throw new InvalidArgumentError(`EmbeddingCache.put: "${e.key}" is not a key made by EmbeddingCache.key().`);
      if (e.vector.length !== dimension) {
        throw new InvalidArgumentError(`EmbeddingCache.put: a vector has ${e.vector.length} values, expected ${dimension}.`);
      }
      return !store.vectors.has(e.key) && e.vector.every(Number.isFinite);
    });
    if (fresh.length === 0) return;
    for (const e of fresh) store.vectors.set(e.key, Float32Array.from(e.vector));
    try {
      if (store.files.size + 1 > this.maxFiles) {
        // Merge everything known into one file, then drop the files it replaces.
        const merged = await this.writeFile(store, embedderId, [...store.vectors.entries()]);
        const old = [...store.files];
        store.files = new Set([merged]);
        await Promise.all(old.map((f) => unlink(join(store.folder, f)).catch(() => undefined)));
      } else {
        store.files.add(
          await this.writeFile(
            store,
            embedderId,
            fresh.map((e) => [e.key, e.vector] as const),
          ),
        );
      }
    } catch (error) {
      if (!this.writeWarned) {
        this.writeWarned = true;
        this.onNotice(
          `could not write the embedding cache in ${store.folder} (${(error as Error).message}); vectors are not being cached. Pass another cache folder, or turn the cache off.`,
        );
      }
    }
  }

  /** Deletes the cached vectors of one embedder, or of all embedders when no id is given. */
  async clear(embedderId?: string): Promise<void> {
    if (embedderId === undefined) {
      this.stores.clear();
      const names = await readdir(this.dir).catch(() => [] as string[]);
      await Promise.all(names.map((n) => rm(join(this.dir, n), { recursive: true, force: true })));
      return;
    }
    this.stores.delete(embedderId);
    await rm(join(this.dir, folderName(embedderId)), { recursive: true, force: true });
  }

  private store(embedderId: string, dimension: number): Promise<Store> {
    if (!Number.isInteger(dimension) || dimension < 1) {
      throw new InvalidArgumentError(`EmbeddingCache: dimension must be a whole number ≥ 1 (got ${dimension}).`);
    }
    let pending = this.stores.get(embedderId);
    if (!pending) {
      pending = this.load(embedderId, dimension);
      this.stores.set(embedderId, pending);
    }
    return pending.then((store) => {
      if (store.dimension !== dimension) {
        throw new InvalidArgumentError(
          `EmbeddingCache: embedder "${embedderId}" was used with dimension ${store.dimension} and now ${dimension}; an embedder id must fix its dimension.`,
        );
      }
      return store;
    });
  }

  private async load(embedderId: string, dimension: number): Promise<Store> {
    const folder = join(this.dir, folderName(embedderId));
    const store: Store = { dimension, folder, vectors: new Map(), files: new Set() };
    let names: string[];
    try {
      names = (await readdir(folder)).filter((n) => n.endsWith(FILE_SUFFIX)).sort();
    } catch {
      return store; // No folder yet: nothing cached.
    }
    for (const name of names) {
      const path = join(folder, name);
      let bytes: Buffer;
      try {
        bytes = await readFile(path);
      } catch {
        continue; // Merged away by another process meanwhile.
      }
      try {
        const entries = parseFile(bytes, embedderId, dimension);
        for (const [key, vector] of entries) store.vectors.set(key, vector);
        store.files.add(name);
      } catch (error) {
        const bad = error as BadFile;
        if (bad.foreign) {
          this.onNotice(`embedding cache: ignoring ${path}: ${bad.message}. Its vectors are not used.`);
        } else {
          await unlink(path).catch(() => undefined);
          this.onNotice(
            `embedding cache: ignoring and deleting the damaged file ${path} (${bad.message}); its vectors will be computed again.`,
          );
        }
      }
    }
    return store;
  }

  private async writeFile(store: Store, embedderId: string, entries: ReadonlyArray<readonly [string, Float32Array]>): Promise<string> {
    await mkdir(store.folder, { recursive: true });
    const bytes = serialize(embedderId, store.dimension, entries);
    const unique = `${Date.now().toString(36)}-${process.pid}-${randomBytes(4).toString("hex")}`;
    const temp = join(store.folder, `.tmp-${unique}`);
    const name = `${unique}${FILE_SUFFIX}`;
    const handle = await open(temp, "w");
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await rename(temp, join(store.folder, name));
    } catch (error) {
      await unlink(temp).catch(() => undefined);
      throw error;
    }
    return name;
  }
}

const BYTE_ORDER = endianness();

function serialize(embedderId: string, dimension: number, entries: ReadonlyArray<readonly [string, Float32Array]>): Buffer {
  const headerJson = JSON.stringify({ embedderId, dimension, count: entries.length, byteOrder: BYTE_ORDER });
  // Pad the header with spaces so the records start 4-byte aligned.
  const rawHeader = Buffer.from(headerJson, "utf8");
  const header = Buffer.concat([rawHeader, Buffer.alloc((4 - ((12 + rawHeader.length) % 4)) % 4, 0x20)]);
  const recordBytes = KEY_BYTES + dimension * 4;
  const records = new ArrayBuffer(entries.length * recordBytes);
  const recordBytesView = new Uint8Array(records);
  entries.forEach(([key, vector], i) => {
    recordBytesView.set(Buffer.from(key, "hex"), i * recordBytes);
    new Float32Array(records, i * recordBytes + KEY_BYTES, dimension).set(vector);
  });
  const prefix = Buffer.alloc(12);
  MAGIC.copy(prefix, 0);
  prefix.writeUInt32LE(FORMAT_VERSION, 4);
  prefix.writeUInt32LE(header.length, 8);
  const body = Buffer.concat([prefix, header, Buffer.from(records)]);
  return Buffer.concat([body, createHash("sha256").update(body).digest()]);
}

function parseFile(bytes: Buffer, embedderId: string, dimension: number): Array<[string, Float32Array]> {
  if (bytes.length < 12 + CHECKSUM_BYTES || !bytes.subarray(0, 4).equals(MAGIC)) {
    throw new BadFile("it is not a papermap embedding cache file", true);
  }
  const version = bytes.readUInt32LE(4);
  if (version !== FORMAT_VERSION)
    throw new BadFile(`it has cache format version ${version}, this papermap reads version ${FORMAT_VERSION}`, true);
  const body = bytes.subarray(0, bytes.length - CHECKSUM_BYTES);
  if (
    !createHash("sha256")
      .update(body)
      .digest()
      .equals(bytes.subarray(bytes.length - CHECKSUM_BYTES))
  ) {
    throw new BadFile("checksum mismatch: the file is truncated or damaged", false);
  }
  const headerLength = bytes.readUInt32LE(8);
  let header: { embedderId?: unknown; dimension?: unknown; count?: unknown; byteOrder?: unknown };
  try {
    header = JSON.parse(body.subarray(12, 12 + headerLength).toString("utf8")) as typeof header;
  } catch {
    throw new BadFile("unreadable header", false);
  }
  if (header.embedderId !== embedderId || header.dimension !== dimension) {
    throw new BadFile(
      `it holds vectors of embedder "${String(header.embedderId)}" (dimension ${String(header.dimension)}), not "${embedderId}" (dimension ${dimension})`,
      true,
    );
  }
  if (header.byteOrder !== BYTE_ORDER) throw new BadFile(`it was written on a ${String(header.byteOrder)} machine`, true);
  const count = header.count;
  const recordBytes = KEY_BYTES + dimension * 4;
  const start = 12 + headerLength;
  if (typeof count !== "number" || !Number.isInteger(count) || start % 4 !== 0 || body.length !== start + count * recordBytes) {
    throw new BadFile("its length does not match its header", false);
  }
  // One aligned copy of the records; each vector is then a view into it.
  const records = new Uint8Array(body.subarray(start)).buffer;
  if (!allVectorsFinite(records, count, recordBytes, dimension)) {
    throw new BadFile("it holds a non-finite value", false);
  }
  const entries: Array<[string, Float32Array]> = [];
  for (let i = 0; i < count; i++) {
    const key = Buffer.from(records, i * recordBytes, KEY_BYTES).toString("hex");
    entries.push([key, new Float32Array(records, i * recordBytes + KEY_BYTES, dimension)]);
  }
  return entries;
}

/** Whether every vector value (not the key bytes) is a finite number. */
function allVectorsFinite(records: ArrayBuffer, count: number, recordBytes: number, dimension: number): boolean {
  for (let i = 0; i < count; i++) {
    if (!new Float32Array(records, i * recordBytes + KEY_BYTES, dimension).every(Number.isFinite)) return false;
  }
  return true;
}

/** Options of {@link withCache}. */
export interface CachedEmbedderOptions {
  /** Cache query vectors too. Default false: queries are one-off, documents are embedded again and again. */
  cacheQueries?: boolean;
}

/**
 * An embedder that looks texts up in an {@link EmbeddingCache} first and embeds only the
 * missing ones with the wrapped embedder. Its `id` and `dimension` are the wrapped embedder's.
 */
export class CachedEmbedder implements Embedder {
  readonly inner: Embedder;
  readonly cache: EmbeddingCache;
  /** Texts answered from the cache, and texts sent to the wrapped embedder, since creation. */
  readonly stats = { hits: 0, misses: 0 };
  private readonly cacheQueries: boolean;

  constructor(inner: Embedder, cache: EmbeddingCache, options: CachedEmbedderOptions = {}) {
    this.inner = inner;
    this.cache = cache;
    this.cacheQueries = options.cacheQueries ?? false;
  }

  get id(): string {
    return this.inner.id;
  }

  get dimension(): number {
    return this.inner.dimension;
  }

  async embed(texts: readonly string[], options: EmbedOptions = {}): Promise<Float32Array[]> {
    const kind: EmbedKind = options.kind ?? "document";
    if (kind === "query" && !this.cacheQueries) return this.inner.embed(texts, options);
    const { id, dimension } = this;
    const keys = texts.map((t) => EmbeddingCache.key(kind, t));
    const found = await this.cache.get(id, dimension, keys);
    // Each missing text once, even if it appears several times.
    const missing = new Map<string, number[]>();
    found.forEach((v, i) => {
      if (!v) missing.set(keys[i], [...(missing.get(keys[i]) ?? []), i]);
    });
    const hits = texts.length - [...missing.values()].reduce((n, list) => n + list.length, 0);
    this.stats.hits += hits;
    const onProgress = options.onProgress;
    if (missing.size === 0) {
      onProgress?.({ stage: "embed", done: texts.length, total: texts.length, unit: "texts", message: "from the embedding cache" });
      return found as Float32Array[];
    }
    const firstIndices = [...missing.values()].map((list) => list[0]);
    this.stats.misses += firstIndices.length;
    const computed = await this.inner.embed(
      firstIndices.map((i) => texts[i]),
      {
        ...options,
        onProgress: onProgress
          ? (event) => onProgress(event.stage === "embed" ? { ...event, done: hits + event.done, total: texts.length } : event)
          : undefined,
      },
    );
    if (computed.length !== firstIndices.length || computed.some((v) => v.length !== dimension)) {
      throw new InvalidArgumentError(
        `Embedder "${id}" returned ${computed.length} vectors for ${firstIndices.length} texts (or vectors of the wrong length; expected ${dimension}).`,
      );
    }
    const result = found.slice();
    const entries: Array<{ key: string; vector: Float32Array }> = [];
    [...missing.entries()].forEach(([key, indices], j) => {
      for (const i of indices) result[i] = indices.length > 1 && i !== indices[0] ? Float32Array.from(computed[j]) : computed[j];
      entries.push({ key, vector: computed[j] });
    });
    await this.cache.put(id, dimension, entries);
    return result as Float32Array[];
  }
}

/** Wraps `embedder` so that vectors already in `cache` are reused and new ones are stored. */
export function withCache(embedder: Embedder, cache: EmbeddingCache, options?: CachedEmbedderOptions): CachedEmbedder {
  return new CachedEmbedder(embedder, cache, options);
}
