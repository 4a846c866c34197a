// Prettier judges the Markdown qmp-hx writes without it (src/emit/markdown.ts): on random
// pages, raw or built by docs.ts from hostile names and doc text, the page written directly is
// either left to prettier (undefined) or exactly what prettier prints.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import * as prettier from "prettier";
import { HxError, parseSchema } from "../../src/index.js";
import { markdownOptions } from "../../src/emit/format.js";
import { markdownPages } from "../../src/emit/generate.js";
import { markdownInPrettierForm, stringWidth } from "../../src/emit/markdown.js";

/** Markdown syntax, escapes, odd whitespace and wide or combining characters. */
const hostile = [
  "*", "_", "__", "`", "``", "\\", "\\\\", "|", "\\|", "[", "]", "(", ")", "<", ">", "&amp;", "&", "#", "-", "+", "=", "1.", "2)", "~", "!", "$", "{{", "{%",
  "http://x.org/a_b", "www.q.org", "a@b.io", "@node", "  ", "   ", "\u00a0", "\t", "é", "中", "😀", "e\u0301", "©", "'", '"', "*/", "${x}", ":", "---", "===", "\\_", "\\*", "\\[",
  "[x](y.md)", "[x](#y)", "[x](y.md#)", "[x](y#z#w)", "`a | b`", "foo", "bar_baz", "snake_case_", "qemu", "x", "0", " ",
];
/** Words docs.ts writes: plain, escaped, code spans. */
const plain = ["foo", "bar", "device", "bar_baz", "qemu-img", "2.7", "(json-int)", "'ok'", '"full"', ",", ".", "\\_x", "\\*", "\\[", "\\|", "\\\\", "`code`", "`a\\|b`", "-", "#", "1.", "ünï", "[x](t/y.md#a-b_1)"];
const word = fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...plain) }, { weight: 1, arbitrary: fc.constantFrom(...hostile) });
const inlineText = fc.array(word, { minLength: 1, maxLength: 8 }).map((words) => words.join(" "));
const glued = fc.array(word, { minLength: 1, maxLength: 6 }).map((words) => words.join(""));
const text = fc.oneof(inlineText, glued);

const block: fc.Arbitrary<string> = fc.oneof(
  text.map((content) => `# ${content}`),
  text.map((content) => `## ${content}`),
  fc.array(text, { minLength: 1, maxLength: 3 }).map((lines) => lines.join("\n")),
  fc.array(fc.tuple(fc.integer({ min: 0, max: 2 }), text), { minLength: 1, maxLength: 4 }).map((items) => items.map(([depth, content]) => `${"  ".repeat(depth)}- ${content}`).join("\n")),
  fc.tuple(fc.integer({ min: 1, max: 4 }), fc.array(fc.array(fc.oneof(text, fc.constant("")), { minLength: 4, maxLength: 4 }), { minLength: 1, maxLength: 3 })).map(([columns, rows]) =>
    [rows[0] ?? [], Array(4).fill("---"), ...rows.slice(1)].map((row) => `| ${row.slice(0, columns).join(" | ")} |`).join("\n"),
  ),
  fc.tuple(fc.constantFrom("json", "ts", "text", ""), fc.array(fc.oneof(text, fc.constant(""), fc.constant("    indented  code")), { maxLength: 3 })).map(([language, lines]) => ["```" + language, ...lines, "```"].join("\n")),
);
const page = fc.array(block, { minLength: 1, maxLength: 6 }).map((blocks) => blocks.join("\n\n") + "\n");

/** Asserts the direct form where there is one; tells whether there was one. */
async function agreesWithPrettier(content: string): Promise<boolean> {
  const written = markdownInPrettierForm(content);
  if (written === undefined) return false;
  assert.equal(written, await prettier.format(content, markdownOptions), `differs from prettier for ${JSON.stringify(content)}`);
  assert.equal(await prettier.format(written, markdownOptions), written, `prettier changes ${JSON.stringify(written)}`);
  return true;
}

/** A C string literal for any text. */
function cString(value: string): string {
  return '"' + value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n") + '"';
}

const name = fc.oneof(fc.constantFrom("query-status", "x_y", "__com.redhat_drive-add", "a|b", "then", "__proto__", "`tick`", "*/"), glued.map((value) => value.replace(/[\s,:?"\\]/g, "-") || "c"));
const docLine = fc.oneof(inlineText, glued, fc.constantFrom("Arguments:", "Example:", "Notes:", "Since: 2.7", "- \"device\": the device (json-string)", "- \"speed\": the speed (json-int, optional)", "  - \"nested\": child (json-bool)", '-> { "execute": "x", "arguments": { "a": 1 } }', '<- { "return": {} }', ""));
const hxFile = fc.array(fc.record({ name, argNames: fc.array(name, { maxLength: 3 }), doc: fc.array(docLine, { maxLength: 12 }) }), { minLength: 1, maxLength: 3 }).map((commands) =>
  commands
    .map(({ name: command, argNames, doc }) => {
      const argsType = [...new Set(argNames)].map((arg, index) => `${arg}:${"sibM"[index % 4] ?? "s"}${index % 2 ? "?" : ""}`).join(",");
      return `    {\n        .name = ${cString(command)},\n        .args_type = ${cString(argsType)},\n    },\n\nSQMP\n${command}\n${"-".repeat(command.length)}\n\n${doc.join("\n")}\nEQMP\n`;
    })
    .join("\n"),
);

describe("Markdown written without prettier", () => {
  it("random raw pages: prettier's output whenever written directly (500 cases)", { timeout: 300_000 }, async () => {
    let direct = 0;
    await fc.assert(
      fc.asyncProperty(page, async (content) => {
        if (await agreesWithPrettier(content)) direct++;
      }),
      { numRuns: 500, seed: 1111 },
    );
    // The property says nothing if everything went to prettier.
    assert.ok(direct >= 80, `only ${direct} of 500 random pages written directly`);
  });

  it("pages docs.ts writes from hostile .hx files: prettier's output whenever written directly (150 files)", { timeout: 300_000 }, async () => {
    let pages = 0;
    let direct = 0;
    await fc.assert(
      fc.asyncProperty(hxFile, async (text) => {
        let schema;
        try {
          schema = parseSchema(text, { file: "hostile.hx" }).schema;
        } catch (error) {
          if (error instanceof HxError) return;
          throw error;
        }
        for (const generated of markdownPages(schema)) {
          pages++;
          if (await agreesWithPrettier(generated.content)) direct++;
        }
      }),
      { numRuns: 150, seed: 2222 },
    );
    assert.ok(pages >= 150 && direct >= pages / 3, `${direct} of ${pages} pages written directly`);
  });

  it("table cell widths are prettier's getStringWidth wherever they are computed", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 12 }), (value) => {
        const width = stringWidth(value);
        if (width !== undefined) assert.equal(width, prettier.util.getStringWidth(value));
      }),
      { numRuns: 2000, seed: 3333 },
    );
    assert.equal(stringWidth("ünïcödé e\u0301"), 9);
    assert.equal(stringWidth("中"), undefined);
  });
});
