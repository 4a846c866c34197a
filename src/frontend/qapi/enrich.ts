// A QAPI schema's types, put into the one model built from a .hx file: named types, command
// results, narrowed argument types (enums, structured `q` values) and event data. The .hx stays
// the authority on which commands and arguments exist (the monitor checked args_type before
// QAPI saw a thing); QAPI is the authority on types. Where the two disagree, a notice says so
// with both locations, and the client follows the table.
import type { BuildResult } from "../hx/build.js";
import type { Notice } from "../../model/notices.js";
import type { ArgCode, Argument, Command, DataType, Event, Member, NamedType, Schema, SourceLocation, TypedValue } from "../../model/types.js";
import { argsTypeItem } from "../../model/codes.js";
import { namedTypeParts, namedTypeReferences } from "../../model/data-types.js";
import type { QapiDefinition, QapiMember, QapiSchema, QapiTypeRef } from "./definitions.js";

/** The JSON kinds a value may have, as far as args_type and QAPI tell them apart. */
type JsonKind = "string" | "integer" | "number" | "boolean" | "null" | "object" | "array";

/** What each args_type code lets through on the wire (`q` and `O` anything). */
const codeKinds: Readonly<Record<ArgCode, readonly JsonKind[] | "any">> = {
  s: ["string"],
  F: ["string"],
  B: ["string"],
  i: ["integer"],
  l: ["integer"],
  M: ["integer"],
  o: ["integer"],
  T: ["integer", "number"],
  f: ["integer", "number"],
  b: ["boolean"],
  "-": ["boolean"],
  q: "any",
  O: "any",
};

/**
 * QAPI's built-in types. `int` is C's int64_t like `int64`: any of them may exceed 2^53, which
 * the runtime hands back as a bigint, so all are `int64`.
 */
const builtinTypes: ReadonlyMap<string, DataType> = new Map<string, DataType>([
  ["str", { kind: "string" }],
  ["number", { kind: "number" }],
  ["bool", { kind: "boolean" }],
  ["null", { kind: "null" }],
  ["any", { kind: "unknown" }],
  ["visitor", { kind: "unknown" }],
  ["**", { kind: "unknown" }],
  ...["int", "int64", "uint64", "size"].map((name): [string, DataType] => [name, { kind: "integer", int64: true }]),
  ...["int8", "int16", "int32", "uint8", "uint16", "uint32"].map((name): [string, DataType] => [name, { kind: "integer", int64: false }]),
]);

function where(location: SourceLocation): string {
  return `${location.file}:${location.line}:${location.column}`;
}

/** Enriches a built .hx model with a QAPI schema's types; the schema's own notices come along. */
export function enrichWithQapi(result: BuildResult, qapi: QapiSchema): BuildResult {
  return new Enrichment(qapi).run(result);
}

class Enrichment {
  private readonly byName: ReadonlyMap<string, QapiDefinition>;
  private readonly notices: Notice[] = [];

  constructor(private readonly qapi: QapiSchema) {
    this.byName = new Map(qapi.definitions.map((definition) => [definition.name, definition]));
  }

  run({ schema, notices }: BuildResult): BuildResult {
    const commands = schema.commands.map((command) => this.command(command));
    const tableNames = new Set(schema.commands.map((command) => command.name));
    for (const definition of this.qapi.definitions) {
      if (definition.kind === "command" && !tableNames.has(definition.name)) {
        this.notices.push({
          rule: "qapi-unmatched-command",
          severity: "info",
          message: `QAPI defines command '${definition.name}', which ${schema.file} does not have: the monitor would not accept it`,
          location: definition.location,
        });
      }
    }
    const events = this.events(schema.events);
    const enriched: Schema = { ...schema, commands, events, types: this.namedTypes(commands, events, schema.types) };
    return { schema: enriched, notices: [...notices, ...this.qapi.notices, ...this.notices] };
  }

  // ---- Commands ----

  private command(command: Command): Command {
    const definition = this.byName.get(command.name);
    if (definition?.kind !== "command") {
      if (command.origin === "table") {
        this.notices.push({
          rule: "qapi-unmatched-command",
          severity: "info",
          message: `'${command.name}' has no QAPI command definition; its types come from the docs alone`,
          location: command.location,
        });
      }
      return command;
    }
    const members = definition.data === undefined ? [] : this.flatMembers(definition.data);
    const args = command.args.map((arg) => this.argument(command, definition, members, arg));
    if (members !== undefined && command.origin === "table") this.reportMissing(command, members);
    return { ...command, args, result: this.result(definition) ?? command.result };
  }

