// qmp-hx: the command line. Each command lives in its own module; this file only dispatches.
import { readFileSync } from "node:fs";
import type { CliCommand, CliIo } from "./command.js";

/** Each command's module is loaded only when it runs: `generate --check` must not pay for the rest. */
const commands: readonly { readonly name: string; readonly summary: string; load(): Promise<CliCommand> }[] = [
  { name: "generate", summary: "write the typed client, validators and Markdown docs for a .hx file", load: async () => (await import("./generate.js")).generateCommand },
  { name: "parse", summary: "print the command model of a .hx file as JSON", load: async () => (await import("./parse.js")).parseCommand },
  { name: "lint", summary: "check a .hx file's docs against its dispatch table and examples", load: async () => (await import("./lint.js")).lintCommand },
  { name: "diff", summary: "compare two or more .hx files: what changed for clients, breaking or not", load: async () => (await import("./diff.js")).diffCommand },
  { name: "drift", summary: "compare a .hx file's bindings with a running QEMU", load: async () => (await import("./drift.js")).driftCommand },
  { name: "exec", summary: "send one command to a running QEMU and print the reply", load: async () => (await import("./exec.js")).execCommand },
];

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
  return (await command.load()).run(rest, io);
}

