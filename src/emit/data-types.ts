// DataType and NamedType as TypeScript: type expressions for results, narrowed arguments and
// event data, and declarations for the named types of Schema.types (struct -> interface,
// enum -> union of string literals, union -> discriminated union, alternate -> union).
import { StructureKind, type InterfaceDeclarationStructure, type StatementStructures, type TypeAliasDeclarationStructure } from "ts-morph";
import type { DataType, Member, NamedType, TypedValue } from "../model/types.js";
import { propertyKey } from "./names.js";
import { escapeDocText, jsDoc } from "./typescript.js";

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
function grouped(text: string, type: DataType): string {
  return type.kind !== "object" && (text.includes(" | ") || text.startsWith("readonly ")) ? `(${text})` : text;
}

/** An object type literal; a closed object with no members is the empty reply `{}`. */
function objectType(members: readonly Member[], open: boolean, names: TypeNames): string {
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

/** Declarations for Schema.types, in schema order. */
export function namedTypeDeclarations(types: readonly NamedType[], names: TypeNames): StatementStructures[] {
  return types.map((type) => namedTypeDeclaration(type, names));
}

function namedTypeDeclaration(type: NamedType, names: TypeNames): InterfaceDeclarationStructure | TypeAliasDeclarationStructure {
  const name = names.get(type.name) ?? type.name;
  const docs = [jsDoc([type.description, `QAPI type \`${type.name}\`.`].filter((text) => text !== "").join("\n\n"))];
  switch (type.kind) {
    case "struct": {
      const base = type.base === undefined ? undefined : names.get(type.base);
      return {
        kind: StructureKind.Interface,
        name,
        isExported: true,
        docs,
        extends: base === undefined ? [] : [base],
        properties: type.members.map((member) => ({
          name: propertyKey(member.name),
          type: typeScriptType(member.type, names),
          hasQuestionToken: member.optional,
          isReadonly: true,
          docs: member.description.trim() === "" ? [] : [jsDoc(member.description)],
        })),
      };
    }
    case "enum":
      return { kind: StructureKind.TypeAlias, name, isExported: true, docs, type: typeScriptType({ kind: "enum", values: type.values }, names) };
    case "alternate":
      return { kind: StructureKind.TypeAlias, name, isExported: true, docs, type: typeScriptType({ kind: "union", variants: type.variants }, names) };
    case "union": {
      const base = type.base.filter((member) => member.name !== type.discriminator);
      const discriminator = type.base.find((member) => member.name === type.discriminator);
      const variants = type.variants.map((variant) => {
        const tag: Member = {
          name: type.discriminator,
          type: { kind: "enum", values: [variant.tag] },
          optional: false,
          description: discriminator?.description ?? "",
          location: discriminator?.location ?? type.location,
        };
        const common = objectType([tag, ...base], false, names);
        const payload = variant.type.kind === "object" && variant.type.members.length === 0 && !variant.type.open ? undefined : typeScriptType(variant.type, names);
        return payload === undefined ? `(${common})` : `(${common} & ${grouped(payload, variant.type)})`;
      });
      return { kind: StructureKind.TypeAlias, name, isExported: true, docs, type: variants.length === 0 ? "never" : variants.join(" | ") };
    }
  }
}
