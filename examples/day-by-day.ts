/**
 * A library that lives across days: create it from the first day's papers, then add each new
 * day and update its themes — ids stay, new subjects become new themes — and write the day's
 * digest (the day's papers in the library's themes, new ones first, each with its history).
 *
 *   npx tsx examples/day-by-day.ts
 *
 * The shipped listing stands in for three days of a daily feed here; with your own files,
 * give each paper its listing day (a `day` or `listing_day` field in JSON/CSV, or `listingDay`).
 */
import { writeFile } from "node:fs/promises";
// In your project: import { PaperLibrary, buildDigest, renderHtml, loadDefaultListing, type Paper } from "papermap";
import { loadDefaultListing } from "../src/ingest/index.js";
import { PaperLibrary } from "../src/library.js";
import type { Paper } from "../src/paper.js";
import { buildDigest } from "../src/report/digest.js";
import { renderHtml } from "../src/report/html.js";

const all = await loadDefaultListing();
const days: [string, Paper[]][] = [
  ["2025-02-10", all.slice(0, 50)],
  ["2025-02-11", all.slice(50, 66)],
  ["2025-02-12", all.slice(66)],
].map(([day, papers]) => [day as string, (papers as Paper[]).map((p) => ({ ...p, listingDay: day as string }))]);

// Day one: create the library; its themes are computed on first use and saved with it.
const library = await PaperLibrary.create(days[0][1]);
const first = await library.themes();
console.log(`${days[0][0]}: ${library.size} papers in ${first.themes.length} themes`);
await library.save("my-living-library");

for (const [day, papers] of days.slice(1)) {
  const lib = await PaperLibrary.open("my-living-library"); // as a daily job would
  await lib.add(papers);
  const { themes, changes } = await lib.updateThemes();
  console.log(`\n${day}: +${papers.length} papers, ${lib.size} in ${themes.length} themes`);
  for (const change of changes) {
    const label = themes.find((t) => t.id === change.themeId)?.label ?? "";
    const from = change.from ? ` from ${change.from.join(" + ")}` : "";
    console.log(`  ${change.kind.padEnd(6)} ${change.themeId} "${label}"${from} (${change.papers?.length ?? 0} papers)`);
  }
  await lib.save("my-living-library");

  // The day's digest: the day's papers in the library's themes; the map shows the rest faintly.
  const digest = await buildDigest(lib, { day });
  await writeFile(`digest-${day}.html`, renderHtml(digest));
  console.log(`  wrote digest-${day}.html (${digest.papers.length} papers, ${digest.themes.length} themes)`);
}

// Papers per day for each theme, and whether it is emerging, steady or fading.
const last = await PaperLibrary.open("my-living-library");
const timeline = await last.timeline({ by: "day" });
console.log(`\nTimeline (${timeline.periods.join(", ")}):`);
for (const t of timeline.themes) console.log(`  ${t.counts.join(" ").padEnd(10)} ${t.trend.padEnd(8)} ${t.label}`);
