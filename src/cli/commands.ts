import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { writeFileAtomically } from "../atomic-file.js";
import { PapermapError, ParseError, UnknownPaperError } from "../errors.js";
import { defaultCacheRoot, offlineFromEnvironment } from "../embed/environment.js";
import { isIsoDatePrefix, isIsoDay } from "../ingest/dates.js";
import { DEFAULT_LISTING_PATH, LISTING_FORMATS, loadDefaultListing, loadPapers } from "../ingest/index.js";
import type { ListingFormat, ParseWarning } from "../ingest/types.js";
import { LIBRARY_MANIFEST, PaperLibrary, type LibraryOptions } from "../library.js";
import { arxivIdFrom, type Paper } from "../paper.js";
import { buildDigest } from "../report/digest.js";
import { renderHtml } from "../report/html.js";
import { renderJson } from "../report/json.js";
import { renderMarkdown } from "../report/markdown.js";
import type { ProjectionMethod } from "../report/projection.js";
import { normalizeName } from "../search/lookup.js";
import type { PaperFilter } from "../search/filter.js";
import { SEARCH_MODES, type SearchMode } from "../search/types.js";
import type { ThemeResult } from "../themes/types.js";
import { AmbiguousPaperError, UsageError } from "./errors.js";
import { formatHits, formatThemes, hitsToJson, shorten, themesToJson } from "./format.js";
import type { TerminalOutput } from "./output.js";
import type { ProgressReporter } from "./progress.js";

type Values = Record<string, string | boolean | undefined>;

/**
 * What a command works with. It writes only through `stdout` (results) and `stderr` /
 * `progress` (progress, notices), which strip terminal control characters; it resolves
 * relative paths against `cwd` and reads settings from `env`, never from `process`.
 */
export interface CommandIo {
  stdout: TerminalOutput;
  stderr: TerminalOutput;
  progress: ProgressReporter;
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
}

/** A command: its positional arguments, its option values, and where to read and write. */
export type Handler = (positionals: string[], values: Values, io: CommandIo) => Promise<void>;

/** A path given on the command line, resolved against the command's folder. */
function resolvePath(io: CommandIo, file: string): string {
  return path.resolve(io.cwd, file);
}

const EXAMPLE_QUERY = "reducing visual tokens in vision-language models";

// ---------------------------------------------------------------- option values

function intOption(values: Values, name: string, min: number, command: string): number | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  const text = String(raw).trim();
  const n = Number(text);
  if (!/^-?\d+$/.test(text) || !Number.isSafeInteger(n) || n < min) {
    throw new UsageError(`--${name} must be a whole number ≥ ${min}, got "${raw}".`, command);
  }
  return n;
}

function fractionOption(values: Values, name: string, command: string): number | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  const n = Number(String(raw).trim());
  if (String(raw).trim() === "" || !Number.isFinite(n) || n < 0 || n > 1) {
    throw new UsageError(`--${name} must be a number from 0 to 1, got "${raw}".`, command);
  }
  return n;
}

function themeK(values: Values, command: string): number | "auto" | undefined {
  if (values.k === "auto") return "auto";
  return intOption(values, "k", 1, command);
}

function stringOption(values: Values, name: string): string | undefined {
  const v = values[name];
  return typeof v === "string" ? v : undefined;
}

function filterOptions(values: Values, command: string): PaperFilter | undefined {
  const filter: PaperFilter = {};
  const from = stringOption(values, "from");
  const to = stringOption(values, "to");
  for (const [name, value] of [
    ["from", from],
    ["to", to],
  ] as const) {
    if (value !== undefined && !isIsoDatePrefix(value)) {
      throw new UsageError(`--${name} must be a real date like 2025-02-11 (or 2025-02, 2025), got "${value}".`, command);
    }
  }
  if (from) filter.from = from;
  if (to) filter.to = to;
  const minUpvotes = intOption(values, "min-upvotes", 0, command);
  if (minUpvotes !== undefined) filter.minUpvotes = minUpvotes;
  return Object.keys(filter).length > 0 ? filter : undefined;
}

