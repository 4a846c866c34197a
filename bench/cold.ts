// One cold `qmp-hx generate` in a fresh process, as every cold row of the bench runs it.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
/** The corpus folder (`QMP_HX_CORPUS` overrides). */
export const corpusRoot = resolve(process.env["QMP_HX_CORPUS"] ?? join(repoRoot, "..", "shared", "corpus"));
/** What every cold run defines: RHEL's .hx files name commands by RFQDN_REDHAT. */
export const defines = ["--define", "RFQDN_REDHAT=__com.redhat_"];
const coldRunner = join(repoRoot, "dist", "bench", "cold-run.js");

/** One cold `qmp-hx generate` in a fresh process (`extra`: more options; `out`: a folder to keep): wall ms and peak RSS MB. */
export function coldGenerate(input: string, extra: readonly string[] = [], out?: string): { ms: number; rssMb: number } {
  const dir = out ?? mkdtempSync(join(tmpdir(), "qmp-hx-bench-"));
  try {
    const start = performance.now();
    const run = spawnSync(process.execPath, [coldRunner, "generate", input, "--out", dir, ...defines, ...extra], { encoding: "utf8" });
    const ms = performance.now() - start;
    if (run.status !== 0) throw new Error(`generate ${input} ${extra.join(" ")} failed: ${run.stderr}`);
    const match = /maxRSS=(\d+)/.exec(run.stderr);
    return { ms, rssMb: Number(match?.[1] ?? Number.NaN) / 1024 };
  } finally {
    if (out === undefined) rmSync(dir, { recursive: true, force: true });
  }
}
