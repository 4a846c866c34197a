// Emits Markdown reference docs: docs/index.md (a list of every command), docs/sources.md (each
// command's source line) and one page per command with its description, arguments table,
// returns, examples, notes and a TypeScript usage snippet. Regenerating from a newer file
// changes only what changed: the index is a list (a table is re-padded whole when one cell
// grows) and line numbers live in sources.md alone (pages would all change when lines shift).
import { uniquePageNames } from "./names.js";
import { argCodes, argsTypeItem } from "../model/codes.js";
import type { Argument, Command, DataType, DocExample, DocItem, Event, ExampleMessage, JsonValue, Member, NamedType, Paragraph, Schema, TypedValue } from "../model/types.js";
import { isJsonObject, type JsonObject } from "../model/examples.js";
import { typeOriginNote, type TypeNames } from "./type-text.js";
import {
  argumentType,
  conditionOf,
  exampleArguments,
  exampleProblems,
  fileBaseName,
  firstSentence,
  historyNote,
  isOptional,
  jsonTypeOf,
  paragraphsToText,
  propertyArguments,
  sourceReference,
  summaryOf,
  takesArguments,
  typeScriptLiteral,
} from "./common.js";
import type { CommandNames } from "./names.js";

export interface DocsOptions {
  /** The module a reader imports the generated client from, in usage snippets. */
  readonly clientImport: string;
  /** The module the generated client imports the runtime from: QmpClient comes from there too. */
  readonly runtimeImport: string;
}

/**
 * Where the named types and events are documented. Types: one page per schema module
 * (docs/types/block-core.md, as QEMU's own reference is sectioned by module), a section per
 * type; events: a page each (docs/events/NAME.md).
 */
export interface TypePages {
  /** Per type name: its module page and the anchor of its section, `block-core.md#blockdevonerror`. */
  readonly types: ReadonlyMap<string, string>;
  /** Per module page (`block-core.md`): its types, in definition order. */
  readonly modules: ReadonlyMap<string, readonly NamedType[]>;
  /** The types by name (usage snippets build values of them). */
  readonly named: ReadonlyMap<string, NamedType>;
  readonly events: ReadonlyMap<string, string>;
}

export function typePageNames(schema: Pick<Schema, "types" | "events">): TypePages {
  const named = firstByName(schema.types);
  const byFile = new Map<string, NamedType[]>();
  for (const type of named.values()) {
    const inFile = byFile.get(type.location.file);
    if (inFile === undefined) byFile.set(type.location.file, [type]);
    else inFile.push(type);
  }
  const pageOfFile = uniquePageNames([...byFile.keys()], (file) => fileBaseName(file).replace(/\.json$/, ""));
  const types = new Map<string, string>();
  const modules = new Map<string, readonly NamedType[]>();
  for (const [file, inFile] of byFile) {
    const page = pageOfFile.get(file) ?? "";
    modules.set(page, inFile);
    const anchors = moduleAnchors(file, inFile);
    for (const type of inFile) types.set(type.name, `${page}#${anchors.get(type.name) ?? ""}`);
  }
  const events = uniquePageNames([...new Set(schema.events.map((event) => event.name))], (name) => name);
  return { types, modules, named, events };
}

/**
 * The anchors a Markdown renderer gives the type sections of a module page (GitHub's rule:
 * the heading's text lower-cased, what is not a letter, digit, space, `_` or `-` dropped,
 * spaces made `-`, and `-1`, `-2` ... after a repeat), counting every heading of the page in order.
 */
function moduleAnchors(file: string, types: readonly NamedType[]): ReadonlyMap<string, string> {
  const taken = new Map<string, number>();
  const slug = (heading: string): string => {
    const base = heading.toLowerCase().replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, "").replace(/ /g, "-");
    let candidate = base;
    while (taken.has(candidate)) {
      const repeats = (taken.get(base) ?? 0) + 1;
      taken.set(base, repeats);
      candidate = `${base}-${repeats}`;
    }
    taken.set(candidate, 0);
    return candidate;
  };
  slug(moduleTitle(file));
  const anchors = new Map<string, string>();
  for (const type of types) {
    anchors.set(type.name, slug(type.name));
    for (const heading of typeSectionHeadings(type)) slug(heading);
  }
  return anchors;
}

