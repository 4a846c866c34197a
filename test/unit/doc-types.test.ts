// Types read from SQMP doc text (Returns, value lists, nested items, example replies), on
// small inline .hx snippets.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseSchema } from "../../src/index.js";
import type { Command, DataType } from "../../src/model/types.js";
import { summaryOf } from "../../src/emit/common.js";

function command(name: string, argsType: string, doc: string): string {
  return `    {\n        .name = "${name}",\n        .args_type = "${argsType}",\n    },\n\nSQMP\n${name}\n${"-".repeat(name.length)}\n\n${doc}\nEQMP\n\n`;
}

function build(text: string) {
  return parseSchema(text, { file: "t.hx" });
}

function commandOf(text: string, name: string): Command {
  const found = build(text).schema.commands.find((candidate) => candidate.name === name);
  assert.ok(found, `command ${name}`);
  return found;
}

/** A DataType without locations, for deepEqual. */
function shape(type: DataType | undefined): unknown {
  return JSON.parse(JSON.stringify(type, (key, value: unknown) => (key === "location" || key === "description" ? undefined : value)));
}

const queryStatus = command(
  "query-status",
  "",
  `Return a json-object with the following information:

- "running": true if the VM is running (json-bool)
- "status": one of the following values (json-string)
    "debug" - QEMU is running on a debugger
    "paused" - guest has been paused via the 'stop' command
- "name": VM name, only present if set (json-string)

Example:

-> { "execute": "query-status" }
<- { "return": { "running": true, "status": "running" } }
`,
);

describe("results from the Returns section", () => {
  it("reads a member list with JSON types, a value list and members only present sometimes", () => {
    const { result } = commandOf(queryStatus, "query-status");
    assert.equal(result?.origin, "docs");
    assert.deepEqual(shape(result?.type), {
      kind: "object",
      open: false,
      members: [
        { name: "running", type: { kind: "boolean" }, optional: false },
        { name: "status", type: { kind: "enum", values: ["debug", "paused"] }, optional: false },
        { name: "name", type: { kind: "string" }, optional: true },
      ],
    });
  });

  it("reads 'Each json-object contains' as an array, with nested objects and arrays of strings", () => {
    const text = command(
      "query-things",
      "",
      `Each thing is represented by a json-object, the returned value is a json-array
of all things.

Each json-object contain:

- "name": thing's name (json-string)
- "size": bytes (json-int)
- "inner": a json-object containing:
    - "ok": flag (json-bool)
- "tags": a json-array of tag strings
`,
    );
    assert.deepEqual(shape(commandOf(text, "query-things").result?.type), {
      kind: "array",
      element: {
        kind: "object",
        open: false,
        members: [
          { name: "name", type: { kind: "string" }, optional: false },
          { name: "size", type: { kind: "integer", int64: true }, optional: false },
          { name: "inner", type: { kind: "object", open: false, members: [{ name: "ok", type: { kind: "boolean" }, optional: false }] }, optional: false },
          { name: "tags", type: { kind: "array", element: { kind: "string" } }, optional: false },
        ],
      },
    });
  });

  it("types 'Nothing on success' as the closed empty object", () => {
    const text = command("set-thing", "", "Set a thing.\n\nReturns: Nothing on success\n");
    assert.deepEqual(shape(commandOf(text, "set-thing").result?.type), { kind: "object", members: [], open: false });
  });

  it("falls back to the example replies, merged, and says so", () => {
    const text = command(
      "query-job",
      "",
      `Query the job.

Example (1):

-> { "execute": "query-job" }
<- { "return": { "status": "active", "done": 10 } }

Example (2):

-> { "execute": "query-job" }
<- { "return": { "status": "failed" } }
`,
    );
    const { result } = commandOf(text, "query-job");
    assert.equal(result?.origin, "example");
    assert.equal(result?.location.line, 15);
    assert.deepEqual(shape(result?.type), {
      kind: "object",
      open: true,
      members: [
        { name: "status", type: { kind: "string" }, optional: false },
        { name: "done", type: { kind: "integer", int64: true }, optional: true },
      ],
    });
  });

  it("ignores replies to other commands in the example and leaves undocumented results undefined", () => {
    const other = command("do-it", "", `Do it.\n\nExample:\n\n-> { "execute": "query-other" }\n<- { "return": [ 1 ] }\n`);
    assert.equal(commandOf(other, "do-it").result, undefined);
    const bare = `    {\n        .name = "bare",\n        .args_type = "",\n    },\n`;
    assert.equal(commandOf(bare, "bare").result, undefined);
  });
});

