import { SparseMatrix, type SparseRow } from "./sparse.js";

/** How term counts become weights. */
export interface TfidfOptions {
  /**
   * Keep terms found in at least this many documents; a value below 1 is a fraction of
   * the documents (default 1: keep all).
   */
  minDf?: number;
  /** Drop terms found in more than this fraction of the documents (default 1: keep all). */
  maxDf?: number;
  /** Keep at most this many terms, the most frequent by document frequency (default: no limit). */
  maxFeatures?: number;
  /**
   * Term-frequency weighting: "raw" count, "sublinear" `1 + ln(count)` (the default; counts
   * below 1, from fractional weights, are kept as they are), or
   * "bm25" saturation `count·(k1+1) / (count + k1·(1 − b + b·len/avgLen))`.
   */
  tf?: "raw" | "sublinear" | "bm25";
  /** BM25 saturation constant (default 1.2). */
  k1?: number;
  /** BM25 length normalisation (default 0.75). */
  b?: number;
  /**
   * Inverse document frequency: "smooth" `ln((1+N)/(1+df)) + 1` (the default, as in
   * scikit-learn), "bm25" `ln(1 + (N − df + 0.5)/(df + 0.5))`, or "none".
   */
  idf?: "smooth" | "bm25" | "none";
  /** Scale every document vector to unit length (default true). */
  normalize?: boolean;
}

/** Everything needed to rebuild a fitted {@link TfidfModel}. */
export interface TfidfState {
  terms: string[];
  idf: number[];
  documentCount: number;
  averageLength: number;
  options: Required<Omit<TfidfOptions, "maxFeatures">> & { maxFeatures: number | null };
}

export const DEFAULT_TFIDF: Required<Omit<TfidfOptions, "maxFeatures">> = {
  minDf: 1,
  maxDf: 1,
  tf: "sublinear",
  k1: 1.2,
  b: 0.75,
  idf: "smooth",
  normalize: true,
};

/**
 * A TF-IDF weighting fitted on a corpus of term lists (see `analyze`): the vocabulary
 * (sorted, after document-frequency pruning) and one idf per term. Documents and
 * queries are turned into sparse vectors over that vocabulary; unknown terms are ignored.
 */
export class TfidfModel {
  readonly terms: readonly string[];
  readonly vocabulary: ReadonlyMap<string, number>;
  readonly idf: Float64Array;
  readonly documentCount: number;
  /** Mean (weighted) document length in kept terms, for BM25 length normalisation. */
  readonly averageLength: number;
  readonly options: Readonly<Required<Omit<TfidfOptions, "maxFeatures">>> & { readonly maxFeatures: number | null };

  private constructor(terms: string[], idf: Float64Array, documentCount: number, averageLength: number, options: TfidfState["options"]) {
    this.terms = terms;
    this.idf = idf;
    this.documentCount = documentCount;
    this.averageLength = averageLength;
    this.options = options;
    this.vocabulary = new Map(terms.map((t, i) => [t, i]));
  }

  /**
   * Learns the vocabulary and idf from documents given as term lists, each optionally
   * with a per-term weight (e.g. 2 for title terms; default 1).
   */
  static fit(
    documents: readonly (readonly string[])[],
    options: TfidfOptions = {},
    weights?: readonly (readonly number[] | undefined)[],
  ): TfidfModel {
    const o = { ...DEFAULT_TFIDF, ...options, maxFeatures: options.maxFeatures ?? null };
    const n = documents.length;
    const df = new Map<string, number>();
    for (const doc of documents) {
      for (const t of new Set(doc)) df.set(t, (df.get(t) ?? 0) + 1);
    }
    const minCount = o.minDf < 1 ? Math.ceil(o.minDf * n) : o.minDf;
    const maxCount = o.maxDf * n;
    let kept = [...df.entries()].filter(([, c]) => c >= minCount && c <= maxCount);
    if (o.maxFeatures !== null && kept.length > o.maxFeatures) {
      kept.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
      kept = kept.slice(0, o.maxFeatures);
    }
    const terms = kept.map(([t]) => t).sort();
    const idf = new Float64Array(terms.length);
    terms.forEach((t, i) => {
      const d = df.get(t) ?? 0;
      idf[i] = o.idf === "smooth" ? Math.log((1 + n) / (1 + d)) + 1 : o.idf === "bm25" ? Math.log(1 + (n - d + 0.5) / (d + 0.5)) : 1;
    });
    const model = new TfidfModel(terms, idf, n, 1, o);
    let total = 0;
    documents.forEach((doc, i) => {
      const w = weights?.[i];
      doc.forEach((t, k) => {
        if (model.vocabulary.has(t)) total += w ? w[k] : 1;
      });
    });
    return new TfidfModel(terms, idf, n, n > 0 && total > 0 ? total / n : 1, o);
  }

  /** Rebuilds a model from {@link TfidfModel.toState} output. */
  static fromState(state: TfidfState): TfidfModel {
    return new TfidfModel([...state.terms], Float64Array.from(state.idf), state.documentCount, state.averageLength, { ...state.options });
  }

  /** Everything needed to rebuild this model (JSON-serialisable). */
  toState(): TfidfState {
    return {
      terms: [...this.terms],
      idf: Array.from(this.idf),
      documentCount: this.documentCount,
      averageLength: this.averageLength,
      options: { ...this.options },
    };
  }

  /** The weighted vector of one document (terms outside the vocabulary are ignored). */
  vector(terms: readonly string[], weights?: readonly number[]): SparseRow {
    const counts = new Map<number, number>();
    let length = 0;
    terms.forEach((t, k) => {
      const i = this.vocabulary.get(t);
      if (i === undefined) return;
      const w = weights ? weights[k] : 1;
      counts.set(i, (counts.get(i) ?? 0) + w);
      length += w;
    });
    const indices = Int32Array.from([...counts.keys()].sort((a, b) => a - b));
    const values = new Float64Array(indices.length);
    const { tf, k1, b } = this.options;
    const norm = tf === "bm25" ? k1 * (1 - b + (b * length) / this.averageLength) : 0;
    let sq = 0;
    indices.forEach((i, k) => {
      const c = counts.get(i) ?? 0;
      const f = tf === "raw" ? c : tf === "sublinear" ? (c >= 1 ? 1 + Math.log(c) : c) : (c * (k1 + 1)) / (c + norm);
      const v = f * this.idf[i];
      values[k] = v;
      sq += v * v;
    });
    if (this.options.normalize && sq > 0) {
      const inv = 1 / Math.sqrt(sq);
      for (let k = 0; k < values.length; k++) values[k] *= inv;
    }
    return { indices, values };
  }

  /** The vectors of many documents, one row each. */
  transform(documents: readonly (readonly string[])[], weights?: readonly (readonly number[] | undefined)[]): SparseMatrix {
    return SparseMatrix.fromRows(
      documents.map((d, i) => this.vector(d, weights?.[i])),
      this.terms.length,
    );
  }
}
