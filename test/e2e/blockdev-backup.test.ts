// The client generated from the golden fixture (blockdev-backup.hx), driving a real QEMU.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { type BlockdevBackupArguments, blockdevBackup } from "../../generated/index.js";
import { QmpClient, QmpError, type QmpExecutor, ValidationError } from "../../src/runtime/index.js";
import { requireQemu, run, withQemu } from "./qemu.js";

describe("blockdev-backup through the generated client", { timeout: 60_000 }, () => {
  test("backs src up into tgt: the job completes and the images compare equal", async (t) => {
    if (!requireQemu(t)) return;
    await withQemu({ images: true }, async (qemu) => {
      const images = qemu.images;
      assert.ok(images);
      // The images differ before the backup, so the final comparison can fail.
      const before = await run("qemu-img", ["compare", "-U", images.src, images.tgt]);
      assert.equal(before.code, 1, `qemu-img compare before the backup: ${before.stdout}${before.stderr}`);

      const client = await qemu.connect();
      try {
        assert.deepEqual(await blockdevBackup(client, { device: "src", target: "tgt", sync: "full" }), {});
        const completed = await client.waitForEvent("BLOCK_JOB_COMPLETED", (event) => event.data.device === "src", 30_000);
        assert.equal(completed.data.type, "backup");
        assert.equal(completed.data.error, undefined, "the job reported no error");
        assert.equal(completed.data.len, 8 * 1024 * 1024);
        assert.equal(completed.data.offset, completed.data.len);

        // QEMU holds the images locked until it exits.
        assert.deepEqual(await client.execute("quit"), {});
      } finally {
        await client.close();
      }
      assert.deepEqual(await qemu.exited, { code: 0, signal: null });

      const after = await run("qemu-img", ["compare", images.src, images.tgt]);
      assert.equal(after.code, 0, `qemu-img compare: ${after.stdout}${after.stderr}`);
      assert.match(after.stdout, /Images are identical/);
    });
  });

  test("QEMU's refusals arrive as QmpError with its class and text", async (t) => {
    if (!requireQemu(t)) return;
    await withQemu({ images: true }, async (qemu) => {
      const client = await qemu.connect();
      try {
        const same = await blockdevBackup(client, { device: "src", target: "src", sync: "full" }).then(
          () => assert.fail("backing a device up into itself succeeded"),
          (error: unknown) => error,
        );
        assert.ok(same instanceof QmpError, String(same));
        assert.equal(same.class, "GenericError");
        assert.equal(same.desc, "Source and target cannot be the same");
        assert.equal(same.command, "blockdev-backup");

        const unknown = await blockdevBackup(client, { device: "nope", target: "tgt", sync: "full" }).then(
          () => assert.fail("backing up an unknown device succeeded"),
          (error: unknown) => error,
        );
        assert.ok(unknown instanceof QmpError, String(unknown));
        assert.equal(unknown.class, "GenericError");
        assert.equal(unknown.desc, "Cannot find device='nope' nor node-name='nope'");

        // The connection is still fine after errors.
        assert.deepEqual(await client.execute("query-status"), { status: "running", singlestep: false, running: true });
      } finally {
        await client.close();
      }
    });
  });

  test("locally invalid arguments are a ValidationError and nothing reaches the socket", async (t) => {
    if (!requireQemu(t)) return;
    await withQemu({ images: true }, async (qemu) => {
      // Our own socket, so its byte counter shows exactly what went on the wire.
      const socket = await qemu.connectSocket();
      const client = await QmpClient.fromStream(socket);
      let executed = 0;
      const counting: QmpExecutor = {
        execute(command, args, options) {
          executed++;
          return client.execute(command, args, options);
        },
      };
      try {
        const written = socket.bytesWritten;
        const missingTarget = { device: "src", sync: "full" } as unknown as BlockdevBackupArguments;
        const badSpeed = { device: "src", target: "tgt", sync: "full", speed: "fast" } as unknown as BlockdevBackupArguments;

        const missing = await blockdevBackup(counting, missingTarget).then(
          () => assert.fail("accepted arguments without target"),
          (error: unknown) => error,
        );
        assert.ok(missing instanceof ValidationError, String(missing));
        assert.equal(missing.command, "blockdev-backup");
        assert.deepEqual(
          missing.issues.map((issue) => [issue.path, issue.class]),
          [["arguments.target", "MissingParameter"]],
        );

        const speed = await blockdevBackup(counting, badSpeed).then(
          () => assert.fail("accepted speed: 'fast'"),
          (error: unknown) => error,
        );
        assert.ok(speed instanceof ValidationError, String(speed));
        assert.deepEqual(
          speed.issues.map((issue) => [issue.path, issue.class]),
          [["arguments.speed", "InvalidParameterType"]],
        );
        assert.match(speed.message, /speed/);

        await new Promise((resolve) => setTimeout(resolve, 50));
        assert.equal(executed, 0, "the executor was never called");
        assert.equal(socket.bytesWritten, written, "no byte was written");

        // With validation off the same call does go out, and QEMU refuses it for the same reason.
        const remote = await blockdevBackup(counting, badSpeed, { validate: false }).then(
          () => assert.fail("QEMU accepted speed: 'fast'"),
          (error: unknown) => error,
        );
        assert.ok(remote instanceof QmpError, String(remote));
        assert.equal(remote.desc, "Invalid parameter type for 'speed', expected: integer");
        assert.equal(executed, 1);
        assert.ok(socket.bytesWritten > written);
      } finally {
        await client.close();
      }
    });
  });
});
