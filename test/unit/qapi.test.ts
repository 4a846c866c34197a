// The QAPI front end on small, hand-written schemas: grammar, definitions, includes, checks,
// and the enrichment of a .hx model with QAPI's types.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { enrichWithQapi, generateFiles, HxError, loadQapiSchema, parseQapiSchema, parseSchema, type QapiDefinition, type QapiSchema } from "../../src/index.js";
import type { Command, NamedType, Schema } from "../../src/model/types.js";
import { brokenDocLinks, hxErrorOf } from "../helpers.js";

/** `line:column` of the first diagnostic. */
function where(error: HxError): string {
  const [first] = error.diagnostics;
  return `${first?.location.file}:${first?.location.line}:${first?.location.column}`;
}

function definition(schema: QapiSchema, name: string): QapiDefinition {
  const found = schema.definitions.find((candidate) => candidate.name === name);
  assert.ok(found, `no definition '${name}'`);
  return found;
}

describe("QAPI grammar", () => {
  it("reads objects, lists, single-quoted strings with escapes, booleans and comments anywhere", () => {
    const schema = parseQapiSchema(`# a comment
{ 'command': 'x\\'y', # the name
  'data': { 'a': ['str'] }, 'gen': false }
`);
    const command = definition(schema, "x'y");
    assert.equal(command.kind, "command");
    assert.ok(command.kind === "command" && !command.gen);
    assert.deepEqual(command.kind === "command" && command.data?.kind === "members" ? command.data.members.map((member) => [member.name, member.type.kind]) : [], [["a", "list"]]);
  });

  it("takes missing and trailing commas, as QEMU 1.x did", () => {
    const schema = parseQapiSchema(`{ 'enum': 'E'\n  'data': [ 'a' 'b', ] }\n{ 'union': 'U', 'data': { 'a': 'str', } }`);
    const enumeration = definition(schema, "E");
    assert.deepEqual(enumeration.kind === "enum" ? enumeration.values.map((value) => value.name) : [], ["a", "b"]);
  });

  it("locates a string left open at the end of its line", async () => {
    const error = await hxErrorOf(() => parseQapiSchema(`{ 'enum': 'E',\n  'data': [ 'a ] }\n`, "s.json"));
    assert.equal(where(error), "s.json:2:19");
    assert.match(error.message, /unexpected end of line/);
    assert.deepEqual(error.diagnostics[0]?.expected, ["'''", "a character of the string"]);
  });

  it("rejects double quotes and a top level that is not an object, saying what was expected", async () => {
    assert.equal(where(await hxErrorOf(() => parseQapiSchema(`{ "enum": 'E' }`, "s.json"))), "s.json:1:3");
    const error = await hxErrorOf(() => parseQapiSchema(`\n[ 'x' ]`, "s.json"));
    assert.equal(where(error), "s.json:2:1");
    assert.ok(error.diagnostics[0]?.expected?.includes("'{'"));
  });
});

