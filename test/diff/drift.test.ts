// `drift` without a real QEMU: the introspection decoder on inline SchemaInfo, and a scripted
// QMP server answering query-commands and query-qmp-schema (or not having the latter).
import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, it } from "node:test";
import { driftReport, readLiveSchema } from "../../src/compare/drift/drift.js";
import { IntrospectionError, schemaFromIntrospection } from "../../src/compare/drift/introspect.js";
import { parseSchema } from "../../src/frontend/hx/schema.js";
import { QmpClient } from "../../src/runtime/index.js";
import { writeFile } from "node:fs/promises";
import { runCli, withTempDir } from "../helpers.js";
import { FakeQmpServer } from "../runtime/fake-server.js";

// Numbered type names, as QEMU sends them; "default": null marks an optional member.
const introspection = [
  { name: "query-status", "meta-type": "command", "arg-type": "0", "ret-type": "1" },
  { name: "memsave", "meta-type": "command", "arg-type": "2", "ret-type": "0" },
  { name: "STOP", "meta-type": "event", "arg-type": "0" },
  { name: "0", "meta-type": "object", members: [] },
  { name: "1", "meta-type": "object", members: [{ name: "running", type: "bool" }, { name: "status", type: "3" }] },
  { name: "2", "meta-type": "object", members: [{ name: "val", type: "int" }, { name: "size", type: "int" }, { name: "filename", type: "str" }, { name: "cpu-index", type: "int", default: null }] },
  { name: "3", "meta-type": "enum", values: ["running", "paused"] },
  { name: "int", "meta-type": "builtin", "json-type": "int" },
  { name: "str", "meta-type": "builtin", "json-type": "string" },
  { name: "bool", "meta-type": "builtin", "json-type": "boolean" },
];

const bindings = parseSchema(
  ['    {\n        .name = "memsave",\n        .args_type = "val:l,size:i,filename:s,cpu:i?",\n    },\n', '    {\n        .name = "query-status",\n        .args_type = "",\n    },\n', '    {\n        .name = "gone",\n        .args_type = "",\n    },\n'].join("\n"),
  { file: "qmp-commands.hx" },
).schema;

describe("drift: reading a QEMU's introspection", () => {
  it("decodes commands, arguments (optional from a default), results and events", () => {
    const schema = schemaFromIntrospection(introspection, "QEMU");
    const memsave = schema.commands.find((command) => command.name === "memsave");
    assert.deepEqual(
      memsave?.args.map((arg) => [arg.name, arg.code, arg.optional]),
      [
        ["val", "l", false],
        ["size", "l", false],
        ["filename", "s", false],
        ["cpu-index", "l", true],
      ],
    );
    assert.deepEqual(schema.commands.find((command) => command.name === "query-status")?.result?.type, { kind: "named", name: "1" });
    assert.deepEqual(schema.types.find((type) => type.name === "3"), { kind: "enum", name: "3", description: "", location: { file: "QEMU", line: 0, column: 0 }, values: ["running", "paused"], valueDescriptions: ["", ""] });
    assert.deepEqual(schema.events.map((event) => event.name), ["STOP"]);
  });

  it("a reply of the wrong shape is an IntrospectionError naming the part", () => {
    assert.throws(() => schemaFromIntrospection({}, "QEMU"), IntrospectionError);
    assert.throws(() => schemaFromIntrospection([{ name: "x", "meta-type": "command", "arg-type": "9" }], "QEMU"), /type '9' is referred to but not defined/);
    assert.throws(() => schemaFromIntrospection([{ name: 1 }], "QEMU"), /entry 0 has no string 'name'/);
  });
});

async function driftAgainst(answers: { schema: boolean }) {
  const server = await FakeQmpServer.start();
  try {
    const connecting = QmpClient.connect({ ...server.address });
    const conn = await server.accept();
    conn.write(`${JSON.stringify({ QMP: { version: { qemu: { major: 2, minor: 7, micro: 0 }, package: "" }, capabilities: [] } })}\r\n`);
    await conn.negotiate();
    const qmp = await connecting;
    const reading = readLiveSchema(qmp, "fake.sock");
    const list = await conn.nextCommand();
    assert.equal(list.execute, "query-commands");
    conn.reply(list.id, [{ name: "memsave" }, { name: "query-status" }, { name: "quit" }]);
    const schemaQuery = await conn.nextCommand();
    assert.equal(schemaQuery.execute, "query-qmp-schema");
    if (answers.schema) conn.reply(schemaQuery.id, introspection);
    else conn.replyError(schemaQuery.id, "CommandNotFound", "The command query-qmp-schema has not been found");
    const live = await reading;
    await qmp.close();
    return { live, report: driftReport(bindings, { label: "qmp-commands.hx", version: undefined }, live) };
  } finally {
    await server.close();
  }
}

describe("drift: a scripted QEMU", () => {
  it("with introspection: commands, then arguments, phrased as calls that will fail", async () => {
    const { live, report } = await driftAgainst({ schema: true });
    assert.equal(live.introspected, true);
    assert.deepEqual(live.side.version, { value: "2.7.0", from: "greeting" });
    assert.deepEqual(
      report.changes.map((change) => [change.level, change.kind, change.name, change.argument ?? ""]),
      [
        ["breaking", "argument-removed", "memsave", "cpu"],
        ["compatible", "argument-added", "memsave", "cpu-index"],
        ["compatible", "command-added", "quit", ""],
        ["breaking", "command-removed", "gone", ""],
      ],
    );
    assert.match(report.changes[0]?.message ?? "", /; calling memsave with 'cpu' through these bindings will fail on this QEMU$/);
    assert.equal(report.changes[3]?.message, "not on this QEMU: calling gone through these bindings will fail on this QEMU (CommandNotFound)");
  });

  it("before 2.5 (no query-qmp-schema): command names only", async () => {
    const { live, report } = await driftAgainst({ schema: false });
    assert.equal(live.introspected, false);
    assert.deepEqual(
      report.changes.map((change) => [change.kind, change.name]),
      [
        ["command-added", "quit"],
        ["command-removed", "gone"],
      ],
    );
  });
});

describe("qmp-hx drift", () => {
  it("usage mistakes exit 2; no QEMU at the socket exits 1 with a message, no stack trace", async () => {
    await withTempDir(async (dir) => {
      assert.equal((await runCli(["drift", "qmp-commands.hx"])).code, 2);
      assert.equal((await runCli(["drift", "--socket", "a", "--tcp", "h:1", "x.hx"])).code, 2);
      const input = join(dir, "in.hx");
      await writeFile(input, '    {\n        .name = "quit",\n        .args_type = "",\n    },\n');
      const refused = await runCli(["drift", "--socket", join(dir, "none.sock"), input, "--timeout", "2000"]);
      assert.equal(refused.code, 1);
      assert.match(refused.stderr, /^qmp-hx drift: cannot talk QMP at .*none\.sock: /);
      assert.doesNotMatch(refused.stderr, /\n\s+at /);
    });
  });
});
