// The grammar and model builder on small, hand-written .hx snippets.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { HxError, parseSchema } from "../../src/index.js";

function entry(fields: string): string {
  return `    {\n${fields}\n    },\n`;
}

function schemaOf(text: string, defines?: ReadonlyMap<string, string>) {
  return parseSchema(text, { file: "t.hx", ...(defines ? { defines } : {}) }).schema;
}

function errorOf(text: string): HxError {
  try {
    parseSchema(text, { file: "t.hx" });
  } catch (error) {
    if (error instanceof HxError) return error;
    throw error;
  }
  assert.fail("expected an HxError");
}

describe("args_type", () => {
  it("reads names, codes, ? and -x flags", () => {
    const [command] = schemaOf(entry('        .name = "x",\n        .args_type = "force:-f,device:B,size:o?,val:q,opts:O",')).commands;
    assert.deepEqual(
      command?.args.map((arg) => [arg.name, arg.code, arg.flag, arg.optional]),
      [
        ["force", "-", "f", true],
        ["device", "B", undefined, false],
        ["size", "o", undefined, true],
        ["val", "q", undefined, false],
        ["opts", "O", undefined, false],
      ],
    );
    assert.equal(command?.acceptsUnknownKeys, true);
  });

  it("accepts every QMP code and an empty args_type", () => {
    const codes = ["s", "F", "B", "i", "l", "M", "o", "T", "b", "O", "q", "f"];
    const [command] = schemaOf(entry(`.name = "x", .args_type = "${codes.map((code, index) => `a${index}:${code}`).join(",")}",`)).commands;
    assert.deepEqual(command?.args.map((arg) => arg.code), codes);
    assert.deepEqual(schemaOf(entry('.name = "y", .args_type = "",')).commands[0]?.args, []);
  });

  it("reports an HMP-only code at its line and column", () => {
    const error = errorOf(entry('        .name = "x",\n        .args_type = "a:s,fmt:/,b:i",'));
    const [diagnostic] = error.diagnostics;
    assert.equal(diagnostic?.location.line, 3);
    assert.equal(diagnostic?.location.column, 31);
    assert.match(diagnostic?.message ?? "", /HMP-only/);
  });

  it("points into the second of two concatenated literals", () => {
    const error = errorOf(entry('        .name = "x",\n        .args_type = "a:s,"\n                      "b:Z",'));
    assert.deepEqual([error.diagnostics[0]?.location.line, error.diagnostics[0]?.location.column], [4, 26]);
    assert.match(error.diagnostics[0]?.message ?? "", /unknown args_type code 'Z'/);
  });

  it("reports an item without a code and a trailing comma", () => {
    assert.match(errorOf(entry('.name = "x", .args_type = "a",')).message, /t\.hx:2:29: syntax error/);
    assert.match(errorOf(entry('.name = "x", .args_type = "a:s,",')).message, /t\.hx:2:32: /);
  });

  it("maps escapes back to the source", () => {
    // \x41 is "A": the error on the code after it must count the four source characters.
    const error = errorOf(entry('.name = "x", .args_type = "\\x41:s,b:S",'));
    assert.equal(error.diagnostics[0]?.location.column, 37);
  });
});

