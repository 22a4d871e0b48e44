/**
 * The `papermap` command line: a thin front end over the library (themes, search,
 * related papers, saved libraries and digests). Human output goes to stdout, progress and
 * notices to stderr; an error prints one line on stderr and exits with status 1 (2 for a
 * command line that cannot be understood).
 */
import { errnoText, PapermapError } from "../errors.js";
import { papermapVersion } from "../version.js";
import { commandHelp, mainHelp, parseCommandLine } from "./args.js";
import type { CommandIo, Handler } from "./commands.js";
import { AmbiguousPaperError, UsageError } from "./errors.js";
import { TerminalOutput, type OutputStream } from "./output.js";
import { ProgressReporter } from "./progress.js";

/**
 * Every command and where its implementation lives. Modules load only when their command
 * runs, so help and usage errors stay instant. A new command: one line here, and its
 * options and help in COMMANDS (args.ts).
 */
const HANDLERS: Record<string, () => Promise<Handler>> = {
  themes: async () => (await import("./commands.js")).themesCommand,
  search: async () => (await import("./commands.js")).searchCommand,
  related: async () => (await import("./commands.js")).relatedCommand,
  index: async () => (await import("./commands.js")).indexCommand,
  report: async () => (await import("./commands.js")).reportCommand,
  start: async () => (await import("./commands.js")).startCommand,
  model: async () => (await import("./model.js")).modelCommand,
  fetch: async () => (await import("./fetch.js")).fetchCommand,
  daily: async () => (await import("./fetch.js")).dailyCommand,
  like: async () => (await import("./recommend.js")).likeCommand,
  dislike: async () => (await import("./recommend.js")).dislikeCommand,
  recommend: async () => (await import("./recommend.js")).recommendCommand,
};

/** What the command line reads and writes; {@link main} defaults each part to the process's own. */
export interface CliIo {
  /** Results. */
  stdout: OutputStream;
  /** Progress, notices and errors. */
  stderr: OutputStream;
  /** The folder relative paths are resolved against. */
  cwd: string;
  /** Environment variables (offline mode, cache folder, PAPERMAP_DEBUG). */
  env: Readonly<Record<string, string | undefined>>;
}

/**
 * Runs the command line `argv` (without node and the script); resolves to the exit status.
 * Reads and writes only through `io` (the process's streams, folder and environment by
 * default), so a test can run any command in-process.
 */
export async function main(argv: readonly string[], io: Partial<CliIo> = {}): Promise<number> {
  const stdout = new TerminalOutput(io.stdout ?? process.stdout);
  const stderr = new TerminalOutput(io.stderr ?? process.stderr);
  const env = io.env ?? process.env;
  try {
    const parsed = parseCommandLine(argv);
    if (parsed.command === "help") {
      stdout.write(mainHelp(papermapVersion()));
      return 0;
    }
    if (parsed.command === "version") {
      stdout.write(`${papermapVersion()}\n`);
      return 0;
    }
    if (parsed.values.help) {
      stdout.write(commandHelp(parsed.command));
      return 0;
    }
    const progress = new ProgressReporter(stderr, { enabled: parsed.values.quiet !== true });
    const commandIo: CommandIo = { stdout, stderr, progress, cwd: io.cwd ?? process.cwd(), env };
    const handler = await HANDLERS[parsed.command]();
    await handler(parsed.positionals, parsed.values, commandIo);
    progress.finish();
    return 0;
  } catch (error) {
    return reportError(error, stderr, env);
  }
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, " ").trim();
}

function reportError(error: unknown, stderr: TerminalOutput, env: CliIo["env"]): number {
  stderr.control("\r\x1b[K");
  if (error instanceof AmbiguousPaperError) {
    stderr.write(`papermap: ${oneLine(error.message)}\n`);
    for (const p of error.candidates.slice(0, 15)) stderr.write(`  ${p.id}  ${oneLine(p.title)}\n`);
    if (error.candidates.length > 15) stderr.write(`  … and ${error.candidates.length - 15} more\n`);
    return 1;
  }
  if (error instanceof UsageError) {
    stderr.write(`papermap: ${oneLine(error.message)}\n`);
    return 2;
  }
  if (error instanceof PapermapError) {
    stderr.write(`papermap: ${oneLine(error.message)}\n`);
    return 1;
  }
  const errno = error as { code?: unknown; syscall?: unknown; path?: unknown } | null;
  const code = typeof errno?.code === "string" ? errno.code : undefined;
  const words = errnoText(code);
  if (words !== undefined) {
    const target = typeof errno?.path === "string" ? ` "${errno.path}"` : "";
    const action = typeof errno?.syscall === "string" ? `cannot ${errno.syscall}${target}` : `file error${target}`;
    stderr.write(`papermap: ${action}: ${words} (${code}).\n`);
    return 1;
  }
  const message = error instanceof Error ? error.message : String(error);
  if (env.PAPERMAP_DEBUG && error instanceof Error && error.stack) {
    stderr.write(`${error.stack}\n`);
  }
  stderr.write(
    `papermap: unexpected error: ${oneLine(message)} (this is a bug; run again with PAPERMAP_DEBUG=1 for details and report it)\n`,
  );
  return 1;
}
