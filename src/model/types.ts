// The one model of a qmp-commands.hx file that every emitter and the linter read. It holds
// facts with their source locations; no emitter looks at the .hx text again.
import type { SourceLocation } from "../frontend/source.js";

export type { SourceLocation };

/** An args_type code that QMP accepted (`-` is a `-x` flag). */
export type ArgCode = "s" | "F" | "B" | "i" | "l" | "M" | "o" | "T" | "b" | "O" | "q" | "f" | "-";

export interface Schema {
  readonly file: string;
  /** `hx`: a dispatch table with SQMP blocks; `doc-only`: docs/qmp-commands.txt. */
  readonly format: "hx" | "doc-only";
  /** Table commands in table order, then commands that are only documented. */
  readonly commands: readonly Command[];
  /** SQMP blocks that document no command: the preamble, chapter headings, placeholders. */
  readonly otherDocs: readonly CommandDoc[];
  /** Events, from an events document or a QAPI schema; empty when neither was read. */
  readonly events: readonly Event[];
  /** Named types that `named` DataTypes refer to (from a QAPI schema), in definition order. */
  readonly types: readonly NamedType[];
}

export interface Command {
  /** The name on the wire, after macro expansion. */
  readonly name: string;
  /**
   * `table`: a C entry (with or without docs); `doc-only`: documented but not in the table
   * (query commands up to 0.15); `derived-from-docs`: a doc-only file, whose arguments were
   * read from the Arguments list.
   */
  readonly origin: "table" | "doc-only" | "derived-from-docs";
  readonly location: SourceLocation;
  /** Preprocessor conditions the entry sits under, outermost first (all must hold). */
  readonly conditions: readonly Condition[];
  /** The decoded args_type, or undefined for commands that have no table entry. */
  readonly argsType: string | undefined;
  readonly args: readonly Argument[];
  /** An `O` argument lets keys through that args_type does not name. */
  readonly acceptsUnknownKeys: boolean;
  /** The entry's other fields (`.params`, `.help`, `.mhandler.cmd_new`, ...), as written. */
  readonly fields: readonly EntryField[];
  readonly doc: CommandDoc | undefined;
  /** What a successful reply's `return` holds; undefined when nothing says (the client types it `unknown`). */
  readonly result: TypedValue | undefined;
  /** The first of several files compared (`generate --history`) that has this command; absent otherwise. */
  readonly firstIn?: FirstAppearance;
}

/** A version among files in release order: `2.7.0`, or the file's name when none is known. */
export interface FirstAppearance {
  readonly version: string;
  /** Where `version` came from: `--version-of`, the file's name, or (no version known) it is the file's name. */
  readonly from: "option" | "file name" | "file";
}

export interface Condition {
  /** The directive as written: `#if defined(CONFIG_SPICE)`, `#ifdef X`, `#else` ... */
  readonly directive: string;
  /** A C preprocessor expression equivalent to the condition: `defined(CONFIG_SPICE)`, `!(X)`. */
  readonly expression: string;
  readonly location: SourceLocation;
}

export interface Argument {
  readonly name: string;
  readonly code: ArgCode;
  /** The letter of a `-x` flag. */
  readonly flag: string | undefined;
  readonly optional: boolean;
  /**
   * `args_type`: from the table; `doc`: a property an `O` command's doc lists, or an argument
   * of a doc-only command, read from its Arguments list.
   */
  readonly source: "args_type" | "doc";
  readonly location: SourceLocation;
  /** The doc's Arguments item for this argument, when there is one. */
  readonly doc: DocItem | undefined;
  /**
   * A narrowing of what `code` accepts on the wire (an enum of a string, the shape of a `q`
   * value), from the docs or QAPI. Undefined: the code's JSON type is all that is known.
   * Never wider than the code: a docs or QAPI type that contradicts it is a lint finding.
   */
  readonly type: TypedValue | undefined;
  /** The first of several files compared (`generate --history`) that has this argument; absent otherwise. */
  readonly firstIn?: FirstAppearance;
}

export interface EntryField {
  /** `params`, `help`, `user_print`, `mhandler.cmd_new`, `mhandler.cmd_async`, `flags` ... */
  readonly name: string;
  readonly value: FieldValue;
  readonly location: SourceLocation;
}

export type FieldValue =
  | { readonly kind: "string"; readonly value: string }
  | { readonly kind: "identifier"; readonly name: string }
  | { readonly kind: "number"; readonly value: number };

export interface CommandDoc {
  readonly title: string;
  readonly location: SourceLocation;
  readonly underline: { readonly char: string; readonly length: number; readonly location: SourceLocation } | undefined;
  /** A block with nothing but a title (`SQMP / foo / EQMP`). */
  readonly placeholder: boolean;
  /** The block was not closed by EQMP before the end of the file. */
  readonly unterminated: boolean;
  /** Text before the first section, paragraphs separated by blank lines. */
  readonly description: readonly Paragraph[];
  readonly arguments: DocArguments | undefined;
  readonly returns: DocSection | undefined;
  readonly examples: readonly DocExample[];
  readonly notes: readonly Paragraph[];
  readonly since: string | undefined;
}

/** Lines of doc text; list items keep their structure. */
export type Paragraph =
  | { readonly kind: "text"; readonly text: string; readonly location: SourceLocation }
  | { readonly kind: "list"; readonly items: readonly DocItem[]; readonly location: SourceLocation };

export interface DocSection {
  readonly location: SourceLocation;
  readonly paragraphs: readonly Paragraph[];
}

