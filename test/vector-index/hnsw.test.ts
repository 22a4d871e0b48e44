import { execFile } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, stat, truncate, unlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import hnswlib from "hnswlib-node";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { IncompatibleIndexError, InvalidArgumentError, PapermapError } from "../../src/errors.js";
import { HnswIndex, HNSW_DEFAULTS, INDEX_FILE, META_FILE } from "../../src/vector-index/hnsw.js";
import { bruteForce, clusteredVectors } from "./fixtures/vectors.js";

const run = promisify(execFile);
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

let tmp: string;
beforeEach(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), "papermap-hnsw-"));
});
afterEach(async () => {
  await rm(tmp, { recursive: true, force: true });
});

const DIM = 24;

/** Both search paths: the exact scan (small index) and the graph (exactThreshold 0). */
const MODES = [
  { name: "exact scan", options: {} },
  { name: "graph", options: { exactThreshold: 0 } },
] as const;

function build(n: number, options: Partial<Parameters<typeof HnswIndex.create>[0]> = {}, seed = 1) {
  const vectors = clusteredVectors(n, DIM, seed);
  const index = HnswIndex.create({ dimension: DIM, embedderId: "test-embedder", ...options });
  const items = new Map<string, Float32Array>();
  vectors.forEach((v, i) => {
    index.add(`p${i}`, v);
    items.set(`p${i}`, v);
  });
  return { index, items, queries: clusteredVectors(20, DIM, seed + 1000) };
}

function expectSameHits(actual: { id: string; similarity: number }[], expected: { id: string; similarity: number }[]) {
  expect(actual.map((h) => h.id)).toEqual(expected.map((h) => h.id));
  actual.forEach((h, i) => expect(h.similarity).toBeCloseTo(expected[i].similarity, 5));
}

describe("HnswIndex: search", () => {
  it("returns [] on an empty index", async () => {
    const index = HnswIndex.create({ dimension: DIM, embedderId: "e" });
    expect(index.size).toBe(0);
    expect(index.ids()).toEqual([]);
    expect(await index.search(new Float32Array(DIM).fill(1), { k: 5 })).toEqual([]);
    const graph = HnswIndex.create({ dimension: DIM, embedderId: "e", exactThreshold: 0 });
    expect(await graph.search(new Float32Array(DIM).fill(1), { k: 5 })).toEqual([]);
  });

  it("equals an exact search on small inputs (exact scan below the threshold)", async () => {
    const { index, items, queries } = build(300);
    expect(index.size).toBeLessThanOrEqual(index.exactThreshold);
    for (const q of queries) expectSameHits(await index.search(q, { k: 10 }), bruteForce(items, q, 10));
  });

  it("equals an exact search on small inputs through the graph when ef covers the index", async () => {
    const { index, items, queries } = build(300, { exactThreshold: 0, ef: 300 });
    for (const q of queries) expectSameHits(await index.search(q, { k: 10 }), bruteForce(items, q, 10));
  });

  it("finds the true neighbours through the graph at its default ef (recall ≥ 0.95 on 2,000 vectors)", async () => {
    const { index, items, queries } = build(2000, { exactThreshold: 0 });
    let found = 0;
    for (const q of queries) {
      const truth = new Set(bruteForce(items, q, 10).map((h) => h.id));
      found += (await index.search(q, { k: 10 })).filter((h) => truth.has(h.id)).length;
    }
    expect(found / (10 * queries.length)).toBeGreaterThanOrEqual(0.95);
  });

  it("reports similarity = 1 − cosine distance, best first, in [-1, 1]", async () => {
    const index = HnswIndex.create({ dimension: 3, embedderId: "e", exactThreshold: 0 });
    index.add("x", [1, 0, 0]);
    index.add("y", [0, 1, 0]);
    index.add("minus-x", [-2, 0, 0]);
    index.add("diag", [1, 1, 0]);
    const hits = await index.search([1, 0, 0], { k: 4 });
    expect(hits.map((h) => h.id)).toEqual(["x", "diag", "y", "minus-x"]);
    expect(hits[0].similarity).toBeCloseTo(1, 6);
    expect(hits[1].similarity).toBeCloseTo(Math.SQRT1_2, 6);
    expect(hits[2].similarity).toBeCloseTo(0, 6);
    expect(hits[3].similarity).toBeCloseTo(-1, 6);
  });

  for (const mode of MODES) {
    it(`returns every live item, sorted, when k exceeds the size (${mode.name})`, async () => {
      const { index, items, queries } = build(40, mode.options);
      index.remove("p3");
      items.delete("p3");
      const hits = await index.search(queries[0], { k: 1000 });
      expect(hits).toHaveLength(39);
      expectSameHits(hits, bruteForce(items, queries[0], 1000));
    });

    it(`allows zero vectors, similar to nothing (${mode.name})`, async () => {
      const { index, queries } = build(30, mode.options);
      index.add("zero", new Float32Array(DIM));
      const hits = await index.search(queries[0], { k: 100 });
      expect(hits.find((h) => h.id === "zero")?.similarity).toBe(0);
      const fromZero = await index.search(new Float32Array(DIM), { k: 5 });
      expect(fromZero).toHaveLength(5);
      for (const h of fromZero) expect(h.similarity).toBe(0);
    });
  }

  it("refuses bad queries with InvalidArgumentError", async () => {
    const { index } = build(10);
    await expect(index.search(new Float32Array(DIM + 1), { k: 3 })).rejects.toThrow(InvalidArgumentError);
    await expect(index.search(new Float32Array(DIM).fill(Number.NaN), { k: 3 })).rejects.toThrow(/non-finite/);
    await expect(index.search(new Float32Array(DIM), { k: 0 })).rejects.toThrow(/k must be/);
    await expect(index.search(new Float32Array(DIM), { k: 2.5 })).rejects.toThrow(InvalidArgumentError);
    expect(() => index.add("bad", [1, 2])).toThrow(/2 components/);
    expect(() => HnswIndex.create({ dimension: 0, embedderId: "e" })).toThrow(InvalidArgumentError);
    expect(() => HnswIndex.create({ dimension: 3, embedderId: "" })).toThrow(InvalidArgumentError);
  });
});

