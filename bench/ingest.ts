/**
 * Ingest benchmark: parse time of the shipped listing, and of 10,000 papers generated from
 * the evaluation corpora in every format (JSONL, JSON, CSV, Daily Papers JSON, arXiv Atom,
 * Hugging Face text). Run with `npx tsx bench/ingest.ts` (or `npm run bench:ingest`).
 *
 * The evaluation corpora are read from `../shared/eval` beside the repository, or from
 * `PAPERMAP_EVAL_DIR`; the generated files go to a temporary directory that is removed at
 * the end. Variants are measured interleaved in rounds (the machine is shared and noisy):
 * compare the ratios, not the absolute times.
 */
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import {
  DEFAULT_LISTING_PATH,
  DEFAULT_LISTING_REFERENCE_YEAR,
  parseListing,
  readListing,
  type ListingFormat,
  type ParseResult,
} from "../src/ingest/index.js";

const repoRoot = resolve(fileURLToPath(import.meta.url), "../..");
const evalDir = process.env.PAPERMAP_EVAL_DIR ?? resolve(repoRoot, "../shared/eval");
const TARGET = 10_000;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);

interface Record_ {
  id: string;
  title: string;
  abstract: string;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Runs every variant once per round, in rotating order, and returns the times per variant. */
async function measure(
  variants: { name: string; run: () => Promise<ParseResult> | ParseResult }[],
  rounds: number,
): Promise<Map<string, { times: number[]; result: ParseResult }>> {
  const out = new Map<string, { times: number[]; result: ParseResult }>();
  for (const v of variants) out.set(v.name, { times: [], result: await v.run() }); // warm-up, and the result to check
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < variants.length; k++) {
      const v = variants[(k + r) % variants.length];
      const start = performance.now();
      await v.run();
      out.get(v.name)!.times.push(performance.now() - start);
    }
  }
  return out;
}

function table(headers: string[], rows: (string | number)[][]): string {
  const cells = [headers, ...rows.map((row) => row.map(String))];
  const widths = headers.map((_, i) => Math.max(...cells.map((row) => row[i].length)));
  const line = (row: string[]): string =>
    "| " + row.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(" | ") + " |";
  return [
    line(cells[0]),
    "|" + widths.map((w, i) => (i === 0 ? "-".repeat(w + 2) : "-".repeat(w + 1) + ":")).join("|") + "|",
    ...cells.slice(1).map(line),
  ].join("\n");
}

// ---------------------------------------------------------------------------
// Renderers for the 10,000-paper files
// ---------------------------------------------------------------------------

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const xmlEscape = (s: string): string => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const csvQuote = (s: string): string => `"${s.replace(/"/g, '""')}"`;

const render: Record<Exclude<ListingFormat, never>, (records: Record_[]) => string> = {
  jsonl: (records) => records.map((r) => JSON.stringify(r)).join("\n") + "\n",
  json: (records) => JSON.stringify(records, null, 1),
  csv: (records) => ["id,title,abstract", ...records.map((r) => [r.id, r.title, r.abstract].map(csvQuote).join(","))].join("\n") + "\n",
  "hf-json": (records) =>
    JSON.stringify(
      records.map((r, i) => ({
        paper: {
          id: r.id,
          title: r.title,
          summary: r.abstract,
          authors: [{ name: "A. Author" }, { name: "B. Author" }],
          publishedAt: "2025-05-27T12:00:00.000Z",
          upvotes: i % 17,
        },
        publishedAt: "2025-05-28T00:00:00.000Z",
        title: r.title,
        numComments: 0,
      })),
    ),
  "arxiv-atom": (records) =>
    `<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">\n  <title>ArXiv Query</title>\n` +
    records
      .map(
        (r) =>
          `  <entry>\n    <id>http://arxiv.org/abs/${xmlEscape(r.id)}v1</id>\n    <published>2025-05-27T12:00:00Z</published>\n    <title>${xmlEscape(r.title)}</title>\n    <summary>${xmlEscape(r.abstract)}</summary>\n    <author>\n      <name>A. Author</name>\n    </author>\n  </entry>\n`,
      )
      .join("") +
    "</feed>\n",
  "hf-text": (records) =>
    "Daily Papers\n\nbyAK and the research community\n\nNov 21\n\n" +
    records
      .map(
        (r, i) =>
          `${r.title}\n\n${r.abstract}\n\n  • ${1 + (i % 9)} authors\n·\n${MONTHS[i % 11]} ${1 + (i % 28)}${i % 3 ? "" : `, 2024`}${i % 4 ? ` ${i % 50}` : ""}\n`,
      )
      .join("\n"),
};

