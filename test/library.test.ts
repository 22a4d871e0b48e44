import { createHash } from "node:crypto";
import { cp, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Embedder } from "../src/embed/types.js";
import { IncompatibleIndexError, InvalidArgumentError, PapermapError, UnknownPaperError } from "../src/errors.js";
import { loadDefaultListing } from "../src/ingest/index.js";
import { LIBRARY_FORMAT_VERSION, LIBRARY_MANIFEST, type OpenLibraryOptions, PaperLibrary } from "../src/library.js";
import type { Paper } from "../src/paper.js";
import type { ProgressEvent } from "../src/progress.js";
import type { SearchHit } from "../src/search/types.js";
import { hashingEmbedder, syntheticPapers } from "./helpers/synthetic.js";
import { createTinyModel } from "./helpers/tiny-model.js";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

let listing: Paper[];
let library: PaperLibrary;
let tmp: string;
const notices: string[] = [];

const byTitle = (start: string) => {
  const p = listing.find((x) => x.title.startsWith(start));
  if (!p) throw new Error(`no paper titled "${start}…" in the shipped listing`);
  return p;
};
const dot = (a: Float32Array, b: Float32Array) => a.reduce((s, x, i) => s + x * b[i], 0);
const ids = (hits: SearchHit[]) => hits.map((h) => h.paper.id);

function expectWellFormed(hits: SearchHit[]): void {
  for (const h of hits) {
    expect(h.score).toBeGreaterThanOrEqual(0);
    expect(h.score).toBeLessThanOrEqual(1);
    expect(Number.isFinite(h.similarity)).toBe(true);
    expect(Array.isArray(h.matchedTerms)).toBe(true);
    if (h.keywordScore !== undefined) {
      expect(h.keywordScore).toBeGreaterThanOrEqual(0);
      expect(h.keywordScore).toBeLessThanOrEqual(1);
    }
  }
  for (let i = 1; i < hits.length; i++) expect(hits[i].score).toBeLessThanOrEqual(hits[i - 1].score);
  expect(new Set(ids(hits)).size).toBe(hits.length);
}

beforeAll(async () => {
  listing = await loadDefaultListing();
  tmp = await mkdtemp(path.join(tmpdir(), "papermap-library-"));
  library = await PaperLibrary.create(listing, { embedder: "lexical", onNotice: (m) => notices.push(m) });
});

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe("PaperLibrary.create", () => {
  it("holds every paper with a unit vector, under the lexical embedder", () => {
    expect(library.size).toBe(listing.length);
    expect(library.embedderId).toMatch(/lexical/);
    expect(library.papers().map((p) => p.id)).toEqual(listing.map((p) => p.id));
    const p = listing[5];
    expect(library.get(p.id)).toEqual(p);
    expect(library.get("no-such-paper")).toBeUndefined();
    const v = library.vector(p.id)!;
    expect(v).toHaveLength(library.dimension);
    expect(dot(v, v)).toBeCloseTo(1, 4);
    expect(notices).toEqual([]); // "lexical" was asked for: nothing to say
  });

  it("reports embedding and indexing progress", async () => {
    const events: ProgressEvent[] = [];
    const small = await PaperLibrary.create(listing.slice(0, 10), { embedder: "lexical", onProgress: (e) => events.push(e) });
    expect(small.size).toBe(10);
    const index = events.filter((e) => e.stage === "index");
    expect(index.length).toBeGreaterThan(0);
    expect(index[index.length - 1]).toMatchObject({ done: 10, total: 10 });
    expect(events.some((e) => e.stage === "embed")).toBe(true);
  });

  it("refuses malformed papers and duplicate ids with a clear error", async () => {
    await expect(PaperLibrary.create([{ id: "", title: "t", abstract: "a" }])).rejects.toThrow(/no id/);
    await expect(PaperLibrary.create([{ id: "x", title: "t" } as Paper])).rejects.toThrow(InvalidArgumentError);
    const dup = [listing[0], { ...listing[1], id: listing[0].id }];
    await expect(PaperLibrary.create(dup, { embedder: "lexical" })).rejects.toThrow(/occurs twice/);
    await expect(PaperLibrary.create("papers" as unknown as Paper[])).rejects.toThrow(InvalidArgumentError);
  });

  it("says once why it falls back to the lexical embedder with the default 'auto'", async () => {
    const said: string[] = [];
    const prev = process.env.HF_HUB_OFFLINE;
    process.env.HF_HUB_OFFLINE = "1";
    try {
      const auto = await PaperLibrary.create(listing.slice(0, 12), { onNotice: (m) => said.push(m), cacheDir: false });
      expect(auto.embedderId).toMatch(/lexical/);
      expect(said).toHaveLength(1);
      expect(said[0]).toMatch(/lexical/);
      expect((await auto.search("token", { k: 3 })).length).toBeGreaterThan(0);
    } finally {
      if (prev === undefined) delete process.env.HF_HUB_OFFLINE;
      else process.env.HF_HUB_OFFLINE = prev;
    }
  });
});

