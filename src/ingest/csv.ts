import { parse } from "csv-parse/sync";
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

/** CSV / TSV with a header row; the delimiter is detected from the header. */
export function readCsv(text: string, ctx: ParseContext): RawRecord[] {
  const header = firstLine(text).replace(/^\uFEFF/, "");
  const delimiter = detectDelimiter(header);
  let rows: CsvRow[];
  try {
    rows = parse(text, {
      delimiter,
      bom: true,
      info: true,
      skip_empty_lines: true,
      relax_quotes: true,
    }) as unknown as CsvRow[];
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    const line = csvErrorLine(error);
    const reason = detail.replace(/\s*(?:at|on) line \d+.*$/, "");
    throw ctx.error(
      `not valid CSV: ${reason}. Check the quoting (fields holding "${delimiter === "\t" ? "tab" : delimiter}", quotes or line breaks must be in double quotes, inner quotes doubled) and that every row has as many fields as the header.`,
      line === undefined ? {} : { line },
      error,
    );
  }
  if (rows.length === 0) return [];
  const columns = rows[0].record.map((name) => name.trim());
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
  const records: RawRecord[] = [];
  for (let r = 1; r < rows.length; r++) {
    const { record: cells, info } = rows[r];
    if (cells.every((cell) => cell.trim() === "")) continue; // a blank row (",,,"), not a record
    const spannedLines = cells.reduce((n, cell) => n + (cell.match(/\r\n|\n|\r/g)?.length ?? 0), 0);
    const object: Record<string, unknown> = {};
    columns.forEach((name, i) => {
      if (!(name in object)) object[name] = cells[i];
    });
    records.push(recordFromObject(object, { record: r, line: info.lines - spannedLines }, ctx, mapping));
  }
  return records;
}
