import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { EmbeddingCache, withCache } from "./embed/cache.js";
import { defaultEmbeddingCacheDir } from "./embed/environment.js";
import {
  describeEmbedder,
  resolveEmbedder,
  restoreEmbedder,
  type EmbedderDescriptor,
  type EmbedderSpec,
} from "./embed/resolve.js";
import type { Embedder } from "./embed/types.js";
import { IncompatibleIndexError, InvalidArgumentError, PapermapError } from "./errors.js";
import { paperText, type Paper } from "./paper.js";
import { defaultNotice, type NoticeCallback, type ProgressCallback } from "./progress.js";
import { SearchEngine, type SearchTuning } from "./search/engine.js";
import type { RelatedOptions, SearchHit, SearchOptions } from "./search/types.js";
import { Bm25Index } from "./text/bm25.js";
import { buildThemes, type ThemeModel, type ThemeOptions } from "./themes/build.js";
import type { ThemeAssignment, ThemeResult } from "./themes/types.js";
import { replaceDirAtomically, resolveSavedDir, type AtomicDirStep } from "./vector-index/atomic-dir.js";
import { HnswIndex } from "./vector-index/hnsw.js";

/** HNSW parameters of a library's vector index (defaults: see `HnswIndex`). */
export interface LibraryIndexOptions {
  /** Graph links per node. */
  M?: number;
  /** Candidate list size while inserting. */
  efConstruction?: number;
  /** Candidate list size while searching (never below k). */
  ef?: number;
}

/** Options of {@link PaperLibrary.create}. */
export interface LibraryOptions {
  /**
   * Which embedder turns papers into vectors (default `"auto"`: the neural model when it
   * can be loaded, otherwise the built-in lexical embedder, said once through `onNotice`).
   * `"lexical"` forces the built-in one; an options object asks for a specific neural model
   * (a failure to load it is then an error); an `Embedder` object is used as is.
   */
  embedder?: EmbedderSpec;
  /** Progress of long steps: model download, "embed", "index". */
  onProgress?: ProgressCallback;
  /** Plain-language notices (fallbacks, advice to rebuild). Default: written to stderr. */
  onNotice?: NoticeCallback;
  /**
   * Folder of the on-disk embedding cache. Default: neural models are cached in the user
   * cache folder (`$PAPERMAP_CACHE_DIR`, else `$XDG_CACHE_HOME/papermap` or
   * `~/.cache/papermap`, under `embeddings/`); an `Embedder` object you pass is cached only
   * when you give a folder. `false` turns caching off. The built-in lexical embedder is
   * never cached: it is faster to recompute than to read back.
   */
  cacheDir?: string | false;
  /** HNSW parameters. */
  index?: LibraryIndexOptions;
}

/** Options of {@link PaperLibrary.open}. */
export interface OpenLibraryOptions {
  onProgress?: ProgressCallback;
  onNotice?: NoticeCallback;
  /**
   * The embedder to embed queries with. Needed when the library was built with a custom
   * embedder object; otherwise the saved one is restored. Its `id` and `dimension` must
   * match the saved library.
   */
  embedder?: Embedder;
  /** Embedding cache for papers added later, as in {@link LibraryOptions.cacheDir}. */
  cacheDir?: string | false;
}

/** Options of {@link PaperLibrary.save}. */
export interface SaveLibraryOptions {
  /**
   * Called after each step of the atomic folder swap; lets tests simulate a crash.
   * @internal
   */
  onStep?: (step: AtomicDirStep) => void | Promise<void>;
}

/** Name of the manifest file inside a saved library folder. */
export const LIBRARY_MANIFEST = "library.json";
/** Version of the saved library format written and read by this code. */
export const LIBRARY_FORMAT_VERSION = 1;
const LIBRARY_FORMAT = "papermap-library";
const FILES = {
  papers: "papers.json",
  embedder: "embedder.json",
  keywords: "keywords.json",
  keywordData: "keywords.bin",
  index: "index",
} as const;

interface Manifest {
  format: typeof LIBRARY_FORMAT;
  formatVersion: number;
  embedder: { kind: string; id: string; dimension: number };
  paperCount: number;
  /** Papers the lexical embedder was fitted on (to advise a rebuild after many adds). */
  fittedOn: number;
  files: typeof FILES;
}

const REBUILD_HINT =
  "Rebuild it: load the papers again and run PaperLibrary.create(papers) (or, from a library that opens, " +
  "PaperLibrary.create(library.papers())), then save it again.";

