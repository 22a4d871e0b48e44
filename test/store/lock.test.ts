import { mkdir, mkdtemp, readdir, rm, stat, utimes } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PapermapError } from "../../src/errors.js";
import { loadDefaultListing } from "../../src/ingest/index.js";
import { PaperLibrary } from "../../src/library.js";
import type { Paper } from "../../src/paper.js";
import { LibraryBusyError, lockPath, withLibraryLock } from "../../src/store/lock.js";

let tmp: string;
let listing: Paper[];
beforeAll(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), "papermap-lock-"));
  listing = await loadDefaultListing();
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const exists = (p: string) =>
  stat(p).then(
    () => true,
    () => false,
  );

function gate(): { wait: Promise<void>; open: () => void } {
  let open!: () => void;
  const wait = new Promise<void>((r) => (open = r));
  return { wait, open };
}

describe("withLibraryLock", () => {
  it("lets one holder in at a time; the second waits and then runs", async () => {
    const dir = path.join(tmp, "one-at-a-time");
    const order: string[] = [];
    const g = gate();
    const entered = gate();
    const first = withLibraryLock(dir, "write", async () => {
      order.push("first in");
      entered.open();
      await g.wait;
      order.push("first out");
    });
    await entered.wait;
    expect(await exists(lockPath(dir))).toBe(true);
    const second = withLibraryLock(dir, "write", async () => void order.push("second in"));
    await sleep(300);
    expect(order).toEqual(["first in"]);
    g.open();
    await Promise.all([first, second]);
    expect(order).toEqual(["first in", "first out", "second in"]);
    expect(await exists(lockPath(dir))).toBe(false);
  });

  it("gives up after the wait with a LibraryBusyError that says what to do", async () => {
    const dir = path.join(tmp, "busy");
    const g = gate();
    const entered = gate();
    const holder = withLibraryLock(dir, "write", () => {
      entered.open();
      return g.wait;
    });
    await entered.wait;
    const error = await withLibraryLock(dir, "write", async () => "never", { wait: 300 }).then(
      () => undefined,
      (e: unknown) => e,
    );
    g.open();
    await holder;
    expect(error).toBeInstanceOf(LibraryBusyError);
    expect(error).toBeInstanceOf(PapermapError);
    expect((error as Error).message).toMatch(
      /being saved or read by another process.*Try again.*left over from a crash.*taken over automatically/,
    );
  });

  it("takes over a stale lock left by a killed process", async () => {
    const dir = path.join(tmp, "stale");
    await mkdir(lockPath(dir));
    const old = new Date(Date.now() - 60_000);
    await utimes(lockPath(dir), old, old);
    expect(await withLibraryLock(dir, "write", async () => "ran", { wait: 0 })).toBe("ran");
    // A fresh lock of someone else is respected.
    await mkdir(lockPath(dir));
    await expect(withLibraryLock(dir, "write", async () => "ran", { wait: 200 })).rejects.toThrow(LibraryBusyError);
    await rm(lockPath(dir), { recursive: true });
  });

  it("reads without a lock where none can be made (no parent folder)", async () => {
    expect(await withLibraryLock(path.join(tmp, "no", "such", "lib"), "read", async () => "read")).toBe("read");
  });
});

describe("PaperLibrary: readers and writers of one folder", () => {
  it("a reader opening while a save is between its two renames waits and reads the new library, moving nothing", async () => {
    const dir = path.join(tmp, "reader-during-save");
    const small = await PaperLibrary.create(listing.slice(0, 10), { embedder: "lexical" });
    await small.save(dir);
    const big = await PaperLibrary.create(listing.slice(0, 30), { embedder: "lexical" });
    const g = gate();
    let paused = false;
    const saving = big.save(dir, {
      onStep: async (step) => {
        if (step === "backed-up") {
          paused = true;
          await g.wait;
        }
      },
    });
    while (!paused) await sleep(10);
    // Now the folder is missing and its backup holds the previous save.
    expect(await exists(dir)).toBe(false);
    let opened: PaperLibrary | undefined;
    const opening = PaperLibrary.open(dir).then((lib) => (opened = lib));
    await sleep(400);
    expect(opened).toBeUndefined();
    expect(await exists(path.join(tmp, ".reader-during-save.bak"))).toBe(true); // not moved back by the reader
    g.open();
    await saving;
    await opening;
    expect(opened!.size).toBe(30);
    expect((await readdir(tmp)).filter((n) => n.includes("reader-during-save"))).toEqual(["reader-during-save"]);
  });

  it("a reader reads the previous save, whole, while a save is being written", async () => {
    const dir = path.join(tmp, "read-old");
    await (await PaperLibrary.create(listing.slice(0, 10), { embedder: "lexical" })).save(dir);
    const big = await PaperLibrary.create(listing.slice(0, 30), { embedder: "lexical" });
    const g = gate();
    let paused = false;
    const saving = big.save(dir, {
      onStep: async (step) => {
        if (step === "written") {
          paused = true;
          await g.wait;
        }
      },
    });
    while (!paused) await sleep(10);
    expect((await PaperLibrary.open(dir)).size).toBe(10);
    g.open();
    await saving;
    expect((await PaperLibrary.open(dir)).size).toBe(30);
  });

  it("two library objects saving to one folder at once: both succeed, one after the other", async () => {
    const dir = path.join(tmp, "two-writers");
    const a = await PaperLibrary.create(listing.slice(0, 10), { embedder: "lexical" });
    const b = await PaperLibrary.create(listing.slice(0, 15), { embedder: "lexical" });
    for (let i = 0; i < 3; i++) {
      await Promise.all([a.save(dir), b.save(dir)]);
      expect([10, 15]).toContain((await PaperLibrary.open(dir)).size);
    }
    expect((await readdir(tmp)).filter((n) => n.includes("two-writers"))).toEqual(["two-writers"]);
  });
});
