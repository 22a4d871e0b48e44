import { parseArgs, type ParseArgsConfig } from "node:util";
import { UsageError } from "./errors.js";
import { RECOMMEND_COMMANDS } from "./recommend-args.js";
import { FEED_COMMANDS } from "./fetch-args.js";

type OptionSpec = { type: "string" | "boolean"; short?: string; multiple?: boolean };

interface CommandSpec {
  summary: string;
  usage: string;
  positionals: { min: number; max?: number; name: string };
  options: Record<string, OptionSpec>;
  help: string;
}

const SOURCE_OPTIONS: Record<string, OptionSpec> = {
  library: { type: "string" },
  "input-format": { type: "string" },
  "reference-year": { type: "string" },
};
const EMBEDDER_OPTIONS: Record<string, OptionSpec> = {
  embedder: { type: "string" },
  "model-path": { type: "string" },
  offline: { type: "boolean" },
  "cache-dir": { type: "string" },
  "no-cache": { type: "boolean" },
};
const COMMON_OPTIONS: Record<string, OptionSpec> = {
  help: { type: "boolean", short: "h" },
  quiet: { type: "boolean", short: "q" },
};
const FILTER_OPTIONS: Record<string, OptionSpec> = {
  from: { type: "string" },
  to: { type: "string" },
  "min-upvotes": { type: "string" },
};

const SOURCE_HELP = `Papers come from:
  [listing…]               listing files (Hugging Face papers page copied as text, HF
                           Daily Papers JSON, arXiv Atom XML, JSON, JSONL or CSV); several
                           are merged. Default: the listing shipped with papermap.
  --library <dir>          a library saved by \`papermap index\` (no re-embedding)
  --input-format <fmt>     hf-text | hf-json | arxiv-atom | json | jsonl | csv
                           (default: detected from the content)
  --reference-year <yyyy>  year of "Feb 11"-style dates without a year (hf-text)`;

const EMBEDDER_HELP = `Embeddings (when papers come from listings):
  --embedder <name>        auto (default: a local neural model if one can be loaded,
                           else the built-in lexical embedder), lexical, or a Hugging
                           Face model id such as Xenova/bge-small-en-v1.5
  --model-path <dir>       load the neural model from this folder (no network)
  --offline                never touch the network
  --cache-dir <dir>        where embeddings and models are cached
  --no-cache               do not read or write the embedding cache`;

const COMMON_HELP = `  -q, --quiet              no progress or notices on stderr
  -h, --help               show this help`;

const FILTER_HELP = `  --from <yyyy-mm-dd>      only papers published on or after this date
  --to <yyyy-mm-dd>        only papers published on or before this date
  --min-upvotes <n>        only papers with at least n upvotes`;

