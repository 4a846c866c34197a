// What a running QEMU says about itself, decoded into the one model so that `drift` compares
// with the same code as `diff`: `query-commands` (names only, every QEMU) and, from 2.5 on,
// `query-qmp-schema` (QAPI introspection: SchemaInfo entries whose type names are numbers).
import type { ArgCode, Argument, Command, DataType, Event, Member, NamedType, Schema, SourceLocation } from "../../model/types.js";

/** A reply that is not what QMP documents: the message says which part. */
export class IntrospectionError extends Error {
  override readonly name = "IntrospectionError";
}

/** Live models have no source lines: line 0 says so, and reports leave it out. */
function nowhere(file: string): SourceLocation {
  return { file, line: 0, column: 0 };
}

function liveCommand(name: string, location: SourceLocation, args: readonly Argument[], result: DataType | undefined, acceptsUnknownKeys: boolean): Command {
  return {
    name,
    origin: "table",
    location,
    conditions: [],
    argsType: undefined,
    args,
    acceptsUnknownKeys,
    fields: [],
    doc: undefined,
    result: result && { type: result, origin: "qapi", location },
  };
}

function emptySchema(label: string, commands: Command[], events: Event[], types: NamedType[]): Schema {
  return { file: label, format: "hx", commands, otherDocs: [], events, types };
}

/** `query-commands`: `[{ "name": ... }, ...]`. */
export function schemaFromCommandList(reply: unknown, label: string): Schema {
  if (!Array.isArray(reply)) throw new IntrospectionError("query-commands: expected an array of { name }");
  const location = nowhere(label);
  const commands = reply.map((item: unknown, index) => {
    const name = isRecord(item) ? item["name"] : undefined;
    if (typeof name !== "string") throw new IntrospectionError(`query-commands: entry ${index} has no string 'name'`);
    return liveCommand(name, location, [], undefined, false);
  });
  return emptySchema(label, commands, [], []);
}

interface SchemaInfo {
  readonly name: string;
  readonly "meta-type": string;
  readonly [key: string]: unknown;
}

/**
 * `query-qmp-schema`. Commands get their arguments (the argument object's members; the JSON
 * type decides the args_type code: `str` s, `int` l, `number` T, `bool` b, anything else q) and
 * their result; events their data. Object, enum and alternate types become NamedTypes under
 * their (numbered) names; builtins and arrays are written out where they are used.
 */