  /** What a successful reply holds: `returns`, or `{}` for a generated command without one. */
  private result(definition: QapiDefinition & { kind: "command" }): TypedValue | undefined {
    if (definition.returns !== undefined) return { type: this.dataType(definition.returns), origin: "qapi", location: definition.returns.location };
    // A hand-written ('gen': false) command's reply is not described by the schema.
    if (!definition.gen) return undefined;
    return { type: { kind: "object", members: [], open: false }, origin: "qapi", location: definition.location };
  }

  /** `members`: what QAPI's command takes, undefined when its 'data' is not a struct. */
  private argument(
    command: Command,
    definition: QapiDefinition & { kind: "command" },
    members: readonly QapiMember[] | undefined,
    arg: Argument,
  ): Argument {
    const member = members?.find((candidate) => candidate.name === arg.name);
    if (arg.code === "O") return arg;
    if (member === undefined) {
      // A hand-written command's 'data' need not list what it takes; the others' must.
      if (definition.gen && arg.source === "args_type" && members !== undefined) {
        const has = members.length === 0 ? "takes no arguments" : `has ${members.map((candidate) => `'${candidate.name}'`).join(", ")}`;
        this.notices.push({
          rule: "qapi-argument-mismatch",
          severity: "error",
          message: `argument '${arg.name}' of '${command.name}' (args_type '${argsTypeItem(arg)}') is not in QAPI's '${command.name}' at ${where(definition.location)}, which ${has}`,
          location: arg.location,
        });
      }
      return arg;
    }
    if (arg.source === "args_type" && arg.code !== "-" && member.optional !== arg.optional) {
      this.notices.push({
        rule: "qapi-argument-mismatch",
        severity: "error",
        message: `'${arg.name}' of '${command.name}' is ${arg.optional ? "optional" : "required"} in args_type ('${argsTypeItem(arg)}') but ${member.optional ? "optional" : "required"} in QAPI at ${where(member.location)}`,
        location: arg.location,
      });
    }
    const qapiKinds = this.kinds(member.type);
    const wire = codeKinds[arg.code];
    if (qapiKinds !== "any" && wire !== "any" && !overlaps(wire, qapiKinds)) {
      this.notices.push({
        rule: "qapi-type-mismatch",
        severity: "error",
        message: `QAPI types '${arg.name}' of '${command.name}' as ${describeRef(member.type)} (${[...qapiKinds].join(" or ")}) at ${where(member.location)}, but args_type '${argsTypeItem(arg)}' takes ${wire.join(" or ")}: the type is left to args_type`,
        location: arg.location,
      });
      return { ...arg, type: undefined };
    }
    const narrowed = this.narrowing(arg.code, member);
    // QAPI wins over the docs wherever it says more than `any`.
    if (qapiKinds === "any") return arg;
    return { ...arg, type: narrowed };
  }

  /** What QAPI adds to what the code accepts: an enum of a string, the shape of a `q` value. */
  private narrowing(code: ArgCode, member: QapiMember): TypedValue | undefined {
    const location = member.location;
    if (code === "q") return { type: this.dataType(member.type), origin: "qapi", location };
    if (codeKinds[code] !== "any" && (codeKinds[code] as readonly JsonKind[]).includes("string") && member.type.kind === "name") {
      if (this.byName.get(member.type.name)?.kind === "enum") return { type: { kind: "named", name: member.type.name }, origin: "qapi", location };
    }
    return undefined;
  }

  /** QAPI members the table lacks: unusable over QMP, unless an `O` argument lets them through. */
  private reportMissing(command: Command, members: readonly QapiMember[]): void {
    if (command.acceptsUnknownKeys) return;
    const known = new Set(command.args.map((arg) => arg.name));
    for (const member of members) {
      if (known.has(member.name)) continue;
      const declared = command.argsType ? `args_type '${command.argsType}'` : "an empty args_type";
      this.notices.push({
        rule: "qapi-argument-mismatch",
        severity: "error",
        message: `QAPI's '${command.name}' at ${where(member.location)} takes ${member.optional ? "optional" : "required"} '${member.name}', which the table's ${declared} lacks: the monitor rejects it`,
        location: command.location,
      });
    }
  }

