// The golden fixture: generated/ is exactly what the generator makes of it, and the generated
// client and validators behave as the issue demands.
import assert from "node:assert/strict";
import { readFile, readdir } from "node:fs/promises";
import { join, relative } from "node:path";
import { describe, it } from "node:test";
import { enrichWithQapi, generateFiles, loadQapiSchema, parseSchema } from "../../src/index.js";
import { targetQemuVersion, validateArguments, validateBlockdevBackupArguments } from "../../generated/validators.js";
import { anyTypeUses, fixturePath, fixtureQapiPath, repoRoot } from "../helpers.js";

const generatedDir = join(repoRoot, "generated");

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split("\\").join("/"))
    .sort();
}

/** As `npm run generate` makes it: the fixture with its QAPI fragment, paths as given from the repo root. */
async function generateFixture(withQapi = true) {
  const parsed = parseSchema(await readFile(fixturePath, "utf8"), { file: "test/fixtures/blockdev-backup.hx" });
  const readFromRepo = (path: string) => readFile(join(repoRoot, path), "utf8");
  const { schema } = withQapi ? enrichWithQapi(parsed, await loadQapiSchema(relative(repoRoot, fixtureQapiPath), readFromRepo)) : parsed;
  return generateFiles(schema);
}

describe("golden: generated/ from test/fixtures/blockdev-backup.hx and its QAPI fragment", () => {
  it("is byte-identical to a fresh generation, file for file", async () => {
    const files = await generateFixture();
    const committed = (await listFiles(generatedDir)).filter((path) => path !== ".qmp-hx-manifest" && path !== "tsconfig.json");
    assert.deepEqual(committed, files.map((file) => file.path));
    for (const file of files) {
      assert.equal(await readFile(join(generatedDir, file.path), "utf8"), file.content, `${file.path} differs`);
    }
  });

  it("is deterministic: two runs give the same bytes", async () => {
    assert.deepEqual(await generateFixture(), await generateFixture());
  });

  it("types the client as the issue says", async () => {
    const client = await readFile(join(generatedDir, "client.ts"), "utf8");
    for (const line of [
      'export type BlockdevOnError = "report" | "ignore" | "enospc" | "stop";',
      'export type MirrorSyncMode = "top" | "full" | "none";',
      "readonly sync: MirrorSyncMode;",
      "readonly device: string;",
      "readonly target: string;",
      "readonly speed?: number;",
      'readonly "on-source-error"?: BlockdevOnError;',
      'readonly "on-target-error"?: BlockdevOnError;',
      "export function blockdevBackup(",
      "): Promise<BlockdevBackupResult> {",
      "export type BlockdevBackupResult = Record<string, never>;",
    ]) {
      assert.ok(client.includes(line), `client.ts lacks ${line}`);
    }
    assert.ok(client.includes("the name of the backup target device."), "JSDoc carries the argument's doc text");
    assert.deepEqual(anyTypeUses("client.ts", client), []);
    assert.deepEqual(anyTypeUses("validators.ts", await readFile(join(generatedDir, "validators.ts"), "utf8")), []);
  });

  it("types sync from the docs alone as the union of its documented values", async () => {
    const client = (await generateFixture(false)).find((file) => file.path === "client.ts")?.content ?? "";
    assert.ok(client.includes('readonly sync: "full" | "top" | "none";'), "sync is a union of the values the doc lists");
    // The doc of on-source-error names two values as examples, not a complete list: args_type decides.
    assert.ok(client.includes('readonly "on-source-error"?: string;'));
  });

  it("documents the six arguments, the example and the usage", async () => {
    const page = await readFile(join(generatedDir, "docs", "blockdev-backup.md"), "utf8");
    for (const name of ["sync", "device", "target", "speed", "on-source-error", "on-target-error"]) {
      assert.match(page, new RegExp("\\| `" + name + "` +\\|"));
    }
    assert.match(page, /"execute": "blockdev-backup"/);
    assert.match(page, /## Usage\n\n```ts\nimport \{ blockdevBackup \} from/);
    assert.match(await readFile(join(generatedDir, "docs", "sources.md"), "utf8"), /\[blockdev-backup\]\(blockdev-backup\.md\): `blockdev-backup\.hx:5`/);
    const index = await readFile(join(generatedDir, "docs", "index.md"), "utf8");
    assert.match(index, /\[blockdev-backup\]\(blockdev-backup\.md\)/);
  });
});

describe("generated validators for blockdev-backup, as QEMU 2.7.0's monitor (the default target)", () => {
  const example = { device: "src-id", sync: "full", target: "tgt-id" };

  it("hold for QEMU 2.7.0 unless a call names another version", () => {
    assert.equal(targetQemuVersion, "2.7.0");
  });

  it("accepts the doc example's arguments", () => {
    assert.deepEqual(validateBlockdevBackupArguments(example), []);
    assert.deepEqual(validateBlockdevBackupArguments({ ...example, speed: 0, "on-source-error": "stop" }), []);
    assert.deepEqual(validateBlockdevBackupArguments({ ...example, speed: 2n ** 63n - 1n }), []);
    assert.deepEqual(validateBlockdevBackupArguments({ ...example, speed: -(2n ** 63n) }), []);
  });

  it("reports a missing target as 2.7 did: GenericError, no data", () => {
    assert.deepEqual(validateBlockdevBackupArguments({ device: "a", sync: "full" }), [
      { path: "arguments.target", kind: "missing", class: "GenericError", message: "Parameter 'target' is missing" },
    ]);
  });

  it("reports a speed of the wrong type, and integers QEMU's parser makes floats", () => {
    const wrongSpeed = { path: "arguments.speed", kind: "wrong-type", class: "GenericError", message: "Invalid parameter type for 'speed', expected: int" };
    assert.deepEqual(validateBlockdevBackupArguments({ ...example, speed: "fast" }), [wrongSpeed]);
    // 1.5, 1e21 (written 1e+21), 2**63 and -(2**63) (written 9223372036854775808 and
    // -9223372036854776000: digit strings beyond int64) and 2n**63n are floats to 2.7.
    for (const speed of [1.5, 1e21, 2 ** 63, -(2 ** 63), 2n ** 63n]) assert.deepEqual(validateBlockdevBackupArguments({ ...example, speed }), [wrongSpeed], String(speed));
  });

  it("reports an unknown key", () => {
    assert.deepEqual(validateBlockdevBackupArguments({ ...example, bogus: 1 }), [
      { path: "arguments.bogus", kind: "unknown", class: "GenericError", message: "Invalid parameter 'bogus'" },
    ]);
  });

  it("orders every issue as QEMU's hash tables do: missing first, then the keys in bucket order", () => {
    // Buckets (tdb_hash % 512): device 49, sync 318, target 491; bogus 136, speed 259, zz 321.
    const issues = validateBlockdevBackupArguments({ zz: 1, speed: "fast", bogus: true });
    assert.deepEqual(
      issues.map((issue) => issue.path),
      ["arguments.device", "arguments.sync", "arguments.target", "arguments.bogus", "arguments.speed", "arguments.zz"],
    );
  });

  it("judges what is sent: own enumerable properties, toJSON and boxed values as JSON.stringify; throwing getters named", () => {
    assert.deepEqual(validateBlockdevBackupArguments(Object.create(example) as unknown).map((issue) => issue.kind), ["missing", "missing", "missing"]);
    // A non-enumerable property is not written either.
    const hidden = Object.defineProperty({ device: "d", target: "t" }, "sync", { value: "full", enumerable: false });
    assert.deepEqual(validateBlockdevBackupArguments(hidden).map((issue) => issue.path), ["arguments.sync"]);
    assert.deepEqual(validateBlockdevBackupArguments({ ...example, speed: new Number(5), device: { toJSON: () => "d" } }), []);
    const throwing = Object.defineProperty({ ...example }, "speed", { enumerable: true, get: () => assert.fail("boom") });
    assert.deepEqual(validateBlockdevBackupArguments(throwing).map((issue) => [issue.path, issue.kind]), [["arguments.speed", "unencodable"]]);
    assert.deepEqual(validateBlockdevBackupArguments({ ...example, speed: Number.NaN }).map((issue) => issue.kind), ["unencodable"]);
  });

  it("rejects arguments that are not an object, and dispatches by wire name", () => {
    assert.equal(validateBlockdevBackupArguments([])[0]?.kind, "not-object");
    assert.equal(validateBlockdevBackupArguments("x")[0]?.message, "QMP input object member 'arguments' expects 'object'");
    assert.deepEqual(validateArguments("blockdev-backup", example), []);
    assert.deepEqual(validateArguments("no-such-command", {}), [
      { path: "execute", kind: "command-not-found", class: "CommandNotFound", message: "The command no-such-command has not been found" },
    ]);
    // QEMU 1.1.0 and 2.7.0 drop a NUL from a command's name: qom-li\u0000st runs qom-list.
    assert.deepEqual(validateArguments("blockdev-\u0000backup", { ...example, bogus: 1 }), validateArguments("blockdev-backup", { ...example, bogus: 1 }));
    assert.equal(validateArguments("no-such\u0000-command", {})[0]?.message, "The command no-such-command has not been found");
  });
});

describe("the same validators as QEMU 1.1.0's monitor ({ qemuVersion: '1.1.0' })", () => {
  const v11 = { qemuVersion: "1.1.0" };
  const example = { device: "src-id", sync: "full", target: "tgt-id" };

  it("reports the classes of 1.1 and before, with their data", () => {
    assert.deepEqual(validateBlockdevBackupArguments({ device: "a", sync: "full", speed: "fast", bogus: 1 }, v11), [
      { path: "arguments.target", kind: "missing", class: "MissingParameter", message: "Parameter 'target' is missing", data: { name: "target" } },
      { path: "arguments.bogus", kind: "unknown", class: "InvalidParameter", message: "Invalid parameter 'bogus'", data: { name: "bogus" } },
      {
        path: "arguments.speed",
        kind: "wrong-type",
        class: "InvalidParameterType",
        message: "Invalid parameter type for 'speed', expected: int",
        data: { name: "speed", expected: "int" },
      },
    ]);
    assert.deepEqual(validateBlockdevBackupArguments([], v11)[0]?.data, { member: "arguments", expected: "object" });
    assert.deepEqual(validateArguments("no-such-command", {}, v11)[0]?.data, { name: "no-such-command" });
  });

  it("lets a digit string beyond int64 through (1.1 saturates it) but not a float", () => {
    assert.deepEqual(validateBlockdevBackupArguments({ ...example, speed: 2n ** 64n }, v11), []);
    assert.deepEqual(validateBlockdevBackupArguments({ ...example, speed: 2 ** 63 }, v11), []);
    assert.equal(validateBlockdevBackupArguments({ ...example, speed: 1e21 }, v11)[0]?.class, "InvalidParameterType");
  });

  it("makes a null anywhere a JSON syntax error for the whole command", () => {
    const issues = validateBlockdevBackupArguments({ ...example, bogus: [1, null] }, v11);
    assert.deepEqual(issues[0], { path: "arguments.bogus[1]", kind: "json-syntax", class: "JSONParsing", message: "Invalid JSON syntax", data: {} });
  });
});
