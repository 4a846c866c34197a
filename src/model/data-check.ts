// Whether a JSON value fits a DataType: the check behind the lint rule that compares the docs'
// example replies and events with the documented types. Reports the first misfit by path.
import type { DataType, JsonValue, NamedType } from "./types.js";
import { isJsonObject } from "./examples.js";

/** The first place where `value` does not fit `type` (`return.status: "x" is not one of ...`), or undefined. */
export function misfit(type: DataType, value: JsonValue, path: string, types: readonly NamedType[] = []): string | undefined {
  const describe = (expected: string): string => `${path}: ${JSON.stringify(value)} is not ${expected}`;
  switch (type.kind) {
    case "unknown":
      return undefined;
    case "string":
      return typeof value === "string" ? undefined : describe("a string");
    case "integer":
      return typeof value === "number" && Number.isInteger(value) ? undefined : describe("an integer");
    case "number":
      return typeof value === "number" ? undefined : describe("a number");
    case "boolean":
      return typeof value === "boolean" ? undefined : describe("a boolean");
    case "null":
      return value === null ? undefined : describe("null");
    case "enum":
      return typeof value === "string" && type.values.includes(value) ? undefined : describe(`one of ${type.values.map((item) => JSON.stringify(item)).join(", ")}`);
    case "array":
      if (!Array.isArray(value)) return describe("an array");
      for (const [index, element] of value.entries()) {
        const found = misfit(type.element, element, `${path}[${index}]`, types);
        if (found !== undefined) return found;
      }
      return undefined;
    case "object": {
      if (!isJsonObject(value)) return describe("an object");
      for (const member of type.members) {
        const given = value[member.name];
        if (given === undefined) {
          if (!member.optional) return `${path}: member "${member.name}" is missing`;
          continue;
        }
        const found = misfit(member.type, given, `${path}.${member.name}`, types);
        if (found !== undefined) return found;
      }
      if (!type.open) {
        const extra = Object.keys(value).find((key) => !type.members.some((member) => member.name === key));
        if (extra !== undefined) return `${path}: member "${extra}" is not documented`;
      }
      return undefined;
    }
    case "union":
      return type.variants.some((variant) => misfit(variant, value, path, types) === undefined) ? undefined : describe("any of the documented variants");
    case "named": {
      const named = types.find((candidate) => candidate.name === type.name);
      if (named === undefined) return undefined;
      switch (named.kind) {
        case "enum":
          return misfit({ kind: "enum", values: named.values }, value, path, types);
        case "alternate":
          return misfit({ kind: "union", variants: named.variants }, value, path, types);
        case "struct": {
          // The base's members join the struct's; both are checked as one open object here.
          const members = [...named.members];
          for (let base = named.base, depth = 0; base !== undefined && depth < 16; depth++) {
            const parent = types.find((candidate) => candidate.name === base);
            if (parent?.kind !== "struct") break;
            members.push(...parent.members);
            base = parent.base;
          }
          return misfit({ kind: "object", members, open: false }, value, path, types);
        }
        case "union":
          return undefined;
      }
    }
  }
}