describe("HnswIndex: add, remove, update, re-add", () => {
  for (const mode of MODES) {
    it(`keeps search exact through removes, updates and re-adds (${mode.name})`, async () => {
      const { index, items, queries } = build(120, { ...mode.options, ef: 200 });
      const fresh = clusteredVectors(30, DIM, 99);

      for (let i = 0; i < 30; i += 3) {
        expect(index.remove(`p${i}`)).toBe(true);
        items.delete(`p${i}`);
      }
      expect(index.remove("p0")).toBe(false);
      expect(index.remove("never-added")).toBe(false);
      expect(index.size).toBe(110);
      expect(index.has("p0")).toBe(false);
      expect(index.get("p0")).toBeUndefined();
      expect(index.ids()).not.toContain("p0");

      // Update live ids in place.
      for (let i = 1; i < 10; i += 3) {
        index.add(`p${i}`, fresh[i]);
        items.set(`p${i}`, fresh[i]);
      }
      // Re-add removed ids with new vectors.
      for (let i = 0; i < 9; i += 3) {
        index.add(`p${i}`, fresh[i + 10]);
        items.set(`p${i}`, fresh[i + 10]);
      }
      expect(index.size).toBe(items.size);
      expect(new Set(index.ids())).toEqual(new Set(items.keys()));
      for (const q of [...queries, fresh[1], fresh[10]]) {
        expectSameHits(await index.search(q, { k: 10 }), bruteForce(items, q, 10));
      }
      // An updated or re-added id is found by its new vector.
      expect((await index.search(fresh[4], { k: 1 }))[0]).toMatchObject({ id: "p4" });
      expect((await index.search(fresh[13], { k: 1 }))[0]).toMatchObject({ id: "p3" });
    });
  }

  it("reuses deleted slots instead of growing", async () => {
    const { index } = build(64, { capacity: 64, exactThreshold: 0 });
    expect(index.capacity).toBe(64);
    for (let i = 0; i < 16; i++) index.remove(`p${i}`);
    const fresh = clusteredVectors(16, DIM, 5);
    fresh.forEach((v, i) => index.add(`new${i}`, v));
    expect(index.size).toBe(64);
    expect(index.capacity).toBe(64);
    index.add("one-more", fresh[0]);
    expect(index.capacity).toBe(128);
  });

  it("grows automatically past its initial capacity", async () => {
    const { index, items, queries } = build(500, { capacity: 4, exactThreshold: 0, ef: 500 });
    expect(index.capacity).toBeGreaterThanOrEqual(500);
    expect(index.size).toBe(500);
    expectSameHits(await index.search(queries[0], { k: 10 }), bruteForce(items, queries[0], 10));
  });

  it("addMany checks every item before adding any", () => {
    const index = HnswIndex.create({ dimension: 3, embedderId: "e" });
    expect(() =>
      index.addMany([
        ["a", [1, 0, 0]],
        ["b", [0, Number.POSITIVE_INFINITY, 0]],
      ]),
    ).toThrow(InvalidArgumentError);
    expect(index.size).toBe(0);
    index.addMany([
      ["a", [1, 0, 0]],
      ["b", [0, 1, 0]],
      ["a", [0, 0, 1]],
    ]);
    expect(index.size).toBe(2);
    expect(Array.from(index.get("a") ?? [])).toEqual([0, 0, 1]);
  });

  for (const mode of MODES) {
    it(`get returns the stored vector, normalised (${mode.name})`, () => {
      const index = HnswIndex.create({ dimension: 3, embedderId: "e", ...mode.options });
      index.add("a", [3, 4, 0]);
      index.add("z", [0, 0, 0]);
      const a = index.get("a");
      expect(a).toBeInstanceOf(Float32Array);
      expect(a?.[0]).toBeCloseTo(0.6, 6);
      expect(a?.[1]).toBeCloseTo(0.8, 6);
      expect(a?.[2]).toBe(0);
      expect(Array.from(index.get("z") ?? [1])).toEqual([0, 0, 0]);
      // A copy: changing it does not change the index.
      a?.fill(9);
      expect(index.get("a")?.[0]).toBeCloseTo(0.6, 6);
    });
  }

  it("get returns exactly what hnswlib stores for the same input", () => {
    const vectors = clusteredVectors(50, DIM, 8).map((v) => Array.from(v, (x) => x * 7.3));
    const index = HnswIndex.create({ dimension: DIM, embedderId: "e" });
    const native = new hnswlib.HierarchicalNSW("cosine", DIM);
    native.initIndex(50);
    vectors.forEach((v, i) => {
      index.add(`p${i}`, v);
      native.addPoint(v, i);
    });
    vectors.forEach((_, i) => expect(Array.from(index.get(`p${i}`) ?? [])).toEqual(native.getPoint(i).map(Math.fround)));
  });

  it("keeps search exact when it shrinks back below the exact threshold", async () => {
    const { index, items, queries } = build(130, { exactThreshold: 50 });
    for (let i = 0; i < 100; i++) {
      index.remove(`p${i}`);
      items.delete(`p${i}`);
    }
    expect(index.size).toBe(30);
    expectSameHits(await index.search(queries[0], { k: 10 }), bruteForce(items, queries[0], 10));
    expect(index.get("p120")).toEqual(Float32Array.from(items.get("p120") ?? []));
  });
});

