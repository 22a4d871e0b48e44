import { createHash } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { IncompatibleIndexError } from "../../src/errors.js";
import { PaperLibrary } from "../../src/library.js";
import type { Paper } from "../../src/paper.js";
import { papersOn } from "./living-data.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "papermap-living-"));
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

const options = (notices: string[] = []) => ({
  embedder: "lexical" as const,
  cacheDir: false as const,
  onNotice: (m: string) => notices.push(m),
});
const day = (subjects: [string, number][], date: string, seed = 1): Paper[] =>
  subjects.flatMap(([s, n], i) => papersOn(s, n, { day: date, prefix: `${date}-`, seed: seed * 31 + i }).papers);
const themeIds = (r: { assignments: Map<string, { themeId: string }> }) =>
  Object.fromEntries([...r.assignments].map(([id, a]) => [id, a.themeId]));

describe("PaperLibrary living themes", () => {
  it("keeps theme ids across save/open and across updates", async () => {
    const lib = await PaperLibrary.create(
      day(
        [
          ["robotics", 15],
          ["astronomy", 15],
          ["cooking", 15],
        ],
        "2025-04-01",
      ),
      options(),
    );
    const first = await lib.themes();
    expect(first.themes.map((t) => t.id).sort()).toEqual(["theme-1", "theme-2", "theme-3"]);
    const folder = path.join(dir, "lib-a");
    await lib.save(folder);

    const opened = await PaperLibrary.open(folder, { onNotice: () => {} });
    const again = await opened.themes();
    expect(themeIds(again)).toEqual(themeIds(first));
    expect(again.themes.map((t) => [t.id, t.label, t.size])).toEqual(first.themes.map((t) => [t.id, t.label, t.size]));
    expect((await opened.updateThemes()).changes).toEqual([]);

    // A day on a known subject joins its theme; everything else stays.
    const robotics = first.assignments.get("2025-04-01-robotics-0")!.themeId;
    await opened.add(day([["robotics", 5]], "2025-04-02", 2));
    const update = await opened.updateThemes();
    expect(update.refitted).toBe(false);
    for (let i = 0; i < 5; i++) expect(update.assignments.get(`2025-04-02-robotics-${i}`)!.themeId).toBe(robotics);
    for (const [id, theme] of Object.entries(themeIds(first))) expect(update.assignments.get(id)!.themeId).toBe(theme);
    expect(update.changes).toEqual([
      { kind: "grew", themeId: robotics, papers: Array.from({ length: 5 }, (_, i) => `2025-04-02-robotics-${i}`) },
    ]);

    await opened.save(folder);
    const third = await PaperLibrary.open(folder, { onNotice: () => {} });
    expect(themeIds(await third.themes())).toEqual(themeIds(update));
  });

  it("a day on an unseen subject becomes a new theme; the digest of that day lists it first", async () => {
    const lib = await PaperLibrary.create(
      day(
        [
          ["robotics", 15],
          ["astronomy", 15],
          ["cooking", 15],
        ],
        "2025-04-01",
      ),
      options(),
    );
    await lib.themes();
    await lib.add(
      day(
        [
          ["chess", 10],
          ["astronomy", 3],
        ],
        "2025-04-02",
        3,
      ),
    );
    const update = await lib.updateThemes();
    const created = update.changes.filter((c) => c.kind === "new");
    expect(created.map((c) => c.themeId)).toEqual(["theme-4"]);
    const chess = update.themes.find((t) => t.id === "theme-4")!;
    expect(chess.papers.every((p) => p.id.includes("chess"))).toBe(true);
    expect(chess.created).toBe("2025-04-02");
    expect(update.changes.filter((c) => c.themeId === "theme-4").map((c) => c.kind)).toEqual(["new"]);
    const timeline = await lib.timeline({ by: "day" });
    expect(timeline.periods).toEqual(["2025-04-01", "2025-04-02"]);
    expect(timeline.themes.find((t) => t.themeId === "theme-4")!.counts).toEqual([0, chess.size]);
  });

  it("refits the lexical embedder once the added papers exceed half of those it was fitted on, keeping theme ids", async () => {
    const notices: string[] = [];
    const lib = await PaperLibrary.create(
      day(
        [
          ["robotics", 12],
          ["astronomy", 12],
        ],
        "2025-04-01",
      ),
      options(notices),
    );
    const first = await lib.themes();
    const embedderBefore = lib.embedderId;
    await lib.add(
      day(
        [
          ["robotics", 8],
          ["astronomy", 8],
        ],
        "2025-04-02",
        5,
      ),
    );
    const update = await lib.updateThemes();
    expect(update.refitted).toBe(true);
    expect(notices.some((n) => /fitting it again/.test(n) && /themes keep their ids/.test(n))).toBe(true);
    expect(lib.embedderId).not.toBe(embedderBefore);
    const moved = new Set(
      update.changes.filter((c) => c.kind === "split" || c.kind === "merged").flatMap((c) => [c.themeId, ...(c.from ?? [])]),
    );
    for (const [id, a] of first.assignments) if (!moved.has(a.themeId)) expect(update.assignments.get(id)!.themeId).toBe(a.themeId);
    // Search works with the new vectors, and the refit survives save/open.
    const hits = await lib.search("robot grasping manipulation", { k: 3 });
    expect(hits[0].paper.id).toContain("robotics");
    const folder = path.join(dir, "lib-refit");
    await lib.save(folder);
    const opened = await PaperLibrary.open(folder, { onNotice: () => {} });
    expect(opened.embedderId).toBe(lib.embedderId);
    expect(themeIds(await opened.themes())).toEqual(themeIds(update));
    expect((await opened.updateThemes()).changes).toEqual([]);
  });

  it("themes({ rebuild: true }) starts over; updateThemes() with nothing new changes nothing", async () => {
    const lib = await PaperLibrary.create(
      day(
        [
          ["robotics", 10],
          ["music", 10],
          ["geology", 10],
        ],
        "2025-04-01",
      ),
      options(),
    );
    await lib.themes();
    await lib.add(day([["chess", 8]], "2025-04-02", 7));
    const grown = await lib.updateThemes();
    expect(grown.themes.some((t) => t.id === "theme-4")).toBe(true);
    const same = await lib.updateThemes();
    expect(same.changes).toEqual([]);
    expect(themeIds(same)).toEqual(themeIds(grown));
    const rebuilt = await lib.themes({ rebuild: true });
    expect(rebuilt.themes.map((t) => t.id).sort()).toEqual(["theme-1", "theme-2", "theme-3", "theme-4"]);
    const two = await lib.themes({ k: 2 });
    expect(two.themes).toHaveLength(2);
  });

  it("themes() after add() brings the themes up to date and the next updateThemes() reports the changes", async () => {
    const lib = await PaperLibrary.create(
      day(
        [
          ["robotics", 10],
          ["astronomy", 10],
        ],
        "2025-04-01",
      ),
      options(),
    );
    await lib.themes();
    await lib.add(day([["astronomy", 4]], "2025-04-02", 9));
    const current = await lib.themes();
    expect(current.assignments.size).toBe(24);
    const update = await lib.updateThemes();
    expect(update.changes.map((c) => c.kind)).toEqual(["grew"]);
    expect((await lib.updateThemes()).changes).toEqual([]);
  });

  it("is deterministic: the same days in the same order give the same themes, labels and changes", async () => {
    const run = async () => {
      const lib = await PaperLibrary.create(
        day(
          [
            ["robotics", 12],
            ["astronomy", 12],
            ["music", 12],
          ],
          "2025-04-01",
        ),
        options(),
      );
      await lib.themes({ seed: 4 });
      const out: unknown[] = [];
      for (const [date, subjects] of [
        [
          "2025-04-02",
          [
            ["chess", 8],
            ["robotics", 4],
          ],
        ],
        [
          "2025-04-03",
          [
            ["geology", 9],
            ["music", 5],
          ],
        ],
      ] as [string, [string, number][]][]) {
        await lib.add(day(subjects, date, 11));
        const u = await lib.updateThemes();
        out.push(
          u.changes,
          u.themes.map((t) => [t.id, t.label, t.size]),
          themeIds(u),
        );
      }
      return out;
    };
    expect(await run()).toEqual(await run());
  });

  it("open refuses damaged saved themes", async () => {
    const lib = await PaperLibrary.create(
      day(
        [
          ["robotics", 8],
          ["astronomy", 8],
        ],
        "2025-04-01",
      ),
      options(),
    );
    await lib.themes();
    const folder = path.join(dir, "lib-damaged");
    await lib.save(folder);
    // Damage the themes but keep the file's checksum right, so that the themes' own check is what refuses it.
    const file = path.join(folder, "state.json");
    const state = JSON.parse(await readFile(file, "utf8"));
    state.themes.themes[0].members.push(state.themes.themes[1].members[0]);
    state.themes.themes[0].shares.push(1);
    const text = JSON.stringify(state);
    await writeFile(file, text);
    const manifestFile = path.join(folder, "library.json");
    const manifest = JSON.parse(await readFile(manifestFile, "utf8"));
    manifest.files["state.json"] = { bytes: Buffer.byteLength(text), sha256: createHash("sha256").update(text).digest("hex") };
    await writeFile(manifestFile, JSON.stringify(manifest, null, 2));
    await expect(PaperLibrary.open(folder, { onNotice: () => {} })).rejects.toThrow(IncompatibleIndexError);
    await expect(PaperLibrary.open(folder, { onNotice: () => {} })).rejects.toThrow(
      /lib-damaged[^]*saved themes are damaged \(paper .* in two themes\)/,
    );
  });
});
