// The programmatic API for build scripts: the same steps as the CLI, typed.
import { readFileSync } from "node:fs";
import { relative, resolve, sep } from "node:path";
import type { BuildResult } from "./frontend/hx/build.js";
import type { ParseOptions } from "./frontend/hx/schema.js";
import { decodeUtf8 } from "./frontend/source.js";
import type { GenerateOptions } from "./emit/generate.js";
import type { QapiSchema } from "./frontend/qapi/definitions.js";
import { withHistory } from "./compare/diff/history.js";
import { sideOf } from "./compare/diff/versions.js";
import { generationKey } from "./write/key.js";
import { isInsideFolder, OutputError, readOutputRecord, reportFromManifest, writeOutput, type WriteReport } from "./write/writer.js";

export interface ParseFileOptions extends Omit<ParseOptions, "file"> {
  /** The release's events document (qmp-events.txt): its events, with their data types, join the schema. */
  readonly events?: string;
  /** The release's qapi-schema.json: its types enrich the model, its disagreements become notices. */
  readonly qapi?: string;
}

/** Reads and parses a .hx (or docs/qmp-commands.txt) file, its events document and QAPI schema if given. Throws HxError on bad input. */
export async function parseFile(path: string, options: ParseFileOptions = {}): Promise<BuildResult> {
  const { events, qapi, ...parseOptions } = options;
  const { parseSchema, loadQapiSchema } = await frontEnds();
  const parsed = parseSchema(await readInput(path), { ...parseOptions, file: path });
  return releaseModel(parsed, events === undefined ? undefined : { path: events, text: await readInput(events) }, qapi === undefined ? undefined : await loadQapiSchema(qapi, readInput));
}

/** The front ends, loaded when a file is to be parsed (once): an up-to-date check answered from the manifest needs none of them. */
function frontEnds(): ReturnType<typeof loadFrontEnds> {
  frontEndsLoading ??= loadFrontEnds();
  return frontEndsLoading;
}

let frontEndsLoading: ReturnType<typeof loadFrontEnds> | undefined;

async function loadFrontEnds() {
  const [hx, events, qapi, enrich] = await Promise.all([
    import("./frontend/hx/schema.js"),
    import("./frontend/hx/events.js"),
    import("./frontend/qapi/definitions.js"),
    import("./frontend/qapi/enrich.js"),
  ]);
  return { parseSchema: hx.parseSchema, parseEvents: events.parseEvents, loadQapiSchema: qapi.loadQapiSchema, enrichWithQapi: enrich.enrichWithQapi };
}

/** A release's model: its .hx file's, then its events document's events (QAPI then types them and adds the ones it lacks), then its QAPI schema's types. */
async function releaseModel(parsed: BuildResult, events: { readonly path: string; readonly text: string } | undefined, qapi: QapiSchema | undefined): Promise<BuildResult> {
  const { parseEvents, enrichWithQapi } = await frontEnds();
  const withEvents = events === undefined ? parsed : { ...parsed, schema: { ...parsed.schema, events: parseEvents(events.text, events.path) } };
  return qapi === undefined ? withEvents : enrichWithQapi(withEvents, qapi);
}

/**
 * The file's text (UTF-8, checked); an I/O error names the file (EISDIR, say, does not by itself).
 * Read synchronously, as the writer writes: a schema's inputs are a few small files read one
 * after another, and each asynchronous read waited on the thread pool (QEMU 2.7's nine QAPI
 * files and its events document: some 60 ms of idle time in a cold run).
 */
export async function readInput(path: string): Promise<string> {
  try {
    return decodeUtf8(path, readFileSync(path));
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
  const named = [input, ...history, ...[generation.events, generation.qapi].filter((path) => path !== undefined)];
  for (const file of named) {
    if (await isInsideFolder(file, out)) throw new OutputError(`${out}: the output folder holds the input file ${file}; choose another folder`);
  }
  // Every file the output depends on (the input, older files, the QAPI schema and its includes)
  // is read once, and its text goes into the generation key.
  const cache = new Map<string, string>();
  const readOnce = async (path: string): Promise<string> => {
    const text = cache.get(path) ?? (await readInput(path));
    cache.set(path, text);
    return text;
  };
  const keyOf = (paths: readonly string[]) => generationKey(paths.map((path) => ({ path, text: cache.get(path) ?? "" })), generation);
  // The manifest names the files the last run read, includes among them: when they still hold
  // the same texts, the key comes out the same without parsing anything to find the includes.
  const record = readOutputRecord(out);
  const recorded = record?.manifest.inputs;
  let askedKey: string | undefined;
  if (recorded !== undefined && named.every((path, index) => recorded[index] === path)) {
    const readable = await Promise.all(recorded.map((path) => readOnce(path).then(() => true, () => false)));
    askedKey = readable.every(Boolean) ? keyOf(recorded) : undefined;
    const known = askedKey === undefined ? undefined : reportFromManifest(record, askedKey);
    if (known && (check || known.written.length === 0)) return known;
  }
  const inputs: string[] = [];
  // Recorded when asked for, not when read: the order (and so the key) does not depend on which read ends first.
  const reading = (path: string): Promise<string> => {
    if (!inputs.includes(path)) inputs.push(path);
    return readOnce(path);
  };
  const [newestText, ...olderTexts] = await Promise.all([input, ...history].map(reading));
  const events = generation.events === undefined ? undefined : { path: generation.events, text: await reading(generation.events) };
  const { parseSchema, loadQapiSchema } = await frontEnds();
  const qapi = generation.qapi === undefined ? undefined : await loadQapiSchema(generation.qapi, reading);
  const key = keyOf(inputs);
  // The same key as above was already answered (files were edited since): the output files are not read again.
  const known = key === askedKey ? undefined : reportFromManifest(record, key);
  if (known && (check || known.written.length === 0)) return known;
  const parsed = parseSchema(newestText ?? "", { ...generation, file: input });
  const newest = (await releaseModel(parsed, events, qapi)).schema;
  // The events document and QAPI schema are the input's release's: older files are read without them.
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
  return writeOutput(out, files, { check, force, key, inputs });
}
