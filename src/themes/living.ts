/**
 * Living themes: one map of a growing library that keeps its themes from day to day.
 *
 * Everything here is a function over (papers, vectors, previous {@link ThemeState}) that
 * returns a new state, the themes it describes and the changes since the previous state.
 * The state is plain JSON (save it anywhere; {@link restoreThemeState} checks it back).
 *
 * One update:
 *
 * 1. Papers no longer in the library leave their themes (a theme left empty has *faded*).
 * 2. Centres are recomputed from each theme's members, so a refitted embedder (all vectors
 *    new) keeps every theme: identities live in the member lists, not in the vectors.
 * 3. Each new paper joins the theme most of its nearest held papers belong to, with the
 *    confidence `buildThemes` uses (closeness to the centre relative to the theme's median
 *    member × share of its neighbourhood in that theme). A paper whose confidence is below
 *    `fitThreshold` is also kept as *pending* for a few updates; so is a paper whose nearest
 *    papers, held and new (weighted by cosine), are mostly other new papers — at least half,
 *    and twice the share of new papers in the library — however well it fits its theme: a
 *    batch on a new subject coheres with itself rather than with any theme's old members.
 * 4. When the library has grown by `restructureGrowth` since the last look (or was re-embedded),
 *    all papers are clustered afresh (as `themes({ rebuild: true })` would) and compared to
 *    the living themes by their members: a living theme whose papers fall into two or more
 *    fresh themes that are mostly its own, however small a share of it each is, **splits** (its
 *    largest part keeps the id); living themes that mostly lie in one fresh theme **merge**
 *    into the largest of them once they have converged (a theme whose members still sit
 *    clearly closer to the centre of the other members than to the larger theme's centre
 *    stays: a coarse fresh clustering must not swallow a young theme on a subject of its
 *    own). After a re-embedding, old papers that the new vectors place elsewhere also move: a
 *    paper whose fresh theme lies mostly (≥ 60%) in another living theme, of which its own
 *    theme holds under 10%, and that is closer to that theme's centre than to its own
 *    theme's, joins it (listed in its "grew" change; a theme keeps at least half of its
 *    members). Nothing else moves: otherwise old papers keep their theme.
 * 5. Pending papers are clustered among themselves (this update's batch apart from the rest);
 *    a group of at least `minNewTheme` that is about as tight as a theme and tighter around its
 *    own centre than around any existing theme's (centres of the themes' settled members:
 *    pending papers, placed provisionally, would pull them) becomes a **new** theme. Further
 *    groups whose papers are closer to it than to any older theme join it when together they
 *    still pass that test: one subject, one theme.
 * 6. Labels stay put until more than `relabelShare` of a theme's members arrived after its
 *    label was chosen; the theme is then renamed only if the new name covers clearly more of
 *    its members (split and merged themes are always renamed).
 */
import { InvalidArgumentError } from "../errors.js";
import { seededSample } from "../text/random.js";
import { clamp01, median } from "../vector-math.js";
import { type Paper, paperDay } from "../paper.js";
import { isIsoDay } from "../ingest/dates.js";
import type { ProgressCallback } from "../progress.js";
import { clusterThemes, defaultAutoMinSize } from "./build.js";
import { labelThemes } from "./labels.js";
import { createRandom } from "./linalg.js";
import { clusterVectors } from "./pipeline.js";
import type { Theme, ThemeAssignment, ThemeResult } from "./types.js";

/** Format tag of a serialised {@link ThemeState}. */
export const THEME_STATE_FORMAT = "papermap-themes";
/** Version of the {@link ThemeState} layout written by this code. */
export const THEME_STATE_VERSION = 1;

/** One living theme, as saved. */
export interface ThemeRecord {
  /** `theme-<n>`: never reused for another theme of the same state. */
  id: string;
  label: string;
  keywords: string[];
  /** 2–3 named groups inside the theme, when the namer gives them. */
  subtopics?: string[];
  /** Member paper ids, in the order they joined. */
  members: string[];
  /** Per member (same order): share of its nearest papers that lie in this theme when it joined, in [0, 1]. */
  shares: number[];
  /** Unit centre of the members' vectors at the last update (6 decimals). */
  centre: number[];
  /** Listing day (YYYY-MM-DD) of the update that created the theme, when known. */
  created?: string;
  /** Number of the update that created the theme (0: the first build). */
  createdAt: number;
  /** Themes this one came from (split from one, or merged from several; its own id included for a merge). */
  from?: string[];
  /** Members when the label was last chosen or confirmed. */
  labelSize: number;
  /** Members that joined since then. */
  addedSinceLabel: number;
}

/** Everything living themes remember between updates (plain JSON). */
export interface ThemeState {
  format: typeof THEME_STATE_FORMAT;
  version: number;
  /** How themes are built when starting over or re-clustering. */
  settings: { k: number | "auto"; seed: number; minSize?: number };
  /** Embedder the vectors came from at the last update. */
  embedderId: string;
  /** Next theme number. */
  nextId: number;
  /** Updates so far (0 after the first build). */
  updates: number;
  /** Papers in the library when all were last clustered afresh. */
  restructuredAt: number;
  /** Latest listing day seen, when papers carry one. */
  lastDay?: string;
  themes: ThemeRecord[];
  /** Papers that fitted no theme well when they arrived (they still have a theme). */
  pending: { id: string; since: number }[];
  /** Themes that ended: merged into another, or faded (no members left). */
  retired: { id: string; kind: "merged" | "faded"; into?: string; at: number }[];
}

/** One event of an update. */
export interface ThemeChange {
  kind: "new" | "grew" | "split" | "merged" | "faded";
  /** The theme the event is about (for a split: the new part; for a merge: the theme that remains). */
  themeId: string;
  /** For "split": the theme it split from; for "merged": every theme merged (the remaining one included). */
  from?: string[];
  /** Papers involved: the new or joining papers, the papers that moved. */
  papers?: string[];
}

/** A theme of a living library: a {@link Theme} with its history. */
export interface LivingTheme extends Theme {
  /** Listing day of the update that created it, when known. */
  created?: string;
  /** Themes it came from. */
  from?: string[];
}

export interface LivingThemeResult extends ThemeResult {
  themes: LivingTheme[];
}

