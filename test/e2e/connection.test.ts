// The runtime's connection handling against a real QEMU (Debian's 7.2 and the 2.7.0 release):
// pipelining, QEMU dying, quit. What differs between them is keyed by the greeting's version.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ConnectionClosedError } from "../../src/runtime/index.js";
import { e2eTargets, requireTarget, versionAtLeast, withQemu } from "./qemu.js";

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

for (const { name, release } of e2eTargets) {
  describe(`a QMP connection to a real QEMU, ${name}`, { timeout: 120_000 }, () => {
    test("greets with QEMU's version and negotiates", async (t) => {
      if (!requireTarget(t, release)) return;
      await withQemu({ release }, async (qemu) => {
        const client = await qemu.connect();
        try {
          // Out-of-band execution came with QEMU 3.0; 2.7 offers no capability.
          if (versionAtLeast(client.version, 3, 0)) assert.ok(client.capabilities.includes("oob"));
          else assert.deepEqual(client.capabilities, []);
          const version = await client.execute("query-version");
          assert.deepEqual(version, client.version);
        } finally {
          await client.close();
        }
      });
    });

    test("10,000 pipelined query-version/query-status calls each get their own answer", async (t) => {
      if (!requireTarget(t, release)) return;
      await withQemu({ release }, async (qemu) => {
        const client = await qemu.connect();
        try {
          const n = 10_000;
          // All issued before any is answered.
          const calls = Array.from({ length: n }, (_, i) => client.execute(i % 2 === 0 ? "query-version" : "query-status"));
          const results = await Promise.all(calls);
          assert.equal(results.length, n);
          for (let i = 0; i < n; i++) {
            const result = results[i];
            if (i % 2 === 0) {
              assert.deepEqual(result, client.version, `reply ${i} should be query-version's`);
            } else {
              assert.ok(isObject(result), `reply ${i}`);
              assert.deepEqual(Object.keys(result).sort(), ["running", "singlestep", "status"], `reply ${i} should be query-status's`);
              assert.equal(result.status, "running");
              assert.equal(result.running, true);
            }
          }
        } finally {
          await client.close();
        }
      });
    });

    test("QEMU killed during a call: the call rejects with ConnectionClosedError within a second", async (t) => {
      if (!requireTarget(t, release)) return;
      await withQemu({ release }, async (qemu) => {
        const client = await qemu.connect();
        try {
          // A stopped QEMU cannot answer, so the calls are certainly pending when it dies.
          process.kill(qemu.pid, "SIGSTOP");
          const calls = [client.execute("query-status"), client.execute("query-version")];
          const settled = Promise.allSettled(calls);
          const still = await Promise.race([settled, new Promise((resolve) => setTimeout(() => resolve("pending"), 100))]);
          assert.equal(still, "pending", "a stopped QEMU answered");

          const killedAt = performance.now();
          process.kill(qemu.pid, "SIGKILL");
          const outcomes = await settled;
          const elapsed = performance.now() - killedAt;
          assert.ok(elapsed < 1000, `took ${elapsed.toFixed(0)} ms`);
          for (const outcome of outcomes) {
            assert.equal(outcome.status, "rejected");
            assert.ok(outcome.status === "rejected" && outcome.reason instanceof ConnectionClosedError, String(outcome));
          }
          assert.deepEqual(await qemu.exited, { code: null, signal: "SIGKILL" });
          await assert.rejects(client.execute("query-status"), ConnectionClosedError);
        } finally {
          await client.close();
        }
      });
    });

    test("quit resolves and QEMU exits; calls afterwards reject", async (t) => {
      if (!requireTarget(t, release)) return;
      await withQemu({ release }, async (qemu) => {
        const client = await qemu.connect();
        try {
          const shutdown = client.waitForEvent("SHUTDOWN", undefined, 10_000);
          assert.deepEqual(await client.execute("quit"), {});
          // SHUTDOWN says why from QEMU 4.0; 2.7's has no data.
          if (versionAtLeast(client.version, 4, 0)) assert.equal((await shutdown).data.reason, "host-qmp-quit");
          else assert.deepEqual((await shutdown).data, {});
          assert.deepEqual(await qemu.exited, { code: 0, signal: null });
          assert.ok((await client.closed) instanceof ConnectionClosedError);
          await assert.rejects(client.execute("query-status"), ConnectionClosedError);
        } finally {
          await client.close();
        }
      });
    });

    test("64-bit integers round-trip through QEMU exactly", async (t) => {
      if (!requireTarget(t, release)) return;
      await withQemu({ release }, async (qemu) => {
        const client = await qemu.connect();
        try {
          if (!versionAtLeast(client.version, 2, 8)) {
            t.skip(`QEMU ${client.version.qemu.major}.${client.version.qemu.minor} has no max-bandwidth parameter (2.8 brought it)`);
            return;
          }
          // max-bandwidth is a uint64 that QEMU stores and reports back as given.
          for (const value of [18446744073709551615n, 9007199254740993n]) {
            assert.deepEqual(await client.execute("migrate-set-parameters", { "max-bandwidth": value }), {});
            const parameters = await client.execute("query-migrate-parameters");
            assert.ok(isObject(parameters));
            assert.equal(parameters["max-bandwidth"], value);
          }
          // Safe integers stay numbers.
          await client.execute("migrate-set-parameters", { "max-bandwidth": 9007199254740991 });
          const parameters = await client.execute("query-migrate-parameters");
          assert.ok(isObject(parameters));
          assert.equal(parameters["max-bandwidth"], 9007199254740991);
        } finally {
          await client.close();
        }
      });
    });
  });
}
