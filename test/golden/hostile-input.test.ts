// Generated TypeScript compiles under --strict with no `any`, whatever the input's names and
// doc text contain: quotes, comment closers, backticks, ${, unicode, reserved words, names
// that collide after camelCasing, JSON-unsafe keys.
import assert from "node:assert/strict";
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { describe, it } from "node:test";
import fc from "fast-check";
import { generateFiles, parseSchema, validateCommandArguments } from "../../src/index.js";
import { assignNames, camelCase } from "../../src/emit/names.js";
import { anyTypeUses, typeCheck, withTempDir } from "../helpers.js";

/** A C string literal for any text. */
function cString(text: string): string {
  return '"' + text.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n") + '"';
}

function hxFile(commands: readonly { name: string; argsType: string; doc: string }[]): string {
  return commands
    .map(({ name, argsType, doc }) => `    {\n        .name = ${cString(name)},\n        .args_type = ${cString(argsType)},\n    },\n\nSQMP\n${doc}\nEQMP\n`)
    .join("\n");
}

const hostileDoc = `delete
------

Deletes */ things; see \`code\` and \${injection} and "quotes" and 'single' and \u2028 and ünïcödé.
@param not a tag
*/ /* // <script>

Arguments:

- "*/": a comment closer (json-string)
- "\${x}": a template (json-int, optional)
- "a b": with a space (json-bool, optional)
- "__proto__": the prototype (json-string, optional)

Example:

-> { "execute": "delete", "arguments": { "*/": "x", "\${x}": 1, "__proto__": "p" } }
<- { "return": {} }

Notes: ends with a backslash \\`;

async function generatesAndCompiles(text: string): Promise<string[]> {
  const { schema } = parseSchema(text, { file: "hostile.hx" });
  return withTempDir(async (dir) => {
    for (const file of await generateFiles(schema)) {
      await mkdir(dirname(join(dir, file.path)), { recursive: true });
      await writeFile(join(dir, file.path), file.content);
      if (file.path.endsWith(".ts")) assert.deepEqual(anyTypeUses(file.path, file.content), []);
    }
    return typeCheck([join(dir, "index.ts")]);
  });
}

describe("hostile names and doc text", () => {
  it("compiles, with reserved words, collisions and odd characters", async () => {
    const text = hxFile([
      { name: "delete", argsType: "*/:s,${x}:i?,a b:b?,__proto__:s?", doc: hostileDoc },
      { name: "block_resize", argsType: "constructor:s,toString:i?", doc: "block_resize\n------------\n\nOne." },
      { name: "block-resize", argsType: "", doc: "block-resize\n------------\n\nTwo." },
      { name: "blockResize", argsType: "x:q", doc: "blockResize\n-----------\n\nThree." },
      { name: "1st`cmd${1}*/", argsType: "π:T?,emoji😀:l", doc: "1st`cmd${1}*/\n--\n\nFour." },
      { name: "validateArguments", argsType: "opts:O", doc: "validateArguments\n-\n\nFive." },
    ]);
    assert.deepEqual(await generatesAndCompiles(text), []);
  });

  it("names every command distinctly and deterministically", () => {
    const { schema } = parseSchema(
      hxFile(["block_resize", "block-resize", "blockResize", "delete", "QmpCommands", "execute"].map((name) => ({ name, argsType: "", doc: `${name}\n-\n\nx.` }))),
      { file: "t.hx" },
    );
    const names = [...assignNames(schema.commands).values()].map((assigned) => assigned.function);
    assert.deepEqual(names, ["blockResize", "blockResize_2", "blockResize_3", "delete_2", "qmpCommands", "execute_2"]);
    assert.equal(camelCase("__com.redhat_drive_add"), "comRedhatDriveAdd");
  });

  it("validates keys such as __proto__ as data", () => {
    const [command] = parseSchema(hxFile([{ name: "x", argsType: "a:s", doc: "x\n-\n\nx." }]), { file: "t.hx" }).schema.commands;
    if (!command) assert.fail("no command");
    const args = JSON.parse('{"a":"v","__proto__":1}') as unknown;
    assert.deepEqual(validateCommandArguments(command, args).map((issue) => issue.message), ["Invalid parameter '__proto__'"]);
  });

  it("compiles for random command names, argument names and doc text (property, 25 files in one check)", { timeout: 300_000 }, async () => {
    const name = fc.string({ minLength: 1, maxLength: 12, unit: fc.constantFrom(..."ab_-.*/`${}\"'\\ 1é😀π".split("")) });
    const argument = fc.tuple(name.filter((text) => !/[:,\n]/.test(text)), fc.constantFrom("s", "i", "l", "o", "M", "T", "b", "q", "O", "-f", "F", "B"), fc.boolean());
    const command = fc.record({
      name,
      args: fc.uniqueArray(argument, { maxLength: 4, selector: ([argName]) => argName }),
      doc: fc.string({ maxLength: 80 }),
    });
    const files = fc.sample(fc.array(command, { minLength: 1, maxLength: 4 }), { numRuns: 25, seed: 11 });
    await withTempDir(async (dir) => {
      const roots: string[] = [];
      for (const [index, commands] of files.entries()) {
        const text = hxFile(
          commands.map((entry) => ({
            name: entry.name,
            argsType: entry.args.map(([argName, code, optional]) => `${argName}:${code}${optional && !code.startsWith("-") ? "?" : ""}`).join(","),
            doc: `${entry.name.replace(/\n/g, " ")}\n-\n\n${entry.doc.replace(/^(EQMP|SQMP)/gm, "x$1")}`,
          })),
        );
        const { schema } = parseSchema(text, { file: `random-${index}.hx` });
        for (const file of await generateFiles(schema)) {
          await mkdir(dirname(join(dir, String(index), file.path)), { recursive: true });
          await writeFile(join(dir, String(index), file.path), file.content);
        }
        roots.push(join(dir, String(index), "index.ts"));
      }
      assert.deepEqual(typeCheck(roots), []);
    });
  });
});