/** Knobs of living themes (all optional; the defaults were measured on daily listings). */
export interface LivingOptions {
  /** Theme count of a fresh build (default "auto"). Used when starting over. */
  k?: number | "auto";
  /** Seed of every random choice (default 1). */
  seed?: number;
  /** Smallest theme of a fresh build (default as in `buildThemes`). */
  minSize?: number;
  /** Progress of fresh clusterings (`{ stage: "themes", ... }`, as `buildThemes` reports it). */
  onProgress?: ProgressCallback;
  /** A new paper whose confidence is below this fits no theme well (default 0.3). */
  fitThreshold?: number;
  /** Fewest papers that make a new theme (default: 3 under 200 papers, then 5, and one per 500 papers from 2,500). */
  minNewTheme?: number;
  /** Updates a poorly fitting paper stays pending (default 5). */
  pendingUpdates?: number;
  /** Re-cluster afresh (to find splits and merges) once the library grew by this share (default 0.25). */
  restructureGrowth?: number;
  /** Rename a theme once more than this share of its members is newer than its label (default 1/3). */
  relabelShare?: number;
  /**
   * Papers the names of an update are computed from, at most (default 5,000; `Infinity` for
   * all). Naming reads the words of every paper it is given, so in a larger library the themes
   * being named keep their members (up to half of this each, three quarters together) and the
   * other themes are represented by a seeded sample of theirs, in proportion to their size: a
   * day that makes a new theme costs about as much at 30,000 papers as at 5,000.
   */
  namingSample?: number;
}

/** The input of one step: every paper of the library with its vector, in the same order. */
export interface LivingInput {
  papers: readonly Paper[];
  vectors: readonly Float32Array[];
  embedderId: string;
  /** The library was re-embedded since the last update: re-cluster now. */
  reembedded?: boolean;
}

export interface LivingStep {
  state: ThemeState;
  result: LivingThemeResult;
  /** Faded, split and merged themes, then new themes, then themes that grew. */
  changes: ThemeChange[];
  /** New papers placed by this step. */
  added?: number;
  /** Of those, papers that fitted no theme well (confidence below `fitThreshold`). */
  unfit?: number;
}

const NEIGHBOURS = 10;

/** Starts over: themes of all papers built afresh, numbered from `theme-1`. */
export async function startThemes(input: LivingInput, options: LivingOptions = {}): Promise<LivingStep> {
  const { papers, vectors } = checkInput(input);
  const k = options.k ?? "auto";
  const seed = options.seed ?? 1;
  const day = latestDay(papers);
  const state: ThemeState = {
    format: THEME_STATE_FORMAT,
    version: THEME_STATE_VERSION,
    settings: { k, seed, ...(options.minSize !== undefined ? { minSize: options.minSize } : {}) },
    embedderId: input.embedderId,
    nextId: 1,
    updates: 0,
    restructuredAt: papers.length,
    ...(day ? { lastDay: day } : {}),
    themes: [],
    pending: [],
    retired: [],
  };
  const space = makeSpace(papers, vectors);
  if (papers.length > 0) {
    const fresh = await freshThemes(papers, vectors, k, seed, options.minSize, options.onProgress);
    for (const group of fresh.groups) {
      state.themes.push({
        id: `theme-${state.nextId++}`,
        label: "",
        keywords: [],
        members: group.map((i) => papers[i].id),
        shares: group.map((i) => round(fresh.share[i], 3)),
        centre: [],
        ...(day ? { created: day } : {}),
        createdAt: 0,
        labelSize: group.length,
        addedSinceLabel: 0,
      });
    }
    refreshCentres(state, space);
    // A fresh start clusters every paper anyway: its names read every paper too.
    nameThemes(state, space, new Set(state.themes.map((t) => t.id)), new Set(), Infinity);
  }
  return {
    state,
    result: resultOf(state, space),
    changes: state.themes.map((t) => ({ kind: "new", themeId: t.id, papers: [...t.members] })),
  };
}

/**
 * Brings the themes up to date with the library (see the module comment). With no paper
 * added or removed and the same vectors it changes nothing and returns no changes.
 */
export async function updateThemeState(previous: ThemeState, input: LivingInput, options: LivingOptions = {}): Promise<LivingStep> {
  const { papers, vectors } = checkInput(input);
  const opts = resolveOptions(options, papers.length);
  const state: ThemeState = structuredClone(previous);
  const space = makeSpace(papers, vectors);
  const changes: ThemeChange[] = [];

  // 1. Papers that left the library leave their themes.
  const held = new Set<string>();
  let removed = false;
  for (const t of state.themes) {
    const keep: number[] = [];
    t.members.forEach((id, i) => {
      if (space.index.has(id)) keep.push(i);
      else removed = true;
    });
    if (keep.length !== t.members.length) {
      t.members = keep.map((i) => t.members[i]);
      t.shares = keep.map((i) => t.shares[i]);
    }
    for (const id of t.members) held.add(id);
  }
  state.pending = state.pending.filter((p) => space.index.has(p.id));
  const newIdx: number[] = [];
  papers.forEach((p, i) => {
    if (!held.has(p.id)) newIdx.push(i);
  });
  const reembedded = input.reembedded === true || input.embedderId !== state.embedderId;
  if (!removed && newIdx.length === 0 && !reembedded) {
    return { state: previous, result: resultOf(previous, space), changes: [] };
  }
  state.updates += 1;
  state.embedderId = input.embedderId;
  const day = latestDay(newIdx.map((i) => papers[i]));
  if (day && (!state.lastDay || day > state.lastDay)) state.lastDay = day;
  const today = day ?? state.lastDay;
  for (const t of [...state.themes]) {
    if (t.members.length === 0) {
      changes.push({ kind: "faded", themeId: t.id });
      state.retired.push({ id: t.id, kind: "faded", at: state.updates });
    }
  }
  state.themes = state.themes.filter((t) => t.members.length > 0);
  if (state.themes.length === 0) {
    // Nothing left to grow from: start over, keeping the numbering.
    const fresh = await startThemes(input, state.settings);
    const restarted = fresh.state;
    restarted.themes.forEach((t) => {
      t.id = `theme-${state.nextId++}`;
      t.createdAt = state.updates;
    });
    Object.assign(restarted, { nextId: state.nextId, updates: state.updates, retired: state.retired });
    const all = [...changes, ...restarted.themes.map((t): ThemeChange => ({ kind: "new", themeId: t.id, papers: [...t.members] }))];
    return { state: restarted, result: resultOf(restarted, space), changes: all };
  }

  // 2. Centres from the members' current vectors.
  refreshCentres(state, space);

  // 3. New papers join the theme their nearest held papers belong to.
  const themeOfPaper = new Map<string, number>();
  state.themes.forEach((t, ti) => t.members.forEach((id) => themeOfPaper.set(id, ti)));
  const heldIdx = papers.map((_, i) => i).filter((i) => themeOfPaper.has(papers[i].id));
  const placements = place(space, heldIdx, newIdx, state, themeOfPaper);
  let unfit = 0;
  newIdx.forEach((i, j) => {
    const pl = placements[j];
    const t = state.themes[pl.theme];
    t.members.push(papers[i].id);
    t.shares.push(round(pl.share, 3));
    t.addedSinceLabel += 1;
    if (pl.confidence < opts.fitThreshold) {
      state.pending.push({ id: papers[i].id, since: state.updates });
      unfit++;
    }
  });
  refreshCentres(state, space);
  // 3b. New papers whose nearest papers are mostly other new papers arrived as a batch that
  // coheres with itself: they wait as pending too, however well they fit their theme.
  const bound = batchBound(space, newIdx, placements);
  const batch = new Set(newIdx.filter((_, j) => bound[j]).map((i) => papers[i].id));
  newIdx.forEach((i, j) => {
    if (bound[j] && placements[j].confidence >= opts.fitThreshold) state.pending.push({ id: papers[i].id, since: state.updates });
  });

  // 4. Splits and merges, after enough growth or a re-embedding.
  const renamed = new Set<string>();
  let rehomed = new Map<string, string[]>();
  if (reembedded || papers.length >= state.restructuredAt * (1 + opts.restructureGrowth)) {
    const { changes: restructured, moved } = await restructure(
      state,
      space,
      opts,
      today,
      new Set(newIdx.map((i) => papers[i].id)),
      reembedded,
    );
    rehomed = moved;
    changes.push(...restructured);
    state.restructuredAt = papers.length;
    for (const c of restructured) renamed.add(c.themeId);
    refreshCentres(state, space);
  }

  // 5. Pending papers that cohere become a new theme.
  const created = findNewThemes(state, space, opts, today, batch);
  for (const c of created) renamed.add(c.themeId);
  changes.push(...created);
  // Papers of themes made by this update are listed in their "new" or "split" change.
  const fresh = new Set(state.themes.filter((t) => t.createdAt === state.updates).map((t) => t.id));
  const finalTheme = new Map<string, string>();
  for (const t of state.themes) for (const id of t.members) finalTheme.set(id, t.id);
  const grew = new Map<string, string[]>();
  for (const i of newIdx) {
    const t = finalTheme.get(papers[i].id)!;
    if (fresh.has(t)) continue;
    if (!grew.has(t)) grew.set(t, []);
    grew.get(t)!.push(papers[i].id);
  }
  for (const [t, ids] of rehomed) {
    if (fresh.has(t) || !state.themes.some((x) => x.id === t)) continue;
    if (!grew.has(t)) grew.set(t, []);
    grew.get(t)!.push(...ids.filter((id) => finalTheme.get(id) === t));
  }
  for (const [themeId, ids] of [...grew].sort((a, b) => themeNumber(a[0]) - themeNumber(b[0])))
    changes.push({ kind: "grew", themeId, papers: ids });
  refreshCentres(state, space);

  // 6. Names.
  const due = new Set<string>();
  for (const t of state.themes) {
    if (renamed.has(t.id)) continue;
    if (t.addedSinceLabel > opts.relabelShare * t.members.length) due.add(t.id);
  }
  if (renamed.size > 0 || due.size > 0)
    nameThemes(state, space, new Set([...renamed].filter((id) => state.themes.some((t) => t.id === id))), due, opts.namingSample);

  state.pending = state.pending.filter((p) => state.updates - p.since < opts.pendingUpdates);
  return { state, result: resultOf(state, space), changes, added: newIdx.length, unfit };
}

