// qmp-hx exec with bad arguments or a QEMU that stops answering (issue 10): one clear line,
// exit 1 or 2, never a stack trace; and the runtime rejects a bad port instead of throwing.
import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, it } from "node:test";
import { QmpClient } from "../../src/runtime/index.js";
import { FakeQmpServer, GREETING } from "../runtime/fake-server.js";
import { runCli, withTempDir, type CliResult } from "../helpers.js";

function assertNoStackTrace(run: CliResult): void {
  assert.doesNotMatch(run.stderr, /internal error|\n\s+at /, run.stderr);
}

describe("qmp-hx exec: bad arguments and hung QEMU", () => {
  it("--timeout beyond 2^31-1 ms is a usage error", async () => {
    const run = await runCli(["exec", "--socket", "/nonexistent.sock", "--timeout", String(2 ** 31), "query-status"]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /^qmp-hx exec: --timeout 2147483648: expected a whole number of milliseconds from 1 to 2147483647$/m);
    assertNoStackTrace(run);
  });

  it("a TCP port outside 0-65535 is a usage error", async () => {
    const run = await runCli(["exec", "--tcp", "localhost:99999", "query-status"]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /^qmp-hx exec: --tcp localhost:99999: expected a port from 0 to 65535$/m);
    assertNoStackTrace(run);
  });

  it("a missing or broken --validators module: one line, exit 1", async () => {
    await withTempDir(async (dir) => {
      const missing = await runCli(["exec", "--socket", "/nonexistent.sock", "--validators", join(dir, "none.js"), "query-status"]);
      assert.equal(missing.code, 1);
      assert.match(missing.stderr, /^qmp-hx exec: --validators .*none\.js: cannot load the module: Cannot find module/);
      assert.equal(missing.stderr.trim().split("\n").length, 1, missing.stderr);
      await writeFile(join(dir, "broken.mjs"), "export const validateArguments = (;\n");
      const broken = await runCli(["exec", "--socket", "/nonexistent.sock", "--validators", join(dir, "broken.mjs"), "query-status"]);
      assert.equal(broken.code, 1);
      assert.match(broken.stderr, /^qmp-hx exec: --validators .*broken\.mjs: cannot load the module: Unexpected token/);
      for (const run of [missing, broken]) assertNoStackTrace(run);
    });
  });

  it("QEMU that hangs after the greeting: a timeout, exit 1", async () => {
    const server = await FakeQmpServer.start();
    try {
      const address = server.address as { path: string };
      const running = runCli(["exec", "--socket", address.path, "--timeout", "500", "query-status"]);
      const connection = await server.accept();
      connection.send(GREETING); // and never answers qmp_capabilities
      const run = await running;
      assert.equal(run.code, 1);
      assert.match(run.stderr, /^qmp-hx exec: no QMP greeting and negotiation within 500 ms$/m);
      assertNoStackTrace(run);
    } finally {
      await server.close();
    }
  });

  it("QmpClient.connect({ port: 99999 }) rejects instead of throwing", async () => {
    let connecting: Promise<QmpClient> | undefined;
    assert.doesNotThrow(() => {
      connecting = QmpClient.connect({ host: "localhost", port: 99999 });
    });
    await assert.rejects(connecting ?? Promise.resolve(), /port/i);
  });
});
