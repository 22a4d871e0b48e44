import { IncompatibleIndexError, InvalidArgumentError, ModelLoadError } from "../errors.js";
import { defaultNotice, type NoticeCallback, type ProgressCallback } from "../progress.js";
import { CachedEmbedder } from "./cache.js";
import { LexicalEmbedder, type LexicalEmbedderOptions, type LexicalEmbedderState } from "./lexical.js";
import { DEFAULT_MODEL_ID, TransformersEmbedder, type TransformersEmbedderOptions } from "./transformers.js";
import type { Embedder } from "./types.js";

/**
 * Which embedder to use:
 * - `"auto"` (the default): the neural default model ({@link DEFAULT_MODEL_ID}) when it can be
 *   loaded (model cache, or a download when the network allows); otherwise, after saying so
 *   once, the built-in lexical embedder fitted on the documents.
 * - `"lexical"`: the built-in lexical embedder (TF-IDF, no model files, no network).
 * - options of a neural model (`{ model }` or `{ modelPath }`, ...): that model; failing to load
 *   it is an error ({@link ModelLoadError}), not a fallback.
 * - an {@link Embedder} object: used as it is.
 */
export type EmbedderSpec = "auto" | "lexical" | TransformersEmbedderOptions | Embedder;

/** What {@link resolveEmbedder} needs besides the spec. */
export interface ResolveContext {
  /** The texts the lexical embedder is fitted on (the library's own papers), if it is used. */
  documents: readonly string[];
  /** Model download/loading progress. */
  onProgress?: ProgressCallback;
  /** Receives the one notice given when "auto" falls back to the lexical embedder. Default: stderr. */
  onNotice?: NoticeCallback;
  /** The neural model "auto" tries. Default `{ model: DEFAULT_MODEL_ID }` (quantized). */
  autoModel?: TransformersEmbedderOptions;
  /** Model cache folder, unless the spec names one. Default `<cache root>/models`. */
  modelCacheDir?: string;
  /** Never use the network, unless the spec says otherwise. Default: from the environment (HF_HUB_OFFLINE=1, ...). */
  offline?: boolean;
  /** Options for fitting the lexical embedder. */
  lexical?: LexicalEmbedderOptions;
}

/** How an embedder is recorded in a saved library, so that it can be restored. Plain JSON. */
export type EmbedderDescriptor =
  | { kind: "lexical"; state: LexicalEmbedderState; id?: string; dimension?: number }
  | { kind: "transformers"; options: TransformersEmbedderOptions; id?: string; dimension?: number }
  | { kind: "custom"; id: string; dimension: number };

/** What {@link restoreEmbedder} needs besides the descriptor. */
export interface RestoreContext {
  onProgress?: ProgressCallback;
  onNotice?: NoticeCallback;
  /** An embedder to use instead of restoring one; it must have the recorded id and dimension. Needed for "custom". */
  embedder?: Embedder;
  /** Model cache folder. Default `<cache root>/models`. */
  modelCacheDir?: string;
  /** Never use the network. Default: from the environment. */
  offline?: boolean;
}

function isEmbedder(value: unknown): value is Embedder {
  return typeof value === "object" && value !== null && typeof (value as Embedder).embed === "function";
}

function checkEmbedder(e: Embedder): Embedder {
  if (typeof e.id !== "string" || e.id === "")
    throw new InvalidArgumentError("The embedder has no id (a non-empty string naming the model and its settings).");
  if (!Number.isInteger(e.dimension) || e.dimension < 1) {
    throw new InvalidArgumentError(`The embedder "${e.id}" has dimension ${String(e.dimension)}; it must be a whole number ≥ 1.`);
  }
  return e;
}

function fitLexical(ctx: ResolveContext): LexicalEmbedder {
  return LexicalEmbedder.fit(ctx.documents, ctx.lexical);
}

/**
 * The notice given once when "auto" falls back to the lexical embedder: two short lines,
 * what happened (and what is used instead), then how to get the neural model.
 */