/**
 * A searchable collection of papers: each paper embedded (neural model or the built-in
 * lexical embedder), kept in an HNSW vector index and a BM25 keyword index, ready for
 * natural-language search, "papers like this one", and themes.
 *
 * ```ts
 * const library = await PaperLibrary.create(await loadDefaultListing());
 * const hits = await library.search("reducing visual tokens in vision-language models", { k: 5 });
 * const similar = await library.related(hits[0].paper.id, { k: 5, diversity: 0.3 });
 * await library.save("my-library");
 * const again = await PaperLibrary.open("my-library");
 * ```
 */
export class PaperLibrary {
  private readonly engine: SearchEngine;
  private readonly descriptor: EmbedderDescriptor;
  private readonly notice: NoticeCallback;
  private readonly progress: ProgressCallback | undefined;
  private fittedOn: number;
  private rebuildAdvised = false;
  private themeModel: ThemeModel | undefined;

  private constructor(init: {
    engine: SearchEngine;
    descriptor: EmbedderDescriptor;
    onNotice?: NoticeCallback;
    onProgress?: ProgressCallback;
    fittedOn: number;
  }) {
    this.engine = init.engine;
    this.descriptor = init.descriptor;
    this.notice = init.onNotice ?? defaultNotice;
    this.progress = init.onProgress;
    this.fittedOn = init.fittedOn;
  }

  /**
   * Embeds and indexes papers. With the default `embedder: "auto"` and no loadable neural
   * model, the built-in lexical embedder is fitted on these papers (said once through
   * `onNotice`). Throws {@link InvalidArgumentError} for malformed papers or duplicate ids.
   */
  static async create(papers: readonly Paper[], options: LibraryOptions = {}): Promise<PaperLibrary> {
    const list = checkPapers(papers, "create", true);
    const onNotice = options.onNotice ?? defaultNotice;
    const texts = list.map(paperText);
    const base = await resolveEmbedder(options.embedder ?? "auto", {
      documents: texts,
      onProgress: options.onProgress,
      onNotice,
    });
    const descriptor = describeEmbedder(base);
    const cacheDir = cacheFolder(options.cacheDir, descriptor.kind);
    const embedder = cacheDir === undefined ? base : withCache(base, new EmbeddingCache(cacheDir, { onNotice }));
    const index = HnswIndex.create({
      dimension: embedder.dimension,
      embedderId: embedder.id,
      ...options.index,
      capacity: Math.max(16, list.length),
    });
    const engine = new SearchEngine(embedder, index, new Bm25Index());
    const library = new PaperLibrary({
      engine,
      descriptor,
      onNotice,
      onProgress: options.onProgress,
      fittedOn: list.length,
    });
    await library.embedAndIndex(list);
    return library;
  }

