import { ParseError } from "../errors.js";
import type { ParseOptions, ParseWarning } from "./types.js";

/** Where something is in the input: a 1-based line and/or record number. */
export interface Where {
  line?: number;
  record?: number;
}

/** "record 3 (line 14)", "line 14", "record 3", or "" when nothing is known. */
export function describeWhere(where: Where): string {
  if (where.record !== undefined && where.line !== undefined) return `record ${where.record} (line ${where.line})`;
  if (where.record !== undefined) return `record ${where.record}`;
  if (where.line !== undefined) return `line ${where.line}`;
  return "";
}

/** Collects warnings (or throws them, in strict mode) and builds errors that name the input. */
export class ParseContext {
  readonly warnings: ParseWarning[] = [];

  constructor(readonly options: ParseOptions) {}

  /** Prefix for messages: `"listing.csv: "` when the input has a name. */
  private get prefix(): string {
    return this.options.source ? `${this.options.source}: ` : "";
  }

  /** A ParseError whose message names the input and the place. */
  error(message: string, where: Where = {}, cause?: unknown): ParseError {
    const place = describeWhere(where);
    const text = `${this.prefix}${place ? place + ": " : ""}${message}`;
    return new ParseError(text, where, cause === undefined ? undefined : { cause });
  }

  /** Records a warning; in strict mode throws it as a ParseError instead. */
  warn(warning: ParseWarning): void {
    if (this.options.strict) {
      throw new ParseError(`${this.prefix}${warning.message} (strict mode: fix the input or parse without \`strict\` to skip it)`, {
        line: warning.line,
        record: warning.record,
      });
    }
    this.warnings.push(warning);
    this.options.onWarning?.(warning);
  }
}
