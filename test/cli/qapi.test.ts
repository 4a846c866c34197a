// `--qapi` and `--events` on the command line: parse, lint and generate with a small schema
// (or events document) written next to the golden fixture's command, and bad ones reported
// without a stack trace.
import assert from "node:assert/strict";
import { mkdir, readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, it } from "node:test";
import { fixturePath, runCli, withTempDir } from "../helpers.js";

/** A schema shaped like 2.2.50's, its types in an included file; `extra` adds members to the command. */
async function writeSchema(dir: string, extra = ""): Promise<string> {
  await mkdir(join(dir, "qapi"), { recursive: true });
  await writeFile(join(dir, "qapi-schema.json"), "# -*- Mode: Python -*-\n{ 'include': 'qapi/block-core.json' }\n");
  await writeFile(
    join(dir, "qapi", "block-core.json"),
    `{ 'enum': 'BlockdevOnError', 'data': ['report', 'ignore', 'enospc', 'stop'] }
{ 'enum': 'MirrorSyncMode', 'data': ['top', 'full', 'none'] }
{ 'type': 'BlockdevBackup',
  'data': { 'device': 'str', 'target': 'str', 'sync': 'MirrorSyncMode', '*speed': 'int',
            '*on-source-error': 'BlockdevOnError', '*on-target-error': 'BlockdevOnError'${extra} } }
{ 'command': 'blockdev-backup', 'data': 'BlockdevBackup' }
`,
  );
  return join(dir, "qapi-schema.json");
}

describe("qmp-hx --qapi", () => {
  it("parse puts QAPI's enum on the argument and the enum among the types", async () => {
    await withTempDir(async (dir) => {
      const result = await runCli(["parse", fixturePath, "--qapi", await writeSchema(dir)]);
      assert.equal(result.code, 0, result.stderr);
      const schema = JSON.parse(result.stdout) as { commands: { args: { name: string; type?: { type: unknown; origin: string } }[] }[]; types: { name: string }[] };
      const sync = schema.commands[0]?.args.find((arg) => arg.name === "sync");
      assert.deepEqual(sync?.type?.type, { kind: "named", name: "MirrorSyncMode" });
      assert.equal(sync?.type?.origin, "qapi");
      assert.deepEqual(schema.types.map((type) => type.name), ["BlockdevOnError", "MirrorSyncMode"]);
    });
  });

  it("lint reports a member the table lacks, with the QAPI location; the rule can be turned off", async () => {
    await withTempDir(async (dir) => {
      const qapi = await writeSchema(dir, ", '*bitmap': 'str'");
      const result = await runCli(["lint", fixturePath, "--qapi", qapi, "--rule", "missing-doc=off"]);
      assert.equal(result.code, 1, result.stdout);
      assert.match(result.stdout, /blockdev-backup\.hx:\d+:\d+: error: QAPI's 'blockdev-backup' at .*block-core\.json:5:\d+ takes optional 'bitmap', which the table's args_type .* lacks: the monitor rejects it \[qapi-argument-mismatch\]/);
      const off = await runCli(["lint", fixturePath, "--qapi", qapi, "--rule", "qapi-argument-mismatch=off", "--format", "json"]);
      assert.ok(!off.stdout.includes("qapi-argument-mismatch"));
      assert.match((await runCli(["lint", "--help"])).stdout, /qapi-argument-mismatch/);
    });
  });

  it("a broken schema or a missing include is a located error, exit 1, nothing written", async () => {
    await withTempDir(async (dir) => {
      await writeFile(join(dir, "broken.json"), "{ 'enum': 'E',\n  'data': [ 'a', 'b ] }\n");
      await writeFile(join(dir, "includes.json"), "{ 'include': 'nowhere/x.json' }\n");
      const out = join(dir, "out");
      const broken = await runCli(["generate", fixturePath, "--qapi", join(dir, "broken.json"), "--out", out]);
      assert.equal(broken.code, 1);
      assert.match(broken.stderr, /broken\.json:2:24: syntax error: unexpected end of line\n {2}expected: ''', a character of the string\n/);
      assert.doesNotMatch(broken.stderr, /\bat .*\.js:\d+/);
      const missing = await runCli(["lint", fixturePath, "--qapi", join(dir, "includes.json")]);
      assert.equal(missing.code, 1);
      assert.match(missing.stderr, /includes\.json:1:14: cannot read the included file '.*nowhere\/x\.json' \(ENOENT\)/);
      const absent = await runCli(["parse", fixturePath, "--qapi", join(dir, "absent.json")]);
      assert.equal(absent.code, 1);
      assert.match(absent.stderr, /absent\.json/);
      assert.deepEqual(await readdir(dir), ["broken.json", "includes.json"]);
    });
  });

  it("generate with --qapi writes the same files", async () => {
    await withTempDir(async (dir) => {
      const out = join(dir, "out");
      const result = await runCli(["generate", fixturePath, "--qapi", await writeSchema(dir), "--out", out]);
      assert.equal(result.code, 0, result.stderr);
      assert.deepEqual((await readdir(out)).sort(), [".qmp-hx-manifest", "client.ts", "docs", "index.ts", "validators.ts"]);
    });
  });
});

/** An events document in the style QEMU shipped, with one example whose data contradicts its Data list. */
const eventsDocument = `                   QEMU Machine Protocol Events
                   ============================

BLOCK_JOB_COMPLETED
-------------------

Emitted when a block job has completed.

Data:

- "device": Job identifier (json-string)
- "len":    Maximum progress value (json-int)

Example:

{ "event": "BLOCK_JOB_COMPLETED",
     "data": { "device": "virtio0", "len": "ten" },
     "timestamp": { "seconds": 1267061043, "microseconds": 959568 } }
`;

describe("qmp-hx --events", () => {
  it("lint checks the events document's examples against their data types, located in that document", async () => {
    await withTempDir(async (dir) => {
      const events = join(dir, "qmp-events.txt");
      await writeFile(events, eventsDocument);
      const result = await runCli(["lint", fixturePath, "--events", events, "--fail-on", "warning"]);
      assert.equal(result.code, 1, result.stdout + result.stderr);
      assert.match(result.stdout, /qmp-events\.txt:16:1: warning: an example of event 'BLOCK_JOB_COMPLETED' does not fit its documented data type: .*len.* \[example-reply-mismatch\]/);
      const without = await runCli(["lint", fixturePath, "--fail-on", "warning"]);
      assert.doesNotMatch(without.stdout, /BLOCK_JOB_COMPLETED/);
    });
  });

  it("parse puts the document's events into the model", async () => {
    await withTempDir(async (dir) => {
      const events = join(dir, "qmp-events.txt");
      await writeFile(events, eventsDocument);
      const result = await runCli(["parse", fixturePath, "--events", events]);
      assert.equal(result.code, 0, result.stderr);
      const schema = JSON.parse(result.stdout) as { events: { name: string }[] };
      assert.deepEqual(schema.events.map((event) => event.name), ["BLOCK_JOB_COMPLETED"]);
    });
  });

  it("refuses an empty file name for --events and --qapi as a usage error", async () => {
    for (const option of ["--events", "--qapi"]) {
      const result = await runCli(["lint", fixturePath, option, ""]);
      assert.equal(result.code, 2);
      assert.match(result.stderr, new RegExp(`${option}: expected a file name, got an empty one`));
      assert.doesNotMatch(result.stderr, /\n\s+at /);
    }
  });
});
