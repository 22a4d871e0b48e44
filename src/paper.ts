import { isIsoDay } from "./ingest/dates.js";

/** One research paper, as every stage of papermap sees it. */
export interface Paper {
  /** Stable id: the arXiv id when known, else a slug of the title (unique within a listing). */
  id: string;
  title: string;
  /** Whitespace collapsed, HTML tags removed, entities decoded. */
  abstract: string;
  /** Author names, when the source has them. */
  authors?: string[];
  /** Number of authors, e.g. from "• 7 authors". */
  authorCount?: number;
  /** Organization line of a Hugging Face listing, e.g. "naver-ai NAVER AI Lab". */
  organization?: string;
  /** ISO date, YYYY-MM-DD. */
  published?: string;
  /** The day the paper appeared in a listing (YYYY-MM-DD). */
  listingDay?: string;
  upvotes?: number;
  /** Number of comments on the paper's Hugging Face page (Daily Papers `numComments`). */
  commentCount?: number;
  url?: string;
}

/** A paper's day: its listing day, else the day it was published (YYYY-MM-DD), if it has one. */
export function paperDay(p: Paper): string | undefined {
  const d = (p.listingDay ?? p.published)?.slice(0, 10);
  return isIsoDay(d) ? d : undefined;
}

/** The text a paper is embedded and indexed as: `title + ". " + abstract`. */
export function paperText(paper: Pick<Paper, "title" | "abstract">): string {
  const title = paper.title.trim().replace(/[.!?:;]+$/, "");
  return `${title}. ${paper.abstract}`;
}

// ---------------------------------------------------------------------------
// Normalisation helpers, shared by every ingest format.
// ---------------------------------------------------------------------------

/**
 * Collapses every run of whitespace (spaces, tabs, line breaks, no-break spaces) to one
 * space, removes zero-width characters, and trims both ends.
 */
export function collapseWhitespace(text: string): string {
  // `/\s{2,}|[^\S ]/` rewrites only what changes; `/\s+/` would also "replace" every single
  // space, which is about 50 times slower on abstracts.
  return text
    .replace(/[\u200B-\u200D\u2060\uFEFF]/g, "")
    .replace(/\s{2,}|[^\S ]/g, " ")
    .trim();
}

/** HTML elements that are removed without leaving a gap (`H<sub>2</sub>O` → `H2O`). */
const INLINE_TAGS = new Set([
  "a",
  "abbr",
  "b",
  "bdi",
  "bdo",
  "big",
  "cite",
  "code",
  "data",
  "del",
  "dfn",
  "em",
  "font",
  "i",
  "ins",
  "kbd",
  "mark",
  "q",
  "s",
  "samp",
  "small",
  "span",
  "strike",
  "strong",
  "sub",
  "sup",
  "time",
  "tt",
  "u",
  "var",
  "wbr",
  "math",
  "mi",
  "mn",
  "mo",
  "ms",
  "mtext",
  "mrow",
  "msub",
  "msup",
  "msubsup",
  "mfrac",
  "msqrt",
  "semantics",
  "annotation",
]);

/** HTML elements that separate words (`a<br>b` → `a b`). */
const BLOCK_TAGS = new Set([
  "address",
  "article",
  "aside",
  "blockquote",
  "br",
  "caption",
  "center",
  "dd",
  "details",
  "div",
  "dl",
  "dt",
  "figcaption",
  "figure",
  "footer",
  "h1",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "header",
  "hr",
  "img",
  "li",
  "main",
  "nav",
  "ol",
  "p",
  "pre",
  "section",
  "summary",
  "table",
  "tbody",
  "td",
  "tfoot",
  "th",
  "thead",
  "tr",
  "ul",
]);

/*
 * A tag is `<name attr="v" ...>` or `</name>` where `name` is a known HTML element and every
 * attribute has a value. Requiring both keeps comparisons in abstracts intact: `FID<2`,
 * `(<4%)`, `a < b and c > d`, `p<q and r>s` are text, not tags.
 */
const TAG_PATTERN = /<(\/?)([A-Za-z][A-Za-z0-9]*)((?:\s+[A-Za-z_:][-A-Za-z0-9_:.]*\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))*)\s*(\/?)>/g;

/**
 * Removes HTML tags and comments while keeping every `<` that does not open a real tag
 * (`FID<2`, `(<4%)` stay as they are). Entities are left alone: see {@link decodeEntities}.
 */
