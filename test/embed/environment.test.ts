import { homedir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  defaultCacheRoot,
  defaultEmbeddingCacheDir,
  defaultModelCacheDir,
  offlineFromEnvironment,
  offlineVariable,
} from "../../src/embed/environment.js";

describe("cache folders", () => {
  it("PAPERMAP_CACHE_DIR wins over everything", () => {
    const env = { PAPERMAP_CACHE_DIR: "/data/pm-cache", XDG_CACHE_HOME: "/xdg" };
    expect(defaultCacheRoot(env)).toBe("/data/pm-cache");
    expect(defaultModelCacheDir(env)).toBe(join("/data/pm-cache", "models"));
    expect(defaultEmbeddingCacheDir(env)).toBe(join("/data/pm-cache", "embeddings"));
  });

  it.runIf(process.platform === "linux")("follows XDG_CACHE_HOME, else ~/.cache, on Linux", () => {
    expect(defaultCacheRoot({ XDG_CACHE_HOME: "/xdg" })).toBe(join("/xdg", "papermap"));
    expect(defaultCacheRoot({ XDG_CACHE_HOME: "  " })).toBe(join(homedir(), ".cache", "papermap"));
    expect(defaultCacheRoot({})).toBe(join(homedir(), ".cache", "papermap"));
  });

  it("is never inside the working directory by default", () => {
    expect(defaultCacheRoot({}).startsWith(process.cwd())).toBe(false);
  });
});

describe("offline mode from the environment", () => {
  it.each([
    [{ HF_HUB_OFFLINE: "1" }, true, "HF_HUB_OFFLINE"],
    [{ TRANSFORMERS_OFFLINE: "true" }, true, "TRANSFORMERS_OFFLINE"],
    [{ PAPERMAP_OFFLINE: "YES" }, true, "PAPERMAP_OFFLINE"],
    [{ HF_HUB_OFFLINE: " on " }, true, "HF_HUB_OFFLINE"],
    [{ HF_HUB_OFFLINE: "0" }, false, undefined],
    [{ HF_HUB_OFFLINE: "false", TRANSFORMERS_OFFLINE: "" }, false, undefined],
    [{}, false, undefined],
  ])("%j → %s", (env, offline, variable) => {
    expect(offlineFromEnvironment(env)).toBe(offline);
    expect(offlineVariable(env)).toBe(variable);
  });
});