function moduleTitle(file: string): string {
  return `Types of ${fileBaseName(file)}`;
}

/** The headings inside a type's section, as text (what moduleAnchors counts and the page shows). */
function typeSectionHeadings(type: NamedType): readonly string[] {
  switch (type.kind) {
    case "enum":
      return ["Values"];
    case "struct":
      return ["Members"];
    case "union":
      return ["Common members", `Variants, by ${type.discriminator}`];
    case "alternate":
      return ["Any one of"];
  }
}

export function emitDocsIndex(schema: Schema, pages: ReadonlyMap<Command, string>): string {
  const file = fileBaseName(schema.file);
  const items = schema.commands.map((command) => {
    const condition = conditionOf(command);
    const notes = [condition ? `\`#if ${cellCode(condition)}\`` : "", cell(originLabel(command))].filter(Boolean).join(", ");
    const summary = cell(summaryOf(command));
    return `- ${pageLink(command, pages)}${summary ? `: ${summary}` : ""}${notes ? ` (${notes})` : ""}`;
  });
  const counts = [
    `${schema.commands.filter((command) => command.origin === "table").length} in the dispatch table`,
    `${schema.commands.filter((command) => command.origin === "doc-only").length} documented only`,
    `${schema.commands.filter((command) => command.origin === "derived-from-docs").length} derived from docs`,
  ];
  return [
    `# QMP commands of ${inline(file)}`,
    `${schema.commands.length} ${schema.commands.length === 1 ? "command" : "commands"} (${counts.join(", ")}). Generated by qmp-hx. Source lines: [sources.md](sources.md).` +
      (schema.events.length > 0 ? ` Events: [events/index.md](events/index.md).` : "") +
      (schema.types.length > 0 ? ` Types: [types/index.md](types/index.md).` : ""),
    items.join("\n"),
  ].join("\n\n") + "\n";
}

/** The one place that maps commands to lines of the input: a shifted line changes this file only. */
export function emitSourceLines(schema: Schema, pages: ReadonlyMap<Command, string>): string {
  const items = schema.commands.map((command) => {
    const docLine = command.doc && command.origin === "table" ? `, docs from line ${command.doc.location.line}` : "";
    return `- ${pageLink(command, pages)}: \`${cellCode(sourceReference(command))}\`${docLine}`;
  });
  return [`# Source lines of ${inline(fileBaseName(schema.file))}`, items.length > 0 ? items.join("\n") : "No commands."].join("\n\n") + "\n";
}

function pageLink(command: Command, pages: ReadonlyMap<Command, string>): string {
  return `[${inline(command.name)}](${encodeURI(pages.get(command) ?? "")})`;
}

function originLabel(command: Command): string {
  switch (command.origin) {
    case "table":
      return command.doc ? "" : "undocumented";
    case "doc-only":
      return "documented, not in the table";
    case "derived-from-docs":
      return "derived from docs";
  }
}

/** `typeNames`: the TypeScript names of the schema's named types (`assignTypeNames`). */
export function emitCommandPage(
  command: Command,
  names: CommandNames,
  options: DocsOptions,
  typePages: TypePages = { types: new Map(), modules: new Map(), named: new Map(), events: new Map() },
  typeNames: TypeNames = new Map(),
): string {
  const link = typeLink(typePages, "types/");
  const doc = command.doc;
  const sections: string[] = [`# ${inline(command.name)}`];
  const facts = ["Source: its line is listed in [sources.md](sources.md)"];
  const history = historyNote(command);
  if (history) facts.push(`First in: ${text(history)}`);
  const condition = conditionOf(command);
  if (condition) facts.push(`Condition: \`#if ${condition}\``);
  if (command.origin === "doc-only") facts.push("Documented, but not in this file's dispatch table.");
  if (command.origin === "derived-from-docs") facts.push("Arguments derived from the documentation (the file has no args_type).");
  if (!doc) facts.push("This command has no documentation block.");
  if (command.argsType !== undefined) facts.push(`args_type: \`${command.argsType || "(none)"}\``);
  sections.push(facts.map((fact) => `- ${fact}`).join("\n"));
  if (doc && doc.description.length > 0) sections.push(paragraphs(doc.description));

  sections.push("## Arguments", argumentsTable(command, typeNames), ...argumentTypes(command, link));
  if (doc?.returns) sections.push("## Returns", paragraphs(doc.returns.paragraphs));
  sections.push("## Result type", typeSection(command.result, "the result", link));
  if (doc && doc.examples.length > 0) sections.push(doc.examples.length === 1 ? "## Example" : "## Examples", ...doc.examples.map(example));
  if (doc && doc.notes.length > 0) sections.push("## Notes", paragraphs(doc.notes));
  if (doc?.since) sections.push(`Since: ${text(doc.since)}`);
  sections.push("## Usage", usage(command, names, options, typePages.named));
  return sections.filter((section) => section !== "").join("\n\n") + "\n";
}