  // ---- Events ----

  /** Events of the events document get QAPI's data types; QAPI's other events are added after them. */
  private events(existing: readonly Event[]): Event[] {
    const definitions = new Map(this.qapi.definitions.flatMap((definition) => (definition.kind === "event" ? [[definition.name, definition] as const] : [])));
    const merged = existing.map((event) => {
      const definition = definitions.get(event.name);
      return definition === undefined ? event : { ...event, data: this.eventData(definition) };
    });
    const documented = new Set(existing.map((event) => event.name));
    for (const definition of definitions.values()) {
      if (!documented.has(definition.name)) merged.push({ name: definition.name, location: definition.location, doc: undefined, data: this.eventData(definition) });
    }
    return merged;
  }

  /** An event without data comes with `data` absent, which the runtime gives as `{}`. */
  private eventData(definition: QapiDefinition & { kind: "event" }): TypedValue {
    if (definition.data === undefined) return { type: { kind: "object", members: [], open: false }, origin: "qapi", location: definition.location };
    const members = this.flatMembers(definition.data);
    const type: DataType = members === undefined ? this.dataType(definition.data) : { kind: "object", members: members.map((member) => this.member(member)), open: false };
    return { type, origin: "qapi", location: definition.data.location };
  }

  // ---- Types ----

  private dataType(ref: QapiTypeRef): DataType {
    switch (ref.kind) {
      case "list":
        return { kind: "array", element: this.dataType(ref.element) };
      case "members":
        return { kind: "object", members: ref.members.map((member) => this.member(member)), open: false };
      case "name": {
        const builtin = builtinTypes.get(ref.name);
        if (builtin !== undefined) return builtin;
        const definition = this.byName.get(ref.name);
        // Unknown names were reported with the schema's notices.
        if (definition === undefined || definition.kind === "command" || definition.kind === "event") return { kind: "unknown" };
        return { kind: "named", name: ref.name };
      }
    }
  }

  private member(member: QapiMember): Member {
    return { name: member.name, type: this.dataType(member.type), optional: member.optional, description: member.description, location: member.location };
  }

  /**
   * The members a struct puts on the wire, its bases' first; undefined for a type that is
   * not a struct (a union as a boxed command's 'data').
   */
  private flatMembers(ref: QapiTypeRef, seen: ReadonlySet<string> = new Set()): QapiMember[] | undefined {
    if (ref.kind === "members") return [...ref.members];
    if (ref.kind !== "name") return undefined;
    const definition = this.byName.get(ref.name);
    if (definition?.kind !== "struct" || seen.has(ref.name)) return undefined;
    const base = definition.base === undefined ? [] : this.flatMembers(definition.base, new Set([...seen, ref.name]));
    return [...(base ?? []), ...definition.members];
  }

  /** The JSON kinds a QAPI type allows, or `any`. */
  private kinds(ref: QapiTypeRef, seen: ReadonlySet<string> = new Set()): ReadonlySet<JsonKind> | "any" {
    if (ref.kind === "list") return new Set(["array"]);
    if (ref.kind === "members") return new Set(["object"]);
    const builtin = builtinTypes.get(ref.name);
    if (builtin !== undefined) {
      if (builtin.kind === "unknown") return "any";
      return new Set([builtin.kind === "boolean" ? "boolean" : builtin.kind === "integer" ? "integer" : builtin.kind === "number" ? "number" : builtin.kind === "null" ? "null" : "string"]);
    }
    const definition = this.byName.get(ref.name);
    if (definition === undefined || seen.has(ref.name)) return "any";
    switch (definition.kind) {
      case "enum":
        return new Set(["string"]);
      case "struct":
      case "union":
        return new Set(["object"]);
      case "alternate": {
        const kinds = new Set<JsonKind>();
        for (const variant of definition.variants) {
          const variantKinds = this.kinds(variant.type, new Set([...seen, ref.name]));
          if (variantKinds === "any") return "any";
          for (const kind of variantKinds) kinds.add(kind);
        }
        return kinds;
      }
      case "command":
      case "event":
        return "any";
    }
  }

