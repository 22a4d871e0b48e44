/**
 * Theme-name benchmark (`npm run bench:theme-names`): how well theme labels describe their
 * themes, measured with `labelCoverage` (src/themes/coverage.ts).
 *
 * - coverage: share of a theme's papers whose title + abstract contain every content word of
 *   its label (first five letters; "a / b" covers when either side does);
 * - distinctiveness: that share inside the theme ÷ the same share in the rest of the listing.
 *
 * Measured on each of the 22 daily listings of arxiv-days-2025-04/ (k: "auto"), on the shipped
 * listing (k: "auto") and on arxiv-cs-2025.jsonl with k = 18; default offline configuration
 * (LexicalEmbedder vectors fitted on the texts). Also printed: NMI of the themes against the
 * arXiv primary categories and a fingerprint of each partition (names must not change it),
 * boilerplate labels, label stability when one paper leaves a theme (same groups minus one
 * paper, 5 random papers per listing), and the labels of three days next to each theme's
 * most typical titles.
 *
 * Env: PAPERMAP_EVAL_DIR (default ../shared/eval beside the repository); BENCH_SHOW_DAYS
 * (comma-separated days whose labels are printed; default 2025-04-08,2025-04-15,2025-04-24).
 * About 3 minutes on a busy 2-core machine.
 */
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { LexicalEmbedder } from "../src/embed/lexical.js";
import { loadDefaultListing } from "../src/ingest/index.js";
import { paperText, type Paper } from "../src/paper.js";
import { buildThemes, type ThemeModel } from "../src/themes/build.js";
import { coverageFigures, coversKeys, labelKeys, paperKeys } from "../src/themes/coverage.js";
import { labelThemes } from "../src/themes/labels.js";
import { createRandom } from "../src/themes/linalg.js";
import { nmi } from "../src/themes/metrics.js";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const evalDir = process.env.PAPERMAP_EVAL_DIR ?? path.resolve(repoRoot, "../shared/eval");
const showDays = new Set((process.env.BENCH_SHOW_DAYS ?? "2025-04-08,2025-04-15,2025-04-24").split(","));

/** Phrases that say nothing about a topic; a label containing one is counted as boilerplate. */
const BOILERPLATE =
  /\b(et al|paper|propos|state[- ]of[- ]the[- ]art|results? show|code (is )?available|github|this work|our (method|approach|model)|experiments?|outperform|novel|demonstrat|significant)/i;

interface Listing {
  name: string;
  papers: Paper[];
  labels?: string[];
}

interface ThemeFigure {
  label: string;
  size: number;
  coverage: number;
  distinctiveness: number;
}

function readJsonl(file: string): Listing["papers"] & { label?: string }[] {
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => {
      const o = JSON.parse(l) as { id: string; title: string; abstract: string; label?: string };
      return { id: String(o.id), title: o.title, abstract: o.abstract, label: o.label };
    });
}

function toListing(name: string, rows: (Paper & { label?: string })[]): Listing {
  return {
    name,
    papers: rows.map((r) => ({ id: r.id, title: r.title, abstract: r.abstract })),
    labels: rows.every((r) => r.label) ? rows.map((r) => r.label!) : undefined,
  };
}

async function embed(papers: readonly Paper[]): Promise<Float32Array[]> {
  const texts = papers.map(paperText);
  return LexicalEmbedder.fit(texts).embed(texts);
}

function figures(model: ThemeModel, papers: readonly Paper[]): ThemeFigure[] {
  const keys = new Map(papers.map((p) => [p.id, paperKeys(p)]));
  return model.result.themes.map((t) => {
    const label = labelKeys(t.label);
    const inside = new Set(t.papers.map((p) => p.id));
    let covered = 0;
    let outside = 0;
    for (const p of papers) {
      if (!coversKeys(keys.get(p.id)!, label)) continue;
      if (inside.has(p.id)) covered++;
      else outside++;
    }
    const f = coverageFigures(covered, t.size, outside, papers.length - t.size);
    return { label: t.label, size: t.size, coverage: f.coverage, distinctiveness: f.distinctiveness };
  });
}

function median(xs: number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const f2 = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : String(x));
const f1 = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : String(x));

function summaryRow(name: string, fs: ThemeFigure[], extra: string[]): string[] {
  const cov = fs.map((f) => f.coverage);
  return [
    name,
    String(fs.length),
    f2(median(cov)),
    f2(Math.min(...cov)),
    `${Math.round((100 * cov.filter((c) => c >= 0.3).length) / cov.length)}%`,
    `${Math.round((100 * cov.filter((c) => c >= 0.5).length) / cov.length)}%`,
    f1(median(fs.map((f) => f.distinctiveness))),
    String(fs.filter((f) => BOILERPLATE.test(f.label)).length),
    ...extra,
  ];
}

function table(headers: string[], rows: string[][]): void {
  const cells = [headers, ...rows];
  const widths = headers.map((_, c) => Math.max(...cells.map((r) => (r[c] ?? "").length)));
  const line = (r: string[]) => `| ${r.map((x, c) => (x ?? "").padEnd(widths[c])).join(" | ")} |`;
  console.log(line(headers));
  console.log(`|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`);
  for (const r of rows) console.log(line(r));
}