describe("HnswIndex: filter", () => {
  for (const mode of MODES) {
    it(`returns only ids the filter accepts, exactly (${mode.name})`, async () => {
      const { index, items, queries } = build(200, { ...mode.options, ef: 200 });
      const even = (id: string) => Number(id.slice(1)) % 2 === 0;
      const rare = (id: string) => Number(id.slice(1)) % 40 === 0; // 5 of 200
      for (const q of queries.slice(0, 5)) {
        expectSameHits(await index.search(q, { k: 10, filter: even }), bruteForce(items, q, 10, even));
        const hits = await index.search(q, { k: 10, filter: rare });
        expect(hits).toHaveLength(5);
        expectSameHits(hits, bruteForce(items, q, 10, rare));
      }
      expect(await index.search(queries[0], { k: 10, filter: () => false })).toEqual([]);
    });

    it(`turns an exception thrown by the filter into a rejected promise (${mode.name})`, async () => {
      const { index, items, queries } = build(200, mode.options);
      const boom = new Error("filter exploded");
      let calls = 0;
      await expect(
        index.search(queries[0], {
          k: 10,
          filter: () => {
            calls++;
            if (calls === 3) throw boom;
            return true;
          },
        }),
      ).rejects.toBe(boom);
      // The filter is not called again once it has thrown.
      expect(calls).toBe(3);
      // The process is alive and the index still works.
      expectSameHits(await index.search(queries[1], { k: 5, filter: () => true }), await index.search(queries[1], { k: 5 }));
      expect((await index.search(queries[1], { k: 5 })).map((h) => h.id)).toEqual(bruteForce(items, queries[1], 5).map((h) => h.id));
    });

    it(`rejects (and the process survives) when the filter throws inside the native graph search (${mode.name} index)`, async () => {
      const { index, queries } = build(2000, mode.options);
      for (const [strategy, throwAt] of [
        ["graph", 3],
        ["auto", 300], // after the 256 sample calls: inside hnswlib's walk
      ] as const) {
        let calls = 0;
        const err = await index
          .search(queries[0], {
            k: 10,
            strategy,
            filter: (id) => {
              if (++calls === throwAt) throw new TypeError(`bad id ${id}`);
              return true;
            },
          })
          .then(
            () => undefined,
            (e: unknown) => e,
          );
        expect(err).toBeInstanceOf(TypeError);
        expect(calls).toBe(throwAt);
      }
      expect((await index.search(queries[1], { k: 3, strategy: "graph", filter: () => true })).length).toBe(3);
    });

    it(`refuses changes to the index from inside a filter (${mode.name})`, async () => {
      const { index, queries } = build(60, mode.options);
      await expect(
        index.search(queries[0], {
          k: 5,
          filter: (id) => {
            index.remove(id);
            return true;
          },
        }),
      ).rejects.toThrow(/inside a search filter/);
      expect(index.size).toBe(60);
      await expect(
        index.search(queries[0], {
          k: 5,
          strategy: "graph",
          filter: (id) => {
            index.add(id + "-copy", queries[1]);
            return true;
          },
        }),
      ).rejects.toThrow(/inside a search filter/);
      expect(index.size).toBe(60);
    });
  }

  it("walks the graph for a broad filter, consulting it only for visited nodes", async () => {
    const { index, items, queries } = build(3000, { exactThreshold: 0 });
    const half = (id: string) => Number(id.slice(1)) % 10 < 7; // 70%: far above 25·√3000 ≈ 1,369 ids
    let calls = 0;
    let found = 0;
    for (const q of queries) {
      const hits = await index.search(q, {
        k: 10,
        filter: (id) => {
          calls++;
          return half(id);
        },
      });
      expect(hits.every((h) => half(h.id))).toBe(true);
      const truth = new Set(bruteForce(items, q, 10, half).map((h) => h.id));
      found += hits.filter((h) => truth.has(h.id)).length;
    }
    expect(calls / queries.length).toBeLessThan(index.size / 2); // the exact path would call it 3,000 times
    expect(found / (10 * queries.length)).toBeGreaterThanOrEqual(0.95);
  });

  it("scans exactly for a selective filter, testing every id", async () => {
    const { index, items, queries } = build(3000, { exactThreshold: 0 });
    index.remove("p100");
    items.delete("p100");
    const rare = (id: string) => Number(id.slice(1)) % 100 === 0; // 29 of 2,999
    const seen = new Set<string>();
    const hits = await index.search(queries[0], {
      k: 10,
      filter: (id) => {
        seen.add(id);
        return rare(id);
      },
    });
    expectSameHits(hits, bruteForce(items, queries[0], 10, rare));
    expect(seen).toEqual(new Set(items.keys()));
  });

  it("answers exactly when a broad filter accepts fewer ids than k", async () => {
    const { index, items, queries } = build(2000, { exactThreshold: 0, ef: 16 });
    const some = (id: string) => Number(id.slice(1)) % 5 < 4; // 80%: the graph is tried first
    const hits = await index.search(queries[0], { k: 1900, filter: some });
    expect(hits).toHaveLength(1600);
    expectSameHits(hits, bruteForce(items, queries[0], 1900, some));
  });

  it("searches the graph with a filter after heavy churn (sparse labels)", async () => {
    const { index, items, queries } = build(300, { exactThreshold: 0, ef: 300 });
    const spare = clusteredVectors(1, DIM, 12)[0];
    for (let i = 0; i < 1500; i++) {
      index.add("churn", spare);
      index.remove("churn");
    }
    const even = (id: string) => Number(id.slice(1)) % 2 === 0;
    for (const q of queries.slice(0, 5)) {
      expectSameHits(await index.search(q, { k: 10, filter: even }), bruteForce(items, q, 10, even));
    }
  });

  it("keeps refusing changes after a search started inside a filter has finished", async () => {
    const { index, queries } = build(2000, { exactThreshold: 0 });
    let nested: Promise<unknown> | undefined;
    await expect(
      index.search(queries[0], {
        k: 5,
        strategy: "graph",
        filter: () => {
          if (nested) index.remove("p7"); // the call after the nested search
          nested ??= index.search(queries[1], { k: 2 });
          return true;
        },
      }),
    ).rejects.toThrow(/inside a search filter/);
    expect(((await nested) as unknown[]).length).toBe(2);
    expect(index.size).toBe(2000);
  });

  it("treats a filter's truthy result as acceptance in the graph", async () => {
    const { index } = build(50, { exactThreshold: 0 });
    const truthy = ((id: string) => (id === "p1" ? 1 : 0)) as unknown as (id: string) => boolean;
    const hits = await index.search(new Float32Array(DIM).fill(1), { k: 5, filter: truthy });
    expect(hits.map((h) => h.id)).toEqual(["p1"]);
  });
});

