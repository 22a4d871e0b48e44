/**
 * The `papermap` command line: a thin front end over the library (themes, search,
 * related papers, saved libraries and digests). Human output goes to stdout, progress and
 * notices to stderr; an error prints one line on stderr and exits with status 1 (2 for a
 * command line that cannot be understood).
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { PapermapError } from "../errors.js";
import { commandHelp, mainHelp, parseCommandLine } from "./args.js";
import type { CommandIo } from "./commands.js";
import { AmbiguousPaperError, UsageError } from "./errors.js";
import { ProgressReporter } from "./progress.js";

type Handler = (positionals: string[], values: Record<string, string | boolean | undefined>, io: CommandIo) => Promise<void>;

/** The command implementations, loaded only when a command runs (help and usage errors stay instant). */
async function handler(command: string): Promise<Handler> {
  const commands = await import("./commands.js");
  const handlers: Record<string, Handler> = {
    themes: commands.themesCommand,
    search: commands.searchCommand,
    related: commands.relatedCommand,
    index: commands.indexCommand,
    report: commands.reportCommand,
    start: commands.startCommand,
    model: (await import("./model.js")).modelCommand,
  };
  return handlers[command];
}

function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(fileURLToPath(new URL("../../package.json", import.meta.url)), "utf8")) as { version?: string };
    return pkg.version ?? "unknown";
  } catch {
    return "unknown";
  }
}

/** Runs the command line `argv` (without node and the script); resolves to the exit status. */
export async function main(argv: readonly string[]): Promise<number> {
  const stderr = process.stderr;
  let quiet = false;
  try {
    const parsed = parseCommandLine(argv);
    if (parsed.command === "help") {
      process.stdout.write(mainHelp(packageVersion()));
      return 0;
    }
    if (parsed.command === "version") {
      process.stdout.write(`${packageVersion()}\n`);
      return 0;
    }
    if (parsed.values.help) {
      process.stdout.write(commandHelp(parsed.command));
      return 0;
    }
    quiet = parsed.values.quiet === true;
    const progress = new ProgressReporter(stderr, { enabled: !quiet });
    const io: CommandIo = { stdout: process.stdout, progress, cwd: process.cwd() };
    await (await handler(parsed.command))(parsed.positionals, parsed.values, io);
    progress.finish();
    return 0;
  } catch (error) {
    return reportError(error);
  }
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, " ").trim();
}

function reportError(error: unknown): number {
  const stderr = process.stderr;
  if (stderr.isTTY) stderr.write("\r\x1b[K");
  if (error instanceof AmbiguousPaperError) {
    stderr.write(`papermap: ${oneLine(error.message)}\n`);
    for (const p of error.candidates.slice(0, 15)) stderr.write(`  ${p.id}  ${p.title}\n`);
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
  const code = (error as { code?: string } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  if (code === "ENOENT" || code === "EACCES" || code === "EISDIR" || code === "ENOTDIR" || code === "ENOSPC" || code === "EROFS") {
    stderr.write(`papermap: ${oneLine(message)}\n`);
    return 1;
  }
  if (process.env.PAPERMAP_DEBUG && error instanceof Error && error.stack) {
    stderr.write(`${error.stack}\n`);
  }
  stderr.write(
    `papermap: unexpected error: ${oneLine(message)} (this is a bug; run again with PAPERMAP_DEBUG=1 for details and report it)\n`,
  );
  return 1;
}