function modeOption(values: Values, command: string): SearchMode | undefined {
  const mode = stringOption(values, "mode");
  if (mode === undefined) return undefined;
  if (!SEARCH_MODES.includes(mode as SearchMode)) {
    throw new UsageError(`--mode must be one of ${SEARCH_MODES.join(", ")}, got "${mode}".`, command);
  }
  return mode as SearchMode;
}

function embedderSpec(values: Values, io: CommandIo, command: string): LibraryOptions["embedder"] {
  const name = stringOption(values, "embedder");
  const modelPath = stringOption(values, "model-path");
  const offline = values.offline === true || offlineFromEnvironment(io.env);
  if (name !== undefined && name.trim() === "") throw new UsageError(`--embedder needs a name: auto, lexical or a model id.`, command);
  if (modelPath !== undefined) {
    if (name === "lexical") {
      throw new UsageError(`--model-path loads a neural model and cannot be combined with --embedder lexical.`, command);
    }
    if (!existsSync(resolvePath(io, modelPath))) {
      throw new PapermapError(
        `model folder "${modelPath}" (--model-path) does not exist; give the folder holding the model's config.json.`,
      );
    }
    return { modelPath: resolvePath(io, modelPath), ...(offline ? { offline } : {}) };
  }
  if (name === undefined || name === "auto") return "auto";
  if (name === "lexical") return "lexical";
  return { model: name, ...(offline ? { offline } : {}) };
}

// ---------------------------------------------------------------- loading

interface Source {
  library: PaperLibrary;
  /** For headings: the listing file name(s) or the library folder. */
  name: string;
  /** Whether the papers are the shipped listing. */
  shipped: boolean;
}

async function readListings(paths: readonly string[] | "shipped", values: Values, io: CommandIo, command: string): Promise<Paper[]> {
  const format = stringOption(values, "input-format");
  if (format !== undefined && !LISTING_FORMATS.includes(format as ListingFormat)) {
    throw new UsageError(`--input-format must be one of ${LISTING_FORMATS.join(", ")}, got "${format}".`, command);
  }
  const referenceYear = intOption(values, "reference-year", 1900, command);
  if (paths === "shipped") {
    // The shipped listing has its own known format and reference year.
    const warnings: ParseWarning[] = [];
    const papers = await loadDefaultListing({ onWarning: (w) => warnings.push(w) });
    reportWarnings(DEFAULT_LISTING_PATH, warnings, io);
    return papers;
  }
  const merged = new Map<string, Paper>();
  let duplicates = 0;
  for (const file of paths) {
    const full = resolvePath(io, file);
    if (!existsSync(full)) throw new PapermapError(`listing file "${file}" does not exist.`);
    if (statSync(full).isDirectory()) {
      throw new PapermapError(
        `"${file}" is a folder, not a listing file${existsSync(path.join(full, LIBRARY_MANIFEST)) ? "; for a saved library use --library" : ""}.`,
      );
    }
    const warnings: ParseWarning[] = [];
    let papers: Paper[];
    try {
      // The shipped listing named by its path reads as it does by default (its own reference year).
      const shipped = full === DEFAULT_LISTING_PATH && format === undefined && referenceYear === undefined;
      papers = shipped
        ? await loadDefaultListing({ onWarning: (w) => warnings.push(w) })
        : await loadPapers(full, {
            source: file,
            ...(format ? { format: format as ListingFormat } : {}),
            ...(referenceYear !== undefined ? { referenceYear } : {}),
            onWarning: (w) => warnings.push(w),
          });
    } catch (error) {
      // The library's advice names its option; on the command line it is --input-format.
      if (error instanceof ParseError) error.message = error.message.replace(/Pass `format`/g, "Pass --input-format <fmt>");
      throw error;
    }
    reportWarnings(file, warnings, io);
    for (const p of papers) {
      if (merged.has(p.id)) duplicates++;
      else merged.set(p.id, p);
    }
  }
  if (duplicates > 0) {
    io.progress.onNotice(`${duplicates} paper(s) appear in more than one listing; kept the first copy of each.`);
  }
  return [...merged.values()];
}

