import { pluralStem, tokenize } from "./analyze.js";

/**
 * BM25 keyword index over paper titles and abstracts.
 *
 * - Terms come from {@link tokenize} (stopwords removed). A hyphenated or dotted word is
 *   indexed whole and by its parts ("vision-language" → "vision-language", "vision",
 *   "language"), so either spelling finds it. Terms are reduced by a light plural
 *   stemmer ({@link pluralStem}: "tokens" → "token", "queries" → "query").
 * - Two fields, BM25F-style: title terms count `titleWeight` times (default 2) in term
 *   frequency and document length.
 * - Incremental: {@link Bm25Index.add} and {@link Bm25Index.remove} update the statistics
 *   (document frequencies, average length) without a rebuild; removed documents are
 *   compacted away lazily.
 * - idf is the non-negative Lucene variant `ln(1 + (N − df + 0.5) / (df + 0.5))`.
 */
export interface Bm25Options {
  /** Term-frequency saturation (default 1.2). */
  k1?: number;
  /** Length normalisation, 0 = none, 1 = full (default 0.75). */
  b?: number;
  /** How many times a title term counts compared with an abstract term (default 2). */
  titleWeight?: number;
}

/** The two fields of a document. */
export interface Bm25Fields {
  title: string;
  abstract: string;
}

/** One keyword hit. */
export interface Bm25Hit {
  id: string;
  /** Raw BM25 score (unbounded, > 0). */
  score: number;
  /** The query terms (as the query spelled them) that the document contains, in query order. */
  matchedTerms: string[];
  /** Each matched term's part of `score`, aligned with `matchedTerms`. */
  termScores: number[];
}

/** A parsed query: distinct terms, each with a weight and the surface form the query used. */
export interface Bm25Query {
  terms: Array<{ term: string; weight: number; surface: string }>;
}

export interface Bm25SearchOptions {
  k: number;
  /** Keep only ids for which this returns true. */
  filter?: (id: string) => boolean;
}

const DEFAULTS = { k1: 1.2, b: 0.75, titleWeight: 2 };

/**
 * Index terms of a text, with the surface word each came from, in text order.
 * Exposed so that callers can explain matches with the same analysis the index uses.
 */
export function analyzeForBm25(text: string): Array<{ term: string; surface: string }> {
  const out: Array<{ term: string; surface: string }> = [];
  for (const token of tokenize(text)) {
    for (const entry of tokenTerms(token)) out.push(entry);
  }
  return out;
}

const TOKEN_CACHE_LIMIT = 500_000;

