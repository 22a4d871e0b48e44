/**
 * arXiv: a day's new submissions in some categories through the arXiv API (Atom),
 * `search_query=(cat:cs.CV OR cat:cs.CL) AND submittedDate:[YYYYMMDD0000 TO YYYYMMDD2359]`,
 * paged with `start` / `max_results`. arXiv's terms of use ask for at most one request every
 * 3 seconds: every request to the arXiv host (pages, retries, concurrent calls in this
 * process) waits its turn in one process-wide queue.
 */
import { FetchError, InvalidArgumentError, ParseError } from "../errors.js";
import { parseListing } from "../ingest/index.js";
import type { Paper } from "../paper.js";
import { addPage, checkEndpoint, type FeedRun } from "./common.js";
import { politeTurn } from "./schedule.js";

/** The arXiv API's address. */
export const ARXIV_DEFAULT_ENDPOINT = "https://export.arxiv.org/api/query";

/** Least time between two requests to the arXiv API, as its terms of use ask. */
export const ARXIV_DEFAULT_SPACING_MS = 3_000;

/** Days after a submission day during which its arXiv listing is still revalidated (announcements lag submissions, weekends included). */
const ARXIV_LAG_DAYS = 4;

/** The arXiv endpoint: the option, else `$PAPERMAP_ARXIV_ENDPOINT`, else the arXiv API. */
export function arxivEndpoint(option: string | undefined, env: NodeJS.ProcessEnv): string {
  if (option !== undefined) return checkEndpoint(option, "endpoint");
  const fromEnv = env.PAPERMAP_ARXIV_ENDPOINT?.trim();
  return fromEnv ? checkEndpoint(fromEnv, "PAPERMAP_ARXIV_ENDPOINT") : ARXIV_DEFAULT_ENDPOINT;
}

const CATEGORY = /^[a-z]+(?:-[a-z]+)?(?:\.[A-Za-z]+(?:-[A-Za-z]+)?)?$/;

/** The categories, checked (`cs.CV`, `math.AG`, `hep-th`, `astro-ph.CO`) and without repeats. */
export function checkCategories(categories: readonly string[] | undefined): string[] {
  const list = [...new Set((categories ?? []).map((c) => String(c).trim()).filter((c) => c !== ""))];
  if (list.length === 0) {
    throw new InvalidArgumentError('arXiv needs at least one category, e.g. categories: ["cs.CV", "cs.CL"] (--category cs.CV,cs.CL).');
  }
  const bad = list.find((c) => !CATEGORY.test(c));
  if (bad !== undefined)
    throw new InvalidArgumentError(`"${bad}" is not an arXiv category; write them like cs.CV, cs.CL, math.AG or hep-th.`);
  return list;
}

/** The `search_query` of a day in some categories. */
export function arxivQuery(categories: readonly string[], day: string): string {
  const compact = day.replace(/-/g, "");
  const cats = categories.map((c) => `cat:${c}`).join(" OR ");
  return `(${cats}) AND submittedDate:[${compact}0000 TO ${compact}2359]`;
}

/** The URL of one page. */
export function arxivUrl(endpoint: string, categories: readonly string[], day: string, start: number, maxResults: number): string {
  const query = encodeURIComponent(arxivQuery(categories, day));
  return `${endpoint}?search_query=${query}&start=${start}&max_results=${maxResults}&sortBy=submittedDate&sortOrder=ascending`;
}

interface AtomPage {
  papers: Paper[];
  entries: number;
  total: number | undefined;
  warnings: ReturnType<typeof parseListing>["warnings"];
}

function parsePage(body: string, url: string): AtomPage {
  if (!/^\s*(<\?xml[^>]*\?>\s*)?(<!--[\s\S]*?-->\s*)*<feed[\s>]/.test(body)) {
    const start = body.trimStart().slice(0, 60).replace(/\s+/g, " ");
    throw new ParseError(
      `${url}: expected an arXiv Atom feed (<feed>); the body starts with "${start}" (an error page?). Check the endpoint, or try again later.`,
    );
  }
  const result = parseListing(body, { format: "arxiv-atom", source: url, onWarning: () => undefined });
  const entries = body.match(/<entry[\s>]/g)?.length ?? 0;
  const total = /<(?:opensearch:)?totalResults[^>]*>\s*(\d+)\s*</.exec(body);
  return { papers: result.papers, entries, total: total ? Number(total[1]) : undefined, warnings: result.warnings };
}

