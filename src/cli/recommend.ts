/** `papermap like`, `dislike` and `recommend`: collections of a saved library and recommendations from them. */
import { existsSync } from "node:fs";
import path from "node:path";
import { PapermapError } from "../errors.js";
import { isIsoDatePrefix, isIsoDay } from "../ingest/dates.js";
import { PaperLibrary } from "../library.js";
import type { Paper } from "../paper.js";
import { DISLIKED_COLLECTION, LIKED_COLLECTION, type RecommendHit } from "../recommend/index.js";
import type { PaperFilter } from "../search/filter.js";
import { paperDay } from "../paper.js";
import type { CommandIo } from "./commands.js";
import { findPaper, librarySettings } from "./commands.js";
import { UsageError } from "./errors.js";
import { hitsToJson, paperMeta, shorten } from "./format.js";

type Values = Record<string, string | boolean | undefined>;

async function openLibrary(
  values: Values,
  io: CommandIo,
  command: string,
): Promise<{ library: PaperLibrary; dir: string; folder: string }> {
  const dir = typeof values.library === "string" ? values.library : undefined;
  if (!dir)
    throw new UsageError(
      `"papermap ${command}" needs --library <dir>: the saved library (build one with \`papermap index <listing…> --out <dir>\`).`,
      command,
    );
  const folder = path.resolve(io.cwd, dir);
  if (!existsSync(folder)) throw new PapermapError(`no library at "${dir}"; build one with \`papermap index <listing…> --out ${dir}\`.`);
  const library = await PaperLibrary.open(folder, {
    ...librarySettings(values, io),
    onProgress: io.progress.onProgress,
    onNotice: io.progress.onNotice,
  });
  return { library, dir, folder };
}

function resolvePapers(library: PaperLibrary, args: readonly string[]): Paper[] {
  const out = new Map<string, Paper>();
  for (const arg of args) {
    const p = findPaper(library, arg);
    out.set(p.id, p);
  }
  return [...out.values()];
}

function collectionOption(values: Values, command: string): string | undefined {
  const v = values.collection;
  if (v === undefined) return undefined;
  if (typeof v !== "string" || v.trim() === "") throw new UsageError(`--collection needs a name, e.g. --collection reading-list.`, command);
  return v.trim();
}

export async function likeCommand(positionals: string[], values: Values, io: CommandIo): Promise<void> {
  const name = collectionOption(values, "like") ?? LIKED_COLLECTION;
  const { library, dir, folder } = await openLibrary(values, io, "like");
  const papers = resolvePapers(library, positionals);
  const ids = papers.map((p) => p.id);
  await library.collections.add(name, ids);
  if (name === LIKED_COLLECTION) await library.collections.remove(DISLIKED_COLLECTION, ids);
  await library.save(folder);
  for (const p of papers) io.stdout.write(`Liked: ${shorten(p.title, 90)}\n       id ${p.id}\n`);
  io.stdout.write(
    `"${name}" now holds ${library.collections.get(name).length} paper(s). See what to read next: papermap recommend --library ${dir}${name === LIKED_COLLECTION ? "" : ` --collection ${name}`}\n`,
  );
}

export async function dislikeCommand(positionals: string[], values: Values, io: CommandIo): Promise<void> {
  const { library, folder } = await openLibrary(values, io, "dislike");
  const papers = resolvePapers(library, positionals);
  const ids = papers.map((p) => p.id);
  await library.collections.add(DISLIKED_COLLECTION, ids);
  await library.collections.remove(LIKED_COLLECTION, ids);
  await library.save(folder);
  for (const p of papers) io.stdout.write(`Disliked: ${shorten(p.title, 90)}\n          id ${p.id}\n`);
  io.stdout.write(
    `"${DISLIKED_COLLECTION}" now holds ${library.collections.get(DISLIKED_COLLECTION).length} paper(s); recommend ranks papers like them lower.\n`,
  );
}

