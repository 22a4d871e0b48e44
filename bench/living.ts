/**
 * Living library benchmark (`npm run bench:living`): a library that grows one daily listing at
 * a time, with `updateThemes()` after each day.
 *
 *   npx tsx bench/living.ts                 (all parts)
 *   npx tsx bench/living.ts --skip-large    (without the 30,000-paper part)
 *   npx tsx bench/living.ts --large-rebuild (also themes({ rebuild: true }) at 30,000 papers: long)
 *
 * On the 22 daily listings of `arxiv-days-2025-04/` (4,307 papers), with the built-in lexical
 * embedder:
 *
 * 1. stability: share of the papers held yesterday whose theme id is unchanged today,
 *    excluding papers of themes listed as split or merged that day;
 * 2. quality at the end: NMI of the themes against the arXiv categories, next to
 *    `themes({ rebuild: true })` on the same library; related P@10 (share of the 10 related
 *    papers with the paper's category, over a fixed sample of 400 papers) of the streamed
 *    library next to a library created at once from all papers;
 * 3. novelty: a category (eess.IV, cs.GR, cs.RO, cs.IR in turn; others with
 *    LIVING_HELD_BACK=cs.HC,…) held back until day 12 (all its earlier papers arrive that day):
 *    the first day one theme holds at least half of that category's papers and is at least half
 *    made of them; and, with nothing held back, where `themes({ rebuild: true })` puts the
 *    category, how many of its papers' related papers share it, and how precise a linear
 *    classifier trained on the categories is at half of them (is it a group of its own in these
 *    vectors at all?). Then the same for subjects absent
 *    from the days: 40 real abstracts of each of several arxiv-cs-2025 categories the days
 *    hardly hold (LIVING_INJECTED=cs.GT,cs.IT,…), and of quant-ph (arxiv-all-2007), arriving
 *    on day 12 (one at a time, into the library saved after day 11);
 * 4. time of `add` + `updateThemes()` per day (median, max) next to a full rebuild
 *    (`PaperLibrary.create` + `themes()`), at 4,307 papers and at 30,000 (the corpus and six
 *    noisy copies: each copy drops a seeded 15% of the abstract's words): an ordinary day, and a
 *    day that also brings 100 abstracts of a new subject (a new theme to name), naming from a
 *    sample (the default) and from all papers;
 * 5. what a reader sees on two days: the day digest's theme list and the changes.
 *
 * The corpus is read from ../shared/eval beside the repository (or PAPERMAP_EVAL_DIR).
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { CholeskyDecomposition, Matrix } from "ml-matrix";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PaperLibrary } from "../src/library.js";
import type { Paper } from "../src/paper.js";
import { buildDigest } from "../src/report/digest.js";
import { createRandom } from "../src/themes/linalg.js";
import { nmi } from "../src/themes/metrics.js";
import type { ThemeChange } from "../src/themes/living.js";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const evalDir = process.env.PAPERMAP_EVAL_DIR ?? path.resolve(repoRoot, "../shared/eval");
const daysDir = path.join(evalDir, "arxiv-days-2025-04");
const skipLarge = process.argv.includes("--skip-large");
/** Categories held back in turn (LIVING_HELD_BACK, comma-separated; default the four largest after cs.CV, cs.CL, cs.LG, cs.AI). */
const HELD_BACK = (process.env.LIVING_HELD_BACK ?? "eess.IV,cs.GR,cs.RO,cs.IR").split(",");
const HELD_UNTIL = 12; // 1-based day number
/** arxiv-cs-2025 categories the days hardly hold, injected in turn on day HELD_UNTIL (LIVING_INJECTED). */
const INJECTED = (process.env.LIVING_INJECTED ?? "cs.GT,cs.IT,cs.CE,eess.SY,cs.CR,cs.SD,cs.SE,cs.RO").split(",").filter(Boolean);
const INJECTED_COUNT = 40;

interface Row {
  id: string;
  title: string;
  abstract: string;
  label: string;
  day: string;
  authors?: string[];
}

if (!existsSync(daysDir)) {
  console.log(`No daily listings at ${daysDir}: set PAPERMAP_EVAL_DIR. Nothing measured.`);
  process.exit(0);
}

const files = readdirSync(daysDir)
  .filter((f) => f.endsWith(".jsonl"))
  .sort();
