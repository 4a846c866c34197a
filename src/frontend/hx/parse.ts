// The only module that calls the generated .hx parser. It turns peggy's syntax errors into
// located HxErrors and maps positions inside decoded string literals back to the file.
import * as grammar from "./generated/hx-grammar.js";
import type { ArgItemNode, ConditionNode, DocOnlyFileNode, EventsFileNode, HxFileNode, StringNode } from "./parse-tree.js";
import type { SourceText } from "../source.js";
import { withLocatedErrors as located } from "../peggy.js";

export function parseHxFile(source: SourceText): HxFileNode {
  return withLocatedErrors(source, (offset) => offset, () => grammar.parse(source.text, { startRule: "HxFile" }));
}

export function parseDocOnlyFile(source: SourceText): DocOnlyFileNode {
  return withLocatedErrors(source, (offset) => offset, () => grammar.parse(source.text, { startRule: "DocOnlyFile" }));
}

export function parseEventsFile(source: SourceText): EventsFileNode {
  return withLocatedErrors(source, (offset) => offset, () => grammar.parse(source.text, { startRule: "EventsFile" }));
}

/** Parses the expression of an #if / #elif whose text starts at `offset` in the file. */
export function parseCondition(source: SourceText, expression: string, offset: number): ConditionNode {
  return withLocatedErrors(source, (index) => offset + index, () => grammar.parse(expression, { startRule: "Condition" }));
}

/**
 * Parses an args_type value made of one or more adjacent string literals. Offsets in the
 * result (and in errors) are offsets in the .hx file.
 */
export function parseArgsType(source: SourceText, literals: readonly StringNode[]): ArgItemNode[] {
  const decoded = decodeLiterals(literals);
  const items = withLocatedErrors(source, decoded.sourceOffset, () =>
    grammar.parse(decoded.value, { startRule: "ArgsType" }),
  );
  return items.map((item) => ({
    ...item,
    offset: decoded.sourceOffset(item.offset),
    codeOffset: decoded.sourceOffset(item.codeOffset),
  }));
}

export interface DecodedLiterals {
  readonly value: string;
  /** Where the character at `index` of `value` is written in the file. */
  sourceOffset(index: number): number;
}

export function decodeLiterals(literals: readonly StringNode[]): DecodedLiterals {
  const starts: number[] = [];
  const offsets: number[] = [];
  let value = "";
  for (const literal of literals) {
    for (const [text, offset] of literal.segments) {
      starts.push(value.length);
      offsets.push(offset);
      value += text;
    }
  }
  const lastLiteral = literals.at(-1);
  return {
    value,
    sourceOffset(index) {
      // Past the end: the closing quote of the last literal.
      if (index >= value.length || starts.length === 0) {
        const segment = lastLiteral?.segments.at(-1);
        return segment ? segment[1] + segment[0].length : (lastLiteral?.offset ?? 0) + 1;
      }
      let low = 0;
      let high = starts.length - 1;
      while (low < high) {
        const middle = (low + high + 1) >> 1;
        if ((starts[middle] ?? 0) <= index) low = middle;
        else high = middle - 1;
      }
      return (offsets[low] ?? 0) + index - (starts[low] ?? 0);
    },
  };
}

function withLocatedErrors<T>(source: SourceText, toSourceOffset: (offset: number) => number, run: () => T): T {
  return located(grammar, source, toSourceOffset, run);
}
