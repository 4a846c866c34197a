// The generated client's types: calls the issue says must not compile do not, and generated
// code passes tsc --strict. Uses the TypeScript compiler API on snippets beside generated/.
import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, it } from "node:test";
import { repoRoot, typeCheck } from "../helpers.js";

const snippetPath = join(repoRoot, "test", "__snippet__.ts");

function diagnosticsOf(code: string): string[] {
  return typeCheck([snippetPath], new Map([[snippetPath, code]]));
}

const prelude = `import { blockdevBackup, execute } from "../generated/index.js";
import type { QmpExecutor } from "qmp-hx-runtime";
declare const qmp: QmpExecutor;
void [blockdevBackup, execute];
`;

describe("generated client types", () => {
  it("accepts a correct call, with and without options", () => {
    assert.deepEqual(
      diagnosticsOf(
        prelude +
          `void blockdevBackup(qmp, { device: "a", target: "b", sync: "full", speed: 1 });
void blockdevBackup(qmp, { device: "a", target: "b", sync: "full", "on-source-error": "stop" }, { validate: false, timeout: 5 });
void execute(qmp, "blockdev-backup", { device: "a", target: "b", sync: "full" });`,
      ),
      [],
    );
  });

  it("rejects a call without target", () => {
    const diagnostics = diagnosticsOf(prelude + `void blockdevBackup(qmp, { device: "a", sync: "full" });`);
    assert.equal(diagnostics.length, 1);
    assert.match(diagnostics[0] ?? "", /Property 'target' is missing/);
  });

  it("rejects speed: \"fast\"", () => {
    const diagnostics = diagnosticsOf(prelude + `void blockdevBackup(qmp, { device: "a", target: "b", sync: "full", speed: "fast" });`);
    assert.equal(diagnostics.length, 1);
    assert.match(diagnostics[0] ?? "", /Type 'string' is not assignable to type 'number'/);
  });

  it("rejects sync and on-source-error values outside their QAPI enums, and types the documented-empty result", () => {
    const diagnostics = diagnosticsOf(prelude + `void blockdevBackup(qmp, { device: "a", target: "b", sync: "fulll" });`);
    assert.equal(diagnostics.length, 1);
    assert.match(diagnostics[0] ?? "", /Type '"fulll"' is not assignable to type 'MirrorSyncMode'/);
    const onError = diagnosticsOf(prelude + `void blockdevBackup(qmp, { device: "a", target: "b", sync: "full", "on-source-error": "halt" });`);
    assert.equal(onError.length, 1);
    assert.match(onError[0] ?? "", /Type '"halt"' is not assignable to type 'BlockdevOnError'/);
    const result = `export async function f(): Promise<Record<string, never>> { return blockdevBackup(qmp, { device: "a", target: "b", sync: "top" }); }`;
    assert.deepEqual(diagnosticsOf(prelude + result), []);
    assert.equal(diagnosticsOf(prelude + `export async function f(): Promise<string> { return (await execute(qmp, "blockdev-backup", { device: "a", target: "b", sync: "top" })).x; }`).length, 1);
  });

  it("rejects an unknown command and wrong arguments in execute", () => {
    assert.equal(diagnosticsOf(prelude + `void execute(qmp, "no-such-command", {});`).length, 1);
    assert.equal(diagnosticsOf(prelude + `void execute(qmp, "blockdev-backup", { device: "a" });`).length, 1);
  });

  it("compiles generated/ itself under --strict with no errors", () => {
    assert.deepEqual(diagnosticsOf(`export * from "../generated/index.js";`), []);
  });
});
