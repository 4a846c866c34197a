// Prettier judges the TypeScript qmp-hx prints without it (src/emit/typescript-printer.ts,
// src/emit/code-layout.ts): for .hx files with hostile command and argument names and doc text
// (quotes, comment ends, backticks, `${`, wide and combining characters, reserved words, very
// long names, names that collide after camelCasing), joined by hostile events, results and
// QAPI-like named types, client.ts and validators.ts as printed directly are byte for byte
// prettier's output for ts-morph's text of the same structures.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { HxError, parseSchema } from "../../src/index.js";
import type { DataType, Event, Member, NamedType, Schema } from "../../src/model/types.js";
import { typeScriptModules } from "../../src/emit/typescript-files.js";
import { printModuleDirectly, referenceText } from "../../src/emit/typescript.js";
import { loadWideTextWidth } from "../../src/emit/layout.js";
import { UnsupportedShape } from "../../src/emit/typescript-printer.js";

const hostile = [
  '"', "'", '""', "''", "`", "${x}", "*/", "/*", "/**", "@param", "\\", "\\n", "中文", "全角", "😀", "e\u0301", "é", "\u00a0", "\t", "  ", "then", "index", "__proto__",
  "constructor", "toString", "propertyIsEnumerable", "valueOf", "default", "class", "new", "x".repeat(120), "a".repeat(61), "-", "_", ".", "|", "&", "{", "}", "(", ")", "<", ">", ";", "?",
];
const plain = ["device", "node-name", "block_resize", "block-resize", "speed", "x", "id", "query", "2", "Foo", "bar_baz"];
const word = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...plain) }, { weight: 2, arbitrary: fc.constantFrom(...hostile) });
const glued = fc.array(word, { minLength: 1, maxLength: 4 }).map((words) => words.join(""));
const prose = fc.array(word, { minLength: 1, maxLength: 10 }).map((words) => words.join(" "));

function cString(value: string): string {
  return '"' + value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n") + '"';
}

/** A name args_type can hold (no `,` `:` `?` or whitespace). */
const argName = glued.map((value) => value.replace(/[\s,:?]/g, "-") || "a");
const commandName = fc.oneof(argName, fc.constantFrom("query-status", "block_resize", "block-resize", "then", "__proto__", "index", "x".repeat(90)));
const docLine = fc.oneof(prose, fc.constantFrom("Arguments:", "Example:", "Notes:", "Since: 2.7", '- "device": the device (json-string)', '- "speed": the speed (json-int, optional)', '-> { "execute": "x", "arguments": { "a": 1 } }', '<- { "return": {} }', ""));
const hxFile = fc
  .array(fc.record({ name: commandName, argNames: fc.array(argName, { maxLength: 4 }), codes: fc.array(fc.constantFrom("s", "i", "b", "M", "q", "O", "-f", "l", "T", "B"), { minLength: 4, maxLength: 4 }), doc: fc.array(docLine, { maxLength: 8 }) }), { minLength: 1, maxLength: 4 })
  .map((commands) =>
    commands
      .map(({ name, argNames, codes, doc }) => {
        const argsType = [...new Set(argNames)].map((arg, index) => `${arg}:${codes[index] ?? "s"}${index % 2 ? "?" : ""}`).join(",");
        return `    {\n        .name = ${cString(name)},\n        .args_type = ${cString(argsType)},\n    },\n\nSQMP\n${name}\n${"-".repeat(name.length)}\n\n${doc.join("\n")}\nEQMP\n`;
      })
      .join("\n"),
  );

const location = { file: "hostile.json", line: 1, column: 1 };
const member = (type: fc.Arbitrary<DataType>): fc.Arbitrary<Member> =>
  fc.record({ name: fc.oneof(argName, glued), type, optional: fc.boolean(), description: fc.oneof(fc.constant(""), prose) }).map((fields) => ({ ...fields, location }));

/** Data types as the front ends build them, nested a few levels. */
const dataType: fc.Arbitrary<DataType> = fc.letrec<{ type: DataType }>((tie) => ({
  type: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.constantFrom<DataType>({ kind: "string" }, { kind: "unknown" }, { kind: "boolean" }, { kind: "number" }, { kind: "null" }, { kind: "integer", int64: true }, { kind: "integer", int64: false }),
    fc.array(fc.oneof(glued, fc.constantFrom("a", "b-c", "x".repeat(40))), { maxLength: 9 }).map((values): DataType => ({ kind: "enum", values: [...new Set(values)] })),
    tie("type").map((element): DataType => ({ kind: "array", element })),
    fc.record({ members: fc.array(member(tie("type")), { maxLength: 4 }), open: fc.boolean() }).map(({ members, open }): DataType => ({ kind: "object", members, open })),
    fc.array(tie("type"), { minLength: 1, maxLength: 4 }).map((variants): DataType => ({ kind: "union", variants })),
    fc.constantFrom("TypeA", "TypeB", "Missing").map((name): DataType => ({ kind: "named", name })),
  ),
})).type;