function reportWarnings(file: string, warnings: readonly ParseWarning[], io: CommandIo): void {
  const shown = warnings.slice(0, 5);
  for (const w of shown) {
    const where = w.line !== undefined ? `:${w.line}` : w.record !== undefined ? ` record ${w.record}` : "";
    io.progress.onNotice(`${path.basename(file)}${where}: ${w.message}`);
  }
  if (warnings.length > shown.length) {
    io.progress.onNotice(`${path.basename(file)}: … and ${warnings.length - shown.length} more warning(s).`);
  }
}

/**
 * Cache folders and offline mode for the library, from the options and `io.env` (never
 * from `process.env`): `--cache-dir` (else `$PAPERMAP_CACHE_DIR`, …) holds `embeddings/`
 * and `models/`; `--offline` or an offline variable keeps the network untouched.
 */
export function librarySettings(values: Values, io: CommandIo): { cacheDir: string | false; modelCacheDir: string; offline: boolean } {
  const option = stringOption(values, "cache-dir");
  const root = option !== undefined ? resolvePath(io, option) : path.resolve(io.cwd, defaultCacheRoot(io.env));
  return {
    cacheDir: values["no-cache"] === true ? false : path.join(root, "embeddings"),
    modelCacheDir: path.join(root, "models"),
    offline: values.offline === true || offlineFromEnvironment(io.env),
  };
}

async function loadSource(listings: readonly string[], values: Values, io: CommandIo, command: string): Promise<Source> {
  const libraryDir = stringOption(values, "library");
  const settings = librarySettings(values, io);
  if (libraryDir !== undefined) {
    if (listings.length > 0) {
      throw new UsageError(`give either listing files or --library, not both.`, command);
    }
    for (const option of ["embedder", "model-path", "input-format", "reference-year"]) {
      if (values[option] !== undefined) {
        throw new UsageError(
          `--${option} applies to listing files; a library from --library keeps the embedder and papers it was built with.`,
          command,
        );
      }
    }
    if (!existsSync(resolvePath(io, libraryDir))) {
      throw new PapermapError(`no library at "${libraryDir}"; build one with \`papermap index <listing…> --out ${libraryDir}\`.`);
    }
    const library = await PaperLibrary.open(resolvePath(io, libraryDir), {
      ...settings,
      onProgress: io.progress.onProgress,
      onNotice: io.progress.onNotice,
    });
    io.progress.finish();
    return { library, name: libraryDir, shipped: false };
  }
  const shipped = listings.length === 0;
  const files = shipped ? [DEFAULT_LISTING_PATH] : listings;
  const embedder = embedderSpec(values, io, command);
  const papers = await readListings(shipped ? "shipped" : files, values, io, command);
  io.progress.status(
    `loaded ${papers.length} paper${papers.length === 1 ? "" : "s"} from ${shipped ? "the shipped listing" : files.map((f) => path.basename(f)).join(", ")}`,
  );
  const library = await PaperLibrary.create(papers, {
    ...settings,
    embedder,
    onProgress: io.progress.onProgress,
    onNotice: io.progress.onNotice,
  });
  io.progress.finish();
  return { library, name: shipped ? path.basename(DEFAULT_LISTING_PATH) : files.map((f) => path.basename(f)).join(", "), shipped };
}

// ---------------------------------------------------------------- paper lookup

/**
 * The paper a `related` argument names: an id (or arXiv id / URL), a full title, or a
 * fragment of exactly one title.
 */
export function findPaper(library: PaperLibrary, query: string): Paper {
  const direct = library.get(query) ?? library.get(query.trim());
  if (direct) return direct;
  const arxiv = arxivIdFrom(query);
  if (arxiv && library.get(arxiv)) return library.get(arxiv)!;
  const wanted = normalizeName(query);
  if (wanted === "") throw new UnknownPaperError(query, "Give a paper id or a fragment of its title.");
  const papers = library.papers();
  const exact = papers.filter((p) => normalizeName(p.title) === wanted);
  if (exact.length === 1) return exact[0];
  const containing =
    exact.length > 1
      ? exact
      : papers.filter((p) => ` ${normalizeName(p.title)} `.includes(` ${wanted} `) || normalizeName(p.title).includes(wanted));
  if (containing.length === 1) return containing[0];
  if (containing.length > 1) throw new AmbiguousPaperError(query, containing);
  throw new UnknownPaperError(
    query,
    `No paper has this id, and no title contains it. Find the paper with \`papermap search "${shorten(query, 40)}"\` and pass its id.`,
  );
}