function example(item: DocExample): string {
  const heading = item.qualifier ? `### Example ${text(item.qualifier)}` : "";
  const parts = item.parts.map((part) => (part.kind === "text" ? text(part.text) : message(part.message)));
  return [heading, ...parts].filter(Boolean).join("\n\n");
}

/** A page's link to a named type's page; `prefix` leads from the page's folder to docs/types/. */
type TypeLink = (name: string) => string;

function typeLink(pages: TypePages, prefix: string): TypeLink {
  return (name) => {
    const page = pages.types.get(name);
    return page === undefined ? `\`${cellCode(name)}\`` : `[${inline(name)}](${encodeURI(prefix + page)})`;
  };
}

/** A type, where it was read, and its members as a nested list. */
function typeSection(typed: TypedValue | undefined, what: string, link: TypeLink): string {
  // Our own sentence: `what` comes as Markdown (names already in code spans).
  const note = typeOriginNote(typed, what);
  if (typed === undefined) return note;
  return [note, `Type: ${typeLabel(typed.type, link)}`, typeTree(typed.type, link, 0)].filter((part) => part !== "").join("\n\n");
}

/** A short name for a type, in Markdown. */
function typeLabel(type: DataType, link: TypeLink): string {
  switch (type.kind) {
    case "unknown":
    case "string":
    case "number":
    case "boolean":
    case "null":
      return `\`${type.kind}\``;
    case "integer":
      return type.int64 ? "`number | bigint`" : "`number`";
    case "enum":
      return type.values.length === 0 ? "no value" : `one of ${type.values.map((value) => `\`${cellCode(JSON.stringify(value))}\``).join(", ")}`;
    case "array":
      return `array of ${typeLabel(type.element, link)}`;
    case "object":
      return type.members.length === 0 ? (type.open ? "object" : "empty object `{}`") : type.open ? "object (further keys may occur)" : "object";
    case "named":
      return link(type.name);
    case "union":
      return "one of the variants below";
  }
}

/** The members of objects (and of arrays' elements, union variants) as a nested Markdown list. */
function typeTree(type: DataType, link: TypeLink, depth: number): string {
  const indent = "  ".repeat(depth);
  const lines: string[] = [];
  if (depth > 8) return "";
  switch (type.kind) {
    case "object":
      for (const member of type.members) {
        const description = inline(member.description.trim());
        lines.push(`${indent}- \`${cellCode(member.name)}\`${member.optional ? " (optional)" : ""}: ${typeLabel(member.type, link)}${description ? `. ${description}` : ""}`);
        const inner = typeTree(member.type, link, depth + 1);
        if (inner !== "") lines.push(inner);
      }
      break;
    case "array":
      return typeTree(type.element, link, depth);
    case "union":
      type.variants.forEach((variant, index) => {
        lines.push(`${indent}- variant ${index + 1}: ${typeLabel(variant, link)}`);
        const inner = typeTree(variant, link, depth + 1);
        if (inner !== "") lines.push(inner);
      });
      break;
    default:
      break;
  }
  return lines.join("\n");
}

/** Below the arguments table: each argument whose type the docs or QAPI narrowed, as a tree. */
function argumentTypes(command: Command, link: TypeLink): string[] {
  return propertyArguments(command).flatMap((arg) => {
    if (arg.type === undefined) return [];
    return [`### \`${cellCode(arg.name)}\``, typeSection(arg.type, `\`${cellCode(arg.name)}\``, link)];
  });
}