/**
 * The theme each paper (given by its vector) would join, with a confidence, without
 * changing anything: nearest held papers vote, as in an update.
 */
export function placeInThemes(state: ThemeState, input: LivingInput, vectors: readonly Float32Array[]): ThemeAssignment[] {
  const { papers } = checkInput(input);
  if (state.themes.length === 0) {
    throw new InvalidArgumentError("There are no themes to assign papers to: the library holds no papers.");
  }
  const all = [...input.vectors, ...vectors];
  const extra = vectors.map((_, i): Paper => ({ id: `\u0000new-${i}`, title: "", abstract: "" }));
  const space = makeSpace([...papers, ...extra], all);
  const themeOfPaper = new Map<string, number>();
  state.themes.forEach((t, ti) => t.members.forEach((id) => themeOfPaper.set(id, ti)));
  const heldIdx = papers.map((_, i) => i).filter((i) => themeOfPaper.has(papers[i].id));
  const local = structuredClone(state);
  refreshCentres(local, space);
  return place(
    space,
    heldIdx,
    extra.map((_, i) => papers.length + i),
    local,
    themeOfPaper,
  ).map((p) => ({
    themeId: state.themes[p.theme].id,
    confidence: p.confidence,
  }));
}

/** The themes a state describes, as `themes()` returns them (largest first). */
function resultOf(state: ThemeState, space: Space): LivingThemeResult {
  const { papers } = space;
  const assignments = new Map<string, ThemeAssignment>();
  const themes: LivingTheme[] = [];
  for (const t of state.themes) {
    const centre = t.centre;
    const idx: number[] = [];
    const memberShare: number[] = [];
    t.members.forEach((id, m) => {
      const i = space.index.get(id);
      if (i === undefined) return;
      idx.push(i);
      memberShare.push(t.shares[m] ?? 1);
    });
    const close = idx.map((i) => Math.max(0, dotRow(space, i, centre)));
    const reference = median(close) || 1;
    const order = idx.map((_, j) => j);
    order.sort((a, b) => close[b] - close[a] || idx[a] - idx[b]);
    const conf = new Map<number, number>();
    idx.forEach((i, j) => {
      const share = memberShare[j];
      const c = space.zero[i] ? 0 : clamp01(Math.min(1, close[j] / reference) * share);
      conf.set(i, c);
      assignments.set(papers[i].id, { themeId: t.id, confidence: c });
    });
    const typical = [...order].sort((a, b) => close[b] * (conf.get(idx[b]) ?? 0) - close[a] * (conf.get(idx[a]) ?? 0) || idx[a] - idx[b]);
    themes.push({
      id: t.id,
      label: t.label,
      keywords: [...t.keywords],
      subtopics: [...(t.subtopics ?? [])],
      size: idx.length,
      papers: order.map((j) => papers[idx[j]]),
      representative: typical.slice(0, 3).map((j) => papers[idx[j]]),
      ...(t.created ? { created: t.created } : {}),
      ...(t.from ? { from: [...t.from] } : {}),
    });
  }
  themes.sort((a, b) => b.size - a.size || themeNumber(a.id) - themeNumber(b.id));
  return { themes, assignments };
}

/**
 * Checks a saved state (parsed JSON) and returns it typed. Throws {@link InvalidArgumentError}
 * saying what is wrong when it is not a theme state this code can continue from.
 */
