import { writeFile } from "node:fs/promises";
import path from "node:path";
import { restoreEmbedder, type EmbedderDescriptor } from "../embed/resolve.js";
import type { Embedder } from "../embed/types.js";
import { IncompatibleIndexError, InvalidArgumentError, PapermapError } from "../errors.js";
import type { Paper } from "../paper.js";
import type { NoticeCallback, ProgressCallback } from "../progress.js";
import { Bm25Index } from "../text/bm25.js";
import { replaceDirAtomically, resolveSavedDir, type AtomicDirStep } from "../vector-index/atomic-dir.js";
import { HnswIndex } from "../vector-index/hnsw.js";
import { plainCause, withLibraryLock, type LockTiming } from "./lock.js";
import {
  describeFiles,
  isSavedLibrary,
  LIBRARY_FILES,
  LIBRARY_FORMAT,
  LIBRARY_FORMAT_VERSION,
  LIBRARY_MANIFEST,
  newGeneration,
  readManifest,
  REBUILD_HINT,
  verifyFiles,
  type LibraryManifest,
  type LoadedFiles,
} from "./manifest.js";
import { emptyState, parseStateEnvelope, type LibraryState } from "./state.js";

/** What a save writes: one consistent snapshot of a library. */
export interface LibraryContents {
  papers: readonly Paper[];
  descriptor: EmbedderDescriptor;
  embedder: { kind: string; id: string; dimension: number };
  fittedOn: number;
  keywords: Bm25Index;
  /** The vector index (saved into the `index` sub-folder). */
  index: { save(dir: string): Promise<void> };
  state: LibraryState;
}

/** What {@link readLibrary} found in a saved library folder (everything but the live embedder). */
export interface SavedLibrary {
  /** The folder read (the library folder, or its backup when it could not be moved back). */
  folder: string;
  manifest: LibraryManifest;
  descriptor: EmbedderDescriptor;
  papers: Paper[];
  index: HnswIndex;
  keywords: Bm25Index;
  state: LibraryState;
}

export interface WriteLibraryOptions {
  /** Called after each step of the atomic folder swap (tests simulate crashes with it). */
  onStep?: (step: AtomicDirStep) => void | Promise<void>;
  lock?: LockTiming;
}

export interface ReadLibraryOptions {
  /** The embedder the caller wants to use: refused early when its id or dimension differ. */
  embedder?: Pick<Embedder, "id" | "dimension">;
  onNotice?: NoticeCallback;
  lock?: LockTiming;
}

/**
 * Saves a library to the folder `dir`, holding the folder's inter-process lock: the snapshot
 * is written to a temporary sibling folder, read back and verified (checksums, consistency of
 * papers, vector index and keyword index), and only then swapped in for the previous save.
 * File system errors become a {@link PapermapError} that names `dir` and the cause.
 */
export async function writeLibrary(dir: string, contents: LibraryContents, options: WriteLibraryOptions = {}): Promise<void> {
  const target = path.resolve(dir);
  try {
    await withLibraryLock(
      target,
      "write",
      async (lock) => {
        await replaceDirAtomically(target, (temp) => fillFolder(temp, contents), {
          what: "a paper library",
          canReplace: isSavedLibrary,
          onStep: options.onStep,
          beforeCommit: async () => lock.assertHeld(),
        });
      },
      options.lock,
    );
  } catch (error) {
    if (error instanceof PapermapError || typeof (error as NodeJS.ErrnoException)?.code !== "string") throw error;
    throw new PapermapError(
      `Could not save the library to "${target}": ${plainCause(error)}. The previous save, if any, is kept ` +
        `(papermap restores it when the library is next opened).`,
      { cause: error },
    );
  }
}

async function fillFolder(temp: string, c: LibraryContents): Promise<void> {
  const keywords = c.keywords.toBinary();
  await writeFile(path.join(temp, LIBRARY_FILES.papers), JSON.stringify(c.papers));
  await writeFile(path.join(temp, LIBRARY_FILES.embedder), JSON.stringify(c.descriptor));
  await writeFile(path.join(temp, LIBRARY_FILES.keywords), JSON.stringify(keywords.header));
  await writeFile(path.join(temp, LIBRARY_FILES.keywordData), keywords.body);
  await writeFile(path.join(temp, LIBRARY_FILES.state), JSON.stringify(c.state));
  await c.index.save(path.join(temp, LIBRARY_FILES.index));
  const manifest: LibraryManifest = {
    format: LIBRARY_FORMAT,
    formatVersion: LIBRARY_FORMAT_VERSION,
    generation: newGeneration(),
    embedder: c.embedder,
    paperCount: c.papers.length,
    fittedOn: c.fittedOn,
    files: await describeFiles(temp),
  };
  // The manifest last: a folder without it is never taken for a library.
  await writeFile(path.join(temp, LIBRARY_MANIFEST), JSON.stringify(manifest, null, 2));

  // Read the new folder back as open() would, before it may replace the previous save.
  const check = await loadFolder(temp, {});
  const want = new Set(c.papers.map((p) => p.id));
  if (
    check.papers.length !== want.size ||
    !check.papers.every((p) => want.has(p.id)) ||
    check.manifest.generation !== manifest.generation
  ) {
    throw new PapermapError(`The library written for saving does not read back as the library in memory; nothing was replaced.`);
  }
}

