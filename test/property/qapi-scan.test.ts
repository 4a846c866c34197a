// The QAPI grammar reads a file whose comments a scan has cut down to their `#`
// (src/frontend/qapi/parse.ts): on random schemas whose comments and strings hold quotes,
// backslashes, `#`, brackets and wide characters, every node still points at its own
// character of the file, comments keep their text, and comments change no definition.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { parseQapiFile } from "../../src/frontend/qapi/parse.js";
import type { QapiValueNode } from "../../src/frontend/qapi/parse-tree.js";
import { HxError, parseQapiSchema } from "../../src/index.js";
import { SourceText } from "../../src/frontend/source.js";

const awkward = fc.constantFrom("'", "\\", "\\'", "#", "##", "{", "}", "[", "]", ",", ":", " ", "é", "中", "😀", "\r", "true", "x");
const commentText = fc.array(awkward, { maxLength: 8 }).map((parts) => parts.join("").replace(/\n/g, ""));
const stringChar = fc.oneof(fc.constantFrom("a", "b", "-", "#", "{", "]", " ", "é", "😀"), fc.constantFrom("\\'", "\\\\", "\\#", "\\x"));
const name = fc.array(stringChar, { minLength: 1, maxLength: 6 }).map((chars) => chars.join(""));

/** A schema as text, with a comment (or none) at each place one may stand. */
const schema = fc
  .tuple(
    fc.array(fc.tuple(name, fc.array(fc.tuple(name, name), { maxLength: 3 })), { minLength: 1, maxLength: 4 }),
    fc.infiniteStream(fc.option(commentText, { nil: undefined })),
  )
  .map(([definitions, comments]) => {
    const iterator = comments[Symbol.iterator]();
    // Each place gets a comment in one text and a blank in the other.
    const withComments: string[] = [];
    const withoutComments: string[] = [];
    const put = (code: string): void => void (withComments.push(code), withoutComments.push(code));
    const gap = (): void => {
      const comment = iterator.next().value as string | undefined;
      withComments.push(comment === undefined ? " " : ` #${comment}\n`);
      withoutComments.push(" ");
    };
    definitions.forEach(([structName, members], index) => {
      if (index > 0) gap();
      put("##\n{");
      gap();
      put(`'struct': '${structName}',`);
      gap();
      put("'data': {");
      gap();
      members.forEach(([member, type], memberIndex) => {
        if (memberIndex > 0) {
          put(",");
          gap();
        }
        put(`'${member}':`);
        gap();
        put(`'${type}'`);
      });
      gap();
      put("}");
      gap();
      put("}\n");
    });
    return { text: withComments.join(""), withoutComments: withoutComments.join("") };
  });

/** The definitions less their locations and docs, or the messages of the error (a name given twice, say). */
function outcome(text: string): string {
  try {
    return JSON.stringify(parseQapiSchema(text).definitions, (key, value: unknown) => (key === "location" || key === "doc" ? undefined : value));
  } catch (error) {
    if (!(error instanceof HxError)) throw error;
    return error.diagnostics.map((diagnostic) => diagnostic.message).join("\n");
  }
}

function* values(node: QapiValueNode): Generator<QapiValueNode> {
  yield node;
  if (node.kind === "object") for (const entry of node.entries) yield* [entry.key, ...values(entry.value)];
  if (node.kind === "array") for (const element of node.elements) yield* values(element);
}

describe("the QAPI scan beneath the grammar", () => {
  it("leaves every node at its own character, comments with their text, definitions as without comments (300 schemas)", () => {
    fc.assert(
      fc.property(schema, ({ text, withoutComments }) => {
        const tree = parseQapiFile(new SourceText("s.json", text));
        const opening = { object: "{", array: "[", string: "'", boolean: "tf" } as const;
        for (const item of tree.items) {
          if (item.kind === "comment") {
            assert.equal(text[item.offset], "#");
            const lineEnd = text.indexOf("\n", item.offset);
            assert.equal(item.text, text.slice(item.offset + 1, lineEnd === -1 ? text.length : lineEnd));
            continue;
          }
          for (const node of values(item)) assert.ok(opening[node.kind].includes(text[node.offset] ?? ""), `${node.kind} at ${node.offset}`);
        }
        assert.equal(outcome(text), outcome(withoutComments));
      }),
      { numRuns: 300, seed: 4242 },
    );
  });

  it("locates a syntax error after comments that hold quotes and backslashes where it is in the file", () => {
    const text = "# it's \\ odd {\n{ 'struct': 'S', # 'half\n  'data': { 'a': 'str' } 'oops' }\n";
    assert.throws(
      () => parseQapiFile(new SourceText("s.json", text)),
      (error: Error) => /^s\.json:3:33: syntax error: unexpected "}"/.test(error.message),
    );
  });
});