export function restoreThemeState(json: unknown): ThemeState {
  const fail = (what: string): never => {
    throw new InvalidArgumentError(`The saved themes are damaged (${what}); recompute them with themes({ rebuild: true }).`);
  };
  if (!json || typeof json !== "object") fail("not an object");
  const s = json as Record<string, unknown>;
  if (s.format !== THEME_STATE_FORMAT) fail(`format is ${JSON.stringify(s.format)}, expected "${THEME_STATE_FORMAT}"`);
  if (s.version !== THEME_STATE_VERSION) fail(`version ${String(s.version)}, this papermap reads ${THEME_STATE_VERSION}`);
  const settings = s.settings as Record<string, unknown> | undefined;
  if (
    !settings ||
    !(settings.k === "auto" || (Number.isInteger(settings.k) && (settings.k as number) >= 1)) ||
    !Number.isFinite(settings.seed) ||
    (settings.minSize !== undefined && !(Number.isInteger(settings.minSize) && (settings.minSize as number) >= 1))
  ) {
    fail("settings");
  }
  if (typeof s.embedderId !== "string") fail("embedderId");
  for (const key of ["nextId", "updates", "restructuredAt"]) if (!Number.isInteger(s[key]) || (s[key] as number) < 0) fail(key);
  if (s.lastDay !== undefined && !isIsoDay(s.lastDay)) fail("lastDay");
  if (!Array.isArray(s.themes)) fail("themes");
  const ids = new Set<string>();
  const papers = new Set<string>();
  for (const raw of s.themes as unknown[]) {
    const t = raw as Record<string, unknown>;
    if (!t || typeof t !== "object" || typeof t.id !== "string" || !/^theme-\d+$/.test(t.id)) fail("a theme id");
    const id = t.id as string;
    if (ids.has(id)) fail(`theme ${id} twice`);
    if (themeNumber(id) >= (s.nextId as number)) fail(`theme ${id} is not below nextId`);
    ids.add(id);
    if (typeof t.label !== "string" || !isStrings(t.keywords) || (t.subtopics !== undefined && !isStrings(t.subtopics)))
      fail(`label of ${id}`);
    if (!isStrings(t.members) || !Array.isArray(t.shares) || t.shares.length !== (t.members as string[]).length) fail(`members of ${id}`);
    if (!(t.shares as unknown[]).every((x) => typeof x === "number" && x >= 0 && x <= 1)) fail(`shares of ${id}`);
    for (const m of t.members as string[]) {
      if (papers.has(m)) fail(`paper ${m} in two themes`);
      papers.add(m);
    }
    if (!Array.isArray(t.centre) || !(t.centre as unknown[]).every((x) => typeof x === "number" && Number.isFinite(x)))
      fail(`centre of ${id}`);
    if (t.created !== undefined && !isIsoDay(t.created)) fail(`created day of ${id}`);
    if (!Number.isInteger(t.createdAt) || !Number.isInteger(t.labelSize) || !Number.isInteger(t.addedSinceLabel)) fail(`counters of ${id}`);
    if (t.from !== undefined && !isStrings(t.from)) fail(`lineage of ${id}`);
  }
  if (
    !Array.isArray(s.pending) ||
    !(s.pending as unknown[]).every(
      (p) => p && typeof (p as { id: unknown }).id === "string" && Number.isInteger((p as { since: unknown }).since),
    )
  ) {
    fail("pending");
  }
  if (!Array.isArray(s.retired) || !(s.retired as unknown[]).every((r) => r && typeof (r as { id: unknown }).id === "string"))
    fail("retired");
  return json as ThemeState;
}

// -----------------------------------------------------------------------------

interface Options {
  namingSample: number;
  fitThreshold: number;
  minNewTheme: number;
  pendingUpdates: number;
  restructureGrowth: number;
  relabelShare: number;
  seed: number;
  onProgress?: ProgressCallback;
}

function resolveOptions(o: LivingOptions, n: number): Options {
  const out: Options = {
    namingSample: o.namingSample ?? NAMING_SAMPLE,
    fitThreshold: o.fitThreshold ?? 0.3,
    minNewTheme: o.minNewTheme ?? Math.max(n < 200 ? 3 : 5, Math.round(n / 500)),
    pendingUpdates: o.pendingUpdates ?? 5,
    restructureGrowth: o.restructureGrowth ?? 0.25,
    relabelShare: o.relabelShare ?? 1 / 3,
    seed: o.seed ?? 1,
    ...(o.onProgress ? { onProgress: o.onProgress } : {}),
  };
  if (!(out.namingSample === Infinity || (Number.isInteger(out.namingSample) && out.namingSample >= 100)))
    throw new InvalidArgumentError(`namingSample must be a whole number ≥ 100 or Infinity; got ${out.namingSample}.`);
  if (!(out.fitThreshold >= 0 && out.fitThreshold <= 1))
    throw new InvalidArgumentError(`fitThreshold must be in [0, 1]; got ${out.fitThreshold}.`);
  if (!Number.isInteger(out.minNewTheme) || out.minNewTheme < 2)
    throw new InvalidArgumentError(`minNewTheme must be a whole number ≥ 2; got ${out.minNewTheme}.`);
  if (!(out.restructureGrowth > 0)) throw new InvalidArgumentError(`restructureGrowth must be > 0; got ${out.restructureGrowth}.`);
  if (!(out.relabelShare > 0 && out.relabelShare <= 1))
    throw new InvalidArgumentError(`relabelShare must be in (0, 1]; got ${out.relabelShare}.`);
  return out;
}

function checkInput(input: LivingInput): { papers: readonly Paper[]; vectors: readonly Float32Array[] } {
  if (input.papers.length !== input.vectors.length) {
    throw new InvalidArgumentError(
      `Living themes got ${input.papers.length} papers but ${input.vectors.length} vectors; pass one vector per paper.`,
    );
  }
  return input;
}

/** Unit vectors of all papers, one flat matrix. */
interface Space {
  papers: readonly Paper[];
  index: Map<string, number>;
  dim: number;
  data: Float32Array;
  zero: Uint8Array;
}

function makeSpace(papers: readonly Paper[], vectors: readonly Float32Array[]): Space {
  const dim = vectors.length > 0 ? vectors[0].length : 0;
  const data = new Float32Array(papers.length * dim);
  const zero = new Uint8Array(papers.length);
  const index = new Map<string, number>();
  papers.forEach((p, i) => {
    index.set(p.id, i);
    const v = vectors[i];
    if (v.length !== dim) throw new InvalidArgumentError(`Vector ${i} has ${v.length} dimensions, expected ${dim}.`);
    let s = 0;
    for (let j = 0; j < dim; j++) s += v[j] * v[j];
    const l = Math.sqrt(s);
    if (!(l > 1e-12)) {
      zero[i] = 1;
      return;
    }
    for (let j = 0; j < dim; j++) data[i * dim + j] = v[j] / l;
  });
  return { papers, index, dim, data, zero };
}

function dotRow(space: Space, i: number, c: ArrayLike<number>): number {
  if (c.length !== space.dim) return 0;
  let s = 0;
  const o = i * space.dim;
  for (let j = 0; j < space.dim; j++) s += space.data[o + j] * c[j];
  return s;
}

function dotRows(space: Space, a: number, b: number): number {
  let s = 0;
  const oa = a * space.dim;
  const ob = b * space.dim;
  for (let j = 0; j < space.dim; j++) s += space.data[oa + j] * space.data[ob + j];
  return s;
}