// ---------------------------------------------------------------- commands

function width(io: CommandIo): number {
  return Math.max(60, Math.min(io.stdout.columns ?? 100, 120));
}

export async function themesCommand(positionals: string[], values: Values, io: CommandIo): Promise<void> {
  const k = themeK(values, "themes");
  const seed = intOption(values, "seed", 0, "themes");
  const minSize = intOption(values, "min-size", 1, "themes");
  const { library, name } = await loadSource(positionals, values, io, "themes");
  const result = await library.themes({
    ...(k !== undefined ? { k } : {}),
    ...(seed !== undefined ? { seed } : {}),
    ...(minSize !== undefined ? { minSize } : {}),
    onProgress: io.progress.onProgress,
  });
  io.progress.finish();
  if (values.json) {
    io.stdout.write(`${JSON.stringify(themesToJson(result), null, 2)}\n`);
    return;
  }
  io.stdout.write(`Themes of ${name}\n\n${formatThemes(result, width(io))}`);
}

export async function searchCommand(positionals: string[], values: Values, io: CommandIo): Promise<void> {
  const [query, ...listings] = positionals;
  if (query.trim() === "") throw new UsageError(`the search query is empty; write what you are looking for in quotes.`, "search");
  const k = intOption(values, "k", 1, "search") ?? 10;
  const mode = modeOption(values, "search");
  const diversity = fractionOption(values, "diversity", "search");
  const filter = filterOptions(values, "search");
  const { library } = await loadSource(listings, values, io, "search");
  const hits = await library.search(query, {
    k,
    ...(mode ? { mode } : {}),
    ...(diversity !== undefined ? { diversity } : {}),
    ...(filter ? { filter } : {}),
  });
  if (values.json) {
    io.stdout.write(`${JSON.stringify(hitsToJson(hits), null, 2)}\n`);
    return;
  }
  io.stdout.write(`Search: "${query}" — ${hits.length} result${hits.length === 1 ? "" : "s"} (${mode ?? "hybrid"})\n\n`);
  io.stdout.write(formatHits(hits, width(io)));
}

export async function relatedCommand(positionals: string[], values: Values, io: CommandIo): Promise<void> {
  const [paperArg, ...listings] = positionals;
  const k = intOption(values, "k", 1, "related") ?? 10;
  const mode = modeOption(values, "related");
  const diversity = fractionOption(values, "diversity", "related");
  const filter = filterOptions(values, "related");
  const { library } = await loadSource(listings, values, io, "related");
  const paper = findPaper(library, paperArg);
  const hits = await library.related(paper.id, {
    k,
    ...(mode ? { mode } : {}),
    ...(diversity !== undefined ? { diversity } : {}),
    ...(filter ? { filter } : {}),
  });
  if (values.json) {
    io.stdout.write(`${JSON.stringify({ paper: { id: paper.id, title: paper.title }, related: hitsToJson(hits) }, null, 2)}\n`);
    return;
  }
  io.stdout.write(`Related to: ${shorten(paper.title, width(io) - 12)}\n            id ${paper.id}\n\n`);
  io.stdout.write(formatHits(hits, width(io)));
}

export async function indexCommand(positionals: string[], values: Values, io: CommandIo): Promise<void> {
  const out = stringOption(values, "out");
  if (!out) throw new UsageError(`"papermap index" needs --out <dir>: the folder to save the library to.`, "index");
  if (values.library !== undefined)
    throw new UsageError(`"papermap index" reads listing files; --library is for the other commands.`, "index");
  checkLibraryTarget(out, io);
  const { library } = await loadSource(positionals, values, io, "index");
  await library.save(resolvePath(io, out));
  io.stdout.write(
    `Saved a library of ${library.size} paper${library.size === 1 ? "" : "s"} to ${out}\n  embedder: ${library.embedderId}\n  use it with: papermap search "…" --library ${out}\n`,
  );
}

