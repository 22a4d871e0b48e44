/**
 * Find papers related to one paper of the shipped listing.
 *
 *   npx tsx examples/related-papers.ts                 # papers like "DivPrune"
 *   npx tsx examples/related-papers.ts "CosyVoice"     # a name, a title, or a paper id
 */
// In your project: import { PaperLibrary, loadDefaultListing } from "papermap";
import { loadDefaultListing } from "../src/ingest/index.js";
import { PaperLibrary } from "../src/library.js";

const wanted = process.argv[2] ?? "DivPrune";

// "auto": a neural model if one can be loaded, else the built-in lexical embedder (said once).
const library = await PaperLibrary.create(await loadDefaultListing());

// search() puts a paper named exactly (id, title, or the name before a colon) first.
const [source] = await library.search(wanted, { k: 1 });
if (!source) {
  console.error(`No paper matches "${wanted}".`);
  process.exit(1);
}
const paper = source.paper;
console.log(`Papers related to: ${paper.title}\n`);

for (const hit of await library.related(paper.id, { k: 5 })) {
  console.log(`  ${hit.score.toFixed(2)}  ${hit.paper.title}`);
  console.log(`        similarity ${hit.similarity.toFixed(2)} · shared words: ${hit.matchedTerms.slice(0, 6).join(", ") || "—"}`);
}

// The same, but spread out (maximal marginal relevance) and limited to 2025.
console.log(`\nMore varied, published in 2025:`);
for (const hit of await library.related(paper.id, { k: 5, diversity: 0.4, filter: { from: "2025" } })) {
  console.log(`  ${hit.score.toFixed(2)}  ${hit.paper.published}  ${hit.paper.title}`);
}
