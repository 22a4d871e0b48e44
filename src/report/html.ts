import type { Paper } from "../paper.js";
import { median } from "../vector-math.js";
import { themeColor } from "./colors.js";
import { escapeHtml } from "./escape.js";
import { layoutLabels } from "./label-layout.js";
import type { Digest, DigestPaper, DigestRecommendation, DigestTheme } from "./types.js";

export interface HtmlOptions {
  /** Width and height of the map's drawing area in SVG units (default 1000 × 620). */
  mapWidth?: number;
  mapHeight?: number;
}

const MAP_MARGIN = 24;
const LABEL_FONT = 13;

/**
 * Renders a digest as one self-contained HTML page: inline CSS and a few lines of inline
 * JavaScript, no external scripts, styles, fonts or images, so it opens from disk. It has
 * a 2-D map (an SVG scatter, one colour per theme, the title on hover, theme labels at
 * their centres) when the digest has positions, then one section per theme. All text
 * is escaped.
 */
export function renderHtml(digest: Digest, options: HtmlOptions = {}): string {
  const width = options.mapWidth ?? 1000;
  const height = options.mapHeight ?? 620;
  const themeIndex = new Map(digest.themes.map((t, i) => [t.id, i]));
  const anchorOf = new Map(digest.papers.map((p, i) => [p.paper.id, `p${i}`]));
  const byTheme = new Map<string, DigestPaper[]>();
  for (const p of digest.papers) {
    const list = byTheme.get(p.themeId) ?? [];
    list.push(p);
    byTheme.set(p.themeId, list);
  }
  const ctx: RenderContext = { digest, themeIndex, anchorOf, byTheme };

  const meta = [
    digest.day ? `<time datetime="${escapeHtml(digest.day)}">${escapeHtml(digest.day)}</time>` : "",
    `${digest.papers.length} ${plural(digest.papers.length, "paper")}`,
    `${digest.themes.length} ${plural(digest.themes.length, "theme")}`,
    digest.libraryPapers !== undefined ? `library of ${digest.libraryPapers} ${plural(digest.libraryPapers, "paper")}` : "",
    digest.source ? `from ${escapeHtml(digest.source)}` : "",
    `made ${escapeHtml(digest.generatedAt.slice(0, 10))}`,
  ].filter(Boolean);

  const hasMap = digest.papers.length > 0 && digest.papers.every((p) => p.x !== undefined && p.y !== undefined);
  const body = [
    `<header><h1>${escapeHtml(digest.title)}</h1><p class="meta">${meta.join(" · ")}</p></header>`,
    digest.themes.length > 0 ? renderToc(ctx) : `<p class="empty">No papers.</p>`,
    digest.recommended && digest.recommended.length > 0 ? renderRecommended(ctx, digest.recommended) : "",
    hasMap ? renderMap(ctx, width, height) : "",
    `<main>${digest.themes.map((t) => renderTheme(ctx, t)).join("\n")}</main>`,
    `<footer>Embeddings: <code>${escapeHtml(digest.embedderId)}</code>${
      digest.projection ? ` · map: ${escapeHtml(digest.projection.toUpperCase())} of the embeddings` : ""
    } · made with papermap</footer>`,
  ].join("\n");

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(digest.title)}</title>
<style>${CSS}</style>
</head>
<body>
${body}
${hasMap ? `<script>${SCRIPT}</script>` : ""}
</body>
</html>
`;
}

interface RenderContext {
  digest: Digest;
  themeIndex: Map<string, number>;
  anchorOf: Map<string, string>;
  byTheme: Map<string, DigestPaper[]>;
}

function plural(n: number, word: string): string {
  return n === 1 ? word : `${word}s`;
}

function colorOf(ctx: RenderContext, themeId: string | undefined): string {
  const i = themeId === undefined ? undefined : ctx.themeIndex.get(themeId);
  return i === undefined ? "#999999" : themeColor(i);
}

function renderToc(ctx: RenderContext): string {
  const items = ctx.digest.themes.map(
    (t, i) =>
      `<li><a href="#theme-${i}" data-theme="${i}"><span class="swatch" style="background:${themeColor(i)}"></span>${escapeHtml(
        t.label,
      )} <span class="count">${t.size}</span></a></li>`,
  );
  return `<nav class="legend" aria-label="Themes"><ul>${items.join("")}</ul></nav>`;
}

function renderMap(ctx: RenderContext, width: number, height: number): string {
  const n = ctx.digest.papers.length;
  const r = n <= 150 ? 6 : n <= 600 ? 4.5 : n <= 2000 ? 3 : 2.2;
  const px = (x: number) => MAP_MARGIN + x * (width - 2 * MAP_MARGIN);
  const py = (y: number) => MAP_MARGIN + (1 - y) * (height - 2 * MAP_MARGIN);
  const points = ctx.digest.papers.map((p) => {
    const i = ctx.themeIndex.get(p.themeId) ?? -1;
    const theme = ctx.digest.themes[i];
    const tip = [p.paper.title, `${theme ? theme.label : "no theme"}${p.paper.published ? ` · ${p.paper.published}` : ""}`].join("\n");
    return `<circle class="point" cx="${px(p.x!).toFixed(1)}" cy="${py(p.y!).toFixed(1)}" r="${r}" fill="${colorOf(
      ctx,
      p.themeId,
    )}" data-theme="${i}" data-anchor="${ctx.anchorOf.get(p.paper.id)}"><title>${escapeHtml(tip)}</title></circle>`;
  });

  // Theme labels at the median of their points, nudged apart so that none overlap.
  const requests = ctx.digest.themes.map((t) => {
    const members = ctx.byTheme.get(t.id) ?? [];
    const text = shorten(t.label, 36);
    return {
      text,
      // A theme without points on the map: the middle.
      x: px(members.length > 0 ? median(members.map((m) => m.x!)) : 0.5),
      y: py(members.length > 0 ? median(members.map((m) => m.y!)) : 0.5),
      width: text.length * LABEL_FONT * 0.62 + 16,
      height: LABEL_FONT + 9,
    };
  });
  const placed = layoutLabels(requests, { width, height, gap: 3 });
  const labels = requests.map((req, i) => {
    const x = placed[i].x;
    const y = placed[i].y;
    return `<g class="theme-label" data-theme="${i}"><rect x="${(x - req.width / 2).toFixed(1)}" y="${(y - req.height / 2).toFixed(
      1,
    )}" width="${req.width.toFixed(1)}" height="${req.height}" rx="${(req.height / 2).toFixed(1)}" style="stroke:${themeColor(
      i,
    )}"></rect><text x="${x.toFixed(1)}" y="${y.toFixed(1)}">${escapeHtml(req.text)}</text></g>`;
  });

  const background = (ctx.digest.background ?? []).map(
    (b) => `<circle class="bg" cx="${px(b.x).toFixed(1)}" cy="${py(b.y).toFixed(1)}" r="${Math.max(1.5, r * 0.6).toFixed(1)}"></circle>`,
  );
  const hint = ctx.digest.day
    ? "Grey dots are the library's earlier papers; coloured dots are this day's papers, placed so that similar papers sit close together and coloured by theme. Point at a dot for its title; click it to jump to the paper."
    : "Each dot is a paper, placed so that similar papers sit close together and coloured by theme. Point at a dot for its title; click it to jump to the paper.";
  return `<section class="map-section" aria-label="Map">
<p class="hint">${hint}</p>
<div class="map-wrap">
<svg class="map" viewBox="0 0 ${width} ${height}" role="img" aria-label="Map of ${n} ${plural(n, "paper")} coloured by theme">
<rect class="map-bg" x="0" y="0" width="${width}" height="${height}" rx="8"></rect>
${background.length > 0 ? `<g class="background" aria-hidden="true">\n${background.join("\n")}\n</g>` : ""}
<g class="points">
${points.join("\n")}
</g>
<g class="labels">
${labels.join("\n")}
</g>
</svg>
<div class="tooltip" role="tooltip" hidden></div>
</div>
</section>`;
}

