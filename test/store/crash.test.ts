import { execFile } from "node:child_process";
import { mkdtemp, readdir, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadDefaultListing } from "../../src/ingest/index.js";
import { PaperLibrary } from "../../src/library.js";
import type { Paper } from "../../src/paper.js";
import { lockPath } from "../../src/store/lock.js";
import { repoRoot } from "./multiprocess.js";

const run = promisify(execFile);
const script = path.join(repoRoot, "test/store/fixtures/crash-save-library.ts");
let tmp: string;
let listing: Paper[];
beforeAll(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), "papermap-crash-"));
  listing = await loadDefaultListing();
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe("PaperLibrary.save killed (SIGKILL) after each step", () => {
  const steps = [
    ["written", 10],
    ["backed-up", 10],
    ["renamed", 20],
    ["done", 20],
  ] as const;

  it("leaves the previous or the new library, never a mixture; the stale lock is taken over", async () => {
    // The four crashes run side by side, each in its own folder.
    const results = await Promise.all(
      steps.map(([step]) =>
        run(process.execPath, ["--import", "tsx", script, path.join(tmp, step, "lib"), step], { cwd: repoRoot }).then(
          () => "exited normally",
          (e: { signal?: string }) => e.signal,
        ),
      ),
    );
    expect(results).toEqual(["SIGKILL", "SIGKILL", "SIGKILL", "SIGKILL"]);
    for (const [step, size] of steps) {
      const dir = path.join(tmp, step, "lib");
      expect(
        await stat(lockPath(dir)).then(
          () => true,
          () => false,
        ),
        step,
      ).toBe(true); // left by the killed process
      if (step === "backed-up") expect(await readdir(path.join(tmp, step))).not.toContain("lib");
      const lib = await PaperLibrary.open(dir, { lock: { stale: 2000 } });
      expect(lib.size, step).toBe(size);
      expect(lib.papers().map((p) => p.id)).toEqual(listing.slice(0, size).map((p) => p.id));
      // The next save clears what the crash left behind (temporary folder, backup, lock).
      await lib.save(dir, { lock: { stale: 2000 } });
      expect(await readdir(path.join(tmp, step))).toEqual(["lib"]);
    }
  }, 120_000);
});
