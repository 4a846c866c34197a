// The runtime's argument check: what the generated client validates and sends is one reading
// of the caller's object, and the version it checks for comes from the executor's greeting.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { blockdevBackup, type BlockdevBackupArguments } from "../../generated/index.js";
// From the package the generated client imports: one copy of ValidationError.
import { checkArguments, parseQemuVersion, prepareArguments, type QmpExecutor, ValidationError } from "qmp-hx-runtime";
import { qdictBucket } from "../../src/runtime/arguments.js";

const spec = [
  ["sync", "s"],
  ["device", "B"],
  ["target", "B"],
  ["speed", "i?"],
] as const;

describe("prepareArguments", () => {
  test("reads each value once and returns that snapshot for sending", () => {
    let reads = 0;
    const args = { device: "d", sync: "full", target: "t" };
    Object.defineProperty(args, "speed", { enumerable: true, get: () => (reads++ === 0 ? 5 : "changed") });
    const sent = prepareArguments("blockdev-backup", args, (wire) => checkArguments(spec, wire));
    assert.equal(reads, 1);
    assert.deepEqual(sent, { device: "d", sync: "full", target: "t", speed: 5 });
  });

  test("a getter that throws is a ValidationError naming its path, not a crash", () => {
    const args = Object.defineProperty({ device: "d" }, "sync", { enumerable: true, get: () => assert.fail("no") });
    assert.throws(
      () => prepareArguments("blockdev-backup", args, (wire) => checkArguments(spec, wire)),
      (error: unknown) => error instanceof ValidationError && error.issues[0]?.path === "arguments.sync" && error.issues[0].kind === "unencodable",
    );
  });
});

describe("the version a generated function validates for", () => {
  const executor = (major: number, minor: number): QmpExecutor & { sent: number } => ({
    sent: 0,
    version: { qemu: { major, minor, micro: 0 }, package: "" },
    execute() {
      this.sent++;
      return Promise.resolve({});
    },
  });

  test("is the executor's (the greeting's): 1.1 gets 1.1's classes, 2.7 GenericError", async () => {
    const args = { device: "d", sync: "full" } as unknown as BlockdevBackupArguments;
    for (const [major, minor, reply] of [
      [1, 1, { class: "MissingParameter", desc: "Parameter 'target' is missing", data: { name: "target" } }],
      [2, 7, { class: "GenericError", desc: "Parameter 'target' is missing" }],
    ] as const) {
      const qmp = executor(major, minor);
      const error = await blockdevBackup(qmp, args).then(() => assert.fail("accepted"), (failure: unknown) => failure);
      assert.ok(error instanceof ValidationError);
      assert.deepEqual(error.reply, reply);
      assert.equal(qmp.sent, 0);
    }
  });

  test("decides integers beyond int64: saturated up to 1.5, rejected from 1.6", async () => {
    // A bigint for an `i` argument (its type says number): what a caller past the types might send.
    const args = { device: "d", sync: "full", target: "t", speed: 2n ** 64n } as unknown as BlockdevBackupArguments;
    const old = executor(1, 5);
    assert.deepEqual(await blockdevBackup(old, args), {});
    assert.equal(old.sent, 1);
    await assert.rejects(blockdevBackup(executor(1, 6), args), ValidationError);
  });
});

test("QEMU versions are X.Y or X.Y.Z", () => {
  assert.deepEqual(parseQemuVersion("2.7"), [2, 7, 0]);
  assert.deepEqual(parseQemuVersion("1.1.0"), [1, 1, 0]);
  for (const bad of ["2", "2.7.0.1", "v2.7", "", "2.x"]) assert.throws(() => parseQemuVersion(bad), RangeError, bad);
  assert.throws(() => checkArguments(spec, {}, "latest"), RangeError);
});

