// A far larger input than any real qmp-commands.hx: generate emits it one phase after the
// other on one thread (src/emit/generate.ts, overlapLimit) with the same bytes as the
// overlapped path, and the Markdown form of a huge index page does not overflow the stack.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { generateFiles, parseSchema } from "../../src/index.js";
import { overlapLimit } from "../../src/emit/generate.js";
import { markdownInPrettierForm } from "../../src/emit/markdown.js";
import { typeScriptFiles } from "../../src/emit/typescript-files.js";

/** An .hx file of `count` small table commands. */
function manyCommands(count: number): string {
  return Array.from({ length: count }, (_, index) => `{ .name = "command-${index}", .args_type = "device:B,speed:i?", .mhandler.cmd_new = qmp_command_${index}, },\n`).join("");
}

describe("generate at a scale beyond real files", () => {
  it("above overlapLimit commands, the TypeScript files are the overlapped path's, byte for byte, beside every page", { timeout: 300_000 }, async () => {
    const { schema } = parseSchema(manyCommands(overlapLimit + 1), { file: "many.hx" });
    assert.equal(schema.commands.length, overlapLimit + 1);
    const options = { runtimeImport: "my-runtime", qemuVersion: "2.5" };
    const files = await generateFiles(schema, options);
    const typeScript = await typeScriptFiles(schema, options.runtimeImport, options.qemuVersion);
    assert.deepEqual(
      files.filter((file) => file.path.endsWith(".ts")),
      typeScript.sort((a, b) => (a.path < b.path ? -1 : 1)),
    );
    assert.match(files.find((file) => file.path === "client.ts")?.content ?? "", /"my-runtime"/);
    assert.equal(files.filter((file) => file.path.endsWith(".md")).length, overlapLimit + 1 + 2, "a page per command, the index and sources.md");
  });

  it("a page with a list of 200,000 lines is put in prettier's form without overflowing the stack", () => {
    const page = `# Many\n\n${Array.from({ length: 200_000 }, (_, index) => `- item ${index}`).join("\n")}\n`;
    assert.equal(markdownInPrettierForm(page), page);
  });
});
