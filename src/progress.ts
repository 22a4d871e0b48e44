/** One step of long-running work, reported through an `onProgress` callback. */
export interface ProgressEvent {
  /** What is happening: "download" (model files), "embed", "index", "cluster", ... */
  stage: string;
  /** Units done so far (files, bytes, texts, papers — see `unit`). */
  done: number;
  /** Units in all, when known. */
  total?: number;
  unit?: string;
  /** Free text, e.g. the file being downloaded. */
  message?: string;
}

export type ProgressCallback = (event: ProgressEvent) => void;

/**
 * Receives plain-language notices (for example "no neural model could be loaded; using
 * the built-in lexical embedder"). The default writes them to stderr.
 */
export type NoticeCallback = (message: string) => void;

export const defaultNotice: NoticeCallback = (message) => {
  process.stderr.write(`papermap: ${message}\n`);
};
