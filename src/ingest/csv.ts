import { parse, type Options } from "csv-parse/sync";
import type { ParseContext } from "./context.js";
import { mapKeys, recordFromObject } from "./fields.js";
import type { RawRecord } from "./records.js";

const DELIMITERS = [",", "\t", ";", "|"] as const;

/** The first non-blank line of a text. */
export function firstLine(text: string): string {
  for (const line of text.split(/\r\n|\n|\r/, 50)) {
    if (line.trim() !== "") return line;
  }
  return "";
}

/** Splits a header line on `delimiter`, honouring double quotes. */
function splitHeader(line: string, delimiter: string): string[] {
  const cells: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (ch === '"') {
      if (quoted && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else quoted = !quoted;
    } else if (ch === delimiter && !quoted) {
      cells.push(cell);
      cell = "";
    } else cell += ch;
  }
  cells.push(cell);
  return cells.map((c) => c.trim());
}

/** The delimiter of a CSV/TSV header line: the most frequent of `,` tab `;` `|` outside quotes. */
export function detectDelimiter(header: string): string {
  let best: string = ",";
  let bestCount = 0;
  for (const delimiter of DELIMITERS) {
    const count = splitHeader(header, delimiter).length - 1;
    if (count > bestCount) {
      best = delimiter;
      bestCount = count;
    }
  }
  return best;
}

/** Whether a header line names a title column and an abstract column (CSV detection). */
export function looksLikeCsvHeader(line: string): boolean {
  const header = line.replace(/^\uFEFF/, "");
  const mapping = mapKeys(splitHeader(header, detectDelimiter(header)));
  return mapping.title !== undefined && mapping.abstract !== undefined;
}

interface CsvRow {
  record: string[];
  info: { lines: number };
}

function csvErrorLine(error: unknown): number | undefined {
  if (error && typeof error === "object" && "lines" in error && typeof error.lines === "number") return error.lines;
  return undefined;
}

/** The first non-blank line at or after the 1-based line `from` (where a record starts). */
function nextContentLine(lines: readonly string[], from: number): number {
  let line = from;
  while (line <= lines.length && lines[line - 1].trim() === "") line++;
  return Math.min(line, Math.max(1, lines.length));
}

/** The letters-and-digits outline of a cell (`2502.07490` → `9.9`, `hep-th/9901001` → `a-a/9`), for comparing first columns. */
function shape(cell: string): string {
  return cell
    .trim()
    .replace(/\p{N}+/gu, "9")
    .replace(/\p{L}+/gu, "a");
}

/**
 * The outline most first cells share, when the first column holds ids (one outline, no
 * spaces, for at least 80% of the records); undefined when it holds free text (titles).
 */
function idShape(rows: readonly CsvRow[]): string | undefined {
  const counts = new Map<string, number>();
  for (let r = 1; r < rows.length; r++) {
    const s = shape(rows[r].record[0] ?? "");
    counts.set(s, (counts.get(s) ?? 0) + 1);
  }
  const [best, count] = [...counts].sort((a, b) => b[1] - a[1])[0] ?? ["", 0];
  return best !== "" && !best.includes(" ") && count >= 0.8 * (rows.length - 1) && rows.length > 2 ? best : undefined;
}

/**
 * Whether the text after a line break inside field `column` reads as the start of a new
 * record: its first cell looks like the first cells of the other records (when those are
 * ids), or, when the first column is free text, it starts like a title and has as many
 * cells as a record would need from there.
 */