export const COMMANDS: Record<string, CommandSpec> = {
  themes: {
    summary: "group papers into named themes",
    usage: "papermap themes [listing…] [--library dir] [--k n|auto] [--json]",
    positionals: { min: 0, name: "listing" },
    options: {
      ...SOURCE_OPTIONS,
      ...EMBEDDER_OPTIONS,
      ...COMMON_OPTIONS,
      k: { type: "string" },
      seed: { type: "string" },
      "min-size": { type: "string" },
      json: { type: "boolean" },
    },
    help: `Groups the papers into themes and prints, for each, its label, size, keywords and
three representative titles.

Options:
  --k <n|auto>             number of themes (default: auto)
  --seed <n>               clustering seed (default: the library's)
  --min-size <n>           merge themes smaller than this into their nearest theme
  --json                   print JSON (themes with paper ids, and every assignment)
${COMMON_HELP}

${SOURCE_HELP}

${EMBEDDER_HELP}`,
  },
  search: {
    summary: "find papers matching a query",
    usage: 'papermap search "query" [listing…] [--library dir] [--k n] [--mode hybrid|vector|keyword]',
    positionals: { min: 1, name: "query" },
    options: {
      ...SOURCE_OPTIONS,
      ...EMBEDDER_OPTIONS,
      ...COMMON_OPTIONS,
      ...FILTER_OPTIONS,
      k: { type: "string" },
      mode: { type: "string" },
      diversity: { type: "string" },
      json: { type: "boolean" },
    },
    help: `Ranks the papers against a natural-language query (or a paper's exact name or
arXiv id) and prints each hit with its score and why it matched.

Options:
  --k <n>                  number of results (default 10)
  --mode <mode>            hybrid (default: vectors fused with BM25 keywords),
                           vector, or keyword
  --diversity <0..1>       skip near-duplicate results (MMR; 0.3 is a good start)
${FILTER_HELP}
  --json                   print JSON
${COMMON_HELP}

${SOURCE_HELP}

${EMBEDDER_HELP}`,
  },
  related: {
    summary: "list the papers most related to one paper",
    usage: "papermap related <paper id | title fragment> [listing…] [--library dir] [--k n]",
    positionals: { min: 1, name: "paper" },
    options: {
      ...SOURCE_OPTIONS,
      ...EMBEDDER_OPTIONS,
      ...COMMON_OPTIONS,
      ...FILTER_OPTIONS,
      k: { type: "string" },
      mode: { type: "string" },
      diversity: { type: "string" },
      json: { type: "boolean" },
    },
    help: `Lists the papers most related to one paper, given by its id (e.g. an arXiv id) or
by a fragment of its title. A fragment that matches several titles lists them and
exits with status 1: repeat with a longer fragment or the id.

Options:
  --k <n>                  number of results (default 10)
  --mode <mode>            hybrid (default), vector, or keyword
  --diversity <0..1>       skip near-duplicate results (MMR)
${FILTER_HELP}
  --json                   print JSON
${COMMON_HELP}

${SOURCE_HELP}

${EMBEDDER_HELP}`,
  },
  index: {
    summary: "embed listings and save them as a library",
    usage: "papermap index <listing…> --out <dir> [--embedder lexical|auto|<model id>]",
    positionals: { min: 1, name: "listing" },
    options: {
      ...SOURCE_OPTIONS,
      ...EMBEDDER_OPTIONS,
      ...COMMON_OPTIONS,
      out: { type: "string", short: "o" },
    },
    help: `Embeds the papers of one or more listings and saves the library (papers, vectors,
HNSW index, embedder state) to a folder. Later commands take --library <dir> and
reuse it without embedding again.

Options:
  -o, --out <dir>          folder to write the library to (required)
${COMMON_HELP}

${SOURCE_HELP.replace(/\n {2}--library[^\n]*/, "")}

${EMBEDDER_HELP}`,
  },
  report: {
    summary: "write a digest (HTML with a map, Markdown or JSON)",
    usage: "papermap report [listing…] [--library dir] --out <file> [--format html|md|json] [--day YYYY-MM-DD]",
    positionals: { min: 0, name: "listing" },
    options: {
      ...SOURCE_OPTIONS,
      ...EMBEDDER_OPTIONS,
      ...COMMON_OPTIONS,
      out: { type: "string", short: "o" },
      format: { type: "string" },
      k: { type: "string" },
      seed: { type: "string" },
      related: { type: "string" },
      title: { type: "string" },
      map: { type: "string" },
      day: { type: "string" },
    },
    help: `Writes a digest of the papers: one section per theme (label, keywords, papers with
dates and upvotes, each paper's top related papers). The HTML digest also has a 2-D
map of the papers coloured by theme; it is one self-contained file that opens from
disk.

Options:
  -o, --out <file>         file to write (required)
  --format <fmt>           html | md | json (default: from the file extension, else html)
  --k <n|auto>             number of themes (default: auto)
  --seed <n>               clustering seed
  --related <n>            related papers listed under each paper (default 3)
  --title <text>           heading of the digest
  --map <method>           umap (default), pca, or none
  --day <YYYY-MM-DD>       only that day's papers, in the library's saved themes: new
                           themes first, emerging ones flagged, each with its history
${COMMON_HELP}

${SOURCE_HELP}

${EMBEDDER_HELP}`,
  },
  start: {
    summary: "tour: themes, a search and related papers of a listing, and digest.html",
    usage: "papermap start [listing…] [--out digest.html]",
    positionals: { min: 0, name: "listing" },
    options: {
      ...SOURCE_OPTIONS,
      ...EMBEDDER_OPTIONS,
      ...COMMON_OPTIONS,
      out: { type: "string", short: "o" },
    },
    help: `A tour of papermap (what \`npm start\` runs): loads the shipped listing (or yours),
prints its themes, one example search and one example related-papers list, and writes
an HTML digest with a map to digest.html in the current folder.

Options:
  -o, --out <file>         where to write the digest (default digest.html)
${COMMON_HELP}

${SOURCE_HELP}

${EMBEDDER_HELP}`,
  },
  model: {
    summary: "download a neural model into the cache, to work offline afterwards",
    usage: "papermap model download [model id] [--cache-dir dir]",
    positionals: { min: 1, max: 2, name: "action" },
    options: { ...COMMON_OPTIONS, "cache-dir": { type: "string" }, dtype: { type: "string" } },
    help: `Downloads a neural embedding model from the Hugging Face Hub into the model cache,
with progress, and checks that it loads. Run it once with network access; afterwards
every command finds the model in the cache and needs no network.

Arguments:
  download [model id]      the model to fetch (default: Xenova/bge-small-en-v1.5,
                           the model papermap uses when it can)

Options:
  --cache-dir <dir>        the cache folder (models go to <dir>/models); default:
                           $PAPERMAP_CACHE_DIR, else ~/.cache/papermap
  --dtype <dtype>          weight format (default q8, the one papermap loads)
${COMMON_HELP}`,
  },
  ...FEED_COMMANDS,
  ...RECOMMEND_COMMANDS,
};

export function mainHelp(version: string): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return `papermap ${version} — navigate a listing of research papers: related-paper search,
named themes and a digest with a map, all computed locally.

Usage: papermap <command> [options]

Commands:
${lines.join("\n")}

Run \`papermap <command> --help\` for a command's options. With no listing, commands
use the Hugging Face papers listing shipped with papermap.

Examples:
  papermap start
  papermap themes my-listing.txt
  papermap search "speech tokenizers for audio language models" --k 5
  papermap related "Mask-Enhanced Autoregressive"
  papermap index papers.jsonl --out my-library
  papermap report --library my-library --out digest.html
`;
}

