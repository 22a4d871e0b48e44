import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { InvalidArgumentError, ParseError } from "../../src/errors.js";
import { loadPapers, parsePapers, readListing, type ListingFormat } from "../../src/ingest/index.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "papermap-ingest-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function file(name: string, content: string | Buffer): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, content);
  return path;
}

async function rejection(promise: Promise<unknown>): Promise<ParseError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(ParseError);
    return error as ParseError;
  }
  throw new Error("expected a ParseError");
}

describe("loadPapers", () => {
  it("reads a file and names it in errors", async () => {
    const path = await file("ok.jsonl", '{"title": "T", "abstract": "A."}\n');
    expect(await loadPapers(path)).toEqual([{ id: "t", title: "T", abstract: "A." }]);
    const bad = await file("bad.jsonl", '{"title": "T", "abstract": "A."}\n{"title": \n');
    const error = await rejection(loadPapers(bad));
    expect(error.message.startsWith(`${bad}: line 2: not valid JSON`)).toBe(true);
    expect(error.line).toBe(2);
  });

  it("says clearly when the file cannot be read", async () => {
    expect((await rejection(loadPapers(join(dir, "missing.txt")))).message).toMatch(
      /Cannot read the listing ".*missing\.txt": no such file\./,
    );
    await mkdir(join(dir, "a-directory"));
    expect((await rejection(loadPapers(join(dir, "a-directory")))).message).toMatch(/it is a directory, not a file/);
    await expect(loadPapers("")).rejects.toThrow(InvalidArgumentError);
  });

  it("refuses empty and whitespace-only files", async () => {
    for (const content of ["", "  \n\t\n", "\uFEFF"]) {
      const error = await rejection(loadPapers(await file("empty.txt", content)));
      expect(error.message).toMatch(/the listing is empty/);
    }
  });

  it("reads UTF-8 with a BOM and UTF-16 files", async () => {
    const csv = "title,abstract\nZürich Tokens,Über alles.\n";
    expect((await loadPapers(await file("bom.csv", "\uFEFF" + csv)))[0].title).toBe("Zürich Tokens");
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(csv, "utf16le")]);
    expect((await loadPapers(await file("utf16.csv", utf16)))[0]).toMatchObject({ title: "Zürich Tokens", abstract: "Über alles." });
    const utf16be = Buffer.from(utf16).swap16();
    expect((await loadPapers(await file("utf16be.csv", utf16be)))[0]).toMatchObject({ title: "Zürich Tokens", abstract: "Über alles." });
  });

  it("uses the extension only to pick the error message for content that fits no structured format", async () => {
    const csvError = await rejection(loadPapers(await file("export.csv", "name;text\nA;B\n")));
    expect(csvError.message).toMatch(/the CSV header lacks a title column/);
    const jsonError = await rejection(loadPapers(await file("export.json", "papers: none\n")));
    expect(jsonError.message).toMatch(/not valid JSON/);
    // content wins over the extension
    const result = await readListing(await file("misnamed.csv", '[{"title": "T", "abstract": "A."}]'));
    expect(result.format).toBe("json");
  });

  it("writes warnings to stderr when no onWarning is given", async () => {
    const path = await file("warn.jsonl", '{"title": "T", "abstract": "A."}\n{"title": "No abstract"}\n');
    const spy = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    try {
      expect(await loadPapers(path)).toHaveLength(1);
      expect(spy).toHaveBeenCalledWith('papermap: Record 2 (line 2), "No abstract", has no abstract; skipped.\n');
      spy.mockClear();
      const seen: string[] = [];
      parsePapers('[{"title": "T", "abstract": "A."}, {"title": "U"}]', { onWarning: (w) => seen.push(w.kind) });
      expect(seen).toEqual(["missing-abstract"]);
      expect(spy).not.toHaveBeenCalled();
    } finally {
      spy.mockRestore();
    }
  });
});

describe("parsePapers arguments", () => {
  it("refuses a non-string input and an unknown format", () => {
    expect(() => parsePapers(undefined as unknown as string)).toThrow(InvalidArgumentError);
    expect(() => parsePapers("x", { format: "yaml" as ListingFormat })).toThrow(/Unknown format "yaml"; use one of/);
  });

  it("honours an explicit format", () => {
    // the format given wins over what the content looks like
    expect(() => parsePapers("title,abstract\nA,B\n", { format: "jsonl" })).toThrow(ParseError);
    expect(parsePapers('{"title": "T", "abstract": "A."}', { format: "jsonl" })).toHaveLength(1);
  });
});