describe("search", () => {
  it("ranks a topical query's papers first (hybrid by default)", async () => {
    const hits = await library.search("reducing visual tokens in vision-language models", { k: 5 });
    expect(hits).toHaveLength(5);
    expectWellFormed(hits);
    // every one of the five is about visual tokens in VLMs / multimodal models
    for (const h of hits)
      expect(`${h.paper.title} ${h.paper.abstract}`).toMatch(/visual token|vision token|token pruning|token reduction/i);
    expect(hits[0].matchedTerms).toEqual(expect.arrayContaining(["visual", "tokens"]));
  });

  it("finds exact names first: ELECTRA, CosyVoice, in any case or inside a query", async () => {
    const electra = byTitle("ELECTRA");
    const cosy = byTitle("CosyVoice");
    for (const mode of ["hybrid", "vector", "keyword"] as const) {
      expect((await library.search("ELECTRA", { mode }))[0].paper.id).toBe(electra.id);
      expect((await library.search("cosyvoice", { mode }))[0].paper.id).toBe(cosy.id);
    }
    expect((await library.search("CosyVoice speech tokens", { k: 3 }))[0].paper.id).toBe(cosy.id);
    expect((await library.search("ELECTRA discriminator pre-training", { k: 3 }))[0].paper.id).toBe(electra.id);
    // a name query is topped up with related papers
    const more = await library.search("ELECTRA", { k: 5 });
    expect(more).toHaveLength(5);
    expectWellFormed(more);
  });

  it("finds a paper by its arXiv id, with or without version, or by URL", async () => {
    const withIds = listing.slice(0, 30).map((p, i) => ({ ...p, id: `2501.${String(10000 + i)}` }));
    const lib = await PaperLibrary.create(withIds, { embedder: "lexical" });
    const target = withIds[17];
    for (const q of [
      target.id,
      `arXiv:${target.id}v2`,
      `https://arxiv.org/abs/${target.id}`,
      `https://huggingface.co/papers/${target.id}`,
    ]) {
      const hits = await lib.search(q, { k: 4 });
      expect(hits[0].paper.id).toBe(target.id);
      expect(hits).toHaveLength(4);
      expectWellFormed(hits);
    }
    // a slug id typed as the query works too
    expect((await library.search(listing[3].id))[0].paper.id).toBe(listing[3].id);
  });

  it("offers vector, keyword and hybrid modes", async () => {
    const q = "masked image modeling pre-training";
    const results = {
      vector: await library.search(q, { k: 8, mode: "vector" }),
      keyword: await library.search(q, { k: 8, mode: "keyword" }),
      hybrid: await library.search(q, { k: 8, mode: "hybrid" }),
    };
    for (const hits of Object.values(results)) {
      expect(hits).toHaveLength(8);
      expectWellFormed(hits);
    }
    // keyword mode only returns papers sharing a query word; its score is the keyword score
    for (const h of results.keyword) {
      expect(h.matchedTerms.length).toBeGreaterThan(0);
      expect(h.score).toBeCloseTo(h.keywordScore!, 10);
    }
    // vector mode ranks by similarity
    const sims = results.vector.map((h) => h.similarity);
    expect([...sims].sort((a, b) => b - a)).toEqual(sims);
    // hybrid draws on both: every hybrid hit is in the vector or the keyword top list of a deeper cut
    const deepV = new Set(ids(await library.search(q, { k: 60, mode: "vector" })));
    const deepK = new Set(ids(await library.search(q, { k: 60, mode: "keyword" })));
    for (const id of ids(results.hybrid)) expect(deepV.has(id) || deepK.has(id)).toBe(true);
  });

  it("returns nothing for an empty query or words nobody used (and validates options)", async () => {
    expect(await library.search("")).toEqual([]);
    expect(await library.search("   ")).toEqual([]);
    expect(await library.search("qwxzv plokmn", { mode: "keyword" })).toEqual([]);
    expect(await library.search("qwxzv plokmn", { mode: "vector" })).toEqual([]);
    expect(await library.search("qwxzv plokmn")).toEqual([]);
    await expect(library.search("tokens", { k: 0 })).rejects.toThrow(/k must be a whole number/);
    await expect(library.search("tokens", { k: 2.5 })).rejects.toThrow(InvalidArgumentError);
    await expect(library.search("tokens", { mode: "fuzzy" as "vector" })).rejects.toThrow(/mode must be one of/);
    await expect(library.search("tokens", { diversity: 2 })).rejects.toThrow(/diversity/);
    await expect(library.search(42 as unknown as string)).rejects.toThrow(InvalidArgumentError);
  });

  it("returns at most every matching paper when k exceeds the library", async () => {
    const q = "speech synthesis and audio codecs";
    for (const mode of ["vector", "hybrid", "keyword"] as const) {
      const hits = await library.search(q, { k: 1000, mode });
      expect(hits).toEqual(await library.search(q, { k: library.size, mode }));
      expect(hits.length).toBeGreaterThan(5);
      expectWellFormed(hits);
      // every paper with any evidence is listed, and only those
      for (const h of hits) expect(h.score).toBeGreaterThan(0);
    }
    const vector = await library.search(q, { k: 1000, mode: "vector" });
    for (const h of vector) expect(h.similarity).toBeGreaterThan(0);
  });

  it("filters by date range, upvotes and a predicate", async () => {
    const from = await library.search("token pruning", { k: 50, filter: { from: "2025-03", to: "2025-08" } });
    expect(from.length).toBeGreaterThan(0);
    for (const h of from) {
      expect(h.paper.published! >= "2025-03").toBe(true);
      expect(h.paper.published!.slice(0, 7) <= "2025-08").toBe(true);
    }
    const voted = await library.search("tokenizer", { k: 50, filter: { minUpvotes: 2 } });
    expect(voted.length).toBeGreaterThan(0);
    for (const h of voted) expect(h.paper.upvotes!).toBeGreaterThanOrEqual(2);
    const where = await library.search("tokens", { k: 50, filter: { where: (p) => p.title.includes("Token") } });
    expect(where.length).toBeGreaterThan(0);
    for (const h of where) expect(h.paper.title).toContain("Token");
    // a filter that excludes an exact name match drops it
    const electra = byTitle("ELECTRA");
    expect(ids(await library.search("ELECTRA", { filter: { where: (p) => p.id !== electra.id } }))).not.toContain(electra.id);
  });

  it("rejects a search whose predicate throws, and keeps working afterwards", async () => {
    const bad = {
      where: (p: Paper) => {
        if (p.title.includes("Token")) throw new Error("predicate failed");
        return true;
      },
    };
    for (const mode of ["hybrid", "vector", "keyword"] as const) {
      await expect(library.search("visual tokens", { mode, filter: bad })).rejects.toThrow(/filter\.where threw.*predicate failed/);
    }
    await expect(library.related(listing[0].id, { filter: bad })).rejects.toThrow(InvalidArgumentError);
    expect((await library.search("visual tokens", { k: 3 })).length).toBe(3);
  });

  it("diversity (MMR) spreads the list out, keeping the best hit first", async () => {
    const q = "visual token pruning for multimodal models";
    const plain = await library.search(q, { k: 6 });
    const diverse = await library.search(q, { k: 6, diversity: 0.7 });
    expect(diverse[0].paper.id).toBe(plain[0].paper.id);
    const meanPairwise = (hits: SearchHit[]) => {
      let s = 0;
      let n = 0;
      for (let i = 0; i < hits.length; i++)
        for (let j = i + 1; j < hits.length; j++, n++) s += dot(library.vector(hits[i].paper.id)!, library.vector(hits[j].paper.id)!);
      return s / n;
    };
    expect(meanPairwise(diverse)).toBeLessThan(meanPairwise(plain));
    expect(ids(diverse)).not.toEqual(ids(plain));
  });
});

