// Broken and hostile listings: malformed CSV quoting, huge one-line files, bad encodings,
// JSON that holds no records.
import { spawnSync } from "node:child_process";
import { createWriteStream } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { thrown } from "../helpers/parse-error.js";
import { invalidUtf8Lines, parseListing, readListing } from "../../src/ingest/index.js";

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), "papermap-hostile-"));
});
afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

/** 61 papers as CSV (header on line 1, paper n on line n + 1), every text field quoted. */
function csv61(edit?: (rows: string[]) => void): string {
  const rows = Array.from(
    { length: 61 },
    (_, i) => `2501.${String(i + 1).padStart(5, "0")},"Paper ${i + 1} on tokens","We study tokens, masks and pruning in model ${i + 1}."`,
  );
  edit?.(rows);
  return ["arxiv_id,title,abstract", ...rows, ""].join("\n");
}

describe("CSV quoting", () => {
  it("reads all 61 papers of a well-formed file", () => {
    expect(parseListing(csv61()).papers).toHaveLength(61);
  });

  it("an unterminated quote that would merge two rows is an error naming the faulty record's line, not 60 of 61 papers", () => {
    // Paper 12 (line 13) lost its closing quote: read loosely, it swallows paper 13 and keeps the column count.
    const text = csv61((rows) => {
      rows[11] = `2501.00012,"Paper 12 on tokens,We study tokens in model 12.`;
    });
    const error = thrown(() => parseListing(text));
    expect(error.line).toBe(13);
    expect(error.message).toMatch(/^line 13: not valid CSV: Invalid Closing Quote.*\(the parser stopped on line 14\)/);
  });

  it("warns when a quoted field swallows a line break followed by what looks like the next record", () => {
    // Valid CSV syntax, but paper 12's abstract runs into paper 13's line: 60 papers and a warning, never silently.
    const text = csv61((rows) => {
      rows[11] = `2501.00012,"Paper 12 on tokens","We study tokens in model 12.`;
      rows[12] = `2501.00013,Paper 13 on tokens,We study tokens in model 13."`;
    });
    const result = parseListing(text);
    expect(result.papers).toHaveLength(60);
    const merged = result.warnings.filter((w) => w.kind === "merged-record");
    expect(merged).toHaveLength(1);
    expect(merged[0]).toMatchObject({ record: 12, line: 13 });
    expect(merged[0].message).toMatch(
      /Record 12 \(line 13\): its field "abstract" runs over a line break into "2501\.00013,Paper 13 on tokens,We study tokens in model 13\." \(line 14\), which looks like the next record/,
    );
  });

  it("also when the first column holds titles", () => {
    const text =
      'title,abstract\nPaper one,"An abstract about tokens.\nPaper two,Another abstract about tokens."\nPaper three,A third abstract.\n';
    const result = parseListing(text);
    expect(result.papers).toHaveLength(2);
    expect(result.warnings.map((w) => [w.kind, w.line])).toEqual([["merged-record", 2]]);
  });

  it("does not warn about an abstract that simply runs over two lines", () => {
    const text = 'arxiv_id,title,abstract\n2501.00001,Tokens,"An abstract, on\ntwo lines, with commas."\n2501.00002,Masks,"Another one."\n';
    expect(parseListing(text).warnings).toEqual([]);
    const titled = 'title,abstract,year\nTokens,"An abstract that goes on\nand on, with a comma.",2025\n';
    expect(parseListing(titled).warnings).toEqual([]);
  });

  it("refuses a quote inside an unquoted field (strict quotes), naming the line", () => {
    const error = thrown(() => parseListing('title,abstract\nThe "best" tokens,An abstract.\n'));
    expect(error.line).toBe(2);
    expect(error.message).toMatch(/Invalid Opening Quote/);
  });
});

describe("JSON without records", () => {
  it("an array of non-objects is a ParseError, not an empty listing", () => {
    expect(thrown(() => parseListing("[1,2,3]")).message).toMatch(/none of the 3 records is an object \(found numbers\)/);
    expect(thrown(() => parseListing('["a", null]', { format: "json" })).message).toMatch(/found strings, null/);
    expect(thrown(() => parseListing("1\n2\n", { format: "jsonl" })).message).toMatch(/none of the 2 records is an object/);
    expect(parseListing("[]").papers).toEqual([]); // nothing to read is not an error
  });
});

