/** Escapes text for HTML element content and (double- or single-quoted) attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ENTITIES[c]);
}

const HTML_ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/**
 * Escapes text for inline Markdown (CommonMark): backslash before every character that
 * could start emphasis, a link, code, raw HTML, an entity or a table cell, and line breaks
 * collapsed to spaces so that a title cannot start a new block.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/\s+/g, " ")
    .replace(/[\\`*_[\]<>|~&]/g, "\\$&")
    .replace(/^(\s*)([-=+#])/, "$1\\$2")
    .replace(/^(\s*\d+)\./, "$1\\.");
}

/** Escapes a URL for use as a Markdown link destination (angle-bracket form). */
export function markdownUrl(url: string): string {
  return `<${url.replace(/[<>\s\\]/g, (c) => encodeURIComponent(c))}>`;
}