describe("related", () => {
  it("lists papers like a given one, never the paper itself", async () => {
    const divprune = byTitle("DivPrune");
    for (const mode of ["hybrid", "vector", "keyword"] as const) {
      const hits = await library.related(divprune.id, { k: 5, mode });
      expect(hits).toHaveLength(5);
      expectWellFormed(hits);
      expect(ids(hits)).not.toContain(divprune.id);
      // visual-token-pruning papers are related to a visual-token-pruning paper
      const pruning = hits.filter((h) => /token (pruning|reduction|compression)|pruning/i.test(h.paper.title + h.paper.abstract));
      expect(pruning.length).toBeGreaterThanOrEqual(4);
    }
  });

  it("explains a hit by the source paper's characteristic words it shares", async () => {
    const cosy = byTitle("CosyVoice");
    const [top] = await library.related(cosy.id, { k: 1 });
    expect(top.matchedTerms.length).toBeGreaterThan(0);
    const text = `${top.paper.title} ${top.paper.abstract}`.toLowerCase();
    for (const t of top.matchedTerms) expect(text).toContain(t.toLowerCase().replace(/s$/, ""));
  });

  it("gives every other paper when k is larger than the library", async () => {
    const hits = await library.related(listing[0].id, { k: 500 });
    expect(hits.length).toBeLessThanOrEqual(listing.length - 1);
    expect(hits.length).toBeGreaterThan(30);
    expect(ids(hits)).not.toContain(listing[0].id);
  });

  it("relates nothing to a paper made only of words the library has never seen", async () => {
    const lib = await PaperLibrary.create(listing.slice(0, 30), { embedder: "lexical" });
    await lib.add([{ id: "gibberish", title: "Qwxzv plokmn", abstract: "Zzyqv wxqpl trnvk." }]);
    expect(Array.from(lib.vector("gibberish")!).every((x) => x === 0)).toBe(true);
    for (const mode of ["hybrid", "vector", "keyword"] as const) expect(await lib.related("gibberish", { mode })).toEqual([]);
    // and it does not disturb the others
    expect(ids(await lib.related(listing[0].id, { k: 50 }))).not.toContain("gibberish");
  });

  it("throws UnknownPaperError for an id it does not hold", async () => {
    await expect(library.related("no-such-paper")).rejects.toThrow(UnknownPaperError);
    await expect(library.related("no-such-paper")).rejects.toThrow(/Unknown paper id "no-such-paper"/);
  });

  it("applies filters and diversity", async () => {
    const src = byTitle("HiPrune");
    const hits = await library.related(src.id, { k: 10, filter: { from: "2025" } });
    for (const h of hits) expect(h.paper.published! >= "2025").toBe(true);
    const diverse = await library.related(src.id, { k: 5, diversity: 0.5 });
    expect(diverse).toHaveLength(5);
    expect(ids(diverse)).not.toContain(src.id);
  });
});

