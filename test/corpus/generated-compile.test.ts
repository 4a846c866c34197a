// Every corpus file's generated client and validators pass tsc --strict, and every command
// gets a docs page. One TypeScript program checks all of them at once.
import assert from "node:assert/strict";
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { describe, it } from "node:test";
import { generateFiles } from "../../src/index.js";
import { typeCheck, withTempDir } from "../helpers.js";
import { isBroken, parseCorpusFile, requireCorpus } from "./corpus.js";

describe("generated code for every corpus file", () => {
  it("compiles under tsc --strict, with a docs page per command", { timeout: 600_000 }, async (t) => {
    const corpus = requireCorpus(t);
    if (!corpus) return;
    await withTempDir(async (dir) => {
      const roots: string[] = [];
      for (const file of corpus.manifest.filter((candidate) => !isBroken(candidate))) {
        const { schema } = parseCorpusFile(corpus, file);
        const out = join(dir, file.file.replace(/[^A-Za-z0-9.-]/g, "_"));
        const files = await generateFiles(schema);
        const pages = files.filter((generated) => generated.path.startsWith("docs/") && generated.path !== "docs/index.md" && generated.path !== "docs/sources.md");
        assert.equal(pages.length, schema.commands.length, `${file.file}: one page per command`);
        assert.ok(schema.commands.length > 0, `${file.file}: commands`);
        for (const generated of files) {
          await mkdir(dirname(join(out, generated.path)), { recursive: true });
          await writeFile(join(out, generated.path), generated.content);
        }
        roots.push(join(out, "index.ts"));
      }
      assert.deepEqual(typeCheck(roots), []);
    });
  });
});
