// What every front end does with its generated peggy parser's syntax errors: a located
// HxError saying what was found and what was expected, in a reader's words.
import { HxError, visible, type SourceText } from "./source.js";

/** The shape of a generated parser's expectations (see scripts/build-grammar.mjs). */
type PeggyExpectation =
  | { readonly type: "literal"; readonly text: string }
  | { readonly type: "class"; readonly parts: readonly (string | readonly [string, string])[]; readonly inverted: boolean }
  | { readonly type: "any" }
  | { readonly type: "end" }
  | { readonly type: "other"; readonly description: string };

interface PeggySyntaxError extends Error {
  readonly location: { readonly start: { readonly offset: number } };
  readonly expected: readonly PeggyExpectation[] | null;
  readonly found: string | null;
}

/**
 * Runs a parse; a syntax error of `grammar` (its generated module) becomes an HxError located
 * at `toSourceOffset` of peggy's offset (the identity unless the parsed text was decoded).
 */
export function withLocatedErrors<T>(
  grammar: { readonly SyntaxError: abstract new (...args: never[]) => PeggySyntaxError },
  source: SourceText,
  toSourceOffset: (offset: number) => number,
  run: () => T,
): T {
  try {
    return run();
  } catch (error) {
    if (!(error instanceof grammar.SyntaxError)) throw error;
    const offset = toSourceOffset(error.location.start.offset);
    if (error.expected === null) {
      throw new HxError([source.diagnostic(offset, error.message)]);
    }
    const expected = [...new Set(error.expected.map(describeExpectation))].sort();
    const found =
      error.found === null ? "end of input" : /^\r?\n$/.test(error.found) ? "end of line" : `"${visible(error.found).replace(/"/g, '\\"')}"`;
    throw new HxError([source.diagnostic(offset, `syntax error: unexpected ${found}`, expected)]);
  }
}

/** What peggy expected, as a reader would say it. */
function describeExpectation(expectation: PeggyExpectation): string {
  switch (expectation.type) {
    case "end":
      return "end of input";
    case "any":
      return "any character";
    case "other":
      return expectation.description;
    case "literal":
      return `'${expectation.text}'`;
    case "class": {
      const parts = expectation.parts.map((part) => (typeof part === "string" ? part : `${part[0]}-${part[1]}`)).join("");
      if (!expectation.inverted && /^[ \t]+$/.test(parts)) return "white space";
      return `${expectation.inverted ? "a character other than" : "one of"} ${JSON.stringify(parts)}`;
    }
  }
}
