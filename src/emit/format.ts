// Formatting with prettier, with a fixed configuration so that the bytes do not depend on
// the machine or on a project's own prettier settings. Many Markdown pages are formatted on a
// worker thread while the main thread builds and formats the TypeScript: on a 2-core machine
// that halves the cold wall time of a large file.
import { Worker } from "node:worker_threads";
import * as prettier from "prettier";

export interface TextFile {
  readonly path: string;
  readonly content: string;
}

const base = { printWidth: 100, endOfLine: "lf" } as const;

/**
 * Fences keep the text QEMU's docs wrote (examples) or that the emitter already laid out
 * (usage snippets): formatting embedded code would cost as much again as the pages.
 */
const markdownOptions = { ...base, parser: "markdown", proseWrap: "preserve", embeddedLanguageFormatting: "off" } as const;

/** babel-ts prints the same code as the typescript parser for what we emit, in less time. */
const typeScriptOptions = { ...base, parser: "babel-ts" } as const;

export async function formatTypeScript(file: TextFile): Promise<TextFile> {
  return { path: file.path, content: await prettier.format(file.content, typeScriptOptions) };
}

export async function formatMarkdown(files: readonly TextFile[]): Promise<TextFile[]> {
  return Promise.all(files.map(async (file) => ({ path: file.path, content: await prettier.format(file.content, markdownOptions) })));
}

/** Below this many pages a worker costs more to start than it saves. */
const workerThreshold = 24;

/** Formats Markdown pages, on a worker thread when there are many. */
export function formatMarkdownConcurrently(files: readonly TextFile[]): Promise<TextFile[]> {
  if (files.length < workerThreshold) return formatMarkdown(files);
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL("./format-worker.js", import.meta.url), { workerData: files });
    worker.once("message", (result: TextFile[]) => resolve(result));
    worker.once("error", reject);
    worker.once("exit", (code) => {
      if (code !== 0) reject(new Error(`the formatting worker stopped with exit code ${code}`));
    });
  });
}
