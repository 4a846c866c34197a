import { parseFile } from "../api.js";
import { buildOptionSpecs, buildOptionsFrom, buildOptionsHelp, companionFilesFrom, companionOptionsHelp, companionOptionSpecs, oneInputFile, parseCommandLine, reportingErrors, type CliCommand } from "./command.js";

export const parseCommand: CliCommand = {
  name: "parse",
  usage: `Usage: qmp-hx parse <file.hx> [options]

Prints the model every emitter reads: commands with arguments, conditions, fields, docs and
source locations.

Options:
${buildOptionsHelp}
${companionOptionsHelp}
  -h, --help                 show this help`,
  async run(argv, io) {
    return reportingErrors(this, io, async () => {
      const { values, positionals } = parseCommandLine(argv, { ...buildOptionSpecs, ...companionOptionSpecs });
      if (values.help) {
        io.stdout(this.usage + "\n");
        return 0;
      }
      const input = oneInputFile(positionals);
      const { schema } = await parseFile(input, { ...buildOptionsFrom(values), ...companionFilesFrom(values) });
      // Streamed in pieces: the model of a large file is longer than a string can be.
      let pending = "";
      for (const chunk of jsonChunks(schema, "")) {
        pending += chunk;
        if (pending.length >= 1 << 16) {
          io.stdout(pending);
          pending = "";
          // Otherwise a slow reader (a pipe) makes every piece wait in memory: 50 MB piped took 3.9 GB.
          await io.stdoutDrained?.();
        }
      }
      io.stdout(pending + "\n");
      return 0;
    });
  },
};

/** The text of JSON.stringify(value, null, 2), in pieces: arrays and objects are walked. */
export function* jsonChunks(value: unknown, indent: string): Generator<string> {
  const inner = indent + "  ";
  if (Array.isArray(value) && value.length > 0) {
    yield "[\n";
    for (let index = 0; index < value.length; index++) {
      const item: unknown = value[index];
      yield inner;
      yield* serializable(item) ? jsonChunks(item, inner) : ["null"];
      yield index < value.length - 1 ? ",\n" : "\n";
    }
    yield indent + "]";
    return;
  }
  if (value !== null && typeof value === "object" && !Array.isArray(value) && typeof (value as { toJSON?: unknown }).toJSON !== "function") {
    const entries = Object.entries(value).filter(([, item]) => serializable(item));
    if (entries.length > 0) {
      yield "{\n";
      for (const [index, [key, item]] of entries.entries()) {
        yield `${inner}${JSON.stringify(key)}: `;
        yield* jsonChunks(item, inner);
        yield index < entries.length - 1 ? ",\n" : "\n";
      }
      yield indent + "}";
      return;
    }
  }
  // A leaf, or an empty array or object: JSON strings hold no raw line breaks to re-indent.
  yield (JSON.stringify(value, null, 2) ?? "null").replaceAll("\n", "\n" + indent);
}

function serializable(value: unknown): boolean {
  return value !== undefined && typeof value !== "function" && typeof value !== "symbol";
}
