/**
 * Search a listing, then save the library and reopen it without embedding again.
 *
 *   npx tsx examples/search-and-save.ts
 */
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
// In your project: import { PaperLibrary, loadDefaultListing } from "papermap";
import { loadDefaultListing } from "../src/ingest/index.js";
import { PaperLibrary } from "../src/library.js";

const library = await PaperLibrary.create(await loadDefaultListing());

const query = "speech tokenizers for audio language models";
console.log(`Search: ${query}`);
for (const hit of await library.search(query, { k: 5, diversity: 0.3 })) {
  console.log(`  ${hit.score.toFixed(2)}  ${hit.paper.title}`);
  console.log(`        similarity ${hit.similarity.toFixed(2)} · matched: ${hit.matchedTerms.join(", ") || "—"}`);
}

// Filters: only papers published in 2025, and only papers with at least 2 upvotes.
const from2025 = await library.search("visual token pruning", { k: 3, filter: { from: "2025" } });
console.log(`\nVisual token pruning, 2025 only:`);
for (const hit of from2025) console.log(`  ${hit.paper.published}  ${hit.paper.title}`);
const upvoted = await library.search("tokenizers", { k: 3, filter: { minUpvotes: 2 } });
console.log(`Tokenizers, at least 2 upvotes:`);
for (const hit of upvoted) console.log(`  ${hit.paper.upvotes} upvotes  ${hit.paper.title}`);

const dir = await mkdtemp(path.join(os.tmpdir(), "papermap-example-"));
try {
  await library.save(dir);
  const reopened = await PaperLibrary.open(dir);
  const again = await reopened.search(query, { k: 5, diversity: 0.3 });
  console.log(
    `\nReopened from ${dir}: ${reopened.size} papers, same top hit: ${again[0]?.paper.id === (await library.search(query, { k: 5, diversity: 0.3 }))[0]?.paper.id}`,
  );
} finally {
  await rm(dir, { recursive: true, force: true });
}
