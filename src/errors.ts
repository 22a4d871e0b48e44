/**
 * Errors a caller can cause. Every one carries a message that says what was wrong
 * and what to do about it; catch {@link PapermapError} to handle them all.
 */
export class PapermapError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A listing could not be read: empty, unknown format, malformed, or a bad record. */
export class ParseError extends PapermapError {
  /** 1-based line (text formats) or record number (JSON/CSV/XML) where the problem is, when known. */
  readonly line?: number;
  readonly record?: number;
  constructor(message: string, where: { line?: number; record?: number } = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.line = where.line;
    this.record = where.record;
  }
}

/**
 * Why a neural model could not be loaded:
 * - `"missing-files"`: the folder or model cache lacks a file (or has no weights for the dtype);
 * - `"offline"`: offline mode is on and the model is not in the model cache;
 * - `"hub-unreachable"`: the model is not cached and the Hugging Face Hub cannot be reached;
 * - `"not-a-model"`: the files load but are not a text-embedding model;
 * - `"dependency"`: the `@huggingface/transformers` package itself could not be loaded.
 */
export type ModelLoadFailure = "missing-files" | "offline" | "hub-unreachable" | "not-a-model" | "dependency";

/**
 * A neural embedding model could not be loaded (and the caller asked for it explicitly, or
 * a saved library needs it). The message says what failed and what to do; the parts are
 * fields too.
 *
 * @example
 * ```ts
 * try {
 *   library = await PaperLibrary.create(papers, { embedder: { model: "Xenova/gte-small" } });
 * } catch (error) {
 *   if (!(error instanceof ModelLoadError)) throw error;
 *   console.error(error.reason, "—", error.remedy);
 *   library = await PaperLibrary.create(papers, { embedder: "lexical" });
 * }
 * ```
 */
export class ModelLoadError extends PapermapError {
  /** The model id or folder. */
  readonly model: string;
  /** What went wrong, in plain words. */
  readonly reason: string;
  /** What to do about it. */
  readonly remedy: string;
  readonly failure: ModelLoadFailure;
  /** The model cache folder that was searched, for a Hub model id. */
  readonly modelCacheDir?: string;
  constructor(
    model: string,
    failure: ModelLoadFailure,
    reason: string,
    remedy: string,
    options?: { cause?: unknown; modelCacheDir?: string },
  ) {
    super(`Could not load the embedding model "${model}": ${reason}. ${remedy}`, options);
    this.model = model;
    this.modelCacheDir = options?.modelCacheDir;
    this.failure = failure;
    this.reason = reason;
    this.remedy = remedy;
  }
}

/** A saved index or library cannot be opened: other version, other embedder, other dimension, damaged files. */
export class IncompatibleIndexError extends PapermapError {}

/** A paper id that the library does not hold. */
export class UnknownPaperError extends PapermapError {
  readonly paperId: string;
  constructor(paperId: string, hint = "") {
    super(`Unknown paper id "${paperId}".${hint ? " " + hint : ""}`);
    this.paperId = paperId;
  }
}

/** An argument out of range or of the wrong shape (k < 1, a non-finite vector, ...). */
export class InvalidArgumentError extends PapermapError {}

/**
 * A listing could not be downloaded: the server kept failing (network errors, timeouts,
 * 429, 5xx) past the retries and the time budget, answered with an error status, or the
 * cache was asked for (offline) and holds no copy. Names the URL and the status when known.
 */
export class FetchError extends PapermapError {
  /** The URL that failed. */
  readonly url: string;
  /** The last HTTP status received, when there was one. */
  readonly status?: number;
  constructor(message: string, url: string, status?: number, options?: { cause?: unknown }) {
    super(message, options);
    this.url = url;
    this.status = status;
  }
}

/** What an operating-system error code means, in words, for the codes a user can cause. */
const ERRNO_TEXT: Record<string, string> = {
  ENOENT: "no such file or folder",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  EISDIR: "it is a folder, not a file",
  ENOTDIR: "a part of the path is a file, not a folder",
  EEXIST: "a file is in the way",
  ENOTEMPTY: "the folder is not empty",
  ENOSPC: "the disk is full",
  EROFS: "the file system is read-only",
  EDQUOT: "the disk quota is exceeded",
  EMFILE: "too many open files",
  ENFILE: "too many open files",
  EIO: "an input/output error of the disk",
  ENAMETOOLONG: "the path is too long",
};

/** The words for an operating-system error code (`error.code`), if it is one a user can cause. */
export function errnoText(code: string | undefined): string | undefined {
  return code === undefined ? undefined : ERRNO_TEXT[code];
}
