import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadDefaultListing } from "../../src/ingest/index.js";
import { PaperLibrary } from "../../src/library.js";
import { buildDigest } from "../../src/report/digest.js";
import { renderHtml } from "../../src/report/html.js";
import type { Digest } from "../../src/report/types.js";
import { sampleDigest } from "./sample-digest.js";

const CHROMIUM = process.env.PAPERMAP_CHROMIUM ?? "/usr/bin/chromium";
const haveChromium = existsSync(CHROMIUM);
const inCi = Boolean(process.env.CI);
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const artifacts = path.join(repoRoot, "test-artifacts");

interface Opened {
  page: Page;
  consoleErrors: string[];
  foreignRequests: string[];
  dialogs: string[];
}

// Locally the browser test may be skipped when Chromium is absent; in CI it must run.
describe.runIf(haveChromium || inCi)("HTML digest in a real browser (headless Chromium)", () => {
  let browser: Browser;
  let dir: string;

  beforeAll(async () => {
    if (!haveChromium) {
      throw new Error(
        `Chromium not found at ${CHROMIUM}: install it with \`apt-get update && apt-get install -y chromium\` (.ci/run does this), or set PAPERMAP_CHROMIUM.`,
      );
    }
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    });
    dir = await mkdtemp(path.join(os.tmpdir(), "papermap-browser-"));
  });

  afterAll(async () => {
    await browser?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function open(digest: Digest, name: string): Promise<Opened> {
    const file = path.join(dir, `${name}.html`);
    await writeFile(file, renderHtml(digest));
    const page = await browser.newPage({ viewport: { width: 1200, height: 1000 } });
    const opened: Opened = { page, consoleErrors: [], foreignRequests: [], dialogs: [] };
    page.on("console", (m) => {
      if (m.type() === "error" || m.type() === "warning") opened.consoleErrors.push(`${m.type()}: ${m.text()}`);
    });
    page.on("pageerror", (e) => opened.consoleErrors.push(`pageerror: ${e.message}`));
    page.on("dialog", (d) => {
      opened.dialogs.push(d.message());
      void d.dismiss();
    });
    await page.route("**/*", (route) => {
      const url = route.request().url();
      if (url.startsWith("file:") || url.startsWith("data:")) return route.continue();
      opened.foreignRequests.push(url);
      return route.abort();
    });
    await page.goto(pathToFileURL(file).href);
    await page.waitForLoadState("load");
    return opened;
  }

  async function checkDigestPage(digest: Digest, name: string): Promise<Opened> {
    const opened = await open(digest, name);
    const { page } = opened;

    // One point per paper.
    expect(await page.locator("svg.map circle.point").count()).toBe(digest.papers.length);

    // One colour per theme, and no two themes share a colour (computed style, as drawn).
    const fills = await page.$$eval("svg.map circle.point", (els) =>
      els.map((e) => ({ theme: e.getAttribute("data-theme"), fill: getComputedStyle(e).fill })),
    );
    const byTheme = new Map<string, Set<string>>();
    for (const f of fills) byTheme.set(f.theme!, (byTheme.get(f.theme!) ?? new Set()).add(f.fill));
    expect(byTheme.size).toBe(digest.themes.length);
    for (const colours of byTheme.values()) expect(colours.size).toBe(1);
    expect(new Set([...byTheme.values()].map((s) => [...s][0])).size).toBe(digest.themes.length);

    // Each point carries its paper's title in an SVG <title>.
    const svgTitles = await page.$$eval("svg.map circle.point > title", (els) => els.map((e) => e.textContent ?? ""));
    expect(svgTitles.map((t) => t.split("\n")[0]).sort()).toEqual(digest.papers.map((p) => p.paper.title).sort());

    // Theme labels: one per theme, real rendered text fits its box, no two boxes overlap.
    const labels = await page.$$eval("svg.map g.theme-label", (groups) =>
      groups.map((g) => {
        const rect = (g.querySelector("rect") as SVGRectElement).getBBox();
        const text = (g.querySelector("text") as SVGTextElement).getBBox();
        return { rect: { x: rect.x, y: rect.y, width: rect.width, height: rect.height }, text: { x: text.x, width: text.width } };
      }),
    );
    expect(labels).toHaveLength(digest.themes.length);
    for (const l of labels) {
      expect(l.text.x).toBeGreaterThanOrEqual(l.rect.x - 1);
      expect(l.text.x + l.text.width).toBeLessThanOrEqual(l.rect.x + l.rect.width + 1);
    }
    for (let i = 0; i < labels.length; i++) {
      for (let j = i + 1; j < labels.length; j++) {
        const a = labels[i].rect;
        const b = labels[j].rect;
        const overlap = a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
        expect(overlap, `labels ${i} and ${j} overlap`).toBe(false);
      }
    }

    // Hovering a point shows its title in the tooltip.
    for (const index of [0, digest.papers.length - 1]) {
      const point = page.locator("svg.map circle.point").nth(index);
      const title = digest.papers[index].paper.title;
      await point.hover({ force: true });
      const tooltip = page.locator(".tooltip");
      await expect.poll(() => tooltip.isVisible()).toBe(true);
      expect((await tooltip.textContent())?.split("\n")[0]).toBe(title);
      await page.mouse.move(1, 1);
      await expect.poll(() => tooltip.isVisible()).toBe(false);
      // The native <title> is back after the hover (for keyboard and assistive use).
      expect((await point.locator("title").textContent())?.split("\n")[0]).toBe(title);
    }

    // Clicking a point jumps to its paper in the theme sections.
    await page.locator("svg.map circle.point").nth(1).click({ force: true });
    const hash = await page.evaluate(() => location.hash);
    expect(hash).toMatch(/^#p\d+$/);
    expect(await page.locator(`${hash} .title`).textContent()).toBe(digest.papers[Number(hash.slice(2))].paper.title);

    // Sections: one per theme.
    expect(await page.locator("section.theme").count()).toBe(digest.themes.length);

    expect(opened.consoleErrors).toEqual([]);
    expect(opened.foreignRequests).toEqual([]);
    expect(opened.dialogs).toEqual([]);
    return opened;
  }

  it("renders the hand-made digest: escaped text shows as text, nothing runs or loads", async () => {
    const digest = sampleDigest();
    const { page } = await checkDigestPage(digest, "sample");
    expect(await page.title()).toBe("Digest of <my> listing");
    expect(await page.locator("h1").textContent()).toBe("Digest of <my> listing");
    expect(await page.locator("li#p2 .title").textContent()).toBe("</script><script>alert(1)</script>");
    await page.close();
  });

  it("renders the digest of the shipped listing (real library, themes, related papers, UMAP map) and saves a screenshot", async () => {
    const library = await PaperLibrary.create(await loadDefaultListing(), { embedder: "lexical", onNotice: () => {} });
    const digest = await buildDigest(library, { title: "Digest of the shipped listing", source: "hf-papers-token-listing.txt" });
    expect(digest.papers).toHaveLength(82);
    const { page } = await checkDigestPage(digest, "shipped");
    // Related-paper links lead to papers inside the page.
    const hrefs = await page.$$eval(".related a", (as) => as.map((a) => a.getAttribute("href")));
    expect(hrefs.length).toBe(82 * 3);
    for (const href of new Set(hrefs)) expect(await page.locator(href!).count()).toBe(1);
    await mkdir(artifacts, { recursive: true });
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.mouse.move(1, 1);
    await page.screenshot({ path: path.join(artifacts, "digest.png") });
    await page.locator("svg.map circle.point").nth(7).hover({ force: true });
    await page.screenshot({ path: path.join(artifacts, "digest-hover.png") });
    await page.screenshot({ path: path.join(artifacts, "digest-full.png"), fullPage: true });
    await page.close();
  });

  it("renders a digest of 600 papers in 12 themes and saves a screenshot", async () => {
    const digest = syntheticDigest(600, 12);
    const { page } = await checkDigestPage(digest, "synthetic");
    await mkdir(artifacts, { recursive: true });
    await page.locator(".map-wrap").screenshot({ path: path.join(artifacts, "digest-synthetic-map.png") });
    await page.close();
  });
});

/** Papers scattered around `themes` centres, labels of varied lengths. */
function syntheticDigest(n: number, themeCount: number): Digest {
  let seed = 12345;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const words = ["visual token pruning", "speech codecs", "masked image modeling", "text tokenizers", "long context", "diffusion"];
  const themes = Array.from({ length: themeCount }, (_, t) => ({
    id: `theme-${t}`,
    label: `${words[t % words.length]}${t >= words.length ? ` ${t}` : ""}`,
    keywords: ["alpha", "beta"],
    size: 0,
    paperIds: [] as string[],
    representativeIds: [] as string[],
    cx: 0.1 + 0.8 * random(),
    cy: 0.1 + 0.8 * random(),
  }));
  const papers = Array.from({ length: n }, (_, i) => {
    const t = themes[i % themeCount];
    t.paperIds.push(`p-${i}`);
    t.size++;
    return {
      paper: { id: `p-${i}`, title: `Paper ${i} on ${t.label}`, abstract: "…", published: "2025-01-01", upvotes: i % 50 },
      themeId: t.id,
      confidence: random(),
      related: [],
      x: Math.min(1, Math.max(0, t.cx + (random() - 0.5) * 0.15)),
      y: Math.min(1, Math.max(0, t.cy + (random() - 0.5) * 0.15)),
    };
  });
  papers.sort((a, b) => a.themeId.localeCompare(b.themeId, "en", { numeric: true }));
  return {
    title: "Synthetic digest",
    generatedAt: "2025-01-01T00:00:00.000Z",
    embedderId: "test",
    projection: "umap",
    themes: themes.map(({ cx: _cx, cy: _cy, ...t }) => t),
    papers,
  };
}