  /**
   * Opens a library written by {@link save}. Refuses, with {@link IncompatibleIndexError},
   * a folder that is not a saved library, another format version, damaged files, or an
   * `options.embedder` whose id or dimension differs from the one the library was built
   * with; the message says how to rebuild.
   */
  static async open(dir: string, options: OpenLibraryOptions = {}): Promise<PaperLibrary> {
    if (typeof dir !== "string" || dir.trim() === "") throw new InvalidArgumentError("open: pass the folder a library was saved to.");
    const folder = await resolveSavedDir(dir);
    const manifest = await readManifest(folder);
    const descriptor = (await readJson(folder, FILES.embedder, "embedder description")) as EmbedderDescriptor;
    if (!descriptor || typeof descriptor !== "object" || descriptor.kind !== manifest.embedder.kind) {
      throw new IncompatibleIndexError(`The library in "${folder}" has a damaged ${FILES.embedder}. ${REBUILD_HINT}`);
    }
    if (options.embedder && (options.embedder.id !== manifest.embedder.id || options.embedder.dimension !== manifest.embedder.dimension)) {
      throw new IncompatibleIndexError(
        `The library in "${folder}" was built with embedder "${manifest.embedder.id}" (${manifest.embedder.dimension} dimensions), ` +
          `but the embedder passed to open() is "${options.embedder.id}" (${options.embedder.dimension} dimensions); ` +
          `its vectors cannot be compared. Open it without options.embedder, or rebuild it with the new embedder: ` +
          `PaperLibrary.create(library.papers(), { embedder }).`,
      );
    }
    const onNotice = options.onNotice ?? defaultNotice;
    let embedder: Embedder;
    try {
      embedder = await restoreEmbedder(descriptor, { onProgress: options.onProgress, onNotice, embedder: options.embedder });
    } catch (error) {
      if (error instanceof PapermapError) throw error;
      throw new IncompatibleIndexError(`The embedder of the library in "${folder}" cannot be restored: ${errorText(error)}. ${REBUILD_HINT}`, {
        cause: error,
      });
    }
    if (embedder.id !== manifest.embedder.id || embedder.dimension !== manifest.embedder.dimension) {
      throw new IncompatibleIndexError(
        `The library in "${folder}" was built with embedder "${manifest.embedder.id}" (${manifest.embedder.dimension} dimensions), ` +
          `but it now resolves to "${embedder.id}" (${embedder.dimension} dimensions). ${REBUILD_HINT}`,
      );
    }
    const cacheDir = cacheFolder(options.cacheDir, descriptor.kind);
    if (cacheDir !== undefined) embedder = withCache(embedder, new EmbeddingCache(cacheDir, { onNotice }));
    const index = await HnswIndex.open(path.join(folder, FILES.index), { embedderId: embedder.id, dimension: embedder.dimension });
    const papers = checkSavedPapers(await readJson(folder, FILES.papers, "papers"), folder);
    let keywords: Bm25Index;
    try {
      const header = await readJson(folder, FILES.keywords, "keyword index");
      let body: Buffer;
      try {
        body = await readFile(path.join(folder, FILES.keywordData));
      } catch (error) {
        throw new IncompatibleIndexError(`The library in "${folder}" has no readable keyword data (${FILES.keywordData}). ${REBUILD_HINT}`, {
          cause: error,
        });
      }
      keywords = Bm25Index.fromBinary(header, body);
    } catch (error) {
      if (error instanceof PapermapError) throw error;
      throw new IncompatibleIndexError(`The keyword index of the library in "${folder}" is damaged: ${errorText(error)}. ${REBUILD_HINT}`, {
        cause: error,
      });
    }
    const ids = new Set(papers.map((p) => p.id));
    const consistent =
      papers.length === manifest.paperCount &&
      index.size === ids.size &&
      keywords.size === ids.size &&
      index.ids().every((id) => ids.has(id)) &&
      keywords.ids().every((id) => ids.has(id));
    if (!consistent) {
      throw new IncompatibleIndexError(
        `The library in "${folder}" is inconsistent (its papers, vector index and keyword index disagree). ${REBUILD_HINT}`,
      );
    }
    const engine = new SearchEngine(embedder, index, keywords);
    engine.restore(papers);
    return new PaperLibrary({ engine, descriptor, onNotice, onProgress: options.onProgress, fittedOn: manifest.fittedOn });
  }

  /** Number of papers. */
  get size(): number {
    return this.engine.size;
  }

  /** Id of the embedder (model and settings) the vectors come from. */
  get embedderId(): string {
    return this.engine.embedder.id;
  }

  /** Length of the vectors. */
  get dimension(): number {
    return this.engine.embedder.dimension;
  }

  /** The paper with this id, if the library holds it. */
  get(id: string): Paper | undefined {
    return this.engine.get(id);
  }

  /** All papers, in the order they were added. */
  papers(): Paper[] {
    return this.engine.papers();
  }

  /** The stored (unit-length) vector of a paper. */
  vector(id: string): Float32Array | undefined {
    return this.engine.vector(id);
  }

  /**
   * Papers matching a natural-language query, best first.
   *
   * - `mode: "hybrid"` (default) fuses vector similarity with BM25 keyword relevance over
   *   titles and abstracts (equal weights), then moves the query vector towards the three
   *   best hits and ranks once more; `"vector"` and `"keyword"` use one signal.
   * - A query that is a paper's id, arXiv id or URL returns that paper first (then papers
   *   related to it); a query equal to a paper's title, or its short name before a colon
   *   ("ELECTRA"), returns it first; rare name-like words in the query ("CosyVoice") lift
   *   the papers that have them in their title.
   * - `filter`, `diversity` (MMR) and `k` as in {@link RelatedOptions}. An empty library or
   *   an empty query gives `[]`; in `"vector"` mode a query the embedder knows nothing of
   *   (all-zero vector) gives `[]` too.
   */
  async search(query: string, options: SearchOptions = {}): Promise<SearchHit[]> {
    return this.engine.search(query, options);
  }

  /**
   * Papers like the given one (never itself), best first: its stored vector (averaged with
   * its 10 nearest neighbours) fused with a BM25 query of its 30 most characteristic words
   * (weights 0.7 / 0.3); `matchedTerms` are the characteristic words a hit shares.
   * Throws {@link UnknownPaperError} for an id the library does not hold.
   */
  async related(paperId: string, options: RelatedOptions = {}): Promise<SearchHit[]> {
    return this.engine.related(paperId, options);
  }

