// The typing-coverage table of `npm run bench`: per corpus file, how much of the client is
// typed from the docs alone and with the release's QAPI schema (where the corpus has one).
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { parseFile } from "../src/api.js";
import type { Argument, DataType, Schema } from "../src/model/types.js";

export interface Coverage {
  readonly commands: number;
  /** Commands whose reply type is known (not `unknown`). */
  readonly results: number;
  /** String arguments narrowed to an enum, and how many different enums. */
  readonly enumArguments: number;
  readonly enums: number;
  /** `q` arguments with a known shape. */
  readonly structuredArguments: number;
  readonly events: number;
  /** Events whose data type is known. */
  readonly typedEvents: number;
}

function known(type: DataType | undefined): boolean {
  return type !== undefined && type.kind !== "unknown";
}

/** The enum an argument is narrowed to (its name, or its values for an inline enum), if any. */
function enumOf(schema: Schema, arg: Argument): string | undefined {
  const type = arg.type?.type;
  if (type?.kind === "enum") return type.values.join("|");
  if (type?.kind === "named" && schema.types.find((named) => named.name === type.name)?.kind === "enum") return type.name;
  return undefined;
}

export function coverage(schema: Schema): Coverage {
  const args = schema.commands.flatMap((command) => command.args);
  const enums = args.flatMap((arg) => (arg.code === "q" ? [] : (enumOf(schema, arg) ?? [])));
  return {
    commands: schema.commands.length,
    results: schema.commands.filter((command) => known(command.result?.type)).length,
    enumArguments: enums.length,
    enums: new Set(enums).size,
    structuredArguments: args.filter((arg) => arg.code === "q" && known(arg.type?.type)).length,
    events: schema.events.length,
    typedEvents: schema.events.filter((event) => known(event.data?.type)).length,
  };
}

/** The corpus's QAPI schema of the release numbered like `hxFile` (`33-...`), if there is one. */
export function qapiSchemaFor(corpusDir: string, hxFile: string): string | undefined {
  const folder = join(corpusDir, "qapi");
  if (!existsSync(folder)) return undefined;
  const number = hxFile.split("/").at(-1)?.slice(0, 3);
  const match = readdirSync(folder).find((name) => name.startsWith(number ?? "none"));
  return match === undefined ? undefined : join(folder, match, "qapi-schema.json");
}

/** Prints the table; `files` are corpus .hx/.txt paths that parse. */
export async function benchTyping(corpusDir: string, files: readonly string[]): Promise<void> {
  const defines = new Map([["RFQDN_REDHAT", "__com.redhat_"]]);
  const header = ["file", "cmds", "results", "enum args (enums)", "structured args", "events typed"];
  const rows: string[][] = [];
  for (const path of files) {
    const docs = coverage((await parseFile(path, { defines })).schema);
    const qapi = qapiSchemaFor(corpusDir, path);
    const both = qapi === undefined ? undefined : coverage((await parseFile(path, { defines, qapi })).schema);
    const pair = (alone: string, withQapi: string | undefined): string => (withQapi === undefined ? alone : `${alone} -> ${withQapi}`);
    rows.push([
      path.split("/").at(-1)?.replace(/-[0-9a-f]{10}\.(hx|txt)$/, "").replace("-qemu_qemu", "") ?? path,
      String(docs.commands),
      pair(String(docs.results), both && String(both.results)),
      pair(`${docs.enumArguments} (${docs.enums})`, both && `${both.enumArguments} (${both.enums})`),
      pair(String(docs.structuredArguments), both && String(both.structuredArguments)),
      pair(`${docs.typedEvents}/${docs.events}`, both && `${both.typedEvents}/${both.events}`),
    ]);
  }
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((cells) => cells[column]?.length ?? 0)));
  const line = (cells: readonly string[]): string => `  ${cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join("  ")}`.trimEnd();
  console.log(line(header));
  for (const cells of rows) console.log(line(cells));
  console.log("  (docs alone -> with the release's QAPI schema, where the corpus has one)");
}
