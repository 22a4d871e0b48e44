/**
 * "What should I read today?": keep the papers you liked in the library, then ask each
 * morning for the day's papers that match them (with the liked paper each is closest to
 * and the words they share). Uses the shipped listing; saves the library to ./my-library.
 *
 *   npx tsx examples/reading-list.ts
 */
// In your project: import { PaperLibrary, loadDefaultListing } from "papermap";
import { loadDefaultListing } from "../src/ingest/index.js";
import { PaperLibrary } from "../src/library.js";

const library = await PaperLibrary.create(await loadDefaultListing(), { embedder: "lexical" });

// Papers you liked (here: found by a search; usually ids you clicked) and one you did not want.
const [speech] = await library.search("speech tokenizer for audio language models", { k: 1 });
const [video] = await library.search("video generation with diffusion transformers", { k: 1 });
const [notForMe] = await library.search("reinforcement learning for reasoning", { k: 1 });
await library.collections.add("liked", [speech.paper.id, video.paper.id]);
await library.collections.add("disliked", [notForMe.paper.id]);
await library.save("my-library"); // the collections are saved with the library

// Each morning: one day's papers, ranked by what you liked (here the busiest day of the listing).
const perDay = new Map<string, number>();
for (const p of library.papers()) if (p.published) perDay.set(p.published, (perDay.get(p.published) ?? 0) + 1);
const today = [...perDay.entries()].sort((a, b) => b[1] - a[1] || b[0].localeCompare(a[0]))[0][0];
const picks = await library.recommend({ k: 5, filter: { from: today, to: today } });
console.log(`Recommended for ${today}, from ${library.collections.get("liked").length} liked papers:\n`);
for (const hit of picks) {
  const closest = hit.why.closestLiked[0];
  console.log(`${hit.score.toFixed(2)}  ${hit.paper.title}`);
  console.log(`      like: ${closest.title} (similarity ${closest.similarity.toFixed(2)})`);
  if (hit.why.sharedWords.length > 0) console.log(`      shared words: ${hit.why.sharedWords.join(", ")}`);
}

// Likes in two unrelated subjects get both, in proportion; without a filter, the whole library.
const anyDay = await library.recommend({ k: 6, diversity: 0.3 });
console.log(`\nAny day (diversity 0.3): ${anyDay.map((h) => h.paper.id).join(", ")}`);
