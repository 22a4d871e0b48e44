import { describe, expect, it } from "vitest";
import { TfidfModel } from "../../src/text/tfidf.js";

// A corpus small enough to check by hand:
//   d0 = apple apple banana,  d1 = banana cherry,  d2 = cherry
// df: apple 1, banana 2, cherry 2;  N = 3.
const corpus = [["apple", "banana", "apple"], ["banana", "cherry"], ["cherry"]];
const ln = Math.log;

function dense(model: TfidfModel, terms: string[]): Record<string, number> {
  const row = model.vector(terms);
  const out: Record<string, number> = {};
  row.indices.forEach((i, k) => (out[model.terms[i]] = row.values[k]));
  return out;
}

describe("TfidfModel", () => {
  it("learns a sorted vocabulary and smooth idf ln((1+N)/(1+df)) + 1", () => {
    const m = TfidfModel.fit(corpus);
    expect(m.terms).toEqual(["apple", "banana", "cherry"]);
    expect(m.idf[0]).toBeCloseTo(ln(4 / 2) + 1, 12); // 1.693147
    expect(m.idf[1]).toBeCloseTo(ln(4 / 3) + 1, 12); // 1.287682
    expect(m.idf[2]).toBeCloseTo(ln(4 / 3) + 1, 12);
  });

  it("weights sublinear tf × idf and scales to unit length", () => {
    const m = TfidfModel.fit(corpus);
    // apple: (1 + ln 2) · 1.693147 = 2.866747; banana: 1 · 1.287682; norm 3.142668
    const v = dense(m, corpus[0]);
    expect(v.apple).toBeCloseTo(0.9122016, 6);
    expect(v.banana).toBeCloseTo(0.4097416, 6);
    expect(v.cherry).toBeUndefined();
    const d1 = dense(m, corpus[1]);
    expect(d1.banana).toBeCloseTo(Math.SQRT1_2, 12);
    expect(d1.cherry).toBeCloseTo(Math.SQRT1_2, 12);
  });

  it("supports raw counts, BM25 saturation and BM25 idf", () => {
    const raw = TfidfModel.fit(corpus, { tf: "raw" });
    const v = dense(raw, corpus[0]);
    expect(v.apple).toBeCloseTo(0.934702, 6); // 2 · 1.693147 vs 1.287682
    expect(v.banana).toBeCloseTo(0.3554325, 6);

    const bm = TfidfModel.fit(corpus, { tf: "bm25", idf: "bm25", normalize: false });
    expect(bm.averageLength).toBeCloseTo(2, 12); // (3 + 2 + 1) / 3
    expect(bm.idf[0]).toBeCloseTo(ln(1 + 2.5 / 1.5), 12); // 0.980829
    expect(bm.idf[1]).toBeCloseTo(ln(1 + 1.5 / 2.5), 12); // 0.470004
    // d0 has length 3: K = 1.2 · (0.25 + 0.75 · 3/2) = 1.65; tf(apple) = 2 · 2.2 / 3.65
    const b = dense(bm, corpus[0]);
    expect(b.apple).toBeCloseTo(((2 * 2.2) / 3.65) * ln(1 + 2.5 / 1.5), 9);
    expect(b.banana).toBeCloseTo(((1 * 2.2) / 2.65) * ln(1 + 1.5 / 2.5), 9);
  });

  it("prunes by document frequency (counts, fractions) and by feature count", () => {
    expect(TfidfModel.fit(corpus, { minDf: 2 }).terms).toEqual(["banana", "cherry"]);
    expect(TfidfModel.fit(corpus, { minDf: 0.5 }).terms).toEqual(["banana", "cherry"]); // ⌈1.5⌉ = 2 documents
    expect(TfidfModel.fit(corpus, { maxDf: 0.5 }).terms).toEqual(["apple"]);
    // Highest df first; ties broken alphabetically.
    expect(TfidfModel.fit(corpus, { maxFeatures: 1 }).terms).toEqual(["banana"]);
  });

  it("ignores unknown terms; a text of unknown terms is the empty vector", () => {
    const m = TfidfModel.fit(corpus);
    expect(dense(m, ["durian", "cherry"])).toEqual({ cherry: 1 });
    const empty = m.vector(["durian"]);
    expect(empty.indices.length).toBe(0);
  });

  it("applies per-term weights as fractional counts", () => {
    const m = TfidfModel.fit(corpus);
    // Weighting "apple" 2 is the same as writing it twice.
    expect(dense(m, ["apple", "banana"])).not.toEqual(dense(m, corpus[0]));
    const w = m.vector(["apple", "banana"], [2, 1]);
    const twice = m.vector(corpus[0]);
    expect(Array.from(w.values)).toEqual(Array.from(twice.values));
  });

  it("transform stacks document vectors as CSR rows", () => {
    const m = TfidfModel.fit(corpus);
    const x = m.transform(corpus);
    expect(x.rows).toBe(3);
    expect(x.cols).toBe(3);
    expect(x.nnz).toBe(5);
    expect(x.get(2, 2)).toBe(1);
    expect(x.get(2, 0)).toBe(0);
  });

  it("round-trips through its state", () => {
    const m = TfidfModel.fit(corpus, { tf: "bm25", minDf: 1 });
    const again = TfidfModel.fromState(JSON.parse(JSON.stringify(m.toState())));
    expect(Array.from(again.vector(corpus[0]).values)).toEqual(Array.from(m.vector(corpus[0]).values));
  });

  it("fits an empty corpus to an empty vocabulary", () => {
    const m = TfidfModel.fit([]);
    expect(m.terms).toEqual([]);
    expect(m.vector(["a"]).indices.length).toBe(0);
  });
});