/** `--day` is a listing day (a paper's `listingDay`, else its `published` date); `--from` / `--to` bound `published`, as in search. */
function dateFilter(values: Values): PaperFilter | undefined {
  const day = typeof values.day === "string" ? values.day.trim() : undefined;
  const from = typeof values.from === "string" ? values.from.trim() : undefined;
  const to = typeof values.to === "string" ? values.to.trim() : undefined;
  if (day !== undefined && (from !== undefined || to !== undefined))
    throw new UsageError("give either --day or --from / --to, not both.", "recommend");
  if (day !== undefined && !isIsoDay(day)) {
    throw new UsageError(`--day must be a calendar day written yyyy-mm-dd, got "${day}".`, "recommend");
  }
  for (const [name, v] of [
    ["from", from],
    ["to", to],
  ] as const) {
    if (v !== undefined && !isIsoDatePrefix(v))
      throw new UsageError(`--${name} must be a real date written yyyy-mm-dd (or yyyy-mm, yyyy), got "${v}".`, "recommend");
  }
  if (day !== undefined) return { where: (p) => paperDay(p) === day };
  if (from === undefined && to === undefined) return undefined;
  return { ...(from ? { from } : {}), ...(to ? { to } : {}) };
}

function numberOption(values: Values, name: string, check: (n: number) => boolean, what: string): number | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  const n = Number(String(raw).trim());
  if (String(raw).trim() === "" || !Number.isFinite(n) || !check(n))
    throw new UsageError(`--${name} must be ${what}, got "${raw}".`, "recommend");
  return n;
}

export async function recommendCommand(_positionals: string[], values: Values, io: CommandIo): Promise<void> {
  const collection = collectionOption(values, "recommend");
  const k = numberOption(values, "k", (n) => Number.isInteger(n) && n >= 1, "a whole number ≥ 1") ?? 20;
  const diversity = numberOption(values, "diversity", (n) => n >= 0 && n <= 1, "a number from 0 to 1");
  const filter = dateFilter(values);
  const { library, dir } = await openLibrary(values, io, "recommend");
  const name = collection ?? LIKED_COLLECTION;
  if (library.collections.get(name).length === 0) {
    throw new PapermapError(
      collection === undefined
        ? `no liked papers yet in "${dir}": like some first, e.g. \`papermap like <paper id | title fragment> --library ${dir}\`.`
        : `the collection "${name}" of "${dir}" is empty or does not exist (collections: ${library.collections.list().join(", ") || "none"}).`,
    );
  }
  const hits = await library.recommend({
    liked: { collection: name },
    k,
    ...(filter ? { filter } : {}),
    ...(diversity !== undefined ? { diversity } : {}),
  });
  if (values.json) {
    const base = hitsToJson(hits);
    io.stdout.write(`${JSON.stringify({ liked: name, recommended: hits.map((h, i) => ({ ...base[i], why: h.why })) }, null, 2)}\n`);
    return;
  }
  const width = Math.max(60, Math.min(io.stdout.columns ?? 100, 120));
  const liked = library.collections.get(name).length;
  const when = filter ? (values.day ? ` on ${String(values.day)}` : ` (${filter.from ?? "…"} to ${filter.to ?? "…"})`) : "";
  io.stdout.write(
    `Recommended${when} from ${liked} liked paper${liked === 1 ? "" : "s"} ("${name}") — ${hits.length} paper${hits.length === 1 ? "" : "s"}\n\n`,
  );
  io.stdout.write(formatRecommendations(hits, width));
}

/** Hits with their score, the liked paper each is closest to, and the words they share. */
export function formatRecommendations(hits: readonly RecommendHit[], width: number): string {
  if (hits.length === 0) return "  (no papers to recommend)\n";
  const num = String(hits.length).length;
  const lines: string[] = [];
  hits.forEach((h, i) => {
    const prefix = `${String(i + 1).padStart(num + 1)}. ${h.score.toFixed(2)}  `;
    const indent = " ".repeat(prefix.length);
    lines.push(`${prefix}${shorten(h.paper.title, width - prefix.length)}`);
    const meta = paperMeta(h.paper);
    lines.push(`${indent}${meta ? `${meta} · ` : ""}id ${h.paper.id}`);
    const closest = h.why.closestLiked[0];
    if (closest)
      lines.push(`${indent}${shorten(`like: ${closest.title} (similarity ${closest.similarity.toFixed(2)})`, width - indent.length)}`);
    if (h.why.sharedWords.length > 0)
      lines.push(`${indent}${shorten(`shared words: ${h.why.sharedWords.join(", ")}`, width - indent.length)}`);
  });
  return `${lines.join("\n")}\n`;
}
