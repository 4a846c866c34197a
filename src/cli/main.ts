// qmp-hx: the command line. Each command lives in its own module; this file only dispatches.
import { readFileSync } from "node:fs";
import type { CliCommand, CliIo } from "./command.js";
import { diffCommand } from "./diff.js";
import { driftCommand } from "./drift.js";
import { execCommand } from "./exec.js";
import { generateCommand } from "./generate.js";
import { lintCommand } from "./lint.js";
import { parseCommand } from "./parse.js";

const commands: readonly CliCommand[] = [generateCommand, parseCommand, lintCommand, diffCommand, driftCommand, execCommand];

function version(): string {
  const manifest = JSON.parse(readFileSync(new URL("../../../package.json", import.meta.url), "utf8")) as { version?: string };
  return manifest.version ?? "unknown";
}

function help(): string {
  const width = Math.max(...commands.map((command) => command.name.length));
  return `Usage: qmp-hx <command> [options]

Turns QEMU's qmp-commands.hx into a typed TypeScript QMP client, validators and Markdown docs.

Commands:
${commands.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`).join("\n")}

Run qmp-hx <command> --help for a command's options.`;
}

export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    io.stdout(help() + "\n");
    return name === undefined ? 2 : 0;
  }
  if (name === "--version" || name === "-v") {
    io.stdout(version() + "\n");
    return 0;
  }
  const command = commands.find((candidate) => candidate.name === name);
  if (!command) {
    io.stderr(`qmp-hx: unknown command '${name}'\n\n${help()}\n`);
    return 2;
  }
  return command.run(rest, io);
}

