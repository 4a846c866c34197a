// The only module that calls the generated QAPI parser: one file's text to its tree, or a
// located HxError.
import * as grammar from "./generated/qapi-grammar.js";
import type { QapiCommentNode, QapiFileNode, QapiObjectNode, QapiScan } from "./parse-tree.js";
import { HxError, type SourceText } from "../source.js";
import { withLocatedErrors } from "../peggy.js";

/** QEMU's schemas nest 4 levels deep; the parser recurses per level, so a limit keeps a hostile file from overflowing the stack. */
const maxNesting = 64;

export function parseQapiFile(source: SourceText): QapiFileNode {
  const scan = scanQapiText(source);
  const objects = withLocatedErrors(grammar, source, scan.fileOffset, () => grammar.parse(scan.text, { startRule: "QapiFile", scan }));
  // Both in file order: merged, the top-level comments and the definitions.
  const { comments } = scan;
  const items: (QapiCommentNode | QapiObjectNode)[] = [];
  let next = 0;
  for (const object of objects) {
    while (next < comments.length && (comments[next] as QapiCommentNode).offset < object.offset) items.push(comments[next++] as QapiCommentNode);
    items.push(object);
  }
  while (next < comments.length) items.push(comments[next++] as QapiCommentNode);
  return { kind: "file", items };
}

const hash = 0x23;
const quote = 0x27;

/**
 * One linear pass over the file as QEMU's lexer reads it: a string runs to its closing quote or
 * the end of its line (a backslash takes the next character as itself), and a `#` outside
 * strings starts a comment that runs to the end of the line. It gives the grammar the text with
 * each comment cut down to its `#` and each string to its quotes (see grammar/qapi.peggy), with
 * the strings' values (escapes undone) by offset, keeps the comments outside every
 * object (`##` blocks document the definition below them), and counts brackets, so that a
 * file nested too deep is an error before the recursive parse. Up to the grammar's first
 * syntax error the two read strings alike, so the cuts never move an error.
 */
function scanQapiText(source: SourceText): { readonly text: string; readonly comments: readonly QapiCommentNode[] } & QapiScan {
  const { text } = source;
  const kept: string[] = [];
  /** Per cut (a comment's text, a string's body): where it starts in the text the grammar reads, and how much was cut up to its end. */
  const cutAt: number[] = [];
  const cutThrough: number[] = [];
  const comments: QapiCommentNode[] = [];
  /** The value of each string whose body was cut, by the offset of its opening quote in the text read. */
  const strings = new Map<number, string>();
  let cut = 0;
  let copiedUpTo = 0;
  let depth = 0;
  /** Cuts what follows a marker (a comment's `#`, a string's opening quote) up to `end` out of the text read; returns the marker's offset there. */
  const cutAfter = (marker: number, end: number): number => {
    kept.push(text.slice(copiedUpTo, marker + 1));
    const at = marker - cut;
    cutAt.push(at);
    cut += end - marker - 1;
    cutThrough.push(cut);
    copiedUpTo = end;
    return at;
  };
  // One regular expression steps over each token that needs a look (a comment, a string as
  // QEMU's lexer reads one, a bracket) and over everything between.
  const token = /#[^\n]*|'[^'\\\n]*(?:\\[^\n][^'\\\n]*)*'?|[{}[\]]/g;
  for (let match = token.exec(text); match !== null; match = token.exec(text)) {
    const index = match.index;
    switch (text.charCodeAt(index)) {
      case hash: {
        const end = token.lastIndex;
        if (depth === 0) comments.push({ kind: "comment", text: text.slice(index + 1, end), offset: index });
        cutAfter(index, end);
        break;
      }
      case quote: {
        // A string that ends on its line: its body is cut, the grammar reads `''`. One that does
        // not is left for the grammar to report.
        const end = token.lastIndex;
        if (end - index < 2 || text.charCodeAt(end - 1) !== quote) break;
        const body = text.slice(index + 1, end - 1);
        strings.set(cutAfter(index, end - 1), body.includes("\\") ? body.replace(/\\(.)/gs, "$1") : body);
        break;
      }
      case 0x7b:
      case 0x5b:
        depth++;
        if (depth > maxNesting) throw new HxError([source.diagnostic(index, `nested more than ${maxNesting} levels deep: expected a QAPI schema`)]);
        break;
      default:
        depth = Math.max(0, depth - 1);
    }
  }
  kept.push(text.slice(copiedUpTo));
  /** The last cut that starts before `offset` of the text read, or -1. */
  const cutBefore = (offset: number): number => {
    let low = 0;
    let high = cutAt.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((cutAt[middle] ?? 0) < offset) low = middle + 1;
      else high = middle;
    }
    return low - 1;
  };
  return {
    text: kept.join(""),
    comments,
    fileOffset: (offset) => offset + (cutThrough[cutBefore(offset)] ?? 0),
    stringAt: (offset) => strings.get(offset) ?? "",
  };
}