describe("HnswIndex: search strategy", () => {
  it("answers exactly with strategy exact and through the graph with strategy graph", async () => {
    const { index, items, queries } = build(1500, { M: 4, efConstruction: 8, ef: 1 });
    let exactHits = 0;
    let graphHits = 0;
    for (const q of queries) {
      const truth = bruteForce(items, q, 10);
      const exact = await index.search(q, { k: 10, strategy: "exact" });
      expectSameHits(exact, truth);
      exactHits += exact.length;
      const ids = new Set(truth.map((h) => h.id));
      graphHits += (await index.search(q, { k: 10, strategy: "graph" })).filter((h) => ids.has(h.id)).length;
    }
    // A deliberately poor graph (M=4, efConstruction=8) misses true neighbours; the scan never does.
    expect(graphHits).toBeLessThan(exactHits);
    await expect(index.search(queries[0], { k: 3, strategy: "fast" as "auto" })).rejects.toThrow(/strategy/);
  });
});

describe("HnswIndex: save and open", () => {
  for (const mode of MODES) {
    it(`round-trips to identical results, parameters and later updates (${mode.name})`, async () => {
      const { index, queries } = build(300, { ...mode.options, M: 12, efConstruction: 80, ef: 40 });
      for (let i = 0; i < 20; i++) index.remove(`p${i * 7}`);
      index.add("p14", clusteredVectors(1, DIM, 77)[0]);
      const dir = path.join(tmp, "saved");
      await index.save(dir);
      expect((await readdir(dir)).sort()).toEqual([INDEX_FILE, META_FILE]);

      const reopened = await HnswIndex.open(dir, { embedderId: "test-embedder", dimension: DIM });
      expect(reopened.size).toBe(index.size);
      expect(reopened.M).toBe(12);
      expect(reopened.efConstruction).toBe(80);
      expect(reopened.ef).toBe(40);
      expect(reopened.exactThreshold).toBe(index.exactThreshold);
      expect(reopened.embedderId).toBe("test-embedder");
      expect(new Set(reopened.ids())).toEqual(new Set(index.ids()));
      for (const q of queries) expect(await reopened.search(q, { k: 10 })).toEqual(await index.search(q, { k: 10 }));
      expect(reopened.get("p1")).toEqual(index.get("p1"));

      // Both keep working the same way after the round trip (deleted slots reused, growth).
      const more = clusteredVectors(400, DIM, 31);
      more.forEach((v, i) => {
        index.add(`m${i}`, v);
        reopened.add(`m${i}`, v);
      });
      reopened.remove("p1");
      index.remove("p1");
      for (const q of queries.slice(0, 5)) expect(await reopened.search(q, { k: 10 })).toEqual(await index.search(q, { k: 10 }));
    });
  }

  it("restores ef after loading (hnswlib would reset it to 10)", async () => {
    const { index, items, queries } = build(3000, { exactThreshold: 0, efConstruction: 40, M: 8 });
    const dir = path.join(tmp, "ef");
    await index.save(dir);
    const reopened = await HnswIndex.open(dir);
    expect(reopened.ef).toBe(HNSW_DEFAULTS.ef);
    let found = 0;
    for (const q of queries) {
      const truth = new Set(bruteForce(items, q, 10).map((h) => h.id));
      found += (await reopened.search(q, { k: 10 })).filter((h) => truth.has(h.id)).length;
    }
    expect(found / (10 * queries.length)).toBeGreaterThanOrEqual(0.95);
  });

  it("saves and opens an empty index", async () => {
    const index = HnswIndex.create({ dimension: DIM, embedderId: "e" });
    await index.save(path.join(tmp, "empty"));
    const reopened = await HnswIndex.open(path.join(tmp, "empty"));
    expect(reopened.size).toBe(0);
    expect(await reopened.search(new Float32Array(DIM).fill(1), { k: 3 })).toEqual([]);
    reopened.add("a", new Float32Array(DIM).fill(1));
    expect((await reopened.search(new Float32Array(DIM).fill(1), { k: 3 })).map((h) => h.id)).toEqual(["a"]);
  });

  it("replaces an earlier save in the same folder and leaves no temporary siblings", async () => {
    const { index } = build(50);
    const dir = path.join(tmp, "again");
    await index.save(dir);
    index.add("late", new Float32Array(DIM).fill(1));
    await Promise.all([index.save(dir), index.save(dir)]);
    expect((await HnswIndex.open(dir)).has("late")).toBe(true);
    expect((await readdir(tmp)).sort()).toEqual(["again"]);
  });

  it("refuses to replace a non-empty folder that is not a saved index", async () => {
    const dir = path.join(tmp, "documents");
    await rm(dir, { recursive: true, force: true });
    await import("node:fs/promises").then((fs) => fs.mkdir(dir));
    await writeFile(path.join(dir, "thesis.txt"), "precious");
    const { index } = build(10);
    await expect(index.save(dir)).rejects.toThrow(/not empty/);
    expect(await readFile(path.join(dir, "thesis.txt"), "utf8")).toBe("precious");
    expect(await readdir(tmp)).toEqual(["documents"]);
  });

  describe("refuses what it cannot use, with IncompatibleIndexError", () => {
    let dir: string;
    beforeEach(async () => {
      dir = path.join(tmp, "idx");
      await build(200, { exactThreshold: 0 }).index.save(dir);
    });
    const meta = async () => JSON.parse(await readFile(path.join(dir, META_FILE), "utf8")) as Record<string, unknown>;
    const writeMeta = async (m: Record<string, unknown>) => writeFile(path.join(dir, META_FILE), JSON.stringify(m));

    async function refused(expectMessage: RegExp, expectation?: { embedderId?: string; dimension?: number }) {
      const err = await HnswIndex.open(dir, expectation).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(IncompatibleIndexError);
      expect((err as Error).message).toMatch(expectMessage);
      return err as Error;
    }

    it("opens when the expectation matches", async () => {
      expect((await HnswIndex.open(dir, { embedderId: "test-embedder", dimension: DIM })).size).toBe(200);
    });
    it("another embedder", async () => {
      const e = await refused(/built with the embedder "test-embedder", but "other-model"/, { embedderId: "other-model" });
      expect(e.message).toMatch(/rebuild/i);
    });
    it("wrong dimension", async () => {
      const e = await refused(/24-dimensional vectors, but the embedder in use makes 384/, { dimension: 384 });
      expect(e.message).toMatch(/rebuild/i);
    });
    it("unknown format version", async () => {
      await writeMeta({ ...(await meta()), formatVersion: 99 });
      await refused(/format version 99.*reads format 1.*Rebuild/);
    });
    it("truncated index file", async () => {
      const file = path.join(dir, INDEX_FILE);
      await truncate(file, (await stat(file)).size - 100);
      await refused(/truncated.*Rebuild/);
    });
    it("index file cut to nothing", async () => {
      await truncate(path.join(dir, INDEX_FILE), 0);
      await refused(/truncated/);
    });
    it("corrupted index file of the right length", async () => {
      const file = path.join(dir, INDEX_FILE);
      const bytes = await readFile(file);
      bytes[Math.floor(bytes.length / 2)] ^= 0xff;
      await writeFile(file, bytes);
      await refused(/damaged.*checksum/);
    });
    it("a live id marked deleted in the index file (checksum updated to match)", async () => {
      const file = path.join(dir, INDEX_FILE);
      const bytes = await readFile(file);
      bytes[96 + 2] |= 1; // the first record's deleted mark
      await writeFile(file, bytes);
      const m = await meta();
      const { createHash } = await import("node:crypto");
      (m.indexFile as { sha256: string }).sha256 = createHash("sha256").update(bytes).digest("hex");
      await writeMeta(m);
      await refused(/marks the live id .* as deleted/);
    });
    it("metadata that disagrees with the index file (dimension edited)", async () => {
      await writeMeta({ ...(await meta()), dimension: 12 });
      await refused(/does not match its metadata/);
    });
    it("missing index file", async () => {
      await unlink(path.join(dir, INDEX_FILE));
      await refused(/missing its index\.hnsw/);
    });
    it("missing metadata", async () => {
      await unlink(path.join(dir, META_FILE));
      await refused(/not a saved vector index.*meta\.json is missing/);
    });
    it("damaged metadata", async () => {
      await writeFile(path.join(dir, META_FILE), "{ not json");
      await refused(/not valid JSON/);
    });
    it("inconsistent metadata", async () => {
      const m = await meta();
      await writeMeta({ ...m, labels: (m.labels as number[]).slice(1) });
      await refused(/incomplete or inconsistent/);
    });
    it("someone else's metadata", async () => {
      await writeMeta({ format: "something-else", version: 1 });
      await refused(/does not hold a papermap vector index/);
    });
    it("a folder that does not exist", async () => {
      await rm(dir, { recursive: true });
      await refused(/No saved vector index.*does not exist/);
    });
  });

  it("refuses to exceed 2^32 labels instead of wrapping", async () => {
    const dir = path.join(tmp, "labels");
    const index = HnswIndex.create({ dimension: 3, embedderId: "e", exactThreshold: 0 });
    index.add("a", [1, 0, 0]);
    await index.save(dir);
    // Pretend 2^32 − 1 labels have been handed out: the next one is the last.
    const m = JSON.parse(await readFile(path.join(dir, META_FILE), "utf8")) as { nextLabel: number };
    m.nextLabel = 0xffff_ffff;
    await writeFile(path.join(dir, META_FILE), JSON.stringify(m));
    const reopened = await HnswIndex.open(dir);
    reopened.add("b", [0, 1, 0]);
    expect((await reopened.search([0, 1, 0], { k: 2 })).map((h) => h.id)).toEqual(["b", "a"]);
    expect(() => reopened.add("c", [0, 0, 1])).toThrow(PapermapError);
    expect(() => reopened.add("c", [0, 0, 1])).toThrow(/2\^32/);
    reopened.add("b", [0, 0, 1]); // updating a live id takes no new label
    expect(reopened.size).toBe(2);
  });
});