function tokenTerms(token: string): Array<{ term: string; surface: string }> {
  const list = [{ term: pluralStem(token), surface: token }];
  if (/[-.']/.test(token)) {
    for (const part of token.split(/[-.']+/)) {
      if (part.length < 2 || /^\d+$/.test(part)) continue;
      list.push({ term: pluralStem(part), surface: part });
    }
  }
  return list;
}

interface Posting {
  docs: Int32Array;
  tfs: Float32Array;
  length: number;
}

interface DocEntry {
  id: string;
  /** Sorted term ids. */
  termIds: Int32Array;
  /** Weighted term frequencies, aligned with termIds. */
  tfs: Float32Array;
  /** 1 where the term occurs in the title, aligned with termIds. */
  inTitle: Uint8Array;
  /** Weighted length. */
  length: number;
  alive: boolean;
}

/** Header of the binary form of a {@link Bm25Index} (see {@link Bm25Index.toBinary}). */
export interface Bm25BinaryHeader {
  kind: "papermap-bm25";
  version: 1;
  encoding: "binary";
  options: Required<Bm25Options>;
  vocabulary: string[];
  surfaces: string[];
  ids: string[];
  /** Number of (document, term) entries in the body. */
  entries: number;
}

/** BM25 keyword index; see the module documentation. */
export class Bm25Index {
  readonly options: Required<Bm25Options>;
  private readonly vocab = new Map<string, number>();
  private readonly terms: string[] = [];
  /** The first surface word seen for each term, to show matches readably. */
  private readonly surfaces: string[] = [];
  private postings: Posting[] = [];
  private df: number[] = [];
  private docs: DocEntry[] = [];
  private readonly slotOf = new Map<string, number>();
  private totalLength = 0;
  private deadSlots = 0;
  /** Per slot: 1 while the document is live, and its weighted length (for the scoring loop). */
  private slotAlive = new Uint8Array(16);
  private slotLength = new Float32Array(16);
  /** Per term, scratch space while adding one document (all zero between calls). */
  private scratchTf = new Float64Array(1024);
  private scratchTitle = new Uint8Array(1024);
  private readonly tokenIds = new Map<string, Int32Array>();

  constructor(options: Bm25Options = {}) {
    this.options = {
      k1: options.k1 ?? DEFAULTS.k1,
      b: options.b ?? DEFAULTS.b,
      titleWeight: options.titleWeight ?? DEFAULTS.titleWeight,
    };
  }

  /** Live documents. */
  get size(): number {
    return this.slotOf.size;
  }

  /** Number of distinct terms ever seen. */
  get vocabularySize(): number {
    return this.terms.length;
  }

  has(id: string): boolean {
    return this.slotOf.has(id);
  }

  /** Live document ids, in insertion order. */
  ids(): string[] {
    return [...this.slotOf.keys()];
  }

  /** Average weighted document length over live documents. */
  get averageLength(): number {
    return this.size === 0 ? 0 : this.totalLength / this.size;
  }

  /** Documents (live) that contain the term (an index term, i.e. already stemmed). */
  documentFrequency(term: string): number {
    const t = this.vocab.get(term);
    return t === undefined ? 0 : this.df[t];
  }

  /** The idf of an index term (0 for unknown terms). */
  idf(term: string): number {
    const t = this.vocab.get(term);
    return t === undefined ? 0 : this.idfOf(t);
  }

  /** Adds a document, replacing any previous document with the same id. */
  add(id: string, fields: Bm25Fields): void {
    if (this.slotOf.has(id)) this.remove(id);
    const touched: number[] = [];
    let length = 0;
    const addField = (text: string, weight: number, isTitle: boolean) => {
      for (const token of tokenize(text)) {
        for (const t of this.tokenTermIds(token)) {
          if (this.scratchTf[t] === 0) touched.push(t);
          this.scratchTf[t] += weight;
          if (isTitle) this.scratchTitle[t] = 1;
          length += weight;
        }
      }
    };
    addField(fields.title, this.options.titleWeight, true);
    addField(fields.abstract, 1, false);
    const termIds = Int32Array.from(touched).sort();
    const tfs = new Float32Array(termIds.length);
    const inTitle = new Uint8Array(termIds.length);
    for (let i = 0; i < termIds.length; i++) {
      const t = termIds[i];
      tfs[i] = this.scratchTf[t];
      inTitle[i] = this.scratchTitle[t];
      this.scratchTf[t] = 0;
      this.scratchTitle[t] = 0;
    }
    this.insert({ id, termIds, tfs, inTitle, length, alive: true });
  }

  /** The term ids of one token (memoised per index; bounded). */
  private tokenTermIds(token: string): Int32Array {
    let ids = this.tokenIds.get(token);
    if (!ids) {
      ids = Int32Array.from(tokenTerms(token), (e) => this.termId(e.term, true, e.surface)!);
      if (this.tokenIds.size >= TOKEN_CACHE_LIMIT) this.tokenIds.clear();
      this.tokenIds.set(token, ids);
    }
    return ids;
  }

  /** Removes a document; returns false when the id is not indexed. */
  remove(id: string): boolean {
    const slot = this.slotOf.get(id);
    if (slot === undefined) return false;
    const doc = this.docs[slot];
    doc.alive = false;
    this.slotAlive[slot] = 0;
    this.slotOf.delete(id);
    for (const t of doc.termIds) this.df[t]--;
    this.totalLength -= doc.length;
    this.deadSlots++;
    if (this.deadSlots > 64 && this.deadSlots > this.docs.length * 0.3) this.compact();
    return true;
  }

  /**
   * Live documents whose title contains the index term. Costs O(document frequency),
   * so it is meant for rare terms such as names.
   */
  titleMatches(term: string): string[] {
    const t = this.vocab.get(term);
    if (t === undefined) return [];
    const p = this.postings[t];
    const out: string[] = [];
    for (let i = 0; i < p.length; i++) {
      const doc = this.docs[p.docs[i]];
      if (!doc.alive) continue;
      const j = binarySearch(doc.termIds, t);
      if (j >= 0 && doc.inTitle[j]) out.push(doc.id);
    }
    return out;
  }

  /** Parses a free-text query into weighted index terms (weight = occurrences in the query). */
  parseQuery(text: string): Bm25Query {
    const byTerm = new Map<string, { term: string; weight: number; surface: string }>();
    for (const { term, surface } of analyzeForBm25(text)) {
      const e = byTerm.get(term);
      if (e) e.weight += 1;
      else byTerm.set(term, { term, weight: 1, surface });
    }
    return { terms: [...byTerm.values()] };
  }

  /**
   * A document turned into a query: its `maxTerms` most characteristic terms (highest
   * BM25 term weight × idf within the document; terms in more than `maxDfFraction` of
   * the documents are left out), weighted by that value normalised to a maximum of 1.
   * Used for "papers like this one". Undefined for an unknown id.
   */
  documentQuery(id: string, maxTerms = 30, maxDfFraction = 1): Bm25Query | undefined {
    const slot = this.slotOf.get(id);
    if (slot === undefined) return undefined;
    const doc = this.docs[slot];
    const maxDf = Math.max(2, maxDfFraction * this.size);
    const scored: Array<{ t: number; w: number }> = [];
    for (let i = 0; i < doc.termIds.length; i++) {
      const t = doc.termIds[i];
      // A term only this paper has cannot relate it to another; a very common one hardly
      // ranks, but costs the longest posting list.
      if (this.df[t] < 2 || this.df[t] > maxDf) continue;
      scored.push({ t, w: this.termScore(doc.tfs[i], doc.length) * this.idfOf(t) });
    }
    scored.sort((a, b) => b.w - a.w || a.t - b.t);
    const top = scored.slice(0, maxTerms);
    const max = top.length > 0 ? top[0].w : 1;
    return { terms: top.map(({ t, w }) => ({ term: this.terms[t], weight: w / max, surface: this.surfaces[t] })) };
  }

  /** The top-k documents for a query (free text or parsed), best first. */
  search(query: string | Bm25Query, options: Bm25SearchOptions): Bm25Hit[] {
    const q = typeof query === "string" ? this.parseQuery(query) : query;
    const k = Math.max(0, Math.floor(options.k));
    if (k === 0 || this.size === 0) return [];
    const qt = this.resolveQuery(q);
    if (qt.length === 0) return [];
    const nSlots = this.docs.length;
    const scores = new Float64Array(nSlots);
    const touched = new Int32Array(nSlots);
    let nTouched = 0;
    const { k1, b } = this.options;
    const base = k1 * (1 - b);
    const perLength = (k1 * b) / (this.averageLength || 1);
    const lengths = this.slotLength;
    const alive = this.slotAlive;
    for (const { t, weight } of qt) {
      const w = weight * this.idfOf(t) * (k1 + 1);
      const p = this.postings[t];
      const docs = p.docs;
      const tfs = p.tfs;
      for (let i = 0; i < p.length; i++) {
        const slot = docs[i];
        if (alive[slot] === 0) continue;
        if (scores[slot] === 0) touched[nTouched++] = slot;
        const tf = tfs[i];
        scores[slot] += (w * tf) / (tf + base + perLength * lengths[slot]);
      }
    }
    // Best first without sorting everything: a max-heap, popped until k documents pass the filter.
    const heap = touched.subarray(0, nTouched);
    const before = (x: number, y: number) => scores[x] > scores[y] || (scores[x] === scores[y] && x < y);
    for (let i = (nTouched >> 1) - 1; i >= 0; i--) siftDown(heap, i, nTouched, before);
    const filter = options.filter;
    const candidates: number[] = [];
    let size = nTouched;
    while (size > 0 && candidates.length < k) {
      const top = heap[0];
      heap[0] = heap[--size];
      siftDown(heap, 0, size, before);
      if (!filter || filter(this.docs[top].id)) candidates.push(top);
    }
    return candidates.map((slot) => ({ ...this.explain(slot, qt), score: scores[slot] }));
  }

  /**
   * BM25 scores of the given documents for a query (0 for a document that shares no
   * term; unknown ids are skipped). Lets a caller explain vector hits with keywords.
   */
  score(query: string | Bm25Query, ids: readonly string[]): Map<string, Bm25Hit> {
    const q = typeof query === "string" ? this.parseQuery(query) : query;
    const qt = this.resolveQuery(q);
    const out = new Map<string, Bm25Hit>();
    for (const id of ids) {
      const slot = this.slotOf.get(id);
      if (slot !== undefined) out.set(id, this.explain(slot, qt));
    }
    return out;
  }

  /**
   * The largest score any document could get for this query: every query term present
   * with saturated tf in a document of average length. Useful to put scores on a [0, 1]
   * scale that does not depend on which documents were retrieved.
   */
  maxScore(query: string | Bm25Query): number {
    const q = typeof query === "string" ? this.parseQuery(query) : query;
    let s = 0;
    for (const { t, weight } of this.resolveQuery(q)) s += weight * this.idfOf(t) * (this.options.k1 + 1);
    return s;
  }

  /**
   * The index as a small JSON header plus one binary body (the per-document term arrays),
   * the fast way to save it; {@link Bm25Index.fromBinary} reads it back.
   */
  toBinary(): { header: Bm25BinaryHeader; body: Uint8Array } {
    const { ids, offsets, termIds, tfs, inTitle } = this.liveArrays();
    const n = termIds.length;
    const body = new Uint8Array(offsets.byteLength + n * 9);
    let at = 0;
    for (const a of [offsets, termIds, tfs, inTitle]) {
      body.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), at);
      at += a.byteLength;
    }
    return {
      header: {
        kind: "papermap-bm25",
        version: 1,
        encoding: "binary",
        options: { ...this.options },
        vocabulary: [...this.terms],
        surfaces: [...this.surfaces],
        ids,
        entries: n,
      },
      body,
    };
  }

  /** Rebuilds an index from {@link toBinary} output; throws a plain Error on a malformed one. */
  static fromBinary(header: unknown, body: Uint8Array): Bm25Index {
    const h = header as Partial<Bm25BinaryHeader> | null;
    if (h?.kind !== "papermap-bm25" || h.version !== 1 || h.encoding !== "binary" || !Array.isArray(h.ids)) {
      throw new Error("not a papermap BM25 header (version 1)");
    }
    const docs = h.ids.length;
    const n = Number(h.entries);
    if (!Number.isInteger(n) || n < 0 || body.byteLength !== (docs + 1) * 4 + n * 9) {
      throw new Error("BM25 data is damaged (its size does not match its header)");
    }
    const copy = new Uint8Array(body.byteLength);
    copy.set(body); // aligned
    const buf = copy.buffer;
    let at = 0;
    const offsets = new Int32Array(buf, at, docs + 1);
    at += offsets.byteLength;
    const termIds = new Int32Array(buf, at, n);
    at += termIds.byteLength;
    const tfs = new Float32Array(buf, at, n);
    at += tfs.byteLength;
    const inTitle = new Uint8Array(buf, at, n);
    return Bm25Index.fromArrays(h, offsets, termIds, tfs, inTitle);
  }

  // ---------------------------------------------------------------------------

  private liveArrays(): { ids: string[]; offsets: Int32Array; termIds: Int32Array; tfs: Float32Array; inTitle: Uint8Array } {
    const live = this.docs.filter((d) => d.alive);
    const offsets = new Int32Array(live.length + 1);
    let n = 0;
    for (let i = 0; i < live.length; i++) {
      offsets[i] = n;
      n += live[i].termIds.length;
    }
    offsets[live.length] = n;
    const termIds = new Int32Array(n);
    const tfs = new Float32Array(n);
    const inTitle = new Uint8Array(n);
    live.forEach((d, i) => {
      termIds.set(d.termIds, offsets[i]);
      tfs.set(d.tfs, offsets[i]);
      inTitle.set(d.inTitle, offsets[i]);
    });
    return { ids: live.map((d) => d.id), offsets, termIds, tfs, inTitle };
  }

  /** Bulk load: validates the arrays, then builds exact-size posting lists in two passes. */
  private static fromArrays(
    s: { options?: Partial<Bm25Options>; vocabulary?: unknown; surfaces?: unknown; ids?: unknown },
    offsets: Int32Array,
    termIds: Int32Array,
    tfs: Float32Array,
    inTitle: Uint8Array,
  ): Bm25Index {
    if (!Array.isArray(s.vocabulary) || !Array.isArray(s.ids)) throw new Error("BM25 state is damaged (no vocabulary or ids)");
    const vocabulary = s.vocabulary as unknown[];
    const ids = (s.ids as unknown[]).map(String);
    const index = new Bm25Index(s.options ?? DEFAULTS);
    const surfaces = Array.isArray(s.surfaces) && s.surfaces.length === vocabulary.length ? (s.surfaces as unknown[]) : vocabulary;
    vocabulary.forEach((term, i) => index.termId(String(term), true, String(surfaces[i])));
    const V = index.terms.length;
    if (V !== vocabulary.length) throw new Error("BM25 state is damaged (duplicate vocabulary terms)");
    const docs = ids.length;
    const n = termIds.length;
    if (offsets.length !== docs + 1 || tfs.length !== n || inTitle.length !== n || offsets[0] !== 0 || offsets[docs] !== n) {
      throw new Error("BM25 state is damaged (array lengths disagree)");
    }
    const df = new Int32Array(V);
    for (let i = 0; i < docs; i++) {
      const a = offsets[i];
      const b = offsets[i + 1];
      if (!(a <= b)) throw new Error("BM25 state is damaged (offsets not increasing)");
      for (let j = a; j < b; j++) {
        const t = termIds[j];
        if (t < 0 || t >= V || (j > a && t <= termIds[j - 1]) || !(tfs[j] > 0)) {
          throw new Error("BM25 state is damaged (term ids out of range or unsorted, or a bad frequency)");
        }
        df[t]++;
      }
    }
    // All posting lists share two buffers (exact size); a list that grows later is copied out.
    const allDocs = new Int32Array(n);
    const allTfs = new Float32Array(n);
    index.postings = new Array<Posting>(V);
    for (let t = 0, at = 0; t < V; at += df[t], t++) {
      index.postings[t] = { docs: allDocs.subarray(at, at + df[t]), tfs: allTfs.subarray(at, at + df[t]), length: 0 };
    }
    index.df = Array.from(df);
    index.docs = new Array<DocEntry>(docs);
    index.slotAlive = new Uint8Array(Math.max(16, docs));
    index.slotLength = new Float32Array(Math.max(16, docs));
    for (let i = 0; i < docs; i++) {
      const a = offsets[i];
      const b = offsets[i + 1];
      let length = 0;
      for (let j = a; j < b; j++) {
        const p = index.postings[termIds[j]];
        p.docs[p.length] = i;
        p.tfs[p.length] = tfs[j];
        p.length++;
        length += tfs[j];
      }
      const id = ids[i];
      if (index.slotOf.has(id)) throw new Error(`BM25 state is damaged (id "${id}" twice)`);
      index.docs[i] = {
        id,
        termIds: termIds.subarray(a, b),
        tfs: tfs.subarray(a, b),
        inTitle: inTitle.subarray(a, b),
        length,
        alive: true,
      };
      index.slotOf.set(id, i);
      index.slotAlive[i] = 1;
      index.slotLength[i] = length;
      index.totalLength += length;
    }
    return index;
  }

  // ---------------------------------------------------------------------------

  private termId(term: string, create: boolean, surface = term): number | undefined {
    let t = this.vocab.get(term);
    if (t === undefined && create) {
      t = this.terms.length;
      this.vocab.set(term, t);
      this.terms.push(term);
      this.surfaces.push(surface);
      if (t >= this.scratchTf.length) {
        const tf = new Float64Array(this.scratchTf.length * 2);
        tf.set(this.scratchTf);
        this.scratchTf = tf;
        const title = new Uint8Array(this.scratchTitle.length * 2);
        title.set(this.scratchTitle);
        this.scratchTitle = title;
      }
      this.postings.push({ docs: new Int32Array(4), tfs: new Float32Array(4), length: 0 });
      this.df.push(0);
    }
    return t;
  }

  private insert(doc: DocEntry): void {
    const slot = this.docs.length;
    this.docs.push(doc);
    if (slot >= this.slotAlive.length) {
      const alive = new Uint8Array(this.slotAlive.length * 2);
      alive.set(this.slotAlive);
      this.slotAlive = alive;
      const lengths = new Float32Array(this.slotLength.length * 2);
      lengths.set(this.slotLength);
      this.slotLength = lengths;
    }
    this.slotAlive[slot] = 1;
    this.slotLength[slot] = doc.length;
    this.slotOf.set(doc.id, slot);
    this.totalLength += doc.length;
    for (let i = 0; i < doc.termIds.length; i++) {
      const t = doc.termIds[i];
      this.df[t]++;
      pushPosting(this.postings[t], slot, doc.tfs[i]);
    }
  }

  private compact(): void {
    const live = this.docs.filter((d) => d.alive);
    this.docs = [];
    this.slotAlive = new Uint8Array(Math.max(16, live.length));
    this.slotLength = new Float32Array(Math.max(16, live.length));
    this.slotOf.clear();
    this.totalLength = 0;
    this.deadSlots = 0;
    this.postings = this.terms.map(() => ({ docs: new Int32Array(4), tfs: new Float32Array(4), length: 0 }));
    this.df = this.terms.map(() => 0);
    for (const d of live) this.insert(d);
  }

  private resolveQuery(q: Bm25Query): Array<{ t: number; weight: number; surface: string }> {
    const out: Array<{ t: number; weight: number; surface: string }> = [];
    for (const { term, weight, surface } of q.terms) {
      const t = this.vocab.get(term);
      if (t === undefined || this.df[t] === 0 || !(weight > 0)) continue;
      out.push({ t, weight, surface });
    }
    return out;
  }

  private idfOf(t: number): number {
    const n = this.size;
    const df = this.df[t];
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }

  private termScore(tf: number, length: number): number {
    const { k1, b } = this.options;
    const avg = this.averageLength || 1;
    return (tf * (k1 + 1)) / (tf + k1 * (1 - b + (b * length) / avg));
  }

  private explain(slot: number, qt: Array<{ t: number; weight: number; surface: string }>): Bm25Hit {
    const doc = this.docs[slot];
    let score = 0;
    const matchedTerms: string[] = [];
    const termScores: number[] = [];
    for (const { t, weight, surface } of qt) {
      const i = binarySearch(doc.termIds, t);
      if (i < 0) continue;
      const part = weight * this.idfOf(t) * this.termScore(doc.tfs[i], doc.length);
      score += part;
      matchedTerms.push(surface);
      termScores.push(part);
    }
    return { id: doc.id, score, matchedTerms, termScores };
  }
}

function pushPosting(p: Posting, slot: number, tf: number): void {
  if (p.length === p.docs.length) {
    const docs = new Int32Array(Math.max(4, p.docs.length * 2));
    docs.set(p.docs);
    const tfs = new Float32Array(Math.max(4, p.tfs.length * 2));
    tfs.set(p.tfs);
    p.docs = docs;
    p.tfs = tfs;
  }
  p.docs[p.length] = slot;
  p.tfs[p.length] = tf;
  p.length++;
}

function siftDown(heap: Int32Array, start: number, size: number, before: (x: number, y: number) => boolean): void {
  let i = start;
  for (;;) {
    const l = 2 * i + 1;
    if (l >= size) return;
    const r = l + 1;
    const c = r < size && before(heap[r], heap[l]) ? r : l;
    if (!before(heap[c], heap[i])) return;
    const tmp = heap[i];
    heap[i] = heap[c];
    heap[c] = tmp;
    i = c;
  }
}

function binarySearch(a: Int32Array, x: number): number {
  let lo = 0;
  let hi = a.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = a[mid];
    if (v === x) return mid;
    if (v < x) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/**
 * A hit's matched terms ordered by their part of its score, those below a fifth of the
 * strongest dropped (and those scoring nothing, with `positiveOnly`), at most 8.
 */
export function strongestTerms(hit: Bm25Hit, positiveOnly = false): string[] {
  const order = hit.termScores.map((s, i) => ({ s, w: hit.matchedTerms[i] })).sort((a, b) => b.s - a.s);
  const top = order.length > 0 ? order[0].s : 0;
  return order
    .filter((x) => (!positiveOnly || x.s > 0) && x.s >= 0.2 * top)
    .slice(0, 8)
    .map((x) => x.w);
}
