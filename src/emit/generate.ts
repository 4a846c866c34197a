// Schema -> the files of a generated bindings folder. Every emitter is a pure function of the
// model; every file comes out in prettier's form, written so directly (Markdown:
// src/emit/markdown.ts; TypeScript: src/emit/typescript-printer.ts) with prettier as the
// judge in the tests and the fallback for what the direct printers do not handle. One thread:
// without ts-morph and prettier to load, a worker for the TypeScript no longer paid off.
import type { Schema } from "../model/types.js";
import { emitCommandPage, emitDocsIndex, emitEventPage, emitEventsIndex, emitSourceLines, emitTypeModulePage, emitTypesIndex, firstByName, typePageNames } from "./docs.js";
import { formatFiles, type TextFile } from "./format.js";
import { emitTypeScript } from "./typescript-files.js";
import { assignNames, assignTypeNames, docPageNames, namesOf } from "./names.js";

export interface GenerateOptions {
  /** Module the generated client imports the QMP runtime from (default `qmp-hx-runtime`, the dependency-free package). */
  readonly runtimeImport?: string;
  /** Module named in the docs' usage snippets (default `./generated/index.js`). */
  readonly clientImport?: string;
  /** The QEMU (`X.Y[.Z]`) whose monitor the validators follow when a call names none (default 2.7.0). */
  readonly qemuVersion?: string;
}

/** A file of the output folder; `path` is relative, with `/` separators. */
export type GeneratedFile = TextFile;

export async function generateFiles(schema: Schema, options: GenerateOptions = {}): Promise<GeneratedFile[]> {
  const files = await formatFiles(markdownPageSources(schema, options));
  for (const file of await emitTypeScript(schema, options.runtimeImport ?? "qmp-hx-runtime", options.qemuVersion)) files.push(file);
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** The docs pages as docs.ts writes them, before formatting. */
export function markdownPages(schema: Schema, options: GenerateOptions = {}): TextFile[] {
  return [...markdownPageSources(schema, options)];
}

/** The docs pages as docs.ts writes them, before formatting, one at a time. */
function* markdownPageSources(schema: Schema, options: GenerateOptions): Generator<TextFile> {
  const names = assignNames(schema.commands);
  const pages = docPageNames(schema.commands);
  yield { path: "docs/index.md", content: emitDocsIndex(schema, pages) };
  yield { path: "docs/sources.md", content: emitSourceLines(schema, pages) };
  const docsOptions = { clientImport: options.clientImport ?? "./generated/index.js", runtimeImport: options.runtimeImport ?? "qmp-hx-runtime" };
  const typePages = typePageNames(schema);
  const typeNames = assignTypeNames(schema, names);
  for (const command of schema.commands) {
    const page = pages.get(command);
    if (!page) throw new Error(`no page name for ${command.name}`);
    yield { path: `docs/${page}`, content: emitCommandPage(command, namesOf(names, command), docsOptions, typePages, typeNames.types) };
  }
  if (schema.events.length > 0) {
    const dataTypeNames = typeNames.events;
    const events = firstByName(schema.events);
    yield { path: "docs/events/index.md", content: emitEventsIndex(schema, typePages) };
    for (const [name, page] of typePages.events) {
      const event = events.get(name);
      if (event) yield { path: `docs/events/${page}`, content: emitEventPage(event, dataTypeNames.get(name) ?? "unknown", typePages, docsOptions) };
    }
  }
  if (typePages.modules.size > 0) {
    yield { path: "docs/types/index.md", content: emitTypesIndex(schema, typePages) };
    for (const [page, types] of typePages.modules) yield { path: `docs/types/${page}`, content: emitTypeModulePage(types, typePages) };
  }
}
