import { createHash } from "node:crypto";
import { IncompatibleIndexError, InvalidArgumentError } from "../errors.js";
import { analyze, DEFAULT_ANALYZER, type AnalyzerOptions } from "../text/analyze.js";
import { seededRandom } from "../text/random.js";
import type { SparseRow } from "../text/sparse.js";
import { fitLsaProjection } from "../text/lsa.js";
import { DEFAULT_TFIDF, TfidfModel, type TfidfOptions, type TfidfState } from "../text/tfidf.js";
import type { EmbedOptions, Embedder } from "./types.js";

/** Settings of {@link LexicalEmbedder.fit}. Every one has a measured default. */
export interface LexicalEmbedderOptions {
  /**
   * Length of every vector (default 128). Vectors are padded with zeros when the corpus
   * is too small for that many components.
   */
  dimension?: number;
  /**
   * How texts become terms (default: Porter2 stems, word 1–2-grams within a clause,
   * stopwords removed, hyphenated compounds kept whole).
   */
  analyzer?: AnalyzerOptions;
  /**
   * TF-IDF weighting and vocabulary pruning. Default: sublinear tf, BM25 idf
   * `ln(1 + (N − df + 0.5)/(df + 0.5))` (measured better than the smooth idf of
   * scikit-learn), terms in at most half of the papers and in at least 3 of them (2 below
   * 1,000 papers, 1 below 10), at most 20,000 terms (the most frequent).
   */
  tfidf?: TfidfOptions;
  /**
   * Weight of the terms of a text's first sentence, the title of a paper embedded as
   * `title + ". " + abstract` (default 1: no up-weighting, which measured best).
   */
  titleWeight?: number;
  /**
   * Each LSA component is scaled by its singular value to this power: 1 is classic LSA,
   * 0 gives every component equal weight, 2 (the default) favours the broad components.
   */
  singularValuePower?: number;
  /**
   * Leading LSA components to leave out (default 1: the first one mostly measures how
   * "typical" a text's words are, not its topic; 0 below 10 papers).
   */
  dropComponents?: number;
  /**
   * Neighbour smoothing strength β (default 2; 0 turns it off). Each fitted paper's LSA
   * vector is pulled towards its nearest neighbours' (itself + β × their weighted mean),
   * and the linear map that best reproduces those smoothed vectors from the paper's LSA
   * coordinates becomes part of the projection, so queries and new papers get it too.
   */
  smoothing?: number;
  /** Neighbours per paper in the smoothing step (default 10). */
  smoothingNeighbors?: number;
  /** LSA components the smoothed map reads (default 2 × dimension). */
  smoothingComponents?: number;
  /** Papers the smoothing graph is built on at most, a seeded sample when there are more (default 5,000). */
  smoothingMaxDocuments?: number;
  /** Power iterations of the randomized SVD (default 3). */
  powerIterations?: number;
  /** Random seed: the same documents and seed give the same vectors (default 42). */
  seed?: number;
  /** Fit on at most this many documents, a seeded sample when there are more (default 20,000). */
  maxFitDocuments?: number;
}

/** The fitted state of a {@link LexicalEmbedder}: plain JSON, saved inside a library. */
export interface LexicalEmbedderState {
  format: "papermap-lexical-embedder";
  version: 1;
  dimension: number;
  /** Components actually fitted (≤ dimension; the rest of each vector is zero). */
  components: number;
  analyzer: Required<AnalyzerOptions>;
  titleWeight: number;
  tfidf: TfidfState["options"];
  documentCount: number;
  averageLength: number;
  terms: string[];
  /** Float32 little-endian, one idf per term, base64. */
  idf: string;
  /** Float32 little-endian, row-major `terms × components`, base64: term weight → vector. */
  projection: string;
  /** Short hash of everything above; part of the embedder id. */
  hash: string;
}

const FORMAT = "papermap-lexical-embedder";
const VERSION = 1;

/** Default vector length, see the README section on the lexical embedder. */
export const DEFAULT_LEXICAL_DIMENSION = 128;

const DEFAULTS = {
  dimension: DEFAULT_LEXICAL_DIMENSION,
  titleWeight: 1,
  singularValuePower: 2,
  smoothing: 2,
  smoothingNeighbors: 10,
  smoothingComponents: undefined as number | undefined,
  smoothingMaxDocuments: 5_000,
  powerIterations: 3,
  seed: 42,
  maxFitDocuments: 20_000,
};

