import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach } from "vitest";
import { clearPapermapEnv, restoreEnv } from "./helpers/env.js";

// Every test file starts from the same environment, whatever the caller exported
// (HF_HUB_OFFLINE=1, a cache folder, ...), and caches into a fresh folder of its own, never
// into the user's cache.
clearPapermapEnv();
const cacheRoot = mkdtempSync(join(tmpdir(), "papermap-test-cache-"));
process.env.PAPERMAP_CACHE_DIR = cacheRoot;
afterEach(restoreEnv);
afterAll(() => {
  rmSync(cacheRoot, { recursive: true, force: true });
});
