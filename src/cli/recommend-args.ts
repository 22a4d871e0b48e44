/**
 * Command-line specs of `like`, `dislike` and `recommend` (kept apart from their
 * implementation in `recommend.ts`, so that help and usage errors load nothing heavy).
 */

type OptionSpec = { type: "string" | "boolean"; short?: string; multiple?: boolean };

const COMMON: Record<string, OptionSpec> = {
  library: { type: "string" },
  help: { type: "boolean", short: "h" },
  quiet: { type: "boolean", short: "q" },
};

const COMMON_HELP = `  --library <dir>          the saved library (from \`papermap index\`); required
  -q, --quiet              no progress or notices on stderr
  -h, --help               show this help`;

export const RECOMMEND_COMMANDS = {
  like: {
    summary: "remember papers you liked (for recommend)",
    usage: "papermap like <paper id | title fragment>… [--collection name] --library dir",
    positionals: { min: 1, name: "paper" },
    options: { ...COMMON, collection: { type: "string" } } as Record<string, OptionSpec>,
    help: `Adds papers to a collection of the library (default "liked") and saves the library.
\`papermap recommend\` then suggests papers like them. Each argument is a paper id (or
arXiv id / URL), a full title, or a fragment of exactly one title. A paper liked into
"liked" leaves "disliked".

Options:
  --collection <name>      the collection to add to (default "liked"), e.g. reading-list
${COMMON_HELP}`,
  },
  dislike: {
    summary: "remember papers you did not want (for recommend)",
    usage: "papermap dislike <paper id | title fragment>… --library dir",
    positionals: { min: 1, name: "paper" },
    options: { ...COMMON },
    help: `Adds papers to the library's "disliked" collection (and takes them out of "liked")
and saves the library. \`papermap recommend\` then ranks papers like them lower.

Options:
${COMMON_HELP}`,
  },
  recommend: {
    summary: "papers to read next, from the ones you liked",
    usage: "papermap recommend [--collection name] [--day yyyy-mm-dd | --from … --to …] [--k 20] [--json] --library dir",
    positionals: { min: 0, max: 0, name: "" },
    options: {
      ...COMMON,
      collection: { type: "string" },
      day: { type: "string" },
      from: { type: "string" },
      to: { type: "string" },
      k: { type: "string" },
      diversity: { type: "string" },
      json: { type: "boolean" },
    } as Record<string, OptionSpec>,
    help: `Ranks the library's papers by what you liked (\`papermap like\`; the "liked"
collection unless --collection says otherwise), with papers you disliked
(\`papermap dislike\`) pushed down. Liked and disliked papers are never listed. Each
paper shows the liked paper it is closest to and the words they share.

Options:
  --collection <name>      the liked papers: this collection instead of "liked"
  --day <yyyy-mm-dd>       only papers of that day (e.g. today's listing)
  --from <yyyy-mm-dd>      only papers published on or after this date
  --to <yyyy-mm-dd>        only papers published on or before this date
  --k <n>                  number of papers (default 20)
  --diversity <0..1>       skip near-duplicates (MMR; 0.3 is a good start)
  --json                   print JSON
${COMMON_HELP}`,
  },
};