/**
 * Why the folder `target` (as the user wrote it) would live in cannot hold it, or
 * undefined when it can: a missing folder, or a file where a folder should be
 * (`--out notes.txt/lib`).
 */
function parentProblem(target: string, io: CommandIo): string | undefined {
  const parent = path.dirname(resolvePath(io, target));
  let ancestor = parent;
  while (!existsSync(ancestor) && path.dirname(ancestor) !== ancestor) ancestor = path.dirname(ancestor);
  if (existsSync(ancestor) && !statSync(ancestor).isDirectory()) {
    return `"${path.relative(io.cwd, ancestor) || ancestor}" is a file, not a folder`;
  }
  if (ancestor !== parent) return `its folder "${parent}" does not exist`;
  return undefined;
}

/** Refuses to overwrite a folder that holds something other than a saved library. */
function checkLibraryTarget(out: string, io: CommandIo): void {
  const full = resolvePath(io, out);
  if (!existsSync(full)) {
    const problem = parentProblem(out, io);
    if (problem) throw new PapermapError(`cannot save to "${out}": ${problem}.`);
    return;
  }
  if (!statSync(full).isDirectory()) throw new PapermapError(`cannot save to "${out}": it is a file; give a folder name.`);
  const entries = readdirSync(full);
  if (entries.length > 0 && !entries.includes(LIBRARY_MANIFEST)) {
    throw new PapermapError(`"${out}" is a folder that holds other files, not a papermap library; give a new or empty folder.`);
  }
}

type ReportFormat = "html" | "md" | "json";

function reportFormat(values: Values, out: string): ReportFormat {
  const raw = stringOption(values, "format");
  if (raw !== undefined) {
    const f = raw.toLowerCase();
    if (f === "html" || f === "htm") return "html";
    if (f === "md" || f === "markdown") return "md";
    if (f === "json") return "json";
    throw new UsageError(`--format must be html, md or json, got "${raw}".`, "report");
  }
  const ext = path.extname(out).toLowerCase();
  if (ext === ".md" || ext === ".markdown") return "md";
  if (ext === ".json") return "json";
  return "html";
}

function mapOption(values: Values): ProjectionMethod | false {
  const raw = stringOption(values, "map");
  if (raw === undefined) return "umap";
  if (raw === "none") return false;
  if (raw === "umap" || raw === "pca") return raw;
  throw new UsageError(`--map must be umap, pca or none, got "${raw}".`, "report");
}

/** Fails early (before any work) when `file` cannot be written: missing folder, a file in a folder's place, or a folder in its place. */
export function checkWritableFile(file: string, io: CommandIo): void {
  const problem = parentProblem(file, io);
  if (problem) throw new PapermapError(`cannot write "${file}": ${problem}.`);
  const full = resolvePath(io, file);
  if (existsSync(full) && statSync(full).isDirectory())
    throw new PapermapError(`cannot write "${file}": it is a folder; give a file name.`);
}

async function writeAtomically(file: string, text: string, io: CommandIo): Promise<void> {
  checkWritableFile(file, io);
  await writeFileAtomically(resolvePath(io, file), text);
}

async function writeDigest(
  library: PaperLibrary,
  out: string,
  format: ReportFormat,
  options: {
    title: string;
    source: string;
    k?: number | "auto";
    seed?: number;
    related?: number;
    map: ProjectionMethod | false;
    themeResult?: ThemeResult;
    day?: string;
  },
  io: CommandIo,
): Promise<{ papers: number; themes: number }> {
  const digest = await buildDigest(library, {
    title: options.title,
    source: options.source,
    themes: { ...(options.k !== undefined ? { k: options.k } : {}), ...(options.seed !== undefined ? { seed: options.seed } : {}) },
    ...(options.related !== undefined ? { relatedPerPaper: options.related } : {}),
    map: format === "html" ? options.map : false,
    ...(options.themeResult ? { themeResult: options.themeResult } : {}),
    ...(options.day !== undefined ? { day: options.day } : {}),
    onProgress: io.progress.onProgress,
  });
  io.progress.finish();
  const text = format === "html" ? renderHtml(digest) : format === "md" ? renderMarkdown(digest) : renderJson(digest);
  await writeAtomically(out, text, io);
  return { papers: digest.papers.length, themes: digest.themes.length };
}

