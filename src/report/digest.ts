import type { Paper } from "../paper.js";
import type { ProgressCallback } from "../progress.js";
import type { ThemeResult } from "../themes/types.js";
import { InvalidArgumentError } from "../errors.js";
import { paperDay } from "../paper.js";
import { isIsoDay } from "../ingest/dates.js";
import { buildTimeline } from "../themes/timeline.js";
import { recommendForDigest, type DigestRecommender } from "../recommend/digest.js";
import { projectMap, type ProjectionMethod } from "./projection.js";
import type { Digest, DigestBackgroundPoint, DigestPaper, DigestRecommendation, DigestTheme } from "./types.js";

/**
 * What {@link buildDigest} needs from a library. `PaperLibrary` has all of it; any object
 * with the same methods works too.
 */
export interface DigestSource {
  readonly embedderId: string;
  papers(): Paper[];
  vector(id: string): Float32Array | undefined;
  themes(options?: { k?: number | "auto"; seed?: number; minSize?: number; onProgress?: ProgressCallback }): Promise<ThemeResult>;
  related(paperId: string, options?: { k?: number }): Promise<ReadonlyArray<{ paper: Paper; score: number }>>;
  /** Liked papers and recommendations (a `PaperLibrary` has them): day digests then gain "recommended for you today". */
  readonly collections?: DigestRecommender["collections"];
  recommend?: DigestRecommender["recommend"];
}

export interface DigestOptions {
  /**
   * A listing day (YYYY-MM-DD): the digest of that day's papers (their `listingDay`, else
   * `published`) grouped into the library's themes — themes that appeared that day first, then
   * by the day's papers; each with its history per day and trend; the map shows the whole
   * library faintly and the day's papers in colour. Without it, every paper of the library.
   */
  day?: string;
  /** Heading of the report (default "Paper digest", or "Papers of <day>"). */
  title?: string;
  /** Where the papers came from, shown under the title (e.g. the listing's file name). */
  source?: string;
  /** Passed to `themes()`: number of themes (default "auto"), seed, minimum size. */
  themes?: { k?: number | "auto"; seed?: number; minSize?: number };
  /** Themes already computed with `library.themes()`: used as they are instead of computing them again. */
  themeResult?: ThemeResult;
  /** Related papers listed under each paper (default 3; 0 for none). */
  relatedPerPaper?: number;
  /**
   * Day digests: how many of the day's papers to recommend from the library's liked papers
   * (collection "liked"; "disliked" pushes similar papers down), default 5; 0 for none. The
   * section is left out while nothing is liked.
   */
  recommendations?: number;
  /** How to place papers on the 2-D map (default "umap"; for a day digest of a library over 2,000 papers, "pca"), or false for no map. */
  map?: ProjectionMethod | false;
  /** Seed of the map projection (default 42). */
  seed?: number;
  /** Time stamp of the digest (default now). */
  now?: Date;
  onProgress?: ProgressCallback;
}

/**
 * Gathers what a report shows: the library's themes (each paper with its theme, confidence
 * and top related papers) and, unless `map: false`, each paper's position on a 2-D map
 * projected from its embedding vector. Render the result with `renderHtml`,
 * `renderMarkdown` or `renderJson`.
 *
 * @example
 * ```ts
 * const digest = await buildDigest(library, { title: "Today", relatedPerPaper: 3 });
 * await writeFile("digest.html", renderHtml(digest));
 * ```
 */