describe("add and remove", () => {
  it("adds papers incrementally, replaces an existing id, and keeps the lexical embedder as fitted", async () => {
    const lib = await PaperLibrary.create(listing.slice(0, 40), { embedder: "lexical" });
    const embedderId = lib.embedderId;
    const extra = listing.slice(40, 45);
    await lib.add(extra);
    expect(lib.size).toBe(45);
    expect(lib.embedderId).toBe(embedderId);
    const target = extra[2];
    expect((await lib.search(target.title, { k: 1 }))[0].paper.id).toBe(target.id);

    const renamed = { ...listing[3], title: "Quokka: Marsupial Token Pruning", abstract: "Quokka prunes marsupial tokens." };
    await lib.add([renamed]);
    expect(lib.size).toBe(45);
    expect(lib.get(renamed.id)!.title).toBe(renamed.title);
    expect((await lib.search("quokka", { k: 1 }))[0].paper.id).toBe(renamed.id);
    expect(ids(await lib.search(listing[3].title, { k: 3, mode: "keyword" }))[0]).not.toBe(undefined);
    await lib.add([]);
    expect(lib.size).toBe(45);
  });

  it("suggests a rebuild once the library has outgrown the fitted lexical embedder", async () => {
    const said: string[] = [];
    const lib = await PaperLibrary.create(listing.slice(0, 20), { embedder: "lexical", onNotice: (m) => said.push(m) });
    await lib.add(listing.slice(20, 28));
    expect(said).toEqual([]);
    await lib.add(listing.slice(28, 40));
    await lib.add(listing.slice(40, 60));
    expect(said).toHaveLength(1);
    expect(said[0]).toMatch(/rebuild/i);
  });

  it("removes papers from search and related; unknown ids are an error", async () => {
    const lib = await PaperLibrary.create(listing, { embedder: "lexical" });
    const electra = byTitle("ELECTRA");
    await lib.remove(electra.id);
    expect(lib.size).toBe(listing.length - 1);
    expect(lib.get(electra.id)).toBeUndefined();
    expect(lib.vector(electra.id)).toBeUndefined();
    expect(ids(await lib.search("ELECTRA", { k: 10 }))).not.toContain(electra.id);
    expect(ids(await lib.related(listing[0].id, { k: 100 }))).not.toContain(electra.id);
    await expect(lib.related(electra.id)).rejects.toThrow(UnknownPaperError);
    await expect(lib.remove(electra.id)).rejects.toThrow(UnknownPaperError);
    await lib.add([electra]);
    expect((await lib.search("ELECTRA"))[0].paper.id).toBe(electra.id);
  });
});

describe("small libraries", () => {
  it("works with 0 papers: searches return nothing, papers can be added", async () => {
    const empty = await PaperLibrary.create([], { embedder: hashingEmbedder(16) });
    expect(empty.size).toBe(0);
    expect(await empty.search("anything")).toEqual([]);
    expect(await empty.search("anything", { mode: "keyword" })).toEqual([]);
    await expect(empty.related("x")).rejects.toThrow(UnknownPaperError);
    await empty.add(listing.slice(0, 3));
    expect((await empty.search(listing[1].title, { k: 1 }))[0].paper.id).toBe(listing[1].id);
    const lexicalEmpty = await PaperLibrary.create([], { embedder: "lexical" });
    expect(await lexicalEmpty.search("tokens")).toEqual([]);
  });

  it("works with 1 paper", async () => {
    const one = await PaperLibrary.create([listing[0]], { embedder: "lexical" });
    expect(one.size).toBe(1);
    expect(await one.related(listing[0].id)).toEqual([]);
    const hits = await one.search("masked autoregressive prediction", { k: 10 });
    expect(ids(hits)).toEqual([listing[0].id]);
    expectWellFormed(hits);
    const dir = path.join(tmp, "one");
    await one.save(dir);
    expect(ids(await (await PaperLibrary.open(dir)).search("masked autoregressive prediction"))).toEqual([listing[0].id]);
  });
});