describe("C values", () => {
  it("concatenates adjacent literals and decodes escapes", () => {
    const [command] = schemaOf(
      entry('        .name = "x",\n        .args_type = "",\n        .help = "a\\tb" "\\"c\\"\\n"\n                "d",\n        .mhandler.cmd_new = do_x,'),
    ).commands;
    assert.deepEqual(command?.fields.find((field) => field.name === "help")?.value, { kind: "string", value: 'a\tb"c"\nd' });
    assert.deepEqual(command?.fields.find((field) => field.name === "mhandler.cmd_new")?.value, { kind: "identifier", name: "do_x" });
  });

  it("expands a macro in a name with --define, and says which flag is missing without", () => {
    const text = entry('        .name       = RFQDN_REDHAT "drive_add",\n        .args_type  = "",');
    assert.equal(schemaOf(text, new Map([["RFQDN_REDHAT", "__com.redhat_"]])).commands[0]?.name, "__com.redhat_drive_add");
    const error = errorOf(text);
    assert.match(error.message, /t\.hx:2:23: macro 'RFQDN_REDHAT' is not defined: pass --define RFQDN_REDHAT=VALUE/);
  });

  it("reports an unterminated string at its opening quote", () => {
    const error = errorOf(entry('\t.name = "x",\n\t.mhandler.cmd_new = " qmp_x,'));
    assert.deepEqual([error.diagnostics[0]?.location.line, error.diagnostics[0]?.location.column], [3, 22]);
    assert.match(error.message, /unterminated string literal/);
  });

  it("requires the comma after an entry", () => {
    const error = errorOf('    {\n        .name = "x",\n    }\n');
    assert.equal(error.diagnostics[0]?.location.line, 3);
    assert.match(error.message, /expected: .*','/);
  });

  it("accepts tabs, trailing spaces, CRLF and a missing final newline", () => {
    const text = '{ \t\r\n\t.name = "a",  \r\n\t.args_type = "x:s",\t\r\n},\t\r\n\r\nSQMP\r\na\r\n-\r\n\r\nDoc.\r\nEQMP';
    const { commands } = schemaOf(text);
    assert.equal(commands[0]?.name, "a");
    assert.equal(commands[0]?.doc?.title, "a");
  });
});