export async function buildDigest(library: DigestSource, options: DigestOptions = {}): Promise<Digest> {
  const relatedPerPaper = options.relatedPerPaper ?? 3;
  if (!Number.isInteger(relatedPerPaper) || relatedPerPaper < 0) {
    throw new InvalidArgumentError(`relatedPerPaper must be a whole number ≥ 0, got ${relatedPerPaper}.`);
  }
  if (options.day !== undefined) return buildDayDigest(library, options.day, relatedPerPaper, options);
  const all = library.papers();
  const result = await themesOf(library, all, options);

  const themes: DigestTheme[] = [...result.themes]
    .sort((a, b) => b.size - a.size)
    .map((t) => ({
      id: t.id,
      label: t.label,
      ...(t.subtopics && t.subtopics.length > 0 ? { subtopics: [...t.subtopics] } : {}),
      keywords: [...t.keywords],
      size: t.papers.length,
      paperIds: t.papers.map((p) => p.id),
      representativeIds: t.representative.map((p) => p.id),
    }));
  const themeOf = new Map<string, string>();
  for (const t of themes) for (const id of t.paperIds) themeOf.set(id, t.id);

  const byId = new Map(all.map((p) => [p.id, p]));
  const ordered: Paper[] = [];
  for (const t of themes) for (const id of t.paperIds) if (byId.has(id)) ordered.push(byId.get(id)!);
  const unthemed = all.filter((p) => !themeOf.has(p.id));
  if (unthemed.length > 0) {
    throw new InvalidArgumentError(
      `${unthemed.length} paper(s) have no theme (first: "${unthemed[0].id}"); every paper must be assigned one.`,
    );
  }

  const papers = await digestPapers(library, ordered, result, themeOf, relatedPerPaper, options);

  const { projection } = placeOnMap(library, papers, [], options.map ?? "umap", themeOf, options);

  return {
    title: options.title ?? "Paper digest",
    ...(options.source !== undefined ? { source: options.source } : {}),
    generatedAt: (options.now ?? new Date()).toISOString(),
    embedderId: library.embedderId,
    ...(projection !== undefined ? { projection } : {}),
    themes,
    papers,
  };
}

/**
 * Places the digest's papers on the map (x, y set in place), with `others` projected alongside
 * as the faint background; nothing when the map is off or a vector is missing.
 */
function placeOnMap(
  library: DigestSource,
  papers: DigestPaper[],
  others: readonly Paper[],
  method: ProjectionMethod | false,
  themeOf: ReadonlyMap<string, string>,
  options: DigestOptions,
): { projection?: string; background?: DigestBackgroundPoint[] } {
  if (method === false || papers.length === 0) return {};
  const everyone = [...papers.map((p) => p.paper), ...others];
  const vectors = everyone.map((p) => library.vector(p.id));
  if (!vectors.every((v): v is Float32Array => v !== undefined)) return {};
  options.onProgress?.({ stage: "map", done: 0, total: everyone.length, unit: "papers" });
  const points = projectMap(vectors, { method, seed: options.seed ?? 42 });
  papers.forEach((p, i) => {
    p.x = points[i].x;
    p.y = points[i].y;
  });
  const background = others.map((p, j) => ({
    id: p.id,
    themeId: themeOf.get(p.id),
    x: points[papers.length + j].x,
    y: points[papers.length + j].y,
  }));
  options.onProgress?.({ stage: "map", done: everyone.length, total: everyone.length, unit: "papers" });
  return { projection: method, background };
}

/** History shown per theme in a day digest: at most this many listing days. */
const HISTORY_DAYS = 30;

