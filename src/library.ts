import { EmbeddingCache, withCache } from "./embed/cache.js";
import { defaultEmbeddingCacheDir } from "./embed/environment.js";
import { describeEmbedder, resolveEmbedder, type EmbedderDescriptor, type EmbedderSpec } from "./embed/resolve.js";
import type { Embedder } from "./embed/types.js";
import { IncompatibleIndexError, InvalidArgumentError, PapermapError } from "./errors.js";
import { paperText, type Paper } from "./paper.js";
import { defaultNotice, type NoticeCallback, type ProgressCallback } from "./progress.js";
import {
  Collections,
  DEFAULT_RECOMMEND_TUNING,
  recommend,
  type RecommendHit,
  type RecommendOptions,
  type RecommendTuning,
} from "./recommend/index.js";
import { SearchEngine, type SearchTuning } from "./search/engine.js";
import type { RelatedOptions, SearchHit, SearchOptions } from "./search/types.js";
import { Bm25Index } from "./text/bm25.js";
import { LexicalEmbedder } from "./embed/lexical.js";
import type { ThemeOptions } from "./themes/build.js";
import {
  placeInThemes,
  restoreThemeState,
  startThemes,
  updateThemeState,
  type LivingInput,
  type LivingOptions,
  type LivingThemeResult,
  type ThemeChange,
  type ThemeState,
} from "./themes/living.js";
import { buildTimeline, type Timeline, type TimelineOptions } from "./themes/timeline.js";
import type { ThemeAssignment } from "./themes/types.js";
import type { LockTiming } from "./store/lock.js";
import { LIBRARY_FORMAT_VERSION, LIBRARY_MANIFEST } from "./store/manifest.js";
import { checkFolderArgument, readLibrary, restoreSavedEmbedder, writeLibrary } from "./store/snapshot.js";
import { emptyState, type LibraryState } from "./store/state.js";
import type { AtomicDirStep } from "./vector-index/atomic-dir.js";
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
  /** Folder of downloaded neural models. Default: `models/` in the user cache folder (see `cacheDir`). */
  modelCacheDir?: string;
  /**
   * Never use the network (no model download). Default: from the environment
   * (`PAPERMAP_OFFLINE`, `HF_HUB_OFFLINE` or `TRANSFORMERS_OFFLINE` set to 1).
   */
  offline?: boolean;
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
  /** Folder of downloaded neural models, as in {@link LibraryOptions.modelCacheDir}. */
  modelCacheDir?: string;
  /** Never use the network, as in {@link LibraryOptions.offline}. */
  offline?: boolean;
  /** Timing of the inter-process lock (tests). @internal */
  lock?: LockTiming;
}

/** Options of {@link PaperLibrary.save}. */
export interface SaveLibraryOptions {
  /**
   * Called after each step of the atomic folder swap; lets tests simulate a crash.
   * @internal
   */
  onStep?: (step: AtomicDirStep) => void | Promise<void>;
  /** Timing of the inter-process lock (tests). @internal */
  lock?: LockTiming;
}

/** Options of {@link PaperLibrary.themes}. */
export interface LibraryThemeOptions extends ThemeOptions {
  /**
   * Start over: cluster every paper afresh and number the themes from `theme-1` (the only
   * call that renumbers). Also implied by a `k`, `seed` or `minSize` other than the saved
   * themes were built with.
   */
  rebuild?: boolean;
}

/** What {@link PaperLibrary.updateThemes} returns: the themes, and what changed. */
export interface ThemeUpdate extends LivingThemeResult {
  /** Faded, split and merged themes, then new themes, then themes that grew, since the last update. */
  changes: ThemeChange[];
  /** True when the lexical embedder was refitted and every paper re-embedded in this update. */
  refitted: boolean;
}

/** Share of papers added since the lexical embedder was fitted that makes updateThemes() fit it again. */
const REFIT_SHARE = 0.25;

