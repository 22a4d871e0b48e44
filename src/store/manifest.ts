import { randomBytes } from "node:crypto";
import { fileDigest, sha256 } from "../hash.js";
import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { IncompatibleIndexError } from "../errors.js";

/** Name of the manifest file inside a saved library folder. */
export const LIBRARY_MANIFEST = "library.json";
/** Version of the saved library format written by this code (version 1 is still read). */
export const LIBRARY_FORMAT_VERSION = 2;
export const LIBRARY_FORMAT = "papermap-library";

/** The files of a saved library besides the manifest. */
export const LIBRARY_FILES = {
  papers: "papers.json",
  embedder: "embedder.json",
  keywords: "keywords.json",
  keywordData: "keywords.bin",
  /** A folder: the HNSW index (`index/meta.json`, `index/index.hnsw`). */
  index: "index",
  state: "state.json",
} as const;

/** Length and SHA-256 (hex) of one file. */
export interface FileEntry {
  bytes: number;
  sha256: string;
}

/** The manifest (`library.json`) of a saved library. */
export interface LibraryManifest {
  format: typeof LIBRARY_FORMAT;
  formatVersion: number;
  /** Random id of this save: two saves never share it. */
  generation: string;
  embedder: { kind: string; id: string; dimension: number };
  paperCount: number;
  /** Papers the lexical embedder was fitted on (to advise a rebuild after many adds). */
  fittedOn: number;
  /**
   * Every other file of the folder (relative path with "/" separators) with its length and
   * SHA-256. Empty for a version-1 library, which carried no checksums.
   */
  files: Record<string, FileEntry>;
}

export const REBUILD_HINT =
  "Rebuild it: load the papers again and run PaperLibrary.create(papers) (or, from a library that opens, " +
  "PaperLibrary.create(library.papers())), then save it again.";

/** A fresh random generation id. */
export function newGeneration(): string {
  return randomBytes(12).toString("hex");
}

/** Whether `dir` holds a saved library (its manifest says so); used before replacing a folder. */
export async function isSavedLibrary(dir: string): Promise<boolean> {
  try {
    const raw = JSON.parse(await readFile(path.join(dir, LIBRARY_MANIFEST), "utf8")) as { format?: unknown };
    return raw.format === LIBRARY_FORMAT;
  } catch {
    return false;
  }
}

/** Step 1 of opening: reads and checks the manifest of the library in `folder`. */
export async function readManifest(folder: string): Promise<LibraryManifest> {
  let text: string;
  try {
    text = await readFile(path.join(folder, LIBRARY_MANIFEST), "utf8");
  } catch (error) {
    throw new IncompatibleIndexError(
      `"${folder}" does not hold a saved papermap library (no ${LIBRARY_MANIFEST}). Save one with library.save(dir).`,
      { cause: error },
    );
  }
  let raw: Partial<LibraryManifest> & { files?: unknown };
  try {
    raw = JSON.parse(text) as Partial<LibraryManifest>;
  } catch (error) {
    throw new IncompatibleIndexError(`The manifest of the library in "${folder}" (${LIBRARY_MANIFEST}) is damaged. ${REBUILD_HINT}`, {
      cause: error,
    });
  }
  if (!raw || raw.format !== LIBRARY_FORMAT) {
    throw new IncompatibleIndexError(`"${folder}" does not hold a saved papermap library (${LIBRARY_MANIFEST} is another kind of file).`);
  }
  if (raw.formatVersion !== 1 && raw.formatVersion !== LIBRARY_FORMAT_VERSION) {
    throw new IncompatibleIndexError(
      `The library in "${folder}" was saved in format version ${String(raw.formatVersion)}; this papermap reads versions 1 and ` +
        `${LIBRARY_FORMAT_VERSION}. Open it with the papermap that saved it, or rebuild it. ${REBUILD_HINT}`,
    );
  }
  const damaged = (what: string) =>
    new IncompatibleIndexError(`The manifest of the library in "${folder}" (${LIBRARY_MANIFEST}) is damaged (${what}). ${REBUILD_HINT}`);
  const e = raw.embedder;
  if (!e || typeof e.id !== "string" || typeof e.kind !== "string" || !Number.isInteger(e.dimension) || !Number.isInteger(raw.paperCount)) {
    throw damaged("no valid embedder or paper count");
  }
  const fittedOn = Number.isInteger(raw.fittedOn) ? (raw.fittedOn as number) : (raw.paperCount as number);
  if (raw.formatVersion === 1) {
    // Version 1 listed file names, without checksums.
    return { ...(raw as LibraryManifest), formatVersion: 1, generation: "", fittedOn, files: {} };
  }
  const files = raw.files;
  if (!files || typeof files !== "object" || Array.isArray(files)) throw damaged("no file list");
  for (const [name, entry] of Object.entries(files as Record<string, unknown>)) {
    const ok =
      safeRelativePath(name) &&
      entry !== null &&
      typeof entry === "object" &&
      Number.isInteger((entry as FileEntry).bytes) &&
      typeof (entry as FileEntry).sha256 === "string" &&
      /^[0-9a-f]{64}$/.test((entry as FileEntry).sha256);
    if (!ok) throw damaged(`bad entry for "${name}"`);
  }
  for (const required of [
    LIBRARY_FILES.papers,
    LIBRARY_FILES.embedder,
    LIBRARY_FILES.keywords,
    LIBRARY_FILES.keywordData,
    LIBRARY_FILES.state,
  ]) {
    if (!(required in (files as object))) throw damaged(`${required} is not listed`);
  }
  if (typeof raw.generation !== "string") throw damaged("no generation id");
  return { ...(raw as LibraryManifest), fittedOn };
}

