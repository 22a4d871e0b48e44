import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, rename, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { PapermapError } from "../../src/errors.js";
import { mergeIntoLibrary, mergePaper } from "../../src/feeds/daily.js";
import type { Paper } from "../../src/paper.js";

let tmp: string;

beforeEach(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), "papermap-feeds-daily-"));
});

afterEach(async () => {
  await rm(tmp, { recursive: true, force: true });
});

const base: Paper = {
  id: "2511.00001",
  title: "A title",
  abstract: "An abstract about tokens.",
  upvotes: 12,
  commentCount: 3,
  organization: "Lab",
  listingDay: "2025-11-20",
};

describe("mergePaper", () => {
  it("takes the fresh fields, keeps fields only the old record has, the first listing day, and the larger counts", () => {
    const fresh: Paper = {
      id: base.id,
      title: "A title, revised",
      abstract: base.abstract,
      upvotes: 5,
      authors: ["Ada"],
      listingDay: "2025-11-24",
    };
    expect(mergePaper(base, fresh)).toEqual({
      id: base.id,
      title: "A title, revised",
      abstract: base.abstract,
      upvotes: 12,
      commentCount: 3,
      organization: "Lab",
      authors: ["Ada"],
      listingDay: "2025-11-20",
    });
    expect(mergePaper(base, { ...base, upvotes: 40 }).upvotes).toBe(40);
    expect(mergePaper({ ...base, listingDay: undefined }, { ...base, listingDay: "2025-11-24" }).listingDay).toBe("2025-11-24");
  });
});

describe("mergeIntoLibrary", () => {
  it("refuses a folder that holds other files, before any work, and leaves it as it was", async () => {
    const dir = path.join(tmp, "notes");
    await mkdir(dir);
    await writeFile(path.join(dir, "todo.txt"), "keep me");
    await expect(mergeIntoLibrary(dir, [base], { embedder: "lexical", onNotice: () => undefined })).rejects.toThrow(PapermapError);
    await expect(mergeIntoLibrary(dir, [base], { embedder: "lexical", onNotice: () => undefined })).rejects.toThrow(
      /not a papermap library and not an empty folder/,
    );
    expect(await readdir(dir)).toEqual(["todo.txt"]);
  });

  it("takes a library left in its backup by an interrupted save for the library, not for an absent one", async () => {
    const dir = path.join(tmp, "lib");
    const papers: Paper[] = [
      base,
      { id: "2511.00002", title: "Another title", abstract: "Speech tokens and audio codecs.", listingDay: "2025-11-20" },
    ];
    const first = await mergeIntoLibrary(dir, papers, { embedder: "lexical", onNotice: () => undefined });
    expect(first.created).toBe(true);
    await rename(dir, path.join(tmp, ".lib.bak")); // a crash between the save's two renames
    const again = await mergeIntoLibrary(dir, papers, { onNotice: () => undefined });
    expect(again).toMatchObject({ created: false, saved: false, added: 0, unchanged: 2 });
    expect(again.library?.size).toBe(2);
    expect(existsSync(path.join(dir, "library.json"))).toBe(true);
  });

  it("creates no library for a day without papers", async () => {
    const dir = path.join(tmp, "lib");
    const result = await mergeIntoLibrary(dir, [], { embedder: "lexical" });
    expect(result).toMatchObject({ library: undefined, created: false, saved: false, added: 0 });
    expect(existsSync(dir)).toBe(false);
  });
});
