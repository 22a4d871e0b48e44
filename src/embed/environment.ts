import { homedir } from "node:os";
import { join } from "node:path";

/**
 * The folder papermap caches things in (model files and embedding vectors), in this order:
 * `$PAPERMAP_CACHE_DIR`; on Linux and other Unix `$XDG_CACHE_HOME/papermap`, else
 * `~/.cache/papermap`; on macOS `~/Library/Caches/papermap`; on Windows
 * `%LOCALAPPDATA%\papermap\cache`.
 */
export function defaultCacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  const explicit = env.PAPERMAP_CACHE_DIR?.trim();
  if (explicit) return explicit;
  if (process.platform === "win32" && env.LOCALAPPDATA) return join(env.LOCALAPPDATA, "papermap", "cache");
  if (process.platform === "darwin") return join(homedir(), "Library", "Caches", "papermap");
  const xdg = env.XDG_CACHE_HOME?.trim();
  return join(xdg ? xdg : join(homedir(), ".cache"), "papermap");
}

/** Where downloaded neural model files are kept: `<cache root>/models` (see {@link defaultCacheRoot}). */
export function defaultModelCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(defaultCacheRoot(env), "models");
}

/** Where embedding vectors are cached: `<cache root>/embeddings` (see {@link defaultCacheRoot}). */
export function defaultEmbeddingCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(defaultCacheRoot(env), "embeddings");
}

const OFFLINE_VARIABLES = ["PAPERMAP_OFFLINE", "HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE"] as const;

/**
 * Whether the environment asks for offline mode: `PAPERMAP_OFFLINE`, `HF_HUB_OFFLINE` or
 * `TRANSFORMERS_OFFLINE` set to `1`, `true`, `yes` or `on`.
 */
export function offlineFromEnvironment(env: NodeJS.ProcessEnv = process.env): boolean {
  return OFFLINE_VARIABLES.some((name) => /^(1|true|yes|on)$/i.test(env[name]?.trim() ?? ""));
}

/** Which environment variable switched offline mode on, for messages; undefined when none did. */
export function offlineVariable(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return OFFLINE_VARIABLES.find((name) => /^(1|true|yes|on)$/i.test(env[name]?.trim() ?? ""));
}
