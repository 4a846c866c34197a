// Formatting with prettier, with a fixed configuration so that the bytes do not depend on
// the machine or on a project's own prettier settings. For a large file the work is shared
// with one worker thread (this machine class has 2 cores): the worker formats the Markdown
// pages, and later the validators, while this thread loads ts-morph and builds and formats
// the client.
import { Worker } from "node:worker_threads";

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

/** Formats files by their extension: `.md` as Markdown, anything else as TypeScript. */
export async function formatFiles(files: readonly TextFile[]): Promise<TextFile[]> {
  // Loaded here so that a worker can be started before this thread spends time on prettier.
  const prettier = await import("prettier");
  return Promise.all(
    files.map(async (file) => ({
      path: file.path,
      content: await prettier.format(file.content, file.path.endsWith(".md") ? markdownOptions : typeScriptOptions),
    })),
  );
}

/** Formats batches of files on a worker thread, in the order they are sent. */
export interface Formatter {
  format(files: readonly TextFile[]): Promise<TextFile[]>;
  close(): Promise<void>;
}

/** Below this many files a worker costs more to start than it saves. */
const workerThreshold = 24;

export function startFormatter(expectedFiles: number): Formatter {
  if (expectedFiles < workerThreshold) return { format: formatFiles, close: async () => undefined };
  const worker = new Worker(new URL("./format-worker.js", import.meta.url));
  const pending = new Map<number, { resolve: (files: TextFile[]) => void; reject: (error: unknown) => void }>();
  let nextId = 0;
  let failure: unknown;
  const failAll = (error: unknown): void => {
    failure ??= error;
    for (const { reject } of pending.values()) reject(error);
    pending.clear();
  };
  worker.on("message", ({ id, files, error }: { id: number; files?: TextFile[]; error?: string }) => {
    const waiter = pending.get(id);
    pending.delete(id);
    if (files) waiter?.resolve(files);
    else waiter?.reject(new Error(`formatting failed on the worker: ${error ?? "unknown error"}`));
  });
  worker.on("error", failAll);
  worker.on("exit", (code) => failAll(new Error(`the formatting worker stopped with exit code ${code}`)));
  return {
    format(files) {
      if (failure !== undefined) return Promise.reject(failure);
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        worker.postMessage({ id, files });
      });
    },
    async close() {
      worker.removeAllListeners("exit");
      await worker.terminate();
    },
  };
}
