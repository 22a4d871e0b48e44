import fc from "fast-check";
import hnswlib from "hnswlib-node";
import { describe, expect, it } from "vitest";
import { InvalidArgumentError } from "../../src/errors.js";
import { FlatVectorStore, normalizeLikeHnswlib, normalizeVector, toFloat32, TopK } from "../../src/vector-index/exact.js";
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

describe("toFloat32", () => {
  it("rounds to 32-bit floats and refuses values that overflow them", () => {
    expect(Array.from(toFloat32([0.1, 2], 2))).toEqual([Math.fround(0.1), 2]);
    expect(() => toFloat32([1e39, 0], 2)).toThrow(/32-bit float/);
    expect(() => toFloat32([1, 2, 3], 2)).toThrow(InvalidArgumentError);
  });
});

describe("normalizeLikeHnswlib", () => {
  // Compilers that fuse multiply-adds (typical on arm64) may round differently; the index
  // checks this at run time and falls back to reading vectors back from hnswlib.
  it.runIf(process.arch === "x64")("reproduces hnswlib's stored (normalised) vector bit for bit", () => {
    fc.assert(
      fc.property(
        fc.array(fc.float({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }), { minLength: 1, maxLength: 64 }),
        (values) => {
          const native = new hnswlib.HierarchicalNSW("cosine", values.length);
          native.initIndex(1);
          native.addPoint(values, 0);
          expect(Array.from(normalizeLikeHnswlib(Float32Array.from(values)))).toEqual(native.getPoint(0).map(Math.fround));
        },
      ),
      { numRuns: 200 },
    );
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
          const expected = [...hits].sort((a, b) => b.similarity - a.similarity || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).slice(0, k);
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
      const rows = store.rowsWhere(odd);
      expect(rows.length).toBe([...items.keys()].filter(odd).length);
      expect(store.search(q, 7, rows).map((h) => h.id)).toEqual(bruteForce(items, q, 7, odd).map((h) => h.id));
    }
    expect(store.get("v3")).toEqual(items.get("v3"));
    expect(store.get("v0")).toBeUndefined();
    expect(store.similarity("v3", items.get("v3") as Float32Array)).toBeCloseTo(1, 6);
  });

  it("lets a filter's exception propagate", () => {
    const store = new FlatVectorStore(2);
    store.set("a", Float32Array.of(1, 0));
    expect(() =>
      store.rowsWhere(() => {
        throw new Error("nope");
      }),
    ).toThrow("nope");
  });

  it("keeps each row's tag through growth and deletions", () => {
    const store = new FlatVectorStore(2, 1);
    for (let i = 0; i < 20; i++) store.set(`t${i}`, Float32Array.of(1, 0), 1000 + i);
    store.delete("t0");
    store.delete("t7");
    store.set("t3", Float32Array.of(0, 1), 4_000_000_000);
    for (let row = 0; row < store.size; row++) {
      const id = store.idAt(row);
      expect(store.tagAt(row)).toBe(id === "t3" ? 4_000_000_000 : 1000 + Number(id.slice(1)));
    }
    expect(store.tagOf("t7")).toBeUndefined();
  });
});
