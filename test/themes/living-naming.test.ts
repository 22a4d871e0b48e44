import { beforeEach, describe, expect, it, vi } from "vitest";
import { InvalidArgumentError } from "../../src/errors.js";
import type { Paper } from "../../src/paper.js";
import { startThemes, updateThemeState, type LivingInput } from "../../src/themes/living.js";
import { concat, papersOn } from "./living-data.js";

// Naming is watched through labelThemes: which papers, and which groups of them, it is given.
const calls: Array<{ papers: readonly Paper[]; groups: readonly (readonly number[])[] }> = [];
vi.mock("../../src/themes/labels.js", async (importOriginal) => {
  const original = await importOriginal<typeof import("../../src/themes/labels.js")>();
  return {
    ...original,
    labelThemes: (papers: readonly Paper[], groups: readonly (readonly number[])[], options?: object) => {
      calls.push({ papers, groups });
      return original.labelThemes(papers, groups, options);
    },
  };
});

const input = (set: { papers: Paper[]; vectors: Float32Array[] }): LivingInput => ({ ...set, embedderId: "test-vectors" });

/** 450 papers on three subjects, 150 each. */
const threeSubjects = () =>
  concat(
    papersOn("robotics", 150, { day: "2025-04-01", prefix: "d1-" }),
    papersOn("astronomy", 150, { day: "2025-04-01", prefix: "d1-" }),
    papersOn("cooking", 150, { day: "2025-04-01", prefix: "d1-" }),
  );

/** The three subjects, then a day that brings 12 chess papers (a new theme). */
async function libraryAndNewDay() {
  const library = threeSubjects();
  const first = await startThemes(input(library));
  const next = concat(library, papersOn("chess", 12, { day: "2025-04-02", prefix: "d2-" }));
  return { first, next };
}

describe("naming in a large library", () => {
  beforeEach(() => {
    calls.length = 0;
  });

  it("names from every paper while the library is within namingSample", async () => {
    const { first, next } = await libraryAndNewDay();
    calls.length = 0;
    const step = await updateThemeState(first.state, input(next));
    expect(step.changes.filter((c) => c.kind === "new")).toHaveLength(1);
    expect(calls).toHaveLength(1);
    expect(calls[0].papers).toHaveLength(462);
  });

  it("beyond namingSample, names from a sample that keeps every member of the theme being named", async () => {
    const { first, next } = await libraryAndNewDay();
    calls.length = 0;
    const step = await updateThemeState(first.state, input(next), { namingSample: 100 });
    const created = step.changes.filter((c) => c.kind === "new");
    expect(created).toHaveLength(1);
    expect(calls).toHaveLength(1);
    const { papers, groups } = calls[0];
    expect(papers.length).toBeLessThanOrEqual(100);
    // Groups index the sampled papers, one group per theme, each theme's own papers.
    const themes = step.state.themes;
    expect(groups).toHaveLength(themes.length);
    groups.forEach((g, ti) => {
      expect(g.length).toBeGreaterThan(0);
      for (const i of g) expect(themes[ti].members).toContain(papers[i].id);
    });
    // The new theme is named from all twelve of its papers; the others from about a third of theirs.
    const chess = themes.findIndex((t) => t.id === created[0].themeId);
    expect(groups[chess]).toHaveLength(12);
    for (const [ti, g] of groups.entries()) if (ti !== chess) expect(g.length).toBeLessThan(themes[ti].members.length / 2);
    expect(themes[chess].label.toLowerCase()).toMatch(/opening|endgame|pawn|bishop|checkmate|gambit|rook|grandmaster|tablebase|tempo/);
    // Themes that were not renamed keep their names.
    for (const t of first.state.themes) expect(themes.find((x) => x.id === t.id)!.label).toBe(t.label);
  });

  it("when every theme is due for a new name, the sample still stays within namingSample", async () => {
    const { first } = await libraryAndNewDay();
    const library = concat(
      threeSubjects(),
      papersOn("robotics", 60, { day: "2025-04-02", prefix: "d2-", seed: 3 }),
      papersOn("astronomy", 60, { day: "2025-04-02", prefix: "d2-", seed: 4 }),
      papersOn("cooking", 60, { day: "2025-04-02", prefix: "d2-", seed: 5 }),
    );
    calls.length = 0;
    // 60 new papers in each theme of 150 pass a relabel share of 0.2: all three are due.
    const step = await updateThemeState(first.state, input(library), { namingSample: 100, relabelShare: 0.2 });
    expect(step.changes.filter((c) => c.kind === "grew")).toHaveLength(3);
    expect(calls).toHaveLength(1);
    expect(calls[0].papers.length).toBeLessThanOrEqual(100);
    // Each theme is still named from its own papers, about a third of the sample each.
    for (const [ti, g] of calls[0].groups.entries()) {
      expect(g.length).toBeGreaterThanOrEqual(20);
      for (const i of g) expect(step.state.themes[ti].members).toContain(calls[0].papers[i].id);
    }
  });

  it("the sample is seeded: the same days give the same names", async () => {
    const { first, next } = await libraryAndNewDay();
    const a = await updateThemeState(first.state, input(next), { namingSample: 100 });
    const b = await updateThemeState(first.state, input(next), { namingSample: 100 });
    expect(JSON.stringify(b.state)).toBe(JSON.stringify(a.state));
  });

  it("refuses a namingSample that is not a whole number of at least 100", async () => {
    const { first, next } = await libraryAndNewDay();
    for (const bad of [0, 50, 150.5, Number.NaN]) {
      await expect(updateThemeState(first.state, input(next), { namingSample: bad })).rejects.toThrow(InvalidArgumentError);
    }
  });
});
