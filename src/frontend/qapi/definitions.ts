// A QAPI schema (qapi-schema.json and the files it includes) -> its definitions, each with its
// source location and doc comment, checked the way QEMU's scripts/qapi checked them: a
// malformed definition or include is a located error; a reference to an unknown type and a
// second definition of a name are notices (lint findings), the way a user's schema from a
// release we have not seen still yields what it can.
import { readFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { HxError, SourceText, type Diagnostic, type SourceLocation } from "../source.js";
import type { Notice } from "../../model/notices.js";
import { parseQapiFile } from "./parse.js";
import type { QapiCommentNode, QapiObjectNode, QapiStringNode, QapiValueNode } from "./parse-tree.js";
import { parseDocComment, type QapiDoc } from "./doc-comment.js";

export type { QapiDoc };

/** A type as a definition writes it: a name, `['Name']`, or (1.x, and union bases from 2.7) inline members. */
export type QapiTypeRef =
  | { readonly kind: "name"; readonly name: string; readonly location: SourceLocation }
  | { readonly kind: "list"; readonly element: QapiTypeRef; readonly location: SourceLocation }
  | { readonly kind: "members"; readonly members: readonly QapiMember[]; readonly location: SourceLocation };

export interface QapiMember {
  /** The key on the wire, without the `*` that marks it optional. */
  readonly name: string;
  readonly optional: boolean;
  readonly type: QapiTypeRef;
  /** The doc comment's `@name:` text, or "". */
  readonly description: string;
  readonly location: SourceLocation;
}

/** A union's or alternate's branch: `'tag': 'Type'`. */
export interface QapiVariant {
  readonly tag: string;
  readonly type: QapiTypeRef;
  readonly location: SourceLocation;
}

interface DefinitionCommon {
  readonly name: string;
  /** Where the name is written. */
  readonly location: SourceLocation;
  readonly doc: QapiDoc;
}

export type QapiDefinition =
  | (DefinitionCommon & { readonly kind: "enum"; readonly values: readonly { readonly name: string; readonly location: SourceLocation }[] })
  /** `'struct'`, or `'type'` before 2.3. */
  | (DefinitionCommon & { readonly kind: "struct"; readonly base: QapiTypeRef | undefined; readonly members: readonly QapiMember[] })
  /** No discriminator: a simple union (`type` and `data` on the wire). `base`: a struct name or, from 2.7, inline members. */
  | (DefinitionCommon & {
      readonly kind: "union";
      readonly base: QapiTypeRef | undefined;
      readonly discriminator: string | undefined;
      readonly variants: readonly QapiVariant[];
    })
  /** `'alternate'`, or a `'union'` with `'discriminator': {}` before 2.3. */
  | (DefinitionCommon & { readonly kind: "alternate"; readonly variants: readonly QapiVariant[] })
  | (DefinitionCommon & {
      readonly kind: "command";
      /** Inline members, or the name of a struct whose members are the arguments. */
      readonly data: QapiTypeRef | undefined;
      readonly returns: QapiTypeRef | undefined;
      /** `'gen': false` (`'no'` in 1.x): marshalled by hand, so `data` may not be all it takes. */
      readonly gen: boolean;
    })
  | (DefinitionCommon & { readonly kind: "event"; readonly data: QapiTypeRef | undefined });

export type QapiDefinitionKind = QapiDefinition["kind"];

export interface QapiSchema {
  /** The schema's top file, as the user named it. */
  readonly file: string;
  /** Every file read, the top file first, then includes in the order they were met. */
  readonly files: readonly string[];
  readonly definitions: readonly QapiDefinition[];
  readonly notices: readonly Notice[];
}

/** QAPI's built-in types, and the placeholders of 1.x-2.2 `'gen': false` commands (`visitor`, `**`). */
export const qapiBuiltinTypes: ReadonlySet<string> = new Set([
  "str",
  "int",
  "int8",
  "int16",
  "int32",
  "int64",
  "uint8",
  "uint16",
  "uint32",
  "uint64",
  "size",
  "number",
  "bool",
  "any",
  "null",
  "visitor",
  "**",
]);

const metaKeys = ["enum", "struct", "type", "union", "alternate", "command", "event", "include", "pragma"] as const;
type MetaKey = (typeof metaKeys)[number];

/** Keys each kind of definition may have (QEMU 1.1-2.8, and a few later ones that change no type). */
const allowedKeys: Readonly<Record<MetaKey, readonly string[]>> = {
  enum: ["data", "prefix", "if"],
  struct: ["data", "base", "if", "features"],
  type: ["data", "base"],
  union: ["data", "base", "discriminator", "if", "features"],
  alternate: ["data", "if", "features"],
  command: ["data", "returns", "gen", "success-response", "boxed", "if", "features", "allow-oob", "allow-preconfig", "coroutine"],
  event: ["data", "boxed", "if", "features"],
  include: [],
  pragma: [],
};

export type ReadText = (path: string) => Promise<string>;

/**
 * Reads a schema and everything it includes (paths relative to the including file). Throws
 * HxError with every malformed definition, missing include and include cycle, located.
 */
export async function loadQapiSchema(path: string, read: ReadText = (file) => readFile(file, "utf8")): Promise<QapiSchema> {
  const loader = new Loader(read);
  await loader.load(path, await read(path), []);
  if (loader.diagnostics.length > 0) throw new HxError(loader.diagnostics);
  return { file: path, files: loader.files, definitions: loader.definitions, notices: [...loader.notices, ...checkReferences(loader.definitions)] };
}

/** Parses one schema text without includes (an include is a located error). */
export function parseQapiSchema(text: string, file = "qapi-schema.json"): QapiSchema {
  const loader = new Loader(undefined);
  const source = new SourceText(file, text);
  loader.collect(source, parseQapiFile(source).items);
  if (loader.diagnostics.length > 0) throw new HxError(loader.diagnostics);
  return { file, files: [file], definitions: loader.definitions, notices: [...loader.notices, ...checkReferences(loader.definitions)] };
}

class Loader {
  readonly files: string[] = [];
  readonly definitions: QapiDefinition[] = [];
  readonly notices: Notice[] = [];
  readonly diagnostics: Diagnostic[] = [];
  private readonly included = new Set<string>();
  private readonly byName = new Map<string, QapiDefinition>();

  constructor(private readonly read: ReadText | undefined) {}

  /** `stack`: the resolved paths of the files that include this one, outermost first. */
  async load(file: string, text: string, stack: readonly string[]): Promise<void> {
    const source = new SourceText(file, text.startsWith("\ufeff") ? text.slice(1) : text);
    this.files.push(file);
    this.included.add(resolve(file));
    let tree;
    try {
      tree = parseQapiFile(source);
    } catch (error) {
      if (!(error instanceof HxError)) throw error;
      this.diagnostics.push(...error.diagnostics);
      return;
    }
    const includes = this.collect(source, tree.items);
    for (const include of includes) await this.include(source, file, include, [...stack, resolve(file)]);
  }

  /** Turns a file's definitions into the model; returns its includes, to be read in order after it. */
  collect(source: SourceText, items: readonly (QapiCommentNode | QapiObjectNode)[]): QapiStringNode[] {
    const includes: QapiStringNode[] = [];
    let comments: QapiCommentNode[] = [];
    for (const item of items) {
      if (item.kind === "comment") {
        comments.push(item);
        continue;
      }
      const doc = parseDocComment(docBlock(comments));
      comments = [];
      try {
        const result = definition(source, item, doc);
        if (result === undefined) continue;
        if ("include" in result) {
          if (this.read === undefined) throw located(source, result.include, "an include needs a schema read from a file");
          includes.push(result.include);
          continue;
        }
        this.add(result);
      } catch (error) {
        if (!(error instanceof HxError)) throw error;
        this.diagnostics.push(...error.diagnostics);
      }
    }
    return includes;
  }

  private async include(source: SourceText, includingFile: string, node: QapiStringNode, stack: readonly string[]): Promise<void> {
    const file = join(dirname(includingFile), node.value);
    const absolute = resolve(file);
    if (stack.includes(absolute)) {
      this.diagnostics.push(source.diagnostic(node.offset, `include cycle: '${node.value}' includes itself through ${[...stack.slice(stack.indexOf(absolute)), absolute].join(" -> ")}`));
      return;
    }
    // QEMU reads a file included twice (a diamond) only once.
    if (this.included.has(absolute)) return;
    let text: string;
    try {
      text = await (this.read as ReadText)(file);
    } catch (error) {
      const { code } = error as NodeJS.ErrnoException;
      if (typeof code !== "string") throw error;
      this.diagnostics.push(source.diagnostic(node.offset, `cannot read the included file '${file}' (${code})`));
      return;
    }
    await this.load(file, text, stack);
  }

  private add(definition: QapiDefinition): void {
    const earlier = this.byName.get(definition.name);
    if (earlier !== undefined) {
      const where = `${earlier.location.file}:${earlier.location.line}:${earlier.location.column}`;
      this.notices.push({
        rule: "qapi-schema",
        severity: "error",
        message: `'${definition.name}' is already defined at ${where}; this ${definition.kind} is ignored`,
        location: definition.location,
      });
      return;
    }
    this.byName.set(definition.name, definition);
    this.definitions.push(definition);
  }
}

/** The `##` block right above a definition: the lines between its last two `##` lines. */
function docBlock(comments: readonly QapiCommentNode[]): readonly string[] {
  // A block's `##` lines; 2.7's block-core.json closes one with `###` (before 2.9 nothing checked).
  let last = -1;
  let before = -1;
  for (let index = comments.length - 1; index >= 0 && before < 0; index--) {
    if (!/^#+\s*$/.test((comments[index] as QapiCommentNode).text)) continue;
    if (last < 0) last = index;
    else before = index;
  }
  if (last < 0) return [];
  // One marker: the block runs from it to the definition.
  const [start, end] = before < 0 ? [last, comments.length] : [before, last];
  return comments.slice(start + 1, end).map((comment) => comment.text);
}

function located(source: SourceText, node: { readonly offset: number }, message: string): HxError {
  return new HxError([source.diagnostic(node.offset, message)]);
}

type Entries = ReadonlyMap<string, { readonly key: QapiStringNode; readonly value: QapiValueNode }>;

function entriesOf(source: SourceText, node: QapiObjectNode): Entries {
  const entries = new Map<string, { key: QapiStringNode; value: QapiValueNode }>();
  for (const entry of node.entries) {
    if (entries.has(entry.key.value)) throw located(source, entry.key, `duplicate key '${entry.key.value}'`);
    entries.set(entry.key.value, entry);
  }
  return entries;
}

function definition(source: SourceText, node: QapiObjectNode, doc: QapiDoc): QapiDefinition | { include: QapiStringNode } | undefined {
  const entries = entriesOf(source, node);
  const metas = metaKeys.filter((key) => entries.has(key));
  const [meta] = metas;
  if (meta === undefined || metas.length > 1) {
    const found = metas.length > 1 ? `both '${metas[0]}' and '${metas[1]}'` : "none of them";
    throw located(source, node, `a definition needs exactly one of ${metaKeys.map((key) => `'${key}'`).join(", ")}; it has ${found}`);
  }
  for (const [key, { key: keyNode }] of entries) {
    if (key !== meta && !allowedKeys[meta].includes(key)) {
      throw located(source, keyNode, `unknown key '${key}' in a '${meta}' definition: expected ${allowedKeys[meta].map((allowed) => `'${allowed}'`).join(", ") || "nothing else"}`);
    }
  }
  if (meta === "pragma") return undefined;
  const nameNode = stringValue(source, entries, meta, `the ${meta === "include" ? "file to include" : "definition's name"}`);
  if (meta === "include") return { include: nameNode };
  const name = nameNode.value;
  const common = { name, location: source.locate(nameNode.offset), doc };
  const data = entries.get("data")?.value;
  switch (meta) {
    case "enum": {
      if (data?.kind !== "array") throw located(source, data ?? node, `enum '${name}' needs 'data': a list of its values`);
      const values = data.elements.map((element) => {
        // From 2.9 a value may be { 'name': ..., 'if': ... }.
        const value = element.kind === "object" ? entriesOf(source, element).get("name")?.value : element;
        if (value?.kind !== "string") throw located(source, element, `a value of enum '${name}' must be a 'string'`);
        return { name: value.value, location: source.locate(value.offset) };
      });
      return { ...common, kind: "enum", values };
    }
    case "struct":
    case "type": {
      if (data?.kind !== "object") throw located(source, data ?? node, `struct '${name}' needs 'data': an object of its members`);
      const base = entries.get("base")?.value;
      return { ...common, kind: "struct", base: base === undefined ? undefined : typeName(source, base, "a struct's base"), members: members(source, data, doc, "") };
    }
    case "union":
    case "alternate": {
      if (data?.kind !== "object") throw located(source, data ?? node, `${meta} '${name}' needs 'data': an object of its branches`);
      const variants = data.entries.map(({ key, value }) => ({ tag: key.value, type: typeRef(source, value, doc, ""), location: source.locate(key.offset) }));
      const discriminator = entries.get("discriminator")?.value;
      // Before 2.3 an alternate was written as a union with an empty discriminator.
      if (meta === "alternate" || (discriminator?.kind === "object" && discriminator.entries.length === 0)) return { ...common, kind: "alternate", variants };
      if (discriminator !== undefined && discriminator.kind !== "string") throw located(source, discriminator, `the discriminator of union '${name}' must be a member name`);
      const base = entries.get("base")?.value;
      if (discriminator !== undefined && base === undefined) throw located(source, discriminator, `flat union '${name}' needs a 'base' holding its discriminator`);
      return {
        ...common,
        kind: "union",
        base: base === undefined ? undefined : base.kind === "object" ? typeRef(source, base, doc, "") : typeName(source, base, "a union's base"),
        discriminator: discriminator?.value,
        variants,
      };
    }
    case "command":
    case "event": {
      const argumentsRef = data === undefined ? undefined : data.kind === "object" ? typeRef(source, data, doc, "") : typeName(source, data, `the ${meta}'s 'data'`);
      if (meta === "event") return { ...common, kind: "event", data: argumentsRef };
      const returns = entries.get("returns")?.value;
      return { ...common, kind: "command", data: argumentsRef, returns: returns === undefined ? undefined : typeRef(source, returns, doc, ""), gen: flag(source, entries, "gen", true) };
    }
  }
}

function stringValue(source: SourceText, entries: Entries, key: string, what: string): QapiStringNode {
  const entry = entries.get(key);
  if (entry?.value.kind !== "string") throw located(source, entry?.value ?? { offset: 0 }, `'${key}' must be a 'string': ${what}`);
  return entry.value;
}

/** `true`/`false`, or 1.x's `'yes'`/`'no'`. */
function flag(source: SourceText, entries: Entries, key: string, absent: boolean): boolean {
  const value = entries.get(key)?.value;
  if (value === undefined) return absent;
  if (value.kind === "boolean") return value.value;
  if (value.kind === "string" && (value.value === "yes" || value.value === "no")) return value.value === "yes";
  throw located(source, value, `'${key}' must be true or false`);
}

function typeName(source: SourceText, node: QapiValueNode, what: string): QapiTypeRef {
  if (node.kind !== "string") throw located(source, node, `${what} must be a type name`);
  return { kind: "name", name: node.value, location: source.locate(node.offset) };
}

/** `prefix`: the dotted path of an inline object's members in the doc comment (`qemu.major`). */
function typeRef(source: SourceText, node: QapiValueNode, doc: QapiDoc, prefix: string): QapiTypeRef {
  const location = source.locate(node.offset);
  switch (node.kind) {
    case "string":
      return { kind: "name", name: node.value, location };
    case "array": {
      const [element, ...extra] = node.elements;
      if (element === undefined || extra.length > 0 || element.kind !== "string") throw located(source, node, "a list type is written ['TypeName']");
      return { kind: "list", element: typeRef(source, element, doc, prefix), location };
    }
    case "object":
      return { kind: "members", members: members(source, node, doc, prefix), location };
    case "boolean":
      throw located(source, node, "expected a type: 'TypeName', ['TypeName'] or { members }");
  }
}

function members(source: SourceText, node: QapiObjectNode, doc: QapiDoc, prefix: string): QapiMember[] {
  const seen = new Set<string>();
  return node.entries.map(({ key, value }) => {
    const optional = key.value.startsWith("*");
    const name = optional ? key.value.slice(1) : key.value;
    if (seen.has(name)) throw located(source, key, `member '${name}' is listed twice`);
    seen.add(name);
    const path = `${prefix}${name}`;
    return { name, optional, type: typeRef(source, value, doc, `${path}.`), description: doc.members.get(path) ?? "", location: source.locate(key.offset) };
  });
}

// ---- References ----

type Reference = { readonly name: string; readonly location: SourceLocation };

/** Every type name a definition refers to, with where (a plain walk: generators cost more, run once and cold). */
function references(definition: QapiDefinition): Reference[] {
  const found: Reference[] = [];
  const inRef = (ref: QapiTypeRef | undefined): void => {
    if (ref === undefined) return;
    if (ref.kind === "name") found.push(ref);
    else if (ref.kind === "list") inRef(ref.element);
    else for (const member of ref.members) inRef(member.type);
  };
  switch (definition.kind) {
    case "enum":
      break;
    case "struct":
      inRef(definition.base);
      for (const member of definition.members) inRef(member.type);
      break;
    case "union":
      inRef(definition.base);
      for (const variant of definition.variants) inRef(variant.type);
      break;
    case "alternate":
      for (const variant of definition.variants) inRef(variant.type);
      break;
    case "command":
      inRef(definition.data);
      inRef(definition.returns);
      break;
    case "event":
      inRef(definition.data);
      break;
  }
  return found;
}

/** QEMU's checks that need the whole schema: references to types nobody defines, commands and events used as types. */
function checkReferences(definitions: readonly QapiDefinition[]): Notice[] {
  const byName = new Map(definitions.map((definition) => [definition.name, definition]));
  const notices: Notice[] = [];
  for (const definition of definitions) {
    // QEMU generated no code for a 'gen': false command and so never checked its types
    // (2.1's object-add takes a 'dict').
    if (definition.kind === "command" && !definition.gen) continue;
    for (const { name, location } of references(definition)) {
      if (qapiBuiltinTypes.has(name)) continue;
      const target = byName.get(name);
      if (target === undefined) {
        notices.push({ rule: "qapi-schema", severity: "error", message: `${definition.kind} '${definition.name}' refers to type '${name}', which is not defined`, location });
      } else if (target.kind === "command" || target.kind === "event") {
        notices.push({ rule: "qapi-schema", severity: "error", message: `${definition.kind} '${definition.name}' uses ${target.kind} '${name}' as a type`, location });
      }
    }
  }
  return notices;
}
