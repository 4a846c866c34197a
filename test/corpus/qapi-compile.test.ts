// Every corpus release that has a QAPI schema: generation with it and the release's events
// document succeeds, the output passes tsc --strict (one TypeScript program checks all five
// clients at once), the docs' usage snippets compile against them, and every link of the docs
// leads to a page and a heading that exist.
import assert from "node:assert/strict";
import { mkdir, writeFile } from "node:fs/promises";
import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, it } from "node:test";
import { generateFiles, parseFile } from "../../src/index.js";
import { brokenDocLinks, typeCheck, withTempDir, writeUsageSnippets } from "../helpers.js";
import { entry, requireCorpus } from "./corpus.js";

describe("generated code with the release's QAPI schema", () => {
  it("generates, compiles under tsc --strict (usage snippets too) and links its docs for 09, 21, 24, 29 and 33", { timeout: 1_200_000 }, async (t) => {
    const corpus = requireCorpus(t);
    if (!corpus) return;
    const folders = readdirSync(join(corpus.dir, "qapi")).sort();
    assert.deepEqual(
      folders.map((folder) => folder.slice(0, 2)),
      ["09", "21", "24", "29", "33"],
    );
    await withTempDir(async (dir) => {
      const roots: string[] = [];
      for (const folder of folders) {
        const file = entry(corpus, folder.slice(0, 2));
        const { schema } = await parseFile(join(corpus.dir, file.file), {
          qapi: join(corpus.dir, "qapi", folder, "qapi-schema.json"),
          events: join(corpus.dir, "events", `${folder}.txt`),
        });
        assert.ok(schema.types.length > 0, `${folder}: named types from QAPI`);
        assert.ok(schema.events.length > 0, `${folder}: events`);
        const out = join(dir, folder);
        const files = await generateFiles(schema);
        assert.deepEqual(brokenDocLinks(files), [], `${folder}: links`);
        for (const generated of files) {
          await mkdir(dirname(join(out, generated.path)), { recursive: true });
          await writeFile(join(out, generated.path), generated.content);
        }
        roots.push(join(out, "index.ts"));
        roots.push(...(await writeUsageSnippets(out, files)));
      }
      assert.deepEqual(typeCheck(roots), []);
    });
  });
});
