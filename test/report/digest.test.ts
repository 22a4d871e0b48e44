import { beforeAll, describe, expect, it } from "vitest";
import { InvalidArgumentError } from "../../src/errors.js";
import { loadDefaultListing } from "../../src/ingest/index.js";
import { PaperLibrary } from "../../src/library.js";
import { buildDigest, type DigestSource } from "../../src/report/digest.js";

let library: PaperLibrary;
const now = new Date("2025-11-21T12:00:00Z");

beforeAll(async () => {
  library = await PaperLibrary.create(await loadDefaultListing(), { embedder: "lexical", onNotice: () => {} });
});

describe("buildDigest (shipped listing, lexical embedder)", () => {
  it("lists every paper once, theme by theme, biggest theme first", async () => {
    const digest = await buildDigest(library, { now, title: "T", source: "listing.txt" });
    expect(digest.title).toBe("T");
    expect(digest.source).toBe("listing.txt");
    expect(digest.generatedAt).toBe("2025-11-21T12:00:00.000Z");
    expect(digest.embedderId).toBe(library.embedderId);
    expect(digest.papers).toHaveLength(library.size);
    expect(new Set(digest.papers.map((p) => p.paper.id)).size).toBe(library.size);
    const sizes = digest.themes.map((t) => t.size);
    expect([...sizes].sort((a, b) => b - a)).toEqual(sizes);
    expect(sizes.reduce((s, n) => s + n, 0)).toBe(library.size);
    // Papers come in theme order, each theme's papers in its own (closest-first) order.
    expect(digest.papers.map((p) => p.paper.id)).toEqual(digest.themes.flatMap((t) => t.paperIds));
    for (const p of digest.papers) {
      const theme = digest.themes.find((t) => t.id === p.themeId)!;
      expect(theme.paperIds).toContain(p.paper.id);
      expect(p.confidence).toBeGreaterThanOrEqual(0);
      expect(p.confidence).toBeLessThanOrEqual(1);
    }
    for (const t of digest.themes) {
      expect(t.label.length).toBeGreaterThan(0);
      expect(t.representativeIds.every((id) => t.paperIds.includes(id))).toBe(true);
    }
  });

  it("gives each paper its top related papers (not itself), as library.related does", async () => {
    const digest = await buildDigest(library, { now, relatedPerPaper: 3, map: false });
    const themeOf = new Map(digest.papers.map((p) => [p.paper.id, p.themeId]));
    for (const p of digest.papers) {
      expect(p.related).toHaveLength(3);
      expect(p.related.map((r) => r.id)).not.toContain(p.paper.id);
      for (const r of p.related) {
        expect(r.score).toBeGreaterThanOrEqual(0);
        expect(r.score).toBeLessThanOrEqual(1);
        expect(r.themeId).toBe(themeOf.get(r.id));
        expect(r.title).toBe(library.get(r.id)!.title);
      }
    }
    const sample = digest.papers[5];
    const direct = await library.related(sample.paper.id, { k: 3 });
    expect(sample.related.map((r) => r.id)).toEqual(direct.map((h) => h.paper.id));
  });

  it("places every paper on the map in [0, 1]², with papers of one theme nearer each other than to others", async () => {
    const digest = await buildDigest(library, { now, relatedPerPaper: 0 });
    expect(digest.projection).toBe("umap");
    for (const p of digest.papers) {
      expect(p.related).toEqual([]);
      expect(p.x).toBeGreaterThanOrEqual(0);
      expect(p.x).toBeLessThanOrEqual(1);
      expect(p.y).toBeGreaterThanOrEqual(0);
      expect(p.y).toBeLessThanOrEqual(1);
    }
    // Mean distance between two papers of the same theme vs of different themes.
    let same = 0;
    let sameN = 0;
    let other = 0;
    let otherN = 0;
    for (const a of digest.papers) {
      for (const b of digest.papers) {
        if (a === b) continue;
        const d = Math.hypot(a.x! - b.x!, a.y! - b.y!);
        if (a.themeId === b.themeId) [same, sameN] = [same + d, sameN + 1];
        else [other, otherN] = [other + d, otherN + 1];
      }
    }
    expect(same / sameN).toBeLessThan(0.6 * (other / otherN));
  });

  it("is deterministic, and map: false / pca are honoured", async () => {
    const a = await buildDigest(library, { now, relatedPerPaper: 1 });
    const b = await buildDigest(library, { now, relatedPerPaper: 1 });
    expect(b).toEqual(a);
    const none = await buildDigest(library, { now, relatedPerPaper: 0, map: false });
    expect(none.projection).toBeUndefined();
    expect(none.papers.every((p) => p.x === undefined && p.y === undefined)).toBe(true);
    const pca = await buildDigest(library, { now, relatedPerPaper: 0, map: "pca" });
    expect(pca.projection).toBe("pca");
  });

  it("reuses themes already computed instead of computing them again", async () => {
    const themes = await library.themes({ k: 4 });
    let calls = 0;
    const counting: DigestSource = {
      embedderId: library.embedderId,
      papers: () => library.papers(),
      vector: (id) => library.vector(id),
      related: (id, o) => library.related(id, o),
      themes: (o) => {
        calls++;
        return library.themes(o);
      },
    };
    const digest = await buildDigest(counting, { now, themeResult: themes, relatedPerPaper: 0, map: false });
    expect(calls).toBe(0);
    expect(digest.themes.map((t) => t.label).sort()).toEqual(themes.themes.map((t) => t.label).sort());
    await buildDigest(counting, { now, themes: { k: 3 }, relatedPerPaper: 0, map: false });
    expect(calls).toBe(1);
  });

  it("refuses a negative or fractional relatedPerPaper", async () => {
    await expect(buildDigest(library, { relatedPerPaper: -1 })).rejects.toThrow(InvalidArgumentError);
    await expect(buildDigest(library, { relatedPerPaper: 1.5 })).rejects.toThrow(InvalidArgumentError);
  });
});

describe("buildDigest on tiny libraries", () => {
  it("an empty library gives an empty digest", async () => {
    const empty = await PaperLibrary.create([], { embedder: "lexical", onNotice: () => {} });
    const digest = await buildDigest(empty, { now });
    expect(digest.themes).toEqual([]);
    expect(digest.papers).toEqual([]);
  });

  it("a single paper is one theme, centred on the map, with no related papers", async () => {
    const one = await PaperLibrary.create(
      [{ id: "only", title: "Pruning visual tokens", abstract: "We prune visual tokens in vision-language models." }],
      { embedder: "lexical", onNotice: () => {} },
    );
    const digest = await buildDigest(one, { now });
    expect(digest.themes).toHaveLength(1);
    expect(digest.papers).toHaveLength(1);
    expect(digest.papers[0].related).toEqual([]);
    expect([digest.papers[0].x, digest.papers[0].y]).toEqual([0.5, 0.5]);
  });
});