export function stripHtmlTags(text: string): string {
  if (!text.includes("<")) return text;
  return text.replace(/<!--[\s\S]*?-->/g, " ").replace(TAG_PATTERN, (whole, _slash: string, name: string) => {
    const tag = name.toLowerCase();
    if (INLINE_TAGS.has(tag)) return "";
    if (BLOCK_TAGS.has(tag)) return " ";
    return whole;
  });
}

const NAMED_ENTITIES: Record<string, string> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  nbsp: "\u00a0",
  ensp: "\u2002",
  emsp: "\u2003",
  thinsp: "\u2009",
  ndash: "–",
  mdash: "—",
  minus: "−",
  hellip: "…",
  middot: "·",
  bull: "•",
  deg: "°",
  lsquo: "‘",
  rsquo: "’",
  sbquo: "‚",
  ldquo: "“",
  rdquo: "”",
  bdquo: "„",
  laquo: "«",
  raquo: "»",
  times: "×",
  divide: "÷",
  plusmn: "±",
  le: "≤",
  ge: "≥",
  ne: "≠",
  asymp: "≈",
  equiv: "≡",
  infin: "∞",
  sum: "∑",
  prod: "∏",
  radic: "√",
  prime: "′",
  Prime: "″",
  rarr: "→",
  larr: "←",
  harr: "↔",
  rArr: "⇒",
  lArr: "⇐",
  hArr: "⇔",
  uarr: "↑",
  darr: "↓",
  isin: "∈",
  notin: "∉",
  sub: "⊂",
  sup: "⊃",
  cap: "∩",
  cup: "∪",
  forall: "∀",
  exist: "∃",
  empty: "∅",
  nabla: "∇",
  part: "∂",
  int: "∫",
  prop: "∝",
  ang: "∠",
  and: "∧",
  or: "∨",
  not: "¬",
  sim: "∼",
  cong: "≅",
  micro: "µ",
  para: "¶",
  sect: "§",
  copy: "©",
  reg: "®",
  trade: "™",
  euro: "€",
  pound: "£",
  yen: "¥",
  cent: "¢",
  frac12: "½",
  frac14: "¼",
  frac34: "¾",
  sup1: "¹",
  sup2: "²",
  sup3: "³",
  alpha: "α",
  beta: "β",
  gamma: "γ",
  delta: "δ",
  epsilon: "ε",
  zeta: "ζ",
  eta: "η",
  theta: "θ",
  iota: "ι",
  kappa: "κ",
  lambda: "λ",
  mu: "μ",
  nu: "ν",
  xi: "ξ",
  omicron: "ο",
  pi: "π",
  rho: "ρ",
  sigma: "σ",
  sigmaf: "ς",
  tau: "τ",
  upsilon: "υ",
  phi: "φ",
  chi: "χ",
  psi: "ψ",
  omega: "ω",
  Alpha: "Α",
  Beta: "Β",
  Gamma: "Γ",
  Delta: "Δ",
  Epsilon: "Ε",
  Zeta: "Ζ",
  Eta: "Η",
  Theta: "Θ",
  Iota: "Ι",
  Kappa: "Κ",
  Lambda: "Λ",
  Mu: "Μ",
  Nu: "Ν",
  Xi: "Ξ",
  Omicron: "Ο",
  Pi: "Π",
  Rho: "Ρ",
  Sigma: "Σ",
  Tau: "Τ",
  Upsilon: "Υ",
  Phi: "Φ",
  Chi: "Χ",
  Psi: "Ψ",
  Omega: "Ω",
  auml: "ä",
  ouml: "ö",
  uuml: "ü",
  Auml: "Ä",
  Ouml: "Ö",
  Uuml: "Ü",
  szlig: "ß",
  eacute: "é",
  egrave: "è",
  ecirc: "ê",
  aacute: "á",
  agrave: "à",
  acirc: "â",
  iacute: "í",
  oacute: "ó",
  uacute: "ú",
  ntilde: "ñ",
  ccedil: "ç",
  Eacute: "É",
  aring: "å",
  oslash: "ø",
  aelig: "æ",
  shy: "",
  zwj: "",
  zwnj: "",
  lrm: "",
  rlm: "",
};

/**
 * Decodes HTML character references: the common named entities (`&amp;`, `&nbsp;`,
 * `&ndash;`, Greek letters, ...) and numeric ones (`&#8804;`, `&#x2264;`). Unknown names
 * and invalid code points are left as written.
 */
