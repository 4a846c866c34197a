// A text being parsed, with what it takes to turn offsets into `file:line:column` and to
// report problems there. Every located error of qmp-hx is a HxError built from here.
import { isUtf8 } from "node:buffer";

export interface SourcePosition {
  /** 1-based line. */
  readonly line: number;
  /** 1-based column, in UTF-16 code units, as editors and peggy count them. */
  readonly column: number;
}

export interface SourceLocation extends SourcePosition {
  /** The file as the user named it. */
  readonly file: string;
}

export interface Diagnostic {
  readonly location: SourceLocation;
  readonly message: string;
  /** What would have been accepted here, when the parser knows. */
  readonly expected?: readonly string[];
  /** A few lines of source with a caret under the column. */
  readonly frame: string;
}

export class SourceText {
  private readonly lineStarts: number[];

  constructor(
    readonly file: string,
    readonly text: string,
  ) {
    this.lineStarts = [0];
    for (let index = text.indexOf("\n"); index !== -1; index = text.indexOf("\n", index + 1)) {
      this.lineStarts.push(index + 1);
    }
  }

  position(offset: number): SourcePosition {
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if ((this.lineStarts[middle] ?? 0) <= offset) low = middle;
      else high = middle - 1;
    }
    return { line: low + 1, column: offset - (this.lineStarts[low] ?? 0) + 1 };
  }

  locate(offset: number): SourceLocation {
    // Written out, not spread: the model holds one of these per located fact, and a spread
    // copies property by property into an object of another shape.
    const { line, column } = this.position(offset);
    return { file: this.file, line, column };
  }

  /** The text of a 1-based line, without its line break. */
  lineText(line: number): string {
    const start = this.lineStarts[line - 1];
    if (start === undefined) return "";
    const next = this.lineStarts[line];
    return this.text.slice(start, next === undefined ? undefined : next - 1).replace(/\r$/, "");
  }

  diagnostic(offset: number, message: string, expected?: readonly string[]): Diagnostic {
    const location = this.locate(offset);
    return { location, message, ...(expected ? { expected } : {}), frame: this.frame(location) };
  }

  private frame({ line, column }: SourcePosition): string {
    const first = Math.max(1, line - 2);
    const width = String(line).length;
    // A long line (a minified or binary file) is shown as a window around the column.
    const start = Math.max(0, column - 1 - frameWidth / 2);
    const clip = (text: string): string => (start > 0 ? "…" : "") + text.slice(start, start + frameWidth) + (text.length > start + frameWidth ? "…" : "");
    const rows: string[] = [];
    for (let current = first; current <= line; current++) {
      rows.push(`${current === line ? ">" : " "} ${String(current).padStart(width)} | ${visible(clip(this.lineText(current)))}`);
    }
    const caretIndent = visible((start > 0 ? "…" : "") + this.lineText(line).slice(start, column - 1)).replace(/[^\t]/g, " ");
    rows.push(`  ${" ".repeat(width)} | ${caretIndent}^`);
    return rows.join("\n");
  }
}

const frameWidth = 120;

/** Control characters other than tab would garble a terminal. */
export function visible(text: string): string {
  return text.replace(/[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffd]/g, (char) => {
    const code = char.charCodeAt(0);
    return code > 0xff ? `\\u${code.toString(16)}` : `\\x${code.toString(16).padStart(2, "0")}`;
  });
}

export function formatDiagnostic(diagnostic: Diagnostic): string {
  const { file, line, column } = diagnostic.location;
  const expected = diagnostic.expected?.length ? `\n  expected: ${diagnostic.expected.join(", ")}` : "";
  return `${file}:${line}:${column}: ${diagnostic.message}${expected}\n${diagnostic.frame}`;
}

/**
 * A file's bytes as text. Invalid UTF-8 is a located error, never a silent U+FFFD: a name
 * spelled with a bad byte would otherwise reach the generated code changed.
 */
export function decodeUtf8(file: string, bytes: Buffer): string {
  const text = bytes.toString("utf8");
  if (isUtf8(bytes)) return text;
  // Up to the first bad byte, characters and bytes correspond exactly; a U+FFFD that the file
  // spells out (EF BF BD) is not the bad one.
  let byteOffset = 0;
  for (let index = 0; index < text.length; ) {
    const codePoint = text.codePointAt(index) ?? 0;
    if (codePoint === 0xfffd && !(bytes[byteOffset] === 0xef && bytes[byteOffset + 1] === 0xbf && bytes[byteOffset + 2] === 0xbd)) {
      const byte = (bytes[byteOffset] ?? 0).toString(16).padStart(2, "0");
      throw new HxError([new SourceText(file, text).diagnostic(index, `invalid UTF-8 (byte 0x${byte}): expected a UTF-8 text file`)]);
    }
    const width = codePoint > 0xffff ? 2 : 1;
    byteOffset += Buffer.byteLength(text.slice(index, index + width));
    index += width;
  }
  return text;
}

/** Bad input: one or more located problems. The CLI prints them; nothing is written. */
export class HxError extends Error {
  override readonly name = "HxError";

  constructor(readonly diagnostics: readonly Diagnostic[]) {
    super(diagnostics.map(formatDiagnostic).join("\n\n"));
  }
}