function safeRelativePath(name: string): boolean {
  if (name === "" || name.startsWith("/") || name.includes("\\")) return false;
  return name.split("/").every((part) => part !== "" && part !== "." && part !== "..");
}

/** Length and SHA-256 of every file under `folder` except the manifest, by relative path. */
export async function describeFiles(folder: string): Promise<Record<string, FileEntry>> {
  const out: Record<string, FileEntry> = {};
  const walk = async (dir: string, prefix: string) => {
    const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const entry of entries) {
      const rel = prefix + entry.name;
      if (entry.isDirectory()) await walk(path.join(dir, entry.name), `${rel}/`);
      else if (rel !== LIBRARY_MANIFEST) out[rel] = await fileDigest(path.join(dir, entry.name));
    }
  };
  await walk(folder, "");
  return out;
}

/** Files that step 2 reads into memory (all but the vector index, which the index reads itself). */
export type LoadedFiles = Map<string, Buffer>;

/**
 * Step 2 of opening: checks that every file the manifest lists is there with its length and
 * SHA-256, and returns the contents of the small files (the JSON files and keyword data).
 * The vector index files are hashed as a stream. A version-1 library has no checksums: its
 * files are only read.
 */
export async function verifyFiles(folder: string, manifest: LibraryManifest): Promise<LoadedFiles> {
  const loaded: LoadedFiles = new Map();
  if (manifest.formatVersion === 1) {
    for (const name of [LIBRARY_FILES.papers, LIBRARY_FILES.embedder, LIBRARY_FILES.keywords, LIBRARY_FILES.keywordData]) {
      try {
        loaded.set(name, await readFile(path.join(folder, name)));
      } catch (error) {
        throw missing(folder, name, error);
      }
    }
    return loaded;
  }
  for (const [name, entry] of Object.entries(manifest.files)) {
    const file = path.join(folder, ...name.split("/"));
    const inMemory = !name.startsWith(`${LIBRARY_FILES.index}/`);
    let actual: FileEntry;
    try {
      if (inMemory) {
        const bytes = await readFile(file);
        loaded.set(name, bytes);
        actual = { bytes: bytes.length, sha256: sha256(bytes) };
      } else {
        const info = await stat(file);
        actual = info.size !== entry.bytes ? { bytes: info.size, sha256: "" } : await fileDigest(file);
      }
    } catch (error) {
      throw missing(folder, name, error);
    }
    if (actual.bytes !== entry.bytes || actual.sha256 !== entry.sha256) {
      throw new IncompatibleIndexError(
        `The file ${name} of the library in "${folder}" is damaged or was changed after the save ` +
          `(${actual.bytes !== entry.bytes ? `${actual.bytes} bytes instead of ${entry.bytes}` : "its SHA-256 checksum does not match"}). ` +
          `Saved libraries must not be edited by hand: restore the folder from a backup, or rebuild it. ${REBUILD_HINT}`,
      );
    }
  }
  return loaded;
}

function missing(folder: string, name: string, error: unknown): IncompatibleIndexError {
  return new IncompatibleIndexError(`The library in "${folder}" has no readable ${name}. ${REBUILD_HINT}`, { cause: error });
}