test("QDict buckets: tdb_hash of the bytes QEMU holds, modulo 512", () => {
  // Verified against 2.7.0 and 1.1.0 by the differential test; fixed here so a change shows.
  assert.deepEqual(["device", "sync", "target", "speed", "bogus"].map(qdictBucket), [49, 318, 491, 259, 136]);
  assert.equal(qdictBucket("é"), 100);
  // `\u0000` adds no byte: QEMU 1.1.0 and 2.7.0 answer `Invalid parameter 'ab'` to the key "a\u0000b".
  assert.equal(qdictBucket("a\u0000b"), qdictBucket("ab"));
  for (const qemuVersion of ["1.1.0", "2.7.0"]) assert.equal(checkArguments(spec, { device: "d", sync: "s", target: "t", "a\u0000b": 1 }, qemuVersion)[0]?.message, "Invalid parameter 'ab'");
  // A lone surrogate's `\uXXXX` is the three bytes of its code unit to QEMU's parser.
  assert.deepEqual(["k\udc00", "\ud800", "😀"].map(qdictBucket), [358, 439, 445]);
});

describe("lone surrogates, noncharacters, NULs and characters beyond U+FFFF (verified on 1.1.0 and 2.7.0)", () => {
  const args = { device: "\ud800", sync: "a\udc00", target: "t", "k\udc00": 1, "x😀": 2 };
  const shown = (qemuVersion: string): string[] => checkArguments(spec, args, qemuVersion).map((issue) => issue.message);

  test("a string value with one passes the monitor: JSON writes `\\uXXXX`, every hx-era parser takes it", () => {
    for (const qemuVersion of ["1.1.0", "2.7.0"]) assert.deepEqual(checkArguments(spec, { device: "\ud800", sync: "a\udc00", target: "t" }, qemuVersion), []);
  });

  test("an unknown key is shown as sent up to 1.4, with U+FFFD for a lone surrogate from 1.5", () => {
    assert.deepEqual(shown("1.1.0"), ["Invalid parameter 'x\u07d8\uffff'", "Invalid parameter 'k\udc00'"]);
    assert.deepEqual(checkArguments(spec, args, "1.1.0")[0]?.data, { name: "x\u07d8\uffff" });
    assert.deepEqual(shown("1.4"), shown("1.1.0"));
    assert.deepEqual(shown("2.7.0"), ["Invalid parameter 'x😀'", "Invalid parameter 'k\ufffd'"]);
    // The issue's path names the key as the caller wrote it.
    assert.deepEqual(checkArguments(spec, args, "2.7.0").map((issue) => issue.path), ["arguments.x😀", "arguments.k\udc00"]);
  });

  test("from 1.5 a noncharacter in an unknown key is shown as U+FFFD; up to 1.4 as sent, or mangled beyond U+FFFF", () => {
    const noncharacters = { device: "d", sync: "s", target: "t", "k\ufdd0\uffff\u{1fffe}": 1 };
    assert.equal(checkArguments(spec, noncharacters, "2.7.0")[0]?.message, "Invalid parameter 'k\ufffd\ufffd\ufffd'");
    assert.equal(checkArguments(spec, noncharacters, "1.1.0")[0]?.message, "Invalid parameter 'k\ufdd0\uffff\u07ff\uffff'");
  });

  test("a NUL is dropped from a key: keys that then coincide are one, the first's place and the last's value", () => {
    const base = { device: "d", sync: "full", target: "t" };
    assert.deepEqual(checkArguments(spec, { ...base, "speed\u0000": "fast" }, "2.7.0")[0]?.message, "Invalid parameter type for 'speed', expected: int");
    assert.deepEqual(checkArguments(spec, { ...base, speed: "fast", "speed\u0000": 5 }, "2.7.0"), []);
    assert.deepEqual(checkArguments(spec, { ...base, speed: 5, "spe\u0000ed": "fast" }, "2.7.0")[0]?.message, "Invalid parameter type for 'speed', expected: int");
    // Up to 2.3 a null is a syntax error before the dict replaces it.
    assert.deepEqual(checkArguments(spec, { ...base, speed: null, "speed\u0000": 5 }, "1.1.0")[0]?.message, "Invalid JSON syntax");
  });

  test("the client still refuses to send one: later QEMUs answer it without an id", () => {
    assert.throws(
      () => prepareArguments("blockdev-backup", { device: "\ud800", sync: "full", target: "t" }, (wire) => checkArguments(spec, wire)),
      (error: unknown) => error instanceof ValidationError && error.issues[0]?.kind === "unencodable" && error.issues[0].path === "arguments.device",
    );
  });
});

