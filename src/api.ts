// The programmatic API for build scripts: the same steps as the CLI, typed.
import { readFile } from "node:fs/promises";
import { relative, resolve, sep } from "node:path";
import type { BuildResult } from "./frontend/hx/build.js";
import { parseSchema, type ParseOptions } from "./frontend/hx/schema.js";
import { parseEvents } from "./frontend/hx/events.js";
import { decodeUtf8 } from "./frontend/source.js";
import type { GenerateOptions } from "./emit/generate.js";
import { loadQapiSchema } from "./frontend/qapi/definitions.js";
import { enrichWithQapi } from "./frontend/qapi/enrich.js";
import { withHistory } from "./compare/diff/history.js";
import { sideOf } from "./compare/diff/versions.js";
import { generationKey } from "./write/key.js";
import { isInsideFolder, OutputError, reportFromManifest, writeOutput, type WriteReport } from "./write/writer.js";

export interface ParseFileOptions extends Omit<ParseOptions, "file"> {
  /** The release's events document (qmp-events.txt): its events, with their data types, join the schema. */
  readonly events?: string;
  /** The release's qapi-schema.json: its types enrich the model, its disagreements become notices. */
  readonly qapi?: string;
}

/** Reads and parses a .hx (or docs/qmp-commands.txt) file, its events document and QAPI schema if given. Throws HxError on bad input. */
export async function parseFile(path: string, options: ParseFileOptions = {}): Promise<BuildResult> {
  const { events: eventsPath, qapi, ...parseOptions } = options;
  let result = parseSchema(await readInput(path), { ...parseOptions, file: path });
  // The events document first: QAPI then types its events and adds the ones it lacks.
  if (eventsPath !== undefined) result = { ...result, schema: { ...result.schema, events: parseEvents(await readInput(eventsPath), eventsPath) } };
  if (qapi === undefined) return result;
  return enrichWithQapi(result, await loadQapiSchema(qapi, readInput));
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
  /** Overwrite files at output paths that qmp-hx did not write, or that were changed since. */
  readonly force?: boolean;
}

/** `./src/qmp/index.js` for `--out src/qmp`: the output folder as an import from the current folder. */
function clientImportFor(out: string): string {
  const path = relative(process.cwd(), resolve(out)).split(sep).join("/");
  return `${path.startsWith("../") ? "" : "./"}${path === "" ? "" : `${path}/`}index.js`;
}

/**
 * Parses `input` and writes client, validators and docs below `out`. Nothing is written
 * unless the whole input parses and every file is generated; only files qmp-hx wrote are ever
 * overwritten or removed (see src/write/writer.ts). When the manifest in `out` was written from
 * the same inputs, options and generator, the answer comes from it without generating.
 */
export async function generate(input: string, options: GenerateToOptions): Promise<WriteReport> {
  const { out, check = false, force = false, ...rest } = options;
  if (out === "") throw new OutputError("the output folder is empty: name a folder");
  // Usage snippets in the docs import the client from where it is written.
  const generation = { ...rest, clientImport: rest.clientImport ?? clientImportFor(out) };
  const history = generation.history ?? [];
  // Every file the output depends on (the input, older files, the QAPI schema and its includes)
  // is read once, and its text goes into the generation key.
  const texts = new Map<string, string>();
  const reading = async (path: string): Promise<string> => {
    const text = texts.get(path) ?? (await readInput(path));
    texts.set(path, text);
    return text;
  };
  for (const file of [input, ...history, ...(generation.qapi === undefined ? [] : [generation.qapi])]) {
    if (await isInsideFolder(file, out)) throw new OutputError(`${out}: the output folder holds the input file ${file}; choose another folder`);
  }
  const [newestText, ...olderTexts] = await Promise.all([input, ...history].map(reading));
  const qapi = generation.qapi === undefined ? undefined : await loadQapiSchema(generation.qapi, reading);
  const key = generationKey([...texts].map(([path, text]) => ({ path, text })), generation);
  const known = await reportFromManifest(out, key);
  if (known && (check || known.written.length === 0)) return known;
  const parsed = parseSchema(newestText ?? "", { ...generation, file: input });
  const newest = (qapi === undefined ? parsed : enrichWithQapi(parsed, qapi)).schema;
  // The QAPI schema is the input's release's: older files are read without it.
  const versions = generation.versionOf ?? new Map<string, string>();
  const schema =
    history.length === 0
      ? newest
      : withHistory([
          ...history.map((file, index) => ({ schema: parseSchema(olderTexts[index] ?? "", { ...generation, file }).schema, side: sideOf(file, versions) })),
          { schema: newest, side: sideOf(input, versions) },
        ]);
  // Loaded on demand: parse, lint and check do not need the emitters (nor, on their fallback, ts-morph and prettier).
  const { generateFiles } = await import("./emit/generate.js");
  const files = await generateFiles(schema, generation);
  return writeOutput(out, files, { check, force, key });
}
