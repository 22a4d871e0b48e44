/**
 * Writes a digest of the shipped listing: digest.html (self-contained, with a map of the
 * papers coloured by theme) and digest.md (the same without the map), in the current folder.
 *
 *   npx tsx examples/digest.ts
 */
import { writeFile } from "node:fs/promises";
// In your project: import { PaperLibrary, buildDigest, loadDefaultListing, renderHtml, renderMarkdown } from "papermap";
import { loadDefaultListing } from "../src/ingest/index.js";
import { PaperLibrary } from "../src/library.js";
import { buildDigest, renderHtml, renderMarkdown } from "../src/report/index.js";

const library = await PaperLibrary.create(await loadDefaultListing(), { embedder: "lexical" });
const digest = await buildDigest(library, {
  title: "Papers about tokens",
  themes: { k: "auto" },
  relatedPerPaper: 3, // related papers listed under each paper
  map: "umap", // or "pca", or false for no map
});
await writeFile("digest.html", renderHtml(digest));
await writeFile("digest.md", renderMarkdown(digest));
console.log(`Wrote digest.html and digest.md: ${digest.papers.length} papers in ${digest.themes.length} themes.`);