function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}

function safeUrl(url: string | undefined): string | undefined {
  return url && /^https?:\/\//i.test(url) ? url : undefined;
}

function paperMeta(paper: Paper): string {
  const parts: string[] = [];
  if (paper.published) parts.push(`<time datetime="${escapeHtml(paper.published)}">${escapeHtml(paper.published)}</time>`);
  if (paper.upvotes !== undefined) parts.push(`<span class="upvotes" title="upvotes">▲ ${paper.upvotes}</span>`);
  const authors = paper.authors?.length ? paper.authors.length : paper.authorCount;
  if (authors) parts.push(`${authors} ${plural(authors, "author")}`);
  if (paper.organization) parts.push(escapeHtml(paper.organization));
  return parts.join(" · ");
}

function renderTheme(ctx: RenderContext, theme: DigestTheme): string {
  const i = ctx.themeIndex.get(theme.id)!;
  const members = ctx.byTheme.get(theme.id) ?? [];
  const keywords = theme.keywords.map((k) => `<li>${escapeHtml(k)}</li>`).join("");
  const items = members.map((p) => renderPaper(ctx, p)).join("\n");
  const badges = [
    theme.isNew ? `<span class="badge new">new</span>` : "",
    theme.trend === "emerging" ? `<span class="badge emerging">emerging</span>` : "",
    theme.trend === "fading" ? `<span class="badge fading">fading</span>` : "",
  ].join("");
  const count =
    theme.librarySize !== undefined
      ? `${theme.size} today · ${theme.librarySize} in the library`
      : `${theme.size} ${plural(theme.size, "paper")}`;
  const subtopics =
    theme.subtopics && theme.subtopics.length > 0 ? `<p class="subtopics">${theme.subtopics.map(escapeHtml).join(" · ")}</p>` : "";
  const lineage = theme.from && theme.from.length > 0 ? `<p class="lineage">from ${theme.from.map(escapeHtml).join(" + ")}</p>` : "";
  return `<section class="theme" id="theme-${i}" style="--c:${themeColor(i)}">
<h2><span class="swatch" style="background:${themeColor(i)}"></span>${escapeHtml(theme.label)}${badges} <span class="count">${count}</span>${
    theme.history && theme.history.length > 0 ? sparkline(theme.history, themeColor(i)) : ""
  }</h2>
${subtopics}${lineage}${keywords ? `<ul class="keywords" aria-label="Keywords">${keywords}</ul>` : ""}
<ol class="papers">
${items}
</ol>
</section>`;
}