/** The rows of a JSONL file (none when it is missing). */
const readRows = (file: string): Row[] =>
  existsSync(file)
    ? readFileSync(file, "utf8")
        .split("\n")
        .filter((l) => l.trim() !== "")
        .map((l) => JSON.parse(l) as Row)
    : [];
const days: Row[][] = files.map((f) => readRows(path.join(daysDir, f)));
const labelOf = new Map<string, string>();
for (const d of days) for (const r of d) labelOf.set(r.id, r.label);
const toPaper = (r: Row): Paper => ({
  id: r.id,
  title: r.title,
  abstract: r.abstract,
  listingDay: r.day,
  ...(r.authors ? { authors: r.authors } : {}),
});
const fmt = (x: number, d = 3) => x.toFixed(d);
const ms = (x: number) => (x >= 10_000 ? `${(x / 1000).toFixed(1)} s` : `${Math.round(x)} ms`);
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? 0 : s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const quiet = { embedder: "lexical" as const, cacheDir: false as const, onNotice: () => {} };

function table(head: string[], rows: (string | number)[][]): void {
  const all = [head, ...rows.map((r) => r.map(String))];
  const w = head.map((_, i) => Math.max(...all.map((r) => r[i].length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(w[i])).join(" | ")} |`;
  console.log(line(head));
  console.log(`|${w.map((x) => "-".repeat(x + 2)).join("|")}|`);
  for (const r of all.slice(1)) console.log(line(r));
  console.log();
}

/** Streams the days (held-back category optional); returns per-day figures and the library. */
async function stream(schedule: Row[][], track?: (day: number, lib: PaperLibrary, changes: ThemeChange[]) => Promise<void>) {
  const notices: string[] = [];
  const lib = await PaperLibrary.create(schedule[0].map(toPaper), { ...quiet, onNotice: (m) => notices.push(m) });
  await lib.themes();
  const stability: number[] = [];
  const times: number[] = [];
  const counts: number[] = [];
  await track?.(1, lib, []);
  for (let d = 1; d < schedule.length; d++) {
    const before = new Map([...(await lib.themes()).assignments].map(([id, a]) => [id, a.themeId]));
    const t = performance.now();
    await lib.add(schedule[d].map(toPaper));
    const update = await lib.updateThemes();
    times.push(performance.now() - t);
    const touched = new Set<string>();
    for (const c of update.changes) {
      if (c.kind === "split" || c.kind === "merged") {
        touched.add(c.themeId);
        for (const f of c.from ?? []) touched.add(f);
      }
    }
    let same = 0;
    let all = 0;
    for (const [id, theme] of before) {
      if (touched.has(theme)) continue;
      all++;
      if (update.assignments.get(id)?.themeId === theme) same++;
    }
    stability.push(all > 0 ? same / all : 1);
    counts.push(update.changes.length);
    const events = update.changes
      .filter((c) => c.kind !== "grew")
      .map((c) => `${c.kind} ${c.themeId}${c.from ? `<${c.from.join("+")}` : ""}`);
    process.stderr.write(
      `day ${d + 1}: ${lib.size} papers, ${update.themes.length} themes, ${ms(times[times.length - 1])}, stable ${fmt(stability[stability.length - 1])}${update.refitted ? ", refitted" : ""}${events.length ? `; ${events.join(", ")}` : ""}\n`,
    );
    await track?.(d + 1, lib, update.changes);
  }
  return { lib, stability, times, notices };
}

/** The saved living themes of a library (`themes` of its state.json). */
async function savedThemes(l: PaperLibrary): Promise<unknown> {
  const { mkdtemp, readFile, rm } = await import("node:fs/promises");
  const os = await import("node:os");
  const tmp = await mkdtemp(path.join(os.tmpdir(), "papermap-bench-state-"));
  try {
    await l.save(path.join(tmp, "lib"));
    return (JSON.parse(await readFile(path.join(tmp, "lib", "state.json"), "utf8")) as { themes: unknown }).themes;
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

function labelNmi(lib: PaperLibrary, assignments: Map<string, { themeId: string }>): number {
  const ids = lib.papers().map((p) => p.id);
  return nmi(
    ids.map((id) => labelOf.get(id)!),
    ids.map((id) => assignments.get(id)!.themeId),
  );
}

async function relatedP10(lib: PaperLibrary, sample: string[]): Promise<number> {
  let sum = 0;
  for (const id of sample) {
    const hits = await lib.related(id, { k: 10 });
    sum += hits.filter((h) => labelOf.get(h.paper.id) === labelOf.get(id)).length / Math.max(1, hits.length);
  }
  return sum / sample.length;
}

console.log(`# Living library: ${days.length} daily listings, ${days.reduce((a, d) => a + d.length, 0)} papers\n`);

// 1, 2, 4: plain streaming.
const streamed = await stream(days);
const { lib } = streamed;
const end = await lib.themes();
const streamedState = await savedThemes(lib);
const sizes = end.themes.map((t) => t.size);
console.log(`Streamed themes at the end: ${sizes.length}, sizes ${sizes.join(" ")}\n`);
const streamedNmi = labelNmi(lib, end.assignments);
const streamedThemes = end.themes.length;
const tRebuild = performance.now();
const all = days.flat().map(toPaper);
const atOnce = await PaperLibrary.create(all, quiet);
const atOnceThemes = await atOnce.themes();
const rebuildMs = performance.now() - tRebuild;
const rebuiltOnStreamed = await lib.themes({ rebuild: true });
const rebuiltNmi = labelNmi(lib, rebuiltOnStreamed.assignments);
const agreement = nmi(
  lib.papers().map((p) => end.assignments.get(p.id)!.themeId),
  lib.papers().map((p) => rebuiltOnStreamed.assignments.get(p.id)!.themeId),
);
const rnd = createRandom(7);
const ids = all.map((p) => p.id);
const sample = Array.from({ length: 400 }, () => ids[Math.floor(rnd() * ids.length)]);
const p10Streamed = await relatedP10(lib, sample);
const p10AtOnce = await relatedP10(atOnce, sample);

console.log(`## Stability (day to day, split/merged excluded)\n`);
table(["day", ...files.slice(1).map((f) => f.slice(5, 10))], [["stable", ...streamed.stability.map((x) => fmt(x, 3))]]);
console.log(
  `mean ${fmt(streamed.stability.reduce((a, b) => a + b, 0) / streamed.stability.length)}, lowest ${fmt(Math.min(...streamed.stability))}\n`,
);
console.log(`Notices while streaming:\n${streamed.notices.map((n) => `- ${n}`).join("\n") || "- none"}\n`);

console.log(`## Quality at the end (${lib.size} papers)\n`);
table(
  ["measure", "streamed", "rebuilt / created at once", "difference"],
  [
    [
      "NMI vs categories (same library; rebuild = themes({ rebuild: true }))",
      fmt(streamedNmi),
      fmt(rebuiltNmi),
      fmt(streamedNmi - rebuiltNmi),
    ],
    ["themes", streamedThemes, rebuiltOnStreamed.themes.length, ""],
    [
      "related P@10 (label agreement, 400 papers; vs PaperLibrary.create(all))",
      fmt(p10Streamed),
      fmt(p10AtOnce),
      fmt(p10Streamed - p10AtOnce),
    ],
    ["NMI of the library created at once (its own embedder fit)", "", fmt(labelNmi(atOnce, atOnceThemes.assignments)), ""],
    ["NMI between the streamed themes and themes({ rebuild: true }) (how close the map is to a fresh one)", fmt(agreement), "", ""],
  ],
);

console.log(`## Time per day at up to ${lib.size} papers\n`);
table(
  ["step", "median", "max", "total"],
  [
    [
      "add + updateThemes (per day)",
      ms(median(streamed.times)),
      ms(Math.max(...streamed.times)),
      ms(streamed.times.reduce((a, b) => a + b, 0)),
    ],
    ["full rebuild: create(all) + themes()", ms(rebuildMs), "", ""],
  ],
);

// 3: novelty.
/** One day's look at where the `held` papers are; true when one theme is at least half made of them and holds at least half of them. */
async function lookAt(
  name: string,
  day: number,
  l: PaperLibrary,
  changes: ThemeChange[],
  held: Set<string>,
  log: string[],
): Promise<{ own: boolean; holds: number; purity: number }> {
  const r = await l.themes();
  const byTheme = new Map<string, number>();
  for (const id of held) {
    const t = r.assignments.get(id)!.themeId;
    byTheme.set(t, (byTheme.get(t) ?? 0) + 1);
  }
  const [best, count] = [...byTheme].sort((a, b) => b[1] - a[1])[0];
  const theme = r.themes.find((t) => t.id === best)!;
  const purity = count / theme.size;
  log.push(
    `day ${day}: ${held.size} ${name} papers; best theme ${best} "${theme.label}" holds ${count} (${fmt(count / held.size, 2)} of them), ${fmt(purity, 2)} of it is ${name}; changes: ${
      changes
        .filter((c) => c.kind !== "grew")
        .map((c) => `${c.kind} ${c.themeId}`)
        .join(", ") || "grew only"
    }`,
  );
  return { own: count >= 0.5 * held.size && purity >= 0.5, holds: count / held.size, purity };
}

/**
 * Streams the days with `held` papers kept back until day HELD_UNTIL (they all arrive that day),
 * and prints on which day one theme first holds at least half of them and is at least half made
 * of them.
 */
async function novelty(name: string, schedule: Row[][], held: Set<string>): Promise<number | undefined> {
  let firstDay: number | undefined;
  const log: string[] = [];
  await stream(schedule.slice(0, HELD_UNTIL + 4), async (day, l, changes) => {
    if (day < HELD_UNTIL || firstDay !== undefined) return;
    if ((await lookAt(name, day, l, changes, held, log)).own) firstDay = day;
  });
  console.log(log.join("\n"));
  console.log(
    `\n${name}: became a theme of its own on day ${firstDay ?? "never (within 4 days)"}${firstDay ? ` (${firstDay - HELD_UNTIL} days after appearing)` : ""}.\n`,
  );
  return firstDay;
}

/** Where themes({ rebuild: true }) on the streamed library puts a category, and how many of its papers' related papers share it. */
async function categoryHome(category: string): Promise<void> {
  const cat = lib.papers().filter((p) => labelOf.get(p.id) === category);
  const where = new Map<string, number>();
  for (const p of cat) {
    const t = rebuiltOnStreamed.assignments.get(p.id)!.themeId;
    where.set(t, (where.get(t) ?? 0) + 1);
  }
  const [home, inHome] = [...where].sort((a, b) => b[1] - a[1])[0];
  const homeTheme = rebuiltOnStreamed.themes.find((t) => t.id === home)!;
  const homeShare = homeTheme.papers.filter((p) => labelOf.get(p.id) === category).length / homeTheme.size;
  const sameCat = (await Promise.all(cat.map((p) => lib.related(p.id, { k: 10 })))).map(
    (hits) => hits.filter((h) => labelOf.get(h.paper.id) === category).length / Math.max(1, hits.length),
  );
  console.log(
    `With nothing held back: themes({ rebuild: true }) puts ${inHome} of the ${cat.length} ${category} papers in "${homeTheme.label}" (${homeTheme.size} papers, ${fmt(homeShare, 2)} of it ${category}); ${fmt(sameCat.reduce((a, b) => a + b, 0) / cat.length, 2)} of their 10 related papers are ${category}; a linear classifier trained on the categories themselves finds half of them at a precision of ${fmt(supervisedPrecision(category), 2)} (a theme of its own needs 0.5).\n`,
  );
}

/**
 * Can any group of papers be "half of the category, half made of it" in these vectors? A shrunk
 * linear discriminant (the category against the library), trained with the labels on four fifths
 * of the papers and scoring the fifth left out, five times: the precision of its top-scored papers
 * once they hold half of the category. Under 0.5, not even a classifier given the labels finds
 * such a group; a clustering, given none, cannot be expected to.
 */
function supervisedPrecision(category: string): number {
  const { papers, x, folds } = foldStatistics();
  const positive = papers.map((p) => labelOf.get(p.id) === category);
  const scores = new Float64Array(papers.length);
  for (const { train, scored, mean, covariance } of folds) {
    const liked = new Float64Array(mean.length);
    const count = train.filter((i) => positive[i]).length;
    for (const i of train) if (positive[i]) for (let j = 0; j < liked.length; j++) liked[j] += x[i][j] / count;
    const w = covariance.solve(Matrix.columnVector(Array.from(liked, (v, j) => v - mean[j]))).to1DArray();
    const raw = scored.map((i) => w.reduce((acc, wj, j) => acc + wj * x[i][j], 0));
    // Scores of different folds are put on one scale (standardised within the fold).
    const mu = raw.reduce((a, b) => a + b, 0) / raw.length;
    const sd = Math.sqrt(raw.reduce((a, b) => a + (b - mu) ** 2, 0) / raw.length) || 1;
    scored.forEach((i, k) => (scores[i] = (raw[k] - mu) / sd));
  }
  const order = papers.map((_, i) => i).sort((a, b) => scores[b] - scores[a]);
  const total = positive.filter(Boolean).length;
  let hits = 0;
  for (let r = 0; r < order.length; r++) {
    if (positive[order[r]]) hits++;
    if (hits >= total / 2) return hits / (r + 1);
  }
  return 0;
}

/**
 * The five folds of {@link supervisedPrecision}, which do not depend on the category: each fold's
 * training papers' mean and covariance, shrunk halfway towards (trace / d) × I. Computed once.
 */
let folded: ReturnType<typeof computeFolds> | undefined;
const foldStatistics = () => (folded ??= computeFolds());
function computeFolds() {
  const papers = lib.papers();
  const x = papers.map((p) => lib.vector(p.id)!);
  const d = x[0].length;
  const fold = papers.map((_, i) => (i * 7919) % 5);
  const folds = [0, 1, 2, 3, 4].map((f) => {
    const train = papers.map((_, i) => i).filter((i) => fold[i] !== f);
    const mean = new Float64Array(d);
    for (const i of train) for (let j = 0; j < d; j++) mean[j] += x[i][j] / train.length;
    const cov = new Matrix(d, d);
    for (const i of train)
      for (let a = 0; a < d; a++) {
        const xa = (x[i][a] - mean[a]) / train.length;
        for (let b = 0; b <= a; b++) cov.set(a, b, cov.get(a, b) + xa * (x[i][b] - mean[b]));
      }
    let trace = 0;
    for (let a = 0; a < d; a++) trace += cov.get(a, a);
    for (let a = 0; a < d; a++) {
      for (let b = 0; b < a; b++) {
        const v = 0.5 * cov.get(a, b);
        cov.set(a, b, v);
        cov.set(b, a, v);
      }
      cov.set(a, a, 0.5 * cov.get(a, a) + (0.5 * trace) / d);
    }
    const scored = papers.map((_, i) => i).filter((i) => fold[i] === f);
    return { train, scored, mean, covariance: new CholeskyDecomposition(cov) };
  });
  return { papers, x, folds };
}

for (const category of HELD_BACK) {
  console.log(`## Novelty: ${category} held back until day ${HELD_UNTIL}\n`);
  await categoryHome(category);
  const schedule = days.map((d, i) => (i + 1 < HELD_UNTIL ? d.filter((r) => r.label !== category) : d));
  schedule[HELD_UNTIL - 1] = [
    ...days.slice(0, HELD_UNTIL - 1).flatMap((d) => d.filter((r) => r.label === category)),
    ...days[HELD_UNTIL - 1],
  ];
  const held = new Set(schedule.slice(0, HELD_UNTIL).flatMap((d) => d.filter((r) => r.label === category).map((r) => r.id)));
  await novelty(category, schedule, held);
}

// Subjects none of the days holds: INJECTED papers of each category of arxiv-cs-2025 (the same
// months) and of quant-ph (arxiv-all-2007), arriving together on day HELD_UNTIL. Days 1 to
// HELD_UNTIL − 1 are streamed once and saved; each subject starts from that saved library.
{
  const { mkdtemp, rm } = await import("node:fs/promises");
  const os = await import("node:os");
  const read = (name: string): Row[] => readRows(path.join(evalDir, name));
  const inDays = new Set(days.flat().map((r) => r.id));
  const cs2025 = read("arxiv-cs-2025.jsonl");
  const sources: [string, Row[]][] = [
    ...INJECTED.map((c): [string, Row[]] => [c, cs2025.filter((r) => r.label === c)]),
    ["quant-ph", read("arxiv-all-2007.jsonl").filter((r) => r.label === "quant-ph")],
  ];
  const tmp = await mkdtemp(path.join(os.tmpdir(), "papermap-bench-novelty-"));
  try {
    const before = await stream(days.slice(0, HELD_UNTIL - 1));
    const dir = path.join(tmp, "days");
    await before.lib.save(dir);
    const day = days[HELD_UNTIL - 1][0].day;
    const summary: (string | number)[][] = [];
    for (const [name, rows] of sources) {
      const unseen = rows
        .filter((r) => !inDays.has(r.id))
        .slice(0, INJECTED_COUNT)
        .map((r) => ({ ...r, id: `unseen-${r.id}`, day }));
      if (unseen.length === 0) continue;
      const held = new Set(unseen.map((r) => r.id));
      const l = await PaperLibrary.open(dir, { cacheDir: false, onNotice: () => {} });
      const log: string[] = [];
      let first: number | undefined;
      let onArrival = { holds: 0, purity: 0 };
      for (let d = HELD_UNTIL - 1; d < HELD_UNTIL + 3 && first === undefined; d++) {
        await l.add([...(d === HELD_UNTIL - 1 ? unseen : []), ...days[d]].map(toPaper));
        const update = await l.updateThemes();
        const seen = await lookAt(name, d + 1, l, update.changes, held, log);
        if (d === HELD_UNTIL - 1) onArrival = seen;
        if (seen.own) first = d + 1;
      }
      console.log(`## Novelty: ${unseen.length} ${name} papers (a subject absent from the days) arriving on day ${HELD_UNTIL}\n`);
      console.log(`${log.join("\n")}\n`);
      summary.push([
        name,
        unseen.length,
        first === undefined ? "never (within 4 days)" : `day ${first} (+${first - HELD_UNTIL})`,
        fmt(onArrival.holds, 2),
        fmt(onArrival.purity, 2),
      ]);
    }
    console.log(`## Novelty summary: subjects absent from the days, arriving on day ${HELD_UNTIL}\n`);
    table(["subject", "papers", "a theme of its own", `day ${HELD_UNTIL}: share in its best theme`, "that theme made of it"], summary);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

// 5: what a reader sees on two days.
{
  const two = days.slice(0, 4);
  const res = await stream(two, async (day, l, changes) => {
    if (day < 3) return;
    const dayName = two[day - 1][0].day;
    const digest = await buildDigest(l, { day: dayName, map: false, relatedPerPaper: 0 });
    console.log(`## The digest of ${dayName} (${digest.papers.length} papers)\n`);
    for (const t of digest.themes) {
      const flags = [t.isNew ? "NEW" : "", t.trend === "emerging" ? "emerging" : ""].filter(Boolean).join(", ");
      console.log(
        `- ${t.label} (${t.id}) — ${t.size} today, ${t.librarySize ?? "?"} in all${flags ? ` [${flags}]` : ""}; history ${t.history?.map((h) => h.count).join(" ") ?? ""}`,
      );
    }
    console.log(
      `\nChanges: ${changes.map((c) => `${c.kind} ${c.themeId}${c.from ? ` from ${c.from.join("+")}` : ""}${c.papers ? ` (${c.papers.length} papers)` : ""}`).join("; ")}\n`,
    );
  });
  void res;
}

// 4 (large): 30,000 papers. The library is created from the corpus and six noisy copies
// (each drops a seeded 15% of the abstract's words); its themes are the streamed library's, each
// copy in its original's theme (written into the saved state, as updateThemes() would keep
// them); then one more day (a seventh noisy copy of the last listing) is added and updated.
if (!skipLarge) {
  const { mkdtemp, readFile, rm, writeFile } = await import("node:fs/promises");
  const { createHash } = await import("node:crypto");
  const os = await import("node:os");
  const copies = 6;
  const noisy = (r: Row, c: number): Paper => {
    const rand = createRandom(1000 * c + 17);
    const drop = (text: string) =>
      text
        .split(" ")
        .filter(() => rand() > 0.15)
        .join(" ");
    return { id: `${r.id}~${c}`, title: r.title, abstract: drop(r.abstract), listingDay: r.day };
  };
  const rows = days.flat();
  const base: Paper[] = [...rows.map(toPaper)];
  for (let c = 1; c <= copies; c++) for (const r of rows) base.push(noisy(r, c));
  const tmp = await mkdtemp(path.join(os.tmpdir(), "papermap-bench-living-"));
  try {
    const t0 = performance.now();
    const big = await PaperLibrary.create(base, quiet);
    const createMs = performance.now() - t0;
    const bigDir = path.join(tmp, "big");
    await big.save(bigDir);
    const state = JSON.parse(JSON.stringify(streamedState)) as {
      embedderId: string;
      restructuredAt: number;
      themes: { members: string[]; shares: number[] }[];
    };
    state.embedderId = big.embedderId;
    state.restructuredAt = base.length;
    for (const t of state.themes) {
      const members = [...t.members];
      const shares = [...t.shares];
      for (let c = 1; c <= copies; c++) {
        members.push(...t.members.map((id) => `${id}~${c}`));
        shares.push(...t.shares);
      }
      t.members = members;
      t.shares = shares;
    }
    // The saved themes live in state.json, listed with its checksum in the manifest.
    const stateFile = path.join(bigDir, "state.json");
    const saved = JSON.parse(await readFile(stateFile, "utf8")) as { themes: unknown };
    saved.themes = state;
    const text = JSON.stringify(saved);
    await writeFile(stateFile, text);
    const manifestFile = path.join(bigDir, "library.json");
    const manifest = JSON.parse(await readFile(manifestFile, "utf8")) as { files: Record<string, { bytes: number; sha256: string }> };
    manifest.files["state.json"] = { bytes: Buffer.byteLength(text), sha256: createHash("sha256").update(text).digest("hex") };
    await writeFile(manifestFile, JSON.stringify(manifest, null, 2));
    const opened = await PaperLibrary.open(bigDir, { onNotice: () => {} });
    const dayPapers = days[days.length - 1].map((r) => noisy(r, copies + 1));
    const t1 = performance.now();
    await opened.add(dayPapers);
    const update = await opened.updateThemes();
    const updateMs = performance.now() - t1;
    console.log(`## Time at ${opened.size} papers (one day of ${dayPapers.length} papers added)\n`);
    const rowsOut: (string | number)[][] = [
      ["add + updateThemes", ms(updateMs)],
      ["create(all) (embedding + indexes, before any themes)", ms(createMs)],
    ];
    if (process.argv.includes("--large-rebuild")) {
      const t2 = performance.now();
      await opened.themes({ rebuild: true });
      rowsOut.push(["themes({ rebuild: true })", ms(performance.now() - t2)]);
    }
    // A day that brings a new subject (so the update names a theme): the same day with 100
    // astro-ph abstracts (arxiv-all-2007), names from a sample (the default) and from all papers.
    const newSubject = readRows(path.join(evalDir, "arxiv-all-2007.jsonl"))
      .filter((r) => r.label.startsWith("astro-ph"))
      .slice(0, 100)
      .map((r): Paper => ({ id: `astro-${r.id}`, title: r.title, abstract: r.abstract, listingDay: dayPapers[0].listingDay }));
    const named: string[] = [];
    for (const [how, options] of [
      ["names from a sample of 5,000 papers (default)", {}],
      ["names from all papers (namingSample: Infinity)", { namingSample: Number.POSITIVE_INFINITY }],
    ] as const) {
      if (newSubject.length === 0) break;
      const l = await PaperLibrary.open(bigDir, { onNotice: () => {} });
      const t = performance.now();
      await l.add([...newSubject, ...dayPapers]);
      const u = await l.updateThemes(options);
      rowsOut.push([`a day with ${newSubject.length} astro-ph abstracts too: add + updateThemes, ${how}`, ms(performance.now() - t)]);
      const made = u.changes.filter((c) => c.kind === "new").map((c) => u.themes.find((x) => x.id === c.themeId)!);
      named.push(
        `${how}: ${made.map((x) => `"${x.label}" (${x.size} papers, ${x.papers.filter((p) => p.id.startsWith("astro-")).length} astro-ph)`).join(", ") || "no new theme"}`,
      );
    }
    table(["step", "time"], rowsOut);
    console.log(
      `(ordinary day: ${update.changes.length} changes, ${update.changes.filter((c) => c.kind === "new").length} new, refitted: ${update.refitted})\n`,
    );
    if (named.length > 0) console.log(`New themes on the day with astro-ph:\n${named.map((x) => `- ${x}`).join("\n")}\n`);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}
