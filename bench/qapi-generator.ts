// Issue #11's yardstick: cold `qmp-hx generate` of QEMU 2.7.50's qmp-commands.hx paired with
// QEMU 2.7's own QAPI generator (five Python 2.7 scripts writing C) on QEMU 2.7.0's schema.
// Rounds interleave the two (and rotate their order), so that both see the same machine load;
// each run is a fresh process writing into a fresh folder. Prints figures, asserts nothing.
//
// QEMU's scripts are QEMU's code (GPL): they are fetched by hand into a folder outside the repo
// (see README, "Benchmarks") and never committed. Without them this bench says so and stops.
//
// Alone: node dist/bench/qapi-generator.js [ROUNDS]   (default 10)
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { corpusEntry, loadAverage, median, ratioSummary } from "./stats.js";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const cli = join(repoRoot, "dist", "src", "cli", "bin.js");
const defaultGeneratorDir = "/work/qemu-qapi-generator-2.7";

/** The five generator scripts and the modules they import. */
const requiredScripts = ["qapi.py", "ordereddict.py", "qapi-types.py", "qapi-visit.py", "qapi-event.py", "qapi-commands.py", "qapi-introspect.py"];

/**
 * QEMU 2.7's Makefile rules for the main schema, in its order. Each rule names two targets
 * (`qapi-types.c qapi-types.h : ...`) with `gen-out-type = $(subst .,-,$(suffix $@))`, so make
 * runs the script once per target, with -c and with -h: ten processes in all.
 */
const makefileRuns: readonly { script: string; flags: readonly string[] }[] = [
  { script: "qapi-types.py", flags: ["-c", "-b"] },
  { script: "qapi-types.py", flags: ["-h", "-b"] },
  { script: "qapi-visit.py", flags: ["-c", "-b"] },
  { script: "qapi-visit.py", flags: ["-h", "-b"] },
  { script: "qapi-event.py", flags: ["-c"] },
  { script: "qapi-event.py", flags: ["-h"] },
  { script: "qapi-commands.py", flags: ["-h", "-m"] },
  { script: "qapi-commands.py", flags: ["-c", "-m"] },
  { script: "qapi-introspect.py", flags: ["-h"] },
  { script: "qapi-introspect.py", flags: ["-c"] },
];

export interface QapiGeneratorBenchOptions {
  /** Interleaved rounds (default 10). */
  rounds?: number;
  /** Where a line goes (default console.log). */
  print?: (line: string) => void;
}

interface Inputs {
  scriptsDir: string;
  python: string;
  hx: string;
  schema: string;
  events: string | undefined;
}

type Located = { ok: true; inputs: Inputs } | { ok: false; reason: string };

/** The folder holding qapi.py: QMP_HX_QAPI_GENERATOR itself or its scripts/ (as in QEMU's tree). */
function scriptsFolder(root: string): string {
  return existsSync(join(root, "scripts", "qapi.py")) ? join(root, "scripts") : root;
}

/** A Python 2.7 interpreter: QMP_HX_PYTHON2, then python2.7/python2 on PATH, then pyenv's 2.7 builds. */
function findPython27(): string | undefined {
  const candidates: string[] = [];
  const chosen = process.env["QMP_HX_PYTHON2"];
  if (chosen) candidates.push(chosen);
  candidates.push("python2.7", "python2");
  const pyenvRoot = process.env["PYENV_ROOT"] ?? join(homedir(), ".pyenv");
  const versions = join(pyenvRoot, "versions");
  if (existsSync(versions)) {
    for (const version of readdirSync(versions).filter((name) => name.startsWith("2.7")).sort().reverse()) {
      candidates.push(join(versions, version, "bin", "python2.7"));
    }
  }
  // Python 2 prints its version on stderr.
  return candidates.find((python) => /^Python 2\.7/.test(spawnSync(python, ["--version"], { encoding: "utf8" }).stderr ?? ""));
}