export function fallbackNotice(error: ModelLoadError, documentCount: number): string {
  const { network, remembered } = hubReason(error);
  const why: Record<ModelLoadError["failure"], string> = {
    offline: "is not cached and offline mode is on",
    "hub-unreachable": `is not cached and the Hugging Face Hub cannot be reached (${network})`,
    "missing-files": "has a missing file",
    "not-a-model": "did not load as a text-embedding model",
    dependency: "could not be loaded (the @huggingface/transformers package is missing)",
  };
  const first = `no neural model: "${error.model}" ${why[error.failure]}; using the built-in lexical embedder (fitted on these ${documentCount} papers).`;
  const remedy =
    error.failure === "dependency"
      ? `To use it, reinstall papermap's dependencies; embedder "lexical" skips the attempt.`
      : `To use it, run \`papermap model download\` once online${error.modelCacheDir ? ` (model cache: ${error.modelCacheDir})` : ""}, or pass a model folder; embedder "lexical" skips the attempt.`;
  return `${first}\n${remembered ? `The Hub was ${remembered}. ` : ""}${remedy}`;
}

/** The network reason inside a hub-unreachable error, and whether it was remembered ("last checked 3 min ago; next check after 10:12 UTC"). */
function hubReason(error: ModelLoadError): { network: string; remembered?: string } {
  const match = /cannot be reached: (.*?)(?: \((last checked .*)\))?$/.exec(error.reason);
  return match ? { network: match[1], remembered: match[2] } : { network: "no answer" };
}

/**
 * Turns an {@link EmbedderSpec} into a ready embedder. With `"auto"` (or no spec) a neural
 * model that cannot be loaded is reported once through `ctx.onNotice` (what failed, what is
 * used instead, how to supply a model) and the lexical embedder is fitted on
 * `ctx.documents` instead. An explicitly requested neural model that cannot be loaded
 * throws {@link ModelLoadError}.
 */
export async function resolveEmbedder(spec: EmbedderSpec | undefined, ctx: ResolveContext): Promise<Embedder> {
  if (spec === undefined || spec === "auto") {
    const auto = ctx.autoModel ?? { model: DEFAULT_MODEL_ID };
    try {
      return await TransformersEmbedder.load({
        ...auto,
        cacheDir: auto.cacheDir ?? ctx.modelCacheDir,
        offline: auto.offline ?? ctx.offline,
        onProgress: auto.onProgress ?? ctx.onProgress,
        // A machine without network: the fallback is decided once an hour, not probed on every run.
        rememberHubStatus: auto.rememberHubStatus ?? true,
      });
    } catch (error) {
      if (!(error instanceof ModelLoadError)) throw error;
      (ctx.onNotice ?? defaultNotice)(fallbackNotice(error, ctx.documents.length));
      return fitLexical(ctx);
    }
  }
  if (spec === "lexical") return fitLexical(ctx);
  if (isEmbedder(spec)) return checkEmbedder(spec);
  if (typeof spec === "object" && spec !== null) {
    return TransformersEmbedder.load({
      ...spec,
      cacheDir: spec.cacheDir ?? ctx.modelCacheDir,
      offline: spec.offline ?? ctx.offline,
      onProgress: spec.onProgress ?? ctx.onProgress,
    });
  }
  throw new InvalidArgumentError(
    `Unknown embedder ${JSON.stringify(spec)}: use "auto", "lexical", neural model options such as { model: "${DEFAULT_MODEL_ID}" } or { modelPath: "<folder>" }, or an Embedder object.`,
  );
}

/** The embedder inside any {@link CachedEmbedder} wrappers. */
export function unwrapEmbedder(e: Embedder): Embedder {
  let inner = e;
  while (inner instanceof CachedEmbedder) inner = inner.inner;
  return inner;
}