const namedTypes: fc.Arbitrary<NamedType[]> = fc
  .tuple(
    fc.record({ values: fc.uniqueArray(glued, { maxLength: 12 }), descriptions: fc.array(fc.oneof(fc.constant(""), prose), { minLength: 12, maxLength: 12 }), description: prose }),
    fc.record({ members: fc.array(member(dataType), { maxLength: 4 }), description: fc.oneof(fc.constant(""), prose), base: fc.constantFrom(undefined, "TypeA") }),
    fc.record({ base: fc.array(member(dataType), { maxLength: 3 }), tags: fc.array(glued, { maxLength: 3 }), payloads: fc.array(dataType, { minLength: 3, maxLength: 3 }), description: prose }),
    fc.array(dataType, { minLength: 1, maxLength: 4 }),
  )
  .map(([enumType, struct, union, alternate]) => [
    { kind: "enum", name: "TypeA", values: enumType.values, valueDescriptions: enumType.values.map((_, index) => enumType.descriptions[index] ?? ""), description: enumType.description, location },
    { kind: "struct", name: "TypeB", members: struct.members, base: struct.base, description: struct.description, location },
    {
      kind: "union",
      name: "TypeC",
      base: [{ name: "kind", type: { kind: "string" }, optional: false, description: "the kind", location }, ...union.base],
      discriminator: "kind",
      variants: [...new Set(union.tags)].map((tag, index) => ({ tag, type: union.payloads[index] ?? { kind: "string" } })),
      description: union.description,
      location,
    },
    { kind: "alternate", name: "TypeD", variants: alternate, description: "", location },
  ]);

const events: fc.Arbitrary<Event[]> = fc.array(
  fc.record({ name: fc.oneof(commandName, fc.constantFrom("BLOCK_JOB_COMPLETED", "SHUTDOWN")), data: fc.option(dataType, { nil: undefined }) }).map(({ name, data }) => ({
    name,
    location,
    doc: undefined,
    data: data === undefined ? undefined : { type: data, origin: "qapi" as const, location },
  })),
  { maxLength: 3 },
);

const schemas: fc.Arbitrary<Schema | undefined> = fc.record({ text: hxFile, types: fc.option(namedTypes, { nil: undefined }), events, results: fc.array(fc.option(dataType, { nil: undefined }), { maxLength: 4 }) }).map(({ text, types, events: hostileEvents, results }) => {
  let schema: Schema;
  try {
    schema = parseSchema(text, { file: "hostile.hx" }).schema;
  } catch (error) {
    if (error instanceof HxError) return undefined;
    throw error;
  }
  const commands = schema.commands.map((command, index) => {
    const result = results[index];
    return result === undefined ? command : { ...command, result: { type: result, origin: "qapi" as const, location } };
  });
  return { ...schema, commands, events: hostileEvents, types: types ?? [] };
});

/** The first differing line with its neighbours, direct then prettier's. */
function firstDifference(direct: string, reference: string): string {
  const a = direct.split("\n");
  const b = reference.split("\n");
  const at = a.findIndex((textLine, index) => textLine !== b[index]);
  const around = (lines: string[]): string => lines.slice(Math.max(0, at - 3), at + 4).join("\n");
  return `line ${at + 1}\n--- direct\n${around(a)}\n--- prettier\n${around(b)}`;
}

describe("TypeScript printed without prettier", () => {
  it("hostile names, doc text and types: the direct text is prettier's (200 schemas)", { timeout: 600_000 }, async () => {
    await loadWideTextWidth();
    let modules = 0;
    let direct = 0;
    let unjudged = 0;
    const fallbacks: string[] = [];
    await fc.assert(
      fc.asyncProperty(schemas, async (schema) => {
        if (schema === undefined) return;
        for (const { path, module } of await typeScriptModules(schema, "qmp-hx/runtime")) {
          modules++;
          let text: string;
          try {
            text = printModuleDirectly(module);
          } catch (error) {
            if (error instanceof UnsupportedShape) {
              fallbacks.push(error.message);
              continue;
            }
            throw error;
          }
          direct++;
          let reference: string;
          try {
            reference = await referenceText(module);
          } catch (error) {
            // ts-morph's writer misreads a string literal ending in a backslash (it takes `\\"` for an
            // escaped quote) and may then close a comment it thinks open: no reference to judge by.
            if (error instanceof SyntaxError) {
              unjudged++;
              continue;
            }
            throw error;
          }
          if (text !== reference) assert.fail(`${path} differs from prettier's:\n${firstDifference(text, reference)}`);
        }
      }),
      { numRuns: 200, seed: Number(process.env["QMP_HX_SEED"] ?? 3333) },
    );
    // The property says nothing if everything went to prettier.
    assert.ok(modules >= 200 && direct >= modules * 0.9, `${direct} of ${modules} modules printed directly; fallbacks: ${fallbacks.join("; ")}`);
    assert.ok(unjudged <= direct / 20, `${unjudged} of ${direct} modules without a reference`);
  });
});
