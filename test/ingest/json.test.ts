import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { thrown } from "../helpers/parse-error.js";
import { parseListing, parsePapers, type ParseWarning } from "../../src/ingest/index.js";

const fixture = (name: string): string => readFileSync(new URL(`../fixtures/ingest/${name}`, import.meta.url), "utf8");

describe("JSON records", () => {
  it("reads the fixture with its column-name variants", () => {
    const result = parseListing(fixture("papers.json"));
    expect(result.format).toBe("json");
    expect(result.warnings).toEqual([]);
    const [audio, lexinvariant, text2token] = result.papers;
    expect(audio).toMatchObject({
      id: "2406.11837",
      authors: ["Pooneh Mousavi", "Gallil Maimon", "Adel Moumen"],
      published: "2025-06-11",
      upvotes: 2,
      url: "https://arxiv.org/abs/2406.11837",
    });
    // a non-arXiv id is kept as the source's id; "summary" is the abstract; "A, B and C" author strings are split
    expect(lexinvariant).toMatchObject({
      id: "openreview:Xy12AbCd",
      authors: ["Qian Huang", "Eric Zelikman", "Sarah Li Chen", "Yuhuai Wu"],
      published: "2023-05-24",
    });
    expect(lexinvariant.abstract.startsWith("Token embeddings, a mapping")).toBe(true);
    expect(lexinvariant.url).toBeUndefined();
    // no id at all: a title slug; the source's URL is kept
    expect(text2token).toMatchObject({
      id: "text2token-unsupervised-text-representation-learning-with-token-target",
      url: "https://example.org/papers/text2token",
    });
  });

  it("accepts a bare array, a single record and an empty array", () => {
    expect(parsePapers('[{"title": "T", "summary": "S."}]')).toEqual([{ id: "t", title: "T", abstract: "S." }]);
    expect(parsePapers('{"title": "T", "abstract": "S."}')).toEqual([{ id: "t", title: "T", abstract: "S." }]);
    expect(parseListing("[]")).toMatchObject({ papers: [], warnings: [] });
  });

  it("reports malformed JSON with line and column", () => {
    const error = thrown(() =>
      parsePapers('[\n  {"title": "T", "abstract": "S."},\n  {"title": "U" "abstract": "V."}\n]', { source: "x.json" }),
    );
    expect(error.line).toBe(3);
    expect(error.message).toMatch(/^x\.json: line 3: not valid JSON \(column 17\)/);
    expect(thrown(() => parsePapers('[{"title": "T", "abstract": "S."}', { format: "json" })).message).toMatch(/not valid JSON/);
  });

  it("refuses JSON that holds no records", () => {
    expect(thrown(() => parsePapers('{"count": 3, "next": null}')).message).toMatch(/expected an array of paper records.*keys count, next/);
    expect(thrown(() => parsePapers("42", { format: "json" })).message).toMatch(/found number/);
    expect(thrown(() => parsePapers("null", { format: "json" })).message).toMatch(/found null/);
  });

  it("skips and names records that are not objects or lack a field", () => {
    const warnings: ParseWarning[] = [];
    const papers = parsePapers(
      '[{"title": "T", "abstract": "S."}, 7, {"title": "No abstract"}, {"abstract": "No title."}, {"title": {"x": 1}, "abstract": "A."}]',
      {
        onWarning: (w) => warnings.push(w),
      },
    );
    expect(papers.map((p) => p.title)).toEqual(["T"]);
    expect(warnings.map((w) => [w.kind, w.record])).toEqual([
      ["not-a-record", 2],
      ["missing-abstract", 3],
      ["missing-title", 4],
      ["missing-title", 5],
    ]);
  });

  it("throws when no record at all can be used", () => {
    const error = thrown(() => parsePapers('[{"title": "No abstract"}, {"name": "x"}]', { onWarning: () => {} }));
    expect(error.message).toMatch(
      /none of the 2 records read as JSON could be used \(first problem: Record 1, "No abstract", has no abstract; skipped\.\)/,
    );
  });
});

describe("JSONL records", () => {
  it("reads the fixture: arXiv ids without versions, URLs as ids, old-style ids", () => {
    const result = parseListing(fixture("papers.jsonl"));
    expect(result.format).toBe("jsonl");
    expect(result.warnings).toEqual([]);
    expect(result.papers.map((p) => p.id)).toEqual(["2505.21445", "0704.0001", "hep-th/9901001"]);
    expect(result.papers[2]).toMatchObject({ published: "1999-01-04", url: "https://arxiv.org/abs/hep-th/9901001" });
  });

  it("reports a malformed line by its number", () => {
    const text = '{"title": "A", "abstract": "B."}\n\n{"title": "C", "abstract": "D."\n{"title": "E", "abstract": "F."}\n';
    const error = thrown(() => parsePapers(text));
    expect(error.line).toBe(3);
    expect(error.message).toMatch(/line 3: not valid JSON/);
  });

  it("numbers records by non-blank line and skips non-objects with a warning", () => {
    const warnings: ParseWarning[] = [];
    const papers = parsePapers('{"title": "A", "abstract": "B."}\n\n[1, 2]\n{"title": "C", "abstract": "D."}\n', {
      format: "jsonl",
      onWarning: (w) => warnings.push(w),
    });
    expect(papers.map((p) => p.title)).toEqual(["A", "C"]);
    expect(warnings).toMatchObject([{ kind: "not-a-record", record: 2, line: 3 }]);
  });
});

describe("duplicate ids", () => {
  it("keep the first record and name both, whether the text matches or not", () => {
    const warnings: ParseWarning[] = [];
    const text = [
      '{"id": "2502.07490", "title": "MEAP", "abstract": "First."}',
      '{"id": "2502.07490v2", "title": "MEAP", "abstract": "First."}',
      '{"id": "https://arxiv.org/abs/2502.07490", "title": "Something else", "abstract": "Other."}',
    ].join("\n");
    const papers = parsePapers(text, { onWarning: (w) => warnings.push(w) });
    expect(papers).toEqual([{ id: "2502.07490", title: "MEAP", abstract: "First.", url: "https://arxiv.org/abs/2502.07490" }]);
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatchObject({ kind: "duplicate-id", record: 2, line: 2, duplicateOf: { id: "2502.07490", record: 1, line: 1 } });
    expect(warnings[0].message).toMatch(/same title and abstract/);
    expect(warnings[1].message).toMatch(
      /Record 3 \(line 3\), "Something else", has the same id "2502\.07490" as record 1 \(line 1\) \("MEAP", different text\)/,
    );
  });

  it("are a ParseError in strict mode", () => {
    const text = '{"id": "x1", "title": "A", "abstract": "B."}\n{"id": "x1", "title": "C", "abstract": "D."}';
    const error = thrown(() => parsePapers(text, { strict: true }));
    expect(error.record).toBe(2);
    expect(error.message).toMatch(/same id "x1"/);
  });
});