/** docs/events/index.md: every event with its summary. */
export function emitEventsIndex(schema: Schema, pages: TypePages): string {
  const items = schema.events.map((event) => {
    const summary = cell(firstSentence(paragraphsToText(event.doc?.description ?? [])));
    return `- [${inline(event.name)}](${encodeURI(pages.events.get(event.name) ?? "")})${summary ? `: ${summary}` : ""}`;
  });
  return [`# QMP events of ${inline(fileBaseName(schema.file))}`, `${schema.events.length} ${schema.events.length === 1 ? "event" : "events"}. Commands: [../index.md](../index.md).`, items.join("\n")].join("\n\n") + "\n";
}

/** docs/events/NAME.md: description, the data's type, examples, notes, and how to wait for it. */
export function emitEventPage(event: Event, dataTypeName: string, pages: TypePages, options: DocsOptions): string {
  const link = typeLink(pages, "../types/");
  const doc = event.doc;
  const sections = [`# ${inline(event.name)}`, `- Documented in \`${cellCode(fileBaseName(event.location.file))}\``];
  if (doc && doc.description.length > 0) sections.push(paragraphs(doc.description));
  sections.push("## Data", typeSection(event.data, "its data", link));
  if (doc && doc.examples.length > 0) sections.push(doc.examples.length === 1 ? "## Example" : "## Examples", ...doc.examples.map(example));
  if (doc && doc.notes.length > 0) sections.push("## Notes", paragraphs(doc.notes));
  if (doc?.since) sections.push(`Since: ${text(doc.since)}`);
  const code = [
    `import type { ${dataTypeName}, QmpEvents } from ${JSON.stringify(options.clientImport)};`,
    `import { QmpClient } from ${JSON.stringify(options.runtimeImport)};`,
    "",
    `const qmp = await QmpClient.connect<QmpEvents>({ path: "/run/qemu/vm.qmp" });`,
    `const event = await qmp.waitForEvent(${JSON.stringify(event.name)});`,
    `const data: ${dataTypeName} = event.data;`,
  ].join("\n");
  sections.push("## Usage", fence(code, "ts"));
  return sections.filter((section) => section !== "").join("\n\n") + "\n";
}

/** Each name's first item: what `find` by name answers, in one pass instead of one per lookup. */
export function firstByName<T extends { readonly name: string }>(items: readonly T[]): ReadonlyMap<string, T> {
  const byName = new Map<string, T>();
  for (const item of items) if (!byName.has(item.name)) byName.set(item.name, item);
  return byName;
}

/** docs/types/index.md: the module pages, each with its types and their summaries. */
export function emitTypesIndex(schema: Schema, pages: TypePages): string {
  const count = [...pages.modules.values()].reduce((sum, types) => sum + types.length, 0);
  const modules = [...pages.modules].map(([page, types]) => {
    const items = types.map((type) => {
      const summary = cell(firstSentence(type.description));
      return `  - [${inline(type.name)}](${encodeURI(pages.types.get(type.name) ?? page)}) (${type.kind})${summary ? `: ${summary}` : ""}`;
    });
    return [`- [${inline(fileBaseName(types[0]?.location.file ?? page))}](${encodeURI(page)})`, ...items].join("\n");
  });
  const summary = `${count} named ${count === 1 ? "type" : "types"} in ${modules.length} ${modules.length === 1 ? "module" : "modules"}. Commands: [../index.md](../index.md).`;
  return [`# Types of ${inline(fileBaseName(schema.file))}`, summary, modules.join("\n")].join("\n\n") + "\n";
}

/** docs/types/MODULE.md: the types one schema file defines, a section each. */
export function emitTypeModulePage(types: readonly NamedType[], pages: TypePages): string {
  const file = types[0]?.location.file ?? "";
  const link = typeLink(pages, "");
  const sections = [`# ${inline(moduleTitle(file))}`, `${types.length} ${types.length === 1 ? "type" : "types"}, in definition order. All types: [index.md](index.md).`];
  for (const type of types) sections.push(...namedTypeSection(type, link));
  return sections.filter((section) => section !== "").join("\n\n") + "\n";
}