export function schemaFromIntrospection(reply: unknown, label: string): Schema {
  if (!Array.isArray(reply)) throw new IntrospectionError("query-qmp-schema: expected an array of SchemaInfo");
  const infos = new Map<string, SchemaInfo>();
  reply.forEach((item: unknown, index) => {
    if (!isRecord(item) || typeof item["name"] !== "string" || typeof item["meta-type"] !== "string") {
      throw new IntrospectionError(`query-qmp-schema: entry ${index} has no string 'name' and 'meta-type'`);
    }
    infos.set(item["name"], item as SchemaInfo);
  });
  const location = nowhere(label);
  const types: NamedType[] = [];
  const commands: Command[] = [];
  const events: Event[] = [];

  for (const info of infos.values()) {
    switch (info["meta-type"]) {
      case "command": {
        const argType = stringField(info, "arg-type");
        const { args, open } = argumentsOf(argType);
        const result = typeof info["ret-type"] === "string" ? typeOf(info["ret-type"]) : undefined;
        commands.push(liveCommand(info.name, location, args, result, open));
        break;
      }
      case "event": {
        const argType = typeof info["arg-type"] === "string" ? info["arg-type"] : undefined;
        events.push({ name: info.name, location, doc: undefined, data: argType === undefined ? undefined : { type: typeOf(argType), origin: "qapi", location } });
        break;
      }
      case "object":
        types.push(objectType(info));
        break;
      case "enum": {
        const values = stringList(info, "values");
        types.push({ kind: "enum", name: info.name, description: "", location, values, valueDescriptions: values.map(() => "") });
        break;
      }
      case "alternate":
        types.push({ kind: "alternate", name: info.name, description: "", location, variants: records(info, "members").map((member) => typeOf(stringField(member, "type"))) });
        break;
      case "builtin":
      case "array":
        break;
      default:
        // A meta-type of a newer QEMU: nothing refers to it through the kinds read here.
        break;
    }
  }
  return emptySchema(label, commands, events, types);

  function typeOf(name: string): DataType {
    const info = infos.get(name);
    if (!info) throw new IntrospectionError(`query-qmp-schema: type '${name}' is referred to but not defined`);
    switch (info["meta-type"]) {
      case "builtin":
        return builtinType(stringField(info, "json-type"));
      case "array":
        return { kind: "array", element: typeOf(stringField(info, "element-type")) };
      case "object":
      case "enum":
      case "alternate":
        return { kind: "named", name };
      default:
        return { kind: "unknown" };
    }
  }

  function membersOf(info: SchemaInfo): Member[] {
    return records(info, "members").map((member) => ({
      name: stringField(member, "name"),
      type: typeOf(stringField(member, "type")),
      // Introspection marks an optional member with `"default": null`.
      optional: Object.hasOwn(member, "default"),
      description: "",
      location,
    }));
  }

  function objectType(info: SchemaInfo): NamedType {
    const members = membersOf(info);
    const tag = info["tag"];
    if (typeof tag !== "string") return { kind: "struct", name: info.name, description: "", location, base: undefined, members };
    return {
      kind: "union",
      name: info.name,
      description: "",
      location,
      base: members,
      discriminator: tag,
      variants: records(info, "variants").map((variant) => ({ tag: stringField(variant, "case"), type: typeOf(stringField(variant, "type")) })),
    };
  }

  /** A command's arguments: the members of its argument object (a union's keys depend on its tag: left open). */
  function argumentsOf(name: string): { args: Argument[]; open: boolean } {
    const info = infos.get(name);
    if (!info) throw new IntrospectionError(`query-qmp-schema: type '${name}' is referred to but not defined`);
    // Not an object (`any`: a command taking whatever it is given): open.
    if (info["meta-type"] !== "object") return { args: [], open: true };
    const args = membersOf(info).map((member) => argumentOf(member));
    return { args, open: typeof info["tag"] === "string" };
  }

  function argumentOf(member: Member): Argument {
    const resolved = member.type.kind === "named" ? infos.get(member.type.name) : undefined;
    const code: ArgCode = resolved?.["meta-type"] === "enum" ? "s" : codeOf(member.type);
    return {
      name: member.name,
      code,
      flag: undefined,
      optional: member.optional,
      source: "args_type",
      location,
      doc: undefined,
      type: { type: member.type, origin: "qapi", location },
    };
  }
}

function builtinType(jsonType: string): DataType {
  switch (jsonType) {
    case "string":
      return { kind: "string" };
    case "int":
      return { kind: "integer", int64: true };
    case "number":
      return { kind: "number" };
    case "boolean":
      return { kind: "boolean" };
    case "null":
      return { kind: "null" };
    default:
      return { kind: "unknown" };
  }
}

/** The args_type code whose monitor check matches a JSON type. */
function codeOf(type: DataType): ArgCode {
  switch (type.kind) {
    case "string":
      return "s";
    case "integer":
      return "l";
    case "number":
      return "T";
    case "boolean":
      return "b";
    default:
      return "q";
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function stringField(record: Readonly<Record<string, unknown>>, key: string): string {
  const value = record[key];
  if (typeof value !== "string") throw new IntrospectionError(`query-qmp-schema: '${String(record["name"] ?? "?")}' has no string '${key}'`);
  return value;
}

function stringList(record: Readonly<Record<string, unknown>>, key: string): string[] {
  const value = record[key];
  if (!Array.isArray(value) || !value.every((item): item is string => typeof item === "string")) {
    throw new IntrospectionError(`query-qmp-schema: '${String(record["name"] ?? "?")}' has no string list '${key}'`);
  }
  return value;
}

function records(record: Readonly<Record<string, unknown>>, key: string): Record<string, unknown>[] {
  const value = record[key];
  if (!Array.isArray(value) || !value.every(isRecord)) throw new IntrospectionError(`query-qmp-schema: '${String(record["name"] ?? "?")}' has no list of objects '${key}'`);
  return value;
}
