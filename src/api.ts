// The programmatic API for build scripts: the same steps as the CLI, typed.
import { readFile } from "node:fs/promises";
import type { BuildResult } from "./frontend/hx/build.js";
import { parseSchema, type ParseOptions } from "./frontend/hx/schema.js";
import { decodeUtf8 } from "./frontend/source.js";
import type { GenerateOptions } from "./emit/generate.js";
import { loadQapiSchema } from "./frontend/qapi/definitions.js";
import { enrichWithQapi } from "./frontend/qapi/enrich.js";
import { writeOutput, type WriteReport } from "./write/writer.js";
import { withHistory } from "./compare/diff/history.js";
import { sideOf } from "./compare/diff/versions.js";

export interface ParseFileOptions extends Omit<ParseOptions, "file"> {
  /** The release's qapi-schema.json: its types enrich the model, its disagreements become notices. */
  readonly qapi?: string;
}

/** Reads and parses a .hx (or docs/qmp-commands.txt) file. Throws HxError on bad input. */
export async function parseFile(path: string, options: ParseFileOptions = {}): Promise<BuildResult> {
  const result = parseSchema(await readInput(path), { ...options, file: path });
  if (options.qapi === undefined) return result;
  return enrichWithQapi(result, await loadQapiSchema(options.qapi, readInput));
}

/** The file's text (UTF-8, checked); an I/O error names the file (EISDIR, say, does not by itself). */
export async function readInput(path: string): Promise<string> {
  try {
    return decodeUtf8(path, await readFile(path));
  } catch (error) {
    const failure = error as NodeJS.ErrnoException;
    if (typeof failure.code === "string" && !failure.message.includes(path)) failure.message = `${path}: ${failure.message}`;
    throw failure;
  }
}

export interface GenerateToOptions extends ParseFileOptions, GenerateOptions {
  /** Output folder (created when missing). */
  readonly out: string;
  /** Write nothing; report what is stale. */
  readonly check?: boolean;
  /**
   * Older files, in release order: each command's JSDoc and page then say the first version
   * (of these and `input`) that has it and each of its arguments.
   */
  readonly history?: readonly string[];
  /** Versions by file (as given, or its base name); otherwise read from the file name. */
  readonly versionOf?: ReadonlyMap<string, string>;
}

/**
 * Parses `input` and writes client, validators and docs below `out`. Nothing is written
 * unless the whole input parses and every file is generated.
 */
export async function generate(input: string, options: GenerateToOptions): Promise<WriteReport> {
  const { schema: newest } = await parseFile(input, options);
  const history = options.history ?? [];
  // The QAPI schema is the input's release's: older files are read without it.
  const { qapi: _newestOnly, ...olderOptions } = options;
  const versions = options.versionOf ?? new Map<string, string>();
  const schema =
    history.length === 0
      ? newest
      : withHistory([
          ...(await Promise.all(history.map(async (file) => ({ schema: (await parseFile(file, olderOptions)).schema, side: sideOf(file, versions) })))),
          { schema: newest, side: sideOf(input, versions) },
        ]);
  // Loaded on demand: ts-morph and prettier are large, and parse and lint do not need them.
  const { generateFiles } = await import("./emit/generate.js");
  const files = await generateFiles(schema, options);
  return writeOutput(options.out, files, { check: options.check ?? false });
}
