import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InvalidArgumentError, UnknownPaperError } from "../../src/errors.js";
import { loadDefaultListing } from "../../src/ingest/index.js";
import { PaperLibrary } from "../../src/library.js";
import type { Embedder } from "../../src/embed/types.js";
import type { Paper } from "../../src/paper.js";
import { recommendForDigest, type RecommendHit } from "../../src/recommend/index.js";
import { seededRandom } from "../../src/text/random.js";

/**
 * A generated corpus of four subjects, 30 papers each. Subjects "proteins" and "enzymes"
 * share half their vocabulary (neighbours); "robots" and "compilers" are unrelated to
 * them and to each other. Every paper also draws common research words.
 */
const SUBJECTS: Record<string, string> = {
  proteins:
    "protein folding residue structure alphafold backbone sidechain conformation crystallography cryo-em domain helix sheet " +
    "catalytic substrate binding pocket kinetics turnover active-site mutagenesis",
  enzymes:
    "catalytic substrate binding pocket kinetics turnover active-site mutagenesis residue structure backbone conformation " +
    "fermentation yeast metabolic pathway bioreactor flux titer strain",
  robots:
    "robot gripper grasping manipulation locomotion legged actuator torque trajectory teleoperation servo kinematics " +
    "quadruped humanoid dexterous tactile sensor payload arm",
  compilers:
    "compiler parser bytecode register allocation loop unrolling intermediate representation llvm optimization pass " +
    "lexer grammar type-checker inlining vectorization linker assembly",
};
const COMMON = "we propose method results show approach novel evaluate performance experiments framework study analysis data".split(" ");

function generate(): Array<Paper & { subject: string }> {
  const rand = seededRandom(20251121);
  const out: Array<Paper & { subject: string }> = [];
  for (const [subject, words] of Object.entries(SUBJECTS)) {
    const vocab = words.split(" ");
    for (let i = 0; i < 30; i++) {
      const pick = (list: string[]) => list[Math.floor(rand() * list.length)];
      const title = Array.from({ length: 5 }, () => pick(vocab)).join(" ");
      const body = Array.from({ length: 45 }, () => (rand() < 0.7 ? pick(vocab) : pick(COMMON))).join(" ");
      const day = `2025-04-${String(1 + (i % 10)).padStart(2, "0")}`;
      out.push({ id: `${subject}-${i}`, title: `${title} ${subject}`, abstract: `${body}.`, published: day, subject });
    }
  }
  return out;
}

const subjectOf = (h: RecommendHit) => h.paper.id.split("-")[0];
const count = (hits: RecommendHit[], subject: string) => hits.filter((h) => subjectOf(h) === subject).length;

let corpus: Array<Paper & { subject: string }>;
let lib: PaperLibrary;
let listing: Paper[];
let listingLib: PaperLibrary;
let tmp: string;

