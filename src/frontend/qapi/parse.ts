// The only module that calls the generated QAPI parser: one file's text to its tree, or a
// located HxError.
import * as grammar from "./generated/qapi-grammar.js";
import type { QapiFileNode } from "./parse-tree.js";
import type { SourceText } from "../source.js";
import { withLocatedErrors } from "../peggy.js";

export function parseQapiFile(source: SourceText): QapiFileNode {
  return withLocatedErrors(grammar, source, (offset) => offset, () => grammar.parse(source.text, { startRule: "QapiFile" }));
}