describe("HnswIndex: a save interrupted by a crash", () => {
  const script = path.join(repoRoot, "test/vector-index/fixtures/crash-save.ts");
  const v1 = new Set(Array.from({ length: 60 }, (_, i) => `v1-${i}`));
  const v2 = new Set([...[...v1].filter((id) => id !== "v1-0"), ...Array.from({ length: 20 }, (_, i) => `v2-${i + 60}`)]);

  async function crashAt(step: string, dir: string): Promise<void> {
    const err = await run(process.execPath, ["--import", "tsx", script, dir, step], { cwd: repoRoot }).then(
      () => undefined,
      (e: unknown) => e as { code?: number; stderr?: string },
    );
    if (step === "none") expect(err).toBeUndefined();
    else expect(err?.code, err?.stderr).toBe(42);
  }

  for (const [step, expected, label] of [
    ["written", v1, "the previous save"],
    ["backed-up", v1, "the previous save (recovered from its backup)"],
    ["renamed", v2, "the new save"],
    ["none", v2, "the new save"],
  ] as const) {
    it(`after "${step}" leaves ${label} usable`, async () => {
      const dir = path.join(tmp, "idx");
      await crashAt(step, dir);
      if (step === "backed-up") expect(await readdir(tmp)).not.toContain("idx");

      const reopened = await HnswIndex.open(dir, { embedderId: "test-embedder", dimension: 16 });
      expect(new Set(reopened.ids())).toEqual(expected);
      expect((await reopened.search(reopened.get("v1-5") ?? [], { k: 1 }))[0].id).toBe("v1-5");

      // The next save succeeds and clears what the crash left behind.
      reopened.add("after", new Float32Array(16).fill(1));
      await reopened.save(dir);
      expect(await readdir(tmp)).toEqual(["idx"]);
      expect((await HnswIndex.open(dir)).has("after")).toBe(true);
    });
  }
});
