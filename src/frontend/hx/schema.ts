// Text -> Schema: the front end every command and emitter starts from.
import { parseDocOnlyFile, parseHxFile } from "./parse.js";
import { HxError, SourceText } from "../source.js";
import { buildDocOnlySchema, buildSchema, type BuildOptions, type BuildResult } from "./build.js";

export interface ParseOptions extends BuildOptions {
  /** The name used in locations; defaults to `input.hx`. */
  readonly file?: string;
  /** `auto` (default): a file with SQMP blocks or table entries is `hx`, else `doc-only`. */
  readonly format?: "hx" | "doc-only" | "auto";
}

/** Parses the text of a qmp-commands.hx (or docs/qmp-commands.txt). Throws HxError on bad input. */
export function parseSchema(text: string, options: ParseOptions = {}): BuildResult {
  const source = new SourceText(options.file ?? "input.hx", text.startsWith("\ufeff") ? text.slice(1) : text);
  const firstReturn = source.text.indexOf("\r");
  if (firstReturn !== -1 && !source.text.includes("\n")) {
    throw new HxError([source.diagnostic(firstReturn, "lines end with a lone CR (classic Mac OS): expected LF or CR LF line endings")]);
  }
  const format = options.format === undefined || options.format === "auto" ? detectFormat(source) : options.format;
  const result = format === "hx" ? buildSchema(source, parseHxFile(source), options) : buildDocOnlySchema(source, parseDocOnlyFile(source));
  // A file that is not a .hx at all (a QAPI schema, /etc/passwd) parses into nothing: say so.
  if (result.schema.commands.length === 0) {
    throw new HxError([
      source.diagnostic(0, "no QMP command found: expected a qmp-commands.hx (entries '{ .name = ... }', SQMP ... EQMP blocks) or docs/qmp-commands.txt"),
    ]);
  }
  return result;
}

/** By extension (.hx, .txt), else by content: SQMP blocks, HXCOMM lines or entries make an .hx file. */
function detectFormat(source: SourceText): "hx" | "doc-only" {
  if (/\.hx$/i.test(source.file)) return "hx";
  if (/\.txt$/i.test(source.file)) return "doc-only";
  return /^(SQMP[ \t]*\r?$|EQMP|HXCOMM|#[ \t]*(if|ifdef|endif)\b|[ \t]*\.name[ \t]*=)/m.test(source.text) ? "hx" : "doc-only";
}
