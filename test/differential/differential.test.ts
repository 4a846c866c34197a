// The validators against the real monitors of QEMU 2.7.0 and 1.1.0 (../shared/qemu): every
// call that fast-check makes must get the same verdict locally as from QEMU, and every local
// rejection must be exactly QEMU's error. `npm run test:differential -- --calls N` runs more.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { requireCorpus } from "../corpus/corpus.js";
import { requireRelease } from "../e2e/qemu.js";
import { releases, runDifferential } from "./harness.js";
import type { QemuRelease } from "../e2e/qemu.js";

/** Per version in the suite: enough to meet every command many times, about half a minute each. */
const CALLS = 2500;
const SEED = 20261125;

describe("validators agree with QEMU's own monitor", { timeout: 300_000 }, () => {
  for (const release of Object.keys(releases) as QemuRelease[]) {
    test(`QEMU ${release}: ${CALLS} random calls, 100% agreement on the verdict and on the first issue`, async (t) => {
      const corpus = requireCorpus(t);
      if (!corpus || !requireRelease(t, release)) return;
      const outcome = await runDifferential(release, corpus.dir, CALLS, SEED);
      t.diagnostic(
        `${outcome.calls} calls over ${outcome.commands} commands: ${outcome.rejectedAlike} rejected alike, ` +
          `${outcome.acceptedSucceeded} accepted and run, ${outcome.acceptedHandlerRefused} accepted and refused by the handler` +
          (outcome.skippedCommands.length > 0 ? `; not sent: ${outcome.skippedCommands.join(", ")}` : ""),
      );
      assert.deepEqual(outcome.disagreements.slice(0, 20), [], `${outcome.disagreements.length} disagreements`);
      // The mix must exercise both sides of the verdict.
      assert.ok(outcome.rejectedAlike > CALLS / 4, `only ${outcome.rejectedAlike} rejections`);
      assert.ok(outcome.acceptedSucceeded + outcome.acceptedHandlerRefused > CALLS / 20, "too few accepted calls");
    });
  }
});
