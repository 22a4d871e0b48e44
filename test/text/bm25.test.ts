import { describe, expect, it } from "vitest";
import { pluralStem } from "../../src/text/analyze.js";
import { analyzeForBm25, Bm25Index } from "../../src/text/bm25.js";

function tiny(): Bm25Index {
  // titleWeight 1 so the numbers below can be checked by hand.
  const index = new Bm25Index({ titleWeight: 1 });
  index.add("d1", { title: "apple", abstract: "banana" });
  index.add("d2", { title: "apple apple", abstract: "cherry" });
  index.add("d3", { title: "durian", abstract: "" });
  return index;
}

describe("pluralStem / analyzeForBm25", () => {
  it("reduces plurals and keeps words that only look plural", () => {
    expect(pluralStem("tokens")).toBe("token");
    expect(pluralStem("queries")).toBe("query");
    expect(pluralStem("patches")).toBe("patch");
    expect(pluralStem("processes")).toBe("process");
    expect(pluralStem("responses")).toBe("response");
    expect(pluralStem("analysis")).toBe("analysis");
    expect(pluralStem("focus")).toBe("focus");
    expect(pluralStem("class")).toBe("class");
    expect(pluralStem("bias")).toBe("bias");
    expect(pluralStem("gpt-4s")).toBe("gpt-4s");
  });

  it("indexes a hyphenated word whole and by its parts", () => {
    const terms = analyzeForBm25("Vision-Language models").map((t) => t.term);
    expect(terms).toEqual(["vision-language", "vision", "language", "model"]);
  });
});