/** The eval corpora, repeated until there are `TARGET` records; repeats get a variant id and title. */
async function tenThousand(): Promise<Record_[] | undefined> {
  const files = ["arxiv-cs-2025.jsonl", "arxiv-all-2007.jsonl"].map((f) => join(evalDir, f));
  if (!files.every(existsSync)) return undefined;
  const base: Record_[] = [];
  for (const file of files) {
    for (const line of (await readFile(file, "utf8")).split("\n")) {
      if (line.trim() === "") continue;
      const { id, title, abstract } = JSON.parse(line) as Record_;
      base.push({ id, title, abstract });
    }
  }
  const records: Record_[] = [];
  for (let i = 0; records.length < TARGET; i++) {
    const r = base[i % base.length];
    const round = Math.floor(i / base.length);
    records.push(round === 0 ? r : { id: `${r.id}-r${round}`, title: `${r.title} (${round + 1})`, abstract: r.abstract });
  }
  return records;
}

async function main(): Promise<void> {
  console.log(`# Ingest benchmark (Node ${process.version}, ${ROUNDS} rounds, median time per parse)\n`);

  // --- the shipped listing -------------------------------------------------------------
  const shippedText = await readFile(DEFAULT_LISTING_PATH, "utf8");
  const shipped = await measure(
    [
      { name: "parseListing (text in memory)", run: () => parseListing(shippedText, { referenceYear: DEFAULT_LISTING_REFERENCE_YEAR }) },
      {
        name: "readListing (file read + parse)",
        run: () => readListing(DEFAULT_LISTING_PATH, { referenceYear: DEFAULT_LISTING_REFERENCE_YEAR }),
      },
    ],
    ROUNDS * 5,
  );
  console.log(`## Shipped listing (${(shippedText.length / 1024).toFixed(0)} KiB, hf-text)\n`);
  console.log(
    table(
      ["variant", "papers", "warnings", "median ms", "min ms"],
      [...shipped].map(([name, { times, result }]) => [
        name,
        result.papers.length,
        result.warnings.length,
        median(times).toFixed(2),
        Math.min(...times).toFixed(2),
      ]),
    ),
  );

  // --- 10,000 papers in every format -----------------------------------------------------
  const records = await tenThousand();
  if (!records) {
    console.log(`\nEvaluation corpora not found in ${evalDir} (set PAPERMAP_EVAL_DIR); the 10,000-paper part is skipped.`);
    return;
  }
  const dir = await mkdtemp(join(tmpdir(), "papermap-bench-ingest-"));
  try {
    const formats = Object.keys(render) as ListingFormat[];
    const paths = new Map<ListingFormat, { path: string; bytes: number; text: string }>();
    for (const format of formats) {
      const text = render[format](records);
      const path = join(dir, `papers-10k.${format}`);
      await writeFile(path, text);
      paths.set(format, { path, bytes: Buffer.byteLength(text), text });
    }
    const jsonl = paths.get("jsonl")!;
    const results = await measure(
      [
        ...formats.map((format) => ({ name: format, run: () => parseListing(paths.get(format)!.text, { referenceYear: 2025 }) })),
        { name: "jsonl via readListing (file)", run: () => readListing(jsonl.path) },
      ],
      ROUNDS,
    );
    const jsonlMedian = median(results.get("jsonl")!.times);
    console.log(`\n## ${TARGET.toLocaleString("en-US")} papers from the evaluation corpora (format detected from content)\n`);
    console.log(
      table(
        ["format", "MiB", "papers", "warnings", "median ms", "min ms", "papers/s", "× jsonl"],
        [...results].map(([name, { times, result }]) => {
          const format = name.split(" ")[0] as ListingFormat;
          const m = median(times);
          return [
            name,
            (paths.get(format)!.bytes / 1024 / 1024).toFixed(1),
            result.papers.length,
            result.warnings.length,
            m.toFixed(0),
            Math.min(...times).toFixed(0),
            Math.round(result.papers.length / (m / 1000)).toLocaleString("en-US"),
            (m / jsonlMedian).toFixed(2),
          ];
        }),
      ),
    );
    for (const [name, { result }] of results) {
      if (result.papers.length !== TARGET) console.log(`\nWARNING: ${name} gave ${result.papers.length} papers, expected ${TARGET}.`);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