describe("argument types from the docs", () => {
  it("makes a complete value list of a string argument an enum, merging the lists documented for one type name", () => {
    const text =
      command("backup-a", "sync:s", `Back up.\n\nArguments:\n\n- "sync": what to copy; possibilities include "full" for all or "none" (MirrorSyncMode).\n`) +
      command("backup-b", "sync:s,speed:i?", `Back up.\n\nArguments:\n\n- "sync": what to copy (MirrorSyncMode)\n- "speed": the speed (json-int, optional)\n`) +
      command("backup-c", "sync:s", `Back up.\n\nArguments:\n\n- "sync": what to copy, possibilities include "full" or "top" (MirrorSyncMode).\n`);
    const syncOf = (name: string) => shape(commandOf(text, name).args.find((arg) => arg.name === "sync")?.type?.type);
    assert.deepEqual(syncOf("backup-a"), { kind: "enum", values: ["full", "none", "top"] });
    assert.deepEqual(syncOf("backup-b"), { kind: "enum", values: ["full", "none", "top"] });
    assert.equal(commandOf(text, "backup-b").args.find((arg) => arg.name === "speed")?.type, undefined);
  });

  it("keeps the code's type and reports a value list on an argument that takes no string", () => {
    const text = command("set-level", "level:i", `Set.\n\nArguments:\n\n- "level": one of "low", "high" (json-int)\n`);
    const result = build(text);
    assert.equal(result.schema.commands[0]?.args[0]?.type, undefined);
    const notice = result.notices.find((candidate) => candidate.rule === "doc-values-contradict-args-type");
    assert.ok(notice, "a notice");
    assert.equal(notice.location.line, 14);
  });

  it("types transaction's actions as a union on type, members the example omits optional", () => {
    const text = command(
      "transaction",
      "actions:q",
      `Do several things.

Arguments:

actions array:
    - "type": the operation to perform (json-string).  Possible
              values: "snap", "internal", "abort"
    - "data": a dictionary.  The contents depend on the value
      of "type".  When "type" is "snap":
      - "device": device name (json-string)
      - "node-name": node name (json-string)
      - "file": new image (json-string)
      When "type" is "internal":
      - "name": snapshot name (json-string)

Example:

-> { "execute": "transaction", "arguments": { "actions": [
     { "type": "snap", "data": { "device": "hd0", "file": "/x" } } ] } }
<- { "return": {} }
`,
    );
    const actions = commandOf(text, "transaction").args[0]?.type?.type;
    const member = (name: string, type: unknown, optional = false) => ({ name, type, optional });
    assert.deepEqual(shape(actions), {
      kind: "array",
      element: {
        kind: "union",
        variants: [
          {
            kind: "object",
            open: false,
            members: [
              member("type", { kind: "enum", values: ["snap"] }),
              member("data", {
                kind: "object",
                open: false,
                members: [member("device", { kind: "string" }), member("node-name", { kind: "string" }, true), member("file", { kind: "string" })],
              }),
            ],
          },
          {
            kind: "object",
            open: false,
            members: [member("type", { kind: "enum", values: ["internal"] }), member("data", { kind: "object", open: false, members: [member("name", { kind: "string" })] })],
          },
          {
            kind: "object",
            open: false,
            members: [member("type", { kind: "enum", values: ["abort"] }), member("data", { kind: "object", open: true, members: [] })],
          },
        ],
      },
    });
  });

  it("keeps an O command's documented properties required as documented unless an example leaves one out, and a documented O argument as a key", () => {
    const text =
      command("netdev_add", "netdev:O", `Add a host network device.\n\nArguments:\n\n- "type": the device type (json-string)\n- "id": the device's ID (json-string)\n- "script": a script (json-string, optional)\n`) +
      command("send-key", "keys:O,hold-time:i?", `Send keys.\n\nArguments:\n\nkeys array:\n    - "key": key sequence\n\n- hold-time: delay (json-int, optional)\n\nExample:\n\n-> { "execute": "send-key", "arguments": { "keys": [ { "type": "qcode", "data": "ctrl" } ] } }\n<- { "return": {} }\n`);
    const result = build(text);
    const netdev = result.schema.commands.find((candidate) => candidate.name === "netdev_add");
    assert.deepEqual(netdev?.args.filter((arg) => arg.source === "doc").map((arg) => [arg.name, arg.optional]), [
      ["type", false],
      ["id", false],
      ["script", true],
    ]);
    const keys = result.schema.commands.find((candidate) => candidate.name === "send-key")?.args.find((arg) => arg.name === "keys");
    assert.equal(keys?.doc?.name, "keys");
    // A property the doc's own example leaves out is optional, however the list reads (RHEL 6's drive_add).
    const driveAdd = build(
      command("drive_add", "opts:O", `Add a drive.

Arguments:

- "id": Drive ID (json-string)
- "bps": total throughput limit

Example:

-> { "execute": "drive_add", "arguments": { "id": "foo" } }
<- { "return": {} }
`),
    ).schema.commands.find((candidate) => candidate.name === "drive_add");
    assert.deepEqual(driveAdd?.args.filter((arg) => arg.source === "doc").map((arg) => [arg.name, arg.optional]), [
      ["id", false],
      ["bps", true],
    ]);
    // The documented shape ({ key }) does not fit the doc's own example: no narrowing, a finding.
    assert.equal(keys?.type, undefined);
    assert.equal(result.notices.filter((notice) => notice.rule === "doc-type-contradicts-example").length, 1);
  });
});

