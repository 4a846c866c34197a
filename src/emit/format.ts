// Formatting with prettier, with a fixed configuration so that the bytes do not depend on
// the machine or on a project's own prettier settings. Markdown pages that are already in
// prettier's form once their tables are aligned and their runs of spaces collapsed
// (src/emit/markdown.ts) do not need prettier, nor does the TypeScript the direct printer
// writes (src/emit/typescript-printer.ts); the tests prove those forms equal prettier's.
import { markdownInPrettierForm } from "./markdown.js";

export interface TextFile {
  readonly path: string;
  readonly content: string;
}

const base = { printWidth: 100, endOfLine: "lf" } as const;

/**
 * Fences keep the text QEMU's docs wrote (examples) or that the emitter already laid out
 * (usage snippets): formatting embedded code would cost as much again as the pages.
 */
export const markdownOptions = { ...base, parser: "markdown", proseWrap: "preserve", embeddedLanguageFormatting: "off" } as const;

/** babel-ts prints the same code as the typescript parser for what we emit, in less time. */
export const typeScriptOptions = { ...base, parser: "babel-ts" } as const;

/**
 * Formats files by their extension: `.md` as Markdown, anything else as TypeScript, in their
 * order. Each Markdown page is put in prettier's form as it comes, so that a large schema's
 * pages are not all held twice; only what is outside that form waits for prettier.
 */
export async function formatFiles(files: Iterable<TextFile>): Promise<TextFile[]> {
  const formatted: TextFile[] = [];
  const rest: { readonly index: number; readonly file: TextFile }[] = [];
  for (const file of files) {
    const direct = file.path.endsWith(".md") ? markdownInPrettierForm(file.content) : undefined;
    if (direct === undefined) rest.push({ index: formatted.length, file });
    formatted.push(direct === undefined ? file : { path: file.path, content: direct });
  }
  if (rest.length === 0) return formatted;
  const format = await prettierFor(rest.map(({ file }) => file.path));
  for (const { index, file } of rest) formatted[index] = { path: file.path, content: await format(file) };
  return formatted;
}

/** Formats TypeScript with prettier (the reference for, and fallback of, the direct printer). */
export async function formatTypeScript(source: string): Promise<string> {
  const path = "module.ts";
  return (await prettierFor([path]))({ path, content: source });
}

/**
 * Prettier's standalone build with only the plugins files of these paths need: it loads in a
 * fraction of the time of its full entry; loaded here, not at the top, only when a file needs it.
 */
async function prettierFor(paths: readonly string[]): Promise<(file: TextFile) => Promise<string>> {
  const markdown = paths.some((path) => path.endsWith(".md"));
  const typeScript = paths.some((path) => !path.endsWith(".md"));
  const [prettier, ...plugins] = await Promise.all([
    import("prettier/standalone"),
    ...(markdown ? [import("prettier/plugins/markdown")] : []),
    ...(typeScript ? [import("prettier/plugins/babel"), import("prettier/plugins/estree")] : []),
  ]);
  return (file) => prettier.format(file.content, { ...(file.path.endsWith(".md") ? markdownOptions : typeScriptOptions), plugins });
}