/**
 * Reads the library saved in `dir` (steps: readManifest, verifyFiles, loadIndex, loadKeywords,
 * loadPapers, loadState, checkConsistency).
 *
 * Readers do not block each other nor writers: the folder is first read without the lock,
 * and the read counts only if every file matches the manifest's checksums and the manifest
 * still names the same save (its random `generation`) at the end, so a save swapping the
 * folder meanwhile is noticed. If that read fails for any reason (a save under way, a save
 * that crashed between its two renames, or real damage), it is done again holding the
 * folder's lock: that waits for a running save, moves back a backup left by a crashed one,
 * and whatever it then reports is the folder's true state.
 */
export async function readLibrary(dir: string, options: ReadLibraryOptions = {}): Promise<SavedLibrary> {
  const target = path.resolve(dir);
  let saved: SavedLibrary | undefined;
  try {
    saved = await readWithoutLock(target, options);
  } catch {
    // Whatever went wrong (a file renamed away mid-read, a checksum, real damage), the read
    // under the lock below decides.
  }
  saved ??= await withLibraryLock(
    target,
    "read",
    async () => {
      try {
        return await loadFolder(await resolveSavedDir(target), options);
      } catch (error) {
        if (error instanceof PapermapError || typeof (error as NodeJS.ErrnoException)?.code !== "string") throw error;
        throw new IncompatibleIndexError(`The library in "${target}" cannot be read: ${plainCause(error)}. ${REBUILD_HINT}`, {
          cause: error,
        });
      }
    },
    options.lock,
  );
  if (saved.manifest.formatVersion === 1) {
    options.onNotice?.(
      `the library in "${saved.folder}" was saved by an older papermap (format version 1, no checksums); ` +
        `save it again to upgrade it to version ${LIBRARY_FORMAT_VERSION}.`,
    );
  }
  return saved;
}

/** A read without the lock; undefined when it cannot be trusted (a version-1 library: no generation). */
async function readWithoutLock(target: string, options: ReadLibraryOptions): Promise<SavedLibrary | undefined> {
  const manifest = await readManifest(target);
  if (!manifest.generation) return undefined;
  const saved = await loadFolder(target, options, manifest);
  const now = await readManifest(target);
  if (now.generation !== saved.manifest.generation) {
    throw new IncompatibleIndexError(`The library in "${target}" was replaced by a save while it was being read.`);
  }
  return saved;
}

/** Reads and checks a whole library folder (its manifest too, unless the caller has just read it). */
async function loadFolder(
  folder: string,
  options: Pick<ReadLibraryOptions, "embedder">,
  manifest?: LibraryManifest,
): Promise<SavedLibrary> {
  manifest ??= await readManifest(folder);
  checkEmbedderOption(folder, manifest, options.embedder);
  const files = await verifyFiles(folder, manifest);
  const descriptor = loadDescriptor(folder, manifest, files);
  const index = await loadIndex(folder, manifest);
  const keywords = loadKeywords(folder, files);
  const papers = loadPapers(folder, files);
  const state = loadState(folder, manifest, files);
  checkConsistency(folder, manifest, papers, index, keywords);
  return { folder, manifest, descriptor, papers, index, keywords, state };
}

function checkEmbedderOption(folder: string, manifest: LibraryManifest, embedder: ReadLibraryOptions["embedder"]): void {
  if (embedder && (embedder.id !== manifest.embedder.id || embedder.dimension !== manifest.embedder.dimension)) {
    throw new IncompatibleIndexError(
      `The library in "${folder}" was built with embedder "${manifest.embedder.id}" (${manifest.embedder.dimension} dimensions), ` +
        `but the embedder passed to open() is "${embedder.id}" (${embedder.dimension} dimensions); ` +
        `its vectors cannot be compared. Open it without options.embedder, or rebuild it with the new embedder: ` +
        `PaperLibrary.create(library.papers(), { embedder }).`,
    );
  }
}

function parseJson(folder: string, files: LoadedFiles, name: string, what: string): unknown {
  const bytes = files.get(name);
  if (!bytes) throw new IncompatibleIndexError(`The library in "${folder}" has no readable ${what} file (${name}). ${REBUILD_HINT}`);
  try {
    return JSON.parse(bytes.toString("utf8"));
  } catch (error) {
    throw new IncompatibleIndexError(`The ${what} file of the library in "${folder}" (${name}) is damaged. ${REBUILD_HINT}`, {
      cause: error,
    });
  }
}