function centreOf(space: Space, idx: readonly number[]): Float64Array {
  const c = new Float64Array(space.dim);
  for (const i of idx) {
    const o = i * space.dim;
    for (let j = 0; j < space.dim; j++) c[j] += space.data[o + j];
  }
  let s = 0;
  for (let j = 0; j < space.dim; j++) s += c[j] * c[j];
  const l = Math.sqrt(s);
  if (l > 0) for (let j = 0; j < space.dim; j++) c[j] /= l;
  return c;
}

function refreshCentres(state: ThemeState, space: Space): void {
  for (const t of state.themes) {
    const idx = t.members.map((id) => space.index.get(id)).filter((i): i is number => i !== undefined);
    t.centre = Array.from(centreOf(space, idx), (x) => round(x, 6));
  }
}

interface Placement {
  theme: number;
  share: number;
  confidence: number;
  /** Cosines to its nearest held papers, highest first. */
  nearest: Float64Array;
}

/** Nearest held papers vote for each new paper's theme (see the module comment). */
function place(
  space: Space,
  heldIdx: readonly number[],
  newIdx: readonly number[],
  state: ThemeState,
  themeOfPaper: Map<string, number>,
): Placement[] {
  const k = Math.min(NEIGHBOURS, heldIdx.length);
  const refs = state.themes.map((t) => median(memberIndices(space, t).map((i) => Math.max(0, dotRow(space, i, t.centre)))) || 1);
  const heldTheme = Int32Array.from(heldIdx, (i) => themeOfPaper.get(space.papers[i].id)!);
  const largest = state.themes.reduce((best, t, ti) => (t.members.length > state.themes[best].members.length ? ti : best), 0);
  return newIdx.map((i) => {
    if (space.zero[i] || k === 0) return { theme: largest, share: 0, confidence: 0, nearest: new Float64Array(0) };
    // Top-k by cosine among held papers.
    const topS = new Float64Array(k).fill(-Infinity);
    const topJ = new Int32Array(k).fill(-1);
    for (let j = 0; j < heldIdx.length; j++) {
      const s = dotRows(space, i, heldIdx[j]);
      if (s <= topS[k - 1]) continue;
      let p = k - 1;
      while (p > 0 && topS[p - 1] < s) {
        topS[p] = topS[p - 1];
        topJ[p] = topJ[p - 1];
        p--;
      }
      topS[p] = s;
      topJ[p] = j;
    }
    const votes = new Map<number, number>();
    let all = 0;
    for (let r = 0; r < k; r++) {
      if (topJ[r] < 0) continue;
      const w = Math.max(0, topS[r]) + 1e-9;
      all += w;
      const t = heldTheme[topJ[r]];
      votes.set(t, (votes.get(t) ?? 0) + w);
    }
    let theme = largest;
    let best = -1;
    for (const [t, v] of [...votes].sort((a, b) => a[0] - b[0])) {
      if (v > best + 1e-12) {
        best = v;
        theme = t;
      }
    }
    const share = all > 0 ? (votes.get(theme) ?? 0) / all : 0;
    const closeness = Math.min(1, Math.max(0, dotRow(space, i, state.themes[theme].centre)) / refs[theme]);
    return { theme, share, confidence: clamp01(closeness * share), nearest: topS.filter((_, r) => topJ[r] >= 0) };
  });
}

/**
 * Share of a new paper's nearest papers that must be new for it to count as part of a batch
 * (measured on real days against 0.4: subjects absent from the days became clean themes of
 * their own on the day they arrived for 4 of 9 against 3 of 9, at the same stability and NMI).
 */
const BATCH_SHARE = 0.5;

/**
 * Step 3b: for each new paper, whether most of its nearest papers (held and new, weighted by
 * cosine) are new ones — at least {@link BATCH_SHARE}, and at least twice the share of new papers in the library.
 */
function batchBound(space: Space, newIdx: readonly number[], placements: readonly Placement[]): boolean[] {
  const n = space.papers.length;
  const chance = (newIdx.length - 1) / Math.max(1, n - 1);
  return newIdx.map((i, j) => {
    const held = placements[j].nearest;
    if (space.zero[i] || newIdx.length < 2) return false;
    // Nearest new papers, as many as the held neighbours (NEIGHBOURS when there are enough).
    const k = Math.max(held.length, Math.min(NEIGHBOURS, newIdx.length - 1));
    const top = new Float64Array(k).fill(-Infinity);
    for (const x of newIdx) {
      if (x === i || space.zero[x]) continue;
      const s = dotRows(space, i, x);
      if (s <= top[k - 1]) continue;
      let p = k - 1;
      while (p > 0 && top[p - 1] < s) {
        top[p] = top[p - 1];
        p--;
      }
      top[p] = s;
    }
    // Merge the two sorted lists, keep the k highest.
    let a = 0;
    let b = 0;
    let all = 0;
    let fresh = 0;
    for (let r = 0; r < k; r++) {
      const fromNew = b < k && top[b] > -Infinity && (a >= held.length || top[b] > held[a]);
      const s = fromNew ? top[b++] : a < held.length ? held[a++] : -Infinity;
      if (s === -Infinity) break;
      const w = Math.max(0, s) + 1e-9;
      all += w;
      if (fromNew) fresh += w;
    }
    return all > 0 && fresh / all >= Math.max(BATCH_SHARE, 2 * chance);
  });
}

/**
 * Step 5: pending papers that cohere become new themes (moved out of their provisional themes).
 * The papers of this update's batch (`batch`: new papers whose nearest papers are mostly new)
 * are grouped apart from the other pending papers, so a new subject is not split up and mixed
 * with the day's odd papers that fit nowhere.
 */