  /**
   * Embeds and indexes more papers; a paper whose id is already held is replaced.
   * Incremental: nothing already indexed is re-embedded. The lexical embedder stays as it
   * was fitted, so words it never saw do not count in vectors (they still count for
   * keywords); after the library has grown by half or more, a notice suggests rebuilding.
   */
  async add(papers: readonly Paper[]): Promise<void> {
    const list = checkPapers(papers, "add", false);
    if (list.length === 0) return;
    await this.embedAndIndex(list);
    if (this.descriptor.kind === "lexical" && !this.rebuildAdvised && this.size > this.fittedOn * 1.5) {
      this.rebuildAdvised = true;
      this.notice(
        `the built-in lexical embedder was fitted on ${this.fittedOn} papers and the library now holds ${this.size}; ` +
          `words it never saw are ignored in vectors. For the best results rebuild: PaperLibrary.create(library.papers()).`,
      );
    }
  }

  /** Removes a paper; throws {@link UnknownPaperError} for an id the library does not hold. */
  async remove(id: string): Promise<void> {
    this.engine.remove(id);
  }

  /**
   * Writes the library to a folder, atomically: everything is written to a temporary
   * sibling folder which then replaces `dir`, so a crash mid-save leaves the previous
   * save usable. Refuses a non-empty folder that does not hold a saved library.
   */
  async save(dir: string, options: SaveLibraryOptions = {}): Promise<void> {
    if (typeof dir !== "string" || dir.trim() === "") throw new InvalidArgumentError("save: pass a folder path.");
    const manifest: Manifest = {
      format: LIBRARY_FORMAT,
      formatVersion: LIBRARY_FORMAT_VERSION,
      embedder: { kind: this.descriptor.kind, id: this.embedderId, dimension: this.dimension },
      paperCount: this.size,
      fittedOn: this.fittedOn,
      files: FILES,
    };
    await replaceDirAtomically(
      dir,
      async (temp) => {
        await writeFile(path.join(temp, FILES.papers), JSON.stringify(this.papers()));
        await writeFile(path.join(temp, FILES.embedder), JSON.stringify(this.descriptor));
        const keywords = this.engine.keywords.toBinary();
        await writeFile(path.join(temp, FILES.keywords), JSON.stringify(keywords.header));
        await writeFile(path.join(temp, FILES.keywordData), keywords.body);
        await this.engine.index.save(path.join(temp, FILES.index));
        // The manifest last: a folder without it is never taken for a library.
        await writeFile(path.join(temp, LIBRARY_MANIFEST), JSON.stringify(manifest, null, 2));
      },
      { what: "a paper library", canReplace: isSavedLibrary, onStep: options.onStep },
    );
  }

  /**
   * Groups the papers into themes (see `buildThemes`); remembered for {@link assignTheme}.
   * Deterministic: the same papers and options give the same themes.
   */
  async themes(options: ThemeOptions = {}): Promise<ThemeResult> {
    const papers = this.papers();
    const vectors = papers.map((p) => this.engine.vector(p.id)!);
    this.themeModel = await buildThemes(papers, vectors, { onProgress: this.progress, ...options });
    return this.themeModel.result;
  }

  /**
   * The existing theme each paper (new or held) belongs to, with a confidence, against the
   * last {@link themes} result (default themes are computed first if there is none).
   */
  async assignTheme(papers: readonly Paper[]): Promise<ThemeAssignment[]> {
    const list = checkPapers(papers, "assignTheme", false);
    if (!this.themeModel) await this.themes();
    if (list.length === 0) return [];
    const vectors = await this.engine.embedDocuments(list.map(paperText));
    return this.themeModel!.assign(vectors);
  }

  /** Ranking knobs, for benchmarks. @internal */
  get tuning(): SearchTuning {
    return this.engine.tuning;
  }

  // ---------------------------------------------------------------------------

  private async embedAndIndex(papers: readonly Paper[]): Promise<void> {
    const total = papers.length;
    const vectors = await this.engine.embedDocuments(papers.map(paperText), this.progress);
    const batch = 1000;
    this.progress?.({ stage: "index", done: 0, total, unit: "papers" });
    for (let start = 0; start < total; start += batch) {
      const end = Math.min(total, start + batch);
      this.engine.add(papers.slice(start, end), vectors.slice(start, end));
      this.progress?.({ stage: "index", done: end, total, unit: "papers" });
    }
  }
}

// -----------------------------------------------------------------------------