function namedTypeSection(type: NamedType, link: TypeLink): string[] {
  const [first, second] = typeSectionHeadings(type).map((heading) => `### ${inline(heading)}`);
  const sections = [`## ${inline(type.name)}`, `- ${type.kind}`];
  if (type.description.trim() !== "") sections.push(text(type.description));
  switch (type.kind) {
    case "enum":
      sections.push(
        first ?? "",
        type.values.map((value, index) => `- \`${cellCode(JSON.stringify(value))}\`${type.valueDescriptions[index] ? `: ${inline(type.valueDescriptions[index])}` : ""}`).join("\n") || "None.",
      );
      break;
    case "struct":
      if (type.base !== undefined) sections.push(`Extends ${link(type.base)}.`);
      sections.push(first ?? "", typeTree({ kind: "object", members: type.members, open: false }, link, 0) || "None.");
      break;
    case "union": {
      sections.push(first ?? "", typeTree({ kind: "object", members: type.base, open: false }, link, 0) || "None.");
      const variants = type.variants.map((variant) => {
        const inner = typeTree(variant.type, link, 1);
        return `- \`${cellCode(type.discriminator)}\` = \`${cellCode(JSON.stringify(variant.tag))}\`: ${typeLabel(variant.type, link)}${inner ? `\n${inner}` : ""}`;
      });
      sections.push(second ?? "", variants.join("\n") || "None.");
      break;
    }
    case "alternate":
      sections.push(first ?? "", type.variants.map((variant) => `- ${typeLabel(variant, link)}`).join("\n") || "None.");
      break;
  }
  return sections;
}