function renderRecommended(ctx: RenderContext, picks: readonly DigestRecommendation[]): string {
  const items = picks.map((r) => {
    const anchor = ctx.anchorOf.get(r.id);
    const title = escapeHtml(r.title);
    const link = anchor ? `<a href="#${anchor}">${title}</a>` : title;
    const dot = `<span class="dot" style="background:${colorOf(ctx, r.themeId)}"></span>`;
    const why = [
      r.closestLiked.length > 0
        ? `like ${r.closestLiked
            .slice(0, 2)
            .map((c) => `“${escapeHtml(c.title)}”`)
            .join(", ")}`
        : "",
      r.sharedWords.length > 0 ? `shares ${r.sharedWords.slice(0, 5).map(escapeHtml).join(", ")}` : "",
    ].filter(Boolean);
    return `<li>${dot}${link} <span class="score">${r.score.toFixed(2)}</span>${why.length > 0 ? `<div class="why">${why.join(" · ")}</div>` : ""}</li>`;
  });
  return `<section class="recommended" aria-label="Recommended for you today"><h2>Recommended for you today</h2><ol>${items.join("")}</ol></section>`;
}

/**
 * A theme's papers per day as a small inline SVG line (the last day marked), with the
 * numbers in its title for screen readers and on hover.
 */
export function sparkline(history: readonly { day: string; count: number }[], color: string, width = 120, height = 24): string {
  const max = Math.max(1, ...history.map((h) => h.count));
  const n = history.length;
  const x = (i: number) => (n === 1 ? width / 2 : 2 + (i * (width - 4)) / (n - 1));
  const y = (c: number) => height - 2 - (c / max) * (height - 4);
  const pts = history.map((h, i) => `${x(i).toFixed(1)},${y(h.count).toFixed(1)}`).join(" ");
  const last = history[n - 1];
  const text = `papers per day: ${history.map((h) => `${h.day} ${h.count}`).join(", ")}`;
  return `<svg class="spark" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeHtml(text)}"><title>${escapeHtml(
    text,
  )}</title><polyline points="${pts}" fill="none" stroke="${color}" stroke-width="1.5"></polyline><circle cx="${x(n - 1).toFixed(1)}" cy="${y(
    last.count,
  ).toFixed(1)}" r="2.5" fill="${color}"></circle></svg>`;
}

