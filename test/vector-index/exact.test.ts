import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InvalidArgumentError } from "../../src/errors.js";
import { FlatVectorStore, normalizeVector, TopK } from "../../src/vector-index/exact.js";
import { bruteForce, clusteredVectors } from "./fixtures/vectors.js";

describe("normalizeVector", () => {
  it("returns a unit-length Float32 copy", () => {
    const input = [3, 4];
    const out = normalizeVector(input, 2);
    expect(out).toBeInstanceOf(Float32Array);
    expect(out[0]).toBeCloseTo(0.6, 7);
    expect(out[1]).toBeCloseTo(0.8, 7);
    expect(input).toEqual([3, 4]);
  });
  it("leaves a zero vector at zero", () => {
    expect(Array.from(normalizeVector([0, 0, 0], 3))).toEqual([0, 0, 0]);
  });
  it("refuses wrong lengths, non-numbers and non-finite components", () => {
    expect(() => normalizeVector([1, 2], 3)).toThrow(InvalidArgumentError);
    expect(() => normalizeVector([1, Number.NaN, 2], 3)).toThrow(/position 1/);
    expect(() => normalizeVector([1, "2", 2] as unknown as number[], 3)).toThrow(/non-finite/);
    expect(() => normalizeVector(null as unknown as number[], 3)).toThrow(InvalidArgumentError);
  });
});

describe("TopK", () => {
  it("keeps the best k of any sequence, best first, ties by id", () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ id: fc.string({ maxLength: 3 }), similarity: fc.integer({ min: -5, max: 5 }) }), { maxLength: 60 }),
        fc.integer({ min: 0, max: 20 }),
        (hits, k) => {
          const top = new TopK(k);
          for (const h of hits) top.offer(h);
          const expected = [...hits]
            .sort((a, b) => b.similarity - a.similarity || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
            .slice(0, k);
          expect(top.result()).toEqual(expected);
        },
      ),
    );
  });
});

describe("FlatVectorStore", () => {
  const dim = 10;

  it("searches exactly, through sets, replacements and deletions", () => {
    const store = new FlatVectorStore(dim, 2);
    const items = new Map<string, Float32Array>();
    const vectors = clusteredVectors(200, dim, 3);
    vectors.forEach((v, i) => {
      store.set(`v${i}`, v);
      items.set(`v${i}`, v);
    });
    for (let i = 0; i < 200; i += 4) {
      expect(store.delete(`v${i}`)).toBe(true);
      items.delete(`v${i}`);
    }
    expect(store.delete("v0")).toBe(false);
    const replacements = clusteredVectors(10, dim, 4);
    replacements.forEach((v, i) => {
      store.set(`v${i * 2 + 1}`, v);
      items.set(`v${i * 2 + 1}`, v);
    });
    expect(store.size).toBe(items.size);
    expect(new Set(store.ids())).toEqual(new Set(items.keys()));
    for (const q of clusteredVectors(10, dim, 5)) {
      const got = store.search(q, 7);
      const want = bruteForce(items, q, 7);
      expect(got.map((h) => h.id)).toEqual(want.map((h) => h.id));
      got.forEach((h, i) => expect(h.similarity).toBeCloseTo(want[i].similarity, 5));
      const odd = (id: string) => Number(id.slice(1)) % 2 === 1;
      expect(store.search(q, 7, odd).map((h) => h.id)).toEqual(bruteForce(items, q, 7, odd).map((h) => h.id));
    }
    expect(store.get("v3")).toEqual(items.get("v3"));
    expect(store.get("v0")).toBeUndefined();
    expect(store.similarity("v3", items.get("v3") as Float32Array)).toBeCloseTo(1, 6);
  });

  it("lets a filter's exception propagate", () => {
    const store = new FlatVectorStore(2);
    store.set("a", Float32Array.of(1, 0));
    expect(() =>
      store.search(Float32Array.of(1, 0), 1, () => {
        throw new Error("nope");
      }),
    ).toThrow("nope");
  });
});