function looksLikeRecordStart(text: string, column: number, columns: number, delimiter: string, ids: string | undefined): boolean {
  const cells = splitHeader(text, delimiter);
  if (cells.length < 2) return false;
  if (ids !== undefined) return shape(cells[0]) === ids;
  return /^["\p{Lu}\p{N}]/u.test(cells[0]) && cells[0].length <= 300 && cells.length >= columns - (columns - column - 1);
}

/** A warning for every field that swallowed a line break followed by what looks like another record. */
function warnMergedRecords(
  rows: readonly CsvRow[],
  columns: number,
  delimiter: string,
  lineOf: (r: number) => number,
  ctx: ParseContext,
): void {
  const ids = idShape(rows);
  for (let r = 1; r < rows.length; r++) {
    const cells = rows[r].record;
    for (let c = 0; c < cells.length; c++) {
      const parts = cells[c].split(/\r\n|\n|\r/);
      const at = parts.findIndex((part, i) => i > 0 && looksLikeRecordStart(part, c, columns, delimiter, ids));
      if (at < 0) continue;
      const start = lineOf(r);
      const cut = parts[at].length > 60 ? `${parts[at].slice(0, 57)}...` : parts[at];
      ctx.warn({
        kind: "merged-record",
        message: `Record ${r} (line ${start}): its field "${rowsHeader(rows)[c] ?? c + 1}" runs over a line break into "${cut}" (line ${start + cells.slice(0, c).reduce((n, x) => n + lineBreaks(x), 0) + at}), which looks like the next record: a closing quote is probably missing, and that paper is merged into this one. Check the quotes on line ${start}.`,
        record: r,
        line: start,
      });
      break;
    }
  }
}

function rowsHeader(rows: readonly CsvRow[]): string[] {
  return rows[0].record.map((name) => name.trim());
}

function lineBreaks(text: string): number {
  return text.match(/\r\n|\n|\r/g)?.length ?? 0;
}

/** CSV / TSV with a header row; the delimiter is detected from the header. Quotes are parsed strictly. */
export function readCsv(text: string, ctx: ParseContext): RawRecord[] {
  const header = firstLine(text).replace(/^\uFEFF/, "");
  const delimiter = detectDelimiter(header);
  let rows: CsvRow[];
  let lastRecordEnd = 0;
  try {
    const options: Options = {
      delimiter,
      bom: true,
      info: true,
      skip_empty_lines: true,
      on_record: (record, context) => {
        lastRecordEnd = context.lines;
        return record;
      },
    };
    rows = parse(text, options) as unknown as CsvRow[];
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    const stopped = csvErrorLine(error);
    const reason = detail.replace(/\s*(?:at|on) line \d+.*$/, "").replace(/:\s*the parsing is finished with an opening quote.*$/, "");
    // The record in fault starts after the last one read; the parser may stop lines later (an unclosed quote runs to the end).
    const lines = text.split(/\r\n|\n|\r/);
    const line = nextContentLine(lines, lastRecordEnd + 1);
    const where = stopped !== undefined && stopped !== line ? ` (the parser stopped on line ${stopped})` : "";
    throw ctx.error(
      `not valid CSV: ${reason}${where}. Check the quoting (fields holding "${delimiter === "\t" ? "tab" : delimiter}", quotes or line breaks must be in double quotes, inner quotes doubled) and that every row has as many fields as the header.`,
      { line },
      error,
    );
  }
  if (rows.length === 0) return [];
  const columns = rowsHeader(rows);
  const mapping = mapKeys(columns);
  if (mapping.title === undefined || mapping.abstract === undefined) {
    const missing = [mapping.title === undefined ? "a title column" : "", mapping.abstract === undefined ? "an abstract column" : ""]
      .filter(Boolean)
      .join(" and ");
    throw ctx.error(
      `the CSV header lacks ${missing} (columns found: ${columns.join(", ") || "none"}). Name them "title" and "abstract" (or "summary").`,
      { line: rows[0].info.lines },
    );
  }
  const lineOf = (r: number): number => rows[r].info.lines - rows[r].record.reduce((n, cell) => n + lineBreaks(cell), 0);
  warnMergedRecords(rows, columns.length, delimiter, lineOf, ctx);
  const records: RawRecord[] = [];
  for (let r = 1; r < rows.length; r++) {
    const { record: cells } = rows[r];
    if (cells.every((cell) => cell.trim() === "")) continue; // a blank row (",,,"), not a record
    const object: Record<string, unknown> = {};
    columns.forEach((name, i) => {
      if (!(name in object)) object[name] = cells[i];
    });
    records.push(recordFromObject(object, { record: r, line: lineOf(r) }, ctx, mapping));
  }
  return records;
}