function locateInputs(): Located {
  const generatorRoot = resolve(process.env["QMP_HX_QAPI_GENERATOR"] ?? defaultGeneratorDir);
  const scriptsDir = scriptsFolder(generatorRoot);
  const missing = requiredScripts.filter((script) => !existsSync(join(scriptsDir, script)));
  if (missing.length === requiredScripts.length) {
    return {
      ok: false,
      reason: `QEMU 2.7's QAPI generator scripts are not in ${generatorRoot} (set QMP_HX_QAPI_GENERATOR; they are QEMU's code, fetched by hand as README's bench section says, never committed)`,
    };
  }
  if (missing.length > 0) return { ok: false, reason: `${scriptsDir} lacks ${missing.join(", ")} of QEMU 2.7's QAPI generator (see README's bench section)` };
  const python = findPython27();
  if (python === undefined) return { ok: false, reason: "no Python 2.7 found (QEMU 2.7's scripts need it): set QMP_HX_PYTHON2 to a python2.7" };
  const corpus = resolve(process.env["QMP_HX_CORPUS"] ?? join(repoRoot, "..", "shared", "corpus"));
  const hx = corpusEntry(corpus, "hx", "35-2.7.50");
  const schemaFolder = corpusEntry(corpus, "qapi", "33-2.7.0");
  const schema = schemaFolder === undefined ? undefined : join(schemaFolder, "qapi-schema.json");
  if (hx === undefined || schema === undefined || !existsSync(schema)) {
    return { ok: false, reason: `the corpus at ${corpus} lacks hx/35-2.7.50-*.hx or qapi/33-2.7.0-*/qapi-schema.json (set QMP_HX_CORPUS)` };
  }
  return { ok: true, inputs: { scriptsDir, python, hx, schema, events: corpusEntry(corpus, "events", "35-") } };
}

/** One run's cost: wall ms, and CPU ms of the processes it started (NaN where /proc is missing). */
interface Cost {
  wallMs: number;
  cpuMs: number;
}

const clockTicksPerSecond = Number(spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout?.trim() || 100);

/** User + system CPU ms of this process's waited-for children so far (cutime + cstime of /proc/self/stat). */
function childrenCpuMs(): number {
  try {
    const stat = readFileSync("/proc/self/stat", "utf8");
    // Fields after the command name, which may hold spaces: state is field 3, cutime 16, cstime 17.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(fields[13]) + Number(fields[14])) * 1000) / clockTicksPerSecond;
  } catch {
    return Number.NaN;
  }
}

/** Wall time, and CPU time too: on a machine others load, CPU time moves less than wall time. */
function measured(run: () => void): Cost {
  const cpuBefore = childrenCpuMs();
  const start = performance.now();
  run();
  return { wallMs: performance.now() - start, cpuMs: childrenCpuMs() - cpuBefore };
}

