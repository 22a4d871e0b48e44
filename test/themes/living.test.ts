import { describe, expect, it } from "vitest";
import { InvalidArgumentError } from "../../src/errors.js";
import {
  prefixCoverage,
  placeInThemes,
  restoreThemeState,
  startThemes,
  updateThemeState,
  type LivingInput,
  type ThemeState,
} from "../../src/themes/living.js";
import { buildTimeline, periodOf } from "../../src/themes/timeline.js";
import { concat, papersOn } from "./living-data.js";

const EMBEDDER = "test-vectors";
const input = (set: { papers: LivingInput["papers"]; vectors: LivingInput["vectors"] }, embedderId = EMBEDDER): LivingInput => ({
  papers: set.papers,
  vectors: set.vectors,
  embedderId,
});
const themeOf = (state: ThemeState, id: string) => state.themes.find((t) => t.members.includes(id))?.id;

/** Day 1: three subjects, 20 papers each. */
function dayOne() {
  return concat(
    papersOn("robotics", 20, { day: "2025-04-01", prefix: "d1-" }),
    papersOn("astronomy", 20, { day: "2025-04-01", prefix: "d1-" }),
    papersOn("cooking", 20, { day: "2025-04-01", prefix: "d1-" }),
  );
}

describe("living themes", () => {
  it("builds the first themes with ids from theme-1, one per subject", async () => {
    const first = await startThemes(input(dayOne()));
    expect(first.state.themes.map((t) => t.id).sort()).toEqual(["theme-1", "theme-2", "theme-3"]);
    for (const subject of ["robotics", "astronomy", "cooking"]) {
      const ids = new Set(Array.from({ length: 20 }, (_, i) => themeOf(first.state, `d1-${subject}-${i}`)));
      expect(ids.size).toBe(1);
    }
    expect(first.changes.every((c) => c.kind === "new")).toBe(true);
    expect(first.state.themes.every((t) => t.created === "2025-04-01")).toBe(true);
    // Every paper has an assignment with a confidence in [0, 1].
    expect(first.result.assignments.size).toBe(60);
    for (const a of first.result.assignments.values()) expect(a.confidence).toBeGreaterThanOrEqual(0);
  });

  it("a day on a known subject joins its theme; nothing else moves", async () => {
    const one = dayOne();
    const first = await startThemes(input(one));
    const robotics = themeOf(first.state, "d1-robotics-0")!;
    const two = concat(one, papersOn("robotics", 8, { day: "2025-04-02", prefix: "d2-", seed: 99 }));
    const next = await updateThemeState(first.state, input(two));
    for (let i = 0; i < 8; i++) expect(themeOf(next.state, `d2-robotics-${i}`)).toBe(robotics);
    for (const p of one.papers) expect(themeOf(next.state, p.id)).toBe(themeOf(first.state, p.id));
    expect(next.changes).toEqual([{ kind: "grew", themeId: robotics, papers: Array.from({ length: 8 }, (_, i) => `d2-robotics-${i}`) }]);
    expect(next.state.themes.map((t) => t.id).sort()).toEqual(["theme-1", "theme-2", "theme-3"]);
    // Labels stay: 8 new papers in a theme of 28 is under a third.
    for (const t of first.state.themes) expect(next.state.themes.find((x) => x.id === t.id)!.label).toBe(t.label);
  });

  it("a day on an unseen subject creates a new theme with a new id", async () => {
    const one = dayOne();
    const first = await startThemes(input(one));
    const two = concat(
      one,
      papersOn("chess", 12, { day: "2025-04-02", prefix: "d2-" }),
      papersOn("cooking", 4, { day: "2025-04-02", prefix: "d2-", seed: 5 }),
    );
    const next = await updateThemeState(first.state, input(two));
    const created = next.changes.filter((c) => c.kind === "new");
    expect(created).toHaveLength(1);
    expect(created[0].themeId).toBe("theme-4");
    expect([...(created[0].papers ?? [])].sort()).toEqual(Array.from({ length: 12 }, (_, i) => `d2-chess-${i}`).sort());
    const theme = next.state.themes.find((t) => t.id === "theme-4")!;
    expect(theme.created).toBe("2025-04-02");
    expect(theme.label.toLowerCase()).toMatch(/opening|endgame|pawn|bishop|checkmate|gambit|rook|grandmaster|tablebase|tempo/);
    // The cooking papers joined cooking; the old papers kept their themes.
    expect(themeOf(next.state, "d2-cooking-0")).toBe(themeOf(first.state, "d1-cooking-0"));
    for (const p of one.papers) expect(themeOf(next.state, p.id)).toBe(themeOf(first.state, p.id));
  });

  it("a batch on an unseen subject that lies nearest an existing theme still becomes a new theme", async () => {
    const one = dayOne();
    const first = await startThemes(input(one));
    const robotics = themeOf(first.state, "d1-robotics-0")!;
    // Chess papers half-way towards robotics: robotics is by far their nearest theme and they
    // fit it well (confidence above the threshold), but they lie closer to each other.
    const chess = papersOn("chess", 12, { day: "2025-04-02", prefix: "d2-", towards: { subject: "robotics", weight: 0.5 } });
    const two = concat(one, chess, papersOn("cooking", 4, { day: "2025-04-02", prefix: "d2-", seed: 5 }));
    const placed = placeInThemes(first.state, input(one), chess.vectors);
    expect(placed.every((p) => p.themeId === robotics && p.confidence >= 0.3)).toBe(true);
    // No re-clustering of all papers (which would find them too): the day's papers alone tell.
    const next = await updateThemeState(first.state, input(two), { restructureGrowth: 100 });
    const created = next.changes.filter((c) => c.kind === "new");
    expect(created).toHaveLength(1);
    expect([...(created[0].papers ?? [])].sort()).toEqual(chess.papers.map((p) => p.id).sort());
    // The robotics theme kept its papers and nothing else: no old paper moved.
    for (const p of one.papers) expect(themeOf(next.state, p.id)).toBe(themeOf(first.state, p.id));
    expect(themeOf(next.state, "d2-cooking-0")).toBe(themeOf(first.state, "d1-cooking-0"));
  });

  it("one new subject arriving in two corners becomes one new theme, not two", async () => {
    const one = dayOne();
    const first = await startThemes(input(one));
    // 24 chess papers: half leaning towards music, half towards geology (neither subject is in
    // the library). Clustered, they fall in two groups; together they still make one theme as
    // tight as the others and clearly apart from them.
    const corners = concat(
      papersOn("chess", 12, { day: "2025-04-02", prefix: "d2-a-", towards: { subject: "music", weight: 0.45 }, seed: 7 }),
      papersOn("chess", 12, { day: "2025-04-02", prefix: "d2-b-", towards: { subject: "geology", weight: 0.45 }, seed: 8 }),
    );
    const next = await updateThemeState(first.state, input(concat(one, corners)), { restructureGrowth: 100 });
    const created = next.changes.filter((c) => c.kind === "new");
    expect(created).toHaveLength(1);
    expect([...(created[0].papers ?? [])].sort()).toEqual(corners.papers.map((p) => p.id).sort());
    for (const p of one.papers) expect(themeOf(next.state, p.id)).toBe(themeOf(first.state, p.id));
  });

  it("a young theme on a subject of its own is not merged away by a coarser re-clustering", async () => {
    const one = dayOne();
    const first = await startThemes(input(one));
    const two = concat(one, papersOn("chess", 12, { day: "2025-04-02", prefix: "d2-" }));
    const made = await updateThemeState(first.state, input(two), { restructureGrowth: 100 });
    const chess = themeOf(made.state, "d2-chess-0")!;
    expect(made.changes.find((c) => c.kind === "new")?.themeId).toBe(chess);
    // Re-clustering into three themes can only put chess together with another subject: the
    // two living themes then lie in one fresh theme, yet chess papers sit far closer to each
    // other than to that subject's centre, so nothing merges.
    const coarse: ThemeState = { ...structuredClone(made.state), settings: { ...made.state.settings, k: 3 } };
    const three = concat(two, papersOn("astronomy", 40, { day: "2025-04-03", prefix: "d3-", seed: 12 }));
    const next = await updateThemeState(coarse, input(three), { restructureGrowth: 0.1 });
    expect(next.changes.filter((c) => c.kind === "merged")).toEqual([]);
    for (let i = 0; i < 12; i++) expect(themeOf(next.state, `d2-chess-${i}`)).toBe(chess);
  });

  it("an ordinary day (known subjects, even many papers at once) creates no theme", async () => {
    const one = dayOne();
    const first = await startThemes(input(one));
    const two = concat(
      one,
      papersOn("robotics", 15, { day: "2025-04-02", prefix: "d2-", seed: 31 }),
      papersOn("astronomy", 15, { day: "2025-04-02", prefix: "d2-", seed: 32 }),
      papersOn("cooking", 15, { day: "2025-04-02", prefix: "d2-", seed: 33 }),
    );
    const next = await updateThemeState(first.state, input(two), { restructureGrowth: 100 });
    expect(next.changes.map((c) => c.kind)).toEqual(["grew", "grew", "grew"]);
    expect(next.state.themes.map((t) => t.id).sort()).toEqual(["theme-1", "theme-2", "theme-3"]);
    for (const subject of ["robotics", "astronomy", "cooking"])
      for (let i = 0; i < 15; i++) expect(themeOf(next.state, `d2-${subject}-${i}`)).toBe(themeOf(first.state, `d1-${subject}-0`));
  });

  it("with no new papers, an update changes nothing", async () => {
    const one = dayOne();
    const first = await startThemes(input(one));
    const again = await updateThemeState(first.state, input(one));
    expect(again.changes).toEqual([]);
    expect(again.state).toEqual(first.state);
    expect(JSON.stringify(again.state)).toBe(JSON.stringify(first.state));
  });

  it("is deterministic: the same days give the same state", async () => {
    const run = async () => {
      const one = dayOne();
      let step = await startThemes(input(one), { seed: 3 });
      const two = concat(
        one,
        papersOn("chess", 10, { day: "2025-04-02", prefix: "d2-" }),
        papersOn("robotics", 5, { day: "2025-04-02", prefix: "d2-" }),
      );
      step = await updateThemeState(step.state, input(two), { seed: 3 });
      const three = concat(
        two,
        papersOn("music", 9, { day: "2025-04-03", prefix: "d3-" }),
        papersOn("astronomy", 30, { day: "2025-04-03", prefix: "d3-" }),
      );
      step = await updateThemeState(step.state, input(three), { seed: 3 });
      return step;
    };
    const a = await run();
    const b = await run();
    expect(JSON.stringify(a.state)).toBe(JSON.stringify(b.state));
    expect(a.changes).toEqual(b.changes);
  });

  it("splits a theme that holds two subjects once the library has grown, with lineage", async () => {
    const one = dayOne();
    const first = await startThemes(input(one));
    // Pretend an earlier update lumped astronomy into the robotics theme.
    const lumped: ThemeState = structuredClone(first.state);
    const robotics = lumped.themes.find((t) => t.members.includes("d1-robotics-0"))!;
    const astronomy = lumped.themes.find((t) => t.members.includes("d1-astronomy-0"))!;
    robotics.members.push(...astronomy.members);
    robotics.shares.push(...astronomy.shares);
    lumped.themes = lumped.themes.filter((t) => t !== astronomy);
    const grown = concat(one, papersOn("cooking", 20, { day: "2025-04-02", prefix: "d2-", seed: 8 }));
    const next = await updateThemeState(restoreThemeState(JSON.parse(JSON.stringify(lumped))), input(grown));
    const split = next.changes.filter((c) => c.kind === "split");
    expect(split).toHaveLength(1);
    expect(split[0].from).toEqual([robotics.id]);
    expect(split[0].themeId).toBe(`theme-${first.state.nextId}`);
    const part = new Set(split[0].papers);
    // One part is the astronomy papers (the larger part keeps the id; both are 20 here).
    const astro = one.papers.filter((p) => p.id.includes("astronomy")).map((p) => p.id);
    const robo = one.papers.filter((p) => p.id.includes("robotics")).map((p) => p.id);
    const moved = astro.every((id) => part.has(id)) ? astro : robo;
    expect(moved.every((id) => part.has(id))).toBe(true);
    expect(next.state.themes.find((t) => t.id === split[0].themeId)!.from).toEqual([robotics.id]);
    // The theme that split keeps its id for the other part.
    const stay = moved === astro ? robo : astro;
    for (const id of stay) expect(themeOf(next.state, id)).toBe(robotics.id);
  });

  it("splits off a small subject from a broad theme, however small a share of it the subject is", async () => {
    // 48 robotics papers and 8 astronomy papers lumped in one theme: astronomy is a sixth of it.
    const one = concat(
      papersOn("robotics", 48, { day: "2025-04-01", prefix: "d1-" }),
      papersOn("astronomy", 8, { day: "2025-04-01", prefix: "d1-" }),
      papersOn("cooking", 20, { day: "2025-04-01", prefix: "d1-" }),
    );
    // Three themes for three subjects (the automatic count may cut robotics in two).
    const first = await startThemes(input(one), { k: 3 });
    const lumped: ThemeState = structuredClone(first.state);
    const robotics = lumped.themes.find((t) => t.members.includes("d1-robotics-0"))!;
    const astronomy = lumped.themes.find((t) => t.members.includes("d1-astronomy-0"))!;
    expect(astronomy).not.toBe(robotics); // a fresh clustering tells them apart
    robotics.members.push(...astronomy.members);
    robotics.shares.push(...astronomy.shares);
    lumped.themes = lumped.themes.filter((t) => t !== astronomy);
    expect(8 / robotics.members.length).toBeLessThan(0.2);
    const grown = concat(one, papersOn("cooking", 24, { day: "2025-04-02", prefix: "d2-", seed: 8 }));
    const next = await updateThemeState(lumped, input(grown));
    const split = next.changes.filter((c) => c.kind === "split");
    expect(split).toHaveLength(1);
    expect(split[0].from).toEqual([robotics.id]);
    expect([...(split[0].papers ?? [])].sort()).toEqual(Array.from({ length: 8 }, (_, i) => `d1-astronomy-${i}`).sort());
    for (let i = 0; i < 48; i++) expect(themeOf(next.state, `d1-robotics-${i}`)).toBe(robotics.id);
  });

  it("merges two themes that cover one subject, keeping the larger one's id", async () => {
    const one = dayOne();
    const first = await startThemes(input(one));
    // Pretend cooking had been cut in two themes (12 + 8 papers).
    const cut: ThemeState = structuredClone(first.state);
    const cooking = cut.themes.find((t) => t.members.includes("d1-cooking-0"))!;
    const moved = cooking.members.filter((id) => Number(id.split("-").pop()) >= 12);
    cooking.members = cooking.members.filter((id) => !moved.includes(id));
    cooking.shares = cooking.members.map(() => 1);
    cut.themes.push({
      ...structuredClone(cooking),
      id: `theme-${cut.nextId}`,
      members: moved,
      shares: moved.map(() => 1),
      from: [cooking.id],
    });
    const extraId = `theme-${cut.nextId}`;
    cut.nextId += 1;
    const grown = concat(one, papersOn("robotics", 20, { day: "2025-04-02", prefix: "d2-", seed: 4 }));
    const next = await updateThemeState(cut, input(grown));
    const merged = next.changes.filter((c) => c.kind === "merged");
    expect(merged).toHaveLength(1);
    expect(merged[0].themeId).toBe(cooking.id);
    expect(merged[0].from).toEqual([cooking.id, extraId]);
    expect([...(merged[0].papers ?? [])].sort()).toEqual([...moved].sort());
    for (let i = 0; i < 20; i++) expect(themeOf(next.state, `d1-cooking-${i}`)).toBe(cooking.id);
    expect(next.state.themes.some((t) => t.id === extraId)).toBe(false);
    expect(next.state.retired).toContainEqual({ id: extraId, kind: "merged", into: cooking.id, at: next.state.updates });
    // The retired id is never given again.
    const later = await updateThemeState(next.state, input(concat(grown, papersOn("chess", 12, { day: "2025-04-03", prefix: "d3-" }))));
    const fresh = later.changes.filter((c) => c.kind === "new").map((c) => c.themeId);
    expect(fresh).toHaveLength(1);
    expect(fresh[0]).not.toBe(extraId);
  });

  it("keeps theme ids when every vector changes (a refitted embedder)", async () => {
    const one = dayOne();
    const first = await startThemes(input(one));
    // Same subjects, every vector rotated (coordinates shifted) and re-noised: another embedder.
    const shifted = one.vectors.map((v) => Float32Array.from(v, (_, j) => v[(j + 7) % v.length] + 0.01 * Math.sin(j)));
    const next = await updateThemeState(first.state, { papers: one.papers, vectors: shifted, embedderId: "other-embedder" });
    for (const p of one.papers) expect(themeOf(next.state, p.id)).toBe(themeOf(first.state, p.id));
    expect(next.changes.filter((c) => c.kind !== "grew")).toEqual([]);
    expect(next.state.embedderId).toBe("other-embedder");
  });

  it("after a re-embedding, an old paper the new vectors place in another theme moves there; otherwise it stays", async () => {
    const one = dayOne();
    const first = await startThemes(input(one));
    const robotics = themeOf(first.state, "d1-robotics-0")!;
    const astronomy = themeOf(first.state, "d1-astronomy-0")!;
    // Pretend an earlier representation put one astronomy paper in the robotics theme.
    const misplaced: ThemeState = structuredClone(first.state);
    const from = misplaced.themes.find((t) => t.id === astronomy)!;
    const to = misplaced.themes.find((t) => t.id === robotics)!;
    const j = from.members.indexOf("d1-astronomy-3");
    from.members.splice(j, 1);
    to.shares.push(from.shares.splice(j, 1)[0]);
    to.members.push("d1-astronomy-3");
    // Grown by a third without a re-embedding: re-clustered, but old papers keep their theme.
    const grown = concat(one, papersOn("cooking", 20, { day: "2025-04-02", prefix: "d2-", seed: 8 }));
    const kept = await updateThemeState(misplaced, input(grown));
    expect(themeOf(kept.state, "d1-astronomy-3")).toBe(robotics);
    // Re-embedded (another embedder id): the paper joins astronomy, listed in its "grew" change.
    const moved = await updateThemeState(misplaced, input(grown, "refitted-vectors"));
    expect(themeOf(moved.state, "d1-astronomy-3")).toBe(astronomy);
    expect(moved.changes.find((c) => c.kind === "grew" && c.themeId === astronomy)?.papers).toEqual(["d1-astronomy-3"]);
    for (const p of one.papers) if (p.id !== "d1-astronomy-3") expect(themeOf(moved.state, p.id)).toBe(themeOf(first.state, p.id));
    expect(moved.changes.filter((c) => c.kind !== "grew")).toEqual([]);
  });

  it("removes papers that left the library; a theme left empty has faded", async () => {
    const one = dayOne();
    const first = await startThemes(input(one));
    const cookingTheme = themeOf(first.state, "d1-cooking-0")!;
    const keep = one.papers.map((_p, i) => i).filter((i) => !one.papers[i].id.includes("cooking"));
    const next = await updateThemeState(
      first.state,
      input({ papers: keep.map((i) => one.papers[i]), vectors: keep.map((i) => one.vectors[i]) }),
    );
    expect(next.changes).toEqual([{ kind: "faded", themeId: cookingTheme }]);
    expect(next.result.assignments.size).toBe(40);
  });

  it("renames a theme only when a third of it is new and the new name covers clearly more", async () => {
    const one = dayOne();
    const first = await startThemes(input(one));
    const theme = first.state.themes.find((t) => t.members.includes("d1-robotics-0"))!;
    // Give it a poor name that covers none of its papers; 5 new papers (< 1/3) keep it.
    const named: ThemeState = structuredClone(first.state);
    named.themes.find((t) => t.id === theme.id)!.label = "quantum widgets";
    const small = concat(one, papersOn("robotics", 5, { day: "2025-04-02", prefix: "d2-", seed: 12 }));
    const kept = await updateThemeState(named, input(small));
    expect(kept.state.themes.find((t) => t.id === theme.id)!.label).toBe("quantum widgets");
    // 15 more (20 of 45 new since the label): now it is renamed to a name that covers more.
    const big = concat(small, papersOn("robotics", 15, { day: "2025-04-03", prefix: "d3-", seed: 13 }));
    const renamed = await updateThemeState(kept.state, input(big));
    const label = renamed.state.themes.find((t) => t.id === theme.id)!.label;
    expect(label).not.toBe("quantum widgets");
    const texts = big.papers.filter((p) => p.id.includes("robotics")).map((p) => `${p.title} ${p.abstract}`);
    expect(prefixCoverage(label, texts)).toBeGreaterThan(prefixCoverage("quantum widgets", texts) + 0.1);
  });

  it("places papers without changing the state", async () => {
    const one = dayOne();
    const first = await startThemes(input(one));
    const before = JSON.stringify(first.state);
    const probe = papersOn("astronomy", 3, { prefix: "probe-", seed: 77 });
    const placed = placeInThemes(first.state, input(one), probe.vectors);
    expect(placed.map((p) => p.themeId)).toEqual(Array(3).fill(themeOf(first.state, "d1-astronomy-0")));
    for (const p of placed) expect(p.confidence).toBeGreaterThan(0.3);
    expect(JSON.stringify(first.state)).toBe(before);
  });

  it("restoreThemeState accepts a saved state and refuses damaged ones", async () => {
    const first = await startThemes(input(dayOne()));
    const json = JSON.parse(JSON.stringify(first.state));
    expect(restoreThemeState(json)).toEqual(first.state);
    // biome-ignore lint/suspicious/noExplicitAny: the test damages a JSON copy of the state freely
    const broken = (edit: (s: any) => void) => {
      const s = structuredClone(json);
      edit(s);
      return () => restoreThemeState(s);
    };
    expect(() => restoreThemeState(null)).toThrow(InvalidArgumentError);
    expect(broken((s) => (s.format = "other"))).toThrow(/format/);
    expect(broken((s) => (s.version = 99))).toThrow(/version/);
    expect(broken((s) => s.themes[1].members.push(s.themes[0].members[0]))).toThrow(/two themes|members/);
    expect(broken((s) => (s.themes[0].id = s.themes[1].id))).toThrow(/twice/);
    expect(broken((s) => (s.themes[0].id = `theme-${s.nextId}`))).toThrow(/nextId/);
    expect(broken((s) => s.themes[0].shares.pop())).toThrow(/members/);
    expect(broken((s) => (s.themes[0].centre = ["x"]))).toThrow(/centre/);
    expect(broken((s) => (s.settings.k = 0))).toThrow(/settings/);
  });

  it("prefixCoverage (the relabel test) counts texts holding every content word of the label (5-letter prefixes, either side of a slash)", () => {
    const texts = ["Token pruning for vision models", "Pruning redundant tokens", "Speech synthesis", "audio codecs"];
    expect(prefixCoverage("token pruning", texts)).toBe(0.5);
    expect(prefixCoverage("speech / audio", texts)).toBe(0.5);
    expect(prefixCoverage("of the", texts)).toBe(0);
    expect(prefixCoverage("anything", [])).toBe(0);
  });
});