describe("QAPI definitions", () => {
  const schema = parseQapiSchema(
    `##
# @Info:
#
# What it is.
#
# @name: #optional the name
#        on two lines
#
# @qemu.major: the major version
#
# Since: 1.0
##
{ 'type': 'Info', 'data': { '*name': 'str', 'qemu': { 'major': 'int' } } }
{ 'struct': 'Sub', 'base': 'Info', 'data': { 'extra': 'bool' } }
{ 'enum': 'Kind', 'data': [ 'a', 'b', 'c' ] }
{ 'union': 'Simple', 'data': { 'one': 'Info', 'two': 'int' } }
{ 'union': 'Flat', 'base': { 'kind': 'Kind' }, 'discriminator': 'kind', 'data': { 'a': 'Info', 'b': 'Sub' } }
{ 'union': 'OldAlternate', 'discriminator': {}, 'data': { 'info': 'Info', 'name': 'str' } }
{ 'alternate': 'Alt', 'data': { 'n': 'int', 's': 'str' } }
{ 'command': 'old', 'gen': 'no' }
{ 'event': 'EV', 'data': 'Info' }
`,
    "s.json",
  );

  it("has each kind, 'type' as a struct and a 1.x alternate as an alternate", () => {
    assert.deepEqual(
      schema.definitions.map((item) => `${item.kind}:${item.name}`),
      ["struct:Info", "struct:Sub", "enum:Kind", "union:Simple", "union:Flat", "alternate:OldAlternate", "alternate:Alt", "command:old", "event:EV"],
    );
    const old = definition(schema, "old");
    assert.ok(old.kind === "command" && !old.gen, "'gen': 'no' is false");
    assert.deepEqual(definition(schema, "Info").location, { file: "s.json", line: 13, column: 11 });
  });

  it("keeps the doc comment: description with its sections, member texts, #optional dropped, inline members by dotted path", () => {
    const info = definition(schema, "Info");
    assert.equal(info.doc.description, "What it is.\n\nSince: 1.0");
    assert.ok(info.kind === "struct");
    const [name, qemu] = info.members;
    assert.deepEqual([name?.name, name?.optional, name?.description], ["name", true, "the name\non two lines"]);
    assert.ok(qemu?.type.kind === "members");
    assert.equal(qemu.type.members[0]?.description, "the major version");
  });

  it("ends a doc block at a line of only '#'s, as 2.7's block-core.json closes Abort's with ###", () => {
    const closed = parseQapiSchema(`##\n# @Abort\n#\n# This action can be used to test transaction failure.\n#\n# Since: 1.6\n###\n{ 'struct': 'Abort', 'data': { } }\n`);
    assert.equal(definition(closed, "Abort").doc.description, "This action can be used to test transaction failure.\n\nSince: 1.6");
  });

  it("reports malformed definitions where they are", async () => {
    const cases: [string, string, RegExp][] = [
      [`{ 'data': [] }`, "1:1", /exactly one of 'enum', 'struct'/],
      [`{ 'enum': 'E', 'struct': 'S', 'data': [] }`, "1:1", /both 'enum' and 'struct'/],
      [`{ 'enum': 'E', 'dta': [] }`, "1:16", /unknown key 'dta' in a 'enum' definition/],
      [`{ 'enum': 'E' }`, "1:1", /enum 'E' needs 'data'/],
      [`{ 'struct': 'S', 'data': { 'a': 'str', '*a': 'int' } }`, "1:40", /member 'a' is listed twice/],
      [`{ 'command': 'c', 'returns': ['a', 'b'] }`, "1:30", /a list type is written \['TypeName'\]/],
      [`{ 'command': 'c', 'gen': 'maybe' }`, "1:26", /'gen' must be true or false/],
      [`{ 'union': 'U', 'discriminator': 'k', 'data': {} }`, "1:34", /needs a 'base'/],
    ];
    for (const [text, position, message] of cases) {
      const error = await hxErrorOf(() => parseQapiSchema(text, "s.json"));
      assert.equal(where(error), `s.json:${position}`, text);
      assert.match(error.message, message, text);
    }
  });

  it("gives unknown types and second definitions as notices, not errors; a 'gen': false command is not checked", () => {
    const checked = parseQapiSchema(
      `{ 'struct': 'S', 'data': { 'a': 'Nope' } }\n{ 'enum': 'S', 'data': [] }\n{ 'command': 'c', 'data': { 'p': 'dict' }, 'gen': false }\n{ 'command': 'd', 'returns': 'c' }`,
      "s.json",
    );
    assert.deepEqual(
      checked.notices.map((notice) => [notice.rule, `${notice.location.line}:${notice.location.column}`, notice.message]),
      [
        ["qapi-schema", "2:11", "'S' is already defined at s.json:1:13; this enum is ignored"],
        ["qapi-schema", "1:33", "struct 'S' refers to type 'Nope', which is not defined"],
        ["qapi-schema", "4:30", "command 'd' uses command 'c' as a type"],
      ],
    );
  });
});