function renderPaper(ctx: RenderContext, p: DigestPaper): string {
  const url = safeUrl(p.paper.url);
  const title = escapeHtml(p.paper.title);
  const heading = url
    ? `<a class="title" href="${escapeHtml(url)}" rel="noopener noreferrer">${title}</a>`
    : `<span class="title">${title}</span>`;
  const meta = paperMeta(p.paper);
  const related = p.related.length
    ? `<div class="related"><span class="rel-head">Related:</span> ${p.related
        .map((r) => {
          const anchor = ctx.anchorOf.get(r.id);
          const text = escapeHtml(r.title);
          const dot = `<span class="dot" style="background:${colorOf(ctx, r.themeId)}"></span>`;
          const link = anchor ? `<a href="#${anchor}">${text}</a>` : text;
          return `<span class="rel">${dot}${link} <span class="score">${r.score.toFixed(2)}</span></span>`;
        })
        .join(" ")}</div>`
    : "";
  const abstract = p.paper.abstract ? `<details><summary>Abstract</summary><p>${escapeHtml(p.paper.abstract)}</p></details>` : "";
  return `<li id="${ctx.anchorOf.get(p.paper.id)}">${heading}${meta ? `<div class="meta">${meta}</div>` : ""}${related}${abstract}</li>`;
}

const CSS = `
:root{--fg:#1d2329;--muted:#5f6b76;--line:#e3e7eb;--bg:#ffffff;--panel:#f7f9fb;--link:#2455a4}
*{box-sizing:border-box}
body{margin:0 auto;max-width:1080px;padding:24px 20px 48px;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--fg);background:var(--bg)}
h1{font-size:26px;margin:0 0 4px}
h2{font-size:19px;margin:0 0 6px;display:flex;align-items:center;gap:8px}
a{color:var(--link);text-decoration:none}
a:hover{text-decoration:underline}
.meta,.hint,footer,.count,.score{color:var(--muted)}
header .meta{margin:0 0 14px}
.count{font-weight:400;font-size:14px}
.swatch,.dot{display:inline-block;border-radius:50%;flex:none}
.swatch{width:12px;height:12px}
.dot{width:8px;height:8px;margin-right:4px;vertical-align:1px}
.legend ul{list-style:none;margin:0 0 10px;padding:0;display:flex;flex-wrap:wrap;gap:6px 8px}
.legend a{display:inline-flex;align-items:center;gap:6px;padding:3px 10px;border:1px solid var(--line);border-radius:999px;color:var(--fg);font-size:14px;background:var(--bg)}
.legend a:hover,.legend a.active{border-color:var(--muted);text-decoration:none}
.hint{font-size:13px;margin:4px 0 6px}
.map-wrap{position:relative;border:1px solid var(--line);border-radius:10px;overflow:hidden}
svg.map{display:block;width:100%;height:auto}
.map-bg{fill:var(--panel)}
.bg{fill:#aab4be;opacity:.35}
.badge{font-size:12px;font-weight:600;padding:1px 7px;border-radius:999px;margin-left:2px}
.badge.new{background:#1f7a3a;color:#fff}
.badge.emerging{background:#fff0c2;color:#6b4e00}
.badge.fading{background:var(--line);color:var(--muted)}
.spark{margin-left:auto;flex:none}
.lineage{margin:0 0 6px;font-size:13px;color:var(--muted)}
.subtopics{margin:0 0 6px;font-size:14px;color:var(--muted)}
.recommended{background:var(--panel);border:1px solid var(--line);border-radius:8px;padding:10px 16px;margin:0 0 20px}
.recommended h2{font-size:17px}
.recommended .why{font-size:13px;color:var(--muted)}
.point{stroke:#fff;stroke-width:1;cursor:pointer;transition:opacity .15s}
.point:hover,.point.hover{stroke:#111;stroke-width:2}
svg.dimmed .point:not(.lit){opacity:.12}
svg.dimmed .theme-label:not(.lit){opacity:.25}
.theme-label{pointer-events:none;transition:opacity .2s}
svg.map:hover .theme-label{opacity:.3}
.theme-label rect{fill:rgba(255,255,255,.88);stroke-width:2}
.theme-label text{font-size:${LABEL_FONT}px;font-weight:600;text-anchor:middle;dominant-baseline:central;fill:#1d2329}
.tooltip{position:absolute;pointer-events:none;max-width:340px;padding:6px 9px;border-radius:6px;background:rgba(29,35,41,.94);color:#fff;font-size:13px;line-height:1.35;white-space:pre-line;box-shadow:0 2px 8px rgba(0,0,0,.2)}
.tooltip::first-line{font-weight:600}
main{margin-top:26px}
.theme{margin:0 0 30px;padding:14px 16px 6px;border-left:4px solid var(--c);background:var(--panel);border-radius:0 10px 10px 0}
.keywords{list-style:none;padding:0;margin:0 0 10px;display:flex;flex-wrap:wrap;gap:5px}
.keywords li{font-size:13px;padding:1px 8px;border-radius:999px;background:var(--bg);border:1px solid var(--line)}
.papers{margin:0;padding-left:22px}
.papers>li{margin:0 0 12px;padding:2px 6px;border-radius:6px}
.papers>li:target{background:#fff6d6}
.title{font-weight:600}
.papers .meta{font-size:13px}
.related{font-size:13px;margin-top:2px}
.rel-head{color:var(--muted)}
.rel{margin-right:10px}
details{font-size:13px}
summary{cursor:pointer;color:var(--muted)}
details p{margin:4px 0 6px}
footer{margin-top:32px;font-size:12px;border-top:1px solid var(--line);padding-top:10px}
code{font-size:12px}
`;

