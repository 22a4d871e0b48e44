/** `papermap fetch` and `papermap daily`: a day's listing from the network, into a file or a library. */
import { existsSync, statSync } from "node:fs";
import path from "node:path";
import { writeFileAtomically } from "../atomic-file.js";
import { PapermapError } from "../errors.js";
import { isIsoDay } from "../ingest/dates.js";
import { mergeIntoLibrary, writeDayDigest } from "../feeds/daily.js";
import { fetchListing } from "../feeds/index.js";
import { FEED_SOURCES, type FeedListing, type FeedSource, type FetchListingOptions } from "../feeds/types.js";
import type { LibraryOptions } from "../library.js";
import type { ProgressEvent } from "../progress.js";
import { type CommandIo, checkWritableFile, librarySettings } from "./commands.js";
import { UsageError } from "./errors.js";

type Values = Record<string, string | boolean | undefined>;

function text(values: Values, name: string): string | undefined {
  const v = values[name];
  return typeof v === "string" ? v : undefined;
}

function feedSource(value: string | undefined, command: string): FeedSource {
  const source = value ?? "hf-daily";
  if (!FEED_SOURCES.includes(source as FeedSource)) {
    throw new UsageError(`the source must be ${FEED_SOURCES.join(" or ")}, got "${source}".`, command);
  }
  return source as FeedSource;
}

/** The fetch options a command line asks for; progress lines go to stderr. */
function fetchOptions(source: FeedSource, values: Values, io: CommandIo, command: string): FetchListingOptions {
  const date = text(values, "date");
  if (date !== undefined && !isIsoDay(date)) {
    throw new UsageError(`--date must be a day like 2025-11-21, got "${date}".`, command);
  }
  const category = text(values, "category");
  if (source === "arxiv" && !category) {
    throw new UsageError(`arxiv needs --category, e.g. --category cs.CV,cs.CL.`, command);
  }
  if (source === "hf-daily" && category) {
    throw new UsageError(`--category is for arxiv; Hugging Face Daily Papers has no categories.`, command);
  }
  const options: FetchListingOptions = {
    source,
    onProgress: (event: ProgressEvent) => {
      if (event.message) io.progress.status(event.message);
    },
    onNotice: io.progress.onNotice,
    env: { ...io.env },
  };
  if (date !== undefined) options.date = date;
  if (category)
    options.categories = category
      .split(",")
      .map((c) => c.trim())
      .filter((c) => c !== "");
  const endpoint = text(values, "endpoint");
  if (endpoint !== undefined) options.endpoint = endpoint;
  if (values.offline === true) options.offline = true;
  return options;
}

function describe(listing: FeedListing): string {
  const cached = listing.fromCache > 0 ? `, ${listing.fromCache} from the cache` : "";
  return `${listing.source} ${listing.day}: ${listing.papers.length} papers (${listing.pages} page${listing.pages === 1 ? "" : "s"}${cached})`;
}

/** `papermap fetch hf-daily|arxiv [--date] [--category] [--out]`: the day's papers as JSONL. */
export async function fetchCommand(positionals: string[], values: Values, io: CommandIo): Promise<void> {
  const source = feedSource(positionals[0], "fetch");
  const options = fetchOptions(source, values, io, "fetch");
  const out = text(values, "out");
  const listing = await fetchListing(options);
  const jsonl = listing.papers.map((p) => JSON.stringify(p)).join("\n") + (listing.papers.length > 0 ? "\n" : "");
  if (out === undefined) {
    io.stdout.write(jsonl);
    io.progress.status(describe(listing));
    return;
  }
  checkWritableFile(out, io);
  await writeFileAtomically(path.resolve(io.cwd, out), jsonl);
  io.stdout.write(`Wrote ${out}: ${describe(listing)}\n`);
}

/** `papermap daily --library dir [--source] [--category] [--date] [--out-dir]`. */
export async function dailyCommand(_positionals: string[], values: Values, io: CommandIo): Promise<void> {
  const source = feedSource(text(values, "source"), "daily");
  const dir = text(values, "library");
  if (!dir)
    throw new UsageError(`"papermap daily" needs --library <dir>: the library to add the day's papers to (created if absent).`, "daily");
  const outDir = path.resolve(io.cwd, text(values, "out-dir") ?? ".");
  if (!existsSync(outDir) || !statSync(outDir).isDirectory()) throw new PapermapError(`--out-dir "${outDir}" is not an existing folder.`);
  const embedder = text(values, "embedder");
  const options = fetchOptions(source, values, io, "daily");

  const listing = await fetchListing(options);
  io.progress.status(`fetched ${describe(listing)}`);
  const libraryDir = path.resolve(io.cwd, dir);
  const spec: LibraryOptions["embedder"] =
    embedder === undefined || embedder === "auto"
      ? "auto"
      : embedder === "lexical"
        ? "lexical"
        : { model: embedder, ...(values.offline === true ? { offline: true } : {}) };
  const merge = await mergeIntoLibrary(libraryDir, listing.papers, {
    ...librarySettings(values, io),
    embedder: spec,
    onProgress: io.progress.onProgress,
    onNotice: io.progress.onNotice,
  });
  io.progress.finish();
  const summary = `${listing.day}: ${listing.papers.length} papers from ${source} — ${merge.added} new, ${merge.updated} updated, ${merge.unchanged} unchanged`;
  if (!merge.library) {
    io.stdout.write(`${summary}; no library created in ${dir} (the day has no papers) and no digest written.\n`);
    return;
  }
  const libraryNote = merge.created
    ? `created library ${dir} (${merge.library.size} papers)`
    : merge.saved
      ? `saved library ${dir} (${merge.library.size} papers)`
      : `library ${dir} unchanged (${merge.library.size} papers)`;
  const file = path.join(outDir, `digest-${listing.day}.html`);
  if (!merge.saved && existsSync(file)) {
    io.stdout.write(`${summary}; ${libraryNote}; digest ${path.relative(io.cwd, file) || file} unchanged.\n`);
    return;
  }
  const digest = await writeDayDigest(merge.library, listing.day, file, {
    source: `${source} ${listing.day}`,
    onProgress: io.progress.onProgress,
  });
  io.progress.finish();
  io.stdout.write(
    `${summary}; ${libraryNote}; wrote ${path.relative(io.cwd, file) || file} (${digest.papers} papers in ${digest.themes} themes).\n`,
  );
  const counts = new Map<string, number>();
  for (const change of merge.themeChanges) counts.set(change.kind, (counts.get(change.kind) ?? 0) + 1);
  if (counts.size > 0) io.stdout.write(`themes: ${[...counts].map(([kind, n]) => `${n} ${kind}`).join(", ")}\n`);
}
