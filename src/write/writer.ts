// Writes a generated folder: every file atomically (temporary file + rename), files whose bytes
// are unchanged are left untouched, and files an earlier run wrote but this one does not are
// removed. A manifest in the folder remembers what qmp-hx wrote, so user files are never touched.
import { randomBytes } from "node:crypto";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { dirname, join, sep } from "node:path";
import type { GeneratedFile } from "../emit/generate.js";

export const manifestName = ".qmp-hx-manifest";

export interface WriteReport {
  /** Written because new or different. */
  readonly written: readonly string[];
  readonly unchanged: readonly string[];
  /** Written by an earlier run, no longer generated: removed (or, with check, would be). */
  readonly removed: readonly string[];
}

export interface WriteOptions {
  /** Compare only: write and remove nothing. */
  readonly check?: boolean;
}

export async function writeOutput(outDir: string, files: readonly GeneratedFile[], options: WriteOptions = {}): Promise<WriteReport> {
  const all = [...files, { path: manifestName, content: files.map((file) => file.path).join("\n") + "\n" }];
  const previous = (await readText(join(outDir, manifestName)))?.split("\n").filter((line) => line !== "" && isInside(line)) ?? [];
  const current = new Set(all.map((file) => file.path));
  const written: string[] = [];
  const unchanged: string[] = [];
  for (const file of all) {
    const target = join(outDir, file.path);
    if ((await readText(target)) === file.content) {
      unchanged.push(file.path);
      continue;
    }
    written.push(file.path);
    if (!options.check) await writeAtomically(target, file.content);
  }
  const removed = previous.filter((path) => !current.has(path));
  if (!options.check) await Promise.all(removed.map((path) => rm(join(outDir, path), { force: true })));
  return { written, unchanged, removed };
}

/** A manifest line is a relative path below the folder; anything else is ignored. */
function isInside(path: string): boolean {
  return !path.startsWith("/") && !path.split(/[\\/]/).includes("..") && !path.includes(sep + sep);
}

async function readText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT" || (error as NodeJS.ErrnoException).code === "ENOTDIR") return undefined;
    throw error;
  }
}

async function writeAtomically(path: string, content: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  try {
    await writeFile(temporary, content);
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
