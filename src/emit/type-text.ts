// DataType as TypeScript text: type expressions for results, narrowed arguments and event data,
// and the note saying where a type was read. Plain strings, no ts-morph: the Markdown pages
// (on the main thread) use them too.
import type { DataType, Member, TypedValue } from "../model/types.js";
import { propertyKey } from "./names.js";

/**
 * Doc text is the .hx author's prose: it must not close the comment (`*\/`), open one
 * (ts-morph's writer tracks `/*` and would then close it itself) nor start a JSDoc tag at the
 * beginning of a line (`@foo`).
 */
export function escapeDocText(text: string): string {
  return text
    .replace(/\*\//g, "*\\/")
    .replace(/\/\*/g, "/\\*")
    .replace(/^(\s*)@/gm, "$1\\@")
    .replace(/\r/g, "");
}

/** TypeScript names of Schema.types by their QAPI name. */
export type TypeNames = ReadonlyMap<string, string>;

/** A type expression for `type`; `named` references to types the schema lacks are `unknown`. */
export function typeScriptType(type: DataType, names: TypeNames): string {
  switch (type.kind) {
    case "unknown":
      return "unknown";
    case "string":
      return "string";
    case "integer":
      // Beyond 2^53 the runtime hands out (and accepts) a bigint.
      return type.int64 ? "number | bigint" : "number";
    case "number":
      return "number";
    case "boolean":
      return "boolean";
    case "null":
      return "null";
    case "enum":
      return type.values.length === 0 ? "never" : type.values.map((value) => JSON.stringify(value)).join(" | ");
    case "array":
      return `readonly ${grouped(typeScriptType(type.element, names), type.element)}[]`;
    case "object":
      return objectType(type.members, type.open, names);
    case "named":
      return names.get(type.name) ?? "unknown";
    case "union":
      return type.variants.length === 0 ? "never" : [...new Set(type.variants.map((variant) => grouped(typeScriptType(variant, names), variant)))].join(" | ");
  }
}

/** Parentheses where a type expression would otherwise bind wrongly inside `T[]` or a union. */
export function grouped(text: string, type: DataType): string {
  return type.kind !== "object" && (text.includes(" | ") || text.startsWith("readonly ")) ? `(${text})` : text;
}

/** An object type literal; a closed object with no members is the empty reply `{}`. */
export function objectType(members: readonly Member[], open: boolean, names: TypeNames): string {
  if (members.length === 0) return open ? "{ readonly [key: string]: unknown }" : "Record<string, never>";
  const lines = members.map((member) => `${memberDoc(member)}readonly ${propertyKey(member.name)}${member.optional ? "?" : ""}: ${typeScriptType(member.type, names)};`);
  // Keys beyond the documented ones may occur: typed `unknown` rather than hidden.
  if (open) lines.push("readonly [key: string]: unknown;");
  return `{\n${lines.join("\n")}\n}`;
}

function memberDoc(member: Member): string {
  const text = member.description.replace(/\s+/g, " ").trim();
  return text === "" ? "" : `/** ${escapeDocText(text)} */\n`;
}

/** Where a type came from, for JSDoc and pages: the doc text, an example reply or a QAPI schema. */
export function typeOriginNote(typed: TypedValue | undefined, what: string): string {
  if (typed === undefined) return `The docs do not describe ${what}: it is typed \`unknown\`.`;
  switch (typed.origin) {
    case "docs":
      return `The type of ${what} is read from the documentation.`;
    case "example":
      return `The type of ${what} is inferred from an example in the documentation (the docs give no description of it).`;
    case "qapi":
      return `The type of ${what} is from the QAPI schema.`;
  }
}