function findNewThemes(state: ThemeState, space: Space, opts: Options, day: string | undefined, batch: ReadonlySet<string>): ThemeChange[] {
  const pend = state.pending.map((p) => space.index.get(p.id)).filter((i): i is number => i !== undefined && !space.zero[i]);
  if (pend.length < opts.minNewTheme) return [];
  const groups: number[][] = [];
  for (const pool of [pend.filter((i) => batch.has(space.papers[i].id)), pend.filter((i) => !batch.has(space.papers[i].id))]) {
    if (pool.length === 0) continue;
    if (pool.length < 2 * opts.minNewTheme) {
      groups.push(pool);
      continue;
    }
    const vectors = pool.map((i) => Float64Array.from(space.data.subarray(i * space.dim, (i + 1) * space.dim)));
    const maxK = Math.max(1, Math.min(30, Math.floor(pool.length / opts.minNewTheme)));
    const labels = clusterVectors(vectors, { k: "auto", seed: opts.seed, minSize: opts.minNewTheme, maxK }).labels;
    const byLabel = new Map<number, number[]>();
    labels.forEach((l, j) => {
      if (!byLabel.has(l)) byLabel.set(l, []);
      byLabel.get(l)!.push(pool[j]);
    });
    groups.push(...byLabel.values());
  }
  // Typical tightness of existing themes: median closeness of members to their centre.
  const tightness = median(state.themes.flatMap((t) => memberIndices(space, t).map((i) => dotRow(space, i, t.centre))));
  // Theme centres without the pending papers: they were placed provisionally and would pull
  // their theme's centre towards themselves.
  const pendingIds = new Set(state.pending.map((p) => p.id));
  const centres = state.themes.map((t) => {
    const settled = t.members
      .map((id) => space.index.get(id))
      .filter((i): i is number => i !== undefined && !pendingIds.has(space.papers[i].id));
    return settled.length > 0 ? Array.from(centreOf(space, settled)) : t.centre;
  });
  // Each pending paper's closeness to the nearest of those centres (computed once per paper).
  const nearestOlder = new Map<number, number>();
  const closestOlder = (i: number): number => {
    let v = nearestOlder.get(i);
    if (v === undefined) nearestOlder.set(i, (v = Math.max(...centres.map((c) => dotRow(space, i, c)))));
    return v;
  };
  // A group stands as a theme of its own when it is about as tight as a theme (members close to
  // the centre of the others), clearly closer to itself than to any theme, and not a near copy of one.
  const stands = (group: readonly number[]): boolean => {
    const ownTight = median(leaveOneOut(space, group));
    const centre = centreOf(space, group);
    let nearest = -Infinity;
    for (const c of centres) nearest = Math.max(nearest, dot(centre, c));
    const elsewhere = median(group.map(closestOlder));
    return ownTight >= 0.8 * tightness && ownTight - elsewhere >= DISTINCT_MARGIN && nearest <= 0.9;
  };
  const changes: ThemeChange[] = [];
  const ordered = [...groups].sort((a, b) => b.length - a.length || a[0] - b[0]);
  const madeNow = new Map<string, { change: ThemeChange; idx: number[] }>();
  for (const group of ordered) {
    const centre = centreOf(space, group);
    // A group joins a theme made a moment ago from the same pending papers when its papers are
    // closer to it than to any older theme, and it is close to it or the two together still
    // stand as one theme: one new subject becomes one theme, not a handful of its corners (and
    // the day's odd papers, which sit nearer older themes, stay out of it).
    let joinedNew = false;
    for (const [id, made] of madeNow) {
      const t = state.themes.find((x) => x.id === id)!;
      const union = [...made.idx, ...group];
      const closer = median(group.map((i) => dotRow(space, i, t.centre) - closestOlder(i))) > 0;
      if (closer && (dot(centre, t.centre) >= 0.7 || stands(union))) {
        const ids = group.map((i) => space.papers[i].id);
        detach(state, new Set(ids));
        t.members.push(...ids);
        t.shares.push(...ids.map(() => 1));
        t.labelSize = t.members.length;
        t.centre = Array.from(centreOf(space, union), (x) => round(x, 6));
        made.idx = union;
        made.change.papers!.push(...ids);
        joinedNew = true;
        break;
      }
    }
    if (joinedNew || group.length < opts.minNewTheme || !stands(group)) continue;
    const ids = group.map((i) => space.papers[i].id);
    detach(state, new Set(ids));
    const id = `theme-${state.nextId++}`;
    state.themes.push({
      id,
      label: "",
      keywords: [],
      members: ids,
      shares: ids.map(() => 1),
      centre: Array.from(centre, (x) => round(x, 6)),
      ...(day ? { created: day } : {}),
      createdAt: state.updates,
      labelSize: ids.length,
      addedSinceLabel: 0,
    });
    const change: ThemeChange = { kind: "new", themeId: id, papers: [...ids] };
    madeNow.set(id, { change, idx: [...group] });
    changes.push(change);
  }
  const moved = new Set(changes.flatMap((c) => c.papers ?? []));
  state.pending = state.pending.filter((p) => !moved.has(p.id));
  // A provisional theme emptied by a new theme is not a fade: it never held others.
  state.themes = state.themes.filter((t) => t.members.length > 0);
  return changes;
}

/** Takes papers out of whatever theme holds them. */
function detach(state: ThemeState, moving: Set<string>): void {
  for (const t of state.themes) {
    if (!t.members.some((id) => moving.has(id))) continue;
    const keep = t.members.map((_, j) => j).filter((j) => !moving.has(t.members[j]));
    t.members = keep.map((j) => t.members[j]);
    t.shares = keep.map((j) => t.shares[j]);
  }
}

/** Margin by which a group's papers must sit closer to their own centre than elsewhere to count as a subject of its own. */
const DISTINCT_MARGIN = 0.1;

/**
 * Each paper's closeness to the centre of the others of its group (leave-one-out: a small
 * group's own centre flatters its members, the others' centre does not).
 */
function leaveOneOut(space: Space, group: readonly number[]): number[] {
  const sum = new Float64Array(space.dim);
  for (const i of group) for (let j = 0; j < space.dim; j++) sum[j] += space.data[i * space.dim + j];
  return group.map((i) => {
    let dotSum = 0;
    let rest = 0;
    for (let j = 0; j < space.dim; j++) {
      const v = space.data[i * space.dim + j];
      dotSum += v * sum[j];
      rest += (sum[j] - v) ** 2;
    }
    return rest > 1e-12 ? (dotSum - 1) / Math.sqrt(rest) : 0;
  });
}

/** Median over a group's papers of (closeness to the other members' centre − closeness to `centre`). */
function distinctness(space: Space, group: readonly number[], centre: ArrayLike<number>): number {
  if (group.length < 2) return 0;
  const own = leaveOneOut(space, group);
  return median(group.map((i, j) => own[j] - dotRow(space, i, centre)));
}

/** Indices of a theme's members that have a usable vector. */
function memberIndices(space: Space, t: ThemeRecord): number[] {
  return t.members.map((id) => space.index.get(id)).filter((i): i is number => i !== undefined && !space.zero[i]);
}

