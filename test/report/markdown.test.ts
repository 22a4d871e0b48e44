import { describe, expect, it } from "vitest";
import { renderMarkdown } from "../../src/report/markdown.js";
import { sampleDigest } from "./sample-digest.js";

describe("renderMarkdown", () => {
  const md = renderMarkdown(sampleDigest());

  it("has a heading, a theme list and one section per theme, biggest first as given", () => {
    expect(md.startsWith("# Digest of \\<my\\> listing\n")).toBe(true);
    expect(md).toContain("6 papers · 3 themes · from listing \\& co.txt · made 2025-11-21");
    expect(md).toContain("1. visual token \\<pruning\\> — 3 papers");
    const sections = [...md.matchAll(/^## (\d+)\. (.*)$/gm)].map((m) => m[2]);
    expect(sections).toEqual(["visual token \\<pruning\\> (3 papers)", 'speech "audio" tokens (2 papers)', "text tokenizers (1 paper)"]);
  });

  it("lists keywords and each paper with link, date, upvotes and related papers", () => {
    expect(md).toContain("**Keywords:** visual tokens, token pruning, a \\& b");
    expect(md).toContain("**Sub-topics:** LVLMs \\& \\<video\\> · KV cache");
    expect(md).toContain(
      "- **[Prune \\<b\\>visual\\</b\\> tokens \\& keep 'accuracy'](<https://arxiv.org/abs/2501.00000>)** — 2025-02-10 · 0 upvotes  \n  Related: Speech tokens \\*really\\* \\[matter\\] (0.50)",
    );
    expect(md).toContain("Audio\\_codec \\| tables");
  });

  it("does not link non-http URLs and has no map", () => {
    expect(md).not.toContain("javascript:");
    expect(md).toContain("- **\\</script\\>\\<script\\>alert(1)\\</script\\>** — 2025-02-12");
    expect(md).not.toMatch(/<svg|<circle/);
  });

  it("strips terminal escape sequences and control characters from listing text", () => {
    const digest = sampleDigest();
    digest.title = "Digest \x1b]0;pwned\x07of \x1b[2Jtoday";
    digest.papers[0].paper = {
      ...digest.papers[0].paper,
      title: "Evil \x1b]8;;http://evil.example\x07link\x1b]8;;\x07 \u009b31mred",
      organization: "Org\r\x07",
    };
    const text = renderMarkdown(digest);
    expect(text).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/);
    expect(text.startsWith("# Digest of today\n")).toBe(true);
    expect(text).toContain("Evil link red");
    expect(text).toContain("Org");
  });

  it("says so when there are no papers", () => {
    expect(renderMarkdown({ ...sampleDigest(), themes: [], papers: [] })).toContain("No papers.");
  });
});
