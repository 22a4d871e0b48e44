import { stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import { InvalidArgumentError } from "../errors.js";
import type { ProgressCallback } from "../progress.js";
import { defaultModelCacheDir } from "./environment.js";
import { forgetUnreachable, hubStatusFile } from "./hub.js";
import { DEFAULT_MODEL_ID, modelFiles, TransformersEmbedder, type TransformersDtype } from "./transformers.js";

/** Options of {@link downloadModel}. */
export interface DownloadModelOptions {
  /** Weight format to fetch. Default "q8" (what papermap loads by default). */
  dtype?: TransformersDtype;
  /** The model cache to fill. Default `<cache root>/models`, where papermap looks for models. */
  cacheDir?: string;
  /** Hub address. Default `$HF_ENDPOINT` or https://huggingface.co. */
  remoteHost?: string;
  /** How long to wait for the Hub's first answer, in ms. Default 5000. */
  connectTimeoutMs?: number;
  /** Download progress ("download", bytes). */
  onProgress?: ProgressCallback;
}

/** What {@link downloadModel} did. */
export interface DownloadedModel {
  model: string;
  /** The folder in the model cache that holds it. */
  folder: string;
  /** True when every file was already in the cache (nothing was downloaded). */
  alreadyCached: boolean;
  /** The files the model needs, with their sizes. */
  files: Array<{ file: string; bytes: number }>;
  /** The embedder id and dimension the model gives (it was loaded once to check it). */
  embedderId: string;
  dimension: number;
}

/**
 * Fetches a neural model (default {@link DEFAULT_MODEL_ID}) from the Hugging Face Hub into
 * the model cache, with progress, and checks that it loads and embeds. Afterwards the
 * model loads without network access: prepare a machine once, then work offline. A model
 * already in the cache is only checked. Fails with `ModelLoadError` when the Hub cannot be
 * reached or the model is not a text-embedding model.
 *
 * @example
 * ```ts
 * const { folder, files } = await downloadModel(undefined, {
 *   onProgress: (e) => process.stderr.write(`\r${e.done} of ${e.total ?? "?"} bytes`),
 * });
 * ```
 */
export async function downloadModel(model: string = DEFAULT_MODEL_ID, options: DownloadModelOptions = {}): Promise<DownloadedModel> {
  if (typeof model !== "string" || model.trim() === "") throw new InvalidArgumentError("downloadModel: pass a Hugging Face model id.");
  const cacheDir = resolve(options.cacheDir ?? defaultModelCacheDir());
  const dtype = options.dtype ?? "q8";
  const folder = join(cacheDir, model);
  const before = await sizes(folder, modelFiles(dtype));
  const embedder = await TransformersEmbedder.load({
    model,
    dtype,
    cacheDir,
    offline: false,
    remoteHost: options.remoteHost,
    connectTimeoutMs: options.connectTimeoutMs ?? 5000,
    onProgress: options.onProgress,
  });
  try {
    // The Hub answered (or was not needed): a remembered "unreachable" no longer holds.
    await forgetUnreachable(hubStatusFile(cacheDir), options.remoteHost ?? process.env.HF_ENDPOINT ?? "https://huggingface.co");
    const files = await sizes(folder, modelFiles(dtype));
    return {
      model,
      folder,
      alreadyCached: before.every((f) => f.bytes >= 0),
      files: files.map((f) => ({ file: f.file, bytes: Math.max(0, f.bytes) })),
      embedderId: embedder.id,
      dimension: embedder.dimension,
    };
  } finally {
    await embedder.dispose();
  }
}

/** Sizes of `files` in `folder` (-1 for a missing file). */
async function sizes(folder: string, files: string[]): Promise<Array<{ file: string; bytes: number }>> {
  return Promise.all(
    files.map(async (file) => {
      try {
        return { file, bytes: (await stat(join(folder, file))).size };
      } catch {
        return { file, bytes: -1 };
      }
    }),
  );
}
