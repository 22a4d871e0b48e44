import { describe, expect, it } from "vitest";
import { themeColor } from "../../src/report/colors.js";
import { renderHtml } from "../../src/report/html.js";
import { sampleDigest } from "./sample-digest.js";

describe("renderHtml", () => {
  const html = renderHtml(sampleDigest());

  it("is one self-contained page: no external scripts, styles, fonts or images", () => {
    expect(html.startsWith("<!doctype html>")).toBe(true);
    expect(html).not.toMatch(/<script[^>]+src=/i);
    expect(html).not.toMatch(/<link\b/i);
    expect(html).not.toMatch(/@import|url\(/i);
    expect(html).not.toMatch(/<img\b/i);
    expect(html).toContain("<style>");
  });

  it("escapes every title, label, keyword and source: no raw markup from the data survives", () => {
    expect(html).not.toContain("<b>visual</b>");
    expect(html).toContain("Prune &lt;b&gt;visual&lt;/b&gt; tokens &amp; keep &#39;accuracy&#39;");
    expect(html).toContain("FID&lt;2 with &quot;fewer&quot; tokens");
    expect(html).toContain("visual token &lt;pruning&gt;");
    expect(html).toContain("speech &quot;audio&quot; tokens");
    expect(html).toContain("a &amp; b");
    expect(html).toContain('<p class="subtopics">LVLMs &amp; &lt;video&gt; · KV cache</p>');
    expect(html.match(/class="subtopics"/g)).toHaveLength(1); // only the theme that has sub-topics
    expect(html).toContain("from listing &amp; co.txt");
    // The one script block is ours; the title that tries to close it is text.
    expect(html.match(/<script>/g)).toHaveLength(1);
    expect(html.match(/<\/script>/g)).toHaveLength(1);
    expect(html).toContain("&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;");
  });

  it("links only http(s) URLs", () => {
    expect(html).not.toContain("javascript:");
    expect(html).toContain('href="https://arxiv.org/abs/2501.00000"');
  });

  it("draws one map point per paper, coloured by theme, with the title in an SVG <title>", () => {
    const points = [...html.matchAll(/<circle class="point"[^>]*fill="([^"]+)"[^>]*data-theme="(\d+)"[^>]*><title>([^<]*)<\/title>/g)];
    expect(points).toHaveLength(6);
    const colorByTheme = new Map<string, Set<string>>();
    for (const [, fill, theme] of points) colorByTheme.set(theme, (colorByTheme.get(theme) ?? new Set()).add(fill));
    expect([...colorByTheme.keys()].sort()).toEqual(["0", "1", "2"]);
    for (const [theme, fills] of colorByTheme) expect([...fills]).toEqual([themeColor(Number(theme))]);
    expect(points.map((p) => p[3].split("\n")[0])).toContain("Prune &lt;b&gt;visual&lt;/b&gt; tokens &amp; keep &#39;accuracy&#39;");
  });

  it("places one label per theme on the map", () => {
    const labels = [...html.matchAll(/<g class="theme-label" data-theme="(\d+)">.*?<text[^>]*>([^<]*)<\/text><\/g>/g)];
    expect(labels.map((l) => l[2])).toEqual(["visual token &lt;pruning&gt;", "speech &quot;audio&quot; tokens", "text tokenizers"]);
  });

  it("has one section per theme with its keywords, papers (date, upvotes) and related papers linked inside the page", () => {
    expect(html.match(/<section class="theme"/g)).toHaveLength(3);
    expect(html).toContain("<li>token pruning</li>");
    expect(html).toContain('<time datetime="2025-02-11">2025-02-11</time>');
    expect(html).toContain("▲ 10");
    const a1Anchor = /<li id="(p\d+)"><a class="title"[^>]*>Prune/.exec(html)?.[1];
    expect(a1Anchor).toBeDefined();
    expect(html).toContain(`<a href="#${a1Anchor}">Prune &lt;b&gt;`);
  });

  it("renders a digest without positions (no map) and an empty digest", () => {
    const noMap = renderHtml(sampleDigest({ map: false }));
    expect(noMap).not.toContain("<svg");
    expect(noMap).not.toContain("<script>");
    expect(noMap.match(/<section class="theme"/g)).toHaveLength(3);
    const empty = renderHtml({ ...sampleDigest(), themes: [], papers: [] });
    expect(empty).toContain("No papers.");
    expect(empty).not.toContain("<svg");
  });
});