describe("QAPI includes", () => {
  const files = new Map<string, string>([
    ["top/qapi-schema.json", `{ 'include': 'qapi/common.json' }\n{ 'include': 'qapi/block.json' }\n{ 'enum': 'Top', 'data': [] }`],
    ["top/qapi/common.json", `{ 'enum': 'Common', 'data': [] }`],
    // Relative to the including file: qapi/block.json includes qapi/block-core.json as 'block-core.json'.
    ["top/qapi/block.json", `{ 'include': 'block-core.json' }\n{ 'include': 'common.json' }\n{ 'enum': 'Block', 'data': [] }`],
    ["top/qapi/block-core.json", `{ 'enum': 'Core', 'data': [] }`],
    ["cycle/a.json", `{ 'enum': 'A', 'data': [] }\n{ 'include': 'b.json' }`],
    ["cycle/b.json", `\n{ 'include': 'a.json' }`],
    ["missing/a.json", `{ 'enum': 'A', 'data': [] }\n  { 'include': 'gone.json' }`],
  ]);
  const read = async (path: string): Promise<string> => {
    const text = files.get(path);
    if (text === undefined) throw Object.assign(new Error(`ENOENT: ${path}`), { code: "ENOENT" });
    return text;
  };

  it("reads includes relative to the including file, in order, a file included twice once", async () => {
    const schema = await loadQapiSchema("top/qapi-schema.json", read);
    assert.deepEqual(schema.files, ["top/qapi-schema.json", "top/qapi/common.json", "top/qapi/block.json", "top/qapi/block-core.json"]);
    assert.deepEqual(
      schema.definitions.map((item) => `${item.name}@${item.location.file}`),
      ["Top@top/qapi-schema.json", "Common@top/qapi/common.json", "Block@top/qapi/block.json", "Core@top/qapi/block-core.json"],
    );
    assert.deepEqual(schema.notices, []);
  });

  it("reports an include cycle at the include that closes it", async () => {
    const error = await hxErrorOf(() => loadQapiSchema("cycle/a.json", read));
    assert.equal(where(error), "cycle/b.json:2:14");
    assert.match(error.message, /include cycle: 'a.json' includes itself/);
  });

  it("reports a missing file at its include", async () => {
    const error = await hxErrorOf(() => loadQapiSchema("missing/a.json", read));
    assert.equal(where(error), "missing/a.json:2:16");
    assert.match(error.message, /cannot read the included file 'missing\/gone.json' \(ENOENT\)/);
  });
});

// ---------------------------------------------------------------------------------------
// Enrichment

function entry(name: string, argsType: string): string {
  return `    {\n        .name       = "${name}",\n        .args_type  = "${argsType}",\n        .mhandler.cmd_new = qmp_marshal_x,\n    },\n\n`;
}

const hx =
  entry("backup", "device:B,sync:s,speed:i?,force:-f") +
  entry("memsave", "val:l,cpu:i?") +
  entry("transaction", "actions:q,props:q?") +
  entry("set-size", "size:s") +
  entry("device_add", "device:O") +
  entry("hmp-only", "");

const qapiText = `
##
# @SyncMode:
#
# What to copy.
##
{ 'enum': 'SyncMode', 'data': [ 'full', 'top', 'none' ] }
{ 'enum': 'Unused', 'data': [ 'x' ] }
{ 'struct': 'Base', 'data': { 'device': 'str' } }
{ 'struct': 'Backup', 'base': 'Base', 'data': { 'sync': 'SyncMode', '*speed': 'int', '*force': 'bool' } }
{ 'command': 'backup', 'data': 'Backup', 'returns': 'Result' }
{ 'struct': 'Result', 'data': { 'size': 'size', 'count': 'int32', 'ratio': 'number', 'tags': ['str'] } }
{ 'command': 'memsave', 'data': { 'val': 'int', '*cpu-index': 'int' } }
{ 'union': 'Action', 'data': { 'backup': 'Backup', 'stop': 'Empty' } }
{ 'struct': 'Empty', 'data': {} }
{ 'command': 'transaction', 'data': { 'actions': [ 'Action' ], '*props': 'any' } }
{ 'command': 'set-size', 'data': { 'size': 'int' } }
{ 'command': 'device_add', 'data': { 'driver': 'str', 'id': 'str' }, 'gen': false }
{ 'command': 'qapi-only' }
{ 'enum': 'Driver', 'data': [ 'file', 'nbd', 'null' ] }
{ 'union': 'Options', 'base': { 'driver': 'Driver', '*id': 'str' }, 'discriminator': 'driver', 'data': { 'file': 'Backup', 'nbd': 'Empty' } }
{ 'event': 'STOP' }
{ 'event': 'DONE', 'data': { 'device': 'str', 'len': 'int', 'opts': 'Options' } }
`;

