// Names that would break the output folder or the generated module (issue 10): a command named
// `index` or `sources` (the docs' own pages), one longer than a file name may be, and one named
// `then` (an exported `then` makes the module a thenable: `await import()` would never settle).
import assert from "node:assert/strict";
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, it } from "node:test";
import ts from "typescript";
import { docPageNames } from "../../src/emit/names.js";
import type { Command } from "../../src/model/types.js";
import { repoRoot, runCli } from "../helpers.js";

const longName = `x-${"very-long-".repeat(24)}name`;
const entry = (name: string): string => `    {\n        .name = "${name}",\n        .args_type = "",\n        .mhandler.cmd_new = qmp_marshal_x,\n    },\n`;

describe("names that would break the output", () => {
  it("page names: never index or sources, distinct without regard to case, legal lengths, stable", () => {
    const commands = ["index", "INDEX", "sources", "con", "Query", "query", longName, `${longName}-2`].map((name) => ({ name }) as Command);
    const pages = [...docPageNames(commands).values()];
    assert.deepEqual(pages.slice(0, 6), ["index-2.md", "INDEX-3.md", "sources-2.md", "con-2.md", "Query.md", "query-2.md"]);
    assert.equal(new Set(pages.map((page) => page.toLowerCase())).size, pages.length);
    for (const page of pages) assert.ok(Buffer.byteLength(page) <= 120, page);
    assert.notEqual(pages[6], pages[7], "long names cut to the same prefix stay distinct");
    assert.deepEqual([...docPageNames(commands).values()], pages);
  });

  it("a generated module with commands named then, index and a 240-character name imports without hanging", { timeout: 120_000 }, async () => {
    // Inside the repo, so that the generated client finds qmp-hx-runtime as a user's project would.
    const dir = await mkdtemp(join(repoRoot, "dist", "names-"));
    try {
      const input = join(dir, "qmp-commands.hx");
      await writeFile(input, ["then", "index", longName].map(entry).join("\n"));
      const run = await runCli(["generate", input, "--out", join(dir, "out")]);
      assert.equal(run.code, 0, run.stderr);
      const pages = (await readdir(join(dir, "out", "docs"))).sort();
      assert.ok(pages.includes("index.md") && pages.includes("index-2.md") && pages.includes("then.md"), pages.join(" "));
      assert.match(await readFile(join(dir, "out", "docs", "index.md"), "utf8"), /^# QMP commands/);
      const js = join(dir, "js");
      await mkdir(js);
      await writeFile(join(js, "package.json"), '{ "type": "module" }\n');
      for (const name of ["index", "client", "validators"]) {
        const source = await readFile(join(dir, "out", `${name}.ts`), "utf8");
        const output = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } });
        await writeFile(join(js, `${name}.js`), output.outputText);
      }
      const imported = import(pathToFileURL(join(js, "index.js")).href) as Promise<Record<string, unknown>>;
      const settled = await Promise.race([imported, new Promise((resolve) => setTimeout(() => resolve("hung"), 10_000))]);
      assert.notEqual(settled, "hung", "await import() settles");
      const module = settled as Record<string, unknown>;
      assert.equal(module["then"], undefined);
      assert.equal(typeof module["then_2"], "function");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
