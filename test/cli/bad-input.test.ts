// Hostile and wrong input files (issue 10): each gives a located error, exit 1, no stack trace
// and nothing written; run as a user runs qmp-hx, in a child process.
import assert from "node:assert/strict";
import { readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, it } from "node:test";
import { runCli, withTempDir } from "../helpers.js";

const entry = (name: string): string => `    {\n        .name = "${name}",\n        .args_type = "",\n        .mhandler.cmd_new = qmp_marshal_x,\n    },\n`;

/** Generates from `content`; asserts the located error and that nothing was written. */
async function assertRejected(fileName: string, content: string | Buffer, expected: RegExp): Promise<string> {
  return withTempDir(async (dir) => {
    const input = join(dir, fileName);
    await writeFile(input, content);
    const run = await runCli(["generate", input, "--out", join(dir, "out")]);
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, expected);
    assert.doesNotMatch(run.stderr, /internal error|\n\s+at /, "no stack trace");
    await assert.rejects(readdir(join(dir, "out")), "nothing written");
    return run.stderr;
  });
}

describe("bad input never crashes", () => {
  it("JSON examples nested 5,000 deep", async () => {
    const deep = "[".repeat(5000) + "]".repeat(5000);
    await assertRejected("deep.hx", `${entry("foo")}\nSQMP\nfoo\n---\n\nExample:\n\n-> { "execute": "foo", "arguments": { "a": ${deep} } }\n\nEQMP\n`, /deep\.hx:13:\d+: JSON nested more than 256 levels deep/);
  });

  it("an #if with 2,000 nested parentheses", async () => {
    const stderr = await assertRejected("parens.hx", `#if ${"(".repeat(2000)}defined(A)${")".repeat(2000)}\n${entry("foo")}#endif\n`, /parens\.hx:1:\d+: #if expression nested more than 256 levels deep/);
    assert.doesNotMatch(stderr, /#endif without/, "the bad #if still opens a block");
  });

  it("an #if with 10,000 '!'", async () => {
    await assertRejected("nots.hx", `#if ${"!".repeat(10_000)}defined(A)\n${entry("foo")}#endif\n`, /nots\.hx:1:\d+: #if expression nested more than 256 levels deep/);
  });

  it("a QAPI schema", async () => {
    await assertRejected("qapi-schema.json", "{ 'command': 'query-status', 'returns': 'StatusInfo' }\n{ 'enum': 'RunState', 'data': [ 'running' ] }\n", /qapi-schema\.json:1:1: no QMP command found: expected a qmp-commands\.hx/);
  });

  it("/etc/passwd", async () => {
    await assertRejected("passwd", "root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n", /passwd:1:1: no QMP command found/);
  });

  it("CR-only line endings", async () => {
    await assertRejected("mac.hx", entry("foo").replaceAll("\n", "\r"), /mac\.hx:1:6: lines end with a lone CR \(classic Mac OS\): expected LF or CR LF/);
  });

  it("invalid UTF-8 in a name is located, not read as U+FFFD", async () => {
    const bytes = Buffer.concat([Buffer.from(entry("query-é").split("é")[0] ?? ""), Buffer.from([0xc3, 0x28]), Buffer.from(entry("query-é").split("é")[1] ?? "")]);
    await assertRejected("latin.hx", bytes, /latin\.hx:2:24: invalid UTF-8 \(byte 0xc3\): expected a UTF-8 text file/);
  });
});
