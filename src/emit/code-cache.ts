// Loading large CommonJS files through a V8 code cache (Node 20 has no module.enableCompileCache):
// the file is compiled with vm.Script from cached data when the cache holds data for exactly this
// file, Node and architecture, and the module is put in require's cache, so that the package's
// own require finds it loaded. A missing, stale, corrupt or unwritable cache only costs the
// compilation it would have saved: V8 checks the data and compiles from source when it rejects it.
import { createHash, randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import Module, { createRequire } from "node:module";
import { dirname, join, sep } from "node:path";
import { Script } from "node:vm";

/** What happened to one file's cache entry. */
export type CodeCacheUse = "used" | "written" | "rejected and rewritten" | "not writable" | "already loaded";

/**
 * Loads `filenames` (absolute, each a CommonJS module; list a file before the files that require
 * it) into require's cache, compiled with the code cache in `cacheDir`. After all of them ran,
 * entries that were missing or rejected are written, holding what running them compiled.
 */
export function loadWithCodeCache(filenames: readonly string[], cacheDir: string): CodeCacheUse[] {
  const requireCache = createRequire(import.meta.url).cache;
  const uses: CodeCacheUse[] = [];
  const toWrite: { index: number; script: Script; cachePath: string }[] = [];
  for (const filename of filenames) {
    if (requireCache[filename] !== undefined) {
      uses.push("already loaded");
      continue;
    }
    const source = readFileSync(filename, "utf8");
    const cachePath = join(cacheDir, cacheEntryName(filename, source));
    const cachedData = readOptional(cachePath);
    const script = new Script(Module.wrap(source), { filename, ...(cachedData ? { cachedData } : {}) });
    runAsModule(script, filename, requireCache);
    if (cachedData !== undefined && script.cachedDataRejected !== true) {
      uses.push("used");
      continue;
    }
    toWrite.push({ index: uses.length, script, cachePath });
    uses.push(cachedData === undefined ? "written" : "rejected and rewritten");
  }
  for (const { index, script, cachePath } of toWrite) {
    if (!writeAtomically(cachePath, script.createCachedData())) uses[index] = "not writable";
  }
  return uses;
}

/** Where a package's code cache lives: `node_modules/.cache/qmp-hx` beside the package, if any. */
export function codeCacheDirFor(filename: string): string | undefined {
  const marker = `${sep}node_modules${sep}`;
  const at = filename.lastIndexOf(marker);
  return at < 0 ? undefined : join(filename.slice(0, at + marker.length), ".cache", "qmp-hx");
}

/** The entry's name says which file, source, Node and V8 flags it was made for. */
function cacheEntryName(filename: string, source: string): string {
  const { size, mtimeMs } = statSync(filename);
  const key = createHash("sha256").update(JSON.stringify([filename, size, mtimeMs, source.length, process.version, process.arch, process.execArgv])).digest("hex");
  return `${filename.split(sep).at(-1) ?? "module"}-${key.slice(0, 20)}.v8cache`;
}

/** Runs the wrapped module body as require would, and registers it in require's cache. */
function runAsModule(script: Script, filename: string, requireCache: NodeJS.Require["cache"]): void {
  const module = new Module(filename);
  module.filename = filename;
  const moduleRequire = createRequire(filename);
  module.paths = moduleRequire.resolve.paths("a-package") ?? [];
  requireCache[filename] = module;
  try {
    const body = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: Module, filename: string, dirname: string) => void;
    body.call(module.exports, module.exports, moduleRequire, module, filename, dirname(filename));
    module.loaded = true;
  } catch (error) {
    delete requireCache[filename];
    throw error;
  }
}

function readOptional(path: string): Buffer | undefined {
  try {
    return readFileSync(path);
  } catch {
    return undefined;
  }
}

/** Writes through a temporary file and a rename, so that no reader sees half an entry. */
function writeAtomically(path: string, data: Buffer): boolean {
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(temporary, data);
    renameSync(temporary, path);
    return true;
  } catch {
    try {
      rmSync(temporary, { force: true });
    } catch {
      // The folder could not be made: there is no temporary file either.
    }
    return false;
  }
}
