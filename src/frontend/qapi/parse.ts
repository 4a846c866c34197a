// The only module that calls the generated QAPI parser: one file's text to its tree, or a
// located HxError.
import * as grammar from "./generated/qapi-grammar.js";
import type { QapiFileNode } from "./parse-tree.js";
import { HxError, type SourceText } from "../source.js";
import { withLocatedErrors } from "../peggy.js";

/** QEMU's schemas nest 4 levels deep; the parser recurses per level, so a limit keeps a hostile file from overflowing the stack. */
const maxNesting = 64;

export function parseQapiFile(source: SourceText): QapiFileNode {
  checkNesting(source);
  return withLocatedErrors(grammar, source, (offset) => offset, () => grammar.parse(source.text, { startRule: "QapiFile" }));
}

/** A linear scan for brackets outside strings and comments, before the recursive parse. */
function checkNesting(source: SourceText): void {
  const { text } = source;
  let depth = 0;
  for (let index = 0; index < text.length; index++) {
    const char = text[index];
    if (char === "#") {
      const end = text.indexOf("\n", index);
      index = end === -1 ? text.length : end;
    } else if (char === "'") {
      for (index++; index < text.length && text[index] !== "'" && text[index] !== "\n"; index++) {
        if (text[index] === "\\") index++;
      }
    } else if (char === "{" || char === "[") {
      depth++;
      if (depth > maxNesting) throw new HxError([source.diagnostic(index, `nested more than ${maxNesting} levels deep: expected a QAPI schema`)]);
    } else if (char === "}" || char === "]") {
      depth = Math.max(0, depth - 1);
    }
  }
}
