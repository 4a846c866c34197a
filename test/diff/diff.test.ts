// `diff`: every change kind and classification on small inline files and hand-built models,
// the output formats, versions, exit codes and the CLI command.
import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, it } from "node:test";
import {
  compareDataTypes,
  diffExitCode,
  diffJsonVersion,
  diffSchemas,
  formatDiffReports,
  lookupIn,
  parseVersionOf,
  sideOf,
  versionFromFileName,
  type Change,
  type DiffReport,
} from "../../src/compare/diff/index.js";
import { parseSchema } from "../../src/frontend/hx/schema.js";
import type { DataType, Event, Member, NamedType, Schema, SourceLocation } from "../../src/model/types.js";
import { runCli, withTempDir } from "../helpers.js";

function entry(name: string, argsType: string, extra = ""): string {
  return `    {\n        .name       = "${name}",\n        .args_type  = "${argsType}",\n${extra}        .mhandler.cmd_new = qmp_marshal_${name.replace(/-/g, "_")},\n    },\n\n`;
}

function documented(name: string, argsType: string, text: string, extra = ""): string {
  return entry(name, argsType, extra) + `SQMP\n${name}\n${"-".repeat(name.length)}\n\n${text}\n\nEQMP\n\n`;
}

function schema(text: string, file = "t.hx"): Schema {
  return parseSchema(text, { file }).schema;
}

/** [level, kind, name, argument] of each change: compact to compare. */
function rows(report: DiffReport): string[][] {
  return report.changes.map((change) => [change.level, change.kind, change.name, change.argument ?? ""]);
}

function diffText(before: string, after: string): DiffReport {
  return diffSchemas(schema(before, "old.hx"), schema(after, "new.hx"));
}

describe("diff: commands", () => {
  it("reports nothing for the same file, and nothing for lines that only moved", () => {
    const text = entry("a", "x:s") + entry("b", "");
    assert.deepEqual(rows(diffText(text, text)), []);
    assert.deepEqual(rows(diffText(text, "HXCOMM moved\n\n" + text)), []);
  });

  it("an added command is compatible, a removed one breaking, a rename both", () => {
    assert.deepEqual(rows(diffText(entry("a", ""), entry("a", "") + entry("b", ""))), [["compatible", "command-added", "b", ""]]);
    assert.deepEqual(rows(diffText(entry("a", "") + entry("b", ""), entry("a", ""))), [["breaking", "command-removed", "b", ""]]);
    assert.deepEqual(rows(diffText(entry("old-name", "x:s"), entry("new-name", "x:s"))), [
      ["compatible", "command-added", "new-name", ""],
      ["breaking", "command-removed", "old-name", ""],
    ]);
  });
});

describe("diff: arguments", () => {
  const cases: [string, string, string, string[][]][] = [
    ["optional argument added", "a:s", "a:s,b:i?", [["compatible", "argument-added", "c", "b"]]],
    ["required argument added", "a:s", "a:s,b:i", [["breaking", "argument-added", "c", "b"]]],
    ["argument removed", "a:s,b:i?", "a:s", [["breaking", "argument-removed", "c", "b"]]],
    ["argument made optional", "a:s", "a:s?", [["compatible", "argument-optional", "c", "a"]]],
    ["argument made required", "a:s?", "a:s", [["breaking", "argument-required", "c", "a"]]],
    ["string -> int", "a:s", "a:i", [["breaking", "argument-code", "c", "a"]]],
    ["i -> l: the same JSON integer", "a:i", "a:l", [["compatible", "argument-code", "c", "a"]]],
    ["s -> B: the same JSON string", "a:s", "a:B", [["compatible", "argument-code", "c", "a"]]],
    ["int -> number widens", "a:i", "a:T", [["compatible", "argument-code", "c", "a"]]],
    ["number -> int narrows", "a:T", "a:i", [["breaking", "argument-code", "c", "a"]]],
    ["s -> q accepts anything", "a:s", "a:q", [["compatible", "argument-code", "c", "a"]]],
    ["q -> s narrows", "a:q", "a:s", [["breaking", "argument-code", "c", "a"]]],
    ["flag -> optional bool", "f:-f", "f:b?", [["compatible", "argument-code", "c", "f"]]],
    ["O added", "a:s", "a:s,opts:O", [["compatible", "open-keys", "c", ""]]],
    ["O removed", "a:s,opts:O", "a:s", [["breaking", "open-keys", "c", ""]]],
    ["an argument removed while O stays", "a:s,b:s?,opts:O", "a:s,opts:O", [["compatible", "argument-removed", "c", "b"]]],
    ["order only", "a:s,b:i?", "b:i?,a:s", []],
  ];
  for (const [title, before, after, expected] of cases) {
    it(title, () => assert.deepEqual(rows(diffText(entry("c", before), entry("c", after))), expected));
  }

  it("says what a code change means on the wire", () => {
    const [change] = diffText(entry("c", "a:s"), entry("c", "a:i")).changes;
    assert.equal(change?.message, "argument 'a' args_type a:s -> a:i (string -> integer): a JSON string is now rejected (expected: int)");
    const [widening] = diffText(entry("c", "a:i"), entry("c", "a:l")).changes;
    assert.match(widening?.message ?? "", /the same JSON integer on the wire$/);
  });

  it("a property only an O command's doc lists is docs: the monitor never checked it", () => {
    const doc = (items: string) => `Do it.\n\nArguments:\n\n- "id": the id (json-string)\n${items}`;
    const before = documented("d", "id:s,opts:O", doc(`- "speed": the speed (json-int, optional)\n`));
    const after = documented("d", "id:s,opts:O", doc(""));
    assert.deepEqual(
      rows(diffText(before, after)).filter((row) => row[1] !== "docs"),
      [["docs", "argument-removed", "d", "speed"]],
    );
  });
});