function checkPapers(papers: readonly Paper[], where: string, uniqueIds: boolean): Paper[] {
  if (!Array.isArray(papers)) throw new InvalidArgumentError(`${where}: pass an array of papers, got ${typeof papers}.`);
  const seen = new Set<string>();
  papers.forEach((p, i) => {
    if (!p || typeof p !== "object") throw new InvalidArgumentError(`${where}: paper #${i + 1} is not an object.`);
    if (typeof p.id !== "string" || p.id.trim() === "") {
      throw new InvalidArgumentError(`${where}: paper #${i + 1} has no id (a non-empty string is required).`);
    }
    if (typeof p.title !== "string" || typeof p.abstract !== "string") {
      throw new InvalidArgumentError(`${where}: paper "${p.id}" needs a string title and abstract.`);
    }
    if (uniqueIds && seen.has(p.id)) {
      throw new InvalidArgumentError(`${where}: the id "${p.id}" occurs twice; give every paper a unique id.`);
    }
    seen.add(p.id);
  });
  if (!uniqueIds) {
    // add(): the last paper with an id wins, like adding them one by one.
    const last = new Map<string, Paper>();
    for (const p of papers) {
      last.delete(p.id);
      last.set(p.id, p);
    }
    return [...last.values()];
  }
  return [...papers];
}

/** Neural models are cached by default; a custom embedder only when a folder is given; lexical never. */
function cacheFolder(option: string | false | undefined, kind: EmbedderDescriptor["kind"]): string | undefined {
  if (option === false || kind === "lexical") return undefined;
  return option ?? (kind === "transformers" ? defaultEmbeddingCacheDir() : undefined);
}

async function isSavedLibrary(dir: string): Promise<boolean> {
  try {
    const raw = JSON.parse(await readFile(path.join(dir, LIBRARY_MANIFEST), "utf8")) as { format?: unknown };
    return raw.format === LIBRARY_FORMAT;
  } catch {
    return false;
  }
}

async function readJson(folder: string, file: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path.join(folder, file), "utf8");
  } catch (error) {
    throw new IncompatibleIndexError(`The library in "${folder}" has no readable ${what} file (${file}). ${REBUILD_HINT}`, { cause: error });
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new IncompatibleIndexError(`The ${what} file of the library in "${folder}" (${file}) is damaged. ${REBUILD_HINT}`, { cause: error });
  }
}

async function readManifest(folder: string): Promise<Manifest> {
  let text: string;
  try {
    text = await readFile(path.join(folder, LIBRARY_MANIFEST), "utf8");
  } catch (error) {
    throw new IncompatibleIndexError(
      `"${folder}" does not hold a saved papermap library (no ${LIBRARY_MANIFEST}). Save one with library.save(dir).`,
      { cause: error },
    );
  }
  let raw: Partial<Manifest>;
  try {
    raw = JSON.parse(text) as Partial<Manifest>;
  } catch (error) {
    throw new IncompatibleIndexError(`The manifest of the library in "${folder}" is damaged. ${REBUILD_HINT}`, { cause: error });
  }
  if (!raw || raw.format !== LIBRARY_FORMAT) {
    throw new IncompatibleIndexError(`"${folder}" does not hold a saved papermap library (${LIBRARY_MANIFEST} is another kind of file).`);
  }
  if (raw.formatVersion !== LIBRARY_FORMAT_VERSION) {
    throw new IncompatibleIndexError(
      `The library in "${folder}" was saved in format version ${String(raw.formatVersion)}; this papermap reads version ` +
        `${LIBRARY_FORMAT_VERSION}. ${REBUILD_HINT}`,
    );
  }
  const e = raw.embedder;
  if (!e || typeof e.id !== "string" || typeof e.kind !== "string" || !Number.isInteger(e.dimension) || !Number.isInteger(raw.paperCount)) {
    throw new IncompatibleIndexError(`The manifest of the library in "${folder}" is damaged. ${REBUILD_HINT}`);
  }
  return { ...(raw as Manifest), fittedOn: Number.isInteger(raw.fittedOn) ? (raw.fittedOn as number) : (raw.paperCount as number) };
}

function checkSavedPapers(raw: unknown, folder: string): Paper[] {
  const ok =
    Array.isArray(raw) &&
    raw.every((p) => p && typeof p === "object" && typeof p.id === "string" && typeof p.title === "string" && typeof p.abstract === "string");
  if (!ok) throw new IncompatibleIndexError(`The papers file of the library in "${folder}" is damaged. ${REBUILD_HINT}`);
  return raw as Paper[];
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