describe("save and open", () => {
  it("re-opens a saved library that answers exactly as before", async () => {
    const dir = path.join(tmp, "saved");
    await library.save(dir);
    expect((await readdir(dir)).sort()).toEqual(
      [LIBRARY_MANIFEST, "embedder.json", "index", "keywords.bin", "keywords.json", "papers.json", "state.json"].sort(),
    );
    expect(await readdir(tmp)).not.toContain(".saved.lock"); // the lock is released
    const again = await PaperLibrary.open(dir);
    expect(again.size).toBe(library.size);
    expect(again.embedderId).toBe(library.embedderId);
    expect(again.papers()).toEqual(library.papers());
    expect(Array.from(again.vector(listing[7].id)!)).toEqual(Array.from(library.vector(listing[7].id)!));
    for (const q of ["visual token pruning", "ELECTRA", "speech codec tokens", "byte-level language models"]) {
      for (const mode of ["hybrid", "vector", "keyword"] as const) {
        expect(await again.search(q, { k: 10, mode })).toEqual(await library.search(q, { k: 10, mode }));
      }
    }
    for (const p of listing.slice(0, 10)) expect(await again.related(p.id, { k: 10 })).toEqual(await library.related(p.id, { k: 10 }));
    // and can be changed and saved over
    await again.remove(listing[0].id);
    await again.save(dir);
    expect((await PaperLibrary.open(dir)).size).toBe(listing.length - 1);
  });

  it("lists every file of the folder in the manifest with its length and SHA-256 (format version 2)", async () => {
    const dir = path.join(tmp, "manifest");
    await library.save(dir);
    const manifest = JSON.parse(await readFile(path.join(dir, LIBRARY_MANIFEST), "utf8"));
    expect(manifest.formatVersion).toBe(2);
    expect(LIBRARY_FORMAT_VERSION).toBe(2);
    const onDisk: Record<string, { bytes: number; sha256: string }> = {};
    const walk = async (d: string, prefix: string): Promise<void> => {
      for (const e of await readdir(d, { withFileTypes: true })) {
        if (e.isDirectory()) await walk(path.join(d, e.name), `${prefix}${e.name}/`);
        else if (`${prefix}${e.name}` !== LIBRARY_MANIFEST) {
          const bytes = await readFile(path.join(d, e.name));
          onDisk[`${prefix}${e.name}`] = { bytes: bytes.length, sha256: createHash("sha256").update(bytes).digest("hex") };
        }
      }
    };
    await walk(dir, "");
    expect(Object.keys(onDisk).sort()).toEqual([
      "embedder.json",
      "index/index.hnsw",
      "index/meta.json",
      "keywords.bin",
      "keywords.json",
      "papers.json",
      "state.json",
    ]);
    expect(manifest.files).toEqual(onDisk);
  });

  it("keeps the previous save usable when a save is interrupted", async () => {
    const dir = path.join(tmp, "interrupted");
    const small = await PaperLibrary.create(listing.slice(0, 10), { embedder: "lexical" });
    await small.save(dir);
    const before = await (await PaperLibrary.open(dir)).search("tokens", { k: 5 });
    for (const step of ["written", "backed-up"] as const) {
      const crash = new Error(`simulated crash after "${step}"`);
      await expect(
        library.save(dir, {
          onStep: (s) => {
            if (s === step) throw crash;
          },
        }),
      ).rejects.toBe(crash);
      const reopened = await PaperLibrary.open(dir);
      expect(reopened.size).toBe(10);
      expect(await reopened.search("tokens", { k: 5 })).toEqual(before);
    }
  });

  it("refuses to save over a folder that is not a library", async () => {
    const dir = path.join(tmp, "not-a-library");
    await rm(dir, { recursive: true, force: true });
    await (await import("node:fs/promises")).mkdir(dir);
    await writeFile(path.join(dir, "notes.txt"), "mine");
    await expect(library.save(dir)).rejects.toThrow(/not empty/);
    expect(await readFile(path.join(dir, "notes.txt"), "utf8")).toBe("mine");
  });

  it("reports a failed save in plain words, naming the folder, without temporary names or raw errno text", async () => {
    const file = path.join(tmp, "a-file");
    await writeFile(file, "not a folder");
    const dir = path.join(file, "lib");
    const error = await library.save(dir).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error).toBeInstanceOf(PapermapError);
    expect(error!.message).toContain(`Cannot save to "${dir}": a part of its path is a file, not a folder`);
    expect(error!.message).not.toMatch(/ENOTDIR|EEXIST|\.tmp-/);

    // A name whose temporary sibling (".<name>.tmp-XXXXXX") is too long for the file system:
    // the save fails inside the atomic swap, with a real errno error.
    const long = path.join(tmp, "L".repeat(246));
    const failed = await library.save(long).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(failed).toBeInstanceOf(PapermapError);
    expect(failed!.message).toMatch(/^Could not save the library to ".*L{246}": the path is too long\. The previous save, if any, is kept/);
    expect(failed!.message).not.toMatch(/ENAMETOOLONG|\.tmp-|mkdtemp/);
    expect((failed!.cause as NodeJS.ErrnoException).code).toBe("ENAMETOOLONG");
  });

  it("refuses another format version, another embedder, a damaged file, a non-library folder", async () => {
    const dir = path.join(tmp, "refusals");
    await library.save(dir);
    const manifestPath = path.join(dir, LIBRARY_MANIFEST);
    const manifest = JSON.parse(await readFile(manifestPath, "utf8"));

    await writeFile(manifestPath, JSON.stringify({ ...manifest, formatVersion: 99 }));
    await expect(PaperLibrary.open(dir)).rejects.toThrow(IncompatibleIndexError);
    await expect(PaperLibrary.open(dir)).rejects.toThrow(/format version 99.*PaperLibrary\.create/);
    await writeFile(manifestPath, JSON.stringify(manifest));

    await expect(PaperLibrary.open(dir, { embedder: hashingEmbedder(library.dimension) })).rejects.toThrow(/was built with embedder/);
    await expect(PaperLibrary.open(dir, { embedder: hashingEmbedder(16) })).rejects.toThrow(IncompatibleIndexError);
    // An embedder spec string (as create() takes) is not an embedder: say so, not "embedder undefined".
    const spec = { embedder: "lexical" } as unknown as OpenLibraryOptions;
    await expect(PaperLibrary.open(dir, spec)).rejects.toThrow(InvalidArgumentError);
    await expect(PaperLibrary.open(dir, spec)).rejects.toThrow(/must be an embedder object.*leave it out \(got "lexical"\)/);

    const papersPath = path.join(dir, "papers.json");
    const papersText = await readFile(papersPath, "utf8");
    await writeFile(papersPath, papersText.slice(0, 100));
    await expect(PaperLibrary.open(dir)).rejects.toThrow(/papers\.json.*damaged.*PaperLibrary\.create/);
    await writeFile(papersPath, JSON.stringify(JSON.parse(papersText).slice(1)));
    await expect(PaperLibrary.open(dir)).rejects.toThrow(IncompatibleIndexError);
    await writeFile(papersPath, papersText);
    expect((await PaperLibrary.open(dir)).size).toBe(library.size);

    const keywordPath = path.join(dir, "keywords.bin");
    const keywordData = await readFile(keywordPath);
    await writeFile(keywordPath, keywordData.subarray(0, keywordData.length - 10));
    await expect(PaperLibrary.open(dir)).rejects.toThrow(/keywords\.bin.*damaged/);
    await rm(keywordPath);
    await expect(PaperLibrary.open(dir)).rejects.toThrow(/no readable keywords\.bin/);
    await writeFile(keywordPath, keywordData);
    expect((await PaperLibrary.open(dir)).size).toBe(library.size);

    await expect(PaperLibrary.open(path.join(tmp, "nowhere"))).rejects.toThrow(/does not hold a saved papermap library/);
  });

  it("detects a flipped byte or two swapped titles in papers.json and the keyword files (same length, valid JSON)", async () => {
    const dir = path.join(tmp, "tampered");
    await library.save(dir);
    const restore: Array<[string, Buffer]> = [];
    for (const name of ["papers.json", "keywords.json", "keywords.bin", "embedder.json", "state.json", "index/meta.json"]) {
      restore.push([name, await readFile(path.join(dir, name))]);
    }
    const tamper = async (name: string, change: (b: Buffer) => Buffer, expected: RegExp) => {
      const file = path.join(dir, name);
      const original = await readFile(file);
      await writeFile(file, change(Buffer.from(original)));
      const error = await PaperLibrary.open(dir).then(
        () => undefined,
        (e: unknown) => e as Error,
      );
      await writeFile(file, original);
      expect(error, name).toBeInstanceOf(IncompatibleIndexError);
      expect(error!.message).toMatch(expected);
      expect(error!.message).toMatch(/restore the folder from a backup, or rebuild it/);
    };
    // Two titles swapped: still valid JSON of the same length, ids and counts unchanged.
    await tamper(
      "papers.json",
      (b) => {
        const papers = JSON.parse(b.toString("utf8")) as Paper[];
        [papers[3].title, papers[4].title] = [papers[4].title, papers[3].title];
        const out = Buffer.from(JSON.stringify(papers));
        expect(out.length).toBe(b.length);
        return out;
      },
      /papers\.json.*checksum/,
    );
    const flip = (at: number) => (b: Buffer) => {
      b[at] ^= 0x01;
      return b;
    };
    await tamper("keywords.bin", flip(100), /keywords\.bin.*checksum/);
    await tamper("keywords.json", (b) => Buffer.from(b.toString("utf8").replace("token", "tokem")), /keywords\.json.*checksum/);
    await tamper("embedder.json", flip(200), /embedder\.json/);
    await tamper(
      "index/meta.json",
      (b) => Buffer.from(b.toString("utf8").replace(listing[0].id, listing[0].id.replace(/.$/, "x"))),
      /index\/meta\.json/,
    );
    await tamper("index/index.hnsw", flip(5000), /index\/index\.hnsw.*checksum/);
    expect((await PaperLibrary.open(dir)).size).toBe(library.size);
    for (const [name, bytes] of restore) expect(await readFile(path.join(dir, name))).toEqual(bytes);
  });

  it("checks the envelope of state.json (even when its checksum is right)", async () => {
    const dir = path.join(tmp, "state");
    await library.save(dir);
    expect(JSON.parse(await readFile(path.join(dir, "state.json"), "utf8"))).toEqual({ collections: {}, themes: null });
    const manifestPath = path.join(dir, LIBRARY_MANIFEST);
    const manifest = JSON.parse(await readFile(manifestPath, "utf8"));
    const rewrite = async (text: string) => {
      await writeFile(path.join(dir, "state.json"), text);
      manifest.files["state.json"] = { bytes: Buffer.byteLength(text), sha256: createHash("sha256").update(text).digest("hex") };
      await writeFile(manifestPath, JSON.stringify(manifest));
    };
    await rewrite(JSON.stringify({ collections: [], themes: null }));
    await expect(PaperLibrary.open(dir)).rejects.toThrow(/state\.json.*collections/);
    await rewrite("[1,2]");
    await expect(PaperLibrary.open(dir)).rejects.toThrow(/state\.json.*not a JSON object/);
    // The themes section is checked by its owner (src/themes/living.ts).
    await rewrite(JSON.stringify({ collections: { liked: [listing[0].id] }, themes: { v: 1 } }));
    await expect(PaperLibrary.open(dir)).rejects.toThrow(/saved themes are damaged/);
    await rewrite(JSON.stringify({ collections: { liked: [listing[0].id] }, themes: null }));
    const reopened = await PaperLibrary.open(dir);
    expect((reopened as unknown as { state: unknown }).state).toEqual({ collections: { liked: [listing[0].id] }, themes: null });
    // The state is written again by the next save, within the same snapshot.
    const again = path.join(tmp, "state-again");
    await reopened.save(again);
    expect(JSON.parse(await readFile(path.join(again, "state.json"), "utf8"))).toEqual({
      collections: { liked: [listing[0].id] },
      themes: null,
    });
  });

  it("reads a version-1 library (older papermap, no checksums) and upgrades it on the next save", async () => {
    const dir = path.join(tmp, "v1");
    await cp(path.join(repoRoot, "test/fixtures/library-v1"), dir, { recursive: true });
    const seen: string[] = [];
    const old = await PaperLibrary.open(dir, { onNotice: (m) => seen.push(m) });
    expect(old.size).toBe(12);
    expect(old.papers().map((p) => p.id)).toEqual(listing.slice(0, 12).map((p) => p.id));
    expect(seen.join("\n")).toMatch(/format version 1.*save it again/);
    expect((await old.search("tokens", { k: 3 })).length).toBe(3);
    await old.save(dir);
    expect(JSON.parse(await readFile(path.join(dir, LIBRARY_MANIFEST), "utf8")).formatVersion).toBe(2);
    seen.length = 0;
    const upgraded = await PaperLibrary.open(dir, { onNotice: (m) => seen.push(m) });
    expect(seen).toEqual([]);
    expect(upgraded.papers()).toEqual(old.papers());
  });

  it("needs the same custom embedder to open a library built with one", async () => {
    const dir = path.join(tmp, "custom");
    const embedder = hashingEmbedder(24);
    const lib = await PaperLibrary.create(listing.slice(0, 20), { embedder });
    await lib.save(dir);
    await expect(PaperLibrary.open(dir)).rejects.toThrow(/custom embedder/);
    const again = await PaperLibrary.open(dir, { embedder: hashingEmbedder(24) });
    expect(await again.search("tokens", { k: 5 })).toEqual(await lib.search("tokens", { k: 5 }));
  });
});

