import type { ProgressCallback } from "../progress.js";

/** Whether a text is a search query or a document (some models prefix them differently). */
export type EmbedKind = "query" | "document";

export interface EmbedOptions {
  kind?: EmbedKind;
  onProgress?: ProgressCallback;
}

/**
 * Turns texts into unit-length vectors. Every embedder (neural or lexical) implements this;
 * so can your own. What `embed` returns is checked (one vector per text, `dimension`
 * finite numbers each; query vectors are scaled to unit length).
 *
 * @example
 * ```ts
 * const mine: Embedder = {
 *   id: "my-service/v2",            // change it whenever the vectors change
 *   dimension: 768,
 *   embed: async (texts, options) => (await myService.embed(texts, options?.kind)).map((v) => Float32Array.from(v)),
 * };
 * const library = await PaperLibrary.create(papers, { embedder: mine });
 * ```
 */
export interface Embedder {
  /** Model id plus every setting that changes the vectors; recorded in saved libraries. */
  readonly id: string;
  /** Length of every vector. */
  readonly dimension: number;
  /** Unit-length vectors, one per text, in input order. */
  embed(texts: readonly string[], options?: EmbedOptions): Promise<Float32Array[]>;
}
