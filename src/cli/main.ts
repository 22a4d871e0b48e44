#!/usr/bin/env node
// The `papermap` executable. Everything it does is in ./run.ts.
import { main } from "./run.js";

// A reader that stops early (`papermap search … | head -1`) closes the pipe: stop quietly,
// as command-line tools do, instead of printing an EPIPE stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(0);
    throw error;
  });
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`papermap: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
