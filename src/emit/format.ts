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

/** Formats files by their extension: `.md` as Markdown, anything else as TypeScript. */
export async function formatFiles(files: readonly TextFile[]): Promise<TextFile[]> {
  const direct = files.map((file) => (file.path.endsWith(".md") ? markdownInPrettierForm(file.content) : undefined));
  const rest = files.filter((_, index) => direct[index] === undefined);
  if (rest.length === 0) return files.map((file, index) => ({ path: file.path, content: direct[index] ?? file.content }));
  // Prettier's standalone build with only the plugins these files need loads in a fraction of
  // the time of its full entry; loaded here, not at the top, only when a file needs it.
  const markdown = rest.some((file) => file.path.endsWith(".md"));
  const typeScript = rest.some((file) => !file.path.endsWith(".md"));
  const [prettier, ...plugins] = await Promise.all([
    import("prettier/standalone"),
    ...(markdown ? [import("prettier/plugins/markdown")] : []),
    ...(typeScript ? [import("prettier/plugins/babel"), import("prettier/plugins/estree")] : []),
  ]);
  return Promise.all(
    files.map(async (file, index) => ({
      path: file.path,
      content: direct[index] ?? (await prettier.format(file.content, { ...(file.path.endsWith(".md") ? markdownOptions : typeScriptOptions), plugins })),
    })),
  );
}

/** Formats TypeScript with prettier (the reference for, and fallback of, the direct printer). */
export async function formatTypeScript(source: string): Promise<string> {
  const [prettier, ...plugins] = await Promise.all([import("prettier/standalone"), import("prettier/plugins/babel"), import("prettier/plugins/estree")]);
  return prettier.format(source, { ...typeScriptOptions, plugins });
}
