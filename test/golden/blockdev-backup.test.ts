// The golden fixture: generated/ is exactly what the generator makes of it, and the generated
// client and validators behave as the issue demands.
import assert from "node:assert/strict";
import { readFile, readdir } from "node:fs/promises";
import { join, relative } from "node:path";
import { describe, it } from "node:test";
import { generateFiles, parseSchema } from "../../src/index.js";
import { validateArguments, validateBlockdevBackupArguments } from "../../generated/validators.js";
import { anyTypeUses, fixturePath, repoRoot } from "../helpers.js";

const generatedDir = join(repoRoot, "generated");

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split("\\").join("/"))
    .sort();
}

async function generateFixture() {
  const { schema } = parseSchema(await readFile(fixturePath, "utf8"), { file: "test/fixtures/blockdev-backup.hx" });
  return generateFiles(schema);
}

describe("golden: generated/ from test/fixtures/blockdev-backup.hx", () => {
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
      "readonly sync: string;",
      "readonly device: string;",
      "readonly target: string;",
      "readonly speed?: number;",
      'readonly "on-source-error"?: string;',
      'readonly "on-target-error"?: string;',
      "export function blockdevBackup(",
    ]) {
      assert.ok(client.includes(line), `client.ts lacks ${line}`);
    }
    assert.ok(client.includes("the name of the backup target device."), "JSDoc carries the argument's doc text");
    assert.deepEqual(anyTypeUses("client.ts", client), []);
    assert.deepEqual(anyTypeUses("validators.ts", await readFile(join(generatedDir, "validators.ts"), "utf8")), []);
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

describe("generated validators for blockdev-backup", () => {
  const example = { device: "src-id", sync: "full", target: "tgt-id" };

  it("accepts the doc example's arguments", () => {
    assert.deepEqual(validateBlockdevBackupArguments(example), []);
    assert.deepEqual(validateBlockdevBackupArguments({ ...example, speed: 0, "on-source-error": "stop" }), []);
    assert.deepEqual(validateBlockdevBackupArguments({ ...example, speed: 2n ** 63n - 1n }), []);
  });

  it("reports a missing target", () => {
    assert.deepEqual(validateBlockdevBackupArguments({ device: "a", sync: "full" }), [
      { path: "arguments.target", class: "MissingParameter", message: "Parameter 'target' is missing" },
    ]);
  });

  it("reports a speed of the wrong type", () => {
    assert.deepEqual(validateBlockdevBackupArguments({ ...example, speed: "fast" }), [
      { path: "arguments.speed", class: "InvalidParameterType", message: "Invalid parameter type for 'speed', expected: int" },
    ]);
    assert.equal(validateBlockdevBackupArguments({ ...example, speed: 1.5 })[0]?.class, "InvalidParameterType");
  });

  it("reports an unknown key", () => {
    assert.deepEqual(validateBlockdevBackupArguments({ ...example, bogus: 1 }), [
      { path: "arguments.bogus", class: "InvalidParameter", message: "Invalid parameter 'bogus'" },
    ]);
  });

  it("reports all three at once, in QEMU's order", () => {
    const issues = validateBlockdevBackupArguments({ bogus: true, device: "a", sync: "full", speed: "fast" });
    assert.deepEqual(
      issues.map((issue) => [issue.class, issue.path]),
      [
        ["MissingParameter", "arguments.target"],
        ["InvalidParameter", "arguments.bogus"],
        ["InvalidParameterType", "arguments.speed"],
      ],
    );
  });

  it("rejects arguments that are not an object, and dispatches by wire name", () => {
    assert.equal(validateBlockdevBackupArguments([])[0]?.class, "QMPBadInputObjectMember");
    assert.equal(validateBlockdevBackupArguments("x")[0]?.class, "QMPBadInputObjectMember");
    assert.deepEqual(validateArguments("blockdev-backup", example), []);
    assert.equal(validateArguments("no-such-command", {})[0]?.class, "CommandNotFound");
  });
});