/** Hyphenated compounds stay single terms: adding their parts measured slightly worse. */
const LEXICAL_ANALYZER: Required<AnalyzerOptions> = { ...DEFAULT_ANALYZER, hyphens: "keep" };

/** TF-IDF defaults for a corpus of `n` documents (rare-term pruning needs enough documents). */
function defaultTfidf(n: number): TfidfOptions {
  return { minDf: n < 10 ? 1 : n < 1000 ? 2 : 3, maxDf: n < 10 ? 1 : 0.5, maxFeatures: 20_000, idf: "bm25" };
}

/**
 * The built-in embedder that needs no model files. Fitted on the library's own papers:
 *
 * 1. TF-IDF over Porter2-stemmed words and word pairs (sublinear tf, BM25 idf, English
 *    stopwords removed, rare and ubiquitous terms pruned);
 * 2. latent semantic analysis: a randomized truncated SVD of the TF-IDF matrix, without
 *    its first component, components scaled by their singular value squared;
 * 3. neighbour smoothing distilled into the projection: the linear map that pulls each
 *    fitted paper towards its nearest neighbours is folded into the term → vector
 *    projection, so queries and new papers get the same treatment with no extra work.
 *
 * The result is one `terms × dimension` matrix: a text is embedded as its TF-IDF vector
 * times that matrix, scaled to unit length. Queries and documents are embedded the same
 * way (`kind` is ignored); terms the fitted corpus never had are ignored, so a text with
 * no known term becomes the all-zero vector. Fitting is deterministic (seeded), and the
 * `id` carries a hash of the fitted state.
 *
 * @example
 * ```ts
 * const lexical = LexicalEmbedder.fit(papers.map(paperText));  // or embedder: "lexical" in PaperLibrary.create
 * const [v] = await lexical.embed(["masked image modeling"]);
 * const saved = JSON.stringify(lexical.toJSON());              // LexicalEmbedder.fromJSON(JSON.parse(saved)) embeds the same
 * ```
 */
export class LexicalEmbedder implements Embedder {
  readonly id: string;
  readonly dimension: number;
  private readonly tfidf: TfidfModel;
  private readonly analyzerOptions: Required<AnalyzerOptions>;
  private readonly titleWeight: number;
  private readonly components: number;
  private readonly projection: Float32Array;
  private readonly stateHash: string;

  private constructor(parts: {
    dimension: number;
    tfidf: TfidfModel;
    analyzer: Required<AnalyzerOptions>;
    titleWeight: number;
    components: number;
    projection: Float32Array;
    hash: string;
  }) {
    this.dimension = parts.dimension;
    this.tfidf = parts.tfidf;
    this.analyzerOptions = parts.analyzer;
    this.titleWeight = parts.titleWeight;
    this.components = parts.components;
    this.projection = parts.projection;
    this.stateHash = parts.hash;
    this.id = `papermap-lexical/tfidf-lsa-${parts.dimension}@${parts.hash}`;
  }