/** Records how to get `e` back when a saved library is opened (see {@link restoreEmbedder}). */
export function describeEmbedder(e: Embedder): EmbedderDescriptor {
  const inner = unwrapEmbedder(e);
  if (inner instanceof LexicalEmbedder) return { kind: "lexical", state: inner.toJSON(), id: inner.id, dimension: inner.dimension };
  if (inner instanceof TransformersEmbedder)
    return { kind: "transformers", options: inner.options, id: inner.id, dimension: inner.dimension };
  return { kind: "custom", id: inner.id, dimension: inner.dimension };
}

function describeRecorded(d: { id?: string; dimension?: number }): string {
  return d.id ? `"${d.id}"${d.dimension ? ` (dimension ${d.dimension})` : ""}` : "another embedder";
}

/**
 * Gets back the embedder a library was saved with. A lexical embedder is rebuilt from its
 * saved state; a neural model is loaded again (from the model cache or folder; a failure
 * throws {@link ModelLoadError} — falling back would give vectors incompatible with the
 * saved index); a custom embedder must be passed as `ctx.embedder`. A passed embedder
 * whose id or dimension differs from the recorded one throws {@link IncompatibleIndexError}.
 */
export async function restoreEmbedder(d: EmbedderDescriptor, ctx: RestoreContext = {}): Promise<Embedder> {
  if (typeof d !== "object" || d === null || !["lexical", "transformers", "custom"].includes((d as { kind?: unknown }).kind as string)) {
    throw new IncompatibleIndexError(
      "The saved library does not say which embedder made its vectors (damaged or foreign metadata). Create the library again.",
    );
  }
  const recorded = d as { id?: unknown; dimension?: unknown };
  if (
    (recorded.id !== undefined && typeof recorded.id !== "string") ||
    (recorded.dimension !== undefined && typeof recorded.dimension !== "number")
  ) {
    throw new IncompatibleIndexError("The saved library's embedder record is damaged. Create the library again.");
  }

  if (ctx.embedder) {
    const given = checkEmbedder(ctx.embedder);
    if (d.kind === "lexical" && d.id === undefined) {
      const restored = LexicalEmbedder.fromJSON(d.state);
      d = { ...d, id: restored.id, dimension: restored.dimension };
    }
    if (d.id === undefined || (given.id === d.id && (d.dimension === undefined || given.dimension === d.dimension))) return given;
    throw new IncompatibleIndexError(
      `The library was built with embedder ${describeRecorded(d)}, but the embedder passed is "${given.id}" (dimension ${given.dimension}); their vectors are not comparable. Pass the same embedder, or create the library again with the new one.`,
    );
  }

  switch (d.kind) {
    case "lexical":
      return LexicalEmbedder.fromJSON(d.state);
    case "custom":
      throw new IncompatibleIndexError(
        `The library was built with a custom embedder ${describeRecorded(d)}; pass that same embedder (option embedder) to open it.`,
      );
    case "transformers": {
      if (typeof d.options !== "object" || d.options === null) {
        throw new IncompatibleIndexError("The saved library's neural model record is damaged. Create the library again.");
      }
      let loaded: TransformersEmbedder;
      try {
        loaded = await TransformersEmbedder.load({
          ...d.options,
          cacheDir: ctx.modelCacheDir,
          offline: ctx.offline,
          onProgress: ctx.onProgress,
        });
      } catch (error) {
        if (error instanceof ModelLoadError) {
          throw new ModelLoadError(
            error.model,
            error.failure,
            `${error.reason} (this library's vectors were made with it, so no other embedder can stand in)`,
            error.remedy,
            { cause: error, modelCacheDir: error.modelCacheDir },
          );
        }
        throw error;
      }
      if ((d.id !== undefined && loaded.id !== d.id) || (d.dimension !== undefined && loaded.dimension !== d.dimension)) {
        await loaded.dispose().catch(() => undefined);
        throw new IncompatibleIndexError(
          `The library was built with embedder ${describeRecorded(d)}, but the model loaded now is "${loaded.id}" (dimension ${loaded.dimension}): its files have changed. Restore the original model files, or create the library again.`,
        );
      }
      return loaded;
    }
  }
}