describe("encodings", () => {
  it("finds the lines holding bytes that are not UTF-8", () => {
    expect(invalidUtf8Lines(Buffer.from("ok\nCaf\xe9\nfine\n\xff\xfe x", "latin1"))).toEqual({ lines: [2, 4], count: 2 });
    expect(invalidUtf8Lines(Buffer.from("Café ✓ 🙂\n", "utf8"))).toEqual({ lines: [], count: 0 });
    expect(invalidUtf8Lines(Buffer.from([0xc0, 0x80, 0x0a, 0xed, 0xa0, 0x80]))).toEqual({ lines: [1, 2], count: 2 }); // overlong, surrogate
  });

  it("a Latin-1 CSV is read, with one warning naming the lines", async () => {
    const file = path.join(tmp, "latin1.csv");
    const lines = ["title,abstract", "Tokens,An abstract.", "Caf\xe9,R\xe9sum\xe9 of it.", "Plain,Plain text.", "Na\xefve,Na\xefve text."];
    await writeFile(file, Buffer.from(lines.join("\n"), "latin1"));
    const result = await readListing(file);
    expect(result.papers.map((p) => p.title)).toEqual(["Tokens", "Caf\ufffd", "Plain", "Na\ufffdve"]);
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0]).toMatchObject({ kind: "invalid-encoding", line: 3 });
    expect(result.warnings[0].message).toMatch(/^Line 3 is not valid UTF-8 \(also line 5\): .*Latin-1.*save it as UTF-8\.$/);
    await expect(readListing(file, { strict: true })).rejects.toThrow(/Line 3 is not valid UTF-8/);
  });
});

describe("a huge file on one line", () => {
  const bigFile = async (name: string, bytes: number, first = ""): Promise<string> => {
    const file = path.join(tmp, name);
    const out = createWriteStream(file);
    const chunk = Buffer.from("token pruning masked model vision ".repeat(2000));
    out.write(first);
    for (let written = first.length; written < bytes; written += chunk.length) {
      if (!out.write(chunk)) await new Promise<void>((resolve) => out.once("drain", () => resolve()));
    }
    await new Promise((resolve, reject) => out.end((error?: Error) => (error ? reject(error) : resolve(undefined))));
    return file;
  };

  it("is refused as an unknown format after reading only its start (50 MB, 48 MB of heap at most)", async () => {
    const file = await bigFile("one-line.txt", 50e6);
    await expect(readListing(file)).rejects.toThrow(/unknown format: the first 65,536 characters hold no line break/);
    // In a process whose heap could not even hold the file as a string, detection still answers.
    const script = path.join(tmp, "probe.mts");
    await writeFile(
      script,
      `import { readListing } from ${JSON.stringify(new URL("../../src/ingest/index.ts", import.meta.url).href)};
      try { await readListing(${JSON.stringify(file)}); console.log("read"); } catch (e) { console.log(e.name + ": " + e.message.slice(0, 60)); }`,
    );
    const tsx = fileURLToPath(new URL("../../node_modules/tsx/dist/cli.mjs", import.meta.url));
    const run = spawnSync(process.execPath, ["--max-old-space-size=48", tsx, script], { encoding: "utf8", timeout: 60_000 });
    expect(run.stdout.trim(), run.stderr).toMatch(/^ParseError: .*unknown format/);
  }, 120_000);

  it("a parsed text listing on one long line fails the same way", () => {
    const text = "token pruning ".repeat(10_000);
    expect(thrown(() => parseListing(text)).message).toMatch(/unknown format: the first 65,536 characters hold no line break/);
  });

  it("a big JSON document is still read (and recognised as Daily Papers JSON after the 64 KB detection looks at)", async () => {
    const entries = Array.from({ length: 400 }, (_, i) => ({
      paper: {
        id: `2501.${String(i).padStart(5, "0")}`,
        title: `Paper ${i}`,
        summary: `An abstract about tokens ${"and more words ".repeat(20)}`,
      },
    }));
    const file = path.join(tmp, "daily.json");
    await writeFile(file, JSON.stringify(entries));
    const result = await readListing(file);
    expect(result.format).toBe("hf-json");
    expect(result.papers).toHaveLength(400);
    const lines = path.join(tmp, "big.jsonl");
    await writeFile(lines, entries.map((e) => JSON.stringify(e.paper)).join("\n"));
    expect((await readListing(lines)).format).toBe("jsonl");
  });
});
