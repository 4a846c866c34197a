// The client generated from the golden fixture (blockdev-backup.hx), driving a real QEMU: Debian's
// 7.2 and the 2.7.0 release. What differs between them is keyed by the greeting's version.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { type BlockdevBackupArguments, blockdevBackup } from "../../generated/index.js";
// The runtime package the generated client imports, as a user imports it (one copy of the error classes).
import { QmpClient, QmpError, type QmpExecutor, ValidationError } from "qmp-hx-runtime";
import { e2eTargets, qemuTool, requireTarget, run, versionAtLeast, withQemu } from "./qemu.js";

for (const { name, release } of e2eTargets) {
  describe(`blockdev-backup through the generated client, ${name}`, { timeout: 60_000 }, () => {
    test("backs src up into tgt: the job completes and the images compare equal", async (t) => {
      if (!requireTarget(t, release)) return;
      await withQemu({ images: true, release }, async (qemu) => {
        const images = qemu.images;
        assert.ok(images);
        const client = await QmpClient.fromStream(await qemu.connectSocket());
        // QEMU locks its images from 2.10 on; reading them meanwhile takes qemu-img's -U, which 2.10 brought.
        const shareLocked = versionAtLeast(client.version, 2, 10) ? ["-U"] : [];
        const qemuImg = qemuTool(release, "qemu-img");
        try {
          // The images differ before the backup, so the final comparison can fail.
          const before = await run(qemuImg, ["compare", ...shareLocked, images.src, images.tgt]);
          assert.equal(before.code, 1, `qemu-img compare before the backup: ${before.stdout}${before.stderr}`);

          assert.deepEqual(
            await blockdevBackup(client, {
              device: "src",
              target: "tgt",
              sync: "full",
            }),
            {},
          );
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

        const after = await run(qemuTool(release, "qemu-img"), ["compare", images.src, images.tgt]);
        assert.equal(after.code, 0, `qemu-img compare: ${after.stdout}${after.stderr}`);
        assert.match(after.stdout, /Images are identical/);
      });
    });

    test("QEMU's refusals arrive as QmpError with its class and text", async (t) => {
      if (!requireTarget(t, release)) return;
      await withQemu({ images: true, release }, async (qemu) => {
        const client = await QmpClient.fromStream(await qemu.connectSocket());
        try {
          const same = await blockdevBackup(client, {
            device: "src",
            target: "src",
            sync: "full",
          }).then(
            () => assert.fail("backing a device up into itself succeeded"),
            (error: unknown) => error,
          );
          assert.ok(same instanceof QmpError, String(same));
          assert.equal(same.class, "GenericError");
          assert.equal(same.desc, "Source and target cannot be the same");
          assert.equal(same.command, "blockdev-backup");

          const unknown = await blockdevBackup(client, {
            device: "nope",
            target: "tgt",
            sync: "full",
          }).then(
            () => assert.fail("backing up an unknown device succeeded"),
            (error: unknown) => error,
          );
          assert.ok(unknown instanceof QmpError, String(unknown));
          assert.equal(unknown.class, "GenericError");
          // Node names came to blockdev-backup's lookup in 2.9 (from 2.7.0: 7.2, 2.7.0).
          assert.equal(unknown.desc, versionAtLeast(client.version, 2, 9) ? "Cannot find device='nope' nor node-name='nope'" : "Device 'nope' not found");

          // The connection is still fine after errors.
          assert.deepEqual(await client.execute("query-status"), {
            status: "running",
            singlestep: false,
            running: true,
          });
        } finally {
          await client.close();
        }
      });
    });

    test("locally invalid arguments are a ValidationError, first issue QEMU's own reply, and nothing reaches the socket", async (t) => {
      if (!requireTarget(t, release)) return;
      await withQemu({ images: true, release }, async (qemu) => {
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
          const missingTarget = {
            device: "src",
            sync: "full",
          } as unknown as BlockdevBackupArguments;
          const badSpeed = {
            device: "src",
            target: "tgt",
            sync: "full",
            speed: "fast",
          } as unknown as BlockdevBackupArguments;

          const missing = await blockdevBackup(counting, missingTarget).then(
            () => assert.fail("accepted arguments without target"),
            (error: unknown) => error,
          );
          assert.ok(missing instanceof ValidationError, String(missing));
          assert.equal(missing.command, "blockdev-backup");
          assert.deepEqual(
            missing.issues.map((issue) => [issue.path, issue.kind, issue.class]),
            [["arguments.target", "missing", "GenericError"]],
          );

          const speed = await blockdevBackup(counting, badSpeed).then(
            () => assert.fail("accepted speed: 'fast'"),
            (error: unknown) => error,
          );
          assert.ok(speed instanceof ValidationError, String(speed));
          assert.deepEqual(
            speed.issues.map((issue) => [issue.path, issue.kind]),
            [["arguments.speed", "wrong-type"]],
          );
          assert.match(speed.message, /speed/);
          assert.deepEqual(speed.reply, {
            class: "GenericError",
            desc: "Invalid parameter type for 'speed', expected: int",
          });

          await new Promise((resolve) => setTimeout(resolve, 50));
          assert.equal(executed, 0, "the executor was never called");
          assert.equal(socket.bytesWritten, written, "no byte was written");

          // With validation off the same call does go out, and QEMU refuses it for the same reason.
          const remote = await blockdevBackup(counting, badSpeed, {
            validate: false,
          }).then(
            () => assert.fail("QEMU accepted speed: 'fast'"),
            (error: unknown) => error,
          );
          assert.ok(remote instanceof QmpError, String(remote));
          // 2.7.0's monitor says what the validators say; QAPI's visitor (2.8 and later) words it `integer`.
          if (versionAtLeast(client.version, 2, 8)) assert.equal(remote.desc, "Invalid parameter type for 'speed', expected: integer");
          else assert.deepEqual({ class: remote.class, desc: remote.desc }, speed.reply);
          assert.equal(executed, 1);
          assert.ok(socket.bytesWritten > written);
        } finally {
          await client.close();
        }
      });
    });
  });
}
