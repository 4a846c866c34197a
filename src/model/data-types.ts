// Walking DataTypes and NamedTypes: which named types a type refers to.
import type { DataType, NamedType } from "./types.js";

/** The names of the NamedTypes a type refers to, directly or through its parts, in order. */
export function namedTypeReferences(type: DataType): string[] {
  switch (type.kind) {
    case "named":
      return [type.name];
    case "array":
      return namedTypeReferences(type.element);
    case "object":
      return type.members.flatMap((member) => namedTypeReferences(member.type));
    case "union":
      return type.variants.flatMap(namedTypeReferences);
    default:
      return [];
  }
}

/** The DataTypes a NamedType is made of: a struct's base (as a `named` type) and members, a union's base members and branches. */
export function namedTypeParts(named: NamedType): DataType[] {
  switch (named.kind) {
    case "enum":
      return [];
    case "struct":
      return [...(named.base === undefined ? [] : [{ kind: "named", name: named.base } as const]), ...named.members.map((member) => member.type)];
    case "union":
      return [...named.base.map((member) => member.type), ...named.variants.map((variant) => variant.type)];
    case "alternate":
      return [...named.variants];
  }
}
