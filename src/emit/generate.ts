// Schema -> the files of a generated bindings folder. Every emitter is a pure function of the
// model; each file is formatted by prettier once (src/emit/format.ts). The work is split over
// two threads for a large schema (the machines this runs on have 2 cores or more).
import type { Schema } from "../model/types.js";
import { emitCommandPage, emitDocsIndex, emitEventPage, emitEventsIndex, emitSourceLines, emitTypePage, emitTypesIndex, typePageNames } from "./docs.js";
import { formatFiles, type TextFile } from "./format.js";
import { typeScriptFiles } from "./typescript-files.js";
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
  // The TypeScript files start first (on a worker for a large schema) ...
  const typeScript = typeScriptFiles(schema, options.runtimeImport ?? "qmp-hx-runtime", options.qemuVersion);
  typeScript.catch(() => undefined); // awaited below; a failure must not go unhandled meanwhile
  // ... while this thread writes and formats the Markdown pages.
  const files = [...(await formatFiles(markdownPages(schema, options))), ...(await typeScript)];
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** The docs pages as docs.ts writes them, before formatting. */
export function markdownPages(schema: Schema, options: GenerateOptions = {}): TextFile[] {
  const names = assignNames(schema.commands);
  const pages = docPageNames(schema.commands);
  const markdown: TextFile[] = [
    { path: "docs/index.md", content: emitDocsIndex(schema, pages) },
    { path: "docs/sources.md", content: emitSourceLines(schema, pages) },
  ];
  const docsOptions = { clientImport: options.clientImport ?? "./generated/index.js", runtimeImport: options.runtimeImport ?? "qmp-hx-runtime" };
  const typePages = typePageNames(schema);
  const typeNames = assignTypeNames(schema, names);
  for (const command of schema.commands) {
    const page = pages.get(command);
    if (!page) throw new Error(`no page name for ${command.name}`);
    markdown.push({ path: `docs/${page}`, content: emitCommandPage(command, namesOf(names, command), docsOptions, typePages, typeNames.types) });
  }
  if (schema.events.length > 0) {
    const dataTypeNames = typeNames.events;
    markdown.push({ path: "docs/events/index.md", content: emitEventsIndex(schema, typePages) });
    for (const [name, page] of typePages.events) {
      const event = schema.events.find((candidate) => candidate.name === name);
      if (event) markdown.push({ path: `docs/events/${page}`, content: emitEventPage(event, dataTypeNames.get(name) ?? "unknown", typePages, docsOptions) });
    }
  }
  if (schema.types.length > 0) {
    markdown.push({ path: "docs/types/index.md", content: emitTypesIndex(schema, typePages) });
    for (const [name, page] of typePages.types) {
      const type = schema.types.find((candidate) => candidate.name === name);
      if (type) markdown.push({ path: `docs/types/${page}`, content: emitTypePage(type, typePages) });
    }
  }
  return markdown;
}
