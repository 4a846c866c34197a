// qmp-hx exec against a real QEMU (skipped with a notice without one, failing with CI=true).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { requireQemu, withQemu } from "../e2e/qemu.js";
import { fixturePath, runCli } from "../helpers.js";

describe("qmp-hx exec", { timeout: 120_000 }, () => {
  it("sends a command and prints the reply as one line of JSON", async (t) => {
    if (!requireQemu(t)) return;
    await withQemu({}, async (qemu) => {
      const run = await runCli(["exec", "--socket", qemu.socketPath, "query-version"]);
      assert.equal(run.code, 0, run.stderr);
      const reply = JSON.parse(run.stdout) as { qemu: { major: number } };
      assert.ok(reply.qemu.major >= 7);
      assert.equal(run.stdout.trim().split("\n").length, 1);
    });
  });

  it("validates against a .hx file first and sends nothing when the arguments are invalid", async (t) => {
    if (!requireQemu(t)) return;
    await withQemu({}, async (qemu) => {
      const invalid = await runCli(["exec", "-s", qemu.socketPath, "blockdev-backup", '{"device":"src","sync":"full","speed":"fast"}', "--hx", fixturePath]);
      assert.equal(invalid.code, 1);
      // The greeting says 7.2: the classes of QEMU 1.2 and later.
      assert.match(invalid.stderr, /arguments\.target: Parameter 'target' is missing \[GenericError\]/);
      assert.match(invalid.stderr, /arguments\.speed: Invalid parameter type for 'speed', expected: int/);
      assert.match(invalid.stderr, /nothing was sent/);
      assert.equal(invalid.stdout, "");
    });
  });

  it("prints QEMU's error class and text with exit 1", async (t) => {
    if (!requireQemu(t)) return;
    await withQemu({}, async (qemu) => {
      const run = await runCli(["exec", "-s", qemu.socketPath, "blockdev-backup", '{"device":"nope","sync":"full","target":"t"}', "--hx", fixturePath]);
      assert.equal(run.code, 1);
      assert.match(run.stderr, /^GenericError: .*nope/m);
    });
  });

  it("waits for an event and prints it, and events while waiting", async (t) => {
    if (!requireQemu(t)) return;
    await withQemu({}, async (qemu) => {
      const run = await runCli(["exec", "-s", qemu.socketPath, "stop", "--events", "--wait-event", "STOP", "--timeout", "10000"]);
      assert.equal(run.code, 0, run.stderr);
      const [reply, event] = run.stdout.trim().split("\n");
      assert.equal(reply, "{}");
      assert.equal((JSON.parse(event ?? "null") as { event: string }).event, "STOP");
      assert.match(run.stderr, /"event":"STOP"/);
    });
  });

  it("reports usage mistakes with exit 2", async () => {
    assert.equal((await runCli(["exec", "query-status"])).code, 2);
    assert.equal((await runCli(["exec", "--socket", "/x", "--tcp", "h:1", "query-status"])).code, 2);
    const notJson = await runCli(["exec", "--socket", "/x", "query-status", "{nope"]);
    assert.equal(notJson.code, 2);
    assert.match(notJson.stderr, /not JSON/);
  });

  it("fails cleanly when nothing listens on the socket", async () => {
    const run = await runCli(["exec", "--socket", "/nonexistent/qmp.sock", "query-status", "--timeout", "2000"]);
    assert.equal(run.code, 1);
    assert.doesNotMatch(run.stderr, /\n\s+at /);
  });
});
