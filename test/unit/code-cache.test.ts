// The V8 code cache for large CommonJS files: written on first load, used on the next, and
// harmless when stale, corrupt or unwritable (the module loads from source all the same).
// Each load runs in a fresh process: within one, V8's own compilation cache answers instead.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { pathToFileURL } from "node:url";
import { codeCacheDirFor } from "../../src/emit/code-cache.js";
import { withTempDir } from "../helpers.js";

const codeCacheModule = pathToFileURL(new URL("../../src/emit/code-cache.js", import.meta.url).pathname).href;

describe("loadWithCodeCache", () => {
  it("writes, uses, survives a corrupt entry and an unwritable folder", async () => {
    await withTempDir(async (dir) => {
      const dependency = join(dir, "dependency.js");
      const dependent = join(dir, "dependent.js");
      writeFileSync(dependency, "exports.base = 40; exports.add = (a, b) => a + b;\n");
      writeFileSync(dependent, 'const { base, add } = require("./dependency"); module.exports = { answer: add(base, 2), file: __filename };\n');
      const cacheDir = join(dir, "node_modules", ".cache", "qmp-hx");
      const load = (folder: string): string[] => {
        const script = `import { createRequire } from "node:module";
          const { loadWithCodeCache } = await import(${JSON.stringify(codeCacheModule)});
          const uses = loadWithCodeCache(${JSON.stringify([dependency, dependent])}, ${JSON.stringify(folder)});
          const again = loadWithCodeCache(${JSON.stringify([dependency])}, ${JSON.stringify(folder)});
          const loaded = createRequire(${JSON.stringify(dependent)})(${JSON.stringify(dependent)});
          console.log(JSON.stringify({ uses, again, loaded }));`;
        const result = JSON.parse(execFileSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" })) as { uses: string[]; again: string[]; loaded: unknown };
        assert.deepEqual(result.loaded, { answer: 42, file: dependent });
        assert.deepEqual(result.again, ["already loaded"]);
        return result.uses;
      };
      assert.deepEqual(load(cacheDir), ["written", "written"]);
      assert.equal(readdirSync(cacheDir).length, 2);
      assert.deepEqual(load(cacheDir), ["used", "used"]);
      for (const entry of readdirSync(cacheDir)) writeFileSync(join(cacheDir, entry), "not V8 code cache data");
      assert.deepEqual(load(cacheDir), ["rejected and rewritten", "rejected and rewritten"]);
      assert.deepEqual(load(cacheDir), ["used", "used"]);
      // A folder below a regular file can never be created.
      assert.deepEqual(load(join(dependency, "cache")), ["not writable", "not writable"]);
    });
  });

  it("keeps the cache in node_modules/.cache/qmp-hx beside the package", () => {
    assert.equal(codeCacheDirFor("/p/node_modules/@ts-morph/common/dist/typescript.js"), "/p/node_modules/.cache/qmp-hx");
    assert.equal(codeCacheDirFor("/p/a/node_modules/b/node_modules/c/index.js"), "/p/a/node_modules/b/node_modules/.cache/qmp-hx");
    assert.equal(codeCacheDirFor("/p/lib/index.js"), undefined);
  });
});
