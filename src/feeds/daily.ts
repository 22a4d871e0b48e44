/**
 * The daily routine: a fetched day merged into a saved library (new papers added, changed
 * ones updated, nothing duplicated, nothing saved when nothing changed) and the day's digest.
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { writeFileAtomically } from "../atomic-file.js";
import { PapermapError } from "../errors.js";
import { LIBRARY_MANIFEST, PaperLibrary, type LibraryOptions } from "../library.js";
import type { Paper } from "../paper.js";
import type { NoticeCallback, ProgressCallback } from "../progress.js";
import { buildDigest } from "../report/digest.js";
import { renderHtml } from "../report/html.js";
import type { ThemeChange } from "../themes/living.js";
import { siblingPaths } from "../vector-index/atomic-dir.js";

/** What {@link mergeIntoLibrary} did. */
export interface MergeResult {
  library: PaperLibrary | undefined;
  /** Whether the library folder was created by this call. */
  created: boolean;
  added: number;
  updated: number;
  unchanged: number;
  /** Whether the library was saved (false when nothing changed). */
  saved: boolean;
  /** What the day did to the library's themes (new, grew, split, merged, faded); empty when nothing changed. */
  themeChanges: ThemeChange[];
}

/** A JSON text of a paper with its keys sorted, for comparing papers. */
function canonical(paper: Paper): string {
  const record = paper as unknown as Record<string, unknown>;
  return JSON.stringify(
    Object.keys(record)
      .sort()
      .map((k) => [k, record[k]]),
  );
}

/**
 * A known paper seen again: the fresh fields win, fields only the old record has are kept
 * (upvotes from Hugging Face stay when arXiv lists the paper), the first listing day stays
 * the paper's `listingDay`, and counts (upvotes, comments) only grow, so that fetching an
 * older day again does not set them back.
 */
export function mergePaper(old: Paper, fresh: Paper): Paper {
  const merged: Paper = { ...old, ...fresh };
  if (old.listingDay !== undefined) merged.listingDay = old.listingDay;
  if (old.upvotes !== undefined && fresh.upvotes !== undefined) merged.upvotes = Math.max(old.upvotes, fresh.upvotes);
  if (old.commentCount !== undefined && fresh.commentCount !== undefined)
    merged.commentCount = Math.max(old.commentCount, fresh.commentCount);
  return merged;
}

/**
 * Adds a day's papers to the library saved in `dir`, creating it when the folder has no
 * library (and there is at least one paper): new ids are added, known ids are updated only
 * when a field changed, the library's themes are brought up to date (`updateThemes()`; computed
 * first when the library is new), and the library is saved (atomically) only when something
 * changed.
 */
export async function mergeIntoLibrary(
  dir: string,
  papers: readonly Paper[],
  options: Pick<LibraryOptions, "embedder" | "onProgress" | "onNotice" | "cacheDir" | "modelCacheDir" | "offline"> = {},
): Promise<MergeResult> {
  const result: MergeResult = { library: undefined, created: false, added: 0, updated: 0, unchanged: 0, saved: false, themeChanges: [] };
  // A save interrupted between its two renames leaves the library only in a backup folder:
  // that is a library too (PaperLibrary.open recovers it, under the folder's lock).
  const present = existsSync(path.join(dir, LIBRARY_MANIFEST)) || (!existsSync(dir) && existsSync(siblingPaths(dir).backup));
  if (!present) {
    if (existsSync(dir) && (!statSync(dir).isDirectory() || readdirSync(dir).length > 0)) {
      throw new PapermapError(
        `"${dir}" is not a papermap library and not an empty folder; give the folder of a saved library, or a new or empty one to create it in.`,
      );
    }
    if (papers.length === 0) return result;
    result.library = await PaperLibrary.create(papers, options);
    result.created = true;
    result.added = papers.length;
    // The themes are part of the library: computed once here, then kept up to date day by day.
    await result.library.themes();
    await result.library.save(dir);
    result.saved = true;
    return result;
  }
  const { embedder: _, ...openOptions } = options;
  const library = await PaperLibrary.open(dir, openOptions);
  result.library = library;
  const changes: Paper[] = [];
  for (const paper of papers) {
    const old = library.get(paper.id);
    if (!old) {
      changes.push(paper);
      result.added++;
      continue;
    }
    const merged = mergePaper(old, paper);
    if (canonical(merged) === canonical(old)) {
      result.unchanged++;
    } else {
      changes.push(merged);
      result.updated++;
    }
  }
  if (changes.length > 0) {
    await library.add(changes);
    // New papers join the themes they fit; new subjects become new themes (ids kept for life).
    result.themeChanges = (await library.updateThemes()).changes;
    await library.save(dir);
    result.saved = true;
  }
  return result;
}

/**
 * Writes the HTML digest of one listing day (`buildDigest(library, { day })`): the papers whose
 * `listingDay` (else `published`) is `day`, grouped into the library's themes — new themes
 * first, each with its history — with related papers from the whole library and a map of the
 * library with the day's papers in colour. Written atomically; returns the number of papers
 * and themes.
 */
export async function writeDayDigest(
  library: PaperLibrary,
  day: string,
  file: string,
  options: { source?: string; onProgress?: ProgressCallback; onNotice?: NoticeCallback } = {},
): Promise<{ papers: number; themes: number }> {
  const digest = await buildDigest(library, {
    day,
    title: `Papers of ${day}`,
    ...(options.source !== undefined ? { source: options.source } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  await writeFileAtomically(path.resolve(file), renderHtml(digest));
  return { papers: digest.papers.length, themes: digest.themes.length };
}
