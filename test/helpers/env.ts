/**
 * Every environment variable papermap (or transformers.js under it) reads. The test setup
 * (test/setup.ts) removes them all before each test file, so that a test sees the same
 * environment on every machine; a test that needs one sets it with {@link setEnv}.
 */
export const PAPERMAP_ENV_VARIABLES = [
  "HF_HUB_OFFLINE",
  "TRANSFORMERS_OFFLINE",
  "PAPERMAP_OFFLINE",
  "HF_ENDPOINT",
  "HF_HOME",
  "HF_HUB_CACHE",
  "PAPERMAP_CACHE_DIR",
  "XDG_CACHE_HOME",
  "LOCALAPPDATA",
  "PAPERMAP_DEBUG",
  "PAPERMAP_EVAL_DIR",
  "NO_COLOR",
  "FORCE_COLOR",
] as const;

/** Removes every variable of {@link PAPERMAP_ENV_VARIABLES} from `process.env`. */
export function clearPapermapEnv(): void {
  for (const name of PAPERMAP_ENV_VARIABLES) delete process.env[name];
}

const saved = new Map<string, string | undefined>();

/** Puts everything {@link setEnv} changed back as it was (after every test: see test/setup.ts). */
export function restoreEnv(): void {
  for (const [name, value] of saved) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  saved.clear();
}

/**
 * Sets (string) or removes (undefined) environment variables for the running test; they are
 * put back after it (test/setup.ts runs {@link restoreEnv} after every test).
 */
export function setEnv(values: Record<string, string | undefined>): void {
  for (const [name, value] of Object.entries(values)) {
    if (!saved.has(name)) saved.set(name, process.env[name]);
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
}
