import { describe, expect, it } from "vitest";
import { escapeHtml, escapeMarkdown, markdownUrl } from "../../src/report/escape.js";

describe("escapeHtml", () => {
  it("escapes the five characters that can break out of text or an attribute", () => {
    expect(escapeHtml(`<script>alert("x") & 'y'</script>`)).toBe("&lt;script&gt;alert(&quot;x&quot;) &amp; &#39;y&#39;&lt;/script&gt;");
  });
  it("leaves other text (including non-ASCII) alone", () => {
    expect(escapeHtml("FID ≈ 1.2 — ViT-L/14")).toBe("FID ≈ 1.2 — ViT-L/14");
  });
});

describe("escapeMarkdown", () => {
  it("backslash-escapes emphasis, links, code, HTML, entities and table pipes", () => {
    expect(escapeMarkdown("a*b_c `d` [e](f) <g> &amp; h|i ~j~ \\")).toBe("a\\*b\\_c \\`d\\` \\[e\\](f) \\<g\\> \\&amp; h\\|i \\~j\\~ \\\\");
  });
  it("keeps text on one line and defuses a leading list or heading marker", () => {
    expect(escapeMarkdown("line one\n# two")).toBe("line one # two");
    expect(escapeMarkdown("# Heading")).toBe("\\# Heading");
    expect(escapeMarkdown("- item")).toBe("\\- item");
    expect(escapeMarkdown("1. first")).toBe("1\\. first");
  });
});

describe("markdownUrl", () => {
  it("wraps the URL in angle brackets and percent-encodes what would end it", () => {
    expect(markdownUrl("https://arxiv.org/abs/2501.01234")).toBe("<https://arxiv.org/abs/2501.01234>");
    expect(markdownUrl("https://x.org/a b>c")).toBe("<https://x.org/a%20b%3Ec>");
  });
});