describe("preprocessor conditions", () => {
  it("keeps the condition of the entries between #if and #endif", () => {
    const text = [
      "#if defined(CONFIG_SPICE)",
      entry('.name = "a", .args_type = "",'),
      "#ifdef CONFIG_X",
      entry('.name = "b", .args_type = "",'),
      "#endif",
      "#else",
      entry('.name = "c", .args_type = "",'),
      "#endif",
      entry('.name = "d", .args_type = "",'),
    ].join("\n");
    const conditions = Object.fromEntries(schemaOf(text).commands.map((command) => [command.name, command.conditions.map((condition) => condition.expression)]));
    assert.deepEqual(conditions, {
      a: ["defined(CONFIG_SPICE)"],
      b: ["defined(CONFIG_SPICE)", "defined(CONFIG_X)"],
      c: ["!(defined(CONFIG_SPICE))"],
      d: [],
    });
  });

  it("reports an unbalanced #endif and an unterminated #if", () => {
    assert.match(errorOf("#endif\n").message, /t\.hx:1:1: #endif without a matching #if/);
    assert.match(errorOf(`#if defined TARGET_I386\n${entry('.name = "a",')}`).message, /t\.hx:1:1: unterminated #if defined TARGET_I386/);
  });
});

describe("selecting one build with --define / --undefine", () => {
  const text = [
    "#if defined(CONFIG_SPICE)",
    entry('.name = "spice", .args_type = "",'),
    "#endif",
    "#ifdef CONFIG_LIVE_BLOCK_OPS",
    entry('.name = "stream", .args_type = "",'),
    "#else",
    entry('.name = "no-stream", .args_type = "",'),
    "#endif",
    "#if defined TARGET_I386 || (defined(TARGET_X86_64) && VERSION >= 2)",
    entry('.name = "x86", .args_type = "",'),
    "#endif",
    entry('.name = "always", .args_type = "",'),
  ].join("\n");
  const names = (defines: Record<string, string>, undefines: string[] = []) =>
    parseSchema(text, { file: "t.hx", defines: new Map(Object.entries(defines)), undefines: new Set(undefines) }).schema.commands.map((command) => command.name);

  it("keeps every entry when nothing is said about the symbols", () => {
    assert.deepEqual(names({}), ["spice", "stream", "no-stream", "x86", "always"]);
  });

  it("drops entries whose condition is known false, keeps unknown ones", () => {
    assert.deepEqual(names({ CONFIG_LIVE_BLOCK_OPS: "1" }, ["CONFIG_SPICE"]), ["stream", "x86", "always"]);
    assert.deepEqual(names({}, ["CONFIG_LIVE_BLOCK_OPS", "TARGET_I386", "TARGET_X86_64"]), ["spice", "no-stream", "always"]);
    assert.deepEqual(names({ TARGET_X86_64: "1", VERSION: "1" }, ["TARGET_I386"]), ["spice", "stream", "no-stream", "always"]);
    assert.deepEqual(names({ TARGET_X86_64: "1", VERSION: "2" }, ["TARGET_I386"]), ["spice", "stream", "no-stream", "x86", "always"]);
  });

  it("takes the first #elif branch that holds, and #else only when none did", () => {
    const chain = ["#if defined(A)", entry('.name = "a", .args_type = "",'), "#elif defined(B)", entry('.name = "b", .args_type = "",'), "#else", entry('.name = "c", .args_type = "",'), "#endif"].join("\n");
    const pick = (defines: string[], undefines: string[]) =>
      parseSchema(chain, { file: "t.hx", defines: new Map(defines.map((name) => [name, "1"])), undefines: new Set(undefines) }).schema.commands.map((command) => command.name);
    assert.deepEqual(pick(["A", "B"], []), ["a"]);
    assert.deepEqual(pick(["B"], ["A"]), ["b"]);
    assert.deepEqual(pick([], ["A", "B"]), ["c"]);
    assert.deepEqual(pick([], ["A"]), ["b", "c"], "B unknown: both may hold");
    assert.deepEqual(pick([], []), ["a", "b", "c"]);
  });

  it("reports a malformed #if expression at its column", () => {
    const error = errorOf(`#if defined(A) &&& B\n${entry('.name = "a",')}#endif\n`);
    assert.deepEqual([error.diagnostics[0]?.location.line, error.diagnostics[0]?.location.column], [1, 18]);
    assert.match(errorOf(`#ifdef\n#endif\n`).message, /#ifdef needs a condition/);
  });
});

describe("doc blocks", () => {
  const doc = `SQMP
eject
-----

Eject a removable medium.
Second line.

Arguments:

- force: force ejection (json-bool, optional)
- "device": device name
            (json-string)
HXCOMM a comment inside the block
- "opts": options
    - Possible values: "a", "b"
- "cyls", "heads": geometry (json-int, optional)

Example:

-> { "execute": "eject",
     "arguments": { "device": "ide1-cd0" } }
<- { "return": {} }

Text between.

<- { "return": ... }

Notes:

(1) The "force" argument defaults to false.

EQMP
`;

  it("structures title, description, arguments, examples and notes", () => {
    const [command] = schemaOf(entry('.name = "eject", .args_type = "force:-f,device:B,opts:q?,cyls:i?,heads:i?",') + "\n" + doc).commands;
    const parsed = command?.doc;
    assert.equal(parsed?.title, "eject");
    assert.equal(parsed?.underline?.length, 5);
    assert.deepEqual(parsed?.description.map((paragraph) => paragraph.kind === "text" && paragraph.text), ["Eject a removable medium.\nSecond line."]);
    assert.deepEqual(
      parsed?.arguments?.items.map((item) => [item.name, item.quoted, item.text, item.type, item.optional]),
      [
        ["force", false, "force ejection", "json-bool", true],
        ["device", true, "device name", "json-string", false],
        ["opts", true, "options", undefined, false],
        ["cyls", true, "geometry", "json-int", true],
        ["heads", true, "geometry", "json-int", true],
      ],
    );
    assert.equal(parsed?.arguments?.items[2]?.children[0]?.text, 'Possible values: "a", "b"');
    const parts = parsed?.examples[0]?.parts ?? [];
    assert.deepEqual(parts.map((part) => part.kind), ["message", "message", "text", "message"]);
    const [request, reply, , broken] = parts;
    assert.deepEqual(request?.kind === "message" && request.message.json, { execute: "eject", arguments: { device: "ide1-cd0" } });
    assert.deepEqual(reply?.kind === "message" && reply.message.json, { return: {} });
    assert.equal(broken?.kind === "message" && broken.message.json, undefined);
    assert.equal(broken?.kind === "message" && broken.message.text, '{ "return": ... }');
    assert.deepEqual(parsed?.notes.map((paragraph) => paragraph.kind === "text" && paragraph.text), ['(1) The "force" argument defaults to false.']);
    assert.equal(command?.args.find((arg) => arg.name === "device")?.doc?.text, "device name");
  });

  it("attaches a doc before its entry and reads Arguments: None.", () => {
    const text = "SQMP\nquery-x\n-------\n\nShow x.\n\nArguments: None.\n\nEQMP\n\n" + entry('.name = "query-x", .args_type = "",');
    const [command] = schemaOf(text).commands;
    assert.equal(command?.doc?.title, "query-x");
    assert.equal(command?.doc?.arguments?.none, true);
  });

  it("matches a sentence title through the example's execute, and keeps doc-only commands", () => {
    const text =
      entry('.name = "query-rocker", .args_type = "name:s",') +
      'SQMP\nShow rocker switch\n------------------\n\nExample:\n\n-> { "execute": "query-rocker", "arguments": { "name": "sw1" } }\n<- { "return": {} }\n\nEQMP\n' +
      "SQMP\nquery-only\n----------\n\nOnly documented.\n\nEQMP\n";
    const { commands } = schemaOf(text);
    assert.equal(commands[0]?.doc?.title, "Show rocker switch");
    assert.deepEqual(commands.map((command) => [command.name, command.origin]), [
      ["query-rocker", "table"],
      ["query-only", "doc-only"],
    ]);
  });

  it("keeps a placeholder block apart and accepts a final block without EQMP", () => {
    const text = "SQMP\nfoo\nEQMP\n\n" + entry('.name = "a", .args_type = "",') + "SQMP\na\n-\n\nDoc of a.\n";
    const schema = schemaOf(text);
    assert.equal(schema.otherDocs[0]?.placeholder, true);
    assert.equal(schema.commands[0]?.doc?.unterminated, true);
  });

  it("reads non-ASCII text and JSON messages across lines", () => {
    const text = entry('.name = "a", .args_type = "",') + 'SQMP\na\n-\n\nSets the name\u00a0“ü”.\n\nExample:\n\n-> { "execute": "a",\n     "arguments": { "x": "é" } }\n<- { "return": {} }\nEQMP\n';
    const [command] = schemaOf(text).commands;
    assert.match(command?.doc?.description[0]?.kind === "text" ? command.doc.description[0].text : "", /\u00a0“ü”/);
    const first = command?.doc?.examples[0]?.parts[0];
    assert.deepEqual(first?.kind === "message" && first.message.json, { execute: "a", arguments: { x: "é" } });
  });
});

describe("doc-only files", () => {
  it("splits commands at titles and derives arguments from their docs", () => {
    const text = "1. Regular Commands\n===================\n\nblockdev-x\n----------\n\nDoes x.\n\nArguments:\n\n- \"device\": the device (json-string)\n- \"speed\": speed (json-int, optional)\n\nquit\n----\n\nQuit.\n\nArguments: None.\n";
    const { commands, format } = parseSchema(text, { file: "qmp-commands.txt" }).schema;
    assert.equal(format, "doc-only");
    assert.deepEqual(commands.map((command) => [command.name, command.origin]), [
      ["blockdev-x", "derived-from-docs"],
      ["quit", "derived-from-docs"],
    ]);
    assert.deepEqual(commands[0]?.args.map((arg) => [arg.name, arg.code, arg.optional]), [
      ["device", "s", false],
      ["speed", "i", true],
    ]);
  });
});