  /**
   * Fits the embedder on a corpus (the library's own papers, as `title + ". " + abstract`).
   * An empty corpus is allowed: every text then embeds to the zero vector.
   */
  static fit(documents: readonly string[], options: LexicalEmbedderOptions = {}): LexicalEmbedder {
    const o = { ...DEFAULTS, ...stripUndefined(options) };
    checkPositiveInteger("dimension", o.dimension);
    checkPositiveInteger("maxFitDocuments", o.maxFitDocuments);
    const sample = sampleDocuments(documents, o.maxFitDocuments, o.seed);
    const dropComponents = options.dropComponents ?? (sample.length < 10 ? 0 : 1);
    checkNonNegativeInteger("dropComponents", dropComponents);
    checkNonNegativeInteger("powerIterations", o.powerIterations);
    if (!(o.titleWeight > 0) || !Number.isFinite(o.titleWeight))
      throw new InvalidArgumentError(`titleWeight must be a positive number, got ${o.titleWeight}.`);
    if (!Number.isFinite(o.singularValuePower))
      throw new InvalidArgumentError(`singularValuePower must be a finite number, got ${o.singularValuePower}.`);
    if (!(o.smoothing >= 0) || !Number.isFinite(o.smoothing))
      throw new InvalidArgumentError(`smoothing must be a number ≥ 0, got ${o.smoothing}.`);
    checkPositiveInteger("smoothingNeighbors", o.smoothingNeighbors);
    checkPositiveInteger("smoothingMaxDocuments", o.smoothingMaxDocuments);
    if (o.smoothingComponents !== undefined) checkPositiveInteger("smoothingComponents", o.smoothingComponents);
    if (!Number.isInteger(o.seed)) throw new InvalidArgumentError(`seed must be an integer, got ${o.seed}.`);
    const analyzer: Required<AnalyzerOptions> = { ...LEXICAL_ANALYZER, ...stripUndefined(options.analyzer ?? {}) };
    const analyzed = sample.map((text) => analyzeWeighted(text, analyzer, o.titleWeight));
    const tfidfOptions: TfidfOptions = { ...defaultTfidf(sample.length), ...stripUndefined(options.tfidf ?? {}) };
    const tfidf = TfidfModel.fit(
      analyzed.map((a) => a.terms),
      tfidfOptions,
      analyzed.map((a) => a.weights),
    );
    const x = tfidf.transform(
      analyzed.map((a) => a.terms),
      analyzed.map((a) => a.weights),
    );
    const { components, projection } = fitLsaProjection(x, {
      dimension: o.dimension,
      dropComponents,
      singularValuePower: o.singularValuePower,
      smoothing: o.smoothing,
      smoothingNeighbors: o.smoothingNeighbors,
      smoothingComponents: o.smoothingComponents ?? 2 * o.dimension,
      smoothingMaxDocuments: o.smoothingMaxDocuments,
      powerIterations: o.powerIterations,
      seed: o.seed,
    });
    // Idf is saved as Float32: use the rounded values from the start, so that a restored
    // embedder gives exactly the same vectors as the fitted one.
    const fitted = tfidf.toState();
    const rounded = TfidfModel.fromState({ ...fitted, idf: fitted.idf.map(Math.fround) });
    const hash = hashState(o.dimension, components, analyzer, o.titleWeight, rounded.toState(), projection);
    return new LexicalEmbedder({
      dimension: o.dimension,
      tfidf: rounded,
      analyzer,
      titleWeight: o.titleWeight,
      components,
      projection,
      hash,
    });
  }

  /**
   * Rebuilds an embedder from {@link LexicalEmbedder.toJSON} output (for example read back
   * from a saved library). Throws {@link IncompatibleIndexError} when the state is not a
   * lexical embedder state of this version or is damaged.
   */
  static fromJSON(state: unknown): LexicalEmbedder {
    const fail = (what: string): never => {
      throw new IncompatibleIndexError(
        `The saved lexical embedder cannot be used: ${what}. Rebuild the library from its papers (PaperLibrary.create) to fit a new one.`,
      );
    };
    if (typeof state !== "object" || state === null) return fail("it is not an object");
    const s = state as Partial<Record<keyof LexicalEmbedderState, unknown>>;
    if (s.format !== FORMAT) return fail(`it is not a papermap lexical embedder state (format ${JSON.stringify(s.format)})`);
    if (s.version !== VERSION) return fail(`it has version ${JSON.stringify(s.version)}, this papermap reads version ${VERSION}`);
    if (!isPositiveInteger(s.dimension)) return fail("its dimension is missing or invalid");
    if (!isNonNegativeInteger(s.components) || s.components > s.dimension) return fail("its number of components is invalid");
    if (!Array.isArray(s.terms) || !s.terms.every((t) => typeof t === "string")) return fail("its vocabulary is missing or invalid");
    if (new Set(s.terms).size !== s.terms.length) return fail("its vocabulary has duplicate terms");
    if (typeof s.idf !== "string" || typeof s.projection !== "string" || typeof s.hash !== "string") return fail("its weights are missing");
    if (!isNonNegativeInteger(s.documentCount) || typeof s.averageLength !== "number" || !(s.averageLength > 0))
      return fail("its corpus statistics are invalid");
    const analyzer = checkAnalyzer(s.analyzer);
    if (analyzer === undefined) return fail("its analyzer settings are invalid");
    const tfidfOptions = checkTfidfOptions(s.tfidf);
    if (tfidfOptions === undefined) return fail("its TF-IDF settings are invalid");
    if (typeof s.titleWeight !== "number" || !(s.titleWeight > 0)) return fail("its title weight is invalid");
    const idf = decodeFloat32(s.idf);
    const projection = decodeFloat32(s.projection);
    if (idf === undefined || idf.length !== s.terms.length || !idf.every(Number.isFinite)) return fail("its idf weights are damaged");
    if (projection === undefined || projection.length !== s.terms.length * s.components || !projection.every(Number.isFinite)) {
      return fail("its projection is damaged");
    }
    const tfidfState: TfidfState = {
      terms: s.terms as string[],
      idf: Array.from(idf),
      documentCount: s.documentCount,
      averageLength: s.averageLength,
      options: tfidfOptions,
    };
    const hash = hashState(s.dimension, s.components, analyzer, s.titleWeight, tfidfState, projection);
    if (hash !== s.hash) return fail("its contents do not match its checksum");
    return new LexicalEmbedder({
      dimension: s.dimension,
      tfidf: TfidfModel.fromState(tfidfState),
      analyzer,
      titleWeight: s.titleWeight,
      components: s.components,
      projection,
      hash,
    });
  }

