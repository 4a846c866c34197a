// Declarations for the named types of Schema.types (struct -> interface, enum -> union of
// string literals, union -> discriminated union, alternate -> union), as ts-morph structures.
import { StructureKind, type InterfaceDeclarationStructure, type StatementStructures, type TypeAliasDeclarationStructure } from "./structures.js";
import type { Member, NamedType } from "../model/types.js";
import { propertyKey } from "./names.js";
import { jsDoc } from "./typescript.js";
import { grouped, objectType, typeScriptType, type TypeNames } from "./type-text.js";

/** An enum's documented values, one per line, as QEMU's doc comment lists them; "" when none is. */
function valueList(type: NamedType): string {
  if (type.kind !== "enum" || type.valueDescriptions.every((text) => text === "")) return "";
  return type.values.map((value, index) => `- \`${JSON.stringify(value)}\`${type.valueDescriptions[index] ? `: ${type.valueDescriptions[index].replace(/\s+/g, " ")}` : ""}`).join("\n");
}

/** Declarations for Schema.types, in schema order. */
export function namedTypeDeclarations(types: readonly NamedType[], names: TypeNames): StatementStructures[] {
  return types.map((type) => namedTypeDeclaration(type, names));
}

function namedTypeDeclaration(type: NamedType, names: TypeNames): InterfaceDeclarationStructure | TypeAliasDeclarationStructure {
  const name = names.get(type.name) ?? type.name;
  const docs = [jsDoc([type.description, valueList(type), `QAPI type \`${type.name}\`.`].filter((text) => text !== "").join("\n\n"))];
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