function argumentsTable(command: Command, typeNames: TypeNames): string {
  const args = propertyArguments(command);
  const open = command.acceptsUnknownKeys ? "\n\nFurther properties are accepted (`O` in args_type): the command passes them on as options." : "";
  if (args.length === 0) return (command.acceptsUnknownKeys ? "Only open-ended properties." : "None.") + open;
  const rows = args.map((arg) => {
    const origin = arg.source === "args_type" ? `\`${cellCode(argsTypeItem(arg))}\`` : command.origin === "derived-from-docs" ? "from the docs" : "documented property";
    // A structured type does not fit a cell: its tree follows the table.
    const type = argumentType(arg, typeNames);
    const typeCell = arg.type !== undefined && /[{\n]/.test(type) ? `see \`${cellCode(arg.name)}\` below` : `\`${cellCode(type.replace(/\s+/g, " "))}\``;
    const description = arg.doc?.text || (arg.type !== undefined ? `structured: see \`${cellCode(arg.name)}\` below` : "");
    return `| \`${cellCode(arg.name)}\` | ${typeCell} | ${cell(jsonTypeOf(arg))} | ${isOptional(arg) ? "optional" : "required"} | ${description === arg.doc?.text ? cell(description) : description} | ${origin} |`;
  });
  return "| Name | TypeScript | JSON | Required | Description | args_type |\n| --- | --- | --- | --- | --- | --- |\n" + rows.join("\n") + open;
}

function message(item: ExampleMessage): string {
  const label = item.direction === "->" ? "Client → QEMU:" : "QEMU → client:";
  const language = item.json === undefined ? "text" : "json";
  return `${label}\n\n${fence(item.text, language)}`;
}

function usage(command: Command, names: CommandNames, options: DocsOptions, types: ReadonlyMap<string, NamedType>): string {
  const documented = exampleArguments(command);
  // An example this client rejects is shown above as QEMU's, not offered here as a call.
  const example = documented !== undefined && exampleProblems(command, documented).length === 0 ? documented : undefined;
  let argumentText = "";
  if (takesArguments(command)) {
    const args = example ?? Object.fromEntries(propertyArguments(command).filter((arg) => !isOptional(arg)).map((arg) => [arg.name, placeholderValue(arg, types)]));
    argumentText = `, ${typeScriptLiteral(args)}`;
  }
  const code = [
    `import { ${names.function} } from ${JSON.stringify(options.clientImport)};`,
    "",
    `const result = await ${names.function}(qmp${argumentText});`,
  ].join("\n");
  return fence(code, "ts");
}

/** A value of the argument's type (its first documented value, QAPI's type) or JSON kind, for a usage snippet without a working doc example. */
function placeholderValue(arg: Argument, types: ReadonlyMap<string, NamedType>): JsonValue {
  if (arg.type !== undefined) return sampleOf(arg.type.type, types, 0);
  return { string: "...", integer: 0, number: 0, boolean: false, any: null }[argCodes[arg.code].kind];
}

/** The smallest value of a type that type-checks: required members only, empty lists, first values and variants. */
function sampleOf(type: DataType, types: ReadonlyMap<string, NamedType>, depth: number): JsonValue {
  // Real schemas have no required cycle; a hostile one stops here.
  if (depth > 32) return null;
  switch (type.kind) {
    case "unknown":
    case "null":
      return null;
    case "string":
      return "...";
    case "integer":
    case "number":
      return 0;
    case "boolean":
      return false;
    case "enum":
      return type.values[0] ?? "...";
    case "array":
      return [];
    case "object":
      return requiredSample(type.members, types, depth);
    case "union":
      return type.variants[0] === undefined ? null : sampleOf(type.variants[0], types, depth + 1);
    case "named": {
      const named = types.get(type.name);
      switch (named?.kind) {
        case undefined:
          return null;
        case "enum":
          return named.values[0] ?? "...";
        case "struct": {
          const base = named.base === undefined ? undefined : sampleOf({ kind: "named", name: named.base }, types, depth + 1);
          return { ...(isJsonObject(base) ? base : {}), ...requiredSample(named.members, types, depth) };
        }
        case "union": {
          const [variant] = named.variants;
          const common = requiredSample(named.base, types, depth);
          if (variant === undefined) return common;
          const branch = sampleOf(variant.type, types, depth + 1);
          return { ...common, [named.discriminator]: variant.tag, ...(isJsonObject(branch) ? branch : {}) };
        }
        case "alternate":
          return named.variants[0] === undefined ? null : sampleOf(named.variants[0], types, depth + 1);
      }
    }
  }
}

function requiredSample(members: readonly Member[], types: ReadonlyMap<string, NamedType>, depth: number): JsonObject {
  return Object.fromEntries(members.filter((member) => !member.optional).map((member) => [member.name, sampleOf(member.type, types, depth + 1)]));
}

function paragraphs(items: readonly Paragraph[]): string {
  return items.map((paragraph) => (paragraph.kind === "text" ? text(paragraph.text) : list(paragraph.items, 0))).join("\n\n");
}

function list(items: readonly DocItem[], depth: number): string {
  return items
    .map((item) => {
      const name = item.name === undefined ? "" : `\`${cellCode(item.name)}\`: `;
      const annotation = [item.type, item.optional ? "optional" : undefined, ...item.annotationRest].filter(Boolean).join(", ");
      const line = `${"  ".repeat(depth)}- ${name}${text(item.text)}${annotation ? ` (${text(annotation)})` : ""}`;
      return [line, ...(item.children.length > 0 ? [list(item.children, depth + 1)] : [])].join("\n");
    })
    .join("\n");
}

/** A fenced block whose fence is longer than any backtick run inside. */
function fence(content: string, language: string): string {
  const longest = Math.max(2, ...[...content.matchAll(/`+/g)].map((match) => match[0].length));
  const marks = "`".repeat(longest + 1);
  return `${marks}${language}\n${content}\n${marks}`;
}

/**
 * Doc prose as Markdown text: characters Markdown would read as markup are escaped, and a
 * line that looks like a block (heading, list, quote, table) stays a line of text.
 */
function text(value: string): string {
  return value
    .split("\n")
    .map((line) =>
      line
        .trim()
        .replace(/[\\`*[\]<|~]/g, "\\$&")
        // An underscore inside a word (query_version) never starts emphasis.
        .replace(/(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])/g, "\\_")
        .replace(/&(?=#?[A-Za-z0-9]+;)/g, "\\&")
        .replace(/!(?=\\\[)/g, "\\!")
        .replace(/^(#|[-+=]|\d+[.)])(\s|$)/, "\\$1$2")
        .replace(/^>/, "\\>"),
    )
    .join("\n");
}

function inline(value: string): string {
  return text(value.replace(/\s+/g, " "));
}

/** Table cells are one line; pipes are escaped. */
function cell(value: string): string {
  return text(value.replace(/\s+/g, " ").trim());
}

/** Inside a code span in a table: only pipes and backticks need care. */
function cellCode(value: string): string {
  return value.replace(/\|/g, "\\|").replace(/`/g, "'");
}
