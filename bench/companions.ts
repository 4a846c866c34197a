// Issue #7's figure: cold `qmp-hx generate` of QEMU 2.7.0's file with its events document and
// QAPI schema against without them, paired per round. `node dist/bench/companions.js [ROUNDS]`
// runs just this part.
import { spawnSync } from "node:child_process";
import { pathToFileURL } from "node:url";
import { coldGenerate, corpusRoot } from "./cold.js";
import { corpusEntry, loadAverage, median, ratioSummary } from "./stats.js";
import { qapiSchemaFor } from "./typing.js";

export interface CompanionsRatio {
  /** Wall ms per round, each side. */
  readonly plain: readonly number[];
  readonly withCompanions: readonly number[];
}

/**
 * Rounds of one run each, in alternating order, so that neither side gains from a warmer machine
 * or pays for the other's disk writes; the ratio is taken per round. Fifteen by default: on one
 * build, seven rounds gave medians from 1.23x to 1.37x. Files written before are first flushed
 * to disk, so that their writeback does not land in these rounds.
 */
export function measureCompanionsRatio(hx: string, events: string, qapi: string, rounds = 15): CompanionsRatio {
  spawnSync("sync");
  const plain: number[] = [];
  const withCompanions: number[] = [];
  const runPlain = (): number => coldGenerate(hx).ms;
  const runWith = (): number => coldGenerate(hx, ["--events", events, "--qapi", qapi]).ms;
  for (let round = 0; round < rounds; round++) {
    if (round % 2 === 0) {
      plain.push(runPlain());
      withCompanions.push(runWith());
    } else {
      withCompanions.push(runWith());
      plain.push(runPlain());
    }
  }
  return { plain, withCompanions };
}

export function describeCompanionsRatio({ plain, withCompanions }: CompanionsRatio): string {
  const ratios = plain.map((ms, round) => (withCompanions[round] ?? Number.NaN) / ms);
  return `${median(withCompanions).toFixed(0)} ms vs ${median(plain).toFixed(0)} ms median of ${plain.length}; per-round ratio ${ratioSummary(ratios)}, target <= 1.3x`;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const hx = corpusEntry(corpusRoot, "hx", "33-");
  const events = corpusEntry(corpusRoot, "events", "33-");
  const qapi = hx === undefined ? undefined : qapiSchemaFor(corpusRoot, hx);
  if (hx === undefined || events === undefined || qapi === undefined) {
    console.log(`QEMU 2.7.0's .hx, events document or QAPI schema is missing from ${corpusRoot}: nothing measured`);
  } else {
    console.log(`load average ${loadAverage()}`);
    console.log(`  cold generate QEMU 2.7.0 with --events and --qapi vs without: ${describeCompanionsRatio(measureCompanionsRatio(hx, events, qapi, Number(process.argv[2] ?? 15)))}`);
  }
}