/** Labels of the same groups with one paper removed from the listing, `trials` times. */
function stability(papers: readonly Paper[], model: ThemeModel, trials: number, seed: number): { same: number; total: number } {
  const index = new Map(papers.map((p, i) => [p.id, i]));
  const groups = model.result.themes.map((t) => t.papers.map((p) => index.get(p.id)!).sort((a, b) => a - b));
  const base = labelThemes(papers, groups).map((l) => l.label);
  const random = createRandom(seed);
  let same = 0;
  let total = 0;
  for (let trial = 0; trial < trials; trial++) {
    const drop = Math.floor(random() * papers.length);
    const kept = papers.filter((_, i) => i !== drop);
    const shift = (i: number) => (i > drop ? i - 1 : i);
    const smaller = groups.map((g) => g.filter((i) => i !== drop).map(shift));
    const labels = labelThemes(kept, smaller).map((l) => l.label);
    groups.forEach((g, t) => {
      if (g.length < 3) return;
      total++;
      if (labels[t] === base[t]) same++;
    });
  }
  return { same, total };
}

function fingerprint(model: ThemeModel, _papers: readonly Paper[]): string {
  const sets = model.result.themes
    .map((t) =>
      t.papers
        .map((p) => p.id)
        .sort()
        .join(","),
    )
    .sort();
  return createHash("sha256").update(sets.join("|")).digest("hex").slice(0, 12);
}

async function main(): Promise<void> {
  console.log("# papermap theme-name benchmark\n");
  const listings: { listing: Listing; k: number | "auto" }[] = [];
  const daysDir = path.join(evalDir, "arxiv-days-2025-04");
  const days = existsSync(daysDir)
    ? readdirSync(daysDir)
        .filter((f) => f.endsWith(".jsonl"))
        .sort()
    : [];
  for (const f of days) listings.push({ listing: toListing(f.replace(/\.jsonl$/, ""), readJsonl(path.join(daysDir, f))), k: "auto" });
  const shipped = await loadDefaultListing();
  listings.push({ listing: { name: "shipped listing", papers: shipped }, k: "auto" });
  const csFile = path.join(evalDir, "arxiv-cs-2025.jsonl");
  if (existsSync(csFile)) listings.push({ listing: toListing("arxiv-cs-2025", readJsonl(csFile)), k: 18 });
  if (days.length === 0) console.log(`(eval corpora not found in ${evalDir}; set PAPERMAP_EVAL_DIR)\n`);

  const rows: string[][] = [];
  const dayFigures: ThemeFigure[] = [];
  let stableSame = 0;
  let stableTotal = 0;
  const shows: string[] = [];
  let labelMs = 0;
  for (const [i, { listing, k }] of listings.entries()) {
    const vectors = await embed(listing.papers);
    const model = await buildThemes(listing.papers, vectors, { k });
    const fs = figures(model, listing.papers);
    const isDay = /^\d{4}-/.test(listing.name);
    if (isDay) dayFigures.push(...fs);
    const t0 = performance.now();
    const st =
      listing.papers.length <= 1000 && process.env.BENCH_STABILITY !== "0"
        ? stability(listing.papers, model, 5, 100 + i)
        : { same: 0, total: 0 };
    labelMs += performance.now() - t0;
    if (isDay) {
      stableSame += st.same;
      stableTotal += st.total;
    }
    const score = listing.labels
      ? nmi(
          listing.labels,
          listing.papers.map((p) => model.result.assignments.get(p.id)!.themeId),
        ).toFixed(3)
      : "–";
    rows.push(
      summaryRow(`${listing.name}${k === "auto" ? "" : ` (k = ${k})`}`, fs, [
        st.total ? `${st.same}/${st.total}` : "–",
        score,
        fingerprint(model, listing.papers),
      ]),
    );
    if (showDays.has(listing.name) || listing.name === "shipped listing") {
      const out = [`\n### ${listing.name}: ${listing.papers.length} papers, ${model.k} themes\n`];
      model.result.themes.forEach((t, j) => {
        const f = fs[j];
        const subtopics = (t as { subtopics?: string[] }).subtopics;
        out.push(
          `**${t.label}**${subtopics?.length ? ` — ${subtopics.join(" · ")}` : ""} (${t.size} papers; coverage ${f2(f.coverage)}, distinctiveness ${f1(f.distinctiveness)})`,
        );
        out.push(`  keywords: ${t.keywords.join("; ")}`);
        for (const p of t.representative) out.push(`  - ${p.title}`);
      });
      shows.push(out.join("\n"));
    }
  }
  console.log("Per listing: themes; label coverage median / lowest / share ≥ 0.3 / share ≥ 0.5; distinctiveness median;");
  console.log("boilerplate labels; labels unchanged when one paper is removed (same groups, 5 trials, themes ≥ 3 papers);");
  console.log("NMI against arXiv primary categories; partition fingerprint (must not change with the namer).\n");
  const headers = ["listing", "themes", "cov med", "cov min", "≥0.3", "≥0.5", "dist med", "boilerplate", "stable", "NMI", "partition"];
  if (dayFigures.length > 0) rows.push(summaryRow(`**all ${days.length} days**`, dayFigures, [`${stableSame}/${stableTotal}`, "", ""]));
  table(headers, rows);
  console.log(`\n(labelling time in the stability trials: ${(labelMs / 1000).toFixed(1)} s)`);
  console.log("\n## Labels next to each theme's most typical titles");
  for (const s of shows) console.log(s);
}

await main();