  /**
   * The named types the enriched model refers to, in the schema's definition order, each
   * followed transitively; `existing` (from another front end) is kept where QAPI has none.
   */
  private namedTypes(commands: readonly Command[], events: readonly Event[], existing: readonly NamedType[]): NamedType[] {
    const wanted = new Set<string>();
    const pending: DataType[] = [];
    const need = (type: DataType | undefined): void => {
      if (type !== undefined) pending.push(type);
    };
    for (const command of commands) {
      if (command.result?.origin === "qapi") need(command.result.type);
      for (const arg of command.args) if (arg.type?.origin === "qapi") need(arg.type.type);
    }
    for (const event of events) if (event.data?.origin === "qapi") need(event.data.type);
    const converted = new Map<string, NamedType>();
    for (let type = pending.pop(); type !== undefined; type = pending.pop()) {
      for (const name of namedTypeReferences(type)) {
        if (wanted.has(name)) continue;
        wanted.add(name);
        const definition = this.byName.get(name);
        const named = definition === undefined ? undefined : this.namedType(definition);
        if (named === undefined) continue;
        converted.set(name, named);
        pending.push(...namedTypeParts(named));
      }
    }
    const fromQapi = this.qapi.definitions.flatMap((definition) => converted.get(definition.name) ?? []);
    return [...existing.filter((type) => !converted.has(type.name)), ...fromQapi];
  }

  private namedType(definition: QapiDefinition): NamedType | undefined {
    const common = { name: definition.name, description: definition.doc.description, location: definition.location };
    switch (definition.kind) {
      case "enum":
        return {
          ...common,
          kind: "enum",
          values: definition.values.map((value) => value.name),
          valueDescriptions: definition.values.map((value) => definition.doc.members.get(value.name) ?? ""),
        };
      case "struct":
        return {
          ...common,
          kind: "struct",
          base: definition.base?.kind === "name" ? definition.base.name : undefined,
          members: definition.members.map((member) => this.member(member)),
        };
      case "alternate":
        return { ...common, kind: "alternate", variants: definition.variants.map((variant) => this.dataType(variant.type)) };
      case "union":
        return this.union(definition, common);
      case "command":
      case "event":
        return undefined;
    }
  }

  /**
   * A flat union: its base's members (the discriminator among them) and, per discriminator
   * value, a struct's members; values without a branch add nothing. A simple union is lowered
   * to the same form: a `type` member holding the tag and a `data` member holding the branch.
   */
  private union(definition: QapiDefinition & { kind: "union" }, common: { name: string; description: string; location: SourceLocation }): NamedType {
    const base = (definition.base === undefined ? [] : (this.flatMembers(definition.base) ?? [])).map((member) => this.member(member));
    if (definition.discriminator === undefined) {
      const tags = definition.variants.map((variant) => variant.tag);
      const tag: Member = { name: "type", type: { kind: "enum", values: tags }, optional: false, description: "Which branch the data member holds.", location: definition.location };
      return {
        ...common,
        kind: "union",
        base: [...base, tag],
        discriminator: "type",
        variants: definition.variants.map((variant) => ({
          tag: variant.tag,
          type: { kind: "object", members: [{ name: "data", type: this.dataType(variant.type), optional: false, description: "", location: variant.location }], open: false },
        })),
      };
    }
    const discriminator = base.find((member) => member.name === definition.discriminator);
    const tagType = discriminator?.type.kind === "named" ? this.byName.get(discriminator.type.name) : undefined;
    const branches = new Map(definition.variants.map((variant) => [variant.tag, this.dataType(variant.type)]));
    const tags = tagType?.kind === "enum" ? tagType.values.map((value) => value.name) : [...branches.keys()];
    return {
      ...common,
      kind: "union",
      base,
      discriminator: definition.discriminator,
      variants: tags.map((tag) => ({ tag, type: branches.get(tag) ?? { kind: "object", members: [], open: false } })),
    };
  }
}

function overlaps(wire: readonly JsonKind[], qapi: ReadonlySet<JsonKind>): boolean {
  // An integer is a number: QAPI's `number` takes what `i` sends, `T` sends what `int` takes.
  return wire.some((kind) => qapi.has(kind) || (kind === "integer" && qapi.has("number")) || (kind === "number" && qapi.has("integer")));
}

function describeRef(ref: QapiTypeRef): string {
  if (ref.kind === "name") return `'${ref.name}'`;
  if (ref.kind === "list") return `[${describeRef(ref.element)}]`;
  return "an object";
}
