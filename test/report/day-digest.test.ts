import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runNode } from "../helpers/node-process.js";
import { InvalidArgumentError } from "../../src/errors.js";
import { loadPapers } from "../../src/ingest/index.js";
import { PaperLibrary } from "../../src/library.js";
import { buildDigest } from "../../src/report/digest.js";
import { renderHtml, sparkline } from "../../src/report/html.js";
import { renderMarkdown } from "../../src/report/markdown.js";
import { ensureBuilt } from "../cli/build.js";
import { papersOn } from "../themes/living-data.js";

let dir: string;
let library: PaperLibrary;
let jsonl: string;
let dayTwo: string;

const DAY1 = "2025-04-01";
const DAY2 = "2025-04-02";

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "papermap-day-digest-"));
  // A JSONL listing whose records carry their listing day under "day" (as daily feeds write them).
  const rows = (day: string, subjects: [string, number][], seed: number) =>
    subjects.flatMap(([s, n], i) =>
      papersOn(s, n, { prefix: `${day}-`, seed: seed + i }).papers.map((p) => ({ id: p.id, title: p.title, abstract: p.abstract, day })),
    );
  const first = rows(
    DAY1,
    [
      ["robotics", 14],
      ["astronomy", 14],
      ["cooking", 14],
    ],
    1,
  );
  const second = rows(
    DAY2,
    [
      ["chess", 10],
      ["robotics", 4],
    ],
    50,
  );
  jsonl = path.join(dir, "day1.jsonl");
  dayTwo = path.join(dir, "day2.jsonl");
  await writeFile(jsonl, first.map((r) => JSON.stringify(r)).join("\n"));
  await writeFile(dayTwo, second.map((r) => JSON.stringify(r)).join("\n"));
  const papers = await loadPapers(jsonl);
  library = await PaperLibrary.create(papers, { embedder: "lexical", cacheDir: false, onNotice: () => {} });
  await library.themes();
  const next = await loadPapers(dayTwo);
  await library.add(next);
  await library.updateThemes();
}, 120_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("day digest", () => {
  it("ingest maps a record's day to Paper.listingDay", async () => {
    const papers = await loadPapers(jsonl);
    expect(papers.every((p) => p.listingDay === DAY1)).toBe(true);
  });

  it("lists only the day's papers, in the library's themes, new themes first, with history and trend", async () => {
    const digest = await buildDigest(library, { day: DAY2, relatedPerPaper: 1, map: "pca" });
    expect(digest.day).toBe(DAY2);
    expect(digest.title).toBe(`Papers of ${DAY2}`);
    expect(digest.libraryPapers).toBe(56);
    expect(digest.papers).toHaveLength(14);
    expect(digest.papers.every((p) => p.paper.listingDay === DAY2)).toBe(true);
    const themes = await library.themes();
    // Each digest theme is a library theme; size counts the day's papers, librarySize all of them.
    for (const t of digest.themes) {
      const lib = themes.themes.find((x) => x.id === t.id)!;
      expect(t.label).toBe(lib.label);
      expect(t.librarySize).toBe(lib.size);
      expect(t.size).toBe(t.paperIds.length);
      expect(t.history!.map((h) => h.day)).toEqual([DAY1, DAY2]);
      expect(t.history![1].count).toBe(t.size);
    }
    expect(digest.themes[0].isNew).toBe(true);
    expect(digest.themes[0].paperIds.every((id) => id.includes("chess"))).toBe(true);
    expect(digest.themes[0].history!.map((h) => h.count)).toEqual([0, digest.themes[0].size]);
    expect(digest.themes.slice(1).every((t) => !t.isNew)).toBe(true);
    // The map: the day's papers with positions, the rest of the library as background.
    expect(digest.papers.every((p) => p.x !== undefined && p.y !== undefined)).toBe(true);
    expect(digest.background).toHaveLength(42);
    expect(new Set(digest.background!.map((b) => b.id)).has(digest.papers[0].paper.id)).toBe(false);
    // The day before: every theme is as old as the day, and later papers are not shown.
    const before = await buildDigest(library, { day: DAY1, relatedPerPaper: 0, map: false });
    expect(before.papers).toHaveLength(42);
    expect(before.themes.every((t) => t.history!.length === 1)).toBe(true);
  });

  it("renders the day: badge for new themes, a sparkline per theme, the library drawn faintly", async () => {
    const digest = await buildDigest(library, { day: DAY2, relatedPerPaper: 0, map: "pca" });
    const html = renderHtml(digest);
    expect(html).toContain(`<time datetime="${DAY2}">`);
    expect(html).toContain("library of 56 papers");
    expect(html.match(/<span class="badge new">new<\/span>/g)).toHaveLength(digest.themes.filter((t) => t.isNew).length);
    expect(html.match(/<svg class="spark"/g)).toHaveLength(digest.themes.length);
    expect(html.match(/<circle class="bg"/g)).toHaveLength(42);
    expect(html.match(/<circle class="point"/g)).toHaveLength(14);
  });

  it("recommends the day's papers like the liked ones, once something is liked", async () => {
    const before = await buildDigest(library, { day: DAY2, relatedPerPaper: 0, map: false });
    expect(before.recommended).toBeUndefined(); // nothing liked yet: no section
    expect(renderHtml(before)).not.toContain("Recommended for you today");
    const liked = [`${DAY1}-robotics-0`, `${DAY1}-robotics-1`, `${DAY1}-robotics-2`];
    await library.collections.add("liked", liked);
    try {
      const digest = await buildDigest(library, { day: DAY2, relatedPerPaper: 0, map: false, recommendations: 4 });
      const picks = digest.recommended ?? [];
      expect(picks).toHaveLength(4);
      // Only the day's papers, never a liked one, led by the day's robotics papers (4 of 14).
      expect(picks.every((r) => r.id.startsWith(`${DAY2}-`))).toBe(true);
      expect(picks.filter((r) => r.id.startsWith(`${DAY2}-robotics-`)).length).toBeGreaterThanOrEqual(3);
      expect(picks[0].id).toMatch(/robotics/);
      expect(liked).toContain(picks[0].closestLiked[0].id);
      const html = renderHtml(digest);
      expect(html).toContain("Recommended for you today");
      expect(html).toContain(library.get(picks[0].id)!.title);
      expect(renderMarkdown(digest)).toContain("## Recommended for you today");
      expect((await buildDigest(library, { day: DAY2, relatedPerPaper: 0, map: false, recommendations: 0 })).recommended).toBeUndefined();
    } finally {
      await library.collections.delete("liked");
    }
  });

  it("sparkline: one point per day, scaled to the busiest day, numbers in its title", () => {
    const svg = sparkline(
      [
        { day: "2025-04-01", count: 0 },
        { day: "2025-04-02", count: 4 },
        { day: "2025-04-03", count: 2 },
      ],
      "#123456",
      100,
      20,
    );
    expect(svg).toContain('points="2.0,18.0 50.0,2.0 98.0,10.0"');
    expect(svg).toContain("2025-04-02 4");
    expect(svg).toContain('stroke="#123456"');
  });

  it("refuses a day that is not YYYY-MM-DD", async () => {
    await expect(buildDigest(library, { day: "April 2" })).rejects.toThrow(InvalidArgumentError);
    await expect(buildDigest(library, { day: "2025-13-45" })).rejects.toThrow(InvalidArgumentError);
  });

  it("papermap report --library dir --day writes the day's digest", async () => {
    const cli = ensureBuilt();
    const folder = path.join(dir, "lib");
    await library.save(folder);
    const out = path.join(dir, "day.html");
    const run = await runNode([cli, "report", "--library", folder, "--day", DAY2, "--out", out, "--map", "pca"], {
      env: { ...process.env, PAPERMAP_OFFLINE: "1", PAPERMAP_CACHE_DIR: path.join(dir, "cache"), NO_COLOR: "1" },
    });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/14 papers/);
    const html = await readFile(out, "utf8");
    expect(html).toContain(`Papers of ${DAY2}`);
    expect(html).toContain('<span class="badge new">new</span>');
  }, 300_000);
});