  /** Number of terms in the fitted vocabulary. */
  get vocabularySize(): number {
    return this.tfidf.terms.length;
  }

  /**
   * Unit-length vectors, one per text, in input order. A text without any term of the
   * fitted vocabulary gives the all-zero vector. `kind` does not matter here.
   */
  async embed(texts: readonly string[], options: EmbedOptions = {}): Promise<Float32Array[]> {
    const out: Float32Array[] = [];
    const total = texts.length;
    const step = Math.max(1, Math.ceil(total / 20));
    for (let i = 0; i < total; i++) {
      out.push(this.embedOne(texts[i]));
      if (options.onProgress && ((i + 1) % step === 0 || i + 1 === total)) {
        options.onProgress({ stage: "embed", done: i + 1, total, unit: "texts" });
      }
      // Long batches give the event loop a turn now and then.
      if ((i + 1) % 500 === 0 && i + 1 < total) await new Promise<void>((resolve) => setImmediate(resolve));
    }
    return out;
  }

  /** The vector of one text (synchronous). */
  embedOne(text: string): Float32Array {
    if (typeof text !== "string") throw new InvalidArgumentError(`Texts to embed must be strings, got ${typeof text}.`);
    const a = analyzeWeighted(text, this.analyzerOptions, this.titleWeight);
    return this.project(this.tfidf.vector(a.terms, a.weights));
  }

  private project(row: SparseRow): Float32Array {
    const out = new Float32Array(this.dimension);
    const k = this.components;
    if (k === 0) return out;
    const acc = new Float64Array(k);
    for (let p = 0; p < row.indices.length; p++) {
      const w = row.values[p];
      const o = row.indices[p] * k;
      for (let c = 0; c < k; c++) acc[c] += w * this.projection[o + c];
    }
    let sq = 0;
    for (let c = 0; c < k; c++) sq += acc[c] * acc[c];
    if (sq === 0) return out;
    const inv = 1 / Math.sqrt(sq);
    for (let c = 0; c < k; c++) out[c] = acc[c] * inv;
    return out;
  }

  /** The fitted state, JSON-serialisable; {@link LexicalEmbedder.fromJSON} restores it exactly. */
  toJSON(): LexicalEmbedderState {
    const t = this.tfidf.toState();
    return {
      format: FORMAT,
      version: VERSION,
      dimension: this.dimension,
      components: this.components,
      analyzer: { ...this.analyzerOptions },
      titleWeight: this.titleWeight,
      tfidf: t.options,
      documentCount: t.documentCount,
      averageLength: t.averageLength,
      terms: t.terms,
      idf: encodeFloat32(Float32Array.from(this.tfidf.idf)),
      projection: encodeFloat32(this.projection),
      hash: this.stateHash,
    };
  }
}

interface WeightedTerms {
  terms: string[];
  weights: number[] | undefined;
}

/** Terms of a text; with a title weight ≠ 1, the terms of the first sentence get that weight. */
function analyzeWeighted(text: string, analyzer: Required<AnalyzerOptions>, titleWeight: number): WeightedTerms {
  if (titleWeight === 1) return { terms: analyze(text, analyzer), weights: undefined };
  const cut = text.search(/[.!?]\s/);
  if (cut < 0) return { terms: analyze(text, analyzer), weights: undefined };
  const title = analyze(text.slice(0, cut), analyzer);
  const body = analyze(text.slice(cut + 1), analyzer);
  return { terms: title.concat(body), weights: title.map(() => titleWeight).concat(body.map(() => 1)) };
}