export interface DocArguments extends DocSection {
  /** `Arguments: None.` */
  readonly none: boolean;
  /** Every top-level item of the section's lists. */
  readonly items: readonly DocItem[];
}

/** `- "name": text (json-type, optional)`, with nested items below it. */
export interface DocItem {
  /** The name before the colon, or undefined for an item that is only text. */
  readonly name: string | undefined;
  readonly quoted: boolean;
  /** The text after the name, continuation lines joined, annotation removed. */
  readonly text: string;
  /** The type named in the trailing annotation: `json-int`, `BlockdevOnError`, `array of json-object` ... */
  readonly type: string | undefined;
  readonly optional: boolean;
  /** Other words of the annotation, such as `default false`. */
  readonly annotationRest: readonly string[];
  readonly children: readonly DocItem[];
  /**
   * Children grouped by the sibling value that selects them: transaction's `data` writes
   * `When "type" is "blockdev-snapshot-sync":` above the items that apply. Absent otherwise.
   */
  readonly cases?: readonly DocItemCase[];
  readonly location: SourceLocation;
}

/** The children of an item that apply when the sibling `discriminator` has the value `value`. */
export interface DocItemCase {
  readonly discriminator: string;
  readonly value: string;
  readonly items: readonly DocItem[];
}

export interface DocExample {
  /** `(1)` in `Example (1):`. */
  readonly qualifier: string;
  readonly location: SourceLocation;
  /** Messages and the text between them, in order. */
  readonly parts: readonly ExamplePart[];
}

export type ExamplePart =
  | { readonly kind: "message"; readonly message: ExampleMessage }
  | { readonly kind: "text"; readonly text: string; readonly location: SourceLocation };

export interface ExampleMessage {
  /** `->` client to server, `<-` server to client. */
  readonly direction: "->" | "<-";
  /** The message as written, indentation of continuation lines kept. */
  readonly text: string;
  /** The parsed JSON, or undefined when the text is not JSON. */
  readonly json: JsonValue | undefined;
  readonly location: SourceLocation;
}

export type JsonValue = null | boolean | number | string | readonly JsonValue[] | { readonly [key: string]: JsonValue };

// ---- Data types: results, narrowed arguments, event data, QAPI's named types ----

/** Where a type was read: the doc text (Returns, Arguments, Data items), an example reply, or a QAPI schema. */
export type TypeOrigin = "docs" | "example" | "qapi";

/** A type with where it came from; `location` points at the text it was read from. */
export interface TypedValue {
  readonly type: DataType;
  readonly origin: TypeOrigin;
  readonly location: SourceLocation;
}

/**
 * A JSON value's type. Every front end fills it, every emitter renders it and `diff` compares
 * it. A closed object with no members is the empty reply `{}`.
 */
export type DataType =
  /** Nothing is known (QAPI's `any`, an undocumented value). */
  | { readonly kind: "unknown" }
  | { readonly kind: "string" }
  /** `int64`: may exceed 2^53 (QAPI int64/uint64/size, args_type `l o M`), so `number | bigint`. */
  | { readonly kind: "integer"; readonly int64: boolean }
  | { readonly kind: "number" }
  | { readonly kind: "boolean" }
  | { readonly kind: "null" }
  /** One of these strings (a complete documented value list, or an inline enum). */
  | { readonly kind: "enum"; readonly values: readonly string[] }
  | { readonly kind: "array"; readonly element: DataType }
  /** `open`: keys beyond `members` may occur (a partly documented object). */
  | { readonly kind: "object"; readonly members: readonly Member[]; readonly open: boolean }
  /** A NamedType of `Schema.types`. */
  | { readonly kind: "named"; readonly name: string }
  /** Any one of these (QAPI alternates, `json-int or json-string`). */
  | { readonly kind: "union"; readonly variants: readonly DataType[] };

export interface Member {
  /** The key on the wire. */
  readonly name: string;
  readonly type: DataType;
  readonly optional: boolean;
  /** The member's doc text, or "" when undocumented. */
  readonly description: string;
  readonly location: SourceLocation;
}

/** A type with a name, as QAPI defines it; `named` DataTypes refer to it. */
export type NamedType =
  /** `valueDescriptions[i]`: the doc comment's text of `values[i]`, or "". */
  | (NamedTypeCommon & { readonly kind: "enum"; readonly values: readonly string[]; readonly valueDescriptions: readonly string[] })
  | (NamedTypeCommon & { readonly kind: "struct"; readonly base: string | undefined; readonly members: readonly Member[] })
  /**
   * A discriminated union on the wire: `base` members (the discriminator among them) plus the
   * members of the variant its discriminator value picks. QAPI's simple unions are lowered to
   * this form (`type` discriminator, `data` member).
   */
  | (NamedTypeCommon & {
      readonly kind: "union";
      readonly base: readonly Member[];
      readonly discriminator: string;
      readonly variants: readonly { readonly tag: string; readonly type: DataType }[];
    })
  | (NamedTypeCommon & { readonly kind: "alternate"; readonly variants: readonly DataType[] });

interface NamedTypeCommon {
  readonly name: string;
  /** The doc comment's text, or "". */
  readonly description: string;
  readonly location: SourceLocation;
}

/** An asynchronous message QEMU sends: `{ "event": name, "data": ..., "timestamp": ... }`. */
export interface Event {
  readonly name: string;
  readonly location: SourceLocation;
  /** The event's documentation (Data items are its `arguments`), when an events document was read. */
  readonly doc: CommandDoc | undefined;
  /** What `data` holds; undefined when nothing says. */
  readonly data: TypedValue | undefined;
}
