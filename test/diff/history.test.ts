// A version history across files: the first version that has each command and argument, in
// the model, the docs page and the JSDoc; `generate --history` and `diff A B C`.
import assert from "node:assert/strict";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, it } from "node:test";
import { withHistory } from "../../src/compare/diff/history.js";
import { sideOf } from "../../src/compare/diff/versions.js";
import { generateFiles } from "../../src/emit/generate.js";
import { parseSchema } from "../../src/frontend/hx/schema.js";
import { runCli, withTempDir } from "../helpers.js";

function entry(name: string, argsType: string): string {
  return `    {\n        .name       = "${name}",\n        .args_type  = "${argsType}",\n    },\n\n`;
}

const releases: [file: string, text: string][] = [
  ["qemu-1.0.hx", entry("stays", "id:s")],
  ["qemu-1.1.hx", entry("stays", "id:s,speed:i?") + entry("newer", "")],
  ["qemu-1.2.hx", entry("stays", "id:s,speed:i?,force:b?") + entry("newer", "")],
];

function history(versions: ReadonlyMap<string, string> = new Map()) {
  return withHistory(releases.map(([file, text]) => ({ schema: parseSchema(text, { file }).schema, side: sideOf(file, versions) })));
}

describe("history", () => {
  it("gives each command and argument of the newest file the first version that has it", () => {
    const schema = history();
    const stays = schema.commands.find((command) => command.name === "stays");
    assert.deepEqual(stays?.firstIn, { version: "1.0", from: "file name" });
    assert.deepEqual(
      stays?.args.map((arg) => [arg.name, arg.firstIn?.version]),
      [
        ["id", "1.0"],
        ["speed", "1.1"],
        ["force", "1.2"],
      ],
    );
    assert.deepEqual(schema.commands.find((command) => command.name === "newer")?.firstIn, { version: "1.1", from: "file name" });
  });

  it("says where a version came from: --version-of, the file name, or only the file", () => {
    assert.deepEqual(history(new Map([["qemu-1.0.hx", "0.99"]])).commands[0]?.firstIn, { version: "0.99", from: "option" });
    const unversioned = withHistory([{ schema: parseSchema(entry("a", ""), { file: "old.hx" }).schema, side: sideOf("old.hx", new Map()) }]);
    assert.deepEqual(unversioned.commands[0]?.firstIn, { version: "old.hx", from: "file" });
  });

  it("the page and the JSDoc show it", async () => {
    const files = new Map((await generateFiles(history())).map((file) => [file.path, file.content]));
    assert.match(files.get("docs/stays.md") ?? "", /^- First in: 1\.0 \(version from the file name\); arguments added later: speed in 1\.1, force in 1\.2$/m);
    const client = files.get("client.ts") ?? "";
    assert.match(client, / \* @since 1\.0 \(version from the file name\); arguments added later: speed in 1\.1, force in 1\.2\n/);
    assert.match(client, /First in 1\.2\.\n\s+\*\/\n\s+readonly force\?: boolean;/);
  });
});

describe("qmp-hx generate --history", () => {
  it("writes the history into the bindings", async () => {
    await withTempDir(async (dir) => {
      const paths = releases.map(([file]) => join(dir, file));
      for (const [index, [, text]] of releases.entries()) await writeFile(paths[index] ?? "", text);
      const [oldest, middle, newest] = paths as [string, string, string];
      const run = await runCli(["generate", newest, "--out", join(dir, "out"), "--history", oldest, "--history", middle, "--version-of", "qemu-1.0.hx=1.0.0"]);
      assert.equal(run.code, 0, run.stderr);
      assert.match(await readFile(join(dir, "out", "docs", "stays.md"), "utf8"), /First in: 1\.0\.0 \(version from --version-of\)/);
      const missing = await runCli(["generate", newest, "--out", join(dir, "out"), "--history", join(dir, "none.hx")]);
      assert.equal(missing.code, 1);
      assert.match(missing.stderr, /none\.hx/);
    });
  });
});