describe("timeline", () => {
  it("counts papers per day and week and marks emerging and fading themes", async () => {
    const days = ["2025-04-01", "2025-04-02", "2025-04-03", "2025-04-04", "2025-04-07", "2025-04-08"];
    const sets = days.map((day, d) =>
      concat(
        papersOn("robotics", d < 3 ? 6 : 1, { day, prefix: `${day}-`, seed: d }),
        papersOn("astronomy", 4, { day, prefix: `${day}-`, seed: 10 + d }),
        ...(d >= 3 ? [papersOn("chess", 5, { day, prefix: `${day}-`, seed: 20 + d })] : []),
      ),
    );
    const all = concat(...sets);
    const { result } = await startThemes(input(all));
    const timeline = buildTimeline(all.papers, result, { by: "day" });
    expect(timeline.periods).toEqual(days);
    expect(timeline.totals).toEqual([10, 10, 10, 10, 10, 10]);
    const trendOf = (word: string) => {
      const t = result.themes.find((x) => x.papers.some((p) => p.id.includes(word)))!;
      return timeline.themes.find((x) => x.themeId === t.id)!;
    };
    expect(trendOf("robotics").counts).toEqual([6, 6, 6, 1, 1, 1]);
    expect(trendOf("robotics").trend).toBe("fading");
    expect(trendOf("chess").trend).toBe("emerging");
    expect(trendOf("astronomy").trend).toBe("steady");
    const weekly = buildTimeline(all.papers, result, { by: "week" });
    expect(weekly.periods).toEqual(["2025-03-31", "2025-04-07"]);
    expect(weekly.totals).toEqual([40, 20]);
    expect(periodOf("2025-04-06", "week")).toBe("2025-03-31");
    expect(() => buildTimeline(all.papers, result, { by: "month" as "day" })).toThrow(InvalidArgumentError);
  });
});