export async function reportCommand(positionals: string[], values: Values, io: CommandIo): Promise<void> {
  const out = stringOption(values, "out");
  if (!out) throw new UsageError(`"papermap report" needs --out <file>, e.g. --out digest.html.`, "report");
  const format = reportFormat(values, out);
  const map = mapOption(values);
  const k = themeK(values, "report");
  const seed = intOption(values, "seed", 0, "report");
  const related = intOption(values, "related", 0, "report");
  const title = stringOption(values, "title");
  const day = stringOption(values, "day");
  if (day !== undefined && !isIsoDay(day)) throw new UsageError(`--day must be a day written YYYY-MM-DD, got "${day}".`, "report");
  checkWritableFile(out, io);
  const { library, name } = await loadSource(positionals, values, io, "report");
  const summary = await writeDigest(
    library,
    out,
    format,
    { title: title ?? (day ? `Papers of ${day}` : `Digest of ${name}`), source: name, k, seed, related, map, ...(day ? { day } : {}) },
    io,
  );
  io.stdout.write(`Wrote ${out} (${format}, ${summary.papers} papers in ${summary.themes} themes)\n`);
}

function heading(text: string): string {
  return `${text}\n${"─".repeat(Math.min(text.length, 100))}\n`;
}

export async function startCommand(positionals: string[], values: Values, io: CommandIo): Promise<void> {
  const out = stringOption(values, "out") ?? "digest.html";
  checkWritableFile(out, io);
  const started = Date.now();
  const { library, name, shipped } = await loadSource(positionals, values, io, "start");
  const w = width(io);
  io.stdout.write(`papermap — a tour of ${shipped ? "the listing shipped with papermap" : name} (${library.size} papers)\n\n`);

  const themes = await library.themes({ onProgress: io.progress.onProgress });
  io.progress.finish();
  io.stdout.write(heading("Themes"));
  io.stdout.write(formatThemes(themes, w));

  const largest = [...themes.themes].sort((a, b) => b.size - a.size)[0];
  const query = shipped || !largest ? EXAMPLE_QUERY : largest.keywords.slice(0, 3).join(" ");
  const hits = library.size > 0 ? await library.search(query, { k: 5 }) : [];
  io.stdout.write(`\n${heading(`Search: "${query}"`)}`);
  io.stdout.write(formatHits(hits, w));

  const source = hits[0]?.paper ?? largest?.representative[0];
  if (source) {
    const related = await library.related(source.id, { k: 5 });
    io.stdout.write(`\n${heading(`Related to the top hit: "${shorten(source.title, 70)}"`)}`);
    io.stdout.write(formatHits(related, w));
  }

  const summary = await writeDigest(
    library,
    out,
    "html",
    { title: `Digest of ${name}`, source: name, map: "umap", themeResult: themes },
    io,
  );
  io.stdout.write(`\n${heading("Digest")}`);
  io.stdout.write(
    `Wrote ${path.resolve(io.cwd, out)} — ${summary.papers} papers in ${summary.themes} themes, with a map.\nOpen it in a browser.\n\n`,
  );
  // From a source checkout (npm start runs the TypeScript entry), show commands that work there.
  const cli = /\/src\/cli\/[^/]+\.ts$/.test(new URL(import.meta.url).pathname) ? "npx tsx src/cli/main.ts" : "npx papermap";
  io.stdout.write(
    `Your own listing (a Hugging Face papers page saved as text, arXiv Atom, JSON, JSONL or CSV):\n` +
      `  ${cli} start my-listing.txt\n` +
      `  ${cli} search "your question" my-listing.txt\n` +
      `  ${cli} report my-listing.txt --out my-digest.html\n`,
  );
  io.progress.status(`done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