function loadDescriptor(folder: string, manifest: LibraryManifest, files: LoadedFiles): EmbedderDescriptor {
  const descriptor = parseJson(folder, files, LIBRARY_FILES.embedder, "embedder description") as EmbedderDescriptor;
  if (!descriptor || typeof descriptor !== "object" || descriptor.kind !== manifest.embedder.kind) {
    throw new IncompatibleIndexError(`The library in "${folder}" has a damaged ${LIBRARY_FILES.embedder}. ${REBUILD_HINT}`);
  }
  return descriptor;
}

async function loadIndex(folder: string, manifest: LibraryManifest): Promise<HnswIndex> {
  return HnswIndex.open(path.join(folder, LIBRARY_FILES.index), {
    embedderId: manifest.embedder.id,
    dimension: manifest.embedder.dimension,
  });
}

function loadKeywords(folder: string, files: LoadedFiles): Bm25Index {
  const header = parseJson(folder, files, LIBRARY_FILES.keywords, "keyword index");
  const body = files.get(LIBRARY_FILES.keywordData);
  if (!body) {
    throw new IncompatibleIndexError(
      `The library in "${folder}" has no readable keyword data (${LIBRARY_FILES.keywordData}). ${REBUILD_HINT}`,
    );
  }
  try {
    return Bm25Index.fromBinary(header, body);
  } catch (error) {
    throw new IncompatibleIndexError(`The keyword index of the library in "${folder}" is damaged: ${errorText(error)}. ${REBUILD_HINT}`, {
      cause: error,
    });
  }
}

function loadPapers(folder: string, files: LoadedFiles): Paper[] {
  const raw = parseJson(folder, files, LIBRARY_FILES.papers, "papers");
  const ok =
    Array.isArray(raw) &&
    raw.every(
      (p) => p && typeof p === "object" && typeof p.id === "string" && typeof p.title === "string" && typeof p.abstract === "string",
    );
  if (!ok) throw new IncompatibleIndexError(`The papers file of the library in "${folder}" is damaged. ${REBUILD_HINT}`);
  return raw as Paper[];
}

function loadState(folder: string, manifest: LibraryManifest, files: LoadedFiles): LibraryState {
  if (manifest.formatVersion === 1) return emptyState();
  const parsed = parseStateEnvelope(parseJson(folder, files, LIBRARY_FILES.state, "library state"));
  if (typeof parsed === "string") {
    throw new IncompatibleIndexError(
      `The state file of the library in "${folder}" (${LIBRARY_FILES.state}) is damaged: ${parsed}. ${REBUILD_HINT}`,
    );
  }
  return parsed;
}

function checkConsistency(folder: string, manifest: LibraryManifest, papers: Paper[], index: HnswIndex, keywords: Bm25Index): void {
  const ids = new Set(papers.map((p) => p.id));
  const consistent =
    ids.size === papers.length &&
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
}

/**
 * The restoreEmbedder step of opening: the embedder the saved vectors came from (the lexical
 * state, the neural model, or `options.embedder` for a custom one), checked against the manifest.
 */
export async function restoreSavedEmbedder(
  saved: SavedLibrary,
  options: { embedder?: Embedder; onProgress?: ProgressCallback; onNotice?: NoticeCallback; modelCacheDir?: string; offline?: boolean },
): Promise<Embedder> {
  const { folder, manifest } = saved;
  let embedder: Embedder;
  try {
    embedder = await restoreEmbedder(saved.descriptor, options);
  } catch (error) {
    if (error instanceof PapermapError) throw error;
    throw new IncompatibleIndexError(
      `The embedder of the library in "${folder}" cannot be restored: ${errorText(error)}. ${REBUILD_HINT}`,
      {
        cause: error,
      },
    );
  }
  if (embedder.id !== manifest.embedder.id || embedder.dimension !== manifest.embedder.dimension) {
    throw new IncompatibleIndexError(
      `The library in "${folder}" was built with embedder "${manifest.embedder.id}" (${manifest.embedder.dimension} dimensions), ` +
        `but it now resolves to "${embedder.id}" (${embedder.dimension} dimensions). ${REBUILD_HINT}`,
    );
  }
  return embedder;
}

/** Refuses a missing or blank folder argument. */
export function checkFolderArgument(dir: unknown, where: "save" | "open"): asserts dir is string {
  if (typeof dir !== "string" || dir.trim() === "") {
    throw new InvalidArgumentError(where === "save" ? "save: pass a folder path." : "open: pass the folder a library was saved to.");
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
