import { stripControlChars } from "../control-chars.js";

/** A stream the command line writes to: `process.stdout`, `process.stderr`, or a test's buffer. */
export interface OutputStream {
  write(text: string): unknown;
  /** Whether it is a terminal (progress bars are drawn in place only there). */
  isTTY?: boolean;
  /** Terminal width, when known. */
  columns?: number;
}

/**
 * The one place the command line's text leaves the program. Everything written with
 * {@link TerminalOutput.write} is stripped of terminal control sequences and control
 * characters (titles, authors, warnings and error messages come from untrusted listings);
 * only the program's own cursor controls, through {@link TerminalOutput.control}, reach a
 * terminal.
 */
export class TerminalOutput {
  constructor(private readonly stream: OutputStream) {}

  get isTTY(): boolean {
    return this.stream.isTTY === true;
  }

  get columns(): number | undefined {
    return this.stream.columns;
  }

  /** Writes text, with control characters (except newline and tab) removed. */
  write(text: string): void {
    this.stream.write(stripControlChars(text));
  }

  /** Writes a cursor control of papermap's own (`\r`, erase line); only on a terminal. */
  control(sequence: string): void {
    if (this.isTTY) this.stream.write(sequence);
  }
}

/** `output` itself when it already is a {@link TerminalOutput}, else a sanitising wrapper around it. */
export function terminalOutput(output: OutputStream | TerminalOutput): TerminalOutput {
  return output instanceof TerminalOutput ? output : new TerminalOutput(output);
}
