import { existsSync, readFileSync } from "node:fs";
import { isAbsolute } from "node:path";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { Paper } from "../../src/paper.js";
import { DEFAULT_LISTING_PATH, loadDefaultListing, loadPapers, readListing } from "../../src/ingest/index.js";

// Facts below were read off data/hf-papers-token-listing.txt by hand (line numbers given).
const byTitle = (papers: Paper[], title: string): Paper => {
  const paper = papers.find((p) => p.title === title);
  if (!paper) throw new Error(`no paper titled ${title}`);
  return paper;
};

describe("the shipped Hugging Face listing", () => {
  let papers: Paper[];
  beforeAll(async () => {
    papers = await loadDefaultListing({ onWarning: (w) => expect.fail(`unexpected warning: ${w.message}`) });
  });

  it("is found from the module location", () => {
    expect(isAbsolute(DEFAULT_LISTING_PATH)).toBe(true);
    expect(existsSync(DEFAULT_LISTING_PATH)).toBe(true);
  });

  it("gives exactly 82 papers with unique ids and no warnings", async () => {
    expect(papers).toHaveLength(82);
    expect(new Set(papers.map((p) => p.id)).size).toBe(82);
    const result = await readListing(DEFAULT_LISTING_PATH, { referenceYear: 2025 });
    expect(result.warnings).toEqual([]);
    expect(result.format).toBe("hf-text");
    expect(result.listingDate).toBe("2025-11-21"); // the "Nov 21" line of the page header (line 11)
  });

  it("keeps the first and last titles", () => {
    expect(papers[0].title).toBe("Mask-Enhanced Autoregressive Prediction: Pay Less Attention to Learn More");
    expect(papers[81].title).toBe("Explaining and Mitigating Crosslingual Tokenizer Inequities");
    expect(papers[0].id).toBe("mask-enhanced-autoregressive-prediction-pay-less-attention-to-learn-more");
  });

  it("reads metadata blocks: authors, dates with and without year, upvotes", () => {
    // lines 17-19: "• 7 authors", "·", "Feb 11 2"
    expect(papers[0]).toMatchObject({ authorCount: 7, published: "2025-02-11", upvotes: 2 });
    // lines 25-27: "• 9 authors", "·", "Jan 9, 2024 14"
    expect(byTitle(papers, "Masked Audio Generation using a Single Non-Autoregressive Transformer")).toMatchObject({
      authorCount: 9,
      published: "2024-01-09",
      upvotes: 14,
    });
    // lines 33-35: "Dec 6, 2023" — no upvotes
    const mmm = byTitle(papers, "MMM: Generative Masked Motion Model");
    expect(mmm).toMatchObject({ authorCount: 4, published: "2023-12-06" });
    expect(mmm.upvotes).toBeUndefined();
    // lines 625-627: "• 10 authors", "·", "Dec 2, 2024 6"
    expect(byTitle(papers, "Negative Token Merging: Image-based Adversarial Feature Guidance")).toMatchObject({
      authorCount: 10,
      published: "2024-12-02",
      upvotes: 6,
    });
    // lines 333-335: "Mar 20 4"
    expect(byTitle(papers, "Bridging Continuous and Discrete Tokens for Autoregressive Visual Generation")).toMatchObject({
      published: "2025-03-20",
      upvotes: 4,
    });
    // lines 529-531: "• 21 authors", "Jun 11 2"; line 357: "• 1 authors"
    expect(byTitle(papers, "Discrete Audio Tokens: More Than a Survey!")).toMatchObject({
      authorCount: 21,
      published: "2025-06-11",
      upvotes: 2,
    });
    expect(byTitle(papers, "Making the Most of your Model: Methods for Finetuning and Applying Pretrained Transformers").authorCount).toBe(
      1,
    );
    // last paper, lines 657-659: "• 4 authors", "Oct 24"
    expect(papers[81]).toMatchObject({ authorCount: 4, published: "2025-10-24" });
    expect(papers[81].upvotes).toBeUndefined();
  });

  it("reads organization lines instead of author counts", () => {
    // lines 61-63: "naver-ai NAVER AI Lab", "·", "Oct 20, 2023"
    const lut = byTitle(papers, "Learning with Unmasked Tokens Drives Stronger Vision Learners");
    expect(lut).toMatchObject({ organization: "naver-ai NAVER AI Lab", published: "2023-10-20" });
    expect(lut.authorCount).toBeUndefined();
    // lines 381-383 and 641-643
    expect(byTitle(papers, "ARC-Encoder: learning compressed text representations for large language models")).toMatchObject({
      organization: "kyutai Kyutai",
      published: "2025-10-23",
      upvotes: 1,
    });
    expect(byTitle(papers, "Ming-UniVision: Joint Image Understanding and Generation with a Unified Continuous Tokenizer")).toMatchObject({
      organization: "inclusionAI inclusionAI",
      upvotes: 3,
    });
    expect(papers.filter((p) => p.organization !== undefined)).toHaveLength(3);
  });

  it("keeps papers that have no metadata block", () => {
    for (const title of [
      "Fast Controlled Generation from Language Models with Adaptive Weighted Rejection Sampling",
      "Token-Shuffle: Towards High-Resolution Image Generation with Autoregressive Models",
    ]) {
      const paper = byTitle(papers, title);
      expect(paper.published).toBeUndefined();
      expect(paper.authorCount).toBeUndefined();
      expect(paper.upvotes).toBeUndefined();
      expect(paper.abstract.length).toBeGreaterThan(1000);
    }
    expect(papers.filter((p) => p.published !== undefined)).toHaveLength(80); // 80 "·" lines in the file
    expect(papers.filter((p) => p.upvotes !== undefined)).toHaveLength(21); // 21 date lines end in a count
  });

  it("puts dates without a year in 2025, none after the capture date", () => {
    for (const paper of papers) {
      if (paper.published) expect(paper.published <= "2025-11-21").toBe(true);
    }
    expect(byTitle(papers, "Enabling Approximate Joint Sampling in Diffusion LMs").published).toBe("2025-09-25"); // "Sep 25" (line 119)
  });

  it("keeps every title and abstract intact, HTML removed and bare < kept", () => {
    const lines = readFileSync(DEFAULT_LISTING_PATH, "utf8").split("\n");
    const abstractLines = lines.map((line, i) => ({ line, i })).filter(({ line }) => line.length > 300);
    expect(abstractLines).toHaveLength(82);
    abstractLines.forEach(({ line, i }, n) => {
      expect(papers[n].title).toBe(lines[i - 2].trim());
      const expected = line
        .replace(/<span style="[^"]*">|<\/span>/g, "")
        .replace(/\s+/g, " ")
        .trim();
      expect(papers[n].abstract).toBe(expected);
    });
    for (const paper of papers) expect(paper.abstract).not.toMatch(/<\/?span/);
    const tokbench = byTitle(papers, "TokBench: Evaluating Your Visual Tokenizer before Visual Generation");
    expect(tokbench.abstract).toContain("lightweight assessment process requiring just 2GB memory and 4 minutes to complete.");
    expect(byTitle(papers, "FlexTok: Resampling Images into 1D Token Sequences of Flexible Length").abstract).toContain(
      "achieves an FID<2 across 8 to 128 tokens",
    );
    expect(byTitle(papers, "Negative Token Merging: Image-based Adversarial Feature Guidance").abstract).toContain(
      "marginally higher (<4%) inference times",
    );
  });

  it("is what loadPapers gives with referenceYear 2025", async () => {
    expect(await loadPapers(DEFAULT_LISTING_PATH, { referenceYear: 2025 })).toEqual(papers);
  });
});

describe("the shipped listing without referenceYear", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("takes the current year, or the year before when the header date is still to come", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2026-03-01T12:00:00Z"));
    let result = await readListing(DEFAULT_LISTING_PATH);
    expect(result.listingDate).toBe("2025-11-21"); // Nov 21, 2026 lies in the future on Mar 1, 2026
    expect(result.papers[0].published).toBe("2025-02-11");

    vi.setSystemTime(new Date("2027-01-10T12:00:00Z"));
    result = await readListing(DEFAULT_LISTING_PATH);
    expect(result.listingDate).toBe("2026-11-21");
    expect(result.papers[0].published).toBe("2026-02-11");
    expect(result.papers[1].published).toBe("2024-01-09"); // explicit years stay
  });
});