describe("Bm25Index", () => {
  it("scores a hand-checked corpus (Lucene idf, k1 = 1.2, b = 0.75)", () => {
    const index = tiny();
    expect(index.averageLength).toBe(2);
    const hits = index.search("apple", { k: 10 });
    // idf = ln(1 + (3 − 2 + 0.5) / (2 + 0.5)) = ln 1.6
    const idf = Math.log(1.6);
    // d2: tf 2, length 3 → 2·2.2 / (2 + 1.2·(0.25 + 0.75·1.5)) = 4.4 / 3.65
    // d1: tf 1, length 2 → 1·2.2 / (1 + 1.2·1) = 1
    expect(hits.map((h) => h.id)).toEqual(["d2", "d1"]);
    expect(hits[0].score).toBeCloseTo(idf * (4.4 / 3.65), 10);
    expect(hits[1].score).toBeCloseTo(idf, 10);
    expect(hits[0].matchedTerms).toEqual(["apple"]);
    expect(index.maxScore("apple")).toBeCloseTo(idf * 2.2, 10);
  });

  it("returns nothing for stopword-only or unknown queries and k = 0", () => {
    const index = tiny();
    expect(index.search("the of and", { k: 5 })).toEqual([]);
    expect(index.search("zebra", { k: 5 })).toEqual([]);
    expect(index.search("apple", { k: 0 })).toEqual([]);
    expect(new Bm25Index().search("apple", { k: 3 })).toEqual([]);
  });

  it("matches plural and singular, and hyphenated words by their parts", () => {
    const index = new Bm25Index();
    index.add("a", { title: "Visual token pruning", abstract: "We prune vision-language tokens." });
    index.add("b", { title: "Speech synthesis", abstract: "A vocoder for speech." });
    expect(index.search("tokens", { k: 5 }).map((h) => h.id)).toEqual(["a"]);
    const hits = index.search("vision language", { k: 5 });
    expect(hits.map((h) => h.id)).toEqual(["a"]);
    expect(hits[0].matchedTerms).toEqual(["vision", "language"]);
  });

  it("updates statistics incrementally on remove and on re-add of an id", () => {
    const index = tiny();
    expect(index.remove("d2")).toBe(true);
    expect(index.remove("d2")).toBe(false);
    expect(index.size).toBe(2);
    // N = 2, df(apple) = 1 → idf = ln(1 + 1.5 / 1.5) = ln 2; avg length (2 + 1) / 2 = 1.5
    const [hit] = index.search("apple", { k: 5 });
    expect(hit.id).toBe("d1");
    expect(hit.score).toBeCloseTo(Math.log(2) * (2.2 / (1 + 1.2 * (0.25 + 0.75 * (2 / 1.5)))), 10);
    index.add("d1", { title: "cherry", abstract: "cherry" });
    expect(index.size).toBe(2);
    expect(index.search("apple", { k: 5 })).toEqual([]);
    expect(index.search("cherry", { k: 5 }).map((h) => h.id)).toEqual(["d1"]);
  });

  it("after many removals (compaction) scores equal those of a fresh index", () => {
    const words = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa"];
    const text = (i: number) => Array.from({ length: 6 }, (_, j) => words[(i * 7 + j * j + i * j) % words.length]).join(" ");
    const big = new Bm25Index();
    for (let i = 0; i < 300; i++) big.add(`p${i}`, { title: text(i + 1), abstract: text(i * 3) });
    for (let i = 0; i < 300; i += 1) if (i % 5 !== 0) big.remove(`p${i}`);
    const fresh = new Bm25Index();
    for (let i = 0; i < 300; i += 5) fresh.add(`p${i}`, { title: text(i + 1), abstract: text(i * 3) });
    expect(big.size).toBe(fresh.size);
    for (const q of ["alpha beta", "kappa", "gamma delta epsilon"]) {
      const a = big.search(q, { k: 20 });
      const b = fresh.search(q, { k: 20 });
      expect(a.map((h) => h.id)).toEqual(b.map((h) => h.id));
      a.forEach((h, i) => expect(h.score).toBeCloseTo(b[i].score, 9));
    }
  });

  it("applies a filter and caps at k", () => {
    const index = tiny();
    expect(index.search("apple", { k: 1 }).map((h) => h.id)).toEqual(["d2"]);
    expect(index.search("apple", { k: 5, filter: (id) => id !== "d2" }).map((h) => h.id)).toEqual(["d1"]);
  });

  it("scores chosen documents and reports shared terms", () => {
    const index = tiny();
    const scored = index.score("apple cherry", ["d1", "d2", "d3", "nope"]);
    expect([...scored.keys()]).toEqual(["d1", "d2", "d3"]);
    expect(scored.get("d3")!.score).toBe(0);
    expect(scored.get("d2")!.matchedTerms).toEqual(["apple", "cherry"]);
    const searched = index.search("apple cherry", { k: 3 });
    for (const h of searched) expect(scored.get(h.id)!.score).toBeCloseTo(h.score, 12);
  });

  it("finds the papers whose title contains a term", () => {
    const index = new Bm25Index();
    index.add("e", { title: "ELECTRA: Pre-training Text Encoders as Discriminators", abstract: "Masked language modeling." });
    index.add("m", { title: "Masked autoencoders", abstract: "Unlike ELECTRA, we reconstruct pixels." });
    expect(index.titleMatches("electra")).toEqual(["e"]);
    expect(index.documentFrequency("electra")).toBe(2);
    expect(index.titleMatches("unknown")).toEqual([]);
  });

  it("turns a document into a query of its shared characteristic terms", () => {
    const index = new Bm25Index();
    index.add("a", {
      title: "Token pruning for vision transformers",
      abstract: "We prune redundant visual tokens, saving compute. Zygomorphic.",
    });
    index.add("b", { title: "Token merging", abstract: "Merging visual tokens in vision transformers." });
    index.add("c", { title: "Speech codecs", abstract: "Neural audio codecs." });
    const q = index.documentQuery("a")!;
    const terms = q.terms.map((t) => t.term);
    expect(terms).not.toContain("zygomorphic"); // only in this paper: cannot relate it to another
    expect(terms).toEqual(expect.arrayContaining(["token", "vision", "transformer", "visual"]));
    expect(Math.max(...q.terms.map((t) => t.weight))).toBe(1);
    expect(index.search(q, { k: 3, filter: (id) => id !== "a" }).map((h) => h.id)).toEqual(["b"]);
    expect(index.documentQuery("missing")).toBeUndefined();
  });

  it("round-trips through the binary form, and keeps working (add, remove, search) after loading", () => {
    const index = tiny();
    index.add("d4", { title: "Banana split", abstract: "apple banana cherry" });
    index.remove("d3");
    const { header, body } = index.toBinary();
    const again = Bm25Index.fromBinary(JSON.parse(JSON.stringify(header)), Buffer.from(body));
    for (const q of ["apple", "banana cherry", "split"]) expect(again.search(q, { k: 5 })).toEqual(index.search(q, { k: 5 }));
    expect(again.documentQuery("d4")).toEqual(index.documentQuery("d4"));
    for (const x of [index, again]) {
      x.add("d5", { title: "Durian apple", abstract: "durian" });
      x.remove("d1");
    }
    for (const q of ["apple", "durian", "banana"]) expect(again.search(q, { k: 5 })).toEqual(index.search(q, { k: 5 }));
    expect(() => Bm25Index.fromBinary(header, body.subarray(0, body.length - 1))).toThrow(/damaged/);
    const bad = Uint8Array.from(body);
    new Int32Array(bad.buffer, 0, 1)[0] = 5; // offsets must start at 0
    expect(() => Bm25Index.fromBinary(header, bad)).toThrow(/damaged/);
    expect(() => Bm25Index.fromBinary({ ...header, version: 2 }, body)).toThrow(/not a papermap BM25 header/);
  });
});
