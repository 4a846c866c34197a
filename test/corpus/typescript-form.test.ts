// Prettier is the judge of the TypeScript qmp-hx prints without it: for every corpus file
// (with its events document, and with its QAPI schema where the corpus has one), client.ts and
// validators.ts as the direct printer writes them are byte for byte what prettier prints for
// ts-morph's text of the same structures, and no module falls back to prettier.
import assert from "node:assert/strict";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { parseFile } from "../../src/api.js";
import type { Schema } from "../../src/model/types.js";
import { printTypeScriptModules, typeScriptModules } from "../../src/emit/typescript-files.js";
import { printedByTsMorph, referenceText } from "../../src/emit/typescript.js";
import { formatTypeScript } from "../../src/emit/format.js";
import { eventsDocumentOf, isBroken, requireCorpus, rhelDefines } from "./corpus.js";

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
      const events = eventsDocumentOf(corpus, file);
      const { schema } = await parseFile(join(corpus.dir, file.file), { defines: rhelDefines, ...(events === undefined ? {} : { events }) });
      await assertDirectFormIsPrettiers(schema, file.file);
      checked++;
      const number = file.file.split("/").at(-1)?.slice(0, 2) ?? "";
      const qapiFolder = join(corpus.dir, "qapi");
      const folder = existsSync(qapiFolder) ? readdirSync(qapiFolder).find((name) => name.startsWith(`${number}-`)) : undefined;
      if (folder === undefined) continue;
      const withQapi = await parseFile(join(corpus.dir, file.file), {
        defines: rhelDefines,
        ...(events === undefined ? {} : { events }),
        qapi: join(qapiFolder, folder, "qapi-schema.json"),
      });
      assert.ok(withQapi.schema.types.length > 0, `${folder}: named types from QAPI`);
      await assertDirectFormIsPrettiers(withQapi.schema, `${file.file} with ${folder}`);
      checked++;
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
