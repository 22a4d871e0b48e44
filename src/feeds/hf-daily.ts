/**
 * Hugging Face Daily Papers: `GET {endpoint}/api/daily_papers?date=YYYY-MM-DD&limit=N&p=K`.
 *
 * The page parameter is `p`, a 0-based page index, next to `limit` (the Hub's OpenAPI
 * description of `GET /api/daily_papers` lists `date`, `limit`, `p`, `sort`, `submitter`).
 * Pages are read until one comes back short or empty; a page that repeats papers already
 * seen means the server ignores paging, and reading stops there.
 */
import { ParseError } from "../errors.js";
import { parseListing } from "../ingest/index.js";
import type { Paper } from "../paper.js";
import { addPage, checkEndpoint, type FeedRun } from "./common.js";

/** The Hub's default address. */
export const HF_DEFAULT_ENDPOINT = "https://huggingface.co";

/** The Hub endpoint: the option, else `$HF_ENDPOINT`, else https://huggingface.co. */
export function hfEndpoint(option: string | undefined, env: NodeJS.ProcessEnv): string {
  if (option !== undefined) return checkEndpoint(option, "endpoint");
  const fromEnv = env.HF_ENDPOINT?.trim();
  return fromEnv ? checkEndpoint(fromEnv, "HF_ENDPOINT") : HF_DEFAULT_ENDPOINT;
}

/** The URL of one page of a day's Daily Papers. */
export function hfDailyUrl(endpoint: string, day: string, limit: number, page: number): string {
  return `${endpoint}/api/daily_papers?date=${day}&limit=${limit}&p=${page}`;
}

/** Days after a listing day during which its Daily Papers page is still revalidated. */
const HF_LAG_DAYS = 1;

/** Parses one page; a body that is not Daily Papers JSON is a ParseError naming the URL. */
function parsePage(body: string, url: string): { papers: Paper[]; entries: number; warnings: ReturnType<typeof parseListing>["warnings"] } {
  if (/^\s*</.test(body)) {
    throw new ParseError(
      `${url}: the server sent HTML or XML, not Hugging Face Daily Papers JSON (an error page?). Check the endpoint, or try again later.`,
    );
  }
  const result = parseListing(body, { format: "hf-json", source: url, onWarning: () => undefined });
  const value = JSON.parse(body) as unknown;
  if (!Array.isArray(value)) {
    throw new ParseError(
      `${url}: expected a JSON array of Daily Papers entries; got ${value === null ? "null" : typeof value}. Check the endpoint.`,
    );
  }
  return { papers: result.papers, entries: value.length, warnings: result.warnings };
}

/** Fetches every page of one day's Hugging Face Daily Papers. */
export async function fetchHfDaily(run: FeedRun): Promise<Paper[]> {
  const endpoint = hfEndpoint(run.options.endpoint, run.env);
  const byId = new Map<string, Paper>();
  for (let page = 0; page < run.maxPages; page++) {
    const url = hfDailyUrl(endpoint, run.day, run.pageSize, page);
    let checked: ReturnType<typeof parsePage> | undefined;
    const { body } = await run.page(url, `the hf-daily listing of ${run.day} (page ${page + 1})`, HF_LAG_DAYS, (text) => {
      checked = parsePage(text, url);
    });
    const parsed = checked ?? parsePage(body, url);
    run.warnings.push(...parsed.warnings);
    const fresh = addPage(run, byId, parsed.papers, (total) => `hf-daily ${run.day}: page ${page + 1}, ${total} papers so far`);
    if (parsed.entries < run.pageSize) break;
    if (fresh === 0) {
      run.notice(
        `${endpoint} sent page ${page + 1} of ${run.day} with only papers already seen: it seems to ignore the page parameter "p"; stopped at ${byId.size} papers.`,
      );
      break;
    }
    if (page + 1 === run.maxPages) {
      run.notice(
        `stopped after ${run.maxPages} pages of the hf-daily listing of ${run.day} (${byId.size} papers); raise maxPages to read more.`,
      );
    }
  }
  return [...byId.values()];
}