/** One cold `qmp-hx generate` into a fresh folder. */
function runQmpHx(inputs: Inputs, extra: readonly string[]): Cost {
  const out = mkdtempSync(join(tmpdir(), "qmp-hx-bench-qapigen-"));
  try {
    return measured(() => {
      const run = spawnSync(process.execPath, [cli, "generate", inputs.hx, "--out", out, "--force", ...extra], { encoding: "utf8", stdio: ["ignore", "ignore", "pipe"] });
      if (run.status !== 0) throw new Error(`qmp-hx generate ${[...extra].join(" ")} failed (exit ${run.status}): ${run.stderr}`);
    });
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/** QEMU 2.7's ten generator processes, one after another as `make -j1` runs them, into a fresh folder. */
function runQemuGenerator(inputs: Inputs): Cost {
  const out = mkdtempSync(join(tmpdir(), "qmp-hx-bench-qemu-qapi-"));
  try {
    return measured(() => {
      for (const { script, flags } of makefileRuns) {
        const run = spawnSync(inputs.python, [join(inputs.scriptsDir, script), ...flags, "-o", ".", inputs.schema], { cwd: out, encoding: "utf8", stdio: ["ignore", "ignore", "pipe"] });
        if (run.status !== 0) throw new Error(`QEMU's ${script} ${flags.join(" ")} failed (exit ${run.status}): ${run.stderr}`);
      }
    });
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/** Prints the paired figures, or one line saying why they are skipped. */
export function benchQapiGenerator(options: QapiGeneratorBenchOptions = {}): void {
  const print = options.print ?? ((line: string) => console.log(line));
  const rounds = options.rounds ?? 10;
  if (!Number.isInteger(rounds) || rounds < 1) throw new RangeError(`rounds must be a positive integer, got ${rounds}`);
  const located = locateInputs();
  if (!located.ok) {
    print(`  skipped: ${located.reason}`);
    return;
  }
  const { inputs } = located;
  const withTypes = inputs.events === undefined ? undefined : ["--events", inputs.events, "--qapi", inputs.schema];

  print(`  qmp-hx:  node dist/src/cli/bin.js generate ${inputs.hx} --out TMP --force`);
  if (withTypes) print(`  variant: the same with --events ${inputs.events} --qapi ${inputs.schema}`);
  else print("  variant with --events --qapi: skipped, no events/35-* file in the corpus");
  print(`  QEMU:    ${inputs.python} ${inputs.scriptsDir}/qapi-{types,visit,event,commands,introspect}.py, each with -c and -h as QEMU 2.7's Makefile runs them (10 processes, one after another as make -j1), -o TMP, on ${inputs.schema}`);
  print(`  load average before: ${loadAverage()}`);

  type Side = "plain" | "typed" | "qemu";
  const label: Record<Side, string> = { plain: "qmp-hx", typed: "qmp-hx --events --qapi", qemu: "QEMU" };
  const runners: Record<Side, () => Cost> = {
    plain: () => runQmpHx(inputs, []),
    typed: () => runQmpHx(inputs, withTypes ?? []),
    qemu: () => runQemuGenerator(inputs),
  };
  const sides: Side[] = withTypes ? ["plain", "typed", "qemu"] : ["plain", "qemu"];
  const costs: Record<Side, Cost[]> = { plain: [], typed: [], qemu: [] };
  for (let round = 0; round < rounds; round++) {
    // Rotate who goes first, so that no side always runs on a machine the previous one warmed.
    for (const side of sides.map((_, index) => sides[(index + round) % sides.length] as Side)) costs[side].push(runners[side]());
    const cost = (side: Side): Cost => costs[side][round] ?? { wallMs: Number.NaN, cpuMs: Number.NaN };
    const times = sides.map((side) => `${label[side]} ${cost(side).wallMs.toFixed(0)} ms (cpu ${cost(side).cpuMs.toFixed(0)})`);
    const ratios = sides.filter((side) => side !== "qemu").map((side) => `${label[side]}/QEMU ${(cost(side).wallMs / cost("qemu").wallMs).toFixed(2)}x`);
    print(`  round ${String(round + 1).padStart(2)}: ${times.join(", ")}; ${ratios.join(", ")}`);
  }

  const wall = (side: Side): number[] => costs[side].map((cost) => cost.wallMs);
  const cpu = (side: Side): number[] => costs[side].map((cost) => cost.cpuMs);
  const perRound = (values: (side: Side) => number[], side: Side): number[] => values(side).map((value, index) => value / (values("qemu")[index] ?? Number.NaN));
  print(`  medians of ${rounds}, wall (cpu): ${sides.map((side) => `${label[side]} ${median(wall(side)).toFixed(0)} ms (${median(cpu(side)).toFixed(0)})`).join(", ")}`);
  for (const side of sides.filter((side) => side !== "qemu")) {
    const target = side === "plain" ? " (issue #11 asks for at most 1.00x)" : "";
    print(`  ${label[side]} / QEMU per round, wall: ${ratioSummary(perRound(wall, side))}${target}; cpu: ${ratioSummary(perRound(cpu, side))}`);
  }
  print(`  load average after: ${loadAverage()}`);
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const argument = process.argv[2];
  const rounds = argument === undefined ? 10 : Number(argument);
  if (!Number.isInteger(rounds) || rounds < 1) {
    console.error(`usage: node dist/bench/qapi-generator.js [ROUNDS]: ROUNDS must be a positive integer, got "${argument}"`);
    process.exitCode = 2;
  } else {
    console.log(`Paired cold run: qmp-hx generate vs QEMU 2.7's QAPI generator (node ${process.version}, ${process.platform}/${process.arch})`);
    benchQapiGenerator({ rounds });
  }
}