// Tooltip, theme highlighting and click-to-jump. Plain ES5, no dependencies.
const SCRIPT = `
(function () {
  var svg = document.querySelector("svg.map");
  var tip = document.querySelector(".tooltip");
  var wrap = document.querySelector(".map-wrap");
  if (!svg || !tip || !wrap) return;
  // Label boxes were sized for a wide font: shrink each to its text as rendered (never grow).
  var boxes = svg.querySelectorAll("g.theme-label");
  for (var b = 0; b < boxes.length; b++) {
    var rect = boxes[b].querySelector("rect"), text = boxes[b].querySelector("text");
    var want = text.getComputedTextLength() + 16, have = parseFloat(rect.getAttribute("width"));
    if (want < have) {
      rect.setAttribute("x", (parseFloat(rect.getAttribute("x")) + (have - want) / 2).toFixed(1));
      rect.setAttribute("width", want.toFixed(1));
    }
  }
  var current = null;
  function hide() {
    if (current) {
      current.classList.remove("hover");
      var t = current.querySelector("title");
      if (t && current.getAttribute("data-tip")) t.textContent = current.getAttribute("data-tip");
      current = null;
    }
    tip.hidden = true;
  }
  function place(e) {
    var box = wrap.getBoundingClientRect();
    var x = e.clientX - box.left + 14, y = e.clientY - box.top + 14;
    if (x + tip.offsetWidth > box.width - 4) x = Math.max(4, e.clientX - box.left - tip.offsetWidth - 14);
    if (y + tip.offsetHeight > box.height - 4) y = Math.max(4, e.clientY - box.top - tip.offsetHeight - 14);
    tip.style.left = x + "px";
    tip.style.top = y + "px";
  }
  svg.addEventListener("mouseover", function (e) {
    var c = e.target.closest ? e.target.closest(".point") : null;
    if (!c || c === current) return;
    hide();
    current = c;
    var t = c.querySelector("title");
    var text = c.getAttribute("data-tip") || (t ? t.textContent : "");
    c.setAttribute("data-tip", text);
    if (t) t.textContent = "";
    c.classList.add("hover");
    tip.textContent = text;
    tip.hidden = false;
    place(e);
  });
  svg.addEventListener("mousemove", function (e) { if (current) place(e); });
  svg.addEventListener("mouseout", function (e) {
    if (current && (!e.relatedTarget || !current.contains(e.relatedTarget))) hide();
  });
  svg.addEventListener("click", function (e) {
    var c = e.target.closest ? e.target.closest(".point") : null;
    if (c) location.hash = c.getAttribute("data-anchor");
  });
  function light(theme) {
    svg.classList.toggle("dimmed", theme !== null);
    var all = svg.querySelectorAll("[data-theme]");
    for (var i = 0; i < all.length; i++) all[i].classList.toggle("lit", all[i].getAttribute("data-theme") === theme);
  }
  var links = document.querySelectorAll(".legend a[data-theme]");
  for (var i = 0; i < links.length; i++) {
    links[i].addEventListener("mouseenter", function () { light(this.getAttribute("data-theme")); });
    links[i].addEventListener("mouseleave", function () { light(null); });
  }
})();
`;