describe("mutations and saves of one library are serialised", () => {
  const extra = (n: number, tag: string): Paper[] =>
    Array.from({ length: n }, (_, i) => ({
      id: `${tag}-${i}`,
      title: `Extra ${tag} paper ${i} on visual token pruning`,
      abstract: "Tokens.",
    }));

  it("a save started while add() is in flight writes the library with the added papers, and it opens", async () => {
    for (let t = 0; t < 5; t++) {
      const lib = await PaperLibrary.create(listing, { embedder: "lexical", onNotice: () => undefined });
      const dir = path.join(tmp, `inflight-add-${t}`);
      await lib.save(dir);
      const adding = lib.add(extra(60, `add${t}`));
      await lib.save(dir);
      await adding;
      const reopened = await PaperLibrary.open(dir, { onNotice: () => undefined });
      expect(reopened.size).toBe(listing.length + 60);
    }
  });

  it("remove() called while a save runs waits for it: the save holds the library as it was", async () => {
    for (let t = 0; t < 3; t++) {
      const lib = await PaperLibrary.create(listing, { embedder: "lexical", onNotice: () => undefined });
      const dir = path.join(tmp, `inflight-remove-${t}`);
      const saving = lib.save(dir);
      const removing = lib.remove(listing[t].id);
      await Promise.all([saving, removing]);
      expect(lib.size).toBe(listing.length - 1);
      const reopened = await PaperLibrary.open(dir);
      expect(reopened.size).toBe(listing.length);
      expect(reopened.get(listing[t].id)).toBeDefined();
      await lib.save(dir);
      expect((await PaperLibrary.open(dir)).get(listing[t].id)).toBeUndefined();
    }
  });

  it("a failed save does not block the queue", async () => {
    const lib = await PaperLibrary.create(listing.slice(0, 10), { embedder: "lexical" });
    const dir = path.join(tmp, "queue-after-failure");
    await expect(
      lib.save(dir, {
        onStep: () => {
          throw new Error("boom");
        },
      }),
    ).rejects.toThrow("boom");
    await lib.remove(listing[0].id);
    await lib.save(dir);
    expect((await PaperLibrary.open(dir)).size).toBe(9);
  });
});

