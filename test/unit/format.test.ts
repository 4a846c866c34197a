// formatFiles: Markdown outside the subset written directly, and TypeScript, go through
// prettier's standalone build with the plugins each needs, and print as the full prettier does.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as prettier from "prettier";
import { formatFiles, markdownOptions, typeScriptOptions } from "../../src/emit/format.js";
import { markdownInPrettierForm } from "../../src/emit/markdown.js";

describe("formatFiles", () => {
  it("leaves pages outside the direct subset to prettier, and formats TypeScript like prettier", async () => {
    const outside = "# Title\n\nSome *emphasis*  and <b>html</b>.\n\n| a | b |\n| - | - |\n| long cell | x |\n";
    assert.equal(markdownInPrettierForm(outside), undefined);
    const typeScript = "export function f(a:number,b:string){return {a,b}}\nconst x = 'q'\n";
    const inside = "# Title\n\nText  with   runs.\n";
    const formatted = await formatFiles([
      { path: "docs/outside.md", content: outside },
      { path: "client.ts", content: typeScript },
      { path: "docs/inside.md", content: inside },
    ]);
    assert.deepEqual(formatted, [
      { path: "docs/outside.md", content: await prettier.format(outside, markdownOptions) },
      { path: "client.ts", content: await prettier.format(typeScript, typeScriptOptions) },
      { path: "docs/inside.md", content: "# Title\n\nText with runs.\n" },
    ]);
    assert.match(formatted[0]?.content ?? "", /_emphasis_/);
  });
});
