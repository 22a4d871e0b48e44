import type { Paper } from "../paper.js";
import type { ProgressCallback } from "../progress.js";
import type { ThemeResult } from "../themes/types.js";
import { InvalidArgumentError } from "../errors.js";
import { projectMap, type ProjectionMethod } from "./projection.js";
import type { Digest, DigestPaper, DigestTheme } from "./types.js";

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
}

export interface DigestOptions {
  /** Heading of the report (default "Paper digest"). */
  title?: string;
  /** Where the papers came from, shown under the title (e.g. the listing's file name). */
  source?: string;
  /** Passed to `themes()`: number of themes (default "auto"), seed, minimum size. */
  themes?: { k?: number | "auto"; seed?: number; minSize?: number };
  /** Themes already computed with `library.themes()`: used as they are instead of computing them again. */
  themeResult?: ThemeResult;
  /** Related papers listed under each paper (default 3; 0 for none). */
  relatedPerPaper?: number;
  /** How to place papers on the 2-D map (default "umap"), or false for no map. */
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
  const all = library.papers();
  const result: ThemeResult =
    all.length === 0
      ? { themes: [], assignments: new Map() }
      : (options.themeResult ?? (await library.themes({ ...options.themes, ...(options.onProgress ? { onProgress: options.onProgress } : {}) })));

  const themes: DigestTheme[] = [...result.themes]
    .sort((a, b) => b.size - a.size)
    .map((t) => ({
      id: t.id,
      label: t.label,
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

  const papers: DigestPaper[] = [];
  let done = 0;
  for (const paper of ordered) {
    const hits = relatedPerPaper > 0 ? await library.related(paper.id, { k: relatedPerPaper }) : [];
    const assignment = result.assignments.get(paper.id);
    papers.push({
      paper,
      themeId: themeOf.get(paper.id)!,
      confidence: assignment?.confidence ?? 1,
      related: hits.map((h) => ({
        id: h.paper.id,
        title: h.paper.title,
        score: h.score,
        themeId: themeOf.get(h.paper.id),
      })),
    });
    done++;
    if (done % 50 === 0 || done === ordered.length) {
      options.onProgress?.({ stage: "related", done, total: ordered.length, unit: "papers" });
    }
  }

  let projection: string | undefined;
  const method = options.map ?? "umap";
  if (method !== false && papers.length > 0) {
    const vectors = papers.map((p) => library.vector(p.paper.id));
    if (vectors.every((v): v is Float32Array => v !== undefined)) {
      options.onProgress?.({ stage: "map", done: 0, total: papers.length, unit: "papers" });
      const points = projectMap(vectors, { method, seed: options.seed ?? 42 });
      points.forEach((pt, i) => {
        papers[i].x = pt.x;
        papers[i].y = pt.y;
      });
      projection = method;
      options.onProgress?.({ stage: "map", done: papers.length, total: papers.length, unit: "papers" });
    }
  }

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