/** Step 4: compare with a fresh clustering of all papers; split and merge where it clearly disagrees. */
async function restructure(
  state: ThemeState,
  space: Space,
  opts: Options,
  day: string | undefined,
  arrived: Set<string>,
  reembedded: boolean,
): Promise<{ changes: ThemeChange[]; moved: Map<string, string[]> }> {
  const papers = space.papers;
  const vectors = papers.map((_, i) => space.data.subarray(i * space.dim, (i + 1) * space.dim));
  const fresh = await freshThemes(papers, vectors, state.settings.k, state.settings.seed, state.settings.minSize, opts.onProgress);
  const freshOf = new Int32Array(papers.length).fill(-1);
  fresh.groups.forEach((g, f) => g.forEach((i) => (freshOf[i] = f)));
  const freshSize = fresh.groups.map((g) => g.length);
  const minPart = Math.max(opts.minNewTheme, defaultAutoMinSize(papers.length));
  const changes: ThemeChange[] = [];

  // Overlaps: living theme → fresh theme → count.
  const overlap = (t: ThemeRecord) => {
    const m = new Map<number, string[]>();
    for (const id of t.members) {
      const f = freshOf[space.index.get(id)!];
      if (!m.has(f)) m.set(f, []);
      m.get(f)!.push(id);
    }
    return m;
  };

  // Merges: living themes that each lie mostly (≥ 60%) in the same fresh theme.
  const home = new Map<number, ThemeRecord[]>();
  for (const t of state.themes) {
    const m = overlap(t);
    for (const [f, ids] of m) {
      if (ids.length >= 0.6 * t.members.length) {
        if (!home.has(f)) home.set(f, []);
        home.get(f)!.push(t);
      }
    }
  }
  const merged = new Set<string>();
  const gone = new Set<string>();
  for (const f of [...home.keys()].sort((a, b) => a - b)) {
    const group = home.get(f)!;
    if (group.length < 2) continue;
    group.sort((a, b) => b.members.length - a.members.length || themeNumber(a.id) - themeNumber(b.id));
    const [keep, ...candidates] = group;
    // Two themes merge when they have converged: a theme (big enough to stand alone) whose members still sit clearly closer
    // to its own centre than to the larger theme's is a subject of its own, however coarse the
    // fresh clustering is (a young theme on a new subject would otherwise vanish into a broad one).
    const rest = candidates.filter(
      (r) => r.members.length < 2 * opts.minNewTheme || distinctness(space, memberIndices(space, r), keep.centre) < DISTINCT_MARGIN,
    );
    if (rest.length === 0) continue;
    const movedIds: string[] = [];
    for (const r of rest) {
      keep.members.push(...r.members);
      keep.shares.push(...r.shares);
      movedIds.push(...r.members);
      state.retired.push({ id: r.id, kind: "merged", into: keep.id, at: state.updates });
      merged.add(r.id);
      gone.add(r.id);
    }
    keep.from = [keep, ...rest].map((t) => t.id);
    changes.push({ kind: "merged", themeId: keep.id, from: [...keep.from], papers: movedIds });
    merged.add(keep.id);
  }
  state.themes = state.themes.filter((t) => !gone.has(t.id));

  // Splits: a living theme whose members fill two or more fresh themes that are mostly its own.
  // A part needs no minimum share of the theme: a small subject inside a broad theme (speech
  // inside "language") splits off as soon as the fresh clustering sees it as a theme.
  const added: ThemeRecord[] = [];
  for (const t of state.themes) {
    if (merged.has(t.id)) continue;
    const m = overlap(t);
    const parts = [...m]
      .filter(([f, ids]) => ids.length >= minPart && ids.length >= 0.6 * freshSize[f])
      .sort((a, b) => b[1].length - a[1].length || a[0] - b[0]);
    if (parts.length < 2) continue;
    for (const [, ids] of parts.slice(1)) {
      const moving = new Set(ids);
      const keep = t.members.map((_, j) => j).filter((j) => !moving.has(t.members[j]));
      const shares = new Map(t.members.map((id, j) => [id, t.shares[j]]));
      t.members = keep.map((j) => t.members[j]);
      t.shares = keep.map((j) => t.shares[j]);
      const id = `theme-${state.nextId++}`;
      // A part made mostly of papers that only just arrived is a new subject, not a split.
      const novel = ids.filter((x) => arrived.has(x)).length >= 0.5 * ids.length;
      added.push({
        id,
        label: "",
        keywords: [],
        members: ids,
        shares: ids.map((x) => shares.get(x) ?? 1),
        centre: [],
        ...(day ? { created: day } : {}),
        createdAt: state.updates,
        ...(novel ? {} : { from: [t.id] }),
        labelSize: ids.length,
        addedSinceLabel: 0,
      });
      changes.push(novel ? { kind: "new", themeId: id, papers: ids } : { kind: "split", themeId: id, from: [t.id], papers: ids });
    }
  }
  state.themes.push(...added);
  const moved = new Map<string, string[]>();
  if (reembedded) {
    // Papers placed with an earlier representation that the current one puts elsewhere: the
    // fresh theme they fall in is mostly another living theme's, theirs holds little of it,
    // and they are closer to that theme's centre than to their own.
    refreshCentres(state, space);
    const themeOf = new Int32Array(papers.length).fill(-1);
    state.themes.forEach((t, ti) => t.members.forEach((id) => (themeOf[space.index.get(id)!] = ti)));
    const counts = fresh.groups.map(() => new Map<number, number>());
    papers.forEach((_, i) => {
      if (freshOf[i] >= 0 && themeOf[i] >= 0) counts[freshOf[i]].set(themeOf[i], (counts[freshOf[i]].get(themeOf[i]) ?? 0) + 1);
    });
    const home = counts.map((m, f) => {
      let best = -1;
      let n = 0;
      for (const [ti, c] of [...m].sort((a, b) => a[0] - b[0])) if (c > n) [best, n] = [ti, c];
      return n >= 0.6 * freshSize[f] ? best : -1;
    });
    const leaving = new Map<number, Set<string>>();
    const joining = new Map<number, string[]>();
    papers.forEach((p, i) => {
      const ti = themeOf[i];
      const f = freshOf[i];
      if (ti < 0 || f < 0 || space.zero[i] || arrived.has(p.id)) return;
      const h = home[f];
      if (h < 0 || h === ti || state.themes[ti].createdAt === state.updates) return;
      if ((counts[f].get(ti) ?? 0) >= 0.1 * freshSize[f]) return;
      if (dotRow(space, i, state.themes[h].centre) <= dotRow(space, i, state.themes[ti].centre)) return;
      if (!leaving.has(ti)) leaving.set(ti, new Set());
      leaving.get(ti)!.add(p.id);
      if (!joining.has(h)) joining.set(h, []);
      joining.get(h)!.push(p.id);
    });
    // A theme keeps at least half its members (more would be a split or a fade, not a correction).
    const stay = new Set<string>();
    for (const [ti, ids] of leaving) if (ids.size > 0.5 * state.themes[ti].members.length) for (const id of ids) stay.add(id);
    for (const [ti, ids] of leaving) {
      const t = state.themes[ti];
      const keep = t.members.map((_, j) => j).filter((j) => !ids.has(t.members[j]) || stay.has(t.members[j]));
      t.members = keep.map((j) => t.members[j]);
      t.shares = keep.map((j) => t.shares[j]);
    }
    for (const [h, ids] of [...joining].sort((a, b) => a[0] - b[0])) {
      const go = ids.filter((id) => !stay.has(id));
      if (go.length === 0) continue;
      const t = state.themes[h];
      t.members.push(...go);
      t.shares.push(...go.map((id) => round(fresh.share[space.index.get(id)!], 3)));
      t.addedSinceLabel += go.length;
      moved.set(t.id, go);
    }
  }
  // Pending papers were judged against the old themes: judge them again next time.
  return { changes, moved };
}

