import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runStress } from "./multiprocess.js";

const work = await mkdtemp(path.join(tmpdir(), "papermap-multiprocess-"));
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe("several processes saving to and reading one library folder", () => {
  it("never commit a mixture: after every run the folder opens and holds one whole version; nobody sees raw errors", async () => {
    // Run 1: three writers and a reader. Run 2: the same, and the first writer is killed
    // (SIGKILL) in the middle of a save, leaving its lock behind: the others wait until it
    // is stale (2 s here), take it over and finish.
    const f = await runStress({ workDir: work, runs: 2, writers: 3, savesPerWriter: 2, killRuns: [1], staleMs: 2000 });
    expect(f.finalProblems).toEqual(["", ""]);
    for (const size of f.finalSizes) expect([20, 25, 30, 35]).toContain(size);
    expect(f.killed).toBe(1);
    expect(f.otherSaveFailures).toEqual([]);
    expect(f.readerFailures).toEqual([]);
    // 2 runs × 3 writers × 2 saves, minus the killed writer's 2: each one saved, or gave up
    // with the clear "busy" message, or (after the kill) lost a lock taken over as stale.
    expect(f.saved + f.busy + f.lostLock).toBe(10);
    expect(f.saved).toBeGreaterThanOrEqual(8);
    expect(f.readerOpens).toBeGreaterThan(0);
    expect(f.leftovers).toEqual([]);
  }, 120_000);
});