async function buildDayDigest(library: DigestSource, day: string, relatedPerPaper: number, options: DigestOptions): Promise<Digest> {
  if (!isIsoDay(day)) {
    throw new InvalidArgumentError(`day must be a calendar day written YYYY-MM-DD, e.g. 2025-11-21; got ${JSON.stringify(day)}.`);
  }
  const all = library.papers();
  const result = await themesOf(library, all, options);
  // Only the days up to the digest's day count for the history and the trend.
  const upTo = all.filter((p) => {
    const d = paperDay(p);
    return d === undefined || d <= day;
  });
  const upToIds = new Set(upTo.map((p) => p.id));
  const visible: ThemeResult = {
    themes: result.themes.map((t) => ({ ...t, papers: t.papers.filter((p) => upToIds.has(p.id)) })),
    assignments: result.assignments,
  };
  const timeline = buildTimeline(upTo, visible, { by: "day" });
  const from = Math.max(0, timeline.periods.length - HISTORY_DAYS);
  const isToday = (p: Paper) => paperDay(p) === day;

  const themes: (DigestTheme & { order: number })[] = [];
  result.themes.forEach((t, i) => {
    const today = t.papers.filter(isToday);
    if (today.length === 0) return;
    const line = timeline.themes[i];
    const created = (t as { created?: string }).created;
    const lineage = (t as { from?: string[] }).from;
    themes.push({
      id: t.id,
      label: t.label,
      ...(t.subtopics && t.subtopics.length > 0 ? { subtopics: [...t.subtopics] } : {}),
      keywords: [...t.keywords],
      size: today.length,
      paperIds: today.map((p) => p.id),
      representativeIds: t.representative.filter(isToday).map((p) => p.id),
      isNew: created === day,
      trend: line.trend,
      history: timeline.periods.slice(from).map((d, j) => ({ day: d, count: line.counts[from + j] })),
      librarySize: line.total,
      ...(lineage ? { from: [...lineage] } : {}),
      order: i,
    });
  });
  themes.sort((a, b) => Number(b.isNew) - Number(a.isNew) || b.size - a.size || a.order - b.order);

  const themeOf = new Map<string, string>();
  for (const t of result.themes) for (const p of t.papers) themeOf.set(p.id, t.id);
  const byId = new Map(all.map((p) => [p.id, p]));
  const ordered = themes.flatMap((t) => t.paperIds.map((id) => byId.get(id)!));
  const papers = await digestPapers(library, ordered, result, themeOf, relatedPerPaper, options);

  const todayIds = new Set(papers.map((p) => p.paper.id));
  const others = upTo.filter((p) => !todayIds.has(p.id));
  const method = options.map ?? (upTo.length > 2000 ? "pca" : "umap");
  const { projection, background } = placeOnMap(library, papers, others, method, themeOf, options);

  const recommended = await recommendationsOf(library, day, options.recommendations ?? 5, themeOf);

  return {
    title: options.title ?? `Papers of ${day}`,
    ...(options.source !== undefined ? { source: options.source } : {}),
    generatedAt: (options.now ?? new Date()).toISOString(),
    embedderId: library.embedderId,
    ...(projection !== undefined ? { projection } : {}),
    themes: themes.map(({ order: _order, ...t }) => t),
    papers,
    day,
    libraryPapers: all.length,
    ...(background ? { background } : {}),
    ...(recommended.length > 0 ? { recommended } : {}),
  };
}

/** Each paper of a digest with its theme, confidence and top related papers (progress every 50). */
async function digestPapers(
  library: DigestSource,
  ordered: readonly Paper[],
  result: ThemeResult,
  themeOf: Map<string, string>,
  relatedPerPaper: number,
  options: DigestOptions,
): Promise<DigestPaper[]> {
  const papers: DigestPaper[] = [];
  for (const paper of ordered) {
    const hits = relatedPerPaper > 0 ? await library.related(paper.id, { k: relatedPerPaper }) : [];
    papers.push({
      paper,
      themeId: themeOf.get(paper.id)!,
      confidence: result.assignments.get(paper.id)?.confidence ?? 1,
      related: hits.map((h) => ({ id: h.paper.id, title: h.paper.title, score: h.score, themeId: themeOf.get(h.paper.id) })),
    });
    const done = papers.length;
    if (done % 50 === 0 || done === ordered.length) options.onProgress?.({ stage: "related", done, total: ordered.length, unit: "papers" });
  }
  return papers;
}

/** The themes a digest shows: those given in `options.themeResult`, else the library's (none for no papers). */
async function themesOf(library: DigestSource, all: readonly Paper[], options: DigestOptions): Promise<ThemeResult> {
  if (all.length === 0) return { themes: [], assignments: new Map() };
  return options.themeResult ?? library.themes({ ...options.themes, ...(options.onProgress ? { onProgress: options.onProgress } : {}) });
}

/** "Recommended for you today": the day's papers the library's liked papers point to ([] when nothing is liked). */
async function recommendationsOf(
  library: DigestSource,
  day: string,
  k: number,
  themeOf: Map<string, string>,
): Promise<DigestRecommendation[]> {
  if (!Number.isInteger(k) || k < 0) throw new InvalidArgumentError(`recommendations must be a whole number ≥ 0, got ${k}.`);
  if (k === 0 || !library.collections || !library.recommend) return [];
  const hits = await recommendForDigest({ collections: library.collections, recommend: (o) => library.recommend!(o) }, day, { k });
  return hits.map((h) => ({
    id: h.paper.id,
    title: h.paper.title,
    score: h.score,
    themeId: themeOf.get(h.paper.id),
    closestLiked: h.why.closestLiked.map((c) => ({ id: c.id, title: c.title })),
    sharedWords: [...h.why.sharedWords],
  }));
}