function sampleDocuments(documents: readonly string[], max: number, seed: number): readonly string[] {
  if (documents.length <= max) return documents;
  const rand = seededRandom(seed);
  const order = documents.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order
    .slice(0, max)
    .sort((a, b) => a - b)
    .map((i) => documents[i]);
}

function hashState(
  dimension: number,
  components: number,
  analyzer: Required<AnalyzerOptions>,
  titleWeight: number,
  tfidf: TfidfState,
  projection: Float32Array,
): string {
  const h = createHash("sha256");
  h.update(
    JSON.stringify({
      dimension,
      components,
      analyzer: sortKeys(analyzer),
      titleWeight,
      options: sortKeys(tfidf.options),
      n: tfidf.documentCount,
      avg: tfidf.averageLength,
    }),
  );
  h.update(tfidf.terms.join("\n"));
  h.update(new Uint8Array(Float32Array.from(tfidf.idf).buffer));
  h.update(new Uint8Array(projection.buffer, projection.byteOffset, projection.byteLength));
  return h.digest("hex").slice(0, 12);
}

function sortKeys<T extends object>(o: T): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function encodeFloat32(a: Float32Array): string {
  const le = new Uint8Array(a.length * 4);
  const view = new DataView(le.buffer);
  for (let i = 0; i < a.length; i++) view.setFloat32(i * 4, a[i], true);
  return Buffer.from(le).toString("base64");
}

function decodeFloat32(s: string): Float32Array | undefined {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s)) return undefined;
  const bytes = Buffer.from(s, "base64");
  if (bytes.length % 4 !== 0) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(bytes.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(i * 4, true);
  return out;
}

function checkAnalyzer(a: unknown): Required<AnalyzerOptions> | undefined {
  if (typeof a !== "object" || a === null) return undefined;
  const o = a as Record<string, unknown>;
  if (typeof o.stem !== "boolean" || typeof o.ngramsAcrossGaps !== "boolean") return undefined;
  if (!isPositiveInteger(o.maxNgram) || o.maxNgram > 3 || !isPositiveInteger(o.minLength)) return undefined;
  if (o.hyphens !== "keep" && o.hyphens !== "split" && o.hyphens !== "both") return undefined;
  return { stem: o.stem, maxNgram: o.maxNgram, ngramsAcrossGaps: o.ngramsAcrossGaps, hyphens: o.hyphens, minLength: o.minLength };
}

function checkTfidfOptions(t: unknown): TfidfState["options"] | undefined {
  if (typeof t !== "object" || t === null) return undefined;
  const o = t as Record<string, unknown>;
  const num = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);
  if (!num(o.minDf) || !num(o.maxDf) || !num(o.k1) || !num(o.b)) return undefined;
  if (o.tf !== "raw" && o.tf !== "sublinear" && o.tf !== "bm25") return undefined;
  if (o.idf !== "smooth" && o.idf !== "bm25" && o.idf !== "none") return undefined;
  if (typeof o.normalize !== "boolean") return undefined;
  if (o.maxFeatures !== null && !isPositiveInteger(o.maxFeatures)) return undefined;
  return {
    ...DEFAULT_TFIDF,
    minDf: o.minDf,
    maxDf: o.maxDf,
    k1: o.k1,
    b: o.b,
    tf: o.tf,
    idf: o.idf,
    normalize: o.normalize,
    maxFeatures: o.maxFeatures,
  };
}

function isPositiveInteger(v: unknown): v is number {
  return typeof v === "number" && Number.isInteger(v) && v >= 1;
}

function isNonNegativeInteger(v: unknown): v is number {
  return typeof v === "number" && Number.isInteger(v) && v >= 0;
}

function checkPositiveInteger(name: string, v: number): void {
  if (!isPositiveInteger(v)) throw new InvalidArgumentError(`${name} must be a whole number ≥ 1, got ${v}.`);
}

function checkNonNegativeInteger(name: string, v: number): void {
  if (!isNonNegativeInteger(v)) throw new InvalidArgumentError(`${name} must be a whole number ≥ 0, got ${v}.`);
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
