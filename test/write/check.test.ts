// `generate --check` and a regeneration with nothing changed answer from the manifest alone
// (issue 11, item 1): run with a module hook that makes ts-morph and prettier fail to load.
// A real generation of the fixture needs neither any more either (its TypeScript and Markdown
// are printed directly in prettier's form).
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, it } from "node:test";
import { pathToFileURL } from "node:url";
import { jsonChunks } from "../../src/cli/parse.js";
import { parseSchema } from "../../src/index.js";
import { cliPath, fixturePath, runCli, withTempDir, type CliResult } from "../helpers.js";

const formatters = String.raw`^(ts-morph|prettier|typescript)(\/|$)`;

/** Runs the CLI (or, with `eval`, a module's code) with the modules `forbidden` matches (by default ts-morph, prettier and typescript) made unloadable. */
async function runWithoutFormatters(dir: string, args: readonly string[], evaluate?: string, forbidden = formatters): Promise<CliResult> {
  const hooks = join(dir, "forbid-hooks.mjs");
  await writeFile(
    hooks,
    `export async function resolve(specifier, context, next) {
  if (new RegExp(${JSON.stringify(forbidden)}).test(specifier)) throw new Error("loaded " + specifier);
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

  it("with --events and --qapi: the manifest's record of the files read (includes too) answers without loading a front end; an edit to any of them is seen", { timeout: 120_000 }, async () => {
    await withTempDir(async (dir) => {
      const out = join(dir, "out");
      await mkdir(join(dir, "qapi"));
      const qapi = join(dir, "qapi-schema.json");
      await writeFile(qapi, "{ 'include': 'qapi/types.json' }\n{ 'command': 'blockdev-backup', 'data': 'BlockdevBackup' }\n");
      const types = join(dir, "qapi", "types.json");
      await writeFile(
        types,
        "{ 'enum': 'BlockdevOnError', 'data': ['report', 'ignore', 'enospc', 'stop'] }\n{ 'enum': 'MirrorSyncMode', 'data': ['top', 'full', 'none'] }\n" +
          "{ 'type': 'BlockdevBackup', 'data': { 'device': 'str', 'target': 'str', 'sync': 'MirrorSyncMode', '*speed': 'int', '*on-source-error': 'BlockdevOnError', '*on-target-error': 'BlockdevOnError' } }\n",
      );
      const events = join(dir, "qmp-events.txt");
      await writeFile(events, "BLOCK_JOB_COMPLETED\n-------------------\n\nEmitted when a block job has completed.\n\nData:\n\n- \"len\": maximum progress value (json-int)\n");
      const args = ["generate", fixturePath, "--out", out, "--events", events, "--qapi", qapi];
      const fresh = await runCli(args);
      assert.equal(fresh.code, 0, fresh.stderr);
      assert.match(await readFile(join(out, "client.ts"), "utf8"), /readonly BLOCK_JOB_COMPLETED: BlockJobCompletedEventData;/);
      assert.match(await readFile(join(out, "docs", "events", "BLOCK_JOB_COMPLETED.md"), "utf8"), /^# BLOCK_JOB_COMPLETED\n/);
      const frontEnds = String.raw`/frontend/(hx|qapi)/`;
      const check = await runWithoutFormatters(dir, [...args, "--check"], undefined, frontEnds);
      assert.equal(check.code, 0, check.stderr);
      assert.match(check.stdout, /up to date/);
      await writeFile(types, (await readFile(types, "utf8")).replace("'stop'", "'stop', 'halt'"));
      const included = await runCli([...args, "--check"]);
      assert.equal(included.code, 1, "an edited include is seen");
      assert.match(included.stderr, /stale: .*client\.ts/);
      assert.equal((await runCli(args)).code, 0);
      await writeFile(events, (await readFile(events, "utf8")).replace("block job has", "block job of any kind has"));
      const edited = await runCli([...args, "--check"]);
      assert.equal(edited.code, 1, "an edited events document is seen");
      assert.match(edited.stderr, /stale: .*BLOCK_JOB_COMPLETED\.md/);
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