describe("add() is all-or-nothing", () => {
  const many = Array.from({ length: 1500 }, (_, i) => ({
    id: `bulk-${i}`,
    title: `Bulk paper ${i} about zyxwquartz tokens`,
    abstract: `A synthetic abstract ${i}.`,
  }));

  for (const [label, fault] of [
    ["a NaN vector at paper 1,201 of 1,500", "nan"],
    ["a vector of the wrong dimension at paper 1,401", "dimension"],
    ["a null vector at paper 1,500", "null"],
    ["an embedder that throws", "throw"],
    ["too few vectors", "short"],
  ] as const) {
    it(`adds nothing on ${label}`, async () => {
      const base = hashingEmbedder(32, "test-failing");
      const failing: Embedder = {
        id: base.id,
        dimension: base.dimension,
        async embed(texts, options) {
          const vectors: Array<Float32Array | null> = await base.embed(texts, options);
          if (texts.length < 1000) return vectors as Float32Array[];
          if (fault === "throw") throw new Error("the model server went away");
          if (fault === "nan") vectors[1200]![3] = Number.NaN;
          if (fault === "dimension") vectors[1400] = new Float32Array(31);
          if (fault === "null") vectors[1499] = null;
          if (fault === "short") vectors.pop();
          return vectors as Float32Array[];
        },
      };
      const lib = await PaperLibrary.create(listing, { embedder: failing });
      const before = { size: lib.size, papers: lib.papers(), hits: await lib.search("visual token pruning", { k: 10 }) };
      await expect(lib.add(many)).rejects.toThrow(fault === "throw" ? /model server went away/ : /nothing was added/);
      expect(lib.size).toBe(before.size);
      expect(lib.papers()).toEqual(before.papers);
      expect(lib.get("bulk-0")).toBeUndefined();
      expect(lib.vector("bulk-0")).toBeUndefined();
      expect(await lib.search("zyxwquartz", { k: 5, mode: "keyword" })).toEqual([]);
      expect(await lib.search("visual token pruning", { k: 10 })).toEqual(before.hits);
      // and the library still saves and opens consistently
      const dir = path.join(tmp, `after-failed-add-${fault}`);
      await lib.save(dir);
      expect((await PaperLibrary.open(dir, { embedder: failing })).size).toBe(before.size);
    });
  }
});