/** A fresh clustering of all papers, as `buildThemes` makes it, with each paper's neighbourhood share. */
async function freshThemes(
  papers: readonly Paper[],
  vectors: readonly ArrayLike<number>[],
  k: number | "auto",
  seed: number,
  minSize?: number,
  onProgress?: ProgressCallback,
): Promise<{ groups: number[][]; share: Float64Array }> {
  const f32 = vectors.map((v) => (v instanceof Float32Array ? v : Float32Array.from(v)));
  const { members, share } = await clusterThemes(papers, f32, {
    k: k === "auto" ? "auto" : Math.min(k, papers.length),
    seed,
    ...(minSize !== undefined ? { minSize } : {}),
    ...(onProgress ? { onProgress } : {}),
  });
  return { groups: members.map((g) => [...g].sort((a, b) => a - b)), share };
}

/**
 * Step 6: names for `renamed` themes (new, split, merged) and, for `due` themes, a new name
 * only when it covers clearly more of the members than the current one (by 0.1 or more).
 */
function nameThemes(state: ThemeState, space: Space, renamed: Set<string>, due: Set<string>, sample: number): void {
  if (renamed.size === 0 && due.size === 0) return;
  const { papers, groups } = namingInput(state, space, (t) => renamed.has(t.id) || due.has(t.id), sample);
  const names = labelThemes(papers, groups);
  const taken = new Set(state.themes.filter((t) => !renamed.has(t.id) && !due.has(t.id)).map((t) => t.label.toLowerCase()));
  state.themes.forEach((t, ti) => {
    const name = names[ti] as { label: string; keywords: string[]; subtopics?: string[] };
    if (!renamed.has(t.id) && !due.has(t.id)) return;
    let label = name.label;
    if (due.has(t.id) && t.label) {
      const texts = groups[ti].map((i) => `${papers[i].title} ${papers[i].abstract}`);
      const better = prefixCoverage(label, texts) >= prefixCoverage(t.label, texts) + 0.1;
      if (!better || taken.has(label.toLowerCase())) label = t.label;
    }
    if (taken.has(label.toLowerCase())) {
      const alt = name.keywords.find((k) => !taken.has(k.toLowerCase()) && k.toLowerCase() !== label.toLowerCase());
      label = alt ? `${label} / ${alt}` : `${label} (${t.id})`;
    }
    taken.add(label.toLowerCase());
    t.label = label;
    t.keywords = name.keywords.filter((k) => k.toLowerCase() !== label.toLowerCase());
    if (name.subtopics) t.subtopics = [...name.subtopics];
    t.labelSize = t.members.length;
    t.addedSinceLabel = 0;
  });
}

/** Default of {@link LivingOptions.namingSample}. */
const NAMING_SAMPLE = 5000;

/**
 * The papers (and each theme's members among them) that names are computed from: all of them
 * up to `limit`; beyond it, the themes to be named (`naming`) keep their members (a seeded
 * sample of half the limit at most each, and of three quarters of it together), and the
 * others share the rest in proportion to their size.
 */
function namingInput(
  state: ThemeState,
  space: Space,
  naming: (t: ThemeRecord) => boolean,
  limit: number,
): { papers: readonly Paper[]; groups: number[][] } {
  const members = state.themes.map((t) => t.members.map((id) => space.index.get(id)!).filter((i) => i !== undefined));
  const total = members.reduce((a, m) => a + m.length, 0);
  if (total <= limit) return { papers: space.papers, groups: members };
  const rand = createRandom(state.settings.seed);
  const named = state.themes.map(naming);
  // Themes being named: up to half of the limit each and three quarters together (the others stay as contrast).
  const wanted = members.map((m, ti) => (named[ti] ? Math.min(m.length, Math.floor(limit / 2)) : 0));
  const wantedTotal = wanted.reduce((a, b) => a + b, 0);
  const scale = wantedTotal > 0.75 * limit ? (0.75 * limit) / wantedTotal : 1;
  const namedTake = wanted.map((x) => Math.max(1, Math.floor(x * scale)));
  // The other themes share the rest in proportion to their size.
  const room = Math.max(0, limit - namedTake.reduce((a, x, ti) => a + (named[ti] ? x : 0), 0));
  const rest = Math.max(
    1,
    members.reduce((a, m, ti) => a + (named[ti] ? 0 : m.length), 0),
  );
  const take = members.map((m, ti) => (named[ti] ? namedTake[ti] : Math.min(m.length, Math.max(1, Math.round((m.length * room) / rest)))));
  const kept = members.map((m, ti) => (take[ti] >= m.length ? m : seededSample(m, take[ti], rand).sort((a, b) => a - b)));
  const order = kept.flat().sort((a, b) => a - b);
  const position = new Map(order.map((i, j) => [i, j]));
  return { papers: order.map((i) => space.papers[i]), groups: kept.map((m) => m.map((i) => position.get(i)!)) };
}

const LABEL_STOPWORDS = new Set(["and", "for", "the", "of", "in", "on", "with", "to", "a", "an", "via", "from", "by"]);

/**
 * Share of texts that contain every content word of the label (matched on their first 5
 * letters, so "pruning" matches "prune"); a label "a / b" counts when either side matches.
 * A quick test for the relabel rule only — the measure labels are judged by is
 * `labelCoverage` in coverage.ts.
 */
export function prefixCoverage(label: string, texts: readonly string[]): number {
  if (texts.length === 0) return 0;
  const sides = label
    .split("/")
    .map((side) =>
      side
        .toLowerCase()
        .split(/[^\p{L}\p{N}]+/u)
        .filter((w) => w.length > 1 && !LABEL_STOPWORDS.has(w))
        .map((w) => w.slice(0, 5)),
    )
    .filter((s) => s.length > 0);
  if (sides.length === 0) return 0;
  let hit = 0;
  for (const text of texts) {
    const words = new Set(
      text
        .toLowerCase()
        .split(/[^\p{L}\p{N}]+/u)
        .map((w) => w.slice(0, 5)),
    );
    if (sides.some((side) => side.every((w) => words.has(w)))) hit++;
  }
  return hit / texts.length;
}

function latestDay(papers: readonly Paper[]): string | undefined {
  let best: string | undefined;
  for (const p of papers) {
    const d = paperDay(p);
    if (d && (!best || d > best)) best = d;
  }
  return best;
}

function isStrings(x: unknown): x is string[] {
  return Array.isArray(x) && x.every((s) => typeof s === "string");
}

function themeNumber(id: string): number {
  return Number(id.slice(id.lastIndexOf("-") + 1)) || 0;
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return 0;
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