describe("diff: a .hx against docs/qmp-commands.txt", () => {
  it("codes derived from a doc's JSON type compare by that type; the file's lack of #if says nothing", () => {
    const table = `#if defined(CONFIG_X)\n${documented("c", "a:l,b:B?", "Does it.\n\nArguments:\n\n- \"a\": the size (json-int)\n- \"b\": the device (json-string, optional)")}#endif\n`;
    const docOnly = "c\n-\n\nDoes it.\n\nArguments:\n\n- \"a\": the size (json-int)\n- \"b\": the device (json-string, optional)\n\nExample:\n\n-> { \"execute\": \"c\", \"arguments\": { \"a\": 1 } }\n<- { \"return\": {} }\n";
    const derived = parseSchema(docOnly, { file: "qmp-commands.txt" }).schema;
    assert.equal(derived.commands[0]?.origin, "derived-from-docs");
    const report = diffSchemas(schema(table), derived);
    assert.deepEqual(rows(report).filter((row) => row[1] !== "docs" && row[1] !== "handler"), []);
  });
});

describe("diff: conditions, handlers, docs", () => {
  it("a command that becomes conditional is breaking (absent from other builds); the reverse compatible", () => {
    const plain = entry("c", "");
    const conditional = `#if defined(TARGET_I386)\n${entry("c", "")}#endif\n`;
    assert.deepEqual(rows(diffText(plain, conditional)), [["breaking", "condition", "c", ""]]);
    assert.deepEqual(rows(diffText(conditional, plain)), [["compatible", "condition", "c", ""]]);
    assert.match(diffText(plain, conditional).changes[0]?.message ?? "", /now only where #if defined\(TARGET_I386\)/);
  });

  it("a handler change is compatible; a file without handlers says nothing about them", () => {
    const renamed = entry("c", "").replace("qmp_marshal_c", "qmp_marshal_input_c");
    assert.deepEqual(rows(diffText(renamed, entry("c", ""))), [["compatible", "handler", "c", ""]]);
    const withoutHandler = entry("c", "").replace(/ *\.mhandler.*\n/, "");
    assert.deepEqual(rows(diffText(entry("c", ""), withoutHandler)), []);
  });

  it("docs changes are one line naming the sections", () => {
    const before = documented("c", "id:s", "Does it.\n\nArguments:\n\n- \"id\": the id (json-string)");
    const after = documented("c", "id:s", "Does it better.\n\nArguments:\n\n- \"id\": the id of the thing (json-string)\n\nExample:\n\n-> { \"execute\": \"c\", \"arguments\": { \"id\": \"x\" } }\n<- { \"return\": {} }");
    const report = diffText(before, after);
    assert.deepEqual(rows(report), [["docs", "docs", "c", ""]]);
    assert.equal(report.changes[0]?.message, "docs changed: description, arguments, examples");
  });
});

// ---- Data types, on hand-built models: what the typed and QAPI front ends fill ----

const here: SourceLocation = { file: "m", line: 1, column: 1 };
const str: DataType = { kind: "string" };
const int32: DataType = { kind: "integer", int64: false };
const int64: DataType = { kind: "integer", int64: true };

function member(name: string, type: DataType, optional = false): Member {
  return { name, type, optional, description: "", location: here };
}

function object(...members: Member[]): DataType {
  return { kind: "object", members, open: false };
}

function typeRows(before: DataType, after: DataType, direction: "input" | "output", oldTypes: NamedType[] = [], newTypes: NamedType[] = []): string[][] {
  return compareDataTypes(before, after, direction, { old: lookupIn(oldTypes), new: lookupIn(newTypes) }).map((change) => [change.level, change.path, change.message]);
}

describe("diff: data types", () => {
  it("a result member a client may read going away is breaking; a new one compatible", () => {
    assert.deepEqual(typeRows(object(member("a", str), member("b", int32)), object(member("a", str)), "output"), [["breaking", ".b", "member removed"]]);
    assert.deepEqual(typeRows(object(member("a", str)), object(member("a", str), member("c", str, true)), "output"), [["compatible", ".c", "member added, optional"]]);
    assert.deepEqual(typeRows(object(member("a", str)), object(member("a", str, true)), "output"), [["breaking", ".a", "member now optional"]]);
  });

  it("in an input, a new required member is breaking and a new optional one compatible", () => {
    assert.deepEqual(typeRows(object(), object(member("r", str)), "input"), [["breaking", ".r", "member added, required"]]);
    assert.deepEqual(typeRows(object(), object(member("o", str, true)), "input"), [["compatible", ".o", "member added, optional"]]);
    assert.deepEqual(typeRows(object(member("a", str)), object(member("a", str, true)), "input"), [["compatible", ".a", "member now optional"]]);
  });

  it("enum values: removing one breaks senders, adding one breaks readers", () => {
    const ab: DataType = { kind: "enum", values: ["a", "b"] };
    const abc: DataType = { kind: "enum", values: ["a", "b", "c"] };
    assert.deepEqual(typeRows(abc, ab, "input"), [["breaking", "", "enum values removed: c"]]);
    assert.deepEqual(typeRows(ab, abc, "input"), [["compatible", "", "enum values added: c"]]);
    assert.deepEqual(typeRows(ab, abc, "output"), [["breaking", "", "enum values added: c"]]);
  });

  it("kinds, integer width, arrays and unions", () => {
    assert.deepEqual(typeRows(str, int32, "output"), [["breaking", "", "type changed from string to integer"]]);
    assert.deepEqual(typeRows(int32, { kind: "number" }, "input"), [["compatible", "", "type changed from integer to number"]]);
    assert.deepEqual(typeRows(int32, int64, "output"), [["breaking", "", "integer is now 64-bit (was 32-bit)"]]);
    assert.deepEqual(typeRows(int32, int64, "input"), [["compatible", "", "integer is now 64-bit (was 32-bit)"]]);
    assert.deepEqual(typeRows({ kind: "array", element: object(member("x", str)) }, { kind: "array", element: object() }, "output"), [["breaking", "[].x", "member removed"]]);
    assert.deepEqual(typeRows(str, { kind: "union", variants: [str, int32] }, "input"), [["compatible", "", "now string or integer (was string)"]]);
    assert.deepEqual(typeRows(str, { kind: "union", variants: [str, int32] }, "output"), [["breaking", "", "now string or integer (was string)"]]);
    assert.deepEqual(typeRows({ kind: "unknown" }, str, "output"), []);
  });

  it("named types compare by structure (introspection numbers them), recursive ones end", () => {
    const oldTypes: NamedType[] = [
      { kind: "struct", name: "BlockStats", description: "", location: here, base: undefined, members: [member("device", str), member("backing", { kind: "named", name: "BlockStats" }, true)] },
    ];
    const newTypes: NamedType[] = [{ kind: "struct", name: "17", description: "", location: here, base: undefined, members: [member("backing", { kind: "named", name: "17" }, true)] }];
    assert.deepEqual(typeRows({ kind: "named", name: "BlockStats" }, { kind: "named", name: "17" }, "output", oldTypes, newTypes), [["breaking", ".device", "member removed"]]);
  });

  it("a struct's base members count; union variants compare by tag", () => {
    const base: NamedType = { kind: "struct", name: "Base", description: "", location: here, base: undefined, members: [member("id", str)] };
    const child: NamedType = { kind: "struct", name: "Child", description: "", location: here, base: "Base", members: [member("x", int32)] };
    assert.deepEqual(typeRows({ kind: "named", name: "Child" }, object(member("x", int32)), "output", [base, child]), [["breaking", ".id", "member removed"]]);
  });

  it("a narrowed argument type (an enum from docs or QAPI) is compared as an input", () => {
    const withEnum = (values: string[]): Schema => {
      const base = schema(entry("c", "mode:s"));
      const [command] = base.commands;
      assert.ok(command);
      const args = command.args.map((arg) => ({ ...arg, type: { type: { kind: "enum", values } as DataType, origin: "qapi" as const, location: here } }));
      return { ...base, commands: [{ ...command, args }] };
    };
    const report = diffSchemas(withEnum(["full", "top"]), withEnum(["full"]));
    assert.deepEqual(rows(report), [["breaking", "argument-type", "c", "mode"]]);
    assert.equal(report.changes[0]?.message, "argument 'mode': enum values removed: top");
  });

  it("result and event data changes reach the report", () => {
    const withResult = (type: DataType, events: Event[]): Schema => {
      const base = schema(entry("q", ""));
      const [command] = base.commands;
      assert.ok(command);
      return { ...base, commands: [{ ...command, result: { type, origin: "docs", location: here } }], events };
    };
    const event = (name: string, data: DataType): Event => ({ name, location: here, doc: undefined, data: { type: data, origin: "docs", location: here } });
    const before = withResult(object(member("a", str), member("b", str)), [event("GONE", object()), event("KEPT", object(member("x", str)))]);
    const after = withResult(object(member("a", str)), [event("KEPT", object()), event("NEW", object())]);
    assert.deepEqual(rows(diffSchemas(before, after)), [
      ["breaking", "result-type", "q", ""],
      ["breaking", "event-data", "KEPT", ""],
      ["compatible", "event-added", "NEW", ""],
      ["breaking", "event-removed", "GONE", ""],
    ]);
    assert.equal(diffSchemas(before, after).changes[0]?.path, "return.b");
  });
});

describe("diff: reports", () => {
  const report = diffSchemas(schema(entry("a", "x:s") + entry("gone", ""), "33-2.7.0-x.hx"), schema(entry("a", "x:i,y:s?") + entry("new", ""), "35-2.7.50-x.hx"), {
    old: sideOf("33-2.7.0-x.hx", new Map()),
    new: sideOf("35-2.7.50-x.hx", new Map()),
  });

  it("text: grouped by command, with levels, locations and a summary", () => {
    const text = formatDiffReports([report], "text");
    assert.match(text, /^Old: 33-2\.7\.0-x\.hx \(2\.7\.0, from the file name\)\nNew: 35-2\.7\.50-x\.hx \(2\.7\.50, from the file name\)\n\na\n {2}breaking {4}argument 'x' args_type x:s -> x:i/);
    assert.match(text, /\n\ngone\n {2}breaking {4}command removed {2}\[33-2\.7\.0-x\.hx:7\]\n/);
    assert.match(text, /\n2 breaking, 2 compatible, 0 docs\n$/);
  });

  it("markdown: a changelog section by level", () => {
    const markdown = formatDiffReports([report], "markdown");
    assert.match(markdown, /^## QMP changes: 2\.7\.0 → 2\.7\.50\n/);
    assert.match(markdown, /### Breaking changes\n\n- `a`: argument 'x' args\\_type x:s -> x:i .*\n- `gone`: command removed\n\n### Compatible changes\n\n- `a`: argument 'y' added, optional/);
  });

  it("json: a stable shape with a version field", () => {
    const parsed = JSON.parse(formatDiffReports([report, report], "json")) as { format: string; version: number; steps: { summary: unknown; changes: Record<string, unknown>[] }[] };
    assert.equal(parsed.format, "qmp-hx-diff");
    assert.equal(parsed.version, diffJsonVersion);
    assert.equal(parsed.steps.length, 2);
    assert.deepEqual(parsed.steps[0]?.summary, { breaking: 2, compatible: 2, docs: 0 });
    assert.deepEqual(Object.keys(parsed.steps[0]?.changes[0] ?? {}), ["level", "kind", "subject", "name", "argument", "path", "message", "old", "new"]);
    assert.deepEqual(parsed.steps[0]?.changes[0]?.["new"], { file: "35-2.7.50-x.hx", line: 1 });
  });

  it("exit codes follow --fail-on", () => {
    const docsOnly: DiffReport = { ...report, changes: report.changes.map((change): Change => ({ ...change, level: "docs" })) };
    assert.equal(diffExitCode([report], "breaking"), 1);
    assert.equal(diffExitCode([docsOnly], "breaking"), 0);
    assert.equal(diffExitCode([docsOnly], "compatible"), 0);
    assert.equal(diffExitCode([docsOnly], "docs"), 1);
    assert.equal(diffExitCode([report], "never"), 0);
  });

  it("versions come from --version-of or the file name, and reports say which", () => {
    assert.equal(versionFromFileName("/x/33-2.7.0-qemu_qemu-1dc33ed90b.hx"), "2.7.0");
    assert.equal(versionFromFileName("06-1.0-qemu_qemu-1c8a881daa.hx"), "1.0");
    assert.equal(versionFromFileName("qemu-2.5/qmp-commands.hx"), undefined);
    assert.deepEqual(parseVersionOf("a/qmp-commands.hx=2.6.0"), ["a/qmp-commands.hx", "2.6.0"]);
    assert.equal(parseVersionOf("qmp-commands.hx"), undefined);
    assert.deepEqual(sideOf("a/qmp-commands.hx", new Map([["qmp-commands.hx", "2.6.0"]])).version, { value: "2.6.0", from: "option" });
  });
});

describe("qmp-hx diff", () => {
  it("compares files, prints each step, and sets the exit status", async () => {
    await withTempDir(async (dir) => {
      const [a, b, c] = ["a.hx", "b.hx", "c.hx"].map((name) => join(dir, name)) as [string, string, string];
      await writeFile(a, entry("x", "id:s"));
      await writeFile(b, entry("x", "id:s,speed:i?"));
      await writeFile(c, entry("x", "id:s,speed:i"));
      const compatible = await runCli(["diff", a, b]);
      assert.equal(compatible.code, 0, compatible.stderr);
      assert.match(compatible.stdout, /compatible {2}argument 'speed' added, optional/);
      const steps = await runCli(["diff", a, b, c, "--format", "markdown", "--version-of", `${a}=1.0`, "--version-of", "b.hx=1.1", "--version-of", "c.hx=1.2"]);
      assert.equal(steps.code, 1, "the second step is breaking");
      assert.match(steps.stdout, /## QMP changes: 1\.0 → 1\.1\n[\s\S]*## QMP changes: 1\.1 → 1\.2\n[\s\S]*argument 'speed' now required/);
      assert.equal((await runCli(["diff", b, c, "--fail-on", "never"])).code, 0);
      assert.equal((await runCli(["diff", a, b, "--fail-on", "compatible"])).code, 1);
    });
  });

  it("reports usage mistakes and bad input without a stack trace", async () => {
    await withTempDir(async (dir) => {
      const good = join(dir, "good.hx");
      const bad = join(dir, "bad.hx");
      await writeFile(good, entry("x", ""));
      await writeFile(bad, `    {\n        .name = "x",\n        .args_type = "a:Z",\n    },\n`);
      const one = await runCli(["diff", good]);
      assert.equal(one.code, 2);
      assert.match(one.stderr, /expected at least two files/);
      assert.equal((await runCli(["diff", good, good, "--format", "yaml"])).code, 2);
      assert.equal((await runCli(["diff", good, good, "--fail-on", "sometimes"])).code, 2);
      assert.equal((await runCli(["diff", good, good, "--version-of", "nothing"])).code, 2);
      const broken = await runCli(["diff", good, bad]);
      assert.equal(broken.code, 1);
      assert.match(broken.stderr, /bad\.hx:3:\d+: /);
      assert.doesNotMatch(broken.stderr, /\n\s+at /);
    });
  });
});