describe("themes", () => {
  it("groups the papers into themes and assigns a copy of a paper to that paper's theme", async () => {
    const result = await library.themes();
    expect(result.themes.length).toBeGreaterThan(1);
    expect(result.assignments.size).toBe(library.size);
    expect(result.themes.reduce((s, t) => s + t.size, 0)).toBe(library.size);
    const p = byTitle("HiPrune");
    const twin = { ...p, id: "twin-of-hiprune" };
    const [assigned] = await library.assignTheme([twin]);
    expect(assigned.themeId).toBe(result.assignments.get(p.id)!.themeId);
    expect(await library.assignTheme([])).toEqual([]);
  });

  it("computes default themes when assignTheme comes first, and is deterministic", async () => {
    const lib = await PaperLibrary.create(listing, { embedder: "lexical" });
    const [a] = await lib.assignTheme([listing[0]]);
    const result = await library.themes();
    expect(a.themeId).toBe(result.assignments.get(listing[0].id)!.themeId);
    const again = await lib.themes();
    expect(again.themes.map((t) => [t.id, t.label, t.size])).toEqual(result.themes.map((t) => [t.id, t.label, t.size]));
  });
});

describe("neural embedder (generated tiny model)", () => {
  it("creates, searches, caches vectors and re-opens with the same model", async () => {
    const modelDir = await createTinyModel(await mkdtemp(path.join(tmp, "model-")));
    const cacheDir = path.join(tmp, "embedding-cache");
    const spec = { modelPath: modelDir, offline: true };
    const lib = await PaperLibrary.create(listing, { embedder: spec, cacheDir });
    expect(lib.embedderId).not.toMatch(/lexical/);
    expect((await readdir(cacheDir)).length).toBeGreaterThan(0);
    const hits = await lib.search("masked language model pre-training", { k: 5 });
    expect(hits).toHaveLength(5);
    expectWellFormed(hits);
    expect((await lib.search("ELECTRA"))[0].paper.title).toMatch(/^ELECTRA/);
    const dir = path.join(tmp, "neural");
    await lib.save(dir);
    const again = await PaperLibrary.open(dir);
    expect(again.embedderId).toBe(lib.embedderId);
    expect(await again.search("masked language model pre-training", { k: 5 })).toEqual(hits);
  });

  it("skips the cache with cacheDir: false", async () => {
    const modelDir = await createTinyModel(await mkdtemp(path.join(tmp, "model-")));
    const cacheDir = path.join(tmp, "unused-cache");
    const prev = process.env.PAPERMAP_CACHE_DIR;
    process.env.PAPERMAP_CACHE_DIR = cacheDir;
    try {
      await PaperLibrary.create(listing.slice(0, 5), { embedder: { modelPath: modelDir, offline: true }, cacheDir: false });
      await expect(readdir(cacheDir)).rejects.toThrow();
    } finally {
      if (prev === undefined) delete process.env.PAPERMAP_CACHE_DIR;
      else process.env.PAPERMAP_CACHE_DIR = prev;
    }
  });
});

describe("embedding cache", () => {
  it("caches a custom embedder only in a folder given explicitly; a second create embeds nothing", async () => {
    const home = path.join(tmp, "cache-home");
    const prev = process.env.PAPERMAP_CACHE_DIR;
    process.env.PAPERMAP_CACHE_DIR = home;
    try {
      const first = hashingEmbedder(16, "cache-test");
      await PaperLibrary.create(listing.slice(0, 10), { embedder: first });
      await expect(readdir(home)).rejects.toThrow(); // nothing written by default

      const cacheDir = path.join(tmp, "explicit-cache");
      const a = hashingEmbedder(16, "cache-test");
      await PaperLibrary.create(listing.slice(0, 10), { embedder: a, cacheDir });
      expect(a.calls).toBe(10);
      const b = hashingEmbedder(16, "cache-test");
      const again = await PaperLibrary.create(listing.slice(0, 10), { embedder: b, cacheDir });
      expect(b.calls).toBe(0);
      expect(again.size).toBe(10);
      await again.search("tokens");
      expect(b.calls).toBe(1); // queries are embedded, not cached
    } finally {
      if (prev === undefined) delete process.env.PAPERMAP_CACHE_DIR;
      else process.env.PAPERMAP_CACHE_DIR = prev;
    }
  });
});

describe("many papers", () => {
  it("holds 3,000 papers and answers search, related and filters through the HNSW graph", async () => {
    // (100,000 papers: `npm run bench:library` with BENCH_SECTIONS=synthetic.)
    const n = 3_000;
    const papers = syntheticPapers(n);
    const lib = await PaperLibrary.create(papers, { embedder: hashingEmbedder(16), index: { M: 6, efConstruction: 16 } });
    expect(lib.size).toBe(n);
    const hits = await lib.search("speech codec", { k: 10 });
    expect(hits).toHaveLength(10);
    expectWellFormed(hits);
    expect((await lib.search("p2337"))[0].paper.id).toBe("p2337");
    const related = await lib.related("p123", { k: 10, filter: { minUpvotes: 9 } });
    expect(related).toHaveLength(10);
    for (const h of related) expect(h.paper.upvotes).toBe(9);
    expect(ids(related)).not.toContain("p123");
  });
});