beforeAll(async () => {
  corpus = generate();
  lib = await PaperLibrary.create(corpus, { embedder: "lexical", onNotice: () => {} });
  listing = await loadDefaultListing();
  listingLib = await PaperLibrary.create(listing, { embedder: "lexical", onNotice: () => {} });
  tmp = await mkdtemp(path.join(tmpdir(), "papermap-recommend-"));
}, 60_000);

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe("recommend", () => {
  it("from one liked paper, is close to related papers (shipped listing)", async () => {
    let overlap = 0;
    const sample = listing.filter((_, i) => i % 10 === 3);
    for (const p of sample) {
      const recs = await listingLib.recommend({ liked: [p.id], k: 10 });
      const rel = await listingLib.related(p.id, { k: 10 });
      const relIds = new Set(rel.map((h) => h.paper.id));
      overlap += recs.filter((h) => relIds.has(h.paper.id)).length / 10;
      expect(recs.map((h) => h.paper.id)).not.toContain(p.id);
      expect(recs[0].why.closestLiked[0].id).toBe(p.id);
    }
    // Most of the top 10 agree with related() (both rank by the same vectors).
    expect(overlap / sample.length).toBeGreaterThanOrEqual(0.6);
  });

  it("ranks the liked subject first and explains each hit", async () => {
    const liked = ["robots-0", "robots-1", "robots-2"];
    const recs = await lib.recommend({ liked, k: 10 });
    expect(recs).toHaveLength(10);
    expect(count(recs, "robots")).toBe(10);
    for (const h of recs) {
      expect(h.score).toBeGreaterThanOrEqual(0);
      expect(h.score).toBeLessThanOrEqual(1);
      expect(liked).toContain(h.why.closestLiked[0].id);
      expect(h.why.closestLiked[0].title).toBe(lib.get(h.why.closestLiked[0].id)!.title);
      expect(h.similarity).toBeCloseTo(h.why.closestLiked[0].similarity, 6);
      expect(h.why.sharedWords.length).toBeGreaterThan(0);
      // Shared words are words of the subject's vocabulary, found in both papers.
      for (const w of h.why.sharedWords)
        expect(`${h.paper.title} ${h.paper.abstract}`.toLowerCase()).toContain(w.toLowerCase().slice(0, 4));
      expect(h.matchedTerms).toEqual(h.why.sharedWords);
    }
  });

  it("gives both subjects when the likes span two unrelated ones, not their midpoint", async () => {
    const liked = ["robots-0", "robots-1", "robots-2", "compilers-0", "compilers-1", "compilers-2"];
    const recs = await lib.recommend({ liked, k: 10 });
    expect(count(recs, "robots")).toBeGreaterThanOrEqual(4);
    expect(count(recs, "compilers")).toBeGreaterThanOrEqual(4);
    expect(count(recs, "robots") + count(recs, "compilers")).toBe(10);
    // Each hit is explained by a liked paper of its own subject.
    for (const h of recs) expect(h.why.closestLiked[0].id.split("-")[0]).toBe(subjectOf(h));
    // Unequal likes: the list is shared in proportion (4 robots : 2 compilers).
    const uneven = await lib.recommend({ liked: ["robots-0", "robots-1", "robots-2", "robots-3", "compilers-0", "compilers-1"], k: 9 });
    expect(count(uneven, "robots")).toBeGreaterThan(count(uneven, "compilers"));
    expect(count(uneven, "compilers")).toBeGreaterThanOrEqual(2);
  });

  it("does not make one odd like among many of one subject a subject of its own", async () => {
    const liked = [...Array.from({ length: 7 }, (_, i) => `robots-${i}`), "compilers-0"];
    const recs = await lib.recommend({ liked, k: 16 });
    // As a subject of its own, the single compilers like would take 2 of the 16 places (1 like in 8).
    const saved = lib.recommendTuning.minSubjectShare;
    lib.recommendTuning.minSubjectShare = -1;
    let split: RecommendHit[];
    try {
      split = await lib.recommend({ liked, k: 16 });
    } finally {
      lib.recommendTuning.minSubjectShare = saved;
    }
    expect(count(split, "compilers")).toBeGreaterThanOrEqual(2);
    expect(count(recs, "robots")).toBeGreaterThan(count(split, "robots"));
    expect(count(recs, "robots")).toBeGreaterThanOrEqual(15);
  });

  it("pushes a disliked neighbouring subject down", async () => {
    const liked = ["proteins-0", "proteins-1", "proteins-2"];
    const k = lib.size; // the whole ranking
    const without = await lib.recommend({ liked, k });
    const disliked = ["enzymes-0", "enzymes-1", "enzymes-2"];
    const withDislikes = await lib.recommend({ liked, disliked, k });
    expect(count(without, "enzymes")).toBe(30);
    expect(count(withDislikes, "enzymes")).toBe(27);
    const meanRank = (hits: RecommendHit[]) => {
      const ranks = hits.map((h, i) => (subjectOf(h) === "enzymes" ? i : -1)).filter((r) => r >= 0);
      return ranks.reduce((s, r) => s + r, 0) / Math.max(1, ranks.length);
    };
    // Without dislikes the neighbouring subject follows the liked one; with them it comes later.
    expect(count(without.slice(0, 40), "enzymes")).toBeGreaterThan(0);
    expect(count(withDislikes.slice(0, 40), "enzymes")).toBeLessThan(count(without.slice(0, 40), "enzymes"));
    expect(meanRank(withDislikes)).toBeGreaterThan(meanRank(without));
    expect(count(withDislikes.slice(0, 20), "proteins")).toBe(20);
  });

  it("with several likes, discounts a direction along which the whole library varies", async () => {
    // Designed vectors (a custom embedder reads them from the text): dimensions 0 and 2 hold a
    // direction at a random angle, the same spread whatever the subject (a wide, uninformative
    // variation of the whole library); dimension 1 is the subject (+ for "a", − for "b"); the rest
    // is small noise. The five liked papers are of subject "a" and all happen to lie at angles near
    // 0, so their plain centroid points mostly along dimension 0, where "b" papers lie as well.
    const rand = seededRandom(7);
    const d = 12;
    const papers: Paper[] = [];
    const vectorOf = new Map<string, number[]>();
    for (let i = 0; i < 200; i++) {
      const subject = i % 2 === 0 ? "a" : "b";
      const liked = i < 10 && subject === "a";
      const v = Array.from({ length: d }, () => 0.04 * (rand() - 0.5));
      const angle = liked ? 0.4 * (rand() - 0.5) : 2 * Math.PI * rand();
      v[0] = Math.cos(angle);
      v[2] = Math.sin(angle);
      v[1] = (subject === "a" ? 0.3 : -0.3) + 0.04 * (rand() - 0.5);
      const id = `${subject}-${i}`;
      vectorOf.set(`${id} topic.`, v);
      papers.push({ id, title: `${id} topic`, abstract: "" });
    }
    const embedder: Embedder = {
      id: "designed-vectors",
      dimension: d,
      embed: async (texts) =>
        texts.map((t) => {
          const v = vectorOf.get(t.trim()) ?? vectorOf.get(`${t.trim()}.`);
          if (!v) throw new Error(`no designed vector for ${JSON.stringify(t)}`);
          const n = Math.hypot(...v);
          return Float32Array.from(v, (x) => x / n);
        }),
    };
    const l = await PaperLibrary.create(papers, { embedder, onNotice: () => {} });
    const liked = ["a-0", "a-2", "a-4", "a-6", "a-8"];
    const share = (hits: RecommendHit[]) => hits.filter((h) => h.paper.id.startsWith("a-")).length / hits.length;
    // A strong whitening shows the mechanism plainly (the default, 0.9, is milder: measured best on arXiv).
    l.recommendTuning.shrinkage = 0.2;
    const whitened = await l.recommend({ liked, k: 30 });
    l.recommendTuning.classifierMinLikes = 1e9; // the (expanded) centroid instead
    const centroid = await l.recommend({ liked, k: 30 });
    expect(whitened).toHaveLength(30);
    expect(share(whitened)).toBeGreaterThanOrEqual(0.9);
    expect(share(centroid)).toBeLessThan(0.8);
  });

  it("lifts papers that share an author with a liked paper", async () => {
    const withAuthors = corpus.map((p) => ({
      ...p,
      authors: p.id === "robots-0" || p.id === "compilers-7" ? ["Ada Lovelace", `Author ${p.id}`] : [`Author ${p.id}`],
    }));
    const l = await PaperLibrary.create(withAuthors, { embedder: "lexical", onNotice: () => {} });
    const liked = ["robots-0", "robots-1", "robots-2"];
    const rank = (hits: RecommendHit[], id: string) => hits.findIndex((h) => h.paper.id === id);
    const all = await l.recommend({ liked, k: l.size });
    const firstOtherCompiler = all.findIndex((h) => subjectOf(h) === "compilers" && h.paper.id !== "compilers-7");
    expect(rank(all, "compilers-7")).toBeGreaterThanOrEqual(0);
    expect(rank(all, "compilers-7")).toBeLessThan(firstOtherCompiler);
    l.recommendTuning.authorWeight = 0;
    const plain = await l.recommend({ liked, k: l.size });
    expect(rank(all, "compilers-7")).toBeLessThan(rank(plain, "compilers-7"));
  });

  it("never returns liked or disliked papers, even with k larger than the library", async () => {
    const liked = ["robots-0", "compilers-5"];
    const disliked = ["enzymes-3", "proteins-7"];
    const recs = await lib.recommend({ liked, disliked, k: 1000 });
    const ids = recs.map((h) => h.paper.id);
    for (const id of [...liked, ...disliked]) expect(ids).not.toContain(id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBeLessThanOrEqual(lib.size - 4);
    expect(ids.length).toBeGreaterThan(60);
  });

  it("applies filters and diversity", async () => {
    const liked = ["robots-0", "robots-1"];
    const recs = await lib.recommend({ liked, k: 10, filter: { from: "2025-04-03", to: "2025-04-03" } });
    expect(recs.length).toBeGreaterThan(0);
    for (const h of recs) expect(h.paper.published).toBe("2025-04-03");
    expect(count(recs, "robots")).toBe(3); // robots-2, -12, -22 are that day's robot papers
    expect(recs.slice(0, 3).every((h) => subjectOf(h) === "robots")).toBe(true);
    const onlyCompilers = await lib.recommend({ liked, k: 5, filter: { where: (p) => p.id.startsWith("compilers") } });
    expect(onlyCompilers.every((h) => subjectOf(h) === "compilers")).toBe(true);
    const diverse = await lib.recommend({ liked, k: 8, diversity: 0.5 });
    expect(diverse).toHaveLength(8);
    expect(new Set(diverse.map((h) => h.paper.id)).size).toBe(8);
  });

  it("after papers are added, ranks with the library as it is now (same as the saved and reopened library)", async () => {
    const l = await PaperLibrary.create(corpus.slice(0, 90), { embedder: "lexical", onNotice: () => {} });
    const options = { liked: ["proteins-0", "proteins-1", "proteins-2"], k: 15 };
    const ranked = (hits: RecommendHit[]) => hits.map((h) => [h.paper.id, h.score]);
    const before = await l.recommend(options);
    expect(await l.recommend(options)).toEqual(before); // a second call gives the same
    await l.add(corpus.slice(90)); // the compiler papers: the library's mean vector moves
    const after = await l.recommend(options);
    expect(ranked(after)).not.toEqual(ranked(before));
    const dir = path.join(tmp, "grown");
    await l.save(dir);
    const reopened = await PaperLibrary.open(dir, { onNotice: () => {} });
    expect(ranked(await reopened.recommend(options))).toEqual(ranked(after));
    // The same after papers are removed.
    for (let i = 0; i < 20; i++) await l.remove(`compilers-${i}`);
    const fewer = await l.recommend(options);
    await l.save(dir);
    const again = await PaperLibrary.open(dir, { onNotice: () => {} });
    expect(ranked(await again.recommend(options))).toEqual(ranked(fewer));
  });

  it("rejects unknown ids and says what to do without likes", async () => {
    await expect(lib.recommend({ liked: ["robots-0", "no-such-paper"] })).rejects.toThrow(UnknownPaperError);
    await expect(lib.recommend({ liked: ["robots-0"], disliked: ["nope"] })).rejects.toThrow(/nope/);
    await expect(lib.recommend({})).rejects.toThrow(InvalidArgumentError);
    await expect(lib.recommend({})).rejects.toThrow(/"liked" collection/);
    await expect(lib.recommend({ liked: { collection: "missing" } })).rejects.toThrow(/no collection "missing"/);
    await expect(lib.recommend({ liked: ["robots-0"], k: 0 })).rejects.toThrow(InvalidArgumentError);
    await expect(lib.recommend({ liked: ["robots-0"], diversity: 2 })).rejects.toThrow(InvalidArgumentError);
  });
});

describe("collections", () => {
  it("adds, lists, removes and deletes; unknown ids change nothing", async () => {
    const l = await PaperLibrary.create(corpus.slice(0, 40), { embedder: "lexical", onNotice: () => {} });
    await l.collections.add("reading-list", ["proteins-1", "proteins-2", "proteins-1"]);
    await l.collections.add("reading-list", ["proteins-3"]);
    expect(l.collections.get("reading-list")).toEqual(["proteins-1", "proteins-2", "proteins-3"]);
    await expect(l.collections.add("reading-list", ["proteins-4", "zzz"])).rejects.toThrow(UnknownPaperError);
    expect(l.collections.get("reading-list")).toEqual(["proteins-1", "proteins-2", "proteins-3"]);
    await expect(l.collections.add("", ["proteins-4"])).rejects.toThrow(InvalidArgumentError);
    await l.collections.remove("reading-list", ["proteins-2", "not-there"]);
    expect(l.collections.get("reading-list")).toEqual(["proteins-1", "proteins-3"]);
    await l.collections.add("liked", ["enzymes-0"]);
    expect(l.collections.list()).toEqual(["liked", "reading-list"]);
    expect(l.collections.get("nothing")).toEqual([]);
    // The "liked" collection is the default source of likes.
    const recs = await l.recommend({ k: 3 });
    expect(recs[0].why.closestLiked[0].id).toBe("enzymes-0");
    const fromList = await l.recommend({ liked: { collection: "reading-list" }, k: 3 });
    expect(fromList.map((h) => h.paper.id)).not.toContain("proteins-1");
    expect(await l.collections.delete("reading-list")).toBe(true);
    expect(await l.collections.delete("reading-list")).toBe(false);
    expect(l.collections.list()).toEqual(["liked"]);
  });

  it("survive save / open, and a paper removed from the library leaves every collection", async () => {
    const l = await PaperLibrary.create(corpus.slice(0, 60), { embedder: "lexical", onNotice: () => {} });
    await l.collections.add("liked", ["proteins-0", "proteins-1", "enzymes-4"]);
    await l.collections.add("disliked", ["enzymes-5"]);
    await l.collections.add("later", ["proteins-1"]);
    const dir = path.join(tmp, "lib");
    await l.save(dir);
    // Saved as the collections section of the library's state.
    const state = JSON.parse(await readFile(path.join(dir, "state.json"), "utf8")) as { collections: Record<string, string[]> };
    expect(state.collections).toEqual({ liked: ["proteins-0", "proteins-1", "enzymes-4"], disliked: ["enzymes-5"], later: ["proteins-1"] });
    const opened = await PaperLibrary.open(dir, { onNotice: () => {} });
    expect(opened.collections.list()).toEqual(["disliked", "later", "liked"]);
    expect(opened.collections.get("liked")).toEqual(["proteins-0", "proteins-1", "enzymes-4"]);
    expect(opened.collections.get("disliked")).toEqual(["enzymes-5"]);
    // The saved likes and dislikes are the defaults of recommend.
    const recs = await opened.recommend({ k: 60 });
    expect(recs.map((h) => h.paper.id)).not.toContain("enzymes-5");

    await opened.remove("proteins-1");
    expect(opened.collections.get("liked")).toEqual(["proteins-0", "enzymes-4"]);
    expect(opened.collections.get("later")).toEqual([]);
    await opened.save(dir);
    const again = await PaperLibrary.open(dir, { onNotice: () => {} });
    expect(again.collections.get("liked")).toEqual(["proteins-0", "enzymes-4"]);
    expect(again.collections.get("later")).toEqual([]);
  });
});

describe("recommendForDigest", () => {
  it("gives one day's recommended papers, or nothing before anything is liked", async () => {
    const l = await PaperLibrary.create(corpus, { embedder: "lexical", onNotice: () => {} });
    expect(await recommendForDigest(l, "2025-04-05")).toEqual([]);
    await l.collections.add("liked", ["compilers-0", "compilers-1"]);
    await l.collections.add("disliked", ["robots-4"]);
    const picks = await recommendForDigest(l, "2025-04-05", { k: 3 });
    expect(picks).toHaveLength(3);
    for (const h of picks) expect(h.paper.published).toBe("2025-04-05");
    // That day's compiler papers (compilers-4, -14, -24) come first.
    expect(picks.map((h) => h.paper.id).sort()).toEqual(["compilers-14", "compilers-24", "compilers-4"]);
  });
});
