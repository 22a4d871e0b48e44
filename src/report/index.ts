/** Reports: a digest of a library's themes and related papers, rendered as HTML (with a 2-D map), Markdown or JSON. */
export type { Digest, DigestPaper, DigestTheme, DigestRelated, DigestBackgroundPoint, DigestRecommendation } from "./types.js";
export { buildDigest, type DigestOptions, type DigestSource } from "./digest.js";
export { renderHtml, type HtmlOptions } from "./html.js";
export { renderMarkdown } from "./markdown.js";
export { renderJson, DIGEST_JSON_FORMAT, DIGEST_JSON_VERSION } from "./json.js";
export {
  projectMap,
  projectPca,
  projectUmap,
  type MapPoint,
  type ProjectionMethod,
  type MapProjectionOptions,
  type ProjectionOptions,
} from "./projection.js";
