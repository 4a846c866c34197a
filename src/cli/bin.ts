#!/usr/bin/env node
// The qmp-hx executable.
import { once } from "node:events";
import type { CliIo } from "./command.js";
import { main } from "./main.js";

const io: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  stdoutDrained: async () => {
    if (process.stdout.writableNeedDrain) await once(process.stdout, "drain");
  },
};
main(process.argv.slice(2), io).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // Only a bug in qmp-hx gets here; bad input is reported above without a stack trace.
    process.stderr.write(`qmp-hx: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 70;
  },
);
