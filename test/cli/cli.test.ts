// The qmp-hx command line, run as a user runs it: a child process.
import assert from "node:assert/strict";
import { copyFile, readFile, readdir, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, it } from "node:test";
import { parseCommand } from "../../src/cli/parse.js";
import { fixturePath, runCli, withTempDir } from "../helpers.js";

describe("qmp-hx generate", () => {
  it("writes client, validators, index and docs; a second run leaves every file untouched", async () => {
    await withTempDir(async (dir) => {
      const out = join(dir, "out");
      const first = await runCli(["generate", fixturePath, "--out", out]);
      assert.equal(first.code, 0, first.stderr);
      assert.deepEqual((await readdir(out)).sort(), [".qmp-hx-manifest", "client.ts", "docs", "index.ts", "validators.ts"]);
      assert.deepEqual((await readdir(join(out, "docs"))).sort(), ["blockdev-backup.md", "index.md", "sources.md"]);
      const before = (await stat(join(out, "client.ts"))).mtimeMs;
      await new Promise((resolve) => setTimeout(resolve, 20));
      const second = await runCli(["generate", fixturePath, "--out", out]);
      assert.match(second.stdout, /0 written, 7 unchanged, 0 removed/);
      assert.equal((await stat(join(out, "client.ts"))).mtimeMs, before);
    });
  });

  it("--check passes on fresh output and names stale files without writing", async () => {
    await withTempDir(async (dir) => {
      const out = join(dir, "out");
      assert.equal((await runCli(["generate", fixturePath, "-o", out])).code, 0);
      assert.equal((await runCli(["generate", fixturePath, "-o", out, "--check"])).code, 0);
      await writeFile(join(out, "client.ts"), "// edited by hand\n");
      const check = await runCli(["generate", fixturePath, "-o", out, "--check"]);
      assert.equal(check.code, 1);
      assert.match(check.stderr, /stale: .*client\.ts/);
      assert.equal(await readFile(join(out, "client.ts"), "utf8"), "// edited by hand\n");
    });
  });

  it("--check on a missing folder names every file", async () => {
    await withTempDir(async (dir) => {
      const check = await runCli(["generate", fixturePath, "-o", join(dir, "none"), "--check"]);
      assert.equal(check.code, 1);
      assert.match(check.stderr, /7 stale file/);
    });
  });

  it("removes pages of commands that are gone, and nothing it did not write", async () => {
    await withTempDir(async (dir) => {
      const input = join(dir, "in.hx");
      const out = join(dir, "out");
      const fixture = await readFile(fixturePath, "utf8");
      await writeFile(input, fixture + fixture.replaceAll("blockdev-backup", "other-backup").split("\n").slice(3).join("\n"));
      assert.equal((await runCli(["generate", input, "-o", out])).code, 0, "two commands");
      await writeFile(join(out, "docs", "mine.md"), "user file\n");
      await copyFile(fixturePath, input);
      const run = await runCli(["generate", input, "-o", out]);
      assert.match(run.stdout, /1 removed/);
      assert.deepEqual((await readdir(join(out, "docs"))).sort(), ["blockdev-backup.md", "index.md", "mine.md", "sources.md"]);
    });
  });

  it("reports bad input as file:line:column with a code frame, exit 1, nothing written", async () => {
    await withTempDir(async (dir) => {
      const input = join(dir, "bad.hx");
      await writeFile(input, '    {\n        .name = "x",\n        .args_type = "a:s,b:S",\n    },\n');
      const run = await runCli(["generate", input, "-o", join(dir, "out")]);
      assert.equal(run.code, 1);
      assert.match(run.stderr, new RegExp(`^${input.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:3:29: args_type code 'S' is HMP-only`));
      assert.match(run.stderr, /> 3 \|/);
      assert.doesNotMatch(run.stderr, /\n\s+at /, "no stack trace");
      await assert.rejects(readdir(join(dir, "out")));
    });
  });

  it("reports a folder given as input, and binary input with a short frame", async () => {
    await withTempDir(async (dir) => {
      const folder = await runCli(["generate", dir, "-o", join(dir, "out")]);
      assert.equal(folder.code, 1);
      assert.match(folder.stderr, /EISDIR/);
      assert.ok(folder.stderr.includes(dir));
      const binary = join(dir, "binary.hx");
      await writeFile(binary, Buffer.from([0x7f, 0x45, 0x4c, 0x46, ...Array.from({ length: 5000 }, (_, index) => index % 256)]));
      const run = await runCli(["generate", binary, "-o", join(dir, "out")]);
      assert.equal(run.code, 1);
      assert.match(run.stderr, /binary\.hx:\d+:\d+: invalid UTF-8 \(byte 0x80\)/);
      assert.ok(run.stderr.split("\n").every((line) => line.length < 1000), "the frame is clipped");
      await assert.rejects(readdir(join(dir, "out")));
    });
  });

  it("reports a missing input file and usage mistakes without a stack trace", async () => {
    const missing = await runCli(["generate", "/no/such/file.hx"]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /ENOENT|no such file/);
    const usage = await runCli(["generate"]);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /expected exactly one input file/);
    const unknownOption = await runCli(["generate", fixturePath, "--bogus"]);
    assert.equal(unknownOption.code, 2);
  });
});

describe("qmp-hx parse, help and version", () => {
  it("prints the model as JSON", async () => {
    const run = await runCli(["parse", fixturePath]);
    assert.equal(run.code, 0, run.stderr);
    const schema = JSON.parse(run.stdout) as { commands: { name: string; args: { name: string }[]; location: { line: number } }[] };
    assert.equal(schema.commands[0]?.name, "blockdev-backup");
    assert.equal(schema.commands[0]?.location.line, 5);
    assert.deepEqual(schema.commands[0]?.args.map((arg) => arg.name), ["sync", "device", "target", "speed", "on-source-error", "on-target-error"]);
  });

  it("writes a large model in pieces, each after the reader took the one before", async () => {
    await withTempDir(async (dir) => {
      const fixture = await readFile(fixturePath, "utf8");
      const input = join(dir, "many.hx");
      await writeFile(input, Array.from({ length: 200 }, (_, index) => fixture.replaceAll("blockdev-backup", `blockdev-backup-${index}`)).join("\n"));
      const pieces: string[] = [];
      let waits = 0;
      let piecesAtLastWait = 0;
      const io = {
        stdout: (text: string) => void pieces.push(text),
        stderr: (text: string) => assert.fail(text),
        stdoutDrained: async () => {
          waits++;
          assert.equal(pieces.length, piecesAtLastWait + 1, "one piece written per wait");
          piecesAtLastWait = pieces.length;
        },
      };
      assert.equal(await parseCommand.run([input], io), 0);
      assert.ok(waits >= 5, `waited ${waits} times`);
      const schema = JSON.parse(pieces.join("")) as { commands: unknown[] };
      assert.equal(schema.commands.length, 200);
    });
  });

  it("has --help for every command", async () => {
    const top = await runCli(["--help"]);
    assert.equal(top.code, 0);
    const names = [...top.stdout.matchAll(/^ {2}([a-z]+) {2,}/gm)].map((match) => match[1] ?? "");
    assert.ok(names.includes("generate") && names.includes("parse"), top.stdout);
    for (const name of names) {
      const help = await runCli([name, "--help"]);
      assert.equal(help.code, 0, name);
      assert.match(help.stdout, new RegExp(`^Usage: qmp-hx ${name}`));
    }
    assert.equal((await runCli(["frobnicate"])).code, 2);
    assert.match((await runCli(["--version"])).stdout, /^\d+\.\d+\.\d+\n$/);
  });
});
