// Structural comparison of two DataTypes, each read against its own schema's named types, in
// one direction: `input` (what a client sends: accepting less breaks callers) or `output` (what
// QEMU sends back: a member a client may read going away breaks readers). Named types are
// compared by structure, not by name: QAPI introspection numbers its type names.
import type { DataType, Member, NamedType } from "../../model/types.js";
import type { ChangeLevel } from "./change.js";

export type Direction = "input" | "output";

/** One difference inside a type: where (`.member`, `[]`, `<tag>`), how severe, and what. */
export interface TypeChange {
  readonly path: string;
  readonly level: Exclude<ChangeLevel, "docs">;
  readonly message: string;
}

/** Resolves `named` types of one side. */
export type TypeLookup = (name: string) => NamedType | undefined;

export function lookupIn(types: readonly NamedType[]): TypeLookup {
  const byName = new Map(types.map((type) => [type.name, type]));
  return (name) => byName.get(name);
}

export function compareDataTypes(
  oldType: DataType,
  newType: DataType,
  direction: Direction,
  lookups: { readonly old: TypeLookup; readonly new: TypeLookup },
): TypeChange[] {
  const changes: TypeChange[] = [];
  // A pair of named types being compared: recursive types (BlockStats.backing) end here.
  const visiting = new Set<string>();
  compare(oldType, newType, "");
  return changes;

  function add(path: string, level: TypeChange["level"], message: string): void {
    changes.push({ path, level, message });
  }

  function compare(before: DataType, after: DataType, path: string): void {
    if (before.kind === "named" || after.kind === "named") {
      const key = `${before.kind === "named" ? before.name : "~"}\u0000${after.kind === "named" ? after.name : "~"}`;
      if (visiting.has(key)) return;
      visiting.add(key);
      compare(resolve(before, lookups.old), resolve(after, lookups.new), path);
      visiting.delete(key);
      return;
    }
    if (before.kind === "unknown" || after.kind === "unknown") {
      // Nothing was known on one side: only a type becoming unknown loosens an input.
      if (before.kind !== after.kind && after.kind === "unknown" && direction === "output") {
        add(path, "compatible", `type no longer described (was ${describe(before)})`);
      }
      return;
    }
    if (before.kind !== after.kind) {
      compareKinds(before, after, path);
      return;
    }
    switch (before.kind) {
      case "integer": {
        const wide = (after as typeof before).int64;
        if (before.int64 !== wide) {
          // Wider values in a reply may exceed 2^53: the client's type widens to bigint.
          const breaks = direction === "output" ? wide : !wide;
          add(path, breaks ? "breaking" : "compatible", `integer is now ${wide ? "64-bit" : "32-bit"} (was ${before.int64 ? "64-bit" : "32-bit"})`);
        }
        return;
      }
      case "enum":
        compareEnums(before.values, (after as typeof before).values, path);
        return;
      case "array":
        compare(before.element, (after as typeof before).element, `${path}[]`);
        return;
      case "object": {
        const next = after as typeof before;
        compareMembers(before.members, next.members, path);
        if (before.open !== next.open) {
          const breaks = direction === "input" ? before.open : next.open;
          add(path, breaks ? "breaking" : "compatible", next.open ? "object now open to further keys" : "object no longer open to further keys");
        }
        return;
      }
      case "union":
        compareUnions(before.variants, (after as typeof before).variants, path);
        return;
      default:
        return;
    }
  }

  function compareKinds(before: DataType, after: DataType, path: string): void {
    // Integers are numbers: an input that took an integer and now takes any number widened.
    const widened = before.kind === "integer" && after.kind === "number";
    const narrowed = before.kind === "number" && after.kind === "integer";
    const level = direction === "input" ? (widened ? "compatible" : "breaking") : narrowed ? "compatible" : "breaking";
    if (after.kind === "union" && after.variants.some((variant) => sameShape(before, variant))) {
      add(path, direction === "input" ? "compatible" : "breaking", `now ${describe(after)} (was ${describe(before)})`);
      return;
    }
    if (before.kind === "union" && before.variants.some((variant) => sameShape(after, variant))) {
      add(path, direction === "input" ? "breaking" : "compatible", `now ${describe(after)} (was ${describe(before)})`);
      return;
    }
    add(path, level, `type changed from ${describe(before)} to ${describe(after)}`);
  }

  function compareEnums(before: readonly string[], after: readonly string[], path: string): void {
    const removed = before.filter((value) => !after.includes(value));
    const added = after.filter((value) => !before.includes(value));
    // A value a client sent may now be refused; a reply may now carry a value it never saw.
    if (removed.length > 0) add(path, direction === "input" ? "breaking" : "compatible", `enum values removed: ${removed.join(", ")}`);
    if (added.length > 0) add(path, direction === "input" ? "compatible" : "breaking", `enum values added: ${added.join(", ")}`);
  }

  function compareMembers(before: readonly Member[], after: readonly Member[], path: string): void {
    for (const member of before) {
      const next = after.find((candidate) => candidate.name === member.name);
      const at = `${path}.${member.name}`;
      if (!next) {
        // Sent by a client: now refused; read by a client: now missing.
        add(at, "breaking", "member removed");
        continue;
      }
      if (member.optional !== next.optional) {
        const breaks = direction === "input" ? !next.optional : next.optional;
        add(at, breaks ? "breaking" : "compatible", next.optional ? "member now optional" : "member now required");
      }
      compare(member.type, next.type, at);
    }
    for (const member of after) {
      if (before.some((candidate) => candidate.name === member.name)) continue;
      const breaks = direction === "input" && !member.optional;
      add(`${path}.${member.name}`, breaks ? "breaking" : "compatible", `member added${member.optional ? ", optional" : ", required"}`);
    }
  }

  function compareUnions(before: readonly DataType[], after: readonly DataType[], path: string): void {
    const lost = before.filter((variant) => !after.some((candidate) => sameShape(variant, candidate)));
    const gained = after.filter((variant) => !before.some((candidate) => sameShape(variant, candidate)));
    if (lost.length > 0) add(path, direction === "input" ? "breaking" : "compatible", `no longer ${lost.map(describe).join(" or ")}`);
    if (gained.length > 0) add(path, direction === "input" ? "compatible" : "breaking", `may now be ${gained.map(describe).join(" or ")}`);
  }

  /** Same kind at the top; what is inside is not compared (a union's variants are told apart by kind). */
  function sameShape(a: DataType, b: DataType): boolean {
    const left = a.kind === "named" ? resolve(a, lookups.old) : a;
    const right = b.kind === "named" ? resolve(b, lookups.new) : b;
    return left.kind === right.kind;
  }
}

