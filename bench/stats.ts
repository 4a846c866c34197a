// Small helpers the bench scripts share: medians and spreads of paired figures, the load of the
// machine (other work on it shows in every figure), and where a corpus file's companions are.
import { existsSync, readdirSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2 === 1 ? (sorted[middle] ?? Number.NaN) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/** Per-round ratios as `median 0.32x, spread 0.26x-0.40x`. */
export function ratioSummary(ratios: readonly number[]): string {
  return `median ${median(ratios).toFixed(2)}x, spread ${Math.min(...ratios).toFixed(2)}x-${Math.max(...ratios).toFixed(2)}x`;
}

/** The 1, 5 and 15 minute load averages. */
export function loadAverage(): string {
  return loadavg()
    .map((value) => value.toFixed(2))
    .join(" ");
}

/** `CORPUS/KIND/PREFIX...` (an events document, a QAPI schema folder), if present. */
export function corpusEntry(corpus: string, kind: string, prefix: string): string | undefined {
  const folder = join(corpus, kind);
  if (!existsSync(folder)) return undefined;
  const name = readdirSync(folder).find((entry) => entry.startsWith(prefix));
  return name === undefined ? undefined : join(folder, name);
}