/** An empty page although the feed reports more results: a known passing fault of the arXiv API. */
class EmptyPageError extends Error {
  constructor(readonly total: number) {
    super("empty page");
  }
}

/** Times a page that came back empty against its own `totalResults` is asked for again. */
const EMPTY_PAGE_RETRIES = 2;

/** Fetches every page of one day's submissions in the run's categories. */
export async function fetchArxiv(run: FeedRun): Promise<Paper[]> {
  const endpoint = arxivEndpoint(run.options.endpoint, run.env);
  const categories = checkCategories(run.options.categories);
  const spacingMs = run.options.spacingMs ?? ARXIV_DEFAULT_SPACING_MS;
  if (!Number.isFinite(spacingMs) || spacingMs < 0) throw new InvalidArgumentError(`spacingMs must be a number ≥ 0; got ${spacingMs}.`);
  const host = new URL(endpoint).host;
  const turn = (): Promise<() => void> =>
    politeTurn(host, spacingMs, (waitMs) =>
      run.progress?.({
        stage: "wait",
        done: waitMs,
        unit: "ms",
        message: `waiting ${(waitMs / 1000).toFixed(1)} s before the next request to ${host} (arXiv asks for one request every ${spacingMs / 1000} s)`,
      }),
    );
  const label = categories.join(",");
  const byId = new Map<string, Paper>();
  for (let page = 0, start = 0; page < run.maxPages; page++) {
    const url = arxivUrl(endpoint, categories, run.day, start, run.pageSize);
    let parsed: AtomPage | undefined;
    for (let attempt = 0; parsed === undefined; attempt++) {
      let checked: AtomPage | undefined;
      try {
        const { body } = await run.page(
          url,
          `the arXiv listing of ${label} on ${run.day} (page ${page + 1})`,
          ARXIV_LAG_DAYS,
          (text) => {
            checked = parsePage(text, url);
            // Not cached: the same page is asked for again.
            if (checked.entries === 0 && checked.total !== undefined && checked.total > start) throw new EmptyPageError(checked.total);
          },
          turn,
        );
        parsed = checked ?? parsePage(body, url);
      } catch (error) {
        if (!(error instanceof EmptyPageError)) throw error;
        if (attempt >= EMPTY_PAGE_RETRIES) {
          throw new FetchError(
            `${url}: the arXiv API sent an empty page ${attempt + 1} times although it reports ${error.total} results; it does this now and then. Try again in a few minutes.`,
            url,
            200,
          );
        }
        run.progress?.({
          stage: "wait",
          done: attempt + 1,
          unit: "retries",
          message: `arXiv sent an empty page ${page + 1} although it reports ${error.total} results; asking again`,
        });
      }
    }
    run.warnings.push(...parsed.warnings.filter((w) => w.kind !== "duplicate-id"));
    const fresh = addPage(
      run,
      byId,
      parsed.papers,
      (total) =>
        `arxiv ${label} ${run.day}: page ${page + 1}, ${total} papers so far${parsed.total !== undefined ? ` (${parsed.total} in all)` : ""}`,
    );
    start += parsed.entries;
    if (parsed.entries < run.pageSize || (parsed.total !== undefined && start >= parsed.total)) break;
    if (fresh === 0) {
      run.notice(
        `${host} sent page ${page + 1} of ${run.day} with only papers already seen: it seems to ignore "start"; stopped at ${byId.size} papers.`,
      );
      break;
    }
    if (page + 1 === run.maxPages) {
      run.notice(
        `stopped after ${run.maxPages} pages of the arXiv listing of ${run.day} (${byId.size} papers); raise maxPages to read more.`,
      );
    }
  }
  return [...byId.values()];
}
