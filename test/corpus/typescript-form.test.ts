// Prettier is the judge of the TypeScript qmp-hx prints without it: for every corpus file
// (with its events document, and with its QAPI schema where the corpus has one), client.ts and
// validators.ts as the direct printer writes them are byte for byte what prettier prints for
// ts-morph's text of the same structures, and no module falls back to prettier.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Schema } from "../../src/model/types.js";
import { printTypeScriptModules, typeScriptModules } from "../../src/emit/typescript-files.js";
import { printedByTsMorph, referenceText } from "../../src/emit/typescript.js";
import { formatTypeScript } from "../../src/emit/format.js";
import { isBroken, releaseSchemas, requireCorpus } from "./corpus.js";

async function assertDirectFormIsPrettiers(schema: Schema, label: string): Promise<void> {
  const modules = await typeScriptModules(schema, "qmp-hx/runtime");
  const fallbacks: string[] = [];
  const printed = await printTypeScriptModules(modules, (path, printing) => {
    if (!printing.direct) fallbacks.push(`${path}: ${printing.reason}`);
  });
  assert.deepEqual(fallbacks, [], `${label}: modules printed by prettier`);
  for (const { path, module } of modules) {
    const direct = printed.find((file) => file.path === path)?.content;
    assert.equal(direct, await referenceText(module), `${label} ${path}: the direct text differs from prettier's`);
  }
  const index = printed.find((file) => file.path === "index.ts")?.content ?? "";
  assert.equal(await formatTypeScript(index), index, `${label} index.ts: prettier changes it`);
}

describe("TypeScript of every corpus file", () => {
  it("is printed in prettier's form without prettier", { timeout: 1_200_000 }, async (t) => {
    const corpus = requireCorpus(t);
    if (!corpus) return;
    let checked = 0;
    for (const file of corpus.manifest.filter((candidate) => !isBroken(candidate))) {
      for (const { label, schema } of await releaseSchemas(corpus, file)) {
        if (label !== file.file) assert.ok(schema.types.length > 0, `${label}: named types from QAPI`);
        await assertDirectFormIsPrettiers(schema, label);
        checked++;
      }
    }
    assert.ok(checked >= 20, `only ${checked} schemas checked`);
  });

  it("names the fallback's reason when a shape is outside the printer", async () => {
    const modules = await typeScriptModules({ file: "x.hx", format: "hx", commands: [], otherDocs: [], events: [], types: [] }, "qmp-hx/runtime");
    const [first] = modules;
    assert.ok(first);
    const odd = { ...first, module: { ...first.module, statements: [...first.module.statements, "let x = 1;" as never] } };
    const reasons: string[] = [];
    const [file] = await printTypeScriptModules([odd], (_, printing) => {
      if (!printing.direct) reasons.push(printing.reason);
    });
    assert.equal(reasons.length, 1);
    assert.equal(file?.content, await formatTypeScript(await printedByTsMorph(odd.module)));
  });
});
