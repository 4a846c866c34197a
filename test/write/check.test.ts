// `generate --check` and a regeneration with nothing changed answer from the manifest alone
// (issue 11, item 1): run with a module hook that makes ts-morph and prettier fail to load.
// A real generation of the fixture needs neither any more either (its TypeScript and Markdown
// are printed directly in prettier's form).
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, it } from "node:test";
import { pathToFileURL } from "node:url";
import { jsonChunks } from "../../src/cli/parse.js";
import { parseSchema } from "../../src/index.js";
import { cliPath, fixturePath, runCli, withTempDir, type CliResult } from "../helpers.js";

/** Runs the CLI (or, with `eval`, a module's code) with ts-morph, prettier and typescript made unloadable. */
async function runWithoutFormatters(dir: string, args: readonly string[], evaluate?: string): Promise<CliResult> {
  const hooks = join(dir, "forbid-hooks.mjs");
  await writeFile(
    hooks,
    `export async function resolve(specifier, context, next) {
  if (/^(ts-morph|prettier|typescript)(\\/|$)/.test(specifier)) throw new Error("loaded " + specifier);
  return next(specifier, context);
}\n`,
  );
  const register = join(dir, "forbid.mjs");
  await writeFile(register, `import { register } from "node:module";\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`);
  return new Promise((resolve) => {
    const command = evaluate === undefined ? [cliPath, ...args] : ["--input-type=module", "--eval", evaluate];
    execFile(process.execPath, ["--import", pathToFileURL(register).href, ...command], (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

describe("up-to-date answers from the manifest", () => {
  it("generation, --check and a no-op regeneration load neither ts-morph nor prettier; an edited or missing file is still stale", { timeout: 120_000 }, async () => {
    await withTempDir(async (dir) => {
      const out = join(dir, "out");
      const hooked = await runWithoutFormatters(dir, [], 'await import("prettier/standalone");');
      assert.notEqual(hooked.code, 0, "the hook works: prettier cannot be loaded");
      const fresh = await runWithoutFormatters(dir, ["generate", fixturePath, "--out", out]);
      assert.equal(fresh.code, 0, fresh.stderr);
      assert.match(fresh.stdout, /7 written/);
      const check = await runWithoutFormatters(dir, ["generate", fixturePath, "--out", out, "--check"]);
      assert.equal(check.code, 0, check.stderr);
      assert.match(check.stdout, /up to date \(7 files\)/);
      const again = await runWithoutFormatters(dir, ["generate", fixturePath, "--out", out]);
      assert.equal(again.code, 0, again.stderr);
      assert.match(again.stdout, /0 written, 7 unchanged, 0 removed/);
      await writeFile(join(out, "client.ts"), (await readFile(join(out, "client.ts"), "utf8")) + "// edited\n");
      const edited = await runWithoutFormatters(dir, ["generate", fixturePath, "--out", out, "--check"]);
      assert.equal(edited.code, 1);
      assert.match(edited.stderr, /stale: .*client\.ts/);
    });
  });

  it("a changed option or input is not answered from the manifest", async () => {
    await withTempDir(async (dir) => {
      const out = join(dir, "out");
      assert.equal((await runCli(["generate", fixturePath, "--out", out])).code, 0);
      const otherImport = await runCli(["generate", fixturePath, "--out", out, "--check", "--runtime-import", "./runtime.js"]);
      assert.equal(otherImport.code, 1);
      assert.match(otherImport.stderr, /stale: .*client\.ts/);
    });
  });
});

describe("parse prints large models in pieces", () => {
  it("the pieces are exactly JSON.stringify(model, null, 2)", async () => {
    const { schema } = parseSchema(await readFile(fixturePath, "utf8"), { file: "fixture.hx" });
    const odd = { a: [], b: {}, c: [undefined, () => 1, "x\ny"], d: undefined, e: { f: [1, [2, { g: null }]] }, h: "\u2028" };
    for (const value of [schema, odd, [], {}, "text", 1]) assert.equal([...jsonChunks(value, "")].join(""), JSON.stringify(value, null, 2));
  });
});
