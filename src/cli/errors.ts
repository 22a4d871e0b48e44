import { PapermapError } from "../errors.js";
import type { Paper } from "../paper.js";

/** A command line that cannot be understood: unknown command or option, missing or bad value. */
export class UsageError extends PapermapError {
  /** The command whose help would explain the mistake, when known. */
  readonly command?: string;
  constructor(message: string, command?: string) {
    super(message);
    this.command = command;
  }
}

/** A paper argument that matches several titles. */
export class AmbiguousPaperError extends PapermapError {
  readonly candidates: Paper[];
  constructor(fragment: string, candidates: Paper[]) {
    super(`"${fragment}" matches ${candidates.length} paper titles; repeat with more of the title or one of these ids:`);
    this.candidates = candidates;
  }
}
