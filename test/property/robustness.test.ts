// Property: whatever is done to a real .hx file (lines or bytes deleted, duplicated, swapped,
// inserted; the file cut short), parsing either succeeds or raises qmp-hx's own located
// HxError: never another exception, never a hang. And whenever generation succeeds on such
// a file, the generated code compiles.
import assert from "node:assert/strict";
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { describe, it } from "node:test";
import fc from "fast-check";
import { generateFiles, HxError, parseSchema } from "../../src/index.js";
import { entry, corpusText, requireCorpus, rhelDefines, type Corpus } from "../corpus/corpus.js";
import { typeCheck, withTempDir } from "../helpers.js";

/** Snippets that matter to the grammar, to insert. */
const fragments = ["SQMP\n", "EQMP\n", "HXCOMM x\n", "#if defined(X)\n", "#endif\n", "    {\n", "    },\n", '"', "\\", "{", "}", ",", ":", "?", '        .args_type  = "a:s,b:S",\n', "-> { \"execute\": \n", "\u00a0", "\r\n", "\t", "\u0000", "*/", "`${x}`"];

type Mutation =
  | { kind: "delete-line" | "duplicate-line"; at: number }
  | { kind: "swap-lines"; at: number; with: number }
  | { kind: "insert-line"; at: number; text: string }
  | { kind: "delete-bytes"; at: number; length: number }
  | { kind: "insert-bytes"; at: number; text: string }
  | { kind: "truncate"; at: number };

const position = fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true });
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constantFrom("delete-line" as const, "duplicate-line" as const), at: position }),
  fc.record({ kind: fc.constant("swap-lines" as const), at: position, with: position }),
  fc.record({ kind: fc.constant("insert-line" as const), at: position, text: fc.oneof(fc.constantFrom(...fragments), fc.string({ maxLength: 30 })) }),
  fc.record({ kind: fc.constant("delete-bytes" as const), at: position, length: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ kind: fc.constant("insert-bytes" as const), at: position, text: fc.oneof(fc.constantFrom(...fragments), fc.string({ maxLength: 8 })) }),
  fc.record({ kind: fc.constant("truncate" as const), at: position }),
);

function apply(text: string, change: Mutation): string {
  const lines = text.split("\n");
  const line = (at: number): number => Math.floor(at * lines.length);
  const offset = (at: number): number => Math.floor(at * text.length);
  switch (change.kind) {
    case "delete-line":
      lines.splice(line(change.at), 1);
      return lines.join("\n");
    case "duplicate-line":
      lines.splice(line(change.at), 0, lines[line(change.at)] ?? "");
      return lines.join("\n");
    case "swap-lines": {
      const [a, b] = [line(change.at), line(change.with)];
      [lines[a], lines[b]] = [lines[b] ?? "", lines[a] ?? ""];
      return lines.join("\n");
    }
    case "insert-line":
      lines.splice(line(change.at), 0, change.text.replace(/\n$/, ""));
      return lines.join("\n");
    case "delete-bytes":
      return text.slice(0, offset(change.at)) + text.slice(offset(change.at) + change.length);
    case "insert-bytes":
      return text.slice(0, offset(change.at)) + change.text + text.slice(offset(change.at));
    case "truncate":
      return text.slice(0, offset(change.at));
  }
}

/** The file mutated: a short piece of a real file (around one command) keeps each case fast. */
function mutatedFile(corpus: Corpus): fc.Arbitrary<string> {
  const sources = ["06", "24", "32"].map((number) => corpusText(corpus, entry(corpus, number)));
  return fc
    .record({
      source: fc.constantFrom(...sources),
      start: position,
      size: fc.integer({ min: 2_000, max: 12_000 }),
      changes: fc.array(mutation, { minLength: 1, maxLength: 4 }),
    })
    .map(({ source, start, size, changes }) => {
      const from = source.lastIndexOf("\n", Math.floor(start * source.length)) + 1;
      return changes.reduce(apply, source.slice(from, from + size));
    });
}

function parsesOrLocatedError(text: string): ReturnType<typeof parseSchema> | undefined {
  try {
    return parseSchema(text, { file: "mutated.hx", defines: rhelDefines });
  } catch (error) {
    assert.ok(error instanceof HxError, `not an HxError: ${String(error)}`);
    for (const diagnostic of error.diagnostics) {
      assert.equal(diagnostic.location.file, "mutated.hx");
      assert.ok(Number.isInteger(diagnostic.location.line) && diagnostic.location.line >= 1, error.message);
      assert.ok(Number.isInteger(diagnostic.location.column) && diagnostic.location.column >= 1, error.message);
    }
    assert.ok(error.diagnostics.length > 0);
    return undefined;
  }
}

describe("mutated corpus files", () => {
  it("parse or fail with a located HxError (1500 cases)", { timeout: 300_000 }, (t) => {
    const corpus = requireCorpus(t);
    if (!corpus) return;
    fc.assert(fc.property(mutatedFile(corpus), (text) => void parsesOrLocatedError(text)), { numRuns: 1500, seed: 4242 });
  });

  it("whole files: parse or fail with a located HxError (150 cases)", { timeout: 300_000 }, (t) => {
    const corpus = requireCorpus(t);
    if (!corpus) return;
    const files = corpus.manifest.map((file) => corpusText(corpus, file));
    const whole = fc.record({ source: fc.constantFrom(...files), changes: fc.array(mutation, { minLength: 1, maxLength: 3 }) }).map(({ source, changes }) => changes.reduce(apply, source));
    fc.assert(fc.property(whole, (text) => void parsesOrLocatedError(text)), { numRuns: 150, seed: 77 });
  });

  it("whenever generation succeeds, the output compiles (the first 10 of 300 cases that parse, one type-check)", { timeout: 600_000 }, async (t) => {
    const corpus = requireCorpus(t);
    if (!corpus) return;
    // Most pieces of a file start mid-entry or hold no command (a located error): parsing is
    // cheap, generating is not, so only the first that parse are generated.
    const samples = fc.sample(mutatedFile(corpus), { numRuns: 300, seed: 99 });
    await withTempDir(async (dir) => {
      const roots: string[] = [];
      for (const [index, text] of samples.entries()) {
        const parsed = roots.length < 10 ? parsesOrLocatedError(text) : undefined;
        if (!parsed) continue;
        const files = await generateFiles(parsed.schema);
        for (const file of files) {
          const path = join(dir, String(index), file.path);
          await mkdir(dirname(path), { recursive: true });
          await writeFile(path, file.content);
        }
        roots.push(join(dir, String(index), "index.ts"));
      }
      assert.ok(roots.length >= 5, `only ${roots.length} of ${samples.length} mutated files generated`);
      assert.deepEqual(typeCheck(roots), []);
    });
  });
});
