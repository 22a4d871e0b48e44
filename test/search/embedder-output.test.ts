import { describe, expect, it } from "vitest";
import type { Embedder, EmbedOptions } from "../../src/embed/types.js";
import { InvalidArgumentError } from "../../src/errors.js";
import { PaperLibrary } from "../../src/library.js";
import type { Paper } from "../../src/paper.js";

const PAPERS: Paper[] = [
  { id: "a", title: "Speech codec", abstract: "A neural speech codec for low bitrates." },
  { id: "b", title: "Token pruning", abstract: "Pruning visual tokens in vision language models." },
  { id: "c", title: "Robot control", abstract: "Policy learning for robot arms." },
];

/** Words → fixed unit vectors in 3 dimensions; `query` decides what a query gets back. */
function embedder(query: (texts: readonly string[]) => unknown, document?: (texts: readonly string[]) => unknown): Embedder {
  const axis = (t: string) => (/speech/i.test(t) ? [1, 0, 0] : /token/i.test(t) ? [0, 1, 0] : [0, 0, 1]);
  return {
    id: "test-axes",
    dimension: 3,
    async embed(texts: readonly string[], options: EmbedOptions = {}) {
      if (options.kind === "query") return query(texts) as Float32Array[];
      if (document) return document(texts) as Float32Array[];
      return texts.map((t) => Float32Array.from(axis(t)));
    },
  };
}

async function libraryWith(e: Embedder): Promise<PaperLibrary> {
  return PaperLibrary.create(PAPERS, { embedder: e, cacheDir: false, onNotice: () => undefined });
}

describe("a custom embedder's query vectors are checked like document vectors", () => {
  it("scales an unnormalised query vector to unit length: similarities stay within [-1, 1]", async () => {
    const lib = await libraryWith(embedder((t) => t.map(() => [23, 0, 0])));
    const hits = await lib.search("speech", { k: 3, mode: "vector" });
    expect(hits[0].paper.id).toBe("a");
    expect(hits[0].similarity).toBeCloseTo(1, 6);
    for (const h of hits) {
      expect(h.similarity).toBeLessThanOrEqual(1);
      expect(h.score).toBeLessThanOrEqual(1);
    }
    const hybrid = await lib.search("speech codec", { k: 3 });
    for (const h of hybrid) expect(Math.abs(h.similarity)).toBeLessThanOrEqual(1 + 1e-6);
  });

  it("refuses a query vector of the wrong dimension, naming the embedder and both dimensions", async () => {
    const lib = await libraryWith(embedder((t) => t.map(() => new Float32Array([1, 0]))));
    const error = await lib.search("speech").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as Error).message).toMatch(/"test-axes".*2 components.*dimension 3/);
  });

  it.each([
    ["null instead of an array", () => null, /returned null for the query/],
    ["an empty array", () => [], /returned 0 vector\(s\) for the query/],
    ["null as the vector", () => [null], /returned null as the vector of the query/],
    ["a NaN component", () => [[0, Number.NaN, 1]], /non-finite component \(NaN\) at position 1/],
    ["a string", () => "vector", /returned a string for the query/],
  ])("refuses %s with a clear error, not a TypeError", async (_, output, message) => {
    const lib = await libraryWith(embedder(output));
    const error = await lib.search("speech").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).toMatch(/embed\(\) must resolve to an array holding one vector of 3 finite numbers per text/);
  });

  it("the same check applies to document vectors when the library is created", async () => {
    const nulls = PaperLibrary.create(PAPERS, {
      embedder: embedder(
        (t) => t,
        () => null,
      ),
      cacheDir: false,
    });
    await expect(nulls).rejects.toThrow(/"test-axes" returned null for the 3 documents/);
    const short = PaperLibrary.create(PAPERS, {
      embedder: embedder(
        (t) => t,
        (t) => t.map(() => [1, 0]),
      ),
      cacheDir: false,
    });
    await expect(short).rejects.toThrow(/2 components for document 1 of 3, but it declares dimension 3/);
    const fewer = PaperLibrary.create(PAPERS, {
      embedder: embedder(
        (t) => t,
        () => [[1, 0, 0]],
      ),
      cacheDir: false,
    });
    await expect(fewer).rejects.toThrow(/returned 1 vector\(s\) for the 3 documents/);
  });

  it("an all-zero query vector (no known word) finds nothing by vector, but keywords still work", async () => {
    const lib = await libraryWith(embedder((t) => t.map(() => [0, 0, 0])));
    expect(await lib.search("speech", { mode: "vector" })).toEqual([]);
    const hits = await lib.search("speech", { mode: "hybrid" });
    expect(hits[0].paper.id).toBe("a");
  });
});
