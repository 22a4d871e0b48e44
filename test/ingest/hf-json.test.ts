import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ParseError } from "../../src/errors.js";
import { parseListing, parsePapers } from "../../src/ingest/index.js";

const text = readFileSync(new URL("../fixtures/ingest/hf-daily-papers.json", import.meta.url), "utf8");

describe("Hugging Face Daily Papers JSON", () => {
  const result = parseListing(text);

  it("is detected and read in full", () => {
    expect(result.format).toBe("hf-json");
    expect(result.warnings).toEqual([]);
    expect(result.papers.map((p) => p.id)).toEqual(["2502.07490", "2510.20535", "2405.07883"]);
  });

  it("maps paper.id, title, summary, authors, publishedAt, upvotes, numComments and organization", () => {
    expect(result.papers[0]).toEqual({
      id: "2502.07490",
      title: "Mask-Enhanced Autoregressive Prediction: Pay Less Attention to Learn More",
      abstract:
        "Large Language Models (LLMs) are discovered to suffer from accurately retrieving key information. To address this, we propose Mask-Enhanced Autoregressive Prediction (MEAP), a simple yet effective training paradigm.",
      authors: ["Xialie Zhuang", "Zhikai Jia", "Jianjin Li"],
      authorCount: 3,
      published: "2025-02-11", // paper.publishedAt (arXiv), not the day it was featured
      upvotes: 2,
      commentCount: 1, // the entry's numComments
      url: "https://arxiv.org/abs/2502.07490",
    });
    expect(result.papers[1]).toMatchObject({ id: "2510.20535", organization: "Kyutai", url: "https://arxiv.org/abs/2510.20535" });
    expect(result.papers[1].abstract).toContain("continuous representations & replaces token embeddings");
    expect(result.papers[2].authors).toEqual(["Benjamin Minixhofer", "Edoardo Maria Ponti", "Ivan Vulić"]);
  });

  it("accepts a wrapper object and entries that only carry a title at the top", () => {
    const entries = JSON.parse(text) as { paper: Record<string, unknown>; title: string }[];
    const wrapped = JSON.stringify({ dailyPapers: entries });
    expect(parsePapers(wrapped).map((p) => p.id)).toEqual(["2502.07490", "2510.20535", "2405.07883"]);
    delete entries[2].paper.title;
    expect(parsePapers(JSON.stringify(entries))[2].title).toBe("Zero-Shot Tokenizer Transfer");
  });

  it("skips entries without a summary, naming them", () => {
    const entries = JSON.parse(text) as { paper: Record<string, unknown> }[];
    delete entries[1].paper.summary;
    const warnings: string[] = [];
    const papers = parsePapers(JSON.stringify(entries), { onWarning: (w) => warnings.push(`${w.kind} ${w.record}`) });
    expect(papers).toHaveLength(2);
    expect(warnings).toEqual(["missing-abstract 2"]);
  });

  it("refuses JSON without any Daily Papers entry when hf-json is asked for", () => {
    expect(() => parsePapers('[{"title": "T", "abstract": "A"}]', { format: "hf-json" })).toThrow(ParseError);
    expect(() => parsePapers('[{"title": "T", "abstract": "A"}]', { format: "hf-json" })).toThrow(/no entry has a "paper" object/);
  });
});
