// npm run test:differential -- [--calls N] [--seed S] [--release 2.7.0|1.1.0]: the differential
// test with as many calls as wanted; prints the counts, exits 1 on any disagreement.
import { parseArgs } from "node:util";
import { corpusDir } from "../corpus/corpus.js";
import { findMissingRelease, type QemuRelease } from "../e2e/qemu.js";
import { releases, runDifferential } from "./harness.js";

const { values } = parseArgs({ options: { calls: { type: "string" }, seed: { type: "string" }, release: { type: "string", multiple: true } } });
const calls = Number(values.calls ?? 20_000);
const seed = Number(values.seed ?? Date.now() % 2 ** 31);
const chosen = (values.release ?? Object.keys(releases)) as QemuRelease[];
let failed = false;
for (const release of chosen) {
  if (!(release in releases)) throw new Error(`--release ${release}: expected one of ${Object.keys(releases).join(", ")}`);
  const missing = findMissingRelease(release);
  if (missing !== undefined) {
    console.log(`QEMU ${release}: skipped: ${missing}`);
    continue;
  }
  const started = performance.now();
  const outcome = await runDifferential(release, corpusDir, calls, seed);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(
    `QEMU ${release} (seed ${seed}, ${seconds} s): ${outcome.calls} calls over ${outcome.commands} commands; ` +
      `${outcome.rejectedAlike} rejected alike, ${outcome.acceptedSucceeded} accepted and run, ${outcome.acceptedHandlerRefused} accepted and refused by the handler; ` +
      `${outcome.disagreements.length} disagreements` + (outcome.skippedCommands.length > 0 ? `; never sent: ${outcome.skippedCommands.join(", ")}` : ""),
  );
  for (const line of outcome.disagreements.slice(0, 50)) console.log(`  ${line}`);
  if (outcome.disagreements.length > 0) failed = true;
}
process.exitCode = failed ? 1 : 0;