function enriched(): { schema: Schema; notices: readonly { rule: string; message: string; line: number }[] } {
  const built = parseSchema(hx, { file: "t.hx" });
  const withEvents: Schema = {
    ...built.schema,
    events: [{ name: "DONE", location: { file: "events.txt", line: 3, column: 1 }, doc: undefined, data: undefined }],
  };
  const result = enrichWithQapi({ schema: withEvents, notices: built.notices }, parseQapiSchema(qapiText, "q.json"));
  return { schema: result.schema, notices: result.notices.map((notice) => ({ rule: notice.rule, message: notice.message, line: notice.location.line })) };
}

function command(schema: Schema, name: string): Command {
  const found = schema.commands.find((candidate) => candidate.name === name);
  assert.ok(found, `no command ${name}`);
  return found;
}

function namedType(schema: Schema, name: string): NamedType {
  const found = schema.types.find((candidate) => candidate.name === name);
  assert.ok(found, `no type ${name}`);
  return found;
}

describe("QAPI enrichment", async () => {
  const { schema, notices } = enriched();

  it("types results: returns, {} for a generated command without returns, nothing for a 'gen': false one", () => {
    assert.deepEqual(command(schema, "backup").result?.type, { kind: "named", name: "Result" });
    assert.equal(command(schema, "backup").result?.origin, "qapi");
    assert.deepEqual(command(schema, "memsave").result?.type, { kind: "object", members: [], open: false });
    assert.equal(command(schema, "device_add").result, undefined);
    assert.equal(command(schema, "hmp-only").result, undefined);
  });

  it("makes int, size, int64 and uint64 64-bit, int8..uint32 not", () => {
    const result = namedType(schema, "Result");
    assert.ok(result.kind === "struct");
    assert.deepEqual(
      result.members.map((member) => [member.name, member.type]),
      [
        ["size", { kind: "integer", int64: true }],
        ["count", { kind: "integer", int64: false }],
        ["ratio", { kind: "number" }],
        ["tags", { kind: "array", element: { kind: "string" } }],
      ],
    );
  });

  it("narrows a string argument to its enum and a q argument to its type; 'any' and plain types narrow nothing", () => {
    const backup = command(schema, "backup");
    assert.deepEqual(
      backup.args.map((arg) => [arg.name, arg.type?.type]),
      [
        ["device", undefined],
        ["sync", { kind: "named", name: "SyncMode" }],
        ["speed", undefined],
        ["force", undefined],
      ],
    );
    const transaction = command(schema, "transaction");
    assert.deepEqual(transaction.args[0]?.type?.type, { kind: "array", element: { kind: "named", name: "Action" } });
    assert.equal(transaction.args[1]?.type, undefined);
  });

  it("lowers a simple union to a 'type' tag and a 'data' member", () => {
    const action = namedType(schema, "Action");
    assert.ok(action.kind === "union");
    assert.equal(action.discriminator, "type");
    assert.deepEqual(action.base.map((member) => [member.name, member.type]), [["type", { kind: "enum", values: ["backup", "stop"] }]]);
    assert.deepEqual(action.variants[0], {
      tag: "backup",
      type: { kind: "object", members: [{ name: "data", type: { kind: "named", name: "Backup" }, optional: false, description: "", location: { file: "q.json", line: 14, column: 32 } }], open: false },
    });
  });

  it("gives a flat union its base members and a branch per discriminator value, empty where the schema has none", () => {
    const options = namedType(schema, "Options");
    assert.ok(options.kind === "union");
    assert.equal(options.discriminator, "driver");
    assert.deepEqual(options.base.map((member) => member.name), ["driver", "id"]);
    assert.deepEqual(
      options.variants.map((variant) => [variant.tag, variant.type]),
      [
        ["file", { kind: "named", name: "Backup" }],
        ["nbd", { kind: "named", name: "Empty" }],
        ["null", { kind: "object", members: [], open: false }],
      ],
    );
  });

  it("keeps the named types the model uses, and the ones they use, in definition order, with QAPI's docs", () => {
    assert.deepEqual(
      schema.types.map((type) => type.name),
      ["SyncMode", "Base", "Backup", "Result", "Action", "Empty", "Driver", "Options"],
    );
    assert.equal(namedType(schema, "SyncMode").description, "What to copy.");
    const backup = namedType(schema, "Backup");
    assert.ok(backup.kind === "struct" && backup.base === "Base");
  });

  it("types the events document's events and adds QAPI's others; no data is {}", () => {
    assert.deepEqual(
      schema.events.map((event) => [event.name, event.location.file, event.data?.origin]),
      [
        ["DONE", "events.txt", "qapi"],
        ["STOP", "q.json", "qapi"],
      ],
    );
    const done = schema.events[0]?.data?.type;
    assert.ok(done?.kind === "object");
    assert.deepEqual(done.members.map((member) => [member.name, member.type.kind]), [["device", "string"], ["len", "integer"], ["opts", "named"]]);
    assert.deepEqual(schema.events[1]?.data?.type, { kind: "object", members: [], open: false });
  });

  it("reports each disagreement with the table with both locations; the table keeps its arguments", () => {
    const mismatches = notices.filter((notice) => notice.rule !== "qapi-unmatched-command");
    assert.deepEqual(
      mismatches.map((notice) => [notice.rule, notice.line]),
      [
        ["qapi-argument-mismatch", 9],
        ["qapi-argument-mismatch", 7],
        ["qapi-type-mismatch", 21],
      ],
    );
    const [missingInQapi, missingInTable, type] = mismatches;
    assert.match(missingInTable?.message ?? "", /^QAPI's 'memsave' at q\.json:13:49 takes optional 'cpu-index', which the table's args_type 'val:l,cpu:i\?' lacks/);
    assert.match(missingInQapi?.message ?? "", /^argument 'cpu' of 'memsave' \(args_type 'cpu:i\?'\) is not in QAPI's 'memsave' at q\.json:13:14, which has 'val', 'cpu-index'$/);
    assert.match(type?.message ?? "", /^QAPI types 'size' of 'set-size' as 'int' \(integer\) at q\.json:17:36, but args_type 'size:s' takes string/);
    assert.deepEqual(command(schema, "memsave").args.map((arg) => arg.name), ["val", "cpu"]);
    assert.equal(command(schema, "set-size").args[0]?.type, undefined);
  });

  it("says which commands only one side has", () => {
    const unmatched = notices.filter((notice) => notice.rule === "qapi-unmatched-command").map((notice) => notice.message);
    assert.deepEqual(unmatched, [
      "'hmp-only' has no QAPI command definition; its types come from the docs alone",
      "QAPI defines command 'qapi-only', which t.hx does not have: the monitor would not accept it",
    ]);
  });

  it("is deterministic", () => {
    assert.deepEqual(enriched(), { schema, notices });
  });
});

describe("QAPI types in the docs", () => {
  it("gives each schema file a page with a section per type, linked by the anchors a renderer makes, repeats counted", async () => {
    const built = parseSchema(hx + entry("values", "v:s"), { file: "t.hx" });
    // `Values` repeats the values headings of SyncMode and Driver above it: its anchor is values-2.
    const schema = parseQapiSchema(`${qapiText}{ 'enum': 'Values', 'data': [ 'v' ] }\n{ 'command': 'values', 'data': { 'v': 'Values' } }\n`, "q.json");
    const files = await generateFiles(enrichWithQapi({ schema: built.schema, notices: built.notices }, schema).schema);
    const page = files.find((file) => file.path === "docs/types/q.md");
    assert.ok(page, "one page for q.json");
    assert.deepEqual(files.filter((file) => file.path.startsWith("docs/types/")).map((file) => file.path), ["docs/types/index.md", "docs/types/q.md"]);
    assert.match(page.content, /^## SyncMode\n\n- enum\n\nWhat to copy\.\n\n### Values\n/m);
    const index = files.find((file) => file.path === "docs/types/index.md")?.content ?? "";
    assert.match(index, /\[Values\]\(q\.md#values-2\) \(enum\)/);
    assert.deepEqual(brokenDocLinks(files), []);
  });
});

describe("QAPI robustness", () => {
  it("a file nested too deep for any schema is a located error, not a stack overflow", async () => {
    const text = `{ 'struct': 'S', 'data': ${"[".repeat(100_000)}`;
    const error = await hxErrorOf(() => parseQapiSchema(text, "deep.json"));
    assert.equal(where(error), "deep.json:1:89");
    assert.match(error.message, /nested more than 64 levels deep/);
  });
});
