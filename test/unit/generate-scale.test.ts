// A far larger input than any real qmp-commands.hx: generate writes every page, and prints its
// TypeScript directly (no module falls back to prettier), and the Markdown form of a huge
// index page does not overflow the stack.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { generateFiles, parseSchema } from "../../src/index.js";
import { markdownInPrettierForm } from "../../src/emit/markdown.js";
import { printTypeScriptModules, typeScriptModules } from "../../src/emit/typescript-files.js";

/** Six times the commands of the largest real file. */
const manyCount = 1001;

/** An .hx file of `count` small table commands. */
function manyCommands(count: number): string {
  return Array.from({ length: count }, (_, index) => `{ .name = "command-${index}", .args_type = "device:B,speed:i?", .mhandler.cmd_new = qmp_command_${index}, },\n`).join("");
}

describe("generate at a scale beyond real files", () => {
  it(`${manyCount} commands: every page, and the TypeScript files printed directly`, { timeout: 300_000 }, async () => {
    const { schema } = parseSchema(manyCommands(manyCount), { file: "many.hx" });
    assert.equal(schema.commands.length, manyCount);
    const options = { runtimeImport: "my-runtime", qemuVersion: "2.5" };
    const files = await generateFiles(schema, options);
    const fallbacks: string[] = [];
    const typeScript = await printTypeScriptModules(await typeScriptModules(schema, options.runtimeImport, options.qemuVersion), (path, printing) => {
      if (!printing.direct) fallbacks.push(`${path}: ${printing.reason}`);
    });
    assert.deepEqual(fallbacks, []);
    assert.deepEqual(
      files.filter((file) => file.path.endsWith(".ts")),
      typeScript.sort((a, b) => (a.path < b.path ? -1 : 1)),
    );
    assert.match(files.find((file) => file.path === "client.ts")?.content ?? "", /"my-runtime"/);
    assert.equal(files.filter((file) => file.path.endsWith(".md")).length, manyCount + 2, "a page per command, the index and sources.md");
  });

  it("a page with a list of 200,000 lines is put in prettier's form without overflowing the stack", () => {
    const page = `# Many\n\n${Array.from({ length: 200_000 }, (_, index) => `- item ${index}`).join("\n")}\n`;
    assert.equal(markdownInPrettierForm(page), page);
  });
});