/** A named type as a DataType; its structure is what a wire value has. */
export function resolve(type: DataType, lookup: TypeLookup): DataType {
  if (type.kind !== "named") return type;
  const named = lookup(type.name);
  if (!named) return { kind: "unknown" };
  switch (named.kind) {
    case "enum":
      return { kind: "enum", values: named.values };
    case "struct":
      return { kind: "object", members: [...structBaseMembers(named.base, lookup, new Set([named.name])), ...named.members], open: false };
    case "alternate":
      return { kind: "union", variants: named.variants };
    case "union":
      return {
        kind: "union",
        variants: named.variants.map(({ tag, type: variant }) => {
          const members = variantMembers(variant, lookup);
          const discriminator: Member = { name: named.discriminator, type: { kind: "enum", values: [tag] }, optional: false, description: "", location: named.location };
          return { kind: "object", members: [...named.base.filter((member) => member.name !== named.discriminator), discriminator, ...members], open: false };
        }),
      };
  }
}

function structBaseMembers(base: string | undefined, lookup: TypeLookup, seen: Set<string>): readonly Member[] {
  if (base === undefined || seen.has(base)) return [];
  seen.add(base);
  const named = lookup(base);
  if (named?.kind !== "struct") return [];
  return [...structBaseMembers(named.base, lookup, seen), ...named.members];
}

function variantMembers(type: DataType, lookup: TypeLookup): readonly Member[] {
  const resolved = resolve(type, lookup);
  return resolved.kind === "object" ? resolved.members : [];
}

/** A short name of a type for messages: `string`, `array of integer`, `object`. */
export function describe(type: DataType): string {
  switch (type.kind) {
    case "integer":
      return type.int64 ? "64-bit integer" : "integer";
    case "enum":
      return `enum (${type.values.join(", ")})`;
    case "array":
      return `array of ${describe(type.element)}`;
    case "named":
      return type.name;
    case "union":
      return type.variants.map(describe).join(" or ");
    default:
      return type.kind;
  }
}
