// Generated validators beside ajv's standalone code (allErrors) on the same arguments, in the same
// process. Prints figures, asserts nothing (it only refuses to compare validators that disagree).
// Pairing: each round times a batch of calls of both sides back to back (the order alternating),
// in CPU time of the process, so that both see the same machine; the figure is the median over
// rounds of the per-round ratio, with the spread of those ratios.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Ajv } from "ajv";
import { validateBlockdevBackupArguments } from "../generated/validators.js";

type Validate = (data: unknown) => unknown;
/** Calls `validate(data)` `calls` times; returns how many calls accepted (so the work is not dropped). */
type Loop = (validate: Validate, data: unknown, calls: number) => number;

const ROUNDS = Number(process.env["QMP_HX_BENCH_VALIDATOR_ROUNDS"] ?? 41);
/** Calls per batch: a few ms each, well above the CPU clock's µs resolution. */
const BATCH = 100_000;

/** blockdev-backup's args_type as JSON Schema: the mandatory names, the types, no other keys. */
const schema = {
  type: "object",
  required: ["sync", "device", "target"],
  properties: {
    sync: { type: "string" },
    device: { type: "string" },
    target: { type: "string" },
    speed: { type: "integer" },
    "on-source-error": { type: "string" },
    "on-target-error": { type: "string" },
  },
  additionalProperties: false,
};

const cases = [
  ["valid", { device: "src-id", sync: "full", target: "tgt-id", speed: 1000 }],
  // Missing `target`, `speed` of the wrong type, an unknown key: every validator names all three.
  ["invalid (3 issues)", { device: "src-id", sync: "full", speed: "fast", bogus: 1 }],
] as const;

async function ajvStandalone(dir: string): Promise<Validate> {
  const ajv = new Ajv({ allErrors: true, code: { source: true, esm: true } });
  const compiled = ajv.compile(schema);
  const require = createRequire(import.meta.url);
  const standalone = require("ajv/dist/standalone/index.js") as { default: (ajv: Ajv, validate: typeof compiled) => string };
  const folder = mkdtempSync(join(dir, "bench-ajv-"));
  try {
    const modulePath = join(folder, "validate.mjs");
    writeFileSync(modulePath, standalone.default(ajv, compiled));
    return ((await import(pathToFileURL(modulePath).href)) as { default: Validate }).default;
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/**
 * A loop of its own (a fresh function, so neither side's call site sees the other's callee and
 * loses inlining), with the verdict read as each API gives it.
 */
function loopFor(verdict: "issues" | "boolean"): Loop {
  const accepted = verdict === "issues" ? "validate(data).length === 0" : "validate(data) === true";
  return new Function("validate", "data", "calls", `let sink = 0;\nfor (let i = 0; i < calls; i++) if (${accepted}) sink++;\nreturn sink;`) as Loop;
}

/** CPU time of the process for one batch, ns per call. */
function timeBatch(loop: Loop, validate: Validate, data: unknown): number {
  const start = process.cpuUsage();
  loop(validate, data, BATCH);
  const { user, system } = process.cpuUsage(start);
  return ((user + system) * 1000) / BATCH;
}

function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.round(q * (sorted.length - 1)))] ?? Number.NaN;
}

export interface ValidatorFigures {
  readonly label: string;
  /** Median ns per call, each side. */
  readonly ours: number;
  readonly ajv: number;
  /** ajv's time / ours per round: above 1, the generated validator is faster. */
  readonly ratio: number;
  readonly ratioLow: number;
  readonly ratioHigh: number;
}

/** `dir`: where ajv's standalone module is written and imported from (inside the repo, so `ajv` resolves). */
export async function measureValidators(dir: string): Promise<ValidatorFigures[]> {
  const ajvValidate = await ajvStandalone(dir);
  const ours: Validate = validateBlockdevBackupArguments;
  const figures: ValidatorFigures[] = [];
  for (const [label, data] of cases) {
    const oursAccepts = validateBlockdevBackupArguments(data).length === 0;
    if (oursAccepts !== ajvValidate(data)) throw new Error(`the validators disagree on the ${label} case: nothing to compare`);
    const oursLoop = loopFor("issues");
    const ajvLoop = loopFor("boolean");
    // Warm-up: both optimised before the first timed round.
    for (let i = 0; i < 5; i++) {
      oursLoop(ours, data, BATCH);
      ajvLoop(ajvValidate, data, BATCH);
    }
    const oursTimes: number[] = [];
    const ajvTimes: number[] = [];
    const ratios: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      let oursTime: number;
      let ajvTime: number;
      if (round % 2 === 0) {
        oursTime = timeBatch(oursLoop, ours, data);
        ajvTime = timeBatch(ajvLoop, ajvValidate, data);
      } else {
        ajvTime = timeBatch(ajvLoop, ajvValidate, data);
        oursTime = timeBatch(oursLoop, ours, data);
      }
      oursTimes.push(oursTime);
      ajvTimes.push(ajvTime);
      ratios.push(ajvTime / oursTime);
    }
    figures.push({
      label,
      ours: quantile(oursTimes, 0.5),
      ajv: quantile(ajvTimes, 0.5),
      ratio: quantile(ratios, 0.5),
      ratioLow: quantile(ratios, 0.1),
      ratioHigh: quantile(ratios, 0.9),
    });
  }
  return figures;
}

export function describeValidators(figures: ValidatorFigures): string {
  return (
    `qmp-hx ${figures.ours.toFixed(0)} ns, ajv standalone ${figures.ajv.toFixed(0)} ns CPU per call: ` +
    `${figures.ratio.toFixed(2)}x ajv (median of ${ROUNDS} paired rounds; p10-p90 ${figures.ratioLow.toFixed(2)}-${figures.ratioHigh.toFixed(2)}x)`
  );
}

// `node dist/bench/validators.js` runs just this part.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const dist = resolve(dirname(fileURLToPath(import.meta.url)), "..");
  console.log(`load average ${readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ")}`);
  for (const figures of await measureValidators(dist)) console.log(`  validate blockdev-backup, ${figures.label}: ${describeValidators(figures)}`);
}
