/** Command-line specs of `papermap fetch` and `papermap daily` (kept light: no implementation here). */

type OptionSpec = { type: "string" | "boolean"; short?: string; multiple?: boolean };

const FEED_OPTIONS: Record<string, OptionSpec> = {
  date: { type: "string" },
  category: { type: "string" },
  endpoint: { type: "string" },
  offline: { type: "boolean" },
  help: { type: "boolean", short: "h" },
  quiet: { type: "boolean", short: "q" },
};

const FEED_HELP = `  --date <yyyy-mm-dd>      the listing day (default: today, UTC)
  --category <list>        arXiv categories, comma-separated, e.g. cs.CV,cs.CL
  --endpoint <url>         another server (default: $HF_ENDPOINT or https://huggingface.co
                           for hf-daily; $PAPERMAP_ARXIV_ENDPOINT or the arXiv API)
  --offline                read only from the cache (also PAPERMAP_OFFLINE=1)
  -q, --quiet              no progress or notices on stderr
  -h, --help               show this help

Responses are cached under the papermap cache folder ($PAPERMAP_CACHE_DIR, else
~/.cache/papermap), in feeds/: a past day is served from there without a request.
arXiv is asked at most once every 3 seconds, as its terms of use request.`;

export const FEED_COMMANDS = {
  fetch: {
    summary: "fetch a day's listing from Hugging Face Daily Papers or arXiv",
    usage: "papermap fetch hf-daily|arxiv [--category cs.CV,cs.CL] [--date yyyy-mm-dd] [--out day.jsonl]",
    positionals: { min: 1, max: 1, name: "source (hf-daily or arxiv)" },
    options: { ...FEED_OPTIONS, out: { type: "string", short: "o" } } as Record<string, OptionSpec>,
    help: `Fetches one day's listing and writes its papers as JSONL (one JSON paper per line),
to stdout or to --out. Sources: hf-daily (Hugging Face Daily Papers) and arxiv (the
day's new submissions in --category).

Options:
  -o, --out <file>         write the JSONL to this file instead of stdout
${FEED_HELP}`,
  },
  daily: {
    summary: "fetch today's papers, add them to a library and write the day's digest",
    usage: "papermap daily --library <dir> [--source hf-daily|arxiv] [--category …] [--date …] [--out-dir dir]",
    positionals: { min: 0, max: 0, name: "argument" },
    options: {
      ...FEED_OPTIONS,
      source: { type: "string" },
      library: { type: "string" },
      "out-dir": { type: "string" },
      embedder: { type: "string" },
    } as Record<string, OptionSpec>,
    help: `The command for cron: fetches a day's listing, adds its new papers to the library in
--library (created when the folder has none; a paper seen before is updated only if it
changed), saves it atomically, and writes digest-YYYY-MM-DD.html of that day's papers to
the current folder or --out-dir. Running it again for the same day changes nothing.

Options:
  --library <dir>          the library folder (required)
  --source <name>          hf-daily (default) or arxiv
  --out-dir <dir>          where to write the digest (default: the current folder)
  --embedder <name>        for a new library: auto (default), lexical or a model id
${FEED_HELP}`,
  },
};
