#!/usr/bin/env node
// The `papermap` executable. Everything it does is in ./run.ts.
import { main } from "./run.js";

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`papermap: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
