import type { Digest } from "./types.js";

/** Format tag and version of {@link renderJson}'s output. */
export const DIGEST_JSON_FORMAT = "papermap-digest";
export const DIGEST_JSON_VERSION = 1;

/**
 * Renders a digest as pretty-printed JSON: `{ format: "papermap-digest", version: 1, ...digest }`
 * — themes (ids, labels, keywords, sizes, member ids) and papers (the full paper, its
 * theme, confidence, related papers and map position).
 */
export function renderJson(digest: Digest): string {
  return `${JSON.stringify({ format: DIGEST_JSON_FORMAT, version: DIGEST_JSON_VERSION, ...digest }, null, 2)}\n`;
}
