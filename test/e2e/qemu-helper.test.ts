// The skip-or-fail rule for machines without QEMU, checked without needing QEMU.
import assert from "node:assert/strict";
import { test } from "node:test";
import { findMissingQemu, requireQemu, requireRelease, withQemu } from "./qemu.js";

test("without QEMU on PATH every tool is reported, with how to install them", () => {
  assert.equal(
    findMissingQemu("/nonexistent"),
    "qemu-system-x86_64, qemu-img, qemu-io not found: apt-get install qemu-system-x86 qemu-utils",
  );
});

test("a missing QEMU skips the test visibly, or fails it when CI=true", async (t) => {
  assert.throws(() => requireQemu(t, "qemu-img not found", { CI: "true" }), /qemu-img not found \(QEMU is required when CI=true\)/);
  let result: boolean | undefined;
  await t.test("skipped here on purpose (this subtest shows as skipped)", (inner) => {
    result = requireQemu(inner, "qemu-img not found", {});
  });
  assert.equal(result, false);
  assert.equal(requireQemu(t, undefined, { CI: "true" }), true);
});

for (const release of ["2.7.0", "1.1.0"] as const) {
  test(`the QEMU ${release} release binary starts, greets with its version and stops`, async (t) => {
    if (!requireRelease(t, release)) return;
    await withQemu({ release }, async (qemu) => {
      const qmp = await qemu.connect();
      const { major, minor, micro } = qmp.version.qemu;
      assert.equal(`${major}.${minor}.${micro}`, release);
      await qmp.close();
    });
  });
}
