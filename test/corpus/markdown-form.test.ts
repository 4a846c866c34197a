// Prettier is the judge of the Markdown pages qmp-hx writes without it: every page of every
// corpus file (with its events document, and with its QAPI schema where the corpus has one:
// event pages and type pages too) is in the proven subset (so generation never loads prettier for it), and the
// page as written is exactly what prettier prints for it (unchanged). The property tests also
// compare it with prettier's output for the page before it was written.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as prettier from "prettier";
import { markdownOptions } from "../../src/emit/format.js";
import { markdownPages } from "../../src/emit/generate.js";
import { markdownInPrettierForm } from "../../src/emit/markdown.js";
import { isBroken, releaseSchemas, requireCorpus } from "./corpus.js";

describe("Markdown pages of every corpus file", () => {
  it("are written in prettier's form without prettier", { timeout: 600_000 }, async (t) => {
    const corpus = requireCorpus(t);
    if (!corpus) return;
    let pages = 0;
    for (const file of corpus.manifest.filter((candidate) => !isBroken(candidate))) {
      for (const { label, schema } of await releaseSchemas(corpus, file)) {
        for (const page of markdownPages(schema)) {
          const written = markdownInPrettierForm(page.content);
          assert.ok(written !== undefined, `${label} ${page.path}: outside the subset written without prettier`);
          assert.equal(await prettier.format(written, markdownOptions), written, `${label} ${page.path}: prettier changes the page`);
          pages++;
        }
      }
    }
    assert.ok(pages > 1000, `only ${pages} pages`);
  });
});
