import path from "node:path";
import { downloadModel } from "../embed/download.js";
import { defaultCacheRoot } from "../embed/environment.js";
import { DEFAULT_MODEL_ID, type TransformersDtype } from "../embed/transformers.js";
import type { CommandIo } from "./commands.js";
import { UsageError } from "./errors.js";

const DTYPES: readonly TransformersDtype[] = ["fp32", "fp16", "q8", "int8", "uint8", "q4", "q4f16", "bnb4"];

/** `papermap model download [model id]`: fetches a model into the model cache, with progress. */
export async function modelCommand(
  positionals: string[],
  values: Record<string, string | boolean | undefined>,
  io: CommandIo,
): Promise<void> {
  const [action, id] = positionals;
  if (action !== "download") {
    throw new UsageError(`unknown action "${action}" for "papermap model"; use \`papermap model download [model id]\`.`, "model");
  }
  const dtype = (values.dtype ?? "q8") as TransformersDtype;
  if (!DTYPES.includes(dtype)) throw new UsageError(`--dtype must be one of ${DTYPES.join(", ")}, got "${String(values.dtype)}".`, "model");
  const root = typeof values["cache-dir"] === "string" ? path.resolve(io.cwd, values["cache-dir"]) : defaultCacheRoot(io.env);
  const model = id ?? DEFAULT_MODEL_ID;
  io.progress.status(`Fetching ${model} (dtype ${dtype}) into ${path.join(root, "models")} …`);
  const result = await downloadModel(model, {
    cacheDir: path.join(root, "models"),
    dtype,
    remoteHost: io.env.HF_ENDPOINT,
    onProgress: io.progress.onProgress,
  });
  io.progress.finish();
  const megabytes = (result.files.reduce((s, f) => s + f.bytes, 0) / 1e6).toFixed(1);
  io.stdout.write(
    `${result.alreadyCached ? `${model} was already in the model cache` : `Downloaded ${model}`} (${megabytes} MB): ${result.folder}\n` +
      `  embedder: ${result.embedderId} (${result.dimension} dimensions)\n` +
      `It now loads without network access${id ? ` (use it with --embedder ${model})` : ""}.\n`,
  );
}