export function commandHelp(command: string): string {
  const c = COMMANDS[command];
  return `Usage: ${c.usage}\n\n${c.help}\n`;
}

export interface ParsedCommand {
  command: string;
  positionals: string[];
  values: Record<string, string | boolean | undefined>;
}

/** Parses `argv` (without node and script) into a command, its positionals and options. */
export function parseCommandLine(
  argv: readonly string[],
): ParsedCommand | { command: "help" | "version"; positionals: string[]; values: Record<string, never> } {
  const [first, ...rest] = argv;
  if (first === undefined || first === "--help" || first === "-h" || first === "help") {
    if (first === "help" && rest[0] !== undefined) {
      if (!(rest[0] in COMMANDS)) throw unknownCommand(rest[0]);
      return { command: rest[0], positionals: [], values: { help: true } } as ParsedCommand;
    }
    return { command: "help", positionals: [], values: {} };
  }
  if (first === "--version" || first === "-v") return { command: "version", positionals: [], values: {} };
  if (first.startsWith("-")) {
    throw new UsageError(`expected a command before the option "${first}"; run \`papermap --help\` for the list of commands.`);
  }
  const spec = COMMANDS[first];
  if (!spec) throw unknownCommand(first);
  let parsed: { values: Record<string, string | boolean | (string | boolean)[] | undefined>; positionals: string[] };
  try {
    parsed = parseArgs({
      args: attachNegativeNumbers(rest, spec.options),
      options: spec.options as ParseArgsConfig["options"],
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new UsageError(rewriteParseError(error, first), first);
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  if (!values.help) {
    const { min, max, name } = spec.positionals;
    if (parsed.positionals.length < min) {
      throw new UsageError(`"papermap ${first}" needs a ${name}: ${spec.usage}`, first);
    }
    if (max !== undefined && parsed.positionals.length > max) {
      throw new UsageError(`"papermap ${first}" takes at most ${max} ${name} argument(s): ${spec.usage}`, first);
    }
  }
  return { command: first, positionals: parsed.positionals, values };
}

/**
 * `--k -1` → `--k=-1`: node's parseArgs reads a value that starts with "-" as the next
 * option ("--k needs a value"); a negative number after an option that takes a value is
 * that option's value, so that the command can say what is wrong with it.
 */
function attachNegativeNumbers(args: readonly string[], options: Record<string, OptionSpec>): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "--") {
      out.push(...args.slice(i));
      break;
    }
    const next = args[i + 1];
    const name = arg.startsWith("--")
      ? arg.slice(2)
      : /^-[A-Za-z]$/.test(arg)
        ? Object.entries(options).find(([, o]) => o.short === arg.slice(1))?.[0]
        : undefined;
    if (name !== undefined && options[name]?.type === "string" && next !== undefined && /^-(?:\d|\.\d|Infinity|NaN)/.test(next)) {
      out.push(`--${name}=${next}`);
      i++;
      continue;
    }
    out.push(arg);
  }
  return out;
}

/** Levenshtein distance (for "did you mean" suggestions). */
function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length];
}

/** The candidate closest to `name`, if it is close enough to be a likely typo. */
function closest(name: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(name.toLowerCase(), c);
    if (d < bestDistance) [best, bestDistance] = [c, d];
  }
  return bestDistance <= Math.max(1, Math.min(2, Math.floor(name.length / 3))) ? best : undefined;
}

function unknownCommand(name: string): UsageError {
  const names = Object.keys(COMMANDS);
  const close = closest(name, names);
  return new UsageError(
    `unknown command "${name}"${close ? ` (did you mean "${close}"?)` : ""}; commands are ${names.join(", ")}. Run \`papermap --help\`.`,
  );
}

function rewriteParseError(error: unknown, command: string): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: string }).code;
  const option = /'(-[^']*)'/.exec(message)?.[1];
  if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION" && option) {
    const close = option.startsWith("--") ? closest(option.slice(2), Object.keys(COMMANDS[command].options)) : undefined;
    return `unknown option "${option}" for "papermap ${command}"${close ? ` (did you mean "--${close}"?)` : ""}; run \`papermap ${command} --help\` for its options.`;
  }
  if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE" && option) {
    const name = option.replace(/^-+/, "").split(/[ ,]/)[0];
    const spec = COMMANDS[command].options[name] ?? Object.entries(COMMANDS[command].options).find(([, o]) => o.short === name)?.[1];
    return spec?.type === "boolean"
      ? `option "${option.split(/[ ,]/)[0]}" of "papermap ${command}" takes no value.`
      : `option "${option.split(/[ ,]/)[0]}" of "papermap ${command}" needs a value; run \`papermap ${command} --help\`.`;
  }
  return `${message.split("\n")[0]} (run \`papermap ${command} --help\`)`;
}
