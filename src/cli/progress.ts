import type { ProgressCallback, ProgressEvent, NoticeCallback } from "../progress.js";
import { terminalOutput, type OutputStream, type TerminalOutput } from "./output.js";

const STAGE_NAMES: Record<string, string> = {
  embed: "embedding",
  index: "indexing",
  download: "downloading model",
  load: "loading model",
  cluster: "clustering",
  themes: "finding themes",
  related: "finding related papers",
  map: "drawing the map",
  fit: "fitting the lexical embedder",
};

/** Where progress goes: a stream (wrapped so that its text is sanitised) or a {@link TerminalOutput}. */
export type ProgressOutput = OutputStream | TerminalOutput;

/**
 * Progress and notices on stderr. On a terminal: one bar redrawn in place
 * (`embedding  [████████░░░░░░░░]  41/82 papers`), at most ~12 redraws a second. Elsewhere
 * (a pipe, a log file): a line when a stage starts and one when it ends, so logs stay short.
 */
export class ProgressReporter {
  private readonly out: TerminalOutput;
  private readonly enabled: boolean;
  private stage: string | undefined;
  private lastDraw = 0;
  private lineOpen = false;
  private reportedStart = false;
  private stageStarted = 0;

  constructor(out: ProgressOutput, options: { enabled?: boolean } = {}) {
    this.out = terminalOutput(out);
    this.enabled = options.enabled ?? true;
  }

  /** The callback to hand to the library. */
  readonly onProgress: ProgressCallback = (event) => this.update(event);

  /** Notices go through here so that they do not collide with a bar being drawn. */
  readonly onNotice: NoticeCallback = (message) => {
    if (!this.enabled) return;
    this.clearLine();
    this.out.write(`papermap: ${message}\n`);
  };

  /** A one-off status line ("loaded 82 papers from …"). */
  status(message: string): void {
    if (!this.enabled) return;
    this.clearLine();
    this.out.write(`${message}\n`);
  }

  /** Ends the current bar, if any. */
  finish(): void {
    if (!this.enabled || this.stage === undefined) return;
    if (this.lineOpen) {
      this.out.write("\n");
      this.lineOpen = false;
    }
    this.stage = undefined;
  }

  private update(event: ProgressEvent): void {
    if (!this.enabled) return;
    const name = STAGE_NAMES[event.stage] ?? event.stage;
    if (event.stage !== this.stage) {
      this.finish();
      this.stage = event.stage;
      this.reportedStart = false;
      this.lastDraw = 0;
      this.stageStarted = Date.now();
    }
    const complete = event.total !== undefined && event.done >= event.total;
    if (this.out.isTTY) {
      const now = Date.now();
      if (!complete && now - this.lastDraw < 80) return;
      this.lastDraw = now;
      this.out.control("\r");
      this.out.write(this.render(name, event));
      this.out.control("\x1b[K");
      this.lineOpen = true;
      if (complete) this.finish();
      return;
    }
    if (!this.reportedStart) {
      this.reportedStart = true;
      const count = event.total !== undefined ? ` ${event.total} ${event.unit ?? "items"}` : "";
      this.out.write(`${name}${count}…${event.message ? ` (${event.message})` : ""}\n`);
    }
    if (complete) {
      const seconds = (Date.now() - this.stageStarted) / 1000;
      this.out.write(`${name}: done (${event.done}/${event.total} ${event.unit ?? "items"}) in ${seconds.toFixed(1)} s\n`);
      this.stage = undefined;
    }
  }

  private render(name: string, event: ProgressEvent): string {
    const unit = event.unit ?? "";
    if (event.total === undefined || event.total <= 0) {
      return `${name} ${event.done} ${unit}${event.message ? ` ${event.message}` : ""}`.trimEnd();
    }
    const width = Math.max(10, Math.min(30, (this.out.columns ?? 80) - 50));
    const fraction = Math.min(1, Math.max(0, event.done / event.total));
    const filled = Math.round(fraction * width);
    const bar = "█".repeat(filled) + "░".repeat(width - filled);
    const amount = unit === "bytes" ? `${mb(event.done)}/${mb(event.total)} MB` : `${event.done}/${event.total} ${unit}`;
    return `${name.padEnd(14)} [${bar}] ${amount.trimEnd()}`;
  }

  private clearLine(): void {
    if (this.lineOpen && this.out.isTTY) {
      this.out.control("\r\x1b[K");
      this.lineOpen = false;
    }
  }
}

function mb(bytes: number): string {
  return (bytes / 1e6).toFixed(1);
}
