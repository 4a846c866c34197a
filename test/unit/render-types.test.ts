// Rendering of DataType and NamedType into the client, over a hand-built Schema: what a QAPI
// front end puts into Schema.types (structs with bases, enums, flat unions, alternates) renders
// and type-checks, with hostile names and doc text.
import assert from "node:assert/strict";
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { describe, it } from "node:test";
import { generateFiles } from "../../src/index.js";
import type { Command, DataType, Member, NamedType, Schema, SourceLocation } from "../../src/model/types.js";
import { typeCheck, withTempDir } from "../helpers.js";

const at: SourceLocation = { file: "t.json", line: 1, column: 1 };

function member(name: string, type: DataType, optional = false, description = ""): Member {
  return { name, type, optional, description, location: at };
}

const named = (name: string): DataType => ({ kind: "named", name });

const types: NamedType[] = [
  { kind: "enum", name: "ThingKind", description: "Kinds of */ thing `${x}`", values: ["disk", "net", "then"], valueDescriptions: ["a disk, as `-drive` makes it */", "", "a value named like a thenable's method"], location: at },
  { kind: "struct", name: "ThingBase", base: undefined, description: "", members: [member("id", { kind: "string" })], location: at },
  {
    kind: "struct",
    name: "ThingInfo",
    base: "ThingBase",
    description: "A thing.",
    members: [
      member("kind", named("ThingKind"), false, "its kind */ @param"),
      member("size", { kind: "integer", int64: true }),
      member("__proto__", { kind: "boolean" }, true),
      member("then", { kind: "array", element: named("ThingInfo") }, true),
    ],
    location: at,
  },
  {
    kind: "union",
    name: "Thing",
    description: "",
    base: [member("type", named("ThingKind")), member("name", { kind: "string" })],
    discriminator: "type",
    variants: [
      { tag: "disk", type: named("ThingInfo") },
      { tag: "net", type: { kind: "object", members: [member("mac", { kind: "string" })], open: false } },
      { tag: "then", type: { kind: "object", members: [], open: false } },
    ],
    location: at,
  },
  { kind: "alternate", name: "StrOrInt", description: "", variants: [{ kind: "string" }, { kind: "integer", int64: false }], location: at },
  // Names that clash with generated ones or TypeScript's.
  { kind: "enum", name: "QueryThingResult", description: "", values: ["x"], valueDescriptions: [""], location: at },
  { kind: "enum", name: "string", description: "", values: ["y"], valueDescriptions: [""], location: at },
];

function tableCommand(name: string, args: Command["args"], result: Command["result"]): Command {
  return { name, origin: "table", location: at, conditions: [], argsType: "", args, acceptsUnknownKeys: false, fields: [], doc: undefined, result };
}

const schema: Schema = {
  file: "t.hx",
  format: "hx",
  otherDocs: [],
  events: [],
  types,
  commands: [
    tableCommand("query-thing", [], { type: named("ThingInfo"), origin: "qapi", location: at }),
    tableCommand(
      "add-thing",
      [
        { name: "thing", code: "q", flag: undefined, optional: false, source: "args_type", location: at, doc: undefined, type: { type: named("Thing"), origin: "qapi", location: at } },
        { name: "value", code: "q", flag: undefined, optional: true, source: "args_type", location: at, doc: undefined, type: { type: named("StrOrInt"), origin: "qapi", location: at } },
        { name: "odd", code: "q", flag: undefined, optional: true, source: "args_type", location: at, doc: undefined, type: { type: named("QueryThingResult"), origin: "qapi", location: at } },
        { name: "odder", code: "q", flag: undefined, optional: true, source: "args_type", location: at, doc: undefined, type: { type: named("string"), origin: "qapi", location: at } },
      ],
      { type: { kind: "object", members: [], open: false }, origin: "docs", location: at },
    ),
    tableCommand("undocumented", [], undefined),
  ],
};

describe("named types in the client", () => {
  it("renders structs, enums, unions and alternates that type-check and type the calls", async () => {
    const files = await generateFiles(schema);
    const client = files.find((file) => file.path === "client.ts")?.content ?? "";
    assert.match(client, /export interface ThingInfo extends ThingBase \{/);
    assert.match(client, /export type ThingKind = "disk" \| "net" \| "then";/);
    assert.match(client, /export type StrOrInt = string \| number;/);
    await withTempDir(async (dir) => {
      for (const file of files) {
        await mkdir(dirname(join(dir, file.path)), { recursive: true });
        await writeFile(join(dir, file.path), file.content);
      }
      const snippet = join(dir, "snippet.ts");
      const ok = `import { queryThing, addThing, undocumented, type ThingInfo } from "./index.js";
import type { QmpExecutor } from "qmp-hx-runtime";
declare const qmp: QmpExecutor;
export async function check(): Promise<void> {
const info: ThingInfo = await queryThing(qmp);
const kind: "disk" | "net" | "then" = info.kind;
const size: number | bigint = info.size;
const id: string = info.id;
const empty: Record<string, never> = await addThing(qmp, { thing: { type: "net", name: "n", mac: "m" }, value: 3 });
await addThing(qmp, { thing: { type: "disk", name: "d", id: "i", kind: "disk", size: 1 }, value: "s" });
const whatever: unknown = await undocumented(qmp);
void [kind, size, id, empty, whatever];
`;
      const close = "}\n";
      assert.deepEqual(typeCheck([snippet], new Map([[snippet, ok + close]])), []);
      const bad = ok + `await addThing(qmp, { thing: { type: "net", name: "n" } });\nawait addThing(qmp, { thing: { type: "usb", name: "n" } });\nconst n: number = (await undocumented(qmp)).length;\nvoid n;\n` + close;
      const diagnostics = typeCheck([snippet], new Map([[snippet, bad]]));
      assert.equal(diagnostics.length, 3, diagnostics.join("\n"));
    });
  });
});
