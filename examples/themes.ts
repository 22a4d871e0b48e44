/**
 * The themes of a listing: label, size, keywords and the three most typical papers.
 *
 *   npx tsx examples/themes.ts                 # the shipped listing
 *   npx tsx examples/themes.ts my-listing.txt                   # your own listing
 */
// In your project: import { PaperLibrary, loadDefaultListing, readListing } from "papermap";
import { loadDefaultListing, readListing } from "../src/ingest/index.js";
import { PaperLibrary } from "../src/library.js";

const file = process.argv[2];
const papers = file ? (await readListing(file)).papers : await loadDefaultListing();
const library = await PaperLibrary.create(papers); // "auto": a neural model if one loads, else lexical

const { themes, assignments } = await library.themes(); // k: "auto"
for (const theme of themes) {
  console.log(`${theme.label} (${theme.size} papers)`);
  console.log(`  keywords: ${theme.keywords.join(", ")}`);
  for (const paper of theme.representative) console.log(`  - ${paper.title}`);
}

// Papers that fit their theme least (low confidence): worth a look of their own.
const loose = [...assignments].sort((a, b) => a[1].confidence - b[1].confidence).slice(0, 3);
console.log("\nLoosest fits:");
for (const [id, { confidence }] of loose) console.log(`  ${confidence.toFixed(2)}  ${library.get(id)?.title}`);