export function decodeEntities(text: string): string {
  if (!text.includes("&")) return text;
  return text.replace(/&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});/g, (whole, body: string) => {
    if (body[0] === "#") {
      const code = body[1] === "x" || body[1] === "X" ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      if (!Number.isFinite(code) || code <= 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return whole;
      return String.fromCodePoint(code);
    }
    const decoded = NAMED_ENTITIES[body];
    return decoded === undefined ? whole : decoded;
  });
}

/**
 * The normal form of every title and abstract: HTML tags removed (bare `<` kept), entities
 * decoded, Unicode NFC, whitespace collapsed.
 */
export function cleanText(text: string): string {
  const decoded = decodeEntities(stripHtmlTags(text));
  return collapseWhitespace(/[^\u0000-\u007f]/.test(decoded) ? decoded.normalize("NFC") : decoded);
}

/** FNV-1a 32-bit hash of a string, as 8 hex digits (stable across runs and platforms). */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, "0");
}

/**
 * A URL- and file-name-safe slug of a title: lower case, accents removed, letters and digits
 * of any script kept, everything else turned into single hyphens, at most `maxLength`
 * characters (cut at a hyphen). A title with no letter or digit at all gets
 * `paper-<hash of the title>`.
 *
 * @example titleSlug("ELECTRA: Pre-training Text Encoders") === "electra-pre-training-text-encoders"
 */
export function titleSlug(title: string, maxLength = 80): string {
  const slug = title
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, "-")
    .replace(/^-+|-+$/g, "");
  if (slug === "") return `paper-${fnv1a(title)}`;
  if (slug.length <= maxLength) return slug;
  const cut = slug.slice(0, maxLength + 1);
  const lastHyphen = cut.lastIndexOf("-");
  return (lastHyphen > maxLength / 2 ? cut.slice(0, lastHyphen) : slug.slice(0, maxLength)).replace(/-+$/, "");
}

/** New-style arXiv id (`0704.0001`, `2502.07490`): YYMM.NNNN(N), month checked. */
const NEW_ARXIV_ID = String.raw`\d{2}(?:0[1-9]|1[0-2])\.\d{4,5}`;
/** Old-style arXiv id (`hep-th/9901001`, `math.GT/0309136`). */
const OLD_ARXIV_ID = String.raw`[a-z]+(?:-[a-z]+)?(?:\.[A-Z]{2})?\/\d{2}(?:0[1-9]|1[0-2])\d{3}`;
const BARE_ARXIV_ID = new RegExp(String.raw`^(?:arxiv:\s*)?(${NEW_ARXIV_ID}|${OLD_ARXIV_ID})(?:v\d+)?$`, "i");
const URL_ARXIV_ID = new RegExp(
  String.raw`^(?:https?:\/\/)?(?:[\w-]+\.)*(?:arxiv\.org\/(?:abs|pdf|html|format)|huggingface\.co\/papers|alphaxiv\.org\/(?:abs|overview))\/(${NEW_ARXIV_ID}|${OLD_ARXIV_ID})(?:v\d+)?(?:\.pdf)?(?:[/?#].*)?$`,
  "i",
);

/**
 * The versionless arXiv id in a bare id (`2502.07490v2`, `arXiv:2502.07490`,
 * `hep-th/9901001v1`) or an arXiv / Hugging Face paper URL
 * (`https://arxiv.org/abs/2502.07490v2`, `http://arxiv.org/pdf/2502.07490v1.pdf`,
 * `https://huggingface.co/papers/2502.07490`); `undefined` when the value holds none.
 */
export function arxivIdFrom(value: string): string | undefined {
  const text = value.trim();
  const match = BARE_ARXIV_ID.exec(text) ?? URL_ARXIV_ID.exec(text);
  if (!match) return undefined;
  const id = match[1];
  // Old-style ids keep their archive in lower case and the subject class in upper case.
  const slash = id.indexOf("/");
  if (slash < 0) return id;
  const [archive, subject] = id.slice(0, slash).split(".");
  return `${archive.toLowerCase()}${subject ? "." + subject.toUpperCase() : ""}${id.slice(slash)}`;
}

/** The abstract page of an arXiv paper: `https://arxiv.org/abs/<id>`. */
export function arxivAbsUrl(arxivId: string): string {
  return `https://arxiv.org/abs/${arxivId}`;
}