describe("doc text that was lost or misread", () => {
  it("reads a Since line below the title as the version and keeps the description after it", () => {
    const withColon = commandOf(command("change-backing-file", "", "Since: 2.1\n\nChange the backing file.\n"), "change-backing-file");
    assert.equal(withColon.doc?.since, "2.1");
    assert.deepEqual(withColon.doc?.description.map((paragraph) => (paragraph.kind === "text" ? paragraph.text : "")), ["Change the backing file."]);
    const bare = commandOf(command("block-dirty-bitmap-add", "", "Since 2.4\n\nCreate a dirty bitmap.\n"), "block-dirty-bitmap-add");
    assert.equal(bare.doc?.since, "2.4");
    assert.equal(summaryOf(bare), "Create a dirty bitmap.");
  });

  it("describes a query command by its Returns opening and a command titled by a sentence by its title", () => {
    const query = commandOf(command("query-fdsets", "", "Return information describing all fd sets.\n\nExample:\n\n-> { \"execute\": \"query-fdsets\" }\n<- { \"return\": [] }\n"), "query-fdsets");
    assert.equal(query.doc?.description.length, 0);
    assert.equal(summaryOf(query), "Return information describing all fd sets.");
    const sentence = `    {\n        .name = "query-rocker",\n        .args_type = "name:s",\n    },\n\nSQMP\nShow rocker switch\n------------------\n\nExample:\n\n-> { "execute": "query-rocker", "arguments": { "name": "sw1" } }\n<- { "return": {} }\nEQMP\n`;
    assert.equal(summaryOf(commandOf(sentence, "query-rocker")), "Show rocker switch");
  });
});