export { LIBRARY_FORMAT_VERSION, LIBRARY_MANIFEST };

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
  private engine: SearchEngine;
  private descriptor: EmbedderDescriptor;
  private readonly notice: NoticeCallback;
  private readonly progress: ProgressCallback | undefined;
  private fittedOn: number;
  private rebuildAdvised = false;
  /** Changes made by a themes() call that brought the themes up to date, not yet returned by updateThemes(). */
  private unreported: ThemeChange[] = [];
  /** Collections and living themes: saved and opened with the library (see src/store/state.ts). */
  private state: LibraryState = emptyState();
  /** Tail of the queue that runs mutations and saves one at a time (see {@link serial}). */
  private queue: Promise<unknown> = Promise.resolve();
  /**
   * Named sets of paper ids saved with the library: `add(name, ids)`, `remove(name, ids)`,
   * `get(name)`, `list()`, `delete(name)`. {@link recommend} reads the collections `"liked"`
   * and `"disliked"` by default. Removing a paper from the library removes it from them.
   */
  readonly collections: Collections;

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
    this.collections = new Collections(
      (id) => this.engine.get(id) !== undefined,
      () => this.state.collections,
      (change) => this.serial(async () => change()),
    );
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
      ...(options.modelCacheDir !== undefined ? { modelCacheDir: options.modelCacheDir } : {}),
      ...(options.offline !== undefined ? { offline: options.offline } : {}),
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
   * Opens a library written by {@link save}: every file is checked against the length and
   * SHA-256 recorded in the manifest, and papers, vector index and keyword index must agree.
   * It never reads a save half done: while another process saves to the folder it reads the
   * previous save, and when the folder is mid-swap (or a save crashed there) it waits for
   * the folder's lock (up to 20 s) and reads again. Refuses, with {@link IncompatibleIndexError}, a folder that is
   * not a saved library, another format version, damaged or edited files, or an
   * `options.embedder` whose id or dimension differs from the one the library was built
   * with; the message says how to rebuild. A version-1 library (older papermap, no
   * checksums) is read, with a notice advising to save it again.
   */
  static async open(dir: string, options: OpenLibraryOptions = {}): Promise<PaperLibrary> {
    checkFolderArgument(dir, "open");
    const given: unknown = options.embedder;
    if (given !== undefined && (typeof given !== "object" || given === null || typeof (given as Embedder).embed !== "function")) {
      throw new InvalidArgumentError(
        `open: options.embedder must be an embedder object (needed only for a library built with a custom embedder); ` +
          `a saved library restores its own embedder, so leave it out${typeof given === "string" ? ` (got "${given}")` : ""}.`,
      );
    }
    const onNotice = options.onNotice ?? defaultNotice;
    const saved = await readLibrary(dir, { embedder: options.embedder, onNotice, lock: options.lock });
    let embedder = await restoreSavedEmbedder(saved, {
      embedder: options.embedder,
      onProgress: options.onProgress,
      onNotice,
      ...(options.modelCacheDir !== undefined ? { modelCacheDir: options.modelCacheDir } : {}),
      ...(options.offline !== undefined ? { offline: options.offline } : {}),
    });
    const cacheDir = cacheFolder(options.cacheDir, saved.descriptor.kind);
    if (cacheDir !== undefined) embedder = withCache(embedder, new EmbeddingCache(cacheDir, { onNotice }));
    const engine = new SearchEngine(embedder, saved.index, saved.keywords);
    engine.restore(saved.papers);
    const library = new PaperLibrary({
      engine,
      descriptor: saved.descriptor,
      onNotice,
      onProgress: options.onProgress,
      fittedOn: saved.manifest.fittedOn,
    });
    if (saved.state.themes !== null) {
      try {
        saved.state.themes = restoreThemeState(saved.state.themes);
      } catch (error) {
        throw new IncompatibleIndexError(`The library in "${dir}" cannot be opened: ${(error as Error).message}`, { cause: error });
      }
    }
    library.state = saved.state;
    library.collections.restore(saved.state.collections, dir);
    return library;
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
    await this.serial(() => this.embedAndIndex(list));
    // With saved themes, updateThemes() refits the embedder itself: no advice needed.
    if (this.descriptor.kind === "lexical" && this.state.themes === null && !this.rebuildAdvised && this.size > this.fittedOn * 1.5) {
      this.rebuildAdvised = true;
      this.notice(
        `the built-in lexical embedder was fitted on ${this.fittedOn} papers and the library now holds ${this.size}; ` +
          `words it never saw are ignored in vectors. For the best results rebuild: PaperLibrary.create(library.papers()).`,
      );
    }
  }

  /**
   * Removes a paper (also from every collection); throws {@link UnknownPaperError} for an
   * id the library does not hold.
   */
  async remove(id: string): Promise<void> {
    await this.serial(async () => {
      this.engine.remove(id);
      this.collections.forgetPaper(id);
    });
  }

  /**
   * Papers to read next, given the ones the reader liked (and did not), best first (see
   * `RecommendOptions` and the README for the model and how it was measured). Likes in
   * unrelated subjects each get their share of the list. Liked and disliked papers are never
   * returned; each hit says which liked papers it is closest to and the words it shares with
   * the closest. Without `liked`, the collection `"liked"` is used (an
   * {@link InvalidArgumentError} when it is empty); without `disliked`, the collection
   * `"disliked"`. Unknown ids throw {@link UnknownPaperError}.
   *
   * ```ts
   * await library.collections.add("liked", ["2502.07490"]);
   * const today = await library.recommend({ k: 10, filter: { from: "2025-11-21" } });
   * ```
   */
  async recommend(options: RecommendOptions = {}): Promise<RecommendHit[]> {
    const engine = this.engine;
    return recommend(
      {
        get size() {
          return engine.size;
        },
        get: (id) => engine.get(id),
        vector: (id) => engine.vector(id),
        ids: () => engine.index.ids(),
        search: (vector, opts) => engine.index.search(vector, opts),
        keywords: engine.keywords,
        memo: (key, compute) => engine.memo(key, compute),
      },
      this.collections,
      options,
      this.recommendTuning,
    );
  }

  /**
   * Writes the library to a folder, safely:
   *
   * - it waits for the `add`/`remove` calls made before it and writes one consistent
   *   snapshot (calls made after it wait for it);
   * - it holds an inter-process lock on the folder (`.<name>.lock` beside it): another
   *   process saving to or opening the same folder waits for it, up to 20 s;
   * - everything is written to a temporary sibling folder, read back and verified (every
   *   file's SHA-256, papers and indexes agree) and only then swapped in for the previous
   *   save, so that a crash or a failure at any moment leaves the previous save usable.
   *
   * Refuses a non-empty folder that does not hold a saved library. Failures are
   * {@link PapermapError}s naming the folder and the cause.
   */
  async save(dir: string, options: SaveLibraryOptions = {}): Promise<void> {
    checkFolderArgument(dir, "save");
    await this.serial(() =>
      writeLibrary(
        dir,
        {
          papers: this.papers(),
          descriptor: this.descriptor,
          embedder: { kind: this.descriptor.kind, id: this.embedderId, dimension: this.dimension },
          fittedOn: this.fittedOn,
          keywords: this.engine.keywords,
          index: this.engine.index,
          state: this.state,
        },
        { onStep: options.onStep, lock: options.lock },
      ),
    );
  }

  /**
   * The library's themes: computed on first use (see `buildThemes`), then kept, saved with
   * the library and restored by {@link open}; ids stay the same for the life of each theme.
   * When papers were added or removed since, the themes are first brought up to date as
   * {@link updateThemes} does (its next call reports those changes).
   *
   * `rebuild: true` starts over (the only call that renumbers themes); so does a `k`, `seed`
   * or `minSize` other than the saved themes were built with. Deterministic for the same papers,
   * order of updates and seed.
   */
  async themes(options: LibraryThemeOptions = {}): Promise<LivingThemeResult> {
    const { rebuild, ...build } = options;
    const s = this.themeState?.settings;
    const differs =
      s !== undefined &&
      ((build.k !== undefined && build.k !== s.k) ||
        (build.seed !== undefined && build.seed !== s.seed) ||
        (build.minSize !== undefined && build.minSize !== s.minSize));
    if (rebuild || !this.themeState || differs) {
      return this.serial(async () => {
        const step = await startThemes(this.livingInput(), {
          k: build.k,
          seed: build.seed,
          minSize: build.minSize,
          onProgress: build.onProgress ?? this.progress,
        });
        this.state.themes = step.state;
        this.unreported = [];
        return step.result;
      });
    }
    const update = await this.updateThemes();
    this.unreported = update.changes;
    return { themes: update.themes, assignments: update.assignments };
  }

  /**
   * Brings the saved themes up to date after {@link add} or {@link remove}: each new paper
   * joins the theme it fits; new papers that fit no theme, or that lie closer to each other
   * than to any theme's papers, and cohere form a new theme; after enough growth, a theme grown
   * too broad splits and themes that converged merge. Old papers keep their theme unless it
   * split or merged, or the papers were re-embedded and the new vectors clearly place them in
   * another theme; labels change only when a theme's content really changed. `changes` lists what happened (with each theme's lineage in `from`).
   *
   * With the built-in lexical embedder, once the papers added since it was fitted reach a
   * quarter of those it was fitted on (when the themes are re-clustered anyway), it is fitted
   * again on all papers and every paper re-embedded first; also when 30% or more of the new
   * papers fit no theme well (words it never saw) and the library grew by 10% since the fit.
   * Said through `onNotice`; themes keep their ids across the refit.
   * With nothing added or removed, nothing changes. Runs in turn with add, remove and save.
   */
  async updateThemes(
    options: Pick<LivingOptions, "fitThreshold" | "minNewTheme" | "restructureGrowth" | "relabelShare" | "namingSample"> = {},
  ): Promise<ThemeUpdate> {
    return this.serial(async () => {
      const current = this.themeState;
      if (!current) {
        const start = await startThemes(this.livingInput(), { onProgress: this.progress });
        this.state.themes = start.state;
        return { ...start.result, changes: start.changes, refitted: false };
      }
      const stale = this.themesStale(current);
      let refitted = false;
      const lexical = this.descriptor.kind === "lexical";
      if (stale && lexical && this.size - this.fittedOn >= REFIT_SHARE * this.fittedOn) {
        await this.refitLexical(`the library now holds ${this.size} papers`);
        refitted = true;
      }
      const settings = { ...options, seed: current.settings.seed, onProgress: this.progress };
      let step = await updateThemeState(current, this.livingInput(), settings);
      const added = step.added ?? 0;
      const unfit = step.unfit ?? 0;
      if (!refitted && lexical && unfit >= 3 && unfit >= 0.3 * added && this.size - this.fittedOn >= 0.1 * this.fittedOn) {
        // Many new papers fit no theme: their words may be unknown to the fitted embedder.
        await this.refitLexical(`${unfit} of the ${added} new papers fit no theme well, perhaps for words it never saw`);
        refitted = true;
        step = await updateThemeState(current, this.livingInput(), settings);
      }
      this.state.themes = step.state;
      const changes = [...this.unreported, ...step.changes];
      this.unreported = [];
      return { ...step.result, changes, refitted };
    });
  }

  /**
   * Papers per day (or week) for each theme, each theme marked emerging, steady or fading
   * (see `buildTimeline`). A paper's day is its `listingDay`, else its `published` date.
   */
  async timeline(options: TimelineOptions = {}): Promise<Timeline> {
    const themes = await this.themes();
    return buildTimeline(this.papers(), themes, options);
  }

  /**
   * The existing theme each paper (new or held) would join, with a confidence, against the
   * library's themes (computed first if there are none); nothing changes.
   */
  async assignTheme(papers: readonly Paper[]): Promise<ThemeAssignment[]> {
    const list = checkPapers(papers, "assignTheme", false);
    if (!this.themeState || this.themesStale(this.themeState)) await this.themes();
    if (list.length === 0) return [];
    const vectors = await this.engine.embedDocuments(list.map(paperText));
    return placeInThemes(this.themeState!, this.livingInput(), vectors);
  }

  /** Ranking knobs, for benchmarks. @internal */
  get tuning(): SearchTuning {
    return this.engine.tuning;
  }

  /** Recommendation knobs, for benchmarks. @internal */
  readonly recommendTuning: RecommendTuning = { ...DEFAULT_RECOMMEND_TUNING };

  // ---------------------------------------------------------------------------

  /**
   * Runs `work` after every mutation and save queued before it, and before those queued after
   * it: add, remove, save (and other state changes) of one library never interleave. A failed
   * step does not stop the queue.
   */
  private serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** The living themes (validated when the library was opened), or null before first use. */
  private get themeState(): ThemeState | null {
    return this.state.themes as ThemeState | null;
  }

  private livingInput(): LivingInput {
    const papers = this.papers();
    return { papers, vectors: papers.map((p) => this.engine.vector(p.id)!), embedderId: this.embedderId };
  }

  private themesStale(state: ThemeState): boolean {
    let held = 0;
    for (const t of state.themes) {
      for (const id of t.members) {
        if (!this.engine.get(id)) return true;
        held++;
      }
    }
    return held !== this.size || state.embedderId !== this.embedderId;
  }

  /** Fits the lexical embedder again on all papers and re-embeds them into a new vector index. */
  private async refitLexical(reason: string): Promise<void> {
    const papers = this.papers();
    this.notice(
      `the built-in lexical embedder was fitted on ${this.fittedOn} papers and ${reason}: ` +
        `fitting it again on all ${papers.length} papers and re-embedding them (themes keep their ids).`,
    );
    const texts = papers.map(paperText);
    const embedder = LexicalEmbedder.fit(texts, { dimension: this.dimension });
    const vectors = await embedder.embed(texts, { kind: "document", onProgress: this.progress });
    // The new index keeps the library's HNSW parameters.
    const old = this.engine.index;
    const parameters = old instanceof HnswIndex ? { M: old.M, efConstruction: old.efConstruction, ef: old.ef } : {};
    const index = HnswIndex.create({
      dimension: embedder.dimension,
      embedderId: embedder.id,
      ...parameters,
      capacity: Math.max(16, papers.length),
    });
    const engine = new SearchEngine(embedder, index, this.engine.keywords, this.engine.tuning);
    engine.add(papers, vectors, false);
    this.engine = engine;
    this.descriptor = describeEmbedder(embedder);
    this.fittedOn = papers.length;
    this.rebuildAdvised = false;
  }

  /**
   * Embeds all the papers, checks every vector, then indexes them: when embedding fails or any
   * vector is malformed (wrong length, not finite), nothing is added.
   */
  private async embedAndIndex(papers: readonly Paper[]): Promise<void> {
    const total = papers.length;
    let checked: Float32Array[];
    try {
      // One check for every embedder's output (documents here, queries in the search engine).
      checked = await this.engine.embedDocuments(papers.map(paperText), this.progress);
    } catch (error) {
      if (!(error instanceof InvalidArgumentError)) throw error;
      throw new InvalidArgumentError(`${error.message.replace(/\.$/, "")}; nothing was added.`, { cause: error });
    }
    const batch = 1000;
    this.progress?.({ stage: "index", done: 0, total, unit: "papers" });
    for (let start = 0; start < total; start += batch) {
      const end = Math.min(total, start + batch);
      this.engine.add(papers.slice(start, end), checked.slice(start, end));
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
